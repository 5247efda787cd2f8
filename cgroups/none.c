/* berth: the manager of a container that has no cgroup.
 *
 * With the rootless cgroup handling (--rootless; by default when berth is
 * not root or is root in a user namespace), a berth that can neither
 * create nor join a cgroup (cgroup v1, cgroup v2 without a delegated
 * subtree, a read-only hierarchy) runs the container without one, as runc
 * does in rootless mode when no cgroupsPath was given.  Such
 * a container cannot be limited, paused or have its usage counted; what
 * needs only its processes (ps, kill --all) finds them through its pid
 * namespace instead of a cgroup.
 *
 * Its state string is "none:PID:PIDNS": the init's pid and the inode of
 * its pid namespace (0 when the container shares berth's own, and so has
 * no namespace of its own to enumerate).  */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "base/log.h"
#include "base/utils.h"
#include "cgroups/manager.h"

#define NONE_PREFIX "none:"

typedef struct none_manager
{
  cgroup_manager base;
  pid_t init;       /* 0 until the init is known */
  uint64_t pidns;   /* 0: berth's own pid namespace */
} none_manager;

static const char why[] = "the container has no cgroup (rootless "
                          "cgroups, and berth could not create or join one: "
                          "no cgroup v2 subtree delegated to it, or a "
                          "read-only hierarchy)";

static int
pidns_inode (pid_t pid, uint64_t *ino)
{
  char path[64];
  struct stat st;

  if (pid > 0)
    snprintf (path, sizeof path, "/proc/%d/ns/pid", (int) pid);
  else
    snprintf (path, sizeof path, "/proc/self/ns/pid");
  if (stat (path, &st) < 0)
    return -1;
  *ino = (uint64_t) st.st_ino;
  return 0;
}

static void
set_state (none_manager *m)
{
  free (m->base.state);
  m->base.state = xasprintf (NONE_PREFIX "%d:%" PRIu64, (int) m->init,
                             m->pidns);
}

static int
none_create (cgroup_manager *base, berth_error **err)
{
  return 0;
}

static int
none_clone_fd (cgroup_manager *base, berth_error **err)
{
  return -1;
}

/* Called with the init right after clone (create), and with each exec'd
   process: only the first one is the container's init.  */
static int
none_enter (cgroup_manager *base, pid_t pid, berth_error **err)
{
  none_manager *m = (none_manager *) base;
  uint64_t own = 0, ns = 0;

  if (m->init > 0)
    return 0;
  if (pidns_inode (pid, &ns) < 0)
    return berth_error_sys (err, "stat /proc/%d/ns/pid", (int) pid);
  if (pidns_inode (0, &own) < 0)
    return berth_error_sys (err, "stat /proc/self/ns/pid");
  m->init = pid;
  m->pidns = ns == own ? 0 : ns;
  set_state (m);
  return 0;
}

/* runc in rootless mode ignores the device rules (they cannot be enforced
   without a cgroup) but refuses every other limit: "cannot set ... limit:
   container could not join or create cgroup".  Same here.  */
static const char *
first_limit (const oci_resources *r)
{
  if (r->memory)
    return "memory";
  if (r->cpu)
    return "cpu";
  if (r->has_pids_limit)
    return "pids";
  if (r->block_io)
    return "blockIO";
  if (r->n_hugepage_limits)
    return "hugepageLimits";
  if (r->network)
    return "network";
  if (r->n_rdma)
    return "rdma";
  if (r->n_unified)
    return "unified";
  return NULL;
}

int
cgroup_none_check_resources (const oci_resources *r, berth_error **err)
{
  const char *field = r ? first_limit (r) : NULL;
  if (field == NULL)
    return 0;
  return berth_error_set (err, 0, "linux.resources.%s: cannot set the limit: "
                          "%s; remove the limits or run berth in a "
                          "delegated cgroup v2 subtree",
                          field, why);
}

static int
none_apply (cgroup_manager *base, const oci_resources *r, berth_error **err)
{
  return cgroup_none_check_resources (r, err);
}

static int
none_stats (cgroup_manager *base, cgroup_stats *out, berth_error **err)
{
  return berth_error_set (err, 0, "no usage to report: %s", why);
}

static int
none_oom_fd (cgroup_manager *base, bool *counts, berth_error **err)
{
  *counts = false;
  return -1;
}

static int
none_freeze (cgroup_manager *base, bool frozen, berth_error **err)
{
  return berth_error_set (err, 0, "cannot %s: %s",
                          frozen ? "pause" : "resume", why);
}

static bool
none_is_frozen (cgroup_manager *base)
{
  return false;
}

/* The processes of the container's pid namespace: each /proc/PID whose
   ns/pid is that namespace.  Without a namespace of its own only the init
   is known.  */
static int
none_pids (cgroup_manager *base, pid_t **pids, size_t *n, berth_error **err)
{
  none_manager *m = (none_manager *) base;
  cleanup_dir DIR *d = NULL;
  struct dirent *e;
  size_t cap = 0;

  *pids = NULL;
  *n = 0;
  if (m->init <= 0)
    return 0;
  if (m->pidns == 0)
    {
      if (kill (m->init, 0) == 0 || errno == EPERM)
        {
          *pids = xmalloc0 (sizeof **pids);
          (*pids)[(*n)++] = m->init;
        }
      return 0;
    }
  d = opendir ("/proc");
  if (d == NULL)
    return berth_error_sys (err, "open /proc");
  while ((e = readdir (d)))
    {
      char *end;
      long pid = strtol (e->d_name, &end, 10);
      uint64_t ns;

      if (*end != '\0' || pid <= 0)
        continue;
      if (pidns_inode ((pid_t) pid, &ns) < 0 || ns != m->pidns)
        continue;
      if (*n == cap)
        {
          cap = cap ? cap * 2 : 16;
          *pids = xrealloc (*pids, cap * sizeof **pids);
        }
      (*pids)[(*n)++] = (pid_t) pid;
    }
  return 0;
}

static int
none_kill_all (cgroup_manager *base, int signum, berth_error **err)
{
  cleanup_free pid_t *pids = NULL;
  size_t n = 0;

  if (none_pids (base, &pids, &n, err) < 0)
    return -1;
  for (size_t i = 0; i < n; i++)
    if (kill (pids[i], signum) < 0 && errno != ESRCH)
      return berth_error_sys (err, "kill %d", (int) pids[i]);
  return 0;
}

/* What a cgroup's destroy guarantees, by the pid namespace: whatever is
   left is killed, and this returns once the kernel has taken every
   process out of it (a zombie has no namespace any more).  */
static int
none_destroy (cgroup_manager *base, berth_error **err)
{
  none_manager *m = (none_manager *) base;
  struct timespec pause = { 0, 1000000 };

  if (m->pidns == 0)
    return 0;
  for (int i = 0; i < 10000; i++)
    {
      cleanup_free pid_t *pids = NULL;
      size_t n = 0;

      if (none_pids (base, &pids, &n, err) < 0)
        return -1;
      if (n == 0)
        return 0;
      for (size_t j = 0; j < n; j++)
        kill (pids[j], SIGKILL);
      nanosleep (&pause, NULL);
    }
  return berth_error_set (err, 0, "the container's processes did not exit "
                          "within 10 s of SIGKILL");
}

static void
none_free (cgroup_manager *base)
{
  if (base == NULL)
    return;
  free (base->state);
  free (base);
}

static const cgroup_ops none_ops = {
  .create = none_create,
  .clone_fd = none_clone_fd,
  .enter = none_enter,
  .apply = none_apply,
  .stats = none_stats,
  .oom_fd = none_oom_fd,
  .freeze = none_freeze,
  .is_frozen = none_is_frozen,
  .kill_all = none_kill_all,
  .pids = none_pids,
  .destroy = none_destroy,
  .free = none_free,
};

cgroup_manager *
cgroup_none_new (cgroup_mode mode)
{
  none_manager *m = xmalloc0 (sizeof *m);
  m->base.ops = &none_ops;
  m->base.mode = mode;
  set_state (m);
  return &m->base;
}

bool
cgroup_state_is_none (const char *state)
{
  return state && strncmp (state, NONE_PREFIX, strlen (NONE_PREFIX)) == 0;
}

cgroup_manager *
cgroup_none_load (cgroup_mode mode, const char *state, berth_error **err)
{
  none_manager *m;
  int pid = 0;
  uint64_t ns = 0;
  int used = 0;

  if (!cgroup_state_is_none (state)
      || sscanf (state + strlen (NONE_PREFIX), "%d:%" SCNu64 "%n", &pid, &ns,
                 &used)
             != 2
      || state[strlen (NONE_PREFIX) + used] != '\0' || pid < 0)
    {
      berth_error_set (err, 0, "cgroup state \"%s\": malformed", state);
      return NULL;
    }
  m = xmalloc0 (sizeof *m);
  m->base.ops = &none_ops;
  m->base.mode = mode;
  m->init = pid;
  m->pidns = ns;
  set_state (m);
  return &m->base;
}
