/* berth: kill: a signal to the container's init, or with --all to every
 * process of the container (its cgroup, else its pid namespace).  */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "base/cleanup.h"
#include "base/pidfd.h"
#include "cgroups/manager.h"
#include "libcontainer/lifecycle/container.h"
#include "libcontainer/lifecycle/handle.h"

/* Every process in the pid namespace of `pid` (the container has its own
   pid namespace: the kernel tells us who is in it).  */
static int
signal_pid_namespace (pid_t init, int signum, berth_error **err)
{
  char path[64];
  struct stat ns;
  cleanup_dir DIR *d = NULL;
  struct dirent *de;

  snprintf (path, sizeof path, "/proc/%d/ns/pid", (int) init);
  if (stat (path, &ns) < 0)
    return berth_error_sys (err, "stat %s", path);
  d = opendir ("/proc");
  if (d == NULL)
    return berth_error_sys (err, "open /proc");
  while ((de = readdir (d)) != NULL)
    {
      struct stat other;
      char *end;
      long pid = strtol (de->d_name, &end, 10);
      if (*end != '\0' || pid <= 0)
        continue;
      snprintf (path, sizeof path, "/proc/%ld/ns/pid", pid);
      if (stat (path, &other) < 0)
        continue;
      if (other.st_ino == ns.st_ino && other.st_dev == ns.st_dev)
        kill ((pid_t) pid, signum);
    }
  return 0;
}

/* kill --all once the init has gone: what is still in the cgroup gets the
   signal and a container with nothing left is success, as runc does.  In a
   pod whose containers share one pid namespace the init's children
   outlive it, and containerd's shim calls `kill --all ID KILL` after every
   such init's exit to take them along (runtime/v2/runc/task/service.go,
   checkProcesses); a failure there keeps the CRI from handling the exit
   (the container stays RUNNING to the kubelet).  runtime.md makes a kill
   of a container neither created nor running an error; runc's kill --all
   is not one, and engines depend on it, so berth does what runc does.  */
static int
kill_all_left (container_handle *h, int signum, berth_error **err)
{
  /* Without a cgroup (or with the rootless "none" manager, which finds
     processes by the init's pid and pid namespace, both gone) nothing
     left can be found.  */
  if (h->cg == NULL || cgroup_state_is_none (h->cg->state))
    return 0;
  if (h->cg->ops->kill_all (h->cg, signum, err) < 0)
    {
      /* The cgroup went with its last process (systemd removes a scope's
         once it is empty): nothing was left to signal.  */
      if ((*err)->errnum != ENOENT)
        return -1;
      berth_error_clear (err);
    }
  return 0;
}

int
container_kill (container_handle *h, int signum, bool all, berth_error **err)
{
  bool alive = (h->status == OCI_STATUS_CREATED
                || h->status == OCI_STATUS_RUNNING
                || h->status == OCI_STATUS_PAUSED)
               && h->pidfd >= 0;

  if (all && !alive)
    return kill_all_left (h, signum, err);
  if (!alive)
    return container_not_running (h, err);
  if (all && h->cg)
    return h->cg->ops->kill_all (h->cg, signum, err);
  if (all)
    {
      if (!h->state->pid_ns_new)
        return berth_error_set (err, 0,
                                "kill --all: container \"%s\" shares the "
                                "host's pid namespace; without a cgroup "
                                "berth cannot find its processes",
                                h->id);
      return signal_pid_namespace (h->state->pid, signum, err);
    }
  if (sys_pidfd_send_signal (h->pidfd, signum) < 0)
    {
      /* The init exited since the container was opened.  */
      if (errno == ESRCH)
        return container_not_running (h, err);
      return berth_error_sys (err, "kill container \"%s\"", h->id);
    }
  return 0;
}
