/* berth: network links through rtnetlink: look up, bring up, move into
 * another network namespace, delete, create veth pairs.  */
#ifndef BERTH_NET_LINK_H
#define BERTH_NET_LINK_H

#include <net/if.h>
#include <stdbool.h>

#include "base/error.h"
#include "libcontainer/network/netlink.h"

typedef struct net_link
{
  int index;
  unsigned int mtu;
  unsigned int flags; /* IFF_* */
  char name[IFNAMSIZ];
  char kind[16];      /* IFLA_INFO_KIND ("veth"); "" for a physical one */
  unsigned char mac[6]; /* IFLA_ADDRESS of an Ethernet link */
  bool has_mac;
} net_link;

/* 1 and *out when a link `name` exists in the socket's namespace, 0 when
   not, < 0 on error.  */
int net_link_get (nl_sock *s, const char *name, net_link *out,
                  berth_error **err);

/* The same by index.  */
int net_link_get_index (nl_sock *s, int index, net_link *out,
                        berth_error **err);

int net_link_set_up (nl_sock *s, const net_link *l, berth_error **err);

/* Moves `l` into the namespace `netns_fd` (named `where` in messages),
   named `new_name` there; a name ending in %d lets the kernel pick a free
   number.  */
/* `l` enslaved to `bridge` (IFLA_MASTER), in the socket's namespace.  */
int net_link_set_master (nl_sock *s, const net_link *l,
                         const net_link *bridge, berth_error **err);

int net_link_move (nl_sock *s, const net_link *l, int netns_fd,
                   const char *where, const char *new_name,
                   berth_error **err);

/* Deletes the link `name`; 0 also when there is none.  Deleting one end
   of a veth pair deletes both.  */
int net_link_del (nl_sock *s, const char *name, berth_error **err);

/* A veth pair: `name` in the namespace `netns_fd`, its peer `peer` in
   `peer_netns_fd`, both created there directly; `peer_mac` the peer's
   MAC (NULL: the kernel's random one).  */
int net_veth_add (nl_sock *s, const char *name, int netns_fd,
                  const char *peer, int peer_netns_fd,
                  const unsigned char *peer_mac, berth_error **err);

/* Sets IFF_UP on the interface `name` of the caller's network namespace
   (the init's loopback) with ioctl(SIOCGIFFLAGS, SIOCSIFFLAGS), as crun
   does: four calls where netlink took eight (socket, bind, getsockname,
   two setsockopt, send, receive, close), and no libmnl (mnl-api.h), which
   a container with no network of berth's making then never loads.  */
int net_link_up_ioctl (const char *name, berth_error **err);

#endif
