/* berth: netlink (rtnetlink) through libmnl.  */
#ifndef BERTH_NETLINK_H
#define BERTH_NETLINK_H

#include "libcontainer/error.h"

/* Sets IFF_UP on the interface `name` of the caller's network namespace.  */
int netlink_link_up (const char *name, berth_error **err);

#endif
