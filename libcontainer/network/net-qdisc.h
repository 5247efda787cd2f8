/* berth: the token bucket (TBF) that limits what leaves a link, through
 * rtnetlink (RTM_NEWQDISC, as `tc qdisc replace dev L root tbf`).  */
#ifndef BERTH_NET_QDISC_H
#define BERTH_NET_QDISC_H

#include <stdint.h>

#include "base/error.h"
#include "libcontainer/network/net-link.h"
#include "libcontainer/network/netlink.h"

/* Makes the root qdisc of `l` a TBF of `rate` bytes per second, or
   changes the rate of the TBF already there.  */
int net_tbf_set (nl_sock *s, const net_link *l, uint64_t rate,
                 berth_error **err);

/* Removes the root qdisc of `l` (back to the default); 0 when it has
   none.  */
int net_qdisc_del_root (nl_sock *s, const net_link *l, berth_error **err);

#endif
