/* berth: a container's network namespace made ahead of its restore, for
 * a migration that leaves the namespace out of CRIU's images (CRIU's
 * external namespace: its programs, `ip` and `iptables-save` at the dump,
 * `ip` and `iptables-restore` at the restore, are then out of the
 * downtime).  It is what create makes from config.json: loopback up, the
 * network sysctls of linux.sysctl, the veth pair of the
 * run.oci.berth.net.* annotations (net_setup), with the MAC the
 * container's end had on the source.  Its outside end stays down until
 * the restore (net_adopt_veth): nothing with the container's MAC or
 * address is seen on the network while the source still runs it, and no
 * packet reaches the namespace while CRIU rebuilds its TCP connections.
 * The namespace lives while its fd (or a process in it) does.  */
#ifndef BERTH_NETNS_PREPARE_H
#define BERTH_NETNS_PREPARE_H

#include "base/error.h"
#include "libcontainer/network/net-config.h"
#include "oci-spec/config.h"

/* The MAC of the container's end of its veth pair (annotations) in the
   namespace `netns_fd`.  */
int netns_veth_mac (const oci_config *config, int netns_fd,
                    unsigned char mac[6], berth_error **err);

/* Whether config.json gives the container a namespace berth makes (no
   path) with a veth pair of berth's and no device moved in: what
   netns_prepare can make again.  */
bool netns_preparable (const oci_config *config);

/* Makes the namespace of `config` (see above) with `mac` on the
   container's end: *fd_out, O_CLOEXEC.  On failure nothing is left.  */
int netns_prepare (const oci_config *config, const unsigned char mac[6],
                   int *fd_out, berth_error **err);

/* Drops a namespace netns_prepare made that no container took: its veth
   pair deleted now (the kernel would delete it with the namespace, but
   later, and its outside end's name must be free at once for CRIU's own
   pair), then the fd closed and set to -1.  Problems are warnings.  */
void netns_discard (const oci_config *config, int *fd);

#endif
