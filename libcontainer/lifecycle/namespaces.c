#include "libcontainer/lifecycle/namespaces.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "base/utils.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

int
ns_clone_flag (oci_ns_type type)
{
  switch (type)
    {
    case OCI_NS_PID:
      return CLONE_NEWPID;
    case OCI_NS_NETWORK:
      return CLONE_NEWNET;
    case OCI_NS_MOUNT:
      return CLONE_NEWNS;
    case OCI_NS_IPC:
      return CLONE_NEWIPC;
    case OCI_NS_UTS:
      return CLONE_NEWUTS;
    case OCI_NS_USER:
      return CLONE_NEWUSER;
    case OCI_NS_CGROUP:
      return CLONE_NEWCGROUP;
    case OCI_NS_TIME:
      return CLONE_NEWTIME;
    default:
      return 0;
    }
}

static int
open_ns_path (oci_ns_type type, const char *path, size_t index,
              berth_error **err)
{
  cleanup_close int fd = open (path, O_RDONLY | O_CLOEXEC);
  int kind;

  if (fd < 0)
    return berth_error_sys (err, "linux.namespaces[%zu]: open %s", index,
                            path);
  /* A path that is not a namespace of that type would make setns join
     the wrong thing or fail late, after mounts: refuse it now.  */
  kind = ioctl (fd, NS_GET_NSTYPE);
  if (kind < 0)
    return berth_error_sys (err,
                            "linux.namespaces[%zu]: %s is not a namespace",
                            index, path);
  if (kind != ns_clone_flag (type))
    return berth_error_set (err, 0,
                            "linux.namespaces[%zu]: %s is not a %s namespace",
                            index, path, oci_ns_type_name (type));
  return steal_fd (&fd);
}

int
ns_plan_build (const oci_config *config, ns_plan *plan, berth_error **err)
{
  const oci_linux *lx = config->linux_;
  bool any_join_other = false;

  memset (plan, 0, sizeof *plan);
  for (int i = 0; i < OCI_NS_TYPES; i++)
    plan->join_fd[i] = -1;
  plan->saved_time_fd = plan->saved_pid_fd = -1;

  if (lx == NULL)
    return berth_error_set (err, 0, "linux: missing");
  for (size_t i = 0; i < lx->n_namespaces; i++)
    {
      const oci_namespace *ns = &lx->namespaces[i];
      if (ns->path == NULL || ns->path[0] == '\0')
        plan->new_ns[ns->type] = true;
      else
        {
          int fd = open_ns_path (ns->type, ns->path, i, err);
          if (fd < 0)
            {
              ns_plan_release (plan);
              return -1;
            }
          plan->join_fd[ns->type] = fd;
          if (ns->type != OCI_NS_USER)
            any_join_other = true;
        }
    }

  /* The config was judged by container_config_validate (validate.c).  */
  plan->slow_path = plan->join_fd[OCI_NS_USER] >= 0
                    || (plan->new_ns[OCI_NS_USER] && any_join_other);
  for (int t = 0; t < OCI_NS_TYPES; t++)
    {
      if (!plan->new_ns[t] || t == OCI_NS_TIME)
        continue;
      if (plan->slow_path)
        plan->unshare_flags |= ns_clone_flag (t);
      else
        plan->clone_flags |= ns_clone_flag (t);
    }
  return 0;
}

void
ns_plan_release (ns_plan *plan)
{
  for (int i = 0; i < OCI_NS_TYPES; i++)
    if (plan->join_fd[i] >= 0)
      {
        close (plan->join_fd[i]);
        plan->join_fd[i] = -1;
      }
  if (plan->saved_time_fd >= 0)
    close (plan->saved_time_fd);
  if (plan->saved_pid_fd >= 0)
    close (plan->saved_pid_fd);
  plan->saved_time_fd = plan->saved_pid_fd = -1;
}

static int
write_time_offsets (const oci_linux *lx, berth_error **err)
{
  char buf[256];
  int n = 0;

  if (lx->time_offset_monotonic.present)
    n += snprintf (buf + n, sizeof buf - n, "monotonic %lld %u\n",
                   (long long) lx->time_offset_monotonic.secs,
                   lx->time_offset_monotonic.nanosecs);
  if (lx->time_offset_boottime.present)
    n += snprintf (buf + n, sizeof buf - n, "boottime %lld %u\n",
                   (long long) lx->time_offset_boottime.secs,
                   lx->time_offset_boottime.nanosecs);
  if (n == 0)
    return 0;
  /* One write per line: the kernel parses a single offset per write on
     older kernels.  */
  for (char *line = buf; *line;)
    {
      char *nl = strchr (line, '\n');
      size_t len = (size_t) (nl - line) + 1;
      cleanup_close int fd
          = open ("/proc/self/timens_offsets", O_WRONLY | O_CLOEXEC);
      if (fd < 0)
        return berth_error_sys (err, "linux.timeOffsets: open "
                                     "/proc/self/timens_offsets");
      if (write_all (fd, line, len) < 0)
        return berth_error_sys (err, "linux.timeOffsets: write \"%.*s\"",
                                (int) len - 1, line);
      line = nl + 1;
    }
  return 0;
}

int
ns_parent_before_clone (ns_plan *plan, const oci_linux *lx, berth_error **err)
{
  bool join_pid = plan->join_fd[OCI_NS_PID] >= 0 && !plan->slow_path;
  bool join_time = plan->join_fd[OCI_NS_TIME] >= 0 && !plan->slow_path;

  if (plan->new_ns[OCI_NS_TIME] || join_time)
    {
      plan->saved_time_fd
          = open ("/proc/self/ns/time_for_children", O_RDONLY | O_CLOEXEC);
      if (plan->saved_time_fd < 0)
        return berth_error_sys (err, "open /proc/self/ns/time_for_children");
    }
  if (join_pid)
    {
      plan->saved_pid_fd
          = open ("/proc/self/ns/pid_for_children", O_RDONLY | O_CLOEXEC);
      if (plan->saved_pid_fd < 0)
        return berth_error_sys (err, "open /proc/self/ns/pid_for_children");
      if (setns (plan->join_fd[OCI_NS_PID], CLONE_NEWPID) < 0)
        return berth_error_sys (err, "join pid namespace");
    }
  if (join_time && setns (plan->join_fd[OCI_NS_TIME], CLONE_NEWTIME) < 0)
    return berth_error_sys (err, "join time namespace");
  if (plan->new_ns[OCI_NS_TIME])
    {
      /* unshare(CLONE_NEWTIME) only moves future children; the offsets
         can be written until the first one enters.  */
      if (unshare (CLONE_NEWTIME) < 0)
        return berth_error_sys (err, "create time namespace");
      if (write_time_offsets (lx, err) < 0)
        return -1;
    }
  return 0;
}

int
ns_parent_after_clone (ns_plan *plan, berth_error **err)
{
  int ret = 0;

  if (plan->saved_time_fd >= 0)
    {
      if (setns (plan->saved_time_fd, CLONE_NEWTIME) < 0)
        ret = berth_error_sys (err, "return to own time namespace");
      close (plan->saved_time_fd);
      plan->saved_time_fd = -1;
    }
  if (plan->saved_pid_fd >= 0)
    {
      if (setns (plan->saved_pid_fd, CLONE_NEWPID) < 0 && ret == 0)
        ret = berth_error_sys (err, "return to own pid namespace");
      close (plan->saved_pid_fd);
      plan->saved_pid_fd = -1;
    }
  return ret;
}

static int
join_one (ns_plan *plan, oci_ns_type t, berth_error **err)
{
  if (plan->join_fd[t] < 0)
    return 0;
  if (setns (plan->join_fd[t], ns_clone_flag (t)) < 0)
    return berth_error_sys (err, "join %s namespace", oci_ns_type_name (t));
  close (plan->join_fd[t]);
  plan->join_fd[t] = -1;
  return 0;
}

/* Mount last: after it, paths (and the fds of other namespaces' paths)
   would be seen through the joined mount namespace.  */
static const oci_ns_type join_order[] = {
  OCI_NS_IPC, OCI_NS_UTS, OCI_NS_NETWORK, OCI_NS_CGROUP, OCI_NS_PID,
  OCI_NS_TIME, OCI_NS_MOUNT,
};

int
ns_join_fast (ns_plan *plan, berth_error **err)
{
  for (size_t i = 0; i < sizeof join_order / sizeof join_order[0]; i++)
    {
      oci_ns_type t = join_order[i];
      if (t == OCI_NS_PID || t == OCI_NS_TIME)
        continue; /* done by the parent */
      if (join_one (plan, t, err) < 0)
        return -1;
    }
  return 0;
}

int
ns_join_slow (ns_plan *plan, int (*request_maps) (void *, berth_error **),
              void *data, berth_error **err)
{
  if (plan->join_fd[OCI_NS_USER] >= 0)
    {
      if (join_one (plan, OCI_NS_USER, err) < 0)
        return -1;
      if (setresgid (0, 0, 0) < 0 || setresuid (0, 0, 0) < 0)
        return berth_error_sys (err, "become root in the joined user "
                                     "namespace");
    }
  for (size_t i = 0; i < sizeof join_order / sizeof join_order[0]; i++)
    if (join_one (plan, join_order[i], err) < 0)
      return -1;
  if (plan->new_ns[OCI_NS_USER])
    {
      if (unshare (CLONE_NEWUSER) < 0)
        return berth_error_sys (err, "create user namespace");
      if (request_maps (data, err) < 0)
        return -1;
      if (setresgid (0, 0, 0) < 0 || setresuid (0, 0, 0) < 0)
        return berth_error_sys (err, "become root in the user namespace");
    }
  if (unshare ((int) (plan->unshare_flags & ~CLONE_NEWUSER)) < 0)
    return berth_error_sys (err, "create namespaces");
  return 0;
}

/* The names under /proc/<pid>/ns, by oci_ns_type.  */
static const char *const proc_ns_names[OCI_NS_TYPES] = {
  [OCI_NS_PID] = "pid",     [OCI_NS_NETWORK] = "net",
  [OCI_NS_MOUNT] = "mnt",   [OCI_NS_IPC] = "ipc",
  [OCI_NS_UTS] = "uts",     [OCI_NS_USER] = "user",
  [OCI_NS_CGROUP] = "cgroup", [OCI_NS_TIME] = "time",
};

const char *
ns_proc_name (oci_ns_type type)
{
  return type < OCI_NS_TYPES ? proc_ns_names[type] : "";
}

/* A namespace the config had made for the container (no path): the
   init's is not the caller's.  Were it the caller's (berth run from inside
   the container), joining it again changes nothing.  Not so for a user
   namespace: setns refuses the caller's own.  */
static bool
made_for_container (const oci_linux *lx, oci_ns_type t)
{
  if (lx == NULL || t == OCI_NS_USER)
    return false;
  for (size_t i = 0; i < lx->n_namespaces; i++)
    if (lx->namespaces[i].type == t)
      return lx->namespaces[i].path == NULL
             || lx->namespaces[i].path[0] == '\0';
  return false;
}

int
ns_not_shared (pid_t pid, const oci_linux *lx, unsigned long *flags,
               berth_error **err)
{
  *flags = 0;
  for (int t = 0; t < OCI_NS_TYPES; t++)
    {
      char theirs[64], ours[64];
      struct stat a, b;

      /* Without the two stat calls: each makes the kernel find (or make)
         the namespace's nsfs inode through procfs.  */
      if (made_for_container (lx, (oci_ns_type) t))
        {
          *flags |= (unsigned long) ns_clone_flag ((oci_ns_type) t);
          continue;
        }
      snprintf (theirs, sizeof theirs, "/proc/%d/ns/%s", (int) pid,
                proc_ns_names[t]);
      snprintf (ours, sizeof ours, "/proc/self/ns/%s", proc_ns_names[t]);
      if (stat (ours, &b) < 0)
        {
          /* A namespace type this kernel does not have.  */
          if (errno == ENOENT)
            continue;
          return berth_error_sys (err, "stat %s", ours);
        }
      if (stat (theirs, &a) < 0)
        return berth_error_sys (err, "stat %s", theirs);
      if (a.st_ino != b.st_ino || a.st_dev != b.st_dev)
        *flags |= (unsigned long) ns_clone_flag (t);
    }
  return 0;
}
