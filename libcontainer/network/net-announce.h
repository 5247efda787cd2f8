/* berth: telling the network where an address is now.  After a
 * container moved to another host with its veth bridged on the hosts'
 * L2 network (migrate --to), its address and MAC are the same but the
 * switches and the peers' neighbour caches still point at the old port:
 * a gratuitous ARP (IPv4) or an unsolicited neighbour advertisement with
 * the override flag (IPv6, RFC 4861 7.2.6) from inside the container's
 * namespace updates them at once instead of after their timeouts.  */
#ifndef BERTH_NET_ANNOUNCE_H
#define BERTH_NET_ANNOUNCE_H

#include "base/error.h"
#include "libcontainer/network/net-config.h"

/* `count` announcements of `addr` on `ifname`, 100 ms apart, sent from
   the network namespace `netns_fd` (a child process joins it).  */
int net_announce (int netns_fd, const char *ifname, const net_cidr *addr,
                  int count, berth_error **err);

#endif
