#include "libcontainer/network/net-qdisc.h"

#include <errno.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <string.h>

#include "libcontainer/network/mnl-api.h"
#include "libcontainer/network/net-config.h"

static struct nlmsghdr *
qdisc_msg (char *buf, uint16_t type, uint16_t flags, const net_link *l)
{
  struct nlmsghdr *nlh = nl_msg (buf, type, flags);
  struct tcmsg *tcm;

  tcm = mnl_nlmsg_put_extra_header (nlh, sizeof *tcm);
  tcm->tcm_family = AF_UNSPEC;
  tcm->tcm_ifindex = l->index;
  tcm->tcm_parent = TC_H_ROOT;
  return nlh;
}

int
net_tbf_set (nl_sock *s, const net_link *l, uint64_t rate, berth_error **err)
{
  char buf[NL_REQUEST_SIZE];
  char what[128], text[32];
  /* CREATE|REPLACE on the root with handle 0: a TBF already there is
     changed in place, anything else is replaced.  */
  struct nlmsghdr *nlh
      = qdisc_msg (buf, RTM_NEWQDISC, NLM_F_CREATE | NLM_F_REPLACE, l);
  struct tc_tbf_qopt opt;
  struct nlattr *nest;
  uint32_t burst, limit;
  uint64_t buffer_ns;

  net_tbf_size (rate, l->mtu, &burst, &limit);
  memset (&opt, 0, sizeof opt);
  /* A link layer set: the kernel computes transmission times itself, no
     rate table needed.  */
  opt.rate.linklayer = TC_LINKLAYER_ETHERNET;
  opt.rate.rate = rate >= UINT32_MAX ? UINT32_MAX : (uint32_t) rate;
  opt.limit = limit;
  /* The bucket as time in psched ticks (64 ns), for kernels that ignore
     TCA_TBF_BURST; capped as the kernel caps it.  */
  buffer_ns = (uint64_t) burst * 1000000000ULL / rate;
  opt.buffer = buffer_ns / 64 > UINT32_MAX ? UINT32_MAX
                                           : (uint32_t) (buffer_ns / 64);

  mnl_attr_put_strz (nlh, TCA_KIND, "tbf");
  nest = mnl_attr_nest_start (nlh, TCA_OPTIONS);
  mnl_attr_put (nlh, TCA_TBF_PARMS, sizeof opt, &opt);
  if (rate >= UINT32_MAX)
    mnl_attr_put_u64 (nlh, TCA_TBF_RATE64, rate);
  mnl_attr_put_u32 (nlh, TCA_TBF_BURST, burst);
  mnl_attr_nest_end (nlh, nest);

  net_rate_format (rate, text, sizeof text);
  snprintf (what, sizeof what, "RTM_NEWQDISC tbf rate %s dev %s", text,
            l->name);
  return nl_call (s, nlh, what, NULL, NULL, err);
}

int
net_qdisc_del_root (nl_sock *s, const net_link *l, berth_error **err)
{
  char buf[NL_REQUEST_SIZE];
  char what[96];
  struct nlmsghdr *nlh = qdisc_msg (buf, RTM_DELQDISC, 0, l);

  snprintf (what, sizeof what, "RTM_DELQDISC root dev %s", l->name);
  if (nl_call (s, nlh, what, NULL, NULL, err) < 0)
    {
      /* The default qdisc of a veth (noqueue) cannot be deleted: there is
         no limit to remove.  */
      if ((*err)->errnum != ENOENT)
        return -1;
      berth_error_clear (err);
    }
  return 0;
}
