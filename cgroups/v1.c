/* berth: the cgroup v1 manager (legacy and hybrid hosts): one directory
 * per mounted hierarchy, and on a hybrid host one in the cgroup2 hierarchy
 * too, for what lives only there (hugetlb here) and for cgroup.kill and
 * cgroup.events.  */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <time.h>
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
sleep_ms (long ms)
{
  struct timespec ts = { .tv_sec = ms / 1000,
                         .tv_nsec = (ms % 1000) * 1000000 };
  while (nanosleep (&ts, &ts) < 0 && errno == EINTR)
    ;
}

static bool
exists (const char *dir)
{
  return cg_path_exists (dir);
}

/* A new cpuset cgroup starts with empty cpus and mems and cannot take a
   task: copy the parent's.  `fresh`: made just now, so empty (or, with
   the parent's cgroup.clone_children, already the parent's values,
   which the copy writes again): not read first.  */
static int
cpuset_init (const char *dir, bool fresh, berth_error **err)
{
  cleanup_free char *parent = xstrdup (dir);
  char *slash = strrchr (parent, '/');

  *slash = '\0';
  for (int i = 0; i < 2; i++)
    {
      const char *file = i == 0 ? "cpuset.cpus" : "cpuset.mems";
      cleanup_free char *mine = NULL;
      cleanup_free char *theirs = NULL;

      if (!fresh)
        {
          if (cg_read (dir, file, &mine, err) < 0)
            return -1;
          if (mine[strspn (mine, " \n")] != '\0')
            continue;
        }
      if (cg_read (parent, file, &theirs, err) < 0)
        return -1;
      if (theirs[strspn (theirs, " \n")] == '\0')
        return berth_error_set (err, 0,
                                "%s/%s is empty: its cpuset cannot hold tasks",
                                parent, file);
      if (cg_write (dir, file, theirs, err) < 0)
        return -1;
    }
  return 0;
}

/* A frozen cgroup (or one under a frozen ancestor, which freezer.state
   reports as FROZEN too) would stop the init at its first instruction and
   create would wait for it forever: refused before anything is made, from
   the nearest level that exists.  */
static int
freezer_check (const cg_dir *d, berth_error **err)
{
  cleanup_free char *dir = xstrdup (d->dir);
  cleanup_free char *state = NULL;
  size_t ml = strlen (d->mountpoint);

  while (strlen (dir) > ml && !exists (dir))
    *strrchr (dir, '/') = '\0';
  /* The root has no freezer.state: it cannot be frozen.  */
  if (strlen (dir) <= ml)
    return 0;
  if (cg_read (dir, "freezer.state", &state, err) < 0)
    return -1;
  state[strcspn (state, "\n")] = '\0';
  if (strcmp (state, "THAWED") != 0)
    return berth_error_set (err, 0, "cgroup %s (freezer) is %s%s%s: a "
                            "container cannot start in a frozen cgroup; "
                            "thaw it first", d->path, state,
                            strcmp (dir, d->dir) == 0 ? "" : " through ",
                            strcmp (dir, d->dir) == 0 ? "" : dir);
  return 0;
}

/* mkdir -p, one level at a time.  Every cpuset level, made now or found
   (a pod cgroup made with a plain mkdir), gets the cpus and mems of its
   parent when it has none, from the root down: as runc, since a task
   cannot join a cpuset whose cpus or mems are empty, nor can a child
   take them from an empty parent.  */
static int
mkdir_levels (const cg_dir *d, bool cpuset, bool *created, berth_error **err)
{
  cleanup_free char *dir = xstrdup (d->dir);
  size_t ml = strlen (d->mountpoint), len = strlen (dir);

  *created = false;
  for (size_t i = ml + 1; i <= len; i++)
    {
      bool made;
      if (i < len && dir[i] != '/')
        continue;
      dir[i] = '\0';
      if (cg_mkdir (dir) == 0)
        made = true;
      else if (errno == EEXIST)
        made = false;
      else
        return berth_error_sys (err, "mkdir %s", dir);
      if (cpuset && cpuset_init (dir, made, err) < 0)
        return -1;
      if (i == len)
        *created = made;
      else
        dir[i] = '/';
    }
  return 0;
}

int
cg_v1_mkdir (const cg_dir *d, bool *created, berth_error **err)
{
  bool cpuset = !d->unified && cg_controllers_has (d->controllers, "cpuset");

  /* Outside cpuset nothing is done per level: the cgroup itself first,
     the levels only when its parent is missing.  A mkdir of a level that
     exists (berth's own cgroup, a pod's) still takes the lock of the
     directory it is in, for writing, as every container's mkdir there
     does: one lock of each shared directory fewer per start.  */
  if (!cpuset)
    {
      int r = cg_mkdir (d->dir);
      if (r == 0 || errno == EEXIST)
        {
          *created = r == 0;
          return 0;
        }
      if (errno != ENOENT)
        return berth_error_sys (err, "mkdir %s", d->dir);
    }
  return mkdir_levels (d, cpuset, created, err);
}

/* One directory of the manager: made (*made), or found empty of
   processes.  */
static int
make_dir (const cg_dir *d, bool *made, berth_error **err)
{
  if (cg_v1_mkdir (d, made, err) < 0)
    return berth_error_wrap (err, "create cgroup %s (%s)", d->path,
                             d->unified ? "cgroup2" : d->controllers);
  if (!*made)
    {
      bool empty;
      if (cg_procs_empty (d->dir, &empty, err) < 0)
        return -1;
      if (!empty)
        return berth_error_set (err, 0,
                                "cgroup %s (%s) already exists and has "
                                "processes: another container uses it?",
                                d->path,
                                d->unified ? "cgroup2" : d->controllers);
    }
  return 0;
}

/* A failed create removes the directories it made, empty since nothing
   joined them yet (found ones, a pod's, stay).  */
static int
v1_create (cgroup_manager *base, berth_error **err)
{
  cg_manager *m = mgr (base);
  const cg_dir *freezer = cg_v1_dir (m, "freezer");
  cleanup_free bool *made = xmalloc0 (sizeof (bool) * (m->n_dirs + 1));

  if (!m->unified_made && freezer && freezer_check (freezer, err) < 0)
    return -1;
  for (size_t i = 0; i < m->n_dirs; i++)
    {
      if (m->dirs[i].unified && m->unified_made)
        continue;
      if (make_dir (&m->dirs[i], &made[i], err) < 0)
        {
          for (size_t k = 0; k <= i; k++)
            if (made[k])
              rmdir (m->dirs[k].dir);
          return -1;
        }
    }
  return 0;
}

/* What a child is cloned into before the rest is made (join.h): a hybrid
   host's cgroup2 directory.  The frozen-cgroup check comes first, so that
   a create that cannot start fails before clone.  */
static int
v1_create_for_clone (cgroup_manager *base, int *clone_fd, berth_error **err)
{
  cg_manager *m = mgr (base);
  const cg_dir *freezer = cg_v1_dir (m, "freezer");
  const cg_dir *unified = cg_unified_dir (m);

  *clone_fd = -1;
  if (freezer && freezer_check (freezer, err) < 0)
    return -1;
  m->unified_made = true;
  if (unified == NULL)
    return 0;
  if (make_dir (unified, &m->unified_fresh, err) < 0)
    return -1;
  return cg_v2_clone_dir_open (m, unified, clone_fd, err);
}

static void
v1_remove_for_clone (cgroup_manager *base)
{
  cg_manager *m = mgr (base);
  const cg_dir *unified = cg_unified_dir (m);

  if (unified)
    cg_v2_clone_dir_remove (m, unified);
}

static int
v1_clone_fd (cgroup_manager *m, berth_error **err)
{
  return -1;
}

static int
v1_enter (cgroup_manager *base, pid_t pid, berth_error **err)
{
  cg_manager *m = mgr (base);
  for (size_t i = 0; i < m->n_dirs; i++)
    if (cg_writef (m->dirs[i].dir, "cgroup.procs", err, "%d", (int) pid) < 0)
      return berth_error_wrap (err, "move process %d into cgroup %s (%s)",
                               (int) pid, m->dirs[i].path,
                               m->dirs[i].unified ? "cgroup2"
                                                  : m->dirs[i].controllers);
  return 0;
}

static int
v1_self_join (cgroup_manager *base, cgroup_join *j, berth_error **err)
{
  cg_manager *m = mgr (base);

  cgroup_join_init (j);
  for (size_t i = 0; i < m->n_dirs; i++)
    {
      const cg_dir *d = &m->dirs[i];
      cleanup_free char *path = NULL;
      int fd;

      if (d->unified && m->unified_made)
        continue; /* the child was cloned into it already */
      if (d->unified)
        fd = cg_open (d->dir, O_PATH | O_DIRECTORY);
      else if (j->n_fds == CGROUP_JOIN_MAX)
        {
          cgroup_join_close (j);
          return berth_error_set (err, 0, "more than %d cgroup v1 "
                                  "hierarchies", CGROUP_JOIN_MAX);
        }
      else
        {
          /* "tasks", not cgroup.procs: only a thread's move of itself
             goes without the global lock.  */
          path = xasprintf ("%s/tasks", d->dir);
          fd = cg_open (path, O_WRONLY);
        }
      if (fd < 0)
        {
          berth_error_sys (err, "open %s", path ? path : d->dir);
          cgroup_join_close (j);
          return -1;
        }
      if (d->unified)
        j->clone_fd = fd;
      else
        {
          j->paths[j->n_fds] = d->path;
          j->fds[j->n_fds++] = fd;
        }
    }
  return 0;
}

static uint64_t
opt_u64 (const cg_dir *d, const char *file)
{
  berth_error *err = NULL;
  uint64_t v = 0;
  if (d == NULL || cg_read_u64 (d->dir, file, &v, &err) < 0)
    {
      berth_error_free (err);
      return 0;
    }
  return v;
}

static char *
opt_text (const cg_dir *d, const char *file)
{
  berth_error *err = NULL;
  char *text = NULL;
  if (d == NULL || cg_read (d->dir, file, &text, &err) < 0)
    {
      berth_error_free (err);
      return xstrdup ("");
    }
  return text;
}

/* v1 reports "no limit" as the largest page-aligned value, not "max".  */
static void
v1_kernel_stats (const cg_dir *mem, cgroup_stats *s)
{
  s->kernel_usage = opt_u64 (mem, "memory.kmem.usage_in_bytes");
  s->kernel_max = opt_u64 (mem, "memory.kmem.max_usage_in_bytes");
  s->kernel_limit = opt_u64 (mem, "memory.kmem.limit_in_bytes");
  s->kernel_failcnt = opt_u64 (mem, "memory.kmem.failcnt");
  s->kernel_tcp_usage = opt_u64 (mem, "memory.kmem.tcp.usage_in_bytes");
  s->kernel_tcp_max = opt_u64 (mem, "memory.kmem.tcp.max_usage_in_bytes");
  s->kernel_tcp_limit = opt_u64 (mem, "memory.kmem.tcp.limit_in_bytes");
  s->kernel_tcp_failcnt = opt_u64 (mem, "memory.kmem.tcp.failcnt");
}

/* cpuacct.usage_percpu ("N N N ..."), and cpuacct.usage_all ("cpu user
   system" then one line per CPU) for the user and kernel split.  */
static void
v1_percpu_stats (const cg_dir *acct, cgroup_stats *s)
{
  cleanup_free char *percpu = opt_text (acct, "cpuacct.usage_percpu");
  cleanup_free char *all = opt_text (acct, "cpuacct.usage_all");
  char *p = percpu, *end;

  while (p && s->n_cpus < CG_STATS_MAX_CPUS)
    {
      uint64_t v = strtoull (p, &end, 10);
      if (end == p)
        break;
      s->cpu_percpu_ns[s->n_cpus++] = v;
      p = end;
    }
  p = all ? strchr (all, '\n') : NULL;
  while (p && s->n_cpus_split < s->n_cpus)
    {
      unsigned long long cpu, user, sys;
      if (sscanf (p + 1, "%llu %llu %llu", &cpu, &user, &sys) != 3
          || cpu != s->n_cpus_split)
        break;
      s->cpu_percpu_user_ns[s->n_cpus_split] = user;
      s->cpu_percpu_kernel_ns[s->n_cpus_split++] = sys;
      p = strchr (p + 1, '\n');
    }
}

/* "0-3,8" into out[], at most CG_STATS_MAX_CPUS entries.  */
static size_t
expand_list (const char *text, uint16_t *out)
{
  const char *p = text;
  size_t n = 0;
  char *end;

  while (p && *p && *p != '\n')
    {
      unsigned long a = strtoul (p, &end, 10), b = a;
      if (end == p)
        break;
      if (*end == '-')
        {
          p = end + 1;
          b = strtoul (p, &end, 10);
          if (end == p)
            break;
        }
      for (unsigned long i = a; i <= b && i <= UINT16_MAX
                                && n < CG_STATS_MAX_CPUS; i++)
        out[n++] = (uint16_t) i;
      p = *end == ',' ? end + 1 : NULL;
    }
  return n;
}

static void
v1_cpuset_stats (const cg_dir *cpuset, cgroup_stats *s)
{
  static const char *const flags[CG_STATS_CPUSET_FLAGS] = {
    "cpuset.cpu_exclusive",      "cpuset.mem_hardwall",
    "cpuset.mem_exclusive",      "cpuset.memory_migrate",
    "cpuset.memory_spread_page", "cpuset.memory_spread_slab",
    "cpuset.memory_pressure",    "cpuset.sched_load_balance",
    "cpuset.sched_relax_domain_level",
  };
  cleanup_free char *cpus = opt_text (cpuset, "cpuset.cpus");
  cleanup_free char *mems = opt_text (cpuset, "cpuset.mems");

  if (cpuset == NULL)
    return;
  s->has_cpuset = true;
  s->n_cpuset_cpus = expand_list (cpus, s->cpuset_cpus);
  s->n_cpuset_mems = expand_list (mems, s->cpuset_mems);
  for (int i = 0; i < CG_STATS_CPUSET_FLAGS; i++)
    {
      cleanup_free char *t = opt_text (cpuset, flags[i]);
      s->cpuset_flags[i] = t ? strtoll (t, NULL, 10) : 0;
    }
}

static int
v1_stats (cgroup_manager *base, cgroup_stats *s, berth_error **err)
{
  cg_manager *m = mgr (base);
  const cg_dir *acct = cg_v1_dir (m, "cpuacct");
  const cg_dir *cpu = cg_v1_dir (m, "cpu");
  const cg_dir *mem = cg_v1_dir (m, "memory");
  const cg_dir *pids = cg_v1_dir (m, "pids");
  const cg_dir *blkio = cg_v1_dir (m, "blkio");
  cleanup_free char *cpu_stat = opt_text (cpu, "cpu.stat");
  cleanup_free char *mem_stat = opt_text (mem, "memory.stat");
  cleanup_free char *oom = opt_text (mem, "memory.oom_control");
  cleanup_free char *bytes
      = opt_text (blkio, "blkio.throttle.io_service_bytes_recursive");
  cleanup_free char *ios = opt_text (blkio,
                                     "blkio.throttle.io_serviced_recursive");
  uint64_t v;

  memset (s, 0, sizeof *s);
  if (!exists (m->dirs[0].dir))
    return berth_error_sys (err, "cgroup %s", m->dirs[0].dir);
  s->cpu_usage_total_ns = opt_u64 (acct, "cpuacct.usage");
  if (acct && cg_exists (acct->dir, "cpuacct.usage_user"))
    {
      s->cpu_usage_user_ns = opt_u64 (acct, "cpuacct.usage_user");
      s->cpu_usage_kernel_ns = opt_u64 (acct, "cpuacct.usage_sys");
    }
  else
    {
      /* cpuacct.stat counts USER_HZ ticks.  */
      cleanup_free char *stat = opt_text (acct, "cpuacct.stat");
      long hz = sysconf (_SC_CLK_TCK);
      uint64_t ns_per_tick = hz > 0 ? 1000000000ULL / (uint64_t) hz : 10000000;
      if (cg_kv_get (stat, "user", &v))
        s->cpu_usage_user_ns = v * ns_per_tick;
      if (cg_kv_get (stat, "system", &v))
        s->cpu_usage_kernel_ns = v * ns_per_tick;
    }
  if (cg_kv_get (cpu_stat, "nr_periods", &v))
    s->cpu_throttling_periods = v;
  if (cg_kv_get (cpu_stat, "nr_throttled", &v))
    s->cpu_throttling_throttled_periods = v;
  if (cg_kv_get (cpu_stat, "throttled_time", &v))
    s->cpu_throttling_throttled_time_ns = v;

  s->memory_usage = opt_u64 (mem, "memory.usage_in_bytes");
  s->memory_max_usage = opt_u64 (mem, "memory.max_usage_in_bytes");
  /* The files' values, as runc reports them (engines compare them with
     what they read from the same files).  */
  s->memory_limit = mem ? opt_u64 (mem, "memory.limit_in_bytes") : UINT64_MAX;
  s->memory_failcnt = opt_u64 (mem, "memory.failcnt");
  s->memory_swap_usage = opt_u64 (mem, "memory.memsw.usage_in_bytes");
  s->memory_swap_max = opt_u64 (mem, "memory.memsw.max_usage_in_bytes");
  s->memory_swap_failcnt = opt_u64 (mem, "memory.memsw.failcnt");
  s->memory_swap_limit
      = mem && cg_exists (mem->dir, "memory.memsw.limit_in_bytes")
            ? opt_u64 (mem, "memory.memsw.limit_in_bytes")
            : UINT64_MAX;
  v1_kernel_stats (mem, s);
  cg_kv_all (mem_stat, s);
  v1_percpu_stats (acct, s);
  v1_cpuset_stats (cg_v1_dir (m, "cpuset"), s);
  if (cg_kv_get (mem_stat, "cache", &v))
    s->memory_cache = v;
  if (cg_kv_get (oom, "oom_kill", &v))
    s->memory_oom_events = v;

  s->pids_current = opt_u64 (pids, "pids.current");
  v = opt_u64 (pids, "pids.max");
  s->pids_limit = v == UINT64_MAX ? 0 : v;

  cg_blkio_parse (bytes, true, s);
  cg_blkio_parse (ios, false, s);
  return 0;
}

static bool
state_is (const cg_dir *freezer, const char *want)
{
  cleanup_free char *state = opt_text (freezer, "freezer.state");
  return strncmp (state, want, strlen (want)) == 0
         && (state[strlen (want)] == '\n' || state[strlen (want)] == '\0');
}

/* The v1 freezer has no change notification (no cgroup.events, no poll
   support on freezer.state): re-read with short, growing sleeps, writing
   the state again now and then as tasks forked meanwhile may need it.  */
static int
set_freezer (const cg_dir *freezer, bool frozen, berth_error **err)
{
  const char *want = frozen ? "FROZEN" : "THAWED";
  int64_t deadline = cg_now_ms () + CG_WAIT_MS, last_write;
  long pause = 1;

  if (cg_write (freezer->dir, "freezer.state", want, err) < 0)
    return -1;
  last_write = cg_now_ms ();
  while (!state_is (freezer, want))
    {
      int64_t now = cg_now_ms ();
      if (now >= deadline)
        {
          if (frozen)
            {
              berth_error *ignored = NULL;
              cg_write (freezer->dir, "freezer.state", "THAWED", &ignored);
              berth_error_free (ignored);
            }
          return berth_error_set (err, ETIMEDOUT,
                                  "%s/freezer.state: still not %s after %d ms",
                                  freezer->dir, want, CG_WAIT_MS);
        }
      if (now - last_write >= 100)
        {
          if (cg_write (freezer->dir, "freezer.state", want, err) < 0)
            return -1;
          last_write = now;
        }
      sleep_ms (pause);
      if (pause < 16)
        pause *= 2;
    }
  return 0;
}

static int
v1_freeze (cgroup_manager *base, bool frozen, berth_error **err)
{
  const cg_dir *freezer = cg_v1_dir (mgr (base), "freezer");

  if (freezer == NULL)
    return berth_error_set (err, 0,
                            "%s: no freezer cgroup hierarchy is mounted",
                            frozen ? "pause" : "resume");
  if (set_freezer (freezer, frozen, err) < 0)
    return berth_error_wrap (err, "%s cgroup %s", frozen ? "freeze" : "thaw",
                             freezer->path);
  return 0;
}

static bool
v1_is_frozen (cgroup_manager *base)
{
  const cg_dir *freezer = cg_v1_dir (mgr (base), "freezer");
  return freezer && state_is (freezer, "FROZEN");
}

/* The directory whose cgroup.procs lists the container's processes: the
   freezer's (kill_all freezes it), else any.  */
static const cg_dir *
primary (const cg_manager *m)
{
  const cg_dir *d = cg_v1_dir (m, "freezer");
  return d ? d : &m->dirs[0];
}

static int
kill_all (cg_manager *m, int signum, berth_error **err)
{
  const cg_dir *freezer = cg_v1_dir (m, "freezer");
  const cg_dir *unified = cg_unified_dir (m);
  const cg_dir *procs = primary (m);
  bool was_frozen;

  if (!exists (procs->dir))
    return 0;
  if (freezer == NULL)
    return cg_signal_procs (procs->dir, signum, err);
  /* An empty cgroup has nobody to fork: after `run`'s init has exited,
     freezing it would only cost the freezer's round trips (several ms on
     v1) for nothing.  */
  {
    cleanup_free pid_t *pids = NULL;
    size_t n = 0;
    if (cg_procs_recursive (procs->dir, &pids, &n, err) < 0)
      return -1;
    if (n == 0)
      return 0;
  }
  /* Frozen, nothing forks between the listing and the signals.  */
  was_frozen = state_is (freezer, "FROZEN");
  if (!was_frozen && set_freezer (freezer, true, err) < 0)
    return -1;
  if (signum == SIGKILL && unified && cg_exists (unified->dir, "cgroup.kill"))
    {
      if (cg_write (unified->dir, "cgroup.kill", "1", err) < 0)
        return -1;
    }
  else if (cg_signal_procs (procs->dir, signum, err) < 0)
    return -1;
  /* v1 frozen tasks act on a signal only once thawed: always thaw for
     SIGKILL, else restore a pause that was there before.  */
  if ((!was_frozen || signum == SIGKILL)
      && set_freezer (freezer, false, err) < 0)
    return -1;
  return 0;
}

static int
v1_kill_all (cgroup_manager *base, int signum, berth_error **err)
{
  if (kill_all (mgr (base), signum, err) < 0)
    return berth_error_wrap (err, "signal %d to cgroup %s", signum,
                             primary (mgr (base))->path);
  return 0;
}

static int
v1_pids (cgroup_manager *base, pid_t **pids, size_t *n, berth_error **err)
{
  const cg_dir *d = primary (mgr (base));
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

static int
v1_destroy (cgroup_manager *base, berth_error **err)
{
  cg_manager *m = mgr (base);
  const cg_dir *unified = cg_unified_dir (m);

  if (cg_rmdir_all_empty (m))
    return 0;
  if (kill_all (m, SIGKILL, err) < 0)
    {
      if (!(*err && (*err)->errnum == ENOENT))
        return berth_error_wrap (err, "remove cgroup %s", m->dirs[0].path);
      berth_error_clear (err);
    }
  /* Processes a partial create left in one hierarchy only.  */
  for (size_t i = 0; i < m->n_dirs; i++)
    if (exists (m->dirs[i].dir)
        && cg_signal_procs (m->dirs[i].dir, SIGKILL, err) < 0)
      {
        if (!(*err && (*err)->errnum == ENOENT))
          return berth_error_wrap (err, "remove cgroup %s", m->dirs[i].path);
        berth_error_clear (err);
      }
  /* The cgroup2 directory of a hybrid host says when all have exited;
     without it, rmdir's EBUSY retries are the wait.  */
  if (unified && exists (unified->dir) && cg_v2_wait_empty (unified, err) < 0)
    return berth_error_wrap (err, "remove cgroup %s", unified->path);
  for (size_t i = 0; i < m->n_dirs; i++)
    if (cg_rmdir_tree (m->dirs[i].dir, err) < 0)
      return berth_error_wrap (err, "remove cgroup %s", m->dirs[i].path);
  return 0;
}

/* cgroup v1's notification API: an eventfd and memory.oom_control written
   to cgroup.event_control.  The registration lives as long as the eventfd
   (or the cgroup).  */
static int
v1_oom_fd (cgroup_manager *base, bool *counts, berth_error **err)
{
  const cg_dir *mem = cg_v1_dir (mgr (base), "memory");
  cleanup_free char *path = NULL;
  cleanup_close int efd = -1;
  cleanup_close int cfd = -1;

  if (mem == NULL)
    {
      /* Hybrid hosts may have memory in cgroup2 only.  */
      const cg_dir *u = cg_unified_dir (mgr (base));
      *counts = false;
      if (u && cg_exists (u->dir, "memory.events"))
        return cg_watch_file (u, "memory.events", err);
      return -1;
    }
  *counts = true;
  path = xasprintf ("%s/memory.oom_control", mem->dir);
  cfd = cg_open (path, O_RDONLY);
  if (cfd < 0)
    return berth_error_sys (err, "cgroup %s: open memory.oom_control",
                            mem->path);
  efd = eventfd (0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (efd < 0)
    return berth_error_sys (err, "eventfd");
  if (cg_writef (mem->dir, "cgroup.event_control", err, "%d %d", efd, cfd)
      < 0)
    return berth_error_wrap (err, "cgroup %s: OOM notification",
                             mem->path);
  return steal_fd (&efd);
}

const cgroup_ops cg_v1_ops = {
  .create = v1_create,
  .create_for_clone = v1_create_for_clone,
  .remove_for_clone = v1_remove_for_clone,
  .clone_fd = v1_clone_fd,
  .enter = v1_enter,
  .self_join = v1_self_join,
  .apply = cg_v1_apply,
  .stats = v1_stats,
  .oom_fd = v1_oom_fd,
  .freeze = v1_freeze,
  .is_frozen = v1_is_frozen,
  .kill_all = v1_kill_all,
  .pids = v1_pids,
  .destroy = v1_destroy,
  .free = cg_manager_release,
};
