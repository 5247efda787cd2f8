/* berth: rtnetlink through libmnl: one socket bound to one network
 * namespace, requests answered by an ACK or a dump, errors that name the
 * object ("netlink: RTM_NEWLINK veth bth0: File exists").  The link,
 * address and qdisc operations are in net-link.h, net-addr.h and
 * net-qdisc.h.  */
#ifndef BERTH_NETLINK_H
#define BERTH_NETLINK_H

#include <linux/netlink.h>
#include <stdint.h>

#include "base/error.h"

typedef struct nl_sock nl_sock;

/* A socket in the network namespace `netns_fd` (-1: the caller's).  The
   caller's thread enters the namespace only to create the socket: a
   netlink socket keeps the namespace it was made in.  */
nl_sock *nl_open (int netns_fd, berth_error **err);

void nl_close (nl_sock *s);

/* A buffer large enough for any request berth builds.  */
#define NL_REQUEST_SIZE 1024

/* Starts a request of `type` in `buf` (NL_REQUEST_SIZE bytes, zeroed
   first: libmnl leaves attribute padding as it finds it).  */
struct nlmsghdr *nl_msg (char *buf, uint16_t type, uint16_t flags);

/* Sends `nlh` (NLM_F_REQUEST and NLM_F_ACK are added, the sequence number
   set) and reads the answer up to its ACK, NLMSG_DONE or error.  Every
   other message goes to `cb` (may be NULL), which returns < 0 with *err
   set to stop.  A kernel error becomes "netlink: <what>: <strerror>",
   with the kernel's own explanation appended when it gives one; its
   errno is in (*err)->errnum.  */
int nl_call (nl_sock *s, struct nlmsghdr *nlh, const char *what,
             int (*cb) (const struct nlmsghdr *, void *, berth_error **),
             void *data, berth_error **err);

#endif
