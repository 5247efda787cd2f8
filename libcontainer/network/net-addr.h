/* berth: IP addresses and the default route of a link, through
 * rtnetlink.  */
#ifndef BERTH_NET_ADDR_H
#define BERTH_NET_ADDR_H

#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "libcontainer/network/net-config.h"
#include "libcontainer/network/net-link.h"
#include "libcontainer/network/netlink.h"

/* One address as the kernel reports it.  */
typedef struct net_addr
{
  net_cidr local;          /* IFA_LOCAL (IFA_ADDRESS when there is none) */
  bool has_peer;           /* point-to-point: IFA_ADDRESS differs */
  unsigned char peer[16];
  bool has_broadcast;      /* IPv4 */
  unsigned char broadcast[4];
  uint32_t flags;          /* the IFA_F_* a user may set (nodad...) */
} net_addr;

/* The permanent addresses of global scope of `l` (what runtime-spec 1.3
   says a moved device keeps), every family.  */
int net_addr_list (nl_sock *s, const net_link *l, net_addr **out, size_t *n,
                   berth_error **err);

int net_addr_add (nl_sock *s, const net_link *l, const net_addr *a,
                  berth_error **err);

/* The default route of `family` through `gateway`, out of `l`.  */
int net_route_add_default (nl_sock *s, const net_link *l, int family,
                           const unsigned char *gateway, berth_error **err);

#endif
