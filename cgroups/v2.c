/* berth: the cgroup v2 manager: one directory of the unified hierarchy.
 * Its pieces (enabling controllers, kill, waiting for empty) serve the
 * cgroup2 directory of a hybrid host too.  */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroups/internal.h"
#include "base/cleanup.h"
#include "base/log.h"
#include "base/utils.h"

static cg_manager *
mgr (cgroup_manager *m)
{
  return (cg_manager *) m;
}

static void
append_failure (char **failure, const char *msg)
{
  if (*failure)
    {
      char *joined = xasprintf ("%s; %s", *failure, msg);
      free (*failure);
      *failure = joined;
    }
  else
    *failure = xstrdup (msg);
}

static void
add_failure (char **failure, const char *ctrl, const char *dir, int errnum)
{
  cleanup_free char *msg = NULL;
  const char *hint = "";

  if (errnum == EBUSY)
    hint = " (that cgroup has processes, and the no-internal-process rule "
           "keeps controllers out of it: choose a linux.cgroupsPath whose "
           "ancestors hold no processes)";
  else if (errnum == EACCES || errnum == EPERM || errnum == EROFS)
    hint = " (berth may not write there)";
  msg = xasprintf ("enable %s in %s/cgroup.subtree_control: %s%s", ctrl, dir,
                   strerror (errnum), hint);
  append_failure (failure, msg);
}

static bool
wanted_has (const char *const *wanted, const char *ctrl)
{
  if (wanted == NULL)
    return true;
  for (; *wanted; wanted++)
    if (strcmp (*wanted, ctrl) == 0)
      return true;
  return false;
}

/* Enables the wanted controllers available in `dir` in its
   cgroup.subtree_control, all in one write, one by one when that fails
   (one refused controller must not block the others).  */
static void
enable_in (const char *dir, const char *const *wanted, char **failure)
{
  cleanup_free char *avail = NULL;
  cleanup_free char *enabled = NULL;
  cleanup_free char *all = xstrdup ("");
  berth_error *err = NULL;
  char *save = NULL;

  if (cg_read (dir, "cgroup.controllers", &avail, &err) < 0
      || cg_read (dir, "cgroup.subtree_control", &enabled, &err) < 0)
    {
      append_failure (failure, err->msg);
      berth_error_free (err);
      return;
    }
  for (char *c = strtok_r (avail, " \n", &save); c;
       c = strtok_r (NULL, " \n", &save))
    {
      char *n;
      if (!wanted_has (wanted, c) || cg_words_has (enabled, c))
        continue;
      n = xasprintf ("%s%s+%s", all, all[0] ? " " : "", c);
      free (all);
      all = n;
    }
  if (all[0] == '\0')
    return;
  /* The no-internal-process rule: a cgroup other than the root (which has
     no cgroup.type) cannot have processes and domain controllers for its
     children.  Do not try: enabling the threaded ones alone would turn it
     into a thread root behind its owner's back.  */
  if (cg_exists (dir, "cgroup.type"))
    {
      bool empty = true;
      if (cg_procs_empty (dir, &empty, &err) == 0 && !empty)
        {
          cleanup_free char *msg
              = xasprintf ("%s has processes, and the no-internal-process "
                           "rule keeps controllers (%s) out of it: choose a "
                           "linux.cgroupsPath whose ancestors hold no "
                           "processes",
                           dir, all);
          append_failure (failure, msg);
          return;
        }
      berth_error_clear (&err);
    }
  if (cg_write (dir, "cgroup.subtree_control", all, &err) == 0)
    return;
  berth_error_clear (&err);
  save = NULL;
  for (char *c = strtok_r (all, " ", &save); c; c = strtok_r (NULL, " ", &save))
    if (cg_write (dir, "cgroup.subtree_control", c, &err) < 0)
      {
        add_failure (failure, c, dir, err->errnum);
        berth_error_clear (&err);
      }
}

/* The directory below the mount ("/a/b"): every proper prefix of it,
   from the mount's root down, is an ancestor berth enables controllers
   in.  */
static const char *
below_mount (const cg_dir *d)
{
  size_t ml = strlen (d->mountpoint);
  if (strncmp (d->dir, d->mountpoint, ml) == 0)
    return d->dir + ml;
  return d->path;
}

void
cg_v2_enable (const cg_dir *d, const char *const *wanted, char **failure)
{
  size_t ml = strlen (d->mountpoint);
  cleanup_free char *dir = xasprintf ("%s%s", d->mountpoint, below_mount (d));
  size_t len = strlen (dir);

  for (size_t i = ml; i < len; i++)
    {
      char saved;
      if (dir[i] != '/')
        continue;
      saved = dir[i];
      dir[i] = '\0';
      enable_in (dir, wanted, failure);
      dir[i] = saved;
    }
}

int
cg_v2_require (const cg_dir *d, const char *controller, const char *field,
               const char *failure, berth_error **err)
{
  cleanup_free char *avail = NULL;

  if (cg_read (d->dir, "cgroup.controllers", &avail, err) < 0)
    return berth_error_wrap (err, "%s", field);
  if (cg_words_has (avail, controller))
    return 0;
  {
    /* Not in the hierarchy at all, or only not enabled down to here.  */
    cleanup_free char *root = NULL;
    berth_error *ignored = NULL;
    if (cg_read (d->mountpoint, "cgroup.controllers", &root, &ignored) == 0
        && !cg_words_has (root, controller))
      return berth_error_set (err, 0,
                              "%s: the %s controller is not in the cgroup2 "
                              "hierarchy at %s%s",
                              field, controller, d->mountpoint,
                              cgroup_detect_mode () == CGROUP_MODE_HYBRID
                                  ? " (on this hybrid host it is a cgroup v1 "
                                    "controller, or absent)"
                                  : " (not built into this kernel?)");
    berth_error_free (ignored);
  }
  if (failure)
    return berth_error_set (err, 0,
                            "%s: the %s controller is not available in %s: %s",
                            field, controller, d->dir, failure);
  return berth_error_set (err, 0,
                          "%s: the %s controller is not available in %s (not "
                          "enabled in its parent's cgroup.subtree_control)",
                          field, controller, d->dir);
}

static int
v2_create (cgroup_manager *base, berth_error **err)
{
  cg_manager *m = mgr (base);
  cg_dir *d = &m->dirs[0];
  bool created = false;

  /* Made before the clone, and the child is in it now.  */
  if (m->unified_made)
    return 0;
  if (cg_mkdir_p (d->dir, &created, err) < 0)
    return berth_error_wrap (err, "create cgroup %s", d->path);
  if (!created)
    {
      cleanup_free pid_t *pids = NULL;
      size_t n = 0;
      uint64_t frozen = 0;
      cleanup_free char *events = NULL;

      if (cg_procs_recursive (d->dir, &pids, &n, err) < 0)
        return berth_error_wrap (err, "create cgroup %s", d->path);
      if (n > 0)
        return berth_error_set (err, 0,
                                "cgroup %s already exists and has processes "
                                "(pid %d): another container uses it?",
                                d->path, (int) pids[0]);
      if (cg_read (d->dir, "cgroup.events", &events, err) < 0)
        return berth_error_wrap (err, "create cgroup %s", d->path);
      if (cg_kv_get (events, "frozen", &frozen) && frozen)
        return berth_error_set (err, 0, "cgroup %s already exists and is "
                                "frozen", d->path);
    }
  free (m->enable_failure);
  m->enable_failure = NULL;
  cg_v2_enable (d, NULL, &m->enable_failure);
  if (m->enable_failure)
    berth_debug ("cgroup %s: %s", d->path, m->enable_failure);
  m->unified_fresh = created;
  return 0;
}

int
cg_v2_clone_dir_open (cg_manager *m, const cg_dir *d, int *clone_fd,
                      berth_error **err)
{
  *clone_fd = cg_open (d->dir, O_PATH | O_DIRECTORY);
  if (*clone_fd >= 0)
    return 0;
  berth_error_sys (err, "open %s", d->dir);
  if (m->unified_fresh)
    rmdir (d->dir);
  m->unified_made = m->unified_fresh = false;
  return -1;
}

void
cg_v2_clone_dir_remove (const cg_manager *m, const cg_dir *d)
{
  berth_error *e = NULL;

  if (!m->unified_fresh)
    return;
  /* The child is gone, but the kernel empties the cgroup a little later
     (cgroup.events says when).  */
  if (cg_v2_wait_empty (d, &e) < 0 || cg_rmdir_tree (d->dir, &e) < 0)
    {
      berth_warn ("%s", e->msg);
      berth_error_free (e);
    }
}

/* The whole of ->create, checks included, and the fd to clone the child
   into: what is left for after the clone is ->apply, while the child
   sets up its namespaces.  */
static int
v2_create_for_clone (cgroup_manager *base, int *clone_fd, berth_error **err)
{
  cg_manager *m = mgr (base);

  *clone_fd = -1;
  if (v2_create (base, err) < 0)
    return -1;
  m->unified_made = true;
  return cg_v2_clone_dir_open (m, &m->dirs[0], clone_fd, err);
}

static void
v2_remove_for_clone (cgroup_manager *base)
{
  cg_manager *m = mgr (base);

  cg_v2_clone_dir_remove (m, &m->dirs[0]);
}

static int
v2_clone_fd (cgroup_manager *base, berth_error **err)
{
  const cg_dir *d = &mgr (base)->dirs[0];
  int fd = cg_open (d->dir, O_PATH | O_DIRECTORY);
  if (fd < 0)
    return berth_error_sys (err, "open %s", d->dir);
  return fd;
}

static int
v2_enter (cgroup_manager *base, pid_t pid, berth_error **err)
{
  const cg_dir *d = &mgr (base)->dirs[0];
  if (cg_writef (d->dir, "cgroup.procs", err, "%d", (int) pid) < 0)
    return berth_error_wrap (err, "move process %d into cgroup %s",
                             (int) pid, d->path);
  return 0;
}

/* A file of a controller that may not be enabled: 0 when absent.  */
static uint64_t
opt_u64 (const char *dir, const char *file)
{
  berth_error *err = NULL;
  uint64_t v = 0;
  if (cg_read_u64 (dir, file, &v, &err) < 0)
    {
      berth_error_free (err);
      return 0;
    }
  return v;
}

static char *
opt_text (const char *dir, const char *file)
{
  berth_error *err = NULL;
  char *text = NULL;
  if (cg_read (dir, file, &text, &err) < 0)
    {
      berth_error_free (err);
      return xstrdup ("");
    }
  return text;
}

static int
v2_stats (cgroup_manager *base, cgroup_stats *s, berth_error **err)
{
  const cg_dir *d = &mgr (base)->dirs[0];
  cleanup_free char *cpu = NULL;
  cleanup_free char *mem = NULL;
  cleanup_free char *events = NULL;
  cleanup_free char *io = NULL;
  uint64_t v, swap_max;

  memset (s, 0, sizeof *s);
  if (!cg_path_exists (d->dir))
    return berth_error_sys (err, "cgroup %s", d->dir);
  cpu = opt_text (d->dir, "cpu.stat");
  if (cg_kv_get (cpu, "usage_usec", &v))
    s->cpu_usage_total_ns = v * 1000;
  if (cg_kv_get (cpu, "user_usec", &v))
    s->cpu_usage_user_ns = v * 1000;
  if (cg_kv_get (cpu, "system_usec", &v))
    s->cpu_usage_kernel_ns = v * 1000;
  if (cg_kv_get (cpu, "nr_periods", &v))
    s->cpu_throttling_periods = v;
  if (cg_kv_get (cpu, "nr_throttled", &v))
    s->cpu_throttling_throttled_periods = v;
  if (cg_kv_get (cpu, "throttled_usec", &v))
    s->cpu_throttling_throttled_time_ns = v * 1000;

  s->memory_usage = opt_u64 (d->dir, "memory.current");
  s->memory_max_usage = opt_u64 (d->dir, "memory.peak");
  s->memory_limit = cg_exists (d->dir, "memory.max")
                        ? opt_u64 (d->dir, "memory.max")
                        : UINT64_MAX;
  /* memory+swap, as v1 reports it (and runc on v2).  */
  s->memory_swap_usage
      = s->memory_usage + opt_u64 (d->dir, "memory.swap.current");
  swap_max = cg_exists (d->dir, "memory.swap.max")
                 ? opt_u64 (d->dir, "memory.swap.max")
                 : UINT64_MAX;
  s->memory_swap_limit
      = (swap_max == UINT64_MAX || s->memory_limit == UINT64_MAX)
            ? UINT64_MAX
            : swap_max + s->memory_limit;
  mem = opt_text (d->dir, "memory.stat");
  if (cg_kv_get (mem, "file", &v))
    s->memory_cache = v;
  events = opt_text (d->dir, "memory.events");
  if (cg_kv_get (events, "oom_kill", &v))
    s->memory_oom_events = v;

  s->pids_current = opt_u64 (d->dir, "pids.current");
  v = opt_u64 (d->dir, "pids.max");
  s->pids_limit = v == UINT64_MAX ? 0 : v;

  io = opt_text (d->dir, "io.stat");
  cg_io_stat_parse (io, s);
  return 0;
}

static int
set_freeze (const cg_dir *d, bool frozen, berth_error **err)
{
  if (cg_write (d->dir, "cgroup.freeze", frozen ? "1" : "0", err) < 0)
    return -1;
  if (cg_wait_event (d->dir, "cgroup.events", "frozen", frozen ? 1 : 0,
                     CG_WAIT_MS, err)
      < 0)
    {
      /* Leave no half-frozen container behind.  */
      if (frozen)
        {
          berth_error *ignored = NULL;
          cg_write (d->dir, "cgroup.freeze", "0", &ignored);
          berth_error_free (ignored);
        }
      return -1;
    }
  return 0;
}

static int
v2_freeze (cgroup_manager *base, bool frozen, berth_error **err)
{
  const cg_dir *d = &mgr (base)->dirs[0];
  if (set_freeze (d, frozen, err) < 0)
    return berth_error_wrap (err, "%s cgroup %s", frozen ? "freeze" : "thaw",
                             d->path);
  return 0;
}

static bool
v2_is_frozen (cgroup_manager *base)
{
  const cg_dir *d = &mgr (base)->dirs[0];
  cleanup_free char *events = opt_text (d->dir, "cgroup.events");
  uint64_t v = 0;
  return cg_kv_get (events, "frozen", &v) && v == 1;
}

int
cg_v2_kill (const cg_dir *d, int signum, berth_error **err)
{
  cleanup_free char *events = NULL;
  uint64_t was_frozen = 0;

  if (signum == SIGKILL && cg_exists (d->dir, "cgroup.kill"))
    return cg_write (d->dir, "cgroup.kill", "1", err);
  if (signum != SIGKILL)
    return cg_signal_procs (d->dir, signum, err);
  /* Before cgroup.kill (Linux 5.14): freeze so that nothing forks while
     the list is walked; SIGKILL reaches frozen tasks on v2.  */
  events = opt_text (d->dir, "cgroup.events");
  cg_kv_get (events, "frozen", &was_frozen);
  if (!was_frozen && set_freeze (d, true, err) < 0)
    return -1;
  if (cg_signal_procs (d->dir, signum, err) < 0)
    return -1;
  if (!was_frozen && set_freeze (d, false, err) < 0)
    return -1;
  return 0;
}

static int
v2_kill_all (cgroup_manager *base, int signum, berth_error **err)
{
  const cg_dir *d = &mgr (base)->dirs[0];
  if (cg_v2_kill (d, signum, err) < 0)
    return berth_error_wrap (err, "signal %d to cgroup %s", signum, d->path);
  return 0;
}

static int
v2_pids (cgroup_manager *base, pid_t **pids, size_t *n, berth_error **err)
{
  const cg_dir *d = &mgr (base)->dirs[0];
  *pids = NULL;
  *n = 0;
  if (cg_procs_recursive (d->dir, pids, n, err) < 0)
    {
      free (*pids);
      *pids = NULL;
      *n = 0;
      return -1;
    }
  return 0;
}

int
cg_v2_wait_empty (const cg_dir *d, berth_error **err)
{
  if (cg_wait_event (d->dir, "cgroup.events", "populated", 0, CG_WAIT_MS, err)
      < 0)
    {
      if (*err && (*err)->errnum == ENOENT)
        {
          berth_error_clear (err);
          return 0;
        }
      return -1;
    }
  return 0;
}

static int
v2_oom_fd (cgroup_manager *base, bool *counts, berth_error **err)
{
  *counts = false;
  return cg_watch_file (&mgr (base)->dirs[0], "memory.events", err);
}

static int
v2_destroy (cgroup_manager *base, berth_error **err)
{
  const cg_dir *d = &mgr (base)->dirs[0];

  if (cg_rmdir_all_empty (mgr (base)))
    return 0;
  if (!cg_path_exists (d->dir) && errno == ENOENT)
    return 0;
  if (cg_v2_kill (d, SIGKILL, err) < 0 || cg_v2_wait_empty (d, err) < 0
      || cg_rmdir_tree (d->dir, err) < 0)
    {
      if (*err && (*err)->errnum == ENOENT)
        {
          berth_error_clear (err);
          return 0;
        }
      return berth_error_wrap (err, "remove cgroup %s", d->path);
    }
  return 0;
}

const cgroup_ops cg_v2_ops = {
  .create = v2_create,
  .create_for_clone = v2_create_for_clone,
  .remove_for_clone = v2_remove_for_clone,
  .clone_fd = v2_clone_fd,
  .enter = v2_enter,
  .apply = cg_v2_apply,
  .stats = v2_stats,
  .oom_fd = v2_oom_fd,
  .freeze = v2_freeze,
  .is_frozen = v2_is_frozen,
  .kill_all = v2_kill_all,
  .pids = v2_pids,
  .destroy = v2_destroy,
  .free = cg_manager_release,
};
