/* berth: delete: the init killed, the cgroup, the network and the host
 * mounts undone, the state dir removed, then the poststop hooks; --force
 * also of a running container, or from the lifecycle record of one whose
 * create was killed.  */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>

#include "base/cleanup.h"
#include "base/log.h"
#include "base/pidfd.h"
#include "cgroups/manager.h"
#include "libcontainer/lifecycle/container-internal.h"
#include "libcontainer/lifecycle/container.h"
#include "libcontainer/lifecycle/handle.h"
#include "libcontainer/lifecycle/hooks.h"
#include "libcontainer/lifecycle/record.h"
#include "libcontainer/lifecycle/state.h"
#include "libcontainer/network/container-net.h"
#include "libcontainer/rootfs/host-mounts.h"

int
container_delete_force_opened (int ret, container_handle *h,
                               const oci_config *config, berth_error **err)
{
  if (ret < 0)
    {
      /* Deleted meanwhile by another command: nothing left to do.  */
      if (berth_error_kind_of (*err) != BERTH_ERROR_NOT_FOUND)
        return -1;
      berth_error_clear (err);
      return 0;
    }
  if (config != NULL && h->config == NULL)
    {
      /* Not parsed again: an engine's seccomp profile alone is most of
         a config's parse time.  The handle never changes it for delete. */
      h->config = (oci_config *) config;
      h->config_borrowed = true;
    }
  return container_delete (h, true, err);
}

int
container_delete_force_id (const char *root, const char *id,
                           const oci_config *config, berth_error **err)
{
  cleanup_container_handle container_handle *h = NULL;
  int ret = container_open (root, id,
                            CONTAINER_OPEN_LOCK_EXCLUSIVE
                                | CONTAINER_OPEN_CREATING_OK,
                            &h, err);

  return container_delete_force_opened (ret, h, config, err);
}

int
container_delete (container_handle *h, bool force, berth_error **err)
{
  const oci_config *config;
  oci_state *state = h->state;

  if (state == NULL)
    {
      /* No usable state.json: a create that was killed, or a damaged
         file.  */
      if (!force)
        {
          /* Said as state_load said it.  */
          *err = steal_pointer (&h->state_error);
          return -1;
        }
      /* A create that was killed, or a damaged state.json: --force undoes
         what the lifecycle record says was made; it fails (and keeps the
         dir) when it cannot.  */
      return delete_force_from_record (h->root_fd, h->dir_fd, h->id,
                                       h->state_error, err);
    }
  if ((h->status == OCI_STATUS_RUNNING || h->status == OCI_STATUS_PAUSED)
      && !force)
    return berth_error_set (err, 0,
                            "cannot delete container \"%s\" that is not "
                            "stopped: %s",
                            h->id, oci_status_name (h->status));
  config = container_handle_config (h, err);
  if (config == NULL)
    {
      berth_warn ("container \"%s\": %s: poststop hooks skipped", h->id,
                  (*err)->msg);
      berth_error_clear (err);
    }

  /* A created container is deleted without --force, as runc: its init
     never ran the workload.  Before the kill: devices to return are in
     the init's namespace.  */
  if (state->net)
    container_net_undo (state->net, state->pid, h->pidfd,
                        state->net->return_devices);
  if (h->pidfd >= 0 && sys_pidfd_send_signal (h->pidfd, SIGKILL) < 0
      && errno != ESRCH)
    return berth_error_sys (err, "kill container \"%s\"", h->id);
  /* Kills what else runs in the cgroup (without a pid namespace of its
     own, the init's death does not take it along) and thaws a paused one:
     a frozen process would never act on the SIGKILL above.  */
  if (h->cg && h->cg->ops->destroy (h->cg, err) < 0)
    return -1;
  if (h->pidfd >= 0)
    wait_pidfd_exit (h->pidfd);
  /* A container without a mount namespace made its mounts on the host.  */
  if (!h->no_host_mounts && host_mounts_undo (h->dir_fd, err) < 0)
    return -1;

  if (state_dir_remove_open (h->root_fd, h->id, h->dir_fd, err) < 0)
    return -1;
  if (config && config->hooks.n_hooks[OCI_HOOK_POSTSTOP])
    {
      cleanup_free char *json = NULL;
      state->status = OCI_STATUS_STOPPED;
      json = hooks_state_json (state);
      hooks_run_warn (config->hooks.hooks[OCI_HOOK_POSTSTOP],
                      config->hooks.n_hooks[OCI_HOOK_POSTSTOP],
                      OCI_HOOK_POSTSTOP, json);
    }
  return 0;
}
