#include "netlink.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <net/if.h>
#include <linux/rtnetlink.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* One request, one ACK: returns 0 or sets *err from the kernel's answer.  */
static int
netlink_talk (struct nlmsghdr *nlh, const char *what, berth_error **err)
{
  char buf[MNL_SOCKET_BUFFER_SIZE];
  struct mnl_socket *nl;
  unsigned int portid;
  uint32_t seq = (uint32_t) time (NULL);
  ssize_t r;
  int ret = 0;

  nl = mnl_socket_open2 (NETLINK_ROUTE, SOCK_CLOEXEC);
  if (nl == NULL)
    return berth_error_sys (err, "netlink: %s: socket", what);
  if (mnl_socket_bind (nl, 0, MNL_SOCKET_AUTOPID) < 0)
    {
      ret = berth_error_sys (err, "netlink: %s: bind", what);
      goto out;
    }
  portid = mnl_socket_get_portid (nl);
  nlh->nlmsg_seq = seq;
  if (mnl_socket_sendto (nl, nlh, nlh->nlmsg_len) < 0)
    {
      ret = berth_error_sys (err, "netlink: %s: send", what);
      goto out;
    }
  r = mnl_socket_recvfrom (nl, buf, sizeof buf);
  if (r < 0)
    {
      ret = berth_error_sys (err, "netlink: %s: receive", what);
      goto out;
    }
  /* mnl_cb_run turns an NLMSG_ERROR with a non-zero code into -1/errno. */
  if (mnl_cb_run (buf, (size_t) r, seq, portid, NULL, NULL) < 0)
    ret = berth_error_sys (err, "netlink: %s", what);
out:
  mnl_socket_close (nl);
  return ret;
}

int
netlink_link_up (const char *name, berth_error **err)
{
  char buf[MNL_SOCKET_BUFFER_SIZE];
  struct nlmsghdr *nlh;
  struct ifinfomsg *ifm;
  unsigned int index = if_nametoindex (name);
  char what[64];

  snprintf (what, sizeof what, "RTM_NEWLINK %s up", name);
  if (index == 0)
    return berth_error_sys (err, "netlink: %s", what);
  nlh = mnl_nlmsg_put_header (buf);
  nlh->nlmsg_type = RTM_NEWLINK;
  nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
  ifm = mnl_nlmsg_put_extra_header (nlh, sizeof *ifm);
  ifm->ifi_family = AF_UNSPEC;
  ifm->ifi_index = (int) index;
  ifm->ifi_flags = IFF_UP;
  ifm->ifi_change = IFF_UP;
  return netlink_talk (nlh, what, err);
}
