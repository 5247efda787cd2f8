/* berth: firewall rules of a network namespace
 * (libcontainer/network/net-firewall.h).  */
#include "libcontainer/network/net-firewall.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter_ipv4/ip_tables.h>
#include <linux/netfilter_ipv6/ip6_tables.h>
#include <linux/netlink.h>
#include <sched.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "base/utils.h"

bool
net_xt_table_empty (unsigned int valid_hooks, unsigned int num_entries,
                    const bool policy_accept[], size_t n_hooks)
{
  unsigned int chains = 0;

  for (size_t h = 0; h < n_hooks; h++)
    if (valid_hooks & (1u << h))
      {
        chains++;
        if (!policy_accept[h])
          return false;
      }
  return num_entries == chains + 1;
}

/* What the child found, as one line for the parent.  */
typedef struct found
{
  char what[128];
} found;

/* One x_tables table: 1 when it has something of its own.  The IPv4 and
   IPv6 structures share their layout but for the entries themselves;
   `target_offset_at` is where an entry keeps its target's offset.  */
static int
xt_table (int sk, int level, int opt_info, int opt_entries,
          size_t target_offset_at, const char *name)
{
  struct ipt_getinfo info;
  cleanup_free struct ipt_get_entries *e = NULL;
  bool accept[NF_INET_NUMHOOKS] = { false };
  socklen_t len = sizeof info;
  size_t size;

  memset (&info, 0, sizeof info);
  snprintf (info.name, sizeof info.name, "%s", name);
  if (getsockopt (sk, level, opt_info, &info, &len) < 0)
    return errno == ENOENT ? 0 : -1;
  size = sizeof *e + info.size;
  e = xmalloc0 (size);
  snprintf (e->name, sizeof e->name, "%s", name);
  e->size = info.size;
  len = (socklen_t) size;
  if (getsockopt (sk, level, opt_entries, e, &len) < 0)
    return -1;
  for (unsigned int h = 0; h < NF_INET_NUMHOOKS; h++)
    {
      const char *entry;
      const struct xt_standard_target *t;
      uint16_t off;

      if (!(info.valid_hooks & (1u << h)) || info.underflow[h] >= info.size)
        continue;
      /* The built-in chain's policy: the entry at its underflow.  */
      entry = (const char *) e->entrytable + info.underflow[h];
      memcpy (&off, entry + target_offset_at, sizeof off);
      if (info.underflow[h] + off + sizeof *t > info.size)
        continue;
      t = (const struct xt_standard_target *) (entry + off);
      accept[h] = t->target.u.user.name[0] == '\0'
                  && t->verdict == -NF_ACCEPT - 1;
    }
  return net_xt_table_empty (info.valid_hooks, info.num_entries, accept,
                             NF_INET_NUMHOOKS)
             ? 0
             : 1;
}

/* The legacy tables the namespace has (/proc/self/net/ip*_tables_names,
   absent when the module is not loaded).  */
static int
xt_family (bool v6, found *f)
{
  const char *names = v6 ? "/proc/self/net/ip6_tables_names"
                         : "/proc/self/net/ip_tables_names";
  cleanup_file FILE *in = fopen (names, "re");
  cleanup_close int sk = -1;
  char name[64];

  if (in == NULL)
    return errno == ENOENT ? 0 : -1;
  sk = socket (v6 ? AF_INET6 : AF_INET, SOCK_RAW | SOCK_CLOEXEC,
               IPPROTO_RAW);
  if (sk < 0)
    return -1;
  while (fscanf (in, "%63s", name) == 1)
    {
      int r = v6 ? xt_table (sk, IPPROTO_IPV6, IP6T_SO_GET_INFO,
                             IP6T_SO_GET_ENTRIES,
                             offsetof (struct ip6t_entry, target_offset),
                             name)
                 : xt_table (sk, IPPROTO_IP, IPT_SO_GET_INFO,
                             IPT_SO_GET_ENTRIES,
                             offsetof (struct ipt_entry, target_offset),
                             name);
      if (r != 0)
        {
          if (r > 0)
            snprintf (f->what, sizeof f->what, "%s %s table",
                      v6 ? "ip6tables" : "iptables", name);
          return r;
        }
    }
  return 0;
}

/* Any nftables table: a dump of NFT_MSG_GETTABLE.  */
static int
nft_tables (found *f)
{
  cleanup_close int sk = -1;
  struct
  {
    struct nlmsghdr nlh;
    struct nfgenmsg nfg;
  } req;
  char buf[16384];
  ssize_t n;

  /* Not loaded: no table, and asking would load it.  */
  if (access ("/sys/module/nf_tables", F_OK) < 0)
    return 0;
  sk = socket (AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER);
  if (sk < 0)
    return -1;
  memset (&req, 0, sizeof req);
  req.nlh.nlmsg_len = sizeof req;
  req.nlh.nlmsg_type = (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_GETTABLE;
  req.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  req.nlh.nlmsg_seq = 1;
  req.nfg.nfgen_family = AF_UNSPEC;
  req.nfg.version = NFNETLINK_V0;
  if (send (sk, &req, sizeof req, 0) < 0)
    return -1;
  while ((n = recv (sk, buf, sizeof buf, 0)) > 0)
    {
      struct nlmsghdr *h = (struct nlmsghdr *) buf;
      for (; NLMSG_OK (h, (size_t) n); h = NLMSG_NEXT (h, n))
        {
          if (h->nlmsg_type == NLMSG_DONE)
            return 0;
          if (h->nlmsg_type == NLMSG_ERROR)
            {
              const struct nlmsgerr *e = NLMSG_DATA (h);
              errno = -e->error;
              return e->error == 0 ? 0 : -1;
            }
          if (h->nlmsg_type
              == ((NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_NEWTABLE))
            {
              snprintf (f->what, sizeof f->what, "nftables table");
              return 1;
            }
        }
    }
  return n < 0 ? -1 : 0;
}

/* In the child, in the namespace.  */
static int
find_here (found *f)
{
  int r = xt_family (false, f);
  if (r == 0)
    r = xt_family (true, f);
  if (r == 0)
    r = nft_tables (f);
  if (r < 0)
    snprintf (f->what, sizeof f->what, "%s", strerror (errno));
  return r;
}

int
net_firewall_find (int netns_fd, char **what, berth_error **err)
{
  found f;
  ssize_t n, got = 0;
  int p[2], ws = 0;
  pid_t pid;

  *what = NULL;
  if (pipe2 (p, O_CLOEXEC) < 0)
    return berth_error_sys (err, "pipe");
  pid = fork ();
  if (pid < 0)
    {
      close (p[0]);
      close (p[1]);
      return berth_error_sys (err, "fork");
    }
  if (pid == 0)
    {
      int r;
      close (p[0]);
      memset (&f, 0, sizeof f);
      if (setns (netns_fd, CLONE_NEWNET) < 0)
        {
          snprintf (f.what, sizeof f.what, "setns: %s", strerror (errno));
          r = -1;
        }
      else
        r = find_here (&f);
      write_all (p[1], f.what, strlen (f.what));
      _exit (r < 0 ? 2 : r);
    }
  close (p[1]);
  memset (&f, 0, sizeof f);
  while ((n = TEMP_FAILURE_RETRY (read (p[0], f.what + got,
                                        sizeof f.what - 1 - (size_t) got)))
         > 0)
    got += n;
  close (p[0]);
  while (waitpid (pid, &ws, 0) < 0)
    if (errno != EINTR)
      return berth_error_sys (err, "waitpid");
  if (!WIFEXITED (ws) || WEXITSTATUS (ws) > 1)
    return berth_error_set (err, 0, "reading the firewall rules of the "
                                    "container's network namespace: %s",
                            got ? f.what : "the check died");
  if (WEXITSTATUS (ws) == 1)
    {
      *what = xstrdup (f.what);
      return 1;
    }
  return 0;
}
