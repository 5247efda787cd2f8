#include "libcontainer/process/process.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/close_range.h>
#include <linux/keyctl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "libcontainer/process/cap-api.h"
#include "libcontainer/process/caps.h"
#include "base/cleanup.h"
#include "base/log.h"
#include "libcontainer/process/lsm.h"
#include "libcontainer/process/passwd.h"
#include "libcontainer/process/procfs.h"
#include "libcontainer/rootfs/safe-path.h"
#include "libcontainer/process/seccomp.h"
#include "base/utils.h"

#define N_ELEMS(a) (sizeof (a) / sizeof ((a)[0]))

#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/* ---- name tables ----------------------------------------------------------- */

static const struct
{
  const char *name;
  int resource;
} rlimit_names[] = {
  { "RLIMIT_AS", RLIMIT_AS },
  { "RLIMIT_CORE", RLIMIT_CORE },
  { "RLIMIT_CPU", RLIMIT_CPU },
  { "RLIMIT_DATA", RLIMIT_DATA },
  { "RLIMIT_FSIZE", RLIMIT_FSIZE },
  { "RLIMIT_LOCKS", RLIMIT_LOCKS },
  { "RLIMIT_MEMLOCK", RLIMIT_MEMLOCK },
  { "RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE },
  { "RLIMIT_NICE", RLIMIT_NICE },
  { "RLIMIT_NOFILE", RLIMIT_NOFILE },
  { "RLIMIT_NPROC", RLIMIT_NPROC },
  { "RLIMIT_RSS", RLIMIT_RSS },
  { "RLIMIT_RTPRIO", RLIMIT_RTPRIO },
  { "RLIMIT_RTTIME", RLIMIT_RTTIME },
  { "RLIMIT_SIGPENDING", RLIMIT_SIGPENDING },
  { "RLIMIT_STACK", RLIMIT_STACK },
};

/* The kernel's values (include/uapi/linux/sched.h); SCHED_ISO is reserved
   there and refused by mainline kernels, which sched_setattr reports.  */
enum
{
  POLICY_OTHER = 0,
  POLICY_FIFO = 1,
  POLICY_RR = 2,
  POLICY_BATCH = 3,
  POLICY_ISO = 4,
  POLICY_IDLE = 5,
  POLICY_DEADLINE = 6,
};

static const struct
{
  const char *name;
  uint32_t policy;
} policy_names[] = {
  { "SCHED_OTHER", POLICY_OTHER },       { "SCHED_FIFO", POLICY_FIFO },
  { "SCHED_RR", POLICY_RR },             { "SCHED_BATCH", POLICY_BATCH },
  { "SCHED_ISO", POLICY_ISO },           { "SCHED_IDLE", POLICY_IDLE },
  { "SCHED_DEADLINE", POLICY_DEADLINE },
};

static const struct
{
  const char *name;
  uint64_t flag;
} sched_flag_names[] = {
  { "SCHED_FLAG_RESET_ON_FORK", 0x01 },
  { "SCHED_FLAG_RECLAIM", 0x02 },
  { "SCHED_FLAG_DL_OVERRUN", 0x04 },
  { "SCHED_FLAG_KEEP_POLICY", 0x08 },
  { "SCHED_FLAG_KEEP_PARAMS", 0x10 },
  { "SCHED_FLAG_UTIL_CLAMP_MIN", 0x20 },
  { "SCHED_FLAG_UTIL_CLAMP_MAX", 0x40 },
};

/* include/uapi/linux/ioprio.h */
#define IOPRIO_CLASS_SHIFT 13
#define IOPRIO_WHO_PROCESS 1

static const struct
{
  const char *name;
  int class;
} ioprio_names[] = {
  { "IOPRIO_CLASS_RT", 1 },
  { "IOPRIO_CLASS_BE", 2 },
  { "IOPRIO_CLASS_IDLE", 3 },
};

static const struct
{
  const char *name;
  unsigned long persona;
} domain_names[] = {
  { "LINUX", PER_LINUX },
  { "LINUX32", PER_LINUX32 },
};

static int
lookup_rlimit (const char *name)
{
  for (size_t i = 0; i < N_ELEMS (rlimit_names); i++)
    if (name != NULL && strcmp (rlimit_names[i].name, name) == 0)
      return rlimit_names[i].resource;
  return -1;
}

static int
lookup_policy (const char *name, uint32_t *policy)
{
  for (size_t i = 0; i < N_ELEMS (policy_names); i++)
    if (name != NULL && strcmp (policy_names[i].name, name) == 0)
      {
        *policy = policy_names[i].policy;
        return 0;
      }
  return -1;
}

static int
lookup_sched_flag (const char *name, uint64_t *flag)
{
  for (size_t i = 0; i < N_ELEMS (sched_flag_names); i++)
    if (name != NULL && strcmp (sched_flag_names[i].name, name) == 0)
      {
        *flag = sched_flag_names[i].flag;
        return 0;
      }
  return -1;
}

static int
lookup_ioprio_class (const char *name)
{
  for (size_t i = 0; i < N_ELEMS (ioprio_names); i++)
    if (name != NULL && strcmp (ioprio_names[i].name, name) == 0)
      return ioprio_names[i].class;
  return -1;
}

static int
lookup_domain (const char *name, unsigned long *persona)
{
  for (size_t i = 0; i < N_ELEMS (domain_names); i++)
    if (name != NULL && strcmp (domain_names[i].name, name) == 0)
      {
        *persona = domain_names[i].persona;
        return 0;
      }
  return -1;
}

/* ---- validation ------------------------------------------------------------- */

static int
validate_rlimits (const oci_process *process, berth_error **err)
{
  for (size_t i = 0; i < process->n_rlimits; i++)
    {
      const oci_rlimit *rl = &process->rlimits[i];

      if (lookup_rlimit (rl->type) < 0)
        return berth_error_set (err, 0,
                                "process.rlimits[%zu].type: unknown rlimit "
                                "\"%s\"",
                                i, rl->type ? rl->type : "");
      if (rl->soft > rl->hard)
        return berth_error_set (err, 0,
                                "process.rlimits[%zu]: soft limit %llu is "
                                "above hard limit %llu",
                                i, (unsigned long long) rl->soft,
                                (unsigned long long) rl->hard);
      for (size_t j = 0; j < i; j++)
        if (strcmp (process->rlimits[j].type, rl->type) == 0)
          return berth_error_set (err, 0, "process.rlimits[%zu]: duplicate %s",
                                  i, rl->type);
    }
  return 0;
}

static int
validate_scheduler (const oci_scheduler *s, berth_error **err)
{
  uint32_t policy;
  bool realtime, deadline;

  if (lookup_policy (s->policy, &policy) < 0)
    return berth_error_set (err, 0,
                            "process.scheduler.policy: unknown policy \"%s\"",
                            s->policy ? s->policy : "");
  for (size_t i = 0; i < s->n_flags; i++)
    {
      uint64_t flag;
      if (lookup_sched_flag (s->flags[i], &flag) < 0)
        return berth_error_set (err, 0,
                                "process.scheduler.flags[%zu]: unknown flag "
                                "\"%s\"",
                                i, s->flags[i] ? s->flags[i] : "");
    }
  realtime = policy == POLICY_FIFO || policy == POLICY_RR;
  deadline = policy == POLICY_DEADLINE;

  if (s->has_nice && s->nice != 0)
    {
      if (policy != POLICY_OTHER && policy != POLICY_BATCH)
        return berth_error_set (err, 0,
                                "process.scheduler.nice: only valid with "
                                "SCHED_OTHER and SCHED_BATCH, not %s",
                                s->policy);
      if (s->nice < -20 || s->nice > 19)
        return berth_error_set (err, 0,
                                "process.scheduler.nice: %d is out of range "
                                "[-20, 19]",
                                s->nice);
    }
  if (realtime && (!s->has_priority || s->priority < 1 || s->priority > 99))
    return berth_error_set (err, 0,
                            "process.scheduler.priority: %s needs a priority "
                            "in [1, 99]",
                            s->policy);
  if (!realtime && s->has_priority && s->priority != 0)
    return berth_error_set (err, 0,
                            "process.scheduler.priority: only valid with "
                            "SCHED_FIFO and SCHED_RR, not %s",
                            s->policy);
  if (!deadline
      && ((s->has_runtime && s->runtime != 0)
          || (s->has_deadline && s->deadline != 0)
          || (s->has_period && s->period != 0)))
    return berth_error_set (err, 0,
                            "process.scheduler: runtime, deadline and period "
                            "are only valid with SCHED_DEADLINE, not %s",
                            s->policy);
  if (deadline)
    {
      uint64_t period = s->period ? s->period : s->deadline;
      if (s->deadline == 0 || s->runtime == 0)
        return berth_error_set (err, 0,
                                "process.scheduler: SCHED_DEADLINE needs a "
                                "non-zero runtime and deadline");
      if (s->runtime > s->deadline || s->deadline > period)
        return berth_error_set (err, 0,
                                "process.scheduler: SCHED_DEADLINE needs "
                                "runtime <= deadline <= period");
    }
  return 0;
}

static int
validate_cpu_list (const char *list, const char *key, berth_error **err)
{
  cpu_set_t *set = NULL;
  size_t size;

  /* Empty means "leave the affinity alone" (config.md).  */
  if (list == NULL || list[0] == '\0')
    return 0;
  if (parse_cpu_list (list, &set, &size, err) < 0)
    return berth_error_wrap (err, "process.execCPUAffinity.%s", key);
  CPU_FREE (set);
  return 0;
}

static int
validate_personality (const oci_personality *p, berth_error **err)
{
  unsigned long persona;

  if (lookup_domain (p->domain, &persona) < 0)
    return berth_error_set (err, 0,
                            "linux.personality.domain: unknown domain \"%s\"",
                            p->domain ? p->domain : "");
  /* runtime-spec 1.3 defines no flag: accepting one would mean silently
     ignoring it.  */
  if (p->n_flags > 0)
    return berth_error_set (err, 0,
                            "linux.personality.flags[0]: unsupported flag "
                            "\"%s\" (the runtime spec defines none)",
                            p->flags[0] ? p->flags[0] : "");
  return 0;
}

int
process_validate (const oci_process *process, const oci_personality *persona,
                  berth_error **err)
{
  /* Every create, run, exec and restore validates its process here, in
     the host's root and before any clone: libcap is loaded now, whatever
     the config, so that the init and exec's child, which may not load it
     (cap-api.h), find it whenever they set capabilities.  */
  if (cap_api_load (err) < 0)
    return -1;
  if (persona != NULL && validate_personality (persona, err) < 0)
    return -1;
  if (process == NULL)
    return berth_error_set (err, 0, "process: must be set");

  if (process->n_args == 0)
    return berth_error_set (err, 0, "process.args: must not be empty");
  if (process->args[0] == NULL || process->args[0][0] == '\0')
    return berth_error_set (err, 0, "process.args[0]: must not be empty");
  if (process->cwd == NULL || process->cwd[0] != '/')
    return berth_error_set (err, 0, "process.cwd: must be an absolute path");
  for (size_t i = 0; i < process->n_env; i++)
    {
      const char *e = process->env[i];
      if (e == NULL || e[0] == '=' || strchr (e, '=') == NULL)
        return berth_error_set (err, 0,
                                "process.env[%zu]: \"%s\" is not KEY=VALUE", i,
                                e ? e : "");
    }

  /* (uid_t) -1 is "leave unchanged" to setresuid, setresgid.  */
  if (process->user.uid == UINT32_MAX)
    return berth_error_set (err, 0, "process.user.uid: %u is not a valid uid",
                            process->user.uid);
  if (process->user.gid == UINT32_MAX)
    return berth_error_set (err, 0, "process.user.gid: %u is not a valid gid",
                            process->user.gid);
  for (size_t i = 0; i < process->user.n_additional_gids; i++)
    if (process->user.additional_gids[i] == UINT32_MAX)
      return berth_error_set (err, 0,
                              "process.user.additionalGids[%zu]: %u is not a "
                              "valid gid",
                              i, process->user.additional_gids[i]);

  if (caps_validate (process->capabilities, err) < 0)
    return -1;
  if (validate_rlimits (process, err) < 0)
    return -1;
  if (process->has_oom_score_adj
      && (process->oom_score_adj < -1000 || process->oom_score_adj > 1000))
    return berth_error_set (err, 0,
                            "process.oomScoreAdj: %d is out of range [-1000, "
                            "1000]",
                            process->oom_score_adj);
  if (process->scheduler != NULL
      && validate_scheduler (process->scheduler, err) < 0)
    return -1;
  if (process->io_priority != NULL)
    {
      const oci_io_priority *io = process->io_priority;
      if (lookup_ioprio_class (io->class) < 0)
        return berth_error_set (err, 0,
                                "process.ioPriority.class: unknown class "
                                "\"%s\"",
                                io->class ? io->class : "");
      if (io->priority < 0 || io->priority > 7)
        return berth_error_set (err, 0,
                                "process.ioPriority.priority: %d is out of "
                                "range [0, 7]",
                                io->priority);
    }
  if (process->exec_cpu_affinity != NULL
      && (validate_cpu_list (process->exec_cpu_affinity->initial, "initial",
                             err)
              < 0
          || validate_cpu_list (process->exec_cpu_affinity->final, "final",
                                err)
                 < 0))
    return -1;
  return lsm_validate_process (process, err);
}

/* ---- privileged attributes --------------------------------------------------- */

static int
apply_rlimits (const oci_process *process, berth_error **err)
{
  for (size_t i = 0; i < process->n_rlimits; i++)
    {
      const oci_rlimit *rl = &process->rlimits[i];
      int resource = lookup_rlimit (rl->type);
      struct rlimit lim = { .rlim_cur = rl->soft, .rlim_max = rl->hard };

      if (resource < 0)
        return berth_error_set (err, 0, "unknown rlimit \"%s\"", rl->type);
      if (setrlimit (resource, &lim) < 0)
        return berth_error_sys (err, "setrlimit %s (soft %llu, hard %llu)",
                                rl->type, (unsigned long long) rl->soft,
                                (unsigned long long) rl->hard);
    }
  return 0;
}

int
process_apply_oom_score_adj (const oci_process *process, int proc_fd,
                             berth_error **err)
{
  char buf[16];
  int len;

  if (!process->has_oom_score_adj)
    return 0;
  len = snprintf (buf, sizeof buf, "%d", process->oom_score_adj);
  /* Through the host's procfs, verified: the container's /proc, or a
     mount over /proc/self/oom_score_adj, could send it elsewhere.  */
  if (procfs_write (proc_fd, "self/oom_score_adj", buf, (size_t) len, err)
      < 0)
    return berth_error_wrap (err, "process.oomScoreAdj");
  return 0;
}

/* struct sched_attr (include/uapi/linux/sched/types.h, SCHED_ATTR_SIZE_VER1),
   spelled here: glibc only gained it in 2.41.  */
struct berth_sched_attr
{
  uint32_t size;
  uint32_t sched_policy;
  uint64_t sched_flags;
  int32_t sched_nice;
  uint32_t sched_priority;
  uint64_t sched_runtime;
  uint64_t sched_deadline;
  uint64_t sched_period;
  uint32_t sched_util_min;
  uint32_t sched_util_max;
};

static int
apply_scheduler (const oci_scheduler *s, berth_error **err)
{
  struct berth_sched_attr attr = { .size = sizeof attr };

  if (lookup_policy (s->policy, &attr.sched_policy) < 0)
    return berth_error_set (err, 0, "unknown scheduler policy \"%s\"",
                            s->policy);
  for (size_t i = 0; i < s->n_flags; i++)
    {
      uint64_t flag;
      if (lookup_sched_flag (s->flags[i], &flag) < 0)
        return berth_error_set (err, 0, "unknown scheduler flag \"%s\"",
                                s->flags[i]);
      attr.sched_flags |= flag;
    }
  attr.sched_nice = s->has_nice ? s->nice : 0;
  attr.sched_priority = s->has_priority ? (uint32_t) s->priority : 0;
  attr.sched_runtime = s->runtime;
  attr.sched_deadline = s->deadline;
  attr.sched_period = s->period;
  if (syscall (SYS_sched_setattr, 0, &attr, 0) < 0)
    return berth_error_sys (err,
                            "sched_setattr %s (nice %d, priority %u, flags "
                            "%#llx)",
                            s->policy, attr.sched_nice, attr.sched_priority,
                            (unsigned long long) attr.sched_flags);
  return 0;
}

static int
apply_io_priority (const oci_io_priority *io, berth_error **err)
{
  int class = lookup_ioprio_class (io->class);

  if (class < 0)
    return berth_error_set (err, 0, "unknown I/O priority class \"%s\"",
                            io->class);
  if (syscall (SYS_ioprio_set, IOPRIO_WHO_PROCESS, 0,
               (class << IOPRIO_CLASS_SHIFT) | io->priority)
      < 0)
    return berth_error_sys (err, "ioprio_set %s %d", io->class,
                            io->priority);
  return 0;
}

/* /sys/devices/system/cpu/online ("0-3"), for an error message; a
   static buffer.  */
static const char *
online_cpus_text (void)
{
  static char buf[256];
  return kernel_file_line ("/sys/devices/system/cpu/online", buf, sizeof buf);
}

static int
apply_affinity (const char *list, const char *key, berth_error **err)
{
  cpu_set_t *set = NULL;
  size_t size;
  int r, e;

  if (list == NULL || list[0] == '\0')
    return 0;
  if (parse_cpu_list (list, &set, &size, err) < 0)
    return berth_error_wrap (err, "process.execCPUAffinity.%s", key);
  /* The mask is as long as the list needs (CPUs past 1024 included); the
     kernel ignores the bits past its own CPUs and refuses a mask left
     with none it may run on.  */
  r = sched_setaffinity (0, size, set);
  e = errno;
  CPU_FREE (set);
  errno = e;
  if (r < 0 && errno == EINVAL)
    return berth_error_sys (err, "sched_setaffinity %s (execCPUAffinity.%s): "
                            "none of these CPUs is online and in the "
                            "container's cpuset (online: %s)",
                            list, key, online_cpus_text ());
  if (r < 0)
    return berth_error_sys (err, "sched_setaffinity %s (execCPUAffinity.%s)",
                            list, key);
  return 0;
}

static int
apply_personality (const oci_personality *p, berth_error **err)
{
  unsigned long persona;

  if (lookup_domain (p->domain, &persona) < 0)
    return berth_error_set (err, 0, "unknown personality domain \"%s\"",
                            p->domain);
  if (personality (persona) < 0)
    return berth_error_sys (err, "personality %s", p->domain);
  return 0;
}

/* The container runs on its cpuset's CPUs, not on the mask of whoever
   started berth (`taskset -c 0 berth run` would pin it to CPU 0, since a
   cpuset keeps the user's affinity since Linux 6.2): ask for every CPU,
   and the kernel grants those of the cgroup's cpuset.  runc does the same
   (runc #4815); the spec does not say.  Failing that is not fatal.  */
static void
reset_affinity (void)
{
  /* Every CPU the kernel may have: a mask for 8192 CPUs, the largest
     NR_CPUS any architecture configures (the kernel takes the bits up
     to its own size and ignores the rest).  A cpu_set_t's 1024 would
     leave out those past it on a larger machine; asking sysconf for the
     size reads /sys/devices/system/cpu/possible (three calls).  */
  size_t size = CPU_ALLOC_SIZE (8192);
  cleanup_free cpu_set_t *all = xmalloc0 (size);

  memset (all, 0xff, size);
  if (sched_setaffinity (0, size, all) < 0)
    berth_debug ("sched_setaffinity (the cpuset's CPUs): %s",
                 strerror (errno));
}

int
process_apply_final_affinity (const oci_process *process, berth_error **err)
{
  if (process->exec_cpu_affinity == NULL)
    return 0;
  return apply_affinity (process->exec_cpu_affinity->final, "final", err);
}

int
process_apply_privileged (const oci_process *process,
                          const oci_personality *persona,
                          berth_error **err)
{
  /* Before the scheduler: a SCHED_DEADLINE task cannot change it.  */
  if (process->exec_cpu_affinity == NULL
      || process->exec_cpu_affinity->initial == NULL
      || process->exec_cpu_affinity->initial[0] == '\0')
    reset_affinity ();
  if (apply_rlimits (process, err) < 0)
    return -1;
  if (process->scheduler != NULL
      && apply_scheduler (process->scheduler, err) < 0)
    return -1;
  if (process->io_priority != NULL
      && apply_io_priority (process->io_priority, err) < 0)
    return -1;
  if (persona != NULL && apply_personality (persona, err) < 0)
    return -1;
  if (process->exec_cpu_affinity != NULL
      && apply_affinity (process->exec_cpu_affinity->initial, "initial", err)
             < 0)
    return -1;
  return 0;
}

/* ---- user, groups, capabilities ------------------------------------------- */

static int
apply_groups (const oci_user *user, berth_error **err)
{
  if (setgroups (user->n_additional_gids, (const gid_t *) user->additional_gids)
      == 0)
    return 0;
  /* In a user namespace with setgroups "deny" nothing can be changed; with
     no group asked for, keeping the (unmapped) ones is all there is.  */
  if (errno == EPERM && user->n_additional_gids == 0)
    {
      berth_debug ("setgroups denied: supplementary groups left as they are");
      return 0;
    }
  return berth_error_sys (err, "setgroups (%zu additional gids)",
                          user->n_additional_gids);
}

static int
id_error (const char *call, uint32_t id, berth_error **err)
{
  if (errno == EINVAL)
    return berth_error_sys (err, "%s %u (is it mapped in the user namespace?)",
                            call, id);
  return berth_error_sys (err, "%s %u", call, id);
}

int
process_apply_user (const oci_process *process, const procfs_status *st,
                    bool known, int pdeathsig, const caps_sets *requested,
                    caps_sets *final, bool *admin_kept, berth_error **err)
{
  const oci_user *user = &process->user;
  caps_sets sets;
  uint64_t admin = CAPS_BIT (CAP_SYS_ADMIN);
  bool keep_admin;
  /* setresuid clears the permitted set only when no uid is left 0 (and
     one was): to uid 0 nothing is cleared, and PR_SET_KEEPCAPS, 0 at
     every execve and never set by berth, needs no setting nor
     clearing.  */
  bool keepcaps = user->uid != 0;
  /* The kernel clears the parent-death signal when the effective or
     filesystem uid or gid changes (commit_creds); the caller armed it so
     that nothing outlives a runtime killed half way.  */
  bool rearm = pdeathsig != 0
               && (!known || st->euid != user->uid || st->fsuid != user->uid
                   || st->egid != user->gid || st->fsgid != user->gid);

  /* In the container's root: the parent's copy or nothing.  */
  if (cap_api_require (err) < 0)
    return -1;
  if (caps_resolve (requested, st->cap_bnd, known ? st : NULL, &sets, err)
      < 0)
    return -1;
  if (apply_groups (user, err) < 0)
    return -1;
  keep_admin = !process->no_new_privileges && !(sets.effective & admin)
               && caps_have_effective (CAP_SYS_ADMIN);

  if (keepcaps && prctl (PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
    return berth_error_sys (err, "prctl PR_SET_KEEPCAPS");
  /* Dropping from the bounding set needs CAP_SETPCAP: before setresuid
     takes the effective set away.  */
  if (caps_drop_bounding (sets.bounding, st->cap_bnd, err) < 0)
    return -1;
  if (setresgid (user->gid, user->gid, user->gid) < 0)
    return id_error ("setresgid", user->gid, err);
  if (setresuid (user->uid, user->uid, user->uid) < 0)
    return id_error ("setresuid", user->uid, err);
  if (rearm)
    prctl (PR_SET_PDEATHSIG, pdeathsig, 0, 0, 0);
  if (caps_set_process (sets.effective | (keep_admin ? admin : 0),
                        sets.permitted | (keep_admin ? admin : 0),
                        sets.inheritable, err)
      < 0)
    return -1;
  if (keepcaps && prctl (PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
    return berth_error_sys (err, "prctl PR_SET_KEEPCAPS");
  if (caps_set_ambient (sets.ambient, err) < 0)
    return -1;
  *admin_kept = keep_admin;
  *final = sets;

  if (process->no_new_privileges
      && prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
    return berth_error_sys (err, "prctl PR_SET_NO_NEW_PRIVS");
  if (user->has_umask)
    umask ((mode_t) (user->umask & 07777));
  return 0;
}

/* ---- executable, environment ---------------------------------------------- */

static const char *
env_get (const oci_process *process, const char *name)
{
  size_t len = strlen (name);
  for (size_t i = 0; i < process->n_env; i++)
    if (strncmp (process->env[i], name, len) == 0
        && process->env[i][len] == '=')
      return process->env[i] + len + 1;
  return NULL;
}

/* 0 when `path` is a regular file the process may execute, else an errno.  */
static int
check_executable (const char *path)
{
  struct stat st;

  if (stat (path, &st) < 0)
    return errno;
  if (S_ISDIR (st.st_mode))
    return EISDIR;
  if (!S_ISREG (st.st_mode))
    return EACCES;
  if (faccessat (AT_FDCWD, path, X_OK, AT_EACCESS) < 0)
    return errno;
  return 0;
}

char *
process_find_executable (const oci_process *process, berth_error **err)
{
  const char *file = process->n_args > 0 ? process->args[0] : NULL;
  const char *path, *p;
  int e;

  if (file == NULL || file[0] == '\0')
    {
      berth_error_set (err, 0, "exec: \"\": executable file not found in "
                       "$PATH");
      return NULL;
    }
  if (strchr (file, '/') != NULL)
    {
      e = check_executable (file);
      if (e == 0)
        return xstrdup (file);
      if (e == ENOENT || e == ENOTDIR)
        berth_error_set (err, e, "exec: \"%s\": stat %s", file, file);
      else if (e == EISDIR)
        /* execve's errno for a directory, which runc prints: Docker and
           podman turn "permission denied" into exit status 126.  */
        berth_error_set (err, EACCES, "exec: \"%s\": is a directory", file);
      else
        berth_error_set (err, e, "exec: \"%s\"", file);
      return NULL;
    }

  path = env_get (process, "PATH");
  if (path == NULL)
    path = DEFAULT_PATH;
  for (p = path;; p++)
    {
      const char *end = strchrnul (p, ':');
      cleanup_free char *candidate = NULL;

      /* An empty PATH element is the current directory (execvp).  */
      if (end == p)
        candidate = xasprintf ("./%s", file);
      else
        candidate = xasprintf ("%.*s/%s", (int) (end - p), p, file);
      if (check_executable (candidate) == 0)
        return steal_pointer (&candidate);
      if (*end == '\0')
        break;
      p = end;
    }
  berth_error_set (err, 0, "exec: \"%s\": executable file not found in $PATH",
                   file);
  return NULL;
}

/* The home directory of `uid` in the container's /etc/passwd: *home,
   NULL when there is none.  Read by hand: getpwuid would load NSS modules
   from the container's root into berth.  Bounded (passwd.h): an image's
   huge /etc/passwd is an error, not seconds of CPU; opened O_NONBLOCK, a
   FIFO there reads as empty rather than blocking the start.  */
static int
passwd_home (int root_fd, uid_t uid, char **home, berth_error **err)
{
  static const char name[] = "/etc/passwd in the container";
  berth_error *open_err = NULL;
  cleanup_close int own_root = -1;
  int root = root_fd;
  cleanup_close int fd = -1;
  struct stat st;

  *home = NULL;
  if (root < 0)
    root = own_root = open ("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (root < 0)
    return 0;
  fd = safe_open_in_root (root, "/etc/passwd", O_RDONLY | O_NONBLOCK, 0,
                          &open_err);
  if (fd < 0)
    {
      berth_debug ("no HOME from /etc/passwd: %s", open_err->msg);
      berth_error_free (open_err);
      return 0;
    }
  if (fstat (fd, &st) < 0)
    return berth_error_sys (err, "stat %s", name);
  if (S_ISDIR (st.st_mode))
    return 0;
  return passwd_find_home (fd, name, uid, PASSWD_MAX_BYTES, home, err);
}

char **
process_build_env (const oci_process *process, int root_fd,
                   berth_error **err)
{
  char **env = xmalloc0 ((process->n_env + 3) * sizeof (char *));
  size_t n = 0;

  for (size_t i = 0; i < process->n_env; i++)
    env[n++] = xstrdup (process->env[i]);
  if (env_get (process, "PATH") == NULL)
    env[n++] = xstrdup ("PATH=" DEFAULT_PATH);
  if (env_get (process, "HOME") == NULL)
    {
      cleanup_free char *home = NULL;
      if (passwd_home (root_fd, process->user.uid, &home, err) < 0)
        {
          for (size_t i = 0; i < n; i++)
            free (env[i]);
          free (env);
          return NULL;
        }
      env[n++] = xasprintf ("HOME=%s", home ? home : "/");
    }
  return env;
}

int
process_reset_signals (int proc_fd, procfs_status *status, bool *known,
                       berth_error **err)
{
  uint64_t set = ~UINT64_C (0);
  procfs_status st;
  sigset_t none;

  if (proc_fd >= 0)
    {
      berth_error *e = NULL;
      if (procfs_read_status (proc_fd, &st, &e) == 0)
        {
          set = st.sig_ign | st.sig_cgt;
          if (status != NULL)
            {
              *status = st;
              *known = true;
            }
        }
      else
        {
          berth_debug ("%s: every signal reset", e->msg);
          berth_error_free (e);
        }
    }
  for (int sig = 1; sig < NSIG && sig <= 64; sig++)
    if ((set & (UINT64_C (1) << (sig - 1))) && sig != SIGKILL
        && sig != SIGSTOP)
      signal (sig, SIG_DFL);
  sigemptyset (&none);
  if (sigprocmask (SIG_SETMASK, &none, NULL) < 0)
    return berth_error_sys (err, "reset signal mask");
  return 0;
}

int
process_join_session_keyring (const char *name, berth_error **err)
{
  long r = syscall (SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, name);

  if (r < 0 && errno != ENOSYS && errno != EACCES && errno != EPERM)
    return berth_error_sys (err, "join session keyring");
  return 0;
}
