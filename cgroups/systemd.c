/* berth: the systemd cgroup driver (--systemd-cgroup).
 *
 * The container lives in a transient unit (a scope "prefix-name.scope" in
 * the slice of linux.cgroupsPath, or a slice) that systemd creates over
 * D-Bus with Delegate=yes.  Its cgroup files are then the filesystem
 * manager's (v2 or v1), made for the unit's path: what systemd has no
 * property for (and, as runc, everything else too, with the same values)
 * is written there.
 *
 * The order at create: ->create and ->apply only compute the properties
 * (and check them); the init is cloned and waits on its sync socket before
 * it does anything; ->enter(pid) asks systemd for the scope with PIDs=[pid]
 * and waits for the start job, then joins the other hierarchies (v1),
 * writes the files, checks /proc/PID/cgroup, and only then is the init let
 * go.  So the init never runs an instruction of the container outside the
 * scope.  crun does the same; runc starts the unit from its parent while
 * runc-init waits too.
 *
 * m->state: "systemd;<unit>;<the filesystem manager's state>".  */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "base/log.h"
#include "base/utils.h"
#include "cgroups/hierarchies.h"
#include "cgroups/internal.h"
#include "cgroups/systemd-dbus.h"
#include "cgroups/systemd-props.h"
#include "cgroups/systemd.h"
#include "cgroups/validate.h"

#define STATE_PREFIX "systemd;"

typedef struct sd_manager
{
  cgroup_manager base;
  cgroup_manager *fs;     /* the unit's cgroup files */
  char *unit;
  char *slice;            /* NULL for a slice unit */
  char *path;
  char *id;
  bool owned;             /* systemd took our start job: ours to stop */
  bool started;           /* the unit holds the container */
  oci_resources *pending; /* create: written once the unit exists */
  sd_bus *bus;
  bool user;              /* rootless: the user's own systemd */
} sd_manager;

static sd_manager *
sdm (cgroup_manager *m)
{
  return (sd_manager *) m;
}

static bool
unified (const sd_manager *m)
{
  return m->base.mode == CGROUP_MODE_UNIFIED;
}

/* ---- a copy of linux.resources (the caller's is gone by ->enter) ---- */

static void *
dup_mem (const void *p, size_t size)
{
  void *c;
  if (p == NULL)
    return NULL;
  c = xmalloc0 (size ? size : 1);
  memcpy (c, p, size);
  return c;
}

static char *
dup_str (const char *s)
{
  return s ? xstrdup (s) : NULL;
}

static oci_resources *
resources_dup (const oci_resources *r)
{
  oci_resources *c = dup_mem (r, sizeof *r);

  c->devices = dup_mem (r->devices, r->n_devices * sizeof *r->devices);
  for (size_t i = 0; i < r->n_devices; i++)
    c->devices[i].access = dup_str (r->devices[i].access);
  c->memory = dup_mem (r->memory, sizeof *r->memory);
  if (r->cpu)
    {
      c->cpu = dup_mem (r->cpu, sizeof *r->cpu);
      c->cpu->cpus = dup_str (r->cpu->cpus);
      c->cpu->mems = dup_str (r->cpu->mems);
    }
  if (r->block_io)
    {
      const oci_block_io *b = r->block_io;
      oci_block_io *d = c->block_io = dup_mem (b, sizeof *b);
      d->weight_device = dup_mem (b->weight_device, b->n_weight_device
                                                        * sizeof *b->weight_device);
#define DUP_THROTTLE(f)                                                     \
  d->f = dup_mem (b->f, b->n_##f * sizeof *b->f)
      DUP_THROTTLE (throttle_read_bps_device);
      DUP_THROTTLE (throttle_write_bps_device);
      DUP_THROTTLE (throttle_read_iops_device);
      DUP_THROTTLE (throttle_write_iops_device);
#undef DUP_THROTTLE
    }
  c->hugepage_limits = dup_mem (r->hugepage_limits, r->n_hugepage_limits
                                                        * sizeof *r->hugepage_limits);
  for (size_t i = 0; i < r->n_hugepage_limits; i++)
    c->hugepage_limits[i].page_size = dup_str (r->hugepage_limits[i].page_size);
  if (r->network)
    {
      c->network = dup_mem (r->network, sizeof *r->network);
      c->network->priorities = dup_mem (r->network->priorities,
                                        r->network->n_priorities
                                            * sizeof *r->network->priorities);
      for (size_t i = 0; i < r->network->n_priorities; i++)
        c->network->priorities[i].name = dup_str (r->network->priorities[i].name);
    }
  c->rdma = dup_mem (r->rdma, r->n_rdma * sizeof *r->rdma);
  for (size_t i = 0; i < r->n_rdma; i++)
    c->rdma[i].device = dup_str (r->rdma[i].device);
  c->unified = dup_mem (r->unified, r->n_unified * sizeof *r->unified);
  for (size_t i = 0; i < r->n_unified; i++)
    {
      c->unified[i].key = dup_str (r->unified[i].key);
      c->unified[i].value = dup_str (r->unified[i].value);
    }
  return c;
}

/* ---- D-Bus --------------------------------------------------------------- */

static int
bus (sd_manager *m, berth_error **err)
{
  if (m->bus)
    return 0;
  if (m->user)
    return cg_sd_bus_open_user (&m->bus, err);
  return cg_sd_bus_open (&m->bus, err);
}

static int
resource_props (sd_manager *m, const oci_resources *r, sd_props *p,
                berth_error **err)
{
  cleanup_free char *devices = NULL;
  size_t len;
  berth_error *ignored = NULL;

  /* For device rules with a wildcard minor ("char-pts").  */
  if (read_file_at (AT_FDCWD, "/proc/devices", &devices, &len, &ignored) < 0)
    berth_error_free (ignored);
  return cg_sd_resources_props (p, r, unified (m), devices, err);
}

/* ---- ops ---------------------------------------------------------------- */

static int
sd_create (cgroup_manager *base, berth_error **err)
{
  /* The unit needs the init's pid: ->enter makes it.  */
  return 0;
}

static int
sd_clone_fd (cgroup_manager *base, berth_error **err)
{
  sd_manager *m = sdm (base);
  /* Before the unit exists the init is placed by ->enter; after (exec),
     straight into the unit's cgroup.  */
  if (!m->started)
    return -1;
  return m->fs->ops->clone_fd (m->fs, err);
}

static int
sd_self_join (cgroup_manager *base, cgroup_join *j, berth_error **err)
{
  sd_manager *m = sdm (base);
  /* Before the unit exists the init is placed by ->enter (systemd moves
     it); after (exec), into the unit's cgroups as any v1 cgroup.  */
  cgroup_join_init (j);
  if (!m->started || m->fs->ops->self_join == NULL)
    return 0;
  return m->fs->ops->self_join (m->fs, j, err);
}

/* The kernel's word on where pid is: v2 (and hybrid's cgroup2 line).  */
static int
check_placed (sd_manager *m, pid_t pid, berth_error **err)
{
  cleanup_free char *file = xasprintf ("/proc/%d/cgroup", (int) pid);
  cleanup_free char *text = NULL;
  cleanup_free char *where = NULL;
  size_t len;
  const cg_dir *d;
  const cg_manager *fs = (const cg_manager *) m->fs;

  d = unified (m) ? &fs->dirs[0] : cg_unified_dir (fs);
  if (d == NULL)
    return 0;
  if (read_file_at (AT_FDCWD, file, &text, &len, err) < 0)
    return -1;
  if (cg_proc_cgroup_v2_path (text, &where, err) < 0)
    return -1;
  if (strcmp (where, d->path) != 0)
    return berth_error_set (err, 0, "systemd: unit %s: process %d is in "
                            "cgroup %s, not in the unit's %s",
                            m->unit, (int) pid, where, d->path);
  return 0;
}

static int
start_unit (sd_manager *m, pid_t pid, berth_error **err)
{
  cg_manager *fs = (cg_manager *) m->fs;
  sd_props p = { 0 };
  int ret = -1;

  if (bus (m, err) < 0)
    return -1;
  sd_props_str (&p, "Description", m->id);
  sd_props_bool (&p, "Delegate", true);
  sd_props_bool (&p, "MemoryAccounting", true);
  sd_props_bool (&p, "CPUAccounting", true);
  sd_props_bool (&p, "TasksAccounting", true);
  sd_props_bool (&p, unified (m) ? "IOAccounting" : "BlockIOAccounting", true);
  if (m->slice)
    /* As runc: the scope is not ordered after anything of the slice's.  */
    sd_props_bool (&p, "DefaultDependencies", false);
  if (m->pending && resource_props (m, m->pending, &p, err) < 0)
    goto out;
  /* A slice holds no processes of its own in systemd's eyes: the init is
     put in its cgroup below (runc does the same).  */
  if (cg_sd_start_unit (m->bus, m->unit, m->slice, &p, m->slice ? pid : 0,
                        err)
      < 0)
    {
      /* A failed job may leave the unit loaded (failed): ours to reset.
         "already exists" is another container's: never touched.  */
      m->owned = (*err)->msg && strstr ((*err)->msg, "job ended") != NULL;
      goto out;
    }
  m->owned = true;
  for (size_t i = 0; i < fs->n_dirs; i++)
    {
      cg_dir *d = &fs->dirs[i];
      bool created;

      /* The controllers systemd does not delegate (hugetlb, rdma, misc),
         as runc's own enabling: each missing one noted for the apply
         that needs it.  */
      if (d->unified)
        cg_v2_enable (d, NULL, &fs->enable_failure);
      /* v1 hierarchies systemd does not manage (cpuset, net_cls...); a
         new cpuset level gets its parent's cpus and mems, or no task
         could join it (ENOSPC).  */
      if ((d->unified ? cg_mkdir_p (d->dir, &created, err)
                      : cg_v1_mkdir (d, &created, err))
          < 0)
        goto out;
    }
  if (m->fs->ops->enter (m->fs, pid, err) < 0)
    goto out;
  if (m->pending && m->fs->ops->apply (m->fs, m->pending, err) < 0)
    goto out;
  if (check_placed (m, pid, err) < 0)
    goto out;
  m->started = true;
  ret = 0;
out:
  sd_props_free (&p);
  return ret;
}

static int
sd_enter (cgroup_manager *base, pid_t pid, berth_error **err)
{
  sd_manager *m = sdm (base);
  if (m->started)
    return m->fs->ops->enter (m->fs, pid, err);
  return start_unit (m, pid, err);
}

static int
sd_apply (cgroup_manager *base, const oci_resources *r, berth_error **err)
{
  sd_manager *m = sdm (base);
  sd_props p = { 0 };
  int ret;

  if (r == NULL)
    return 0;
  if (!m->started)
    {
      /* Checked now (a bad value fails create before anything runs),
         sent with the unit.  */
      ret = resource_props (m, r, &p, err);
      sd_props_free (&p);
      if (ret < 0)
        return -1;
      if (m->pending)
        oci_resources_free (m->pending);
      m->pending = resources_dup (r);
      return 0;
    }
  return cg_systemd_update (base, r, err);
}

int
cg_systemd_update (cgroup_manager *base, const oci_resources *r,
                   berth_error **err)
{
  sd_manager *m = sdm (base);
  sd_props p = { 0 }, old = { 0 };
  berth_error *put_back = NULL;
  cleanup_free char *tail = NULL;
  char *msg;
  int ret = -1;

  /* runc's order: the unit's properties, then the files (so the files end
     with berth's exact values, as at create: systemd rounds some, such as
     CPUQuotaPerSecUSec).  The whole update is checked before either.  The
     files go all or nothing through their journal; when they refuse, the
     properties are put back as systemd had them before, read just before
     the change.  (A TasksMax systemd derived from DefaultTasksMax comes
     back as the same number, now explicit.)  */
  if (cgroup_resources_validate (base->mode, r, err) < 0)
    return berth_error_wrap (err, "linux.resources");
  if (resource_props (m, r, &p, err) < 0 || bus (m, err) < 0
      || cg_sd_get_properties (m->bus, m->unit, &p, &old, err) < 0
      || cg_sd_set_properties (m->bus, m->unit, &p, err) < 0)
    goto out;
  ret = cg_update_journaled (m->fs, r, err);
  if (ret == 0 || p.n == 0)
    goto out;
  if (cg_sd_set_properties (m->bus, m->unit, &old, &put_back) < 0)
    {
      tail = xasprintf ("; the properties of %s could not be put back: %s",
                        m->unit, put_back->msg);
      berth_error_free (put_back);
    }
  else
    tail = xasprintf ("; the properties of %s put back", m->unit);
  msg = xasprintf ("%s%s", (*err)->msg, tail);
  free ((*err)->msg);
  (*err)->msg = msg;
out:
  sd_props_free (&p);
  sd_props_free (&old);
  return ret;
}

static int
sd_stats (cgroup_manager *base, cgroup_stats *out, berth_error **err)
{
  cgroup_manager *fs = sdm (base)->fs;
  return fs->ops->stats (fs, out, err);
}

static int
sd_oom_fd (cgroup_manager *base, bool *counts, berth_error **err)
{
  cgroup_manager *fs = sdm (base)->fs;
  return fs->ops->oom_fd (fs, counts, err);
}

static int
sd_freeze (cgroup_manager *base, bool frozen, berth_error **err)
{
  cgroup_manager *fs = sdm (base)->fs;
  /* The kernel's freezer, as runc: systemd's FreezeUnit would freeze the
     same cgroup, and a unit frozen by systemd thaws on its reload.  */
  return fs->ops->freeze (fs, frozen, err);
}

static bool
sd_is_frozen (cgroup_manager *base)
{
  cgroup_manager *fs = sdm (base)->fs;
  return fs->ops->is_frozen (fs);
}

static int
stop (sd_manager *m, berth_error **err)
{
  if (!m->owned)
    return 0;
  if (bus (m, err) < 0 || cg_sd_stop_unit (m->bus, m->unit, err) < 0)
    return -1;
  m->started = false;
  return 0;
}

static int
sd_kill_all (cgroup_manager *base, int signum, berth_error **err)
{
  sd_manager *m = sdm (base);

  if (m->fs->ops->kill_all (m->fs, signum, err) < 0)
    return -1;
  /* kill --all KILL: the unit goes too, and berth waits for it.  */
  if (signum == SIGKILL)
    return stop (m, err);
  return 0;
}

static int
sd_pids (cgroup_manager *base, pid_t **pids, size_t *n, berth_error **err)
{
  cgroup_manager *fs = sdm (base)->fs;
  return fs->ops->pids (fs, pids, n, err);
}

static int
sd_destroy (cgroup_manager *base, berth_error **err)
{
  sd_manager *m = sdm (base);
  berth_error *kill_err = NULL;

  /* Never started by us (systemd refused the unit: its name may be
     another container's): nothing here is ours to kill or remove.  */
  if (!m->owned)
    return 0;
  /* SIGKILL first: stopping sends SIGTERM and waits up to the unit's
     stop timeout.  */
  if (m->fs->ops->kill_all (m->fs, SIGKILL, &kill_err) < 0)
    {
      berth_debug ("%s", kill_err->msg);
      berth_error_free (kill_err);
    }
  if (stop (m, err) < 0)
    return -1;
  /* What systemd did not make (v1 hierarchies it does not manage) or did
     not remove.  */
  return m->fs->ops->destroy (m->fs, err);
}

static void
sd_free (cgroup_manager *base)
{
  sd_manager *m = sdm (base);

  if (m == NULL)
    return;
  if (m->fs)
    m->fs->ops->free (m->fs);
  cg_sd_bus_close (m->bus);
  if (m->pending)
    oci_resources_free (m->pending);
  free (m->unit);
  free (m->slice);
  free (m->path);
  free (m->id);
  free (m->base.state);
  free (m);
}

static const cgroup_ops sd_ops = {
  .create = sd_create,
  .clone_fd = sd_clone_fd,
  .enter = sd_enter,
  .self_join = sd_self_join,
  .apply = sd_apply,
  .stats = sd_stats,
  .oom_fd = sd_oom_fd,
  .freeze = sd_freeze,
  .is_frozen = sd_is_frozen,
  .kill_all = sd_kill_all,
  .pids = sd_pids,
  .destroy = sd_destroy,
  .free = sd_free,
};

/* ---- making and loading ------------------------------------------------- */

static int
systemd_running (berth_error **err)
{
  /* sd_booted(3)'s test.  */
  if (access ("/run/systemd/system", F_OK) == 0)
    return 0;
  return berth_error_set (err, 0, "--systemd-cgroup: systemd is not the "
                          "init of this host (no /run/systemd/system): run "
                          "berth without --systemd-cgroup");
}

static sd_manager *
sd_alloc (cgroup_manager *fs, const char *unit, const char *slice,
          const char *path)
{
  sd_manager *m = xmalloc0 (sizeof *m);

  m->base.ops = &sd_ops;
  m->base.mode = fs->mode;
  m->fs = fs;
  m->unit = xstrdup (unit);
  m->slice = slice ? xstrdup (slice) : NULL;
  m->path = xstrdup (path);
  m->base.state = xasprintf (STATE_PREFIX "%s;%s", unit, fs->state);
  return m;
}

/* ---- rootless: the user's own systemd ------------------------------------ */

/* As runc's rootless systemd driver: the unit goes to the user's manager
   (its bus), the default slice is user.slice, and the cgroup is under
   the manager's own ("/user.slice/user-1000.slice/user@1000.service/
   user.slice/berth-ID.scope").  cgroup v2 only, as runc: systemd
   delegates nothing to a user on v1.  */
static int
user_unit_path (sd_bus **bus, const char *cgroups_path, const char *id,
                sd_unit_path *up, berth_error **err)
{
  cleanup_free char *with_slice = NULL;
  cleanup_free char *manager_cg = NULL;
  char *full;

  if (cgroup_detect_mode () != CGROUP_MODE_UNIFIED)
    return berth_error_set (err, 0, "--systemd-cgroup with rootless "
                            "cgroups (%s) needs cgroup v2: systemd "
                            "delegates no v1 hierarchy to a user",
                            cgroup_rootless_reason ());
  if (cgroups_path == NULL || cgroups_path[0] == '\0')
    cgroups_path = with_slice = xasprintf ("user.slice:berth:%s", id);
  else if (cgroups_path[0] == ':')
    cgroups_path = with_slice = xasprintf ("user.slice%s", cgroups_path);
  if (cg_sd_unit_path (cgroups_path, id, up, err) < 0)
    return -1;
  if (cg_sd_bus_open_user (bus, err) < 0
      || cg_sd_manager_cgroup (*bus, &manager_cg, err) < 0)
    {
      cg_sd_unit_path_free (up);
      return -1;
    }
  full = xasprintf ("%s%s", strcmp (manager_cg, "/") == 0 ? "" : manager_cg,
                    up->path);
  free (up->path);
  up->path = full;
  return 0;
}

cgroup_manager *
cgroup_manager_new_systemd (const char *cgroups_path, const char *id,
                            berth_error **err)
{
  bool user = cgroup_rootless ();
  sd_bus *user_bus = NULL;
  sd_unit_path up;
  cgroup_manager *fs;
  sd_manager *m;

  if (systemd_running (err) < 0)
    return NULL;
  if (user ? user_unit_path (&user_bus, cgroups_path, id, &up, err) < 0
           : cg_sd_unit_path (cgroups_path, id, &up, err) < 0)
    return NULL;
  fs = cg_fs_manager_new (up.path, id, err);
  if (fs == NULL)
    {
      cg_sd_bus_close (user_bus);
      cg_sd_unit_path_free (&up);
      return NULL;
    }
  m = sd_alloc (fs, up.unit, up.is_slice ? NULL : up.slice, up.path);
  m->id = xasprintf ("berth container %s", id);
  m->user = user;
  m->bus = user_bus;
  cg_sd_unit_path_free (&up);
  return &m->base;
}

bool
cg_systemd_state (const char *state)
{
  return state && strncmp (state, STATE_PREFIX, strlen (STATE_PREFIX)) == 0;
}

cgroup_manager *
cg_systemd_files (cgroup_manager *m)
{
  return sdm (m)->fs;
}

cgroup_manager *
cg_systemd_load (cgroup_mode mode, const char *state, berth_error **err)
{
  const char *unit = state + strlen (STATE_PREFIX);
  const char *semi = strchr (unit, ';');
  cleanup_free char *name = NULL;
  cgroup_manager *fs;
  sd_manager *m;

  if (semi == NULL || semi == unit)
    {
      berth_error_set (err, 0, "cgroup state \"%s\": not "
                       "\"systemd;UNIT;CGROUP\"", state);
      return NULL;
    }
  name = strndup (unit, (size_t) (semi - unit));
  fs = cg_fs_manager_load (mode, semi + 1, err);
  if (fs == NULL)
    return NULL;
  m = sd_alloc (fs, name, NULL, "");
  m->id = xstrdup (name);
  /* The bus follows --rootless, as runc's: the container is handled with
     the flags it was made with.  */
  m->user = cgroup_rootless ();
  m->owned = m->started = true;
  return &m->base;
}
