/* berth: gratuitous ARP and unsolicited NA (libcontainer/network/net-announce.h).  */
#include "libcontainer/network/net-announce.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <sched.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/cleanup.h"

struct arp_ipv4
{
  struct arphdr h;
  unsigned char sha[ETH_ALEN];
  unsigned char spa[4];
  unsigned char tha[ETH_ALEN];
  unsigned char tpa[4];
} __attribute__ ((packed));

struct na_packet
{
  struct nd_neighbor_advert na;
  struct nd_opt_hdr opt;
  unsigned char mac[ETH_ALEN];
} __attribute__ ((packed));

static int
link_mac (const char *ifname, unsigned char mac[ETH_ALEN])
{
  cleanup_close int fd = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  struct ifreq ifr = { 0 };

  if (fd < 0)
    return -1;
  snprintf (ifr.ifr_name, sizeof ifr.ifr_name, "%s", ifname);
  if (ioctl (fd, SIOCGIFHWADDR, &ifr) < 0)
    return -1;
  memcpy (mac, ifr.ifr_hwaddr.sa_data, ETH_ALEN);
  return 0;
}

/* A gratuitous ARP request: sender and target are the address, to the
   broadcast address (as arping -U).  */
static int
send_garp (int ifindex, const unsigned char mac[ETH_ALEN],
           const unsigned char ip[4])
{
  cleanup_close int fd
      = socket (AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, htons (ETH_P_ARP));
  struct sockaddr_ll to = { .sll_family = AF_PACKET,
                            .sll_protocol = htons (ETH_P_ARP),
                            .sll_ifindex = ifindex,
                            .sll_halen = ETH_ALEN };
  struct arp_ipv4 p = { 0 };

  if (fd < 0)
    return -1;
  memset (to.sll_addr, 0xff, ETH_ALEN);
  p.h.ar_hrd = htons (ARPHRD_ETHER);
  p.h.ar_pro = htons (ETH_P_IP);
  p.h.ar_hln = ETH_ALEN;
  p.h.ar_pln = 4;
  p.h.ar_op = htons (ARPOP_REQUEST);
  memcpy (p.sha, mac, ETH_ALEN);
  memcpy (p.spa, ip, 4);
  memcpy (p.tpa, ip, 4);
  return sendto (fd, &p, sizeof p, 0, (struct sockaddr *) &to, sizeof to)
                 < 0
             ? -1
             : 0;
}

/* An unsolicited neighbour advertisement to all nodes, override set, our
   MAC as the target's link-layer address; the kernel fills in the ICMPv6
   checksum.  */
static int
send_na (int ifindex, const unsigned char mac[ETH_ALEN],
         const unsigned char ip[16])
{
  cleanup_close int fd
      = socket (AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMPV6);
  struct sockaddr_in6 from = { .sin6_family = AF_INET6 };
  struct sockaddr_in6 to = { .sin6_family = AF_INET6,
                             .sin6_scope_id = (uint32_t) ifindex };
  struct na_packet p = { 0 };
  int hops = 255, one = 1;

  if (fd < 0)
    return -1;
  if (setsockopt (fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops, sizeof hops)
          < 0
      || setsockopt (fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &ifindex,
                     sizeof ifindex)
             < 0)
    return -1;
  /* The address may still be tentative (duplicate address detection
     after the restore): the source is ours either way.  */
  setsockopt (fd, IPPROTO_IPV6, IPV6_FREEBIND, &one, sizeof one);
  memcpy (&from.sin6_addr, ip, 16);
  if (IN6_IS_ADDR_LINKLOCAL (&from.sin6_addr))
    from.sin6_scope_id = (uint32_t) ifindex;
  if (bind (fd, (struct sockaddr *) &from, sizeof from) < 0)
    return -1;
  inet_pton (AF_INET6, "ff02::1", &to.sin6_addr);
  p.na.nd_na_type = ND_NEIGHBOR_ADVERT;
  p.na.nd_na_flags_reserved = ND_NA_FLAG_OVERRIDE;
  memcpy (&p.na.nd_na_target, ip, 16);
  p.opt.nd_opt_type = ND_OPT_TARGET_LINKADDR;
  p.opt.nd_opt_len = 1; /* in units of 8 bytes: 2 + 6 */
  memcpy (p.mac, mac, ETH_ALEN);
  return sendto (fd, &p, sizeof p, 0, (struct sockaddr *) &to, sizeof to)
                 < 0
             ? -1
             : 0;
}

/* In the child, in the container's namespace: errno on failure.  */
static int
announce_here (const char *ifname, const net_cidr *addr, int count)
{
  unsigned char mac[ETH_ALEN];
  int ifindex = (int) if_nametoindex (ifname);

  if (ifindex == 0 || link_mac (ifname, mac) < 0)
    return errno ? errno : ENODEV;
  for (int i = 0; i < count; i++)
    {
      struct timespec gap = { 0, 100 * 1000 * 1000 };
      int r = addr->family == AF_INET ? send_garp (ifindex, mac, addr->addr)
                                      : send_na (ifindex, mac, addr->addr);
      if (r < 0)
        return errno ? errno : EIO;
      if (i + 1 < count)
        nanosleep (&gap, NULL);
    }
  return 0;
}

int
net_announce (int netns_fd, const char *ifname, const net_cidr *addr,
              int count, berth_error **err)
{
  char text[INET6_ADDRSTRLEN] = "?";
  pid_t pid;
  int ws;

  inet_ntop (addr->family, addr->addr, text, sizeof text);
  pid = fork ();
  if (pid < 0)
    return berth_error_sys (err, "fork");
  if (pid == 0)
    {
      if (setns (netns_fd, CLONE_NEWNET) < 0)
        _exit (errno & 0xff);
      _exit (announce_here (ifname, addr, count) & 0xff);
    }
  while (waitpid (pid, &ws, 0) < 0)
    if (errno != EINTR)
      return berth_error_sys (err, "waitpid");
  if (WIFEXITED (ws) && WEXITSTATUS (ws) == 0)
    return 0;
  return berth_error_set (err, WIFEXITED (ws) ? WEXITSTATUS (ws) : EINTR,
                          "announcing %s (%s) on %s from the container",
                          text,
                          addr->family == AF_INET ? "gratuitous ARP"
                                                  : "unsolicited NA",
                          ifname);
}
