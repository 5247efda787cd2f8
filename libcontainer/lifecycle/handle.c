/* berth: opening an existing container (handle.h).  */
#include "libcontainer/lifecycle/handle.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/pidfd.h"
#include "base/cleanup.h"
#include "base/utils.h"
#include "libcontainer/lifecycle/cgroup-setup.h"
#include "libcontainer/lifecycle/state.h"

int
container_init_pidfd (const oci_state *state)
{
  cleanup_close int fd = -1;
  unsigned long long start;
  char pstate = 0;

  if (state->pid <= 0 || state->pid_start_time == 0)
    return -1;
  fd = sys_pidfd_open (state->pid);
  if (fd < 0)
    return -1;
  /* Checked after the pidfd pins the process: the number may have been
     reused between the record and the open.  */
  start = proc_start_time (state->pid, &pstate);
  if (start == 0 || pstate == 'Z' || pstate == 'X')
    return -1;
  if (start != state->pid_start_time)
    return -1;
  return steal_fd (&fd);
}

/* Engines match "does not exist" (runc: "container does not exist"):
   containerd's shim ignores a failed `delete` with it (pkg/process/init.go,
   delete) and reads a failed `kill` with it as "no such container"
   (pkg/process/utils.go, checkKillError); podman takes a failed `state`
   with it for an exited container (libpod/oci_conmon_common.go,
   UpdateContainerStatus).  docs/engines.md lists every such phrase.  */
static int
not_found (const char *id, berth_error **err)
{
  return berth_error_set_kind (err, BERTH_ERROR_NOT_FOUND,
                               "container \"%s\" does not exist", id);
}

int
container_not_running (const container_handle *h, berth_error **err)
{
  /* runc's words for its ErrNotRunning, in parentheses: containerd's shim
     turns a failed `kill` whose message holds "container not running"
     into "process already finished" (NotFound, pkg/process/utils.go,
     checkKillError), so a stop that raced the container's exit is no
     error to the CRI or to Docker.  */
  return berth_error_set (err, 0,
                          "container \"%s\" is not running (container not "
                          "running)",
                          h->id);
}

static int
take_lock (container_handle *h, int how, berth_error **err)
{
  /* The lock goes with the open file description: the init and exec
     children must close dir_fd so it does not outlive the command.  */
  struct stat held, now;

  while (flock (h->dir_fd, how) < 0)
    if (errno != EINTR)
      return berth_error_sys (err, "lock container \"%s\"", h->id);
  h->lock = how;
  /* The lock was waited for: whoever held it may have deleted the
     container meanwhile (racing deletes).  Ours is then an unlinked dir;
     say what runc says.  */
  if (fstat (h->dir_fd, &held) < 0
      || fstatat (h->root_fd, h->id, &now, AT_SYMLINK_NOFOLLOW) < 0
      || held.st_ino != now.st_ino || held.st_dev != now.st_dev)
    return not_found (h->id, err);
  return 0;
}

/* Status from the kernel: the init's liveness, exec.fifo (removed by
   start), the freezer.  */
static void
compute_status (container_handle *h, unsigned flags)
{
  if (h->state == NULL)
    {
      h->status = OCI_STATUS_CREATING;
      return;
    }
  h->pidfd = (flags & CONTAINER_OPEN_INIT_REAPED)
                 ? -1
                 : container_init_pidfd (h->state);
  if (h->pidfd < 0)
    {
      /* As runc: a stopped container has no pid (and the number may
         belong to another process by now).  */
      h->status = OCI_STATUS_STOPPED;
      h->state->pid = 0;
    }
  else if (faccessat (h->dir_fd, EXEC_FIFO, F_OK, AT_SYMLINK_NOFOLLOW) == 0)
    h->status = OCI_STATUS_CREATED;
  else if (h->cg && h->cg->ops->is_frozen (h->cg))
    h->status = OCI_STATUS_PAUSED;
  else
    h->status = OCI_STATUS_RUNNING;
  h->state->status = h->status;
}

/* The rest of an open once the dir is open: the lock (by `lock`), the
   state, the cgroup manager, the status, the config.  */
static int
open_locked (container_handle *h, unsigned flags,
             int (*lock) (container_handle *, int, berth_error **),
             berth_error **err)
{
  if ((flags & CONTAINER_OPEN_LOCK_EXCLUSIVE)
      && lock (h, LOCK_EX, err) < 0)
    return -1;
  if (!(flags & CONTAINER_OPEN_LOCK_EXCLUSIVE)
      && (flags & CONTAINER_OPEN_LOCK_SHARED)
      && lock (h, LOCK_SH, err) < 0)
    return -1;

  h->state = state_load (h->dir_fd, h->id,
                         (flags & CONTAINER_OPEN_CREATING_OK)
                             ? &h->state_error
                             : err);
  if (h->state == NULL && !(flags & CONTAINER_OPEN_CREATING_OK))
    return -1;
  if (h->state && h->state->cgroup_state)
    {
      h->cg = cgroup_for_state (h->state, err);
      if (h->cg == NULL)
        return -1;
    }
  compute_status (h, flags);
  if ((flags & CONTAINER_OPEN_CONFIG)
      && container_handle_config (h, err) == NULL)
    return -1;
  return 0;
}

int
container_open (const char *root, const char *id, unsigned flags,
                container_handle **out, berth_error **err)
{
  container_handle *h;

  *out = NULL;
  if (container_id_validate (id, err) < 0)
    return -1;
  h = xmalloc0 (sizeof *h);
  h->root_fd = h->dir_fd = h->pidfd = -1;
  h->id = xstrdup (id);

  h->root_fd = open (root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (h->root_fd < 0)
    {
      if (errno == ENOENT)
        not_found (id, err);
      else
        berth_error_sys (err, "open state root %s", root);
      goto fail;
    }
  h->dir_fd = openat (h->root_fd, id,
                      O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (h->dir_fd < 0)
    {
      if (errno == ENOENT)
        not_found (id, err);
      else
        berth_error_sys (err, "open state dir %s", id);
      goto fail;
    }
  if (open_locked (h, flags, take_lock, err) < 0)
    goto fail;
  *out = h;
  return 0;

fail:
  container_handle_close (h);
  return -1;
}

/* The dir was ours (run made it) and is still open: another command that
   deleted it meanwhile leaves it unlinked, which one fstat tells, where a
   dir opened by name needs its name looked up again (take_lock).  */
static int
take_held_lock (container_handle *h, int how, berth_error **err)
{
  struct stat held;

  while (flock (h->dir_fd, how) < 0)
    if (errno != EINTR)
      return berth_error_sys (err, "lock container \"%s\"", h->id);
  h->lock = how;
  if (fstat (h->dir_fd, &held) < 0 || held.st_nlink == 0)
    return not_found (h->id, err);
  return 0;
}

int
container_open_held (int root_fd, int dir_fd, const char *id,
                     unsigned flags, container_handle **out,
                     berth_error **err)
{
  container_handle *h = xmalloc0 (sizeof *h);

  *out = NULL;
  h->root_fd = root_fd;
  h->dir_fd = dir_fd;
  h->fds_borrowed = true;
  h->pidfd = -1;
  h->id = xstrdup (id);
  if (open_locked (h, flags, take_held_lock, err) < 0)
    {
      container_handle_close (h);
      return -1;
    }
  *out = h;
  return 0;
}

oci_config *
container_handle_config (container_handle *h, berth_error **err)
{
  if (h->config)
    return h->config;
  h->config = state_load_config (h->dir_fd, err);
  if (h->config == NULL)
    berth_error_wrap (err, "container \"%s\"", h->id);
  return h->config;
}

void
container_handle_unlock (container_handle *h)
{
  if (h->lock && h->dir_fd >= 0)
    flock (h->dir_fd, LOCK_UN);
  h->lock = 0;
}

void
container_handle_close (container_handle *h)
{
  if (h == NULL)
    return;
  if (h->pidfd >= 0)
    close (h->pidfd);
  if (h->dir_fd >= 0 && !h->fds_borrowed)
    close (h->dir_fd);
  if (h->root_fd >= 0 && !h->fds_borrowed)
    close (h->root_fd);
  cgroup_manager_free (h->cg);
  if (!h->config_borrowed)
    oci_config_free (h->config);
  oci_state_free (h->state);
  berth_error_free (h->state_error);
  free (h->id);
  free (h);
}
