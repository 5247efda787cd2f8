/* berth: what the container's network looks like, from config.json
 * (linux.netDevices) and the run.oci.berth.net.* annotations.  Pure: every
 * annotation is checked here, before anything is made, and unit-tested.
 *
 *   run.oci.berth.net.veth=<name>          a veth pair; <name> is the end
 *                                          outside the container
 *   run.oci.berth.net.name=<name>          the end inside (default eth0)
 *   run.oci.berth.net.address=<cidr>       address of the inside end
 *   run.oci.berth.net.gateway=<ip>         default route of the container
 *   run.oci.berth.net.peer-netns=<path>    namespace of the outside end
 *                                          (default: berth's own)
 *   run.oci.berth.net.peer-address=<cidr>  address of the outside end
 *   run.oci.berth.net.bridge=<name>        the outside end joins this
 *                                          bridge (in the peer's
 *                                          namespace): the container on
 *                                          the host's L2 network, where
 *                                          its address and MAC can move
 *                                          to another host (migrate --to)
 *   run.oci.berth.net.egress-rate=<rate>   TBF on the inside end
 *   run.oci.berth.net.ingress-rate=<rate>  TBF on the outside end
 *   run.oci.berth.net.return-devices=true  linux.netDevices go back to
 *                                          berth's namespace on delete  */
#ifndef BERTH_NET_CONFIG_H
#define BERTH_NET_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "oci-spec/config.h"

#define NET_ANNOTATION_PREFIX "run.oci.berth.net."

typedef struct net_cidr
{
  int family; /* AF_INET, AF_INET6 */
  unsigned int prefixlen;
  unsigned char addr[16];
} net_cidr;

typedef struct net_config
{
  const oci_net_device *devices; /* linux.netDevices */
  size_t n_devices;
  bool return_devices;

  const char *veth;              /* NULL: no veth pair */
  const char *name;              /* the container's end */
  const char *peer_netns;        /* NULL: berth's own */
  const char *bridge;            /* NULL: the outside end in no bridge */
  bool has_address;
  net_cidr address;
  bool has_gateway;
  net_cidr gateway;              /* prefixlen unused */
  bool has_peer_address;
  net_cidr peer_address;
  uint64_t egress_rate;          /* bytes per second; 0: no limit */
  uint64_t ingress_rate;

  /* Not annotations: set by a migration that makes the container's
     namespace ahead of its restore (netns-prepare.h).  */
  const unsigned char *mac;      /* the container's end; NULL: random */
  bool outside_down;             /* the outside end stays down */
  bool nodad;                    /* an IPv6 address without duplicate
                                    address detection (IFA_F_NODAD) */
} net_config;

/* Reads and checks the network part of `config`.  `own_netns`: the
   container has a network namespace other than berth's (new or joined).
   Messages read "annotations: run.oci.berth.net.address: ...".  */
int net_config_parse (const oci_config *config, bool own_netns,
                      net_config *out, berth_error **err);

/* Something to do at create: devices to move or a veth pair.  */
static inline bool
net_config_any (const net_config *c)
{
  return c->n_devices > 0 || c->veth != NULL;
}

/* A rate as tc(8) writes it, into bytes per second: a number (fractions
   allowed) and a unit, case-insensitive: bit (also no unit), kbit, mbit,
   gbit, tbit (powers of 1000), kibit, mibit, gibit, tibit (of 1024); the
   same with bps for bytes per second (kbps, mibps...).  */
int net_rate_parse (const char *s, uint64_t *bytes_per_sec,
                    berth_error **err);

/* The rate in tc's words ("1mbit", "500kbit", "12345bit").  */
void net_rate_format (uint64_t bytes_per_sec, char *buf, size_t size);

#define NET_MAC_TEXT_LEN 18 /* "aa:bb:cc:dd:ee:ff" and its NUL */

/* "aa:bb:cc:dd:ee:ff" (hex digits either case) into mac; -1 with *err
   otherwise.  */
int net_mac_parse (const char *s, unsigned char mac[6], berth_error **err);

/* mac as "aa:bb:cc:dd:ee:ff".  */
void net_mac_format (const unsigned char mac[6],
                     char out[NET_MAC_TEXT_LEN]);

/* "10.0.0.2/24", "fd00::2/64": the prefix length is required.  */
int net_cidr_parse (const char *s, net_cidr *out, berth_error **err);

/* A name the kernel accepts for a network interface: 1 to 15 bytes, not
   "." or "..", no '/', ':' or white space.  `allow_template`: may hold
   one "%d" for the kernel to number.  NULL when valid, else why not.  */
const char *net_ifname_invalid (const char *name, bool allow_template);

/* Token bucket for `rate` on a link of `mtu`: the bucket holds 50 ms of
   traffic, so a sender held up that long (a busy CPU) catches up and the
   rate holds on average, but at least two full frames (a frame larger
   than the bucket could never leave); the queue holds 50 ms more.  */
void net_tbf_size (uint64_t rate, unsigned int mtu, uint32_t *burst,
                   uint32_t *limit);

#endif
