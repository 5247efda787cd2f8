#include "libcontainer/network/container-net.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "libcontainer/lifecycle/handle.h"
#include "libcontainer/network/net-setup.h"
#include "libcontainer/lifecycle/state.h"

int
container_net_open_ns (pid_t pid, int pidfd)
{
  char path[64];
  cleanup_close int fd = -1;
  struct pollfd p = { .fd = pidfd, .events = POLLIN };

  if (pid <= 0 || pidfd < 0)
    {
      errno = ESRCH;
      return -1;
    }
  snprintf (path, sizeof path, "/proc/%d/ns/net", (int) pid);
  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return -1;
  /* A pidfd becomes readable when its process exits: if it did not, the
     pid was not reused and the namespace is the init's.  */
  if (poll (&p, 1, 0) != 0)
    {
      errno = ESRCH;
      return -1;
    }
  return steal_fd (&fd);
}

int
container_net_create (const net_config *cfg, pid_t pid, int pidfd,
                      oci_net_state **out, berth_error **err)
{
  cleanup_close int fd = container_net_open_ns (pid, pidfd);

  if (fd < 0)
    return berth_error_sys (err, "open the network namespace of the "
                                 "container's init");
  return net_setup (cfg, fd, out, err);
}

void
container_net_undo (const oci_net_state *net, pid_t pid, int pidfd,
                    bool return_devices)
{
  cleanup_close int fd = -1;

  if (net == NULL)
    return;
  fd = container_net_open_ns (pid, pidfd);
  net_teardown (net, fd, return_devices);
}

int
container_update_net (const char *root, const char *id, uint64_t egress,
                      uint64_t ingress, berth_error **err)
{
  cleanup_container_handle container_handle *h = NULL;
  cleanup_close int ns_fd = -1;
  int ret;

  if (container_open (root, id, CONTAINER_OPEN_LOCK_EXCLUSIVE, &h, err) < 0)
    return -1;
  if (h->status == OCI_STATUS_STOPPED
      || (ns_fd = container_net_open_ns (h->state->pid, h->pidfd)) < 0)
    return berth_error_set (err, 0, "container \"%s\" is not running", id);
  ret = net_update_rates (h->state->net, ns_fd, egress, ingress, err);
  if (ret < 0)
    berth_error_wrap (err, "update \"%s\"", id);
  /* Also after a failure: the direction done first has its new rate.  */
  if (state_save (h->dir_fd, h->state, ret < 0 ? NULL : err) < 0)
    ret = -1;
  return ret;
}
