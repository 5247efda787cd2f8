/* berth: the commands that act on an existing container's cgroup: update,
 * pause, resume, ps and events (libcontainer/lifecycle/container.h).  */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cgroups/manager.h"
#include "base/cleanup.h"
#include "libcontainer/lifecycle/balloon.h"
#include "libcontainer/lifecycle/container.h"
#include "libcontainer/lifecycle/handle.h"
#include "base/utils.h"

/* A container that was not stopped when opened, and has a cgroup.  */
static int
need_cgroup (const container_handle *h, berth_error **err)
{
  if (h->status == OCI_STATUS_STOPPED)
    return container_not_running (h, err);
  if (h->cg == NULL)
    return berth_error_set (err, 0, "container \"%s\" has no cgroup",
                            h->id);
  return 0;
}

int
container_update (const char *root, const char *id, const oci_resources *r,
                  berth_error **err)
{
  cleanup_container_handle container_handle *h = NULL;

  if (container_open (root, id, CONTAINER_OPEN_LOCK_EXCLUSIVE, &h, err) < 0
      || need_cgroup (h, err) < 0)
    return -1;
  if (cgroup_manager_update (h->cg, r, err) < 0)
    return berth_error_wrap (err, "update container \"%s\"", id);
  /* A balloon recorded in the state: its restore value follows the new
     memory.high (balloon.h).  */
  if (container_balloon_updated (h, r, err) < 0)
    return berth_error_wrap (err, "update container \"%s\"", id);
  return 0;
}

static int
set_frozen (container_handle *h, bool frozen, berth_error **err)
{
  oci_status want = frozen ? OCI_STATUS_RUNNING : OCI_STATUS_PAUSED;

  /* container_open reports "paused" from the freezer.  runc's words in
     parentheses ("container not running", "container not paused"), a
     stopped container included: engines read runc's messages
     (docs/engines.md).  */
  if (h->status != want)
    return berth_error_set (err, 0, "container \"%s\" is %s, not %s "
                                    "(container not %s)",
                            h->id, oci_status_name (h->status),
                            oci_status_name (want), oci_status_name (want));
  if (need_cgroup (h, err) < 0)
    return -1;
  if (h->cg->ops->freeze (h->cg, frozen, err) < 0)
    return berth_error_wrap (err, "%s container \"%s\"",
                             frozen ? "pause" : "resume", h->id);
  return 0;
}

int
container_pause (container_handle *h, berth_error **err)
{
  return set_frozen (h, true, err);
}

int
container_resume (container_handle *h, berth_error **err)
{
  return set_frozen (h, false, err);
}

static int
compare_pids (const void *a, const void *b)
{
  pid_t x = *(const pid_t *) a, y = *(const pid_t *) b;
  return (x > y) - (x < y);
}

/* A stopped container's processes: those still in its cgroup, as runc
   lists them whatever the status (the init's children in a pod that
   shares one pid namespace outlive it), none when the cgroup is gone.
   The rootless "none" manager finds processes by the init's pid and pid
   namespace, which may belong to others by now: none.  */
static int
pids_left (container_handle *h, pid_t **pids, size_t *n, berth_error **err)
{
  if (h->cg == NULL || cgroup_state_is_none (h->cg->state))
    return 0;
  if (h->cg->ops->pids (h->cg, pids, n, err) < 0)
    {
      if ((*err)->errnum != ENOENT)
        return berth_error_wrap (err, "processes of container \"%s\"",
                                 h->id);
      berth_error_clear (err);
      return 0;
    }
  if (*n > 1)
    qsort (*pids, *n, sizeof **pids, compare_pids);
  return 0;
}

int
container_pids (container_handle *h, pid_t **pids, size_t *n,
                berth_error **err)
{
  *pids = NULL;
  *n = 0;
  if (h->status == OCI_STATUS_STOPPED)
    return pids_left (h, pids, n, err);
  if (need_cgroup (h, err) < 0)
    return -1;
  if (h->cg->ops->pids (h->cg, pids, n, err) < 0)
    return berth_error_wrap (err, "processes of container \"%s\"", h->id);
  if (*n > 1)
    qsort (*pids, *n, sizeof **pids, compare_pids);
  return 0;
}

int
container_oom_fd (container_handle *h, int *fd, bool *counts,
                  berth_error **err)
{
  *fd = -1;
  if (need_cgroup (h, err) < 0)
    return -1;
  *fd = h->cg->ops->oom_fd (h->cg, counts, err);
  if (*fd < 0 && *err)
    return berth_error_wrap (err, "events of container \"%s\"", h->id);
  return 0;
}

int
container_stats (container_handle *h, oci_stats *out,
                 berth_error **err)
{
  memset (out, 0, sizeof *out);
  if (need_cgroup (h, err) < 0)
    return -1;
  if (h->cg->ops->stats (h->cg, out, err) < 0)
    return berth_error_wrap (err, "stats of container \"%s\"", h->id);
  return 0;
}
