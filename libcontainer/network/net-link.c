#include "libcontainer/network/net-link.h"

#include <errno.h>
#include <net/if.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "base/cleanup.h"
#include "libcontainer/network/mnl-api.h"

static struct nlmsghdr *
link_msg (char *buf, uint16_t type, uint16_t flags, int index)
{
  struct nlmsghdr *nlh = nl_msg (buf, type, flags);
  struct ifinfomsg *ifm;

  ifm = mnl_nlmsg_put_extra_header (nlh, sizeof *ifm);
  ifm->ifi_family = AF_UNSPEC;
  ifm->ifi_index = index;
  return nlh;
}

static int
linkinfo_attr (const struct nlattr *attr, void *data)
{
  net_link *l = data;

  if (mnl_attr_get_type (attr) == IFLA_INFO_KIND
      && mnl_attr_validate (attr, MNL_TYPE_STRING) >= 0)
    snprintf (l->kind, sizeof l->kind, "%.*s",
              (int) mnl_attr_get_payload_len (attr),
              (const char *) mnl_attr_get_payload (attr));
  return MNL_CB_OK;
}

static int
link_attr (const struct nlattr *attr, void *data)
{
  net_link *l = data;

  switch (mnl_attr_get_type (attr))
    {
    case IFLA_IFNAME:
      if (mnl_attr_validate (attr, MNL_TYPE_NUL_STRING) >= 0)
        snprintf (l->name, sizeof l->name, "%s", mnl_attr_get_str (attr));
      break;
    case IFLA_ADDRESS:
      if (mnl_attr_get_payload_len (attr) == sizeof l->mac)
        {
          memcpy (l->mac, mnl_attr_get_payload (attr), sizeof l->mac);
          l->has_mac = true;
        }
      break;
    case IFLA_MTU:
      if (mnl_attr_validate (attr, MNL_TYPE_U32) >= 0)
        l->mtu = mnl_attr_get_u32 (attr);
      break;
    case IFLA_LINKINFO:
      mnl_attr_parse_nested (attr, linkinfo_attr, l);
      break;
    }
  return MNL_CB_OK;
}

static int
link_reply (const struct nlmsghdr *nlh, void *data, berth_error **err)
{
  const struct ifinfomsg *ifm = mnl_nlmsg_get_payload (nlh);
  net_link *l = data;

  if (nlh->nlmsg_type != RTM_NEWLINK
      || nlh->nlmsg_len < mnl_nlmsg_size (sizeof *ifm))
    return 0;
  memset (l, 0, sizeof *l);
  l->index = ifm->ifi_index;
  l->flags = ifm->ifi_flags;
  mnl_attr_parse (nlh, sizeof *ifm, link_attr, l);
  return 0;
}

static int
link_get (nl_sock *s, const char *name, int index, net_link *out,
          berth_error **err)
{
  char buf[NL_REQUEST_SIZE];
  char what[64];
  struct nlmsghdr *nlh = link_msg (buf, RTM_GETLINK, 0, index);

  if (name)
    {
      mnl_attr_put_strz (nlh, IFLA_IFNAME, name);
      snprintf (what, sizeof what, "RTM_GETLINK %s", name);
    }
  else
    snprintf (what, sizeof what, "RTM_GETLINK index %d", index);
  memset (out, 0, sizeof *out);
  if (nl_call (s, nlh, what, link_reply, out, err) < 0)
    {
      if ((*err)->errnum != ENODEV)
        return -1;
      berth_error_clear (err);
      return 0;
    }
  return out->index > 0 ? 1 : 0;
}

int
net_link_get (nl_sock *s, const char *name, net_link *out, berth_error **err)
{
  return link_get (s, name, 0, out, err);
}

int
net_link_get_index (nl_sock *s, int index, net_link *out, berth_error **err)
{
  return link_get (s, NULL, index, out, err);
}

int
net_link_set_up (nl_sock *s, const net_link *l, berth_error **err)
{
  char buf[NL_REQUEST_SIZE];
  char what[64];
  struct nlmsghdr *nlh = link_msg (buf, RTM_NEWLINK, 0, l->index);
  struct ifinfomsg *ifm = mnl_nlmsg_get_payload (nlh);

  ifm->ifi_flags = IFF_UP;
  ifm->ifi_change = IFF_UP;
  snprintf (what, sizeof what, "RTM_NEWLINK %s up", l->name);
  return nl_call (s, nlh, what, NULL, NULL, err);
}

int
net_link_set_master (nl_sock *s, const net_link *l, const net_link *bridge,
                     berth_error **err)
{
  char buf[NL_REQUEST_SIZE];
  char what[96];
  struct nlmsghdr *nlh = link_msg (buf, RTM_NEWLINK, 0, l->index);

  mnl_attr_put_u32 (nlh, IFLA_MASTER, (uint32_t) bridge->index);
  snprintf (what, sizeof what, "RTM_NEWLINK %s master %s", l->name,
            bridge->name);
  return nl_call (s, nlh, what, NULL, NULL, err);
}

int
net_link_move (nl_sock *s, const net_link *l, int netns_fd, const char *where,
               const char *new_name, berth_error **err)
{
  char buf[NL_REQUEST_SIZE];
  char what[160];
  struct nlmsghdr *nlh = link_msg (buf, RTM_NEWLINK, 0, l->index);

  /* One request: the kernel moves the link, then renames it in its new
     namespace.  */
  mnl_attr_put_u32 (nlh, IFLA_NET_NS_FD, (uint32_t) netns_fd);
  mnl_attr_put_strz (nlh, IFLA_IFNAME, new_name);
  snprintf (what, sizeof what, "RTM_NEWLINK %s netns %s name %s", l->name,
            where, new_name);
  return nl_call (s, nlh, what, NULL, NULL, err);
}

int
net_link_del (nl_sock *s, const char *name, berth_error **err)
{
  char buf[NL_REQUEST_SIZE];
  char what[64];
  struct nlmsghdr *nlh = link_msg (buf, RTM_DELLINK, 0, 0);

  mnl_attr_put_strz (nlh, IFLA_IFNAME, name);
  snprintf (what, sizeof what, "RTM_DELLINK %s", name);
  if (nl_call (s, nlh, what, NULL, NULL, err) < 0)
    {
      if ((*err)->errnum != ENODEV)
        return -1;
      berth_error_clear (err);
    }
  return 0;
}

int
net_veth_add (nl_sock *s, const char *name, int netns_fd, const char *peer,
              int peer_netns_fd, const unsigned char *peer_mac,
              berth_error **err)
{
  char buf[NL_REQUEST_SIZE];
  char what[96];
  struct nlmsghdr *nlh
      = link_msg (buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, 0);
  struct nlattr *info, *data, *peer_nest;
  struct ifinfomsg *peer_ifm;

  mnl_attr_put_strz (nlh, IFLA_IFNAME, name);
  mnl_attr_put_u32 (nlh, IFLA_NET_NS_FD, (uint32_t) netns_fd);
  info = mnl_attr_nest_start (nlh, IFLA_LINKINFO);
  mnl_attr_put_strz (nlh, IFLA_INFO_KIND, "veth");
  data = mnl_attr_nest_start (nlh, IFLA_INFO_DATA);
  /* VETH_INFO_PEER holds an ifinfomsg followed by the peer's own
     attributes.  */
  peer_nest = mnl_attr_nest_start (nlh, VETH_INFO_PEER);
  peer_ifm = mnl_nlmsg_put_extra_header (nlh, sizeof *peer_ifm);
  peer_ifm->ifi_family = AF_UNSPEC;
  mnl_attr_put_strz (nlh, IFLA_IFNAME, peer);
  mnl_attr_put_u32 (nlh, IFLA_NET_NS_FD, (uint32_t) peer_netns_fd);
  if (peer_mac)
    mnl_attr_put (nlh, IFLA_ADDRESS, 6, peer_mac);
  mnl_attr_nest_end (nlh, peer_nest);
  mnl_attr_nest_end (nlh, data);
  mnl_attr_nest_end (nlh, info);
  snprintf (what, sizeof what, "RTM_NEWLINK veth %s", name);
  return nl_call (s, nlh, what, NULL, NULL, err);
}

int
net_link_up_ioctl (const char *name, berth_error **err)
{
  /* Any socket serves the interface ioctls of its network namespace; a
     netlink one needs neither IPv4 nor a bind.  */
  cleanup_close int fd = socket (AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC,
                                 NETLINK_ROUTE);
  struct ifreq ifr;

  if (fd < 0)
    return berth_error_sys (err, "bring %s up: socket", name);
  memset (&ifr, 0, sizeof ifr);
  if (strlen (name) >= sizeof ifr.ifr_name)
    return berth_error_set (err, EINVAL, "bring %s up: name too long", name);
  strcpy (ifr.ifr_name, name);
  /* SIOCSIFFLAGS sets every flag it may change: the others as they are.  */
  if (ioctl (fd, SIOCGIFFLAGS, &ifr) < 0)
    return berth_error_sys (err, "bring %s up: SIOCGIFFLAGS", name);
  if (ifr.ifr_flags & IFF_UP)
    return 0;
  ifr.ifr_flags |= IFF_UP;
  if (ioctl (fd, SIOCSIFFLAGS, &ifr) < 0)
    return berth_error_sys (err, "bring %s up: SIOCSIFFLAGS", name);
  return 0;
}
