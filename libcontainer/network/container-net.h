/* berth: the network steps of the container commands (container.c):
 * made at create once the init's namespace exists, undone at delete or
 * when create fails (libcontainer/network/net-setup.h does the work).  */
#ifndef BERTH_CONTAINER_NET_H
#define BERTH_CONTAINER_NET_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "base/error.h"
#include "libcontainer/network/net-config.h"
#include "oci-spec/state.h"

/* The network namespace of the live process `pid` (`pidfd` proves it is
   still the same one after the open); -1 with errno when it is gone.  */
int container_net_open_ns (pid_t pid, int pidfd);

/* Create: `pid` is in its final network namespace.  */
int container_net_create (const net_config *cfg, pid_t pid, int pidfd,
                          oci_net_state **out, berth_error **err);

/* Failed create (`return_devices` true) or delete: before the init is
   killed, while its namespace still holds the devices.  */
void container_net_undo (const oci_net_state *net, pid_t pid, int pidfd,
                         bool return_devices);

/* Changes the rate limits of the container's veth pair (annotation
   run.oci.berth.net.veth), in bytes per second: egress on the container's
   end, ingress on the outside end.  0 removes a limit;
   NET_RATE_UNCHANGED (libcontainer/network/net-setup.h) leaves it.  */
int container_update_net (const char *root, const char *id, uint64_t egress,
                          uint64_t ingress, berth_error **err);

#endif
