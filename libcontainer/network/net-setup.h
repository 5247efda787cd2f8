/* berth: the container's network, made by berth (the parent) from
 * outside the container: linux.netDevices moved in, the veth pair of the
 * run.oci.berth.net.* annotations with its addresses, default route and
 * rate limits; undone on delete or a failed create; rates changed by
 * `update`.  The container's namespace is reached through an fd of it.
 * What was made is recorded in an oci_net_state (kept in state.json).  */
#ifndef BERTH_NET_SETUP_H
#define BERTH_NET_SETUP_H

#include <stdbool.h>
#include <stdint.h>

#include "base/error.h"
#include "libcontainer/network/net-config.h"
#include "oci-spec/state.h"

/* For net_update_rates: leave this direction as it is.  0 removes the
   limit.  */
#define NET_RATE_UNCHANGED UINT64_MAX

/* Before anything is made: every device of linux.netDevices exists in
   berth's network namespace, peer-netns is a network namespace.  */
int net_check_host (const net_config *cfg, berth_error **err);

/* Once the init is in its network namespace `ctr_netns_fd`.  On failure
   what it made is undone (devices go back) and *out stays NULL.  */
int net_setup (const net_config *cfg, int ctr_netns_fd, oci_net_state **out,
               berth_error **err);

/* After CRIU restored the container's network namespace (`ctr_netns_fd`)
   with the inside end of its veth pair, and made the outside end
   (criu_local_add_veth_pair) in berth's namespace: the outside end goes
   to its peer namespace, and both ends get back what CRIU does not carry
   (the outside address, up, the rate limits; CRIU restores the inside
   addresses and routes).  On failure the pair is deleted and *out stays
   NULL.  */
int net_restore_veth (const net_config *cfg, int ctr_netns_fd,
                      oci_net_state **out, berth_error **err);

/* After CRIU restored the container into a namespace berth made ahead
   (netns-prepare.h, its pair made by net_setup with cfg->outside_down):
   the pair recorded as net_setup records it, and its outside end brought
   up, which puts the container on the network.  On failure the pair is
   deleted and *out stays NULL.  */
int net_adopt_veth (const net_config *cfg, int ctr_fd, oci_net_state **out,
                    berth_error **err);

/* Undoes `net`: deletes the veth pair (either end takes the other along)
   and, with `return_devices`, moves the devices back to the namespace
   they came from, with their addresses (this needs the container's
   namespace: `ctr_netns_fd` >= 0).  Problems are warnings.  */
void net_teardown (const oci_net_state *net, int ctr_netns_fd,
                   bool return_devices);

/* Sets the egress (container end) and ingress (outside end) limits of a
   running container's veth pair and records them in `net`.  */
int net_update_rates (oci_net_state *net, int ctr_netns_fd, uint64_t egress,
                      uint64_t ingress, berth_error **err);

#endif
