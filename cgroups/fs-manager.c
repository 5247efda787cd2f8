/* berth: the managers of cgroup files, v2 and v1/hybrid (a cg_manager
 * with its directories): making one for a new container (with the
 * rootless handling), loading one from its state, freeing it, and the
 * journaled update of its files.  The public factory (manager.c) and the
 * systemd driver's files (systemd.c) both come here.  */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroups/detect.h"
#include "cgroups/internal.h"
#include "cgroups/journal.h"
#include "cgroups/validate.h"
#include "base/cleanup.h"
#include "base/log.h"
#include "base/utils.h"

#define V2_MOUNTPOINT "/sys/fs/cgroup"

static cg_dir *
add_dir (cg_manager *m)
{
  m->dirs = xrealloc (m->dirs, (m->n_dirs + 1) * sizeof *m->dirs);
  memset (&m->dirs[m->n_dirs], 0, sizeof *m->dirs);
  return &m->dirs[m->n_dirs++];
}

static cg_manager *
manager_alloc (cgroup_mode mode)
{
  cg_manager *m = xmalloc0 (sizeof *m);
  m->base.mode = mode;
  m->base.ops = mode == CGROUP_MODE_UNIFIED ? &cg_v2_ops : &cg_v1_ops;
  return m;
}

void
cg_manager_release (cgroup_manager *base)
{
  cg_manager *m = (cg_manager *) base;
  if (m == NULL)
    return;
  for (size_t i = 0; i < m->n_dirs; i++)
    {
      free (m->dirs[i].controllers);
      free (m->dirs[i].path);
      free (m->dirs[i].mountpoint);
      free (m->dirs[i].dir);
    }
  free (m->dirs);
  free (m->enable_failure);
  free (m->base.state);
  free (m);
}

static void
set_journal (cg_manager *m, cg_journal *j)
{
  for (size_t i = 0; i < m->n_dirs; i++)
    m->dirs[i].journal = j;
}

/* The message of a refused update: which file refused what, and what was
   put back.  */
static void
rollback_message (cg_journal *j, berth_error **err)
{
  cleanup_free char *restored = NULL;
  cleanup_free char *failed = NULL;
  cleanup_free char *what = NULL;
  cleanup_free char *tail = NULL;

  cg_journal_rollback (j, &restored, &failed);
  if (j->failed_file)
    {
      cleanup_free char *shown = xstrdup (j->failed_value);
      shown[strcspn (shown, "\n")] = '\0';
      what = xasprintf ("%s: \"%s\": %s", j->failed_file, shown,
                        strerror (j->failed_errno));
    }
  else
    what = xstrdup ((*err)->msg);
  if (restored && failed)
    tail = xasprintf ("; %s restored; %s could not be restored", restored,
                      failed);
  else if (failed)
    tail = xasprintf ("; %s could not be restored", failed);
  else if (restored)
    tail = xasprintf ("; %s restored", restored);
  else
    tail = xstrdup ("");
  {
    int errnum = j->failed_file ? j->failed_errno : (*err)->errnum;
    berth_error_clear (err);
    /* errnum 0: strerror is in `what` already.  */
    berth_error_set (err, 0, "%s%s", what, tail);
    (*err)->errnum = errnum;
  }
}

int
cg_update_journaled (cgroup_manager *base, const oci_resources *r,
                     berth_error **err)
{
  /* The journal goes on the directories of the files (with
     --systemd-cgroup, cg_systemd_update calls this with the unit's file
     manager and puts the unit's properties back itself).  */
  cg_manager *m = (cg_manager *) base;
  cg_journal j;
  int ret;

  if (cgroup_resources_validate (base->mode, r, err) < 0)
    return berth_error_wrap (err, "linux.resources");
  memset (&j, 0, sizeof j);
  set_journal (m, &j);
  ret = base->ops->apply (base, r, err);
  set_journal (m, NULL);
  if (ret < 0)
    rollback_message (&j, err);
  cg_journal_release (&j);
  return ret < 0 ? -1 : 0;
}

const cg_dir *
cg_v1_dir (const cg_manager *m, const char *controller)
{
  for (size_t i = 0; i < m->n_dirs; i++)
    if (!m->dirs[i].unified
        && cg_controllers_has (m->dirs[i].controllers, controller))
      return &m->dirs[i];
  return NULL;
}

const cg_dir *
cg_unified_dir (const cg_manager *m)
{
  for (size_t i = 0; i < m->n_dirs; i++)
    if (m->dirs[i].unified)
      return &m->dirs[i];
  return NULL;
}

/* Whether a mount's path can go in the state as it is: none of the
   separators of its entry.  */
static bool
state_safe (const char *s)
{
  return strpbrk (s, ":;@\n") == NULL;
}

/* "cpu:/a;cpuacct:/a;...;:/a" (the cgroup2 hierarchy has no name), then
   "+cpu@/sys/fs/cgroup/cpu@/:/;..." (cg_state_entry in convert.h): where
   each hierarchy is mounted and the mount's root.  With them, the
   commands that load the state (exec, delete, kill, update...) find the
   directories without reading /proc/self/mountinfo and /proc/self/cgroup:
   for mountinfo the kernel prints every mount of the host, under the
   lock each mount and each new mount namespace takes.  runc, too, keeps
   its cgroup paths in its state.  A mount whose path has a separator is
   left out: that hierarchy is looked up in mountinfo again, as it was.  */
static char *
v1_state (const cg_manager *m, const cg_hierarchy *h)
{
  char *s = xstrdup ("");
  for (size_t i = 0; i < m->n_dirs; i++)
    {
      char *n = xasprintf ("%s%s%s:%s", s, i ? ";" : "",
                           m->dirs[i].controllers, m->dirs[i].path);
      free (s);
      s = n;
    }
  for (size_t i = 0; i < m->n_dirs; i++)
    if (state_safe (h[i].mountpoint) && state_safe (h[i].mount_root))
      {
        char *n = xasprintf ("%s;+%s@%s@%s:/", s, h[i].controllers,
                             h[i].mountpoint, h[i].mount_root);
        free (s);
        s = n;
      }
  return s;
}

static cgroup_manager *
new_unified (const char *cgroups_path, const char *id, berth_error **err)
{
  cg_manager *m = manager_alloc (CGROUP_MODE_UNIFIED);
  cleanup_free char *own = NULL;
  cleanup_free char *base = NULL;
  cg_dir *d;

  d = add_dir (m);
  d->controllers = xstrdup ("");
  d->mountpoint = xstrdup (V2_MOUNTPOINT);
  d->unified = true;
  if (cgroups_path == NULL || cgroups_path[0] != '/')
    {
      if (cg_detect_own_v2 (&own, err) < 0)
        goto fail;
      /* berth's own cgroup holds processes (berth's at least): the
         no-internal-process rule would forbid enabling controllers in it,
         so relative paths live beside it, as runc's.  */
      base = cg_path_parent (own);
    }
  if (cg_resolve_path (cgroups_path, id, base, &d->path, err) < 0)
    goto fail;
  d->dir = cg_hierarchy_dir (V2_MOUNTPOINT, "/", d->path);
  m->base.state = xstrdup (d->path);
  return &m->base;
fail:
  cg_manager_release (&m->base);
  return NULL;
}

static cgroup_manager *
new_v1 (cgroup_mode mode, const char *cgroups_path, const char *id,
        berth_error **err)
{
  cg_manager *m = manager_alloc (mode);
  cg_hierarchy *h = NULL;
  size_t n = 0;

  /* Validate the path once before it is resolved per hierarchy, so that a
     bad cgroupsPath reads the same on every host.  */
  {
    cleanup_free char *probe = NULL;
    if (cg_resolve_path (cgroups_path, id, "/", &probe, err) < 0)
      goto fail;
  }
  if (cg_detect_hierarchies (mode, &h, &n, err) < 0)
    goto fail;
  for (size_t i = 0; i < n; i++)
    {
      cg_dir *d = add_dir (m);
      cleanup_free char *parent = NULL;
      const char *base = h[i].own_path;

      d->unified = h[i].controllers[0] == '\0';
      /* The cgroup2 hierarchy of a hybrid host follows the v2 rule: its
         controllers (hugetlb here) can only be enabled in a parent without
         processes.  */
      if (d->unified)
        base = parent = cg_path_parent (h[i].own_path);
      d->controllers = xstrdup (h[i].controllers);
      d->mountpoint = xstrdup (h[i].mountpoint);
      if (cg_resolve_path (cgroups_path, id, base, &d->path, err) < 0)
        goto fail;
      d->dir = cg_hierarchy_dir (h[i].mountpoint, h[i].mount_root, d->path);
    }
  m->base.state = v1_state (m, h);
  cg_hierarchies_free (h, n);
  return &m->base;
fail:
  cg_hierarchies_free (h, n);
  cg_manager_release (&m->base);
  return NULL;
}

/* With the rootless handling, berth makes a cgroup only where the
   directory it would be made in is writable by it: a cgroup v2 subtree
   delegated to the user (systemd's user@.service delegates one), or, for
   root with --rootless true, a hierarchy that is not read-only.  */
static bool
may_make (const char *dir)
{
  cleanup_free char *p = xstrdup (dir);

  for (;;)
    {
      char *slash;
      if (access (p, F_OK) == 0)
        return access (p, W_OK) == 0;
      slash = strrchr (p, '/');
      if (slash == NULL || slash == p)
        return false;
      *slash = '\0';
    }
}

/* The rootless handling: the cgroup when berth may make every directory
   of it; else, as runc, no cgroup at all when the config did not name
   one, and an error when it did.  runc keeps the v1 hierarchies it could
   make and drops the others; berth takes all or none, so that a
   container is never limited by half of its config.  */
static cgroup_manager *
new_rootless (cgroup_mode mode, const char *cgroups_path, const char *id,
              berth_error **err)
{
  bool named = cgroups_path != NULL && cgroups_path[0] != '\0';
  cgroup_manager *m;
  cg_manager *cm;

  m = mode == CGROUP_MODE_UNIFIED ? new_unified (cgroups_path, id, err)
                                  : new_v1 (mode, cgroups_path, id, err);
  if (m == NULL)
    return NULL;
  cm = (cg_manager *) m;
  for (size_t i = 0; i < cm->n_dirs; i++)
    if (!may_make (cm->dirs[i].dir))
      {
        if (named)
          berth_error_set (err, EACCES, "linux.cgroupsPath \"%s\": "
                           "cannot create %s (rootless cgroups: %s): it is "
                           "not in a subtree delegated to uid %u",
                           cgroups_path, cm->dirs[i].dir,
                           cgroup_rootless_reason (), (unsigned) geteuid ());
        else
          berth_debug ("no cgroup (rootless cgroups: %s): %s is not "
                       "writable", cgroup_rootless_reason (),
                       cm->dirs[i].dir);
        m->ops->free (m);
        return named ? NULL : cgroup_none_new (mode);
      }
  return m;
}

cgroup_manager *
cg_fs_manager_new (const char *cgroups_path, const char *id,
                   berth_error **err)
{
  cgroup_mode mode = cgroup_detect_mode ();
  if (cgroup_rootless ())
    return new_rootless (mode, cgroups_path, id, err);
  if (mode == CGROUP_MODE_UNIFIED)
    return new_unified (cgroups_path, id, err);
  return new_v1 (mode, cgroups_path, id, err);
}

static cgroup_manager *
load_unified (const char *state, berth_error **err)
{
  cg_manager *m;
  cg_dir *d;

  if (state[0] != '/' || strchr (state, ';') || strstr (state, "/.."))
    {
      berth_error_set (err, 0, "cgroup state \"%s\": not a cgroup path",
                       state);
      return NULL;
    }
  m = manager_alloc (CGROUP_MODE_UNIFIED);
  d = add_dir (m);
  d->controllers = xstrdup ("");
  d->mountpoint = xstrdup (V2_MOUNTPOINT);
  d->unified = true;
  d->path = xstrdup (state);
  d->dir = cg_hierarchy_dir (V2_MOUNTPOINT, "/", d->path);
  m->base.state = xstrdup (state);
  return &m->base;
}

static cgroup_manager *
load_v1 (cgroup_mode mode, const char *state, berth_error **err)
{
  cg_manager *m = manager_alloc (mode);
  cg_state_entry *e = NULL;
  cg_hierarchy *h = NULL;
  size_t n_e = 0, n = 0;
  bool read = false;

  if (cg_state_parse (state, &e, &n_e, err) < 0)
    goto fail;
  for (size_t k = 0; k < n_e; k++)
    {
      const char *mountpoint = e[k].mountpoint;
      const char *mount_root = e[k].mount_root;
      cg_dir *d;

      /* No mount in the state (an older berth's, or a mount path with a
         separator): where the hierarchy is mounted now, from mountinfo,
         read once for all such entries.  */
      if (mountpoint == NULL)
        {
          const cg_hierarchy *found = NULL;
          if (!read && cg_detect_hierarchies (mode, &h, &n, err) < 0)
            goto fail;
          read = true;
          for (size_t i = 0; i < n && !found; i++)
            if (strcmp (h[i].controllers, e[k].controllers) == 0)
              found = &h[i];
          if (found == NULL)
            {
              berth_debug ("cgroup hierarchy \"%s\" is no longer mounted",
                           e[k].controllers);
              continue;
            }
          mountpoint = found->mountpoint;
          mount_root = found->mount_root;
        }
      d = add_dir (m);
      d->unified = e[k].controllers[0] == '\0';
      d->controllers = xstrdup (e[k].controllers);
      d->mountpoint = xstrdup (mountpoint);
      d->path = xstrdup (e[k].path);
      d->dir = cg_hierarchy_dir (mountpoint, mount_root, d->path);
    }
  if (m->n_dirs == 0)
    {
      berth_error_set (err, 0,
                       "cgroup state \"%s\": none of its hierarchies is "
                       "mounted",
                       state);
      goto fail;
    }
  cg_state_entries_free (e, n_e);
  cg_hierarchies_free (h, n);
  m->base.state = xstrdup (state);
  return &m->base;
fail:
  cg_state_entries_free (e, n_e);
  cg_hierarchies_free (h, n);
  cg_manager_release (&m->base);
  return NULL;
}

cgroup_manager *
cg_fs_manager_load (cgroup_mode mode, const char *state, berth_error **err)
{
  switch (mode)
    {
    case CGROUP_MODE_UNIFIED:
      return load_unified (state, err);
    case CGROUP_MODE_HYBRID:
    case CGROUP_MODE_LEGACY:
      return load_v1 (mode, state, err);
    }
  berth_error_set (err, 0, "cgroup state: unknown cgroup mode %d", (int) mode);
  return NULL;
}
