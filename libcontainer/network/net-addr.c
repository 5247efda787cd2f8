#include "libcontainer/network/net-addr.h"

#include <arpa/inet.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/utils.h"
#include "libcontainer/network/mnl-api.h"

/* What RTM_NEWADDR takes from a user; the others are the kernel's.  */
#define SETTABLE_FLAGS                                                      \
  (IFA_F_NODAD | IFA_F_HOMEADDRESS | IFA_F_MANAGETEMPADDR                   \
   | IFA_F_NOPREFIXROUTE | IFA_F_MCAUTOJOIN)

typedef struct addr_dump
{
  int index;
  net_addr *addrs;
  size_t n;
} addr_dump;

typedef struct addr_attrs
{
  const struct nlattr *local, *address, *broadcast, *flags;
} addr_attrs;

static int
addr_attr (const struct nlattr *attr, void *data)
{
  addr_attrs *a = data;

  switch (mnl_attr_get_type (attr))
    {
    case IFA_LOCAL:
      a->local = attr;
      break;
    case IFA_ADDRESS:
      a->address = attr;
      break;
    case IFA_BROADCAST:
      a->broadcast = attr;
      break;
    case IFA_FLAGS:
      if (mnl_attr_validate (attr, MNL_TYPE_U32) >= 0)
        a->flags = attr;
      break;
    }
  return MNL_CB_OK;
}

static bool
copy_addr (const struct nlattr *attr, size_t len, unsigned char *out)
{
  if (attr == NULL || mnl_attr_get_payload_len (attr) != len)
    return false;
  memcpy (out, mnl_attr_get_payload (attr), len);
  return true;
}

static int
addr_reply (const struct nlmsghdr *nlh, void *data, berth_error **err)
{
  const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload (nlh);
  addr_dump *d = data;
  addr_attrs at = { 0 };
  uint32_t flags;
  size_t len;
  net_addr a;

  if (nlh->nlmsg_type != RTM_NEWADDR
      || nlh->nlmsg_len < mnl_nlmsg_size (sizeof *ifa)
      || (int) ifa->ifa_index != d->index
      || ifa->ifa_scope != RT_SCOPE_UNIVERSE)
    return 0;
  if (ifa->ifa_family != AF_INET && ifa->ifa_family != AF_INET6)
    return 0;
  mnl_attr_parse (nlh, sizeof *ifa, addr_attr, &at);
  flags = at.flags ? mnl_attr_get_u32 (at.flags) : ifa->ifa_flags;
  if (!(flags & IFA_F_PERMANENT))
    return 0;
  len = ifa->ifa_family == AF_INET ? 4 : 16;
  memset (&a, 0, sizeof a);
  a.local.family = ifa->ifa_family;
  a.local.prefixlen = ifa->ifa_prefixlen;
  if (!copy_addr (at.local, len, a.local.addr)
      && !copy_addr (at.address, len, a.local.addr))
    return 0;
  if (at.local && copy_addr (at.address, len, a.peer)
      && memcmp (a.peer, a.local.addr, len) != 0)
    a.has_peer = true;
  if (ifa->ifa_family == AF_INET)
    a.has_broadcast = copy_addr (at.broadcast, 4, a.broadcast);
  a.flags = flags & SETTABLE_FLAGS;
  d->addrs = xrealloc (d->addrs, (d->n + 1) * sizeof *d->addrs);
  d->addrs[d->n++] = a;
  return 0;
}

int
net_addr_list (nl_sock *s, const net_link *l, net_addr **out, size_t *n,
               berth_error **err)
{
  char buf[NL_REQUEST_SIZE];
  char what[64];
  struct nlmsghdr *nlh = nl_msg (buf, RTM_GETADDR, NLM_F_DUMP);
  struct ifaddrmsg *ifa;
  addr_dump d = { .index = l->index };

  ifa = mnl_nlmsg_put_extra_header (nlh, sizeof *ifa);
  ifa->ifa_family = AF_UNSPEC;
  ifa->ifa_index = (uint32_t) l->index;
  snprintf (what, sizeof what, "RTM_GETADDR dev %s", l->name);
  if (nl_call (s, nlh, what, addr_reply, &d, err) < 0)
    {
      free (d.addrs);
      return -1;
    }
  *out = d.addrs;
  *n = d.n;
  return 0;
}

int
net_addr_add (nl_sock *s, const net_link *l, const net_addr *a,
              berth_error **err)
{
  char buf[NL_REQUEST_SIZE];
  char what[128], text[INET6_ADDRSTRLEN];
  struct nlmsghdr *nlh
      = nl_msg (buf, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL);
  struct ifaddrmsg *ifa;
  size_t len = a->local.family == AF_INET ? 4 : 16;

  ifa = mnl_nlmsg_put_extra_header (nlh, sizeof *ifa);
  ifa->ifa_family = (unsigned char) a->local.family;
  ifa->ifa_prefixlen = (unsigned char) a->local.prefixlen;
  ifa->ifa_scope = RT_SCOPE_UNIVERSE;
  ifa->ifa_index = (uint32_t) l->index;
  mnl_attr_put (nlh, IFA_LOCAL, len, a->local.addr);
  mnl_attr_put (nlh, IFA_ADDRESS, len, a->has_peer ? a->peer : a->local.addr);
  if (a->has_broadcast)
    mnl_attr_put (nlh, IFA_BROADCAST, 4, a->broadcast);
  if (a->flags)
    mnl_attr_put_u32 (nlh, IFA_FLAGS, a->flags);
  inet_ntop (a->local.family, a->local.addr, text, sizeof text);
  snprintf (what, sizeof what, "RTM_NEWADDR %s/%u dev %s", text,
            a->local.prefixlen, l->name);
  return nl_call (s, nlh, what, NULL, NULL, err);
}

int
net_route_add_default (nl_sock *s, const net_link *l, int family,
                       const unsigned char *gateway, berth_error **err)
{
  char buf[NL_REQUEST_SIZE];
  char what[128], text[INET6_ADDRSTRLEN];
  struct nlmsghdr *nlh
      = nl_msg (buf, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL);
  struct rtmsg *rtm;

  rtm = mnl_nlmsg_put_extra_header (nlh, sizeof *rtm);
  rtm->rtm_family = (unsigned char) family;
  rtm->rtm_table = RT_TABLE_MAIN;
  rtm->rtm_protocol = RTPROT_BOOT;
  rtm->rtm_scope = RT_SCOPE_UNIVERSE;
  rtm->rtm_type = RTN_UNICAST;
  mnl_attr_put (nlh, RTA_GATEWAY, family == AF_INET ? 4 : 16, gateway);
  mnl_attr_put_u32 (nlh, RTA_OIF, (uint32_t) l->index);
  inet_ntop (family, gateway, text, sizeof text);
  snprintf (what, sizeof what, "RTM_NEWROUTE default via %s dev %s", text,
            l->name);
  return nl_call (s, nlh, what, NULL, NULL, err);
}
