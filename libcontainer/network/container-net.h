/* berth: the network steps of the container commands (container.c):
 * made at create once the init's namespace exists, undone at delete or
 * when create fails (libcontainer/network/net-setup.h does the work).  */
#ifndef BERTH_CONTAINER_NET_H
#define BERTH_CONTAINER_NET_H

#include <stdbool.h>
#include <sys/types.h>

#include "base/error.h"
#include "libcontainer/network/net-config.h"
#include "oci-spec/state.h"

/* A pidfd of the container's init if it is still the recorded process,
   else -1 (container.c).  */
int open_init_pidfd (const oci_state *state);

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

#endif
