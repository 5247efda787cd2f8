#include "libcontainer/network/net-config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/cleanup.h"
#include "base/utils.h"

/* ---- rates ------------------------------------------------------------ */

static const struct
{
  const char *unit;
  double bits;
} rate_units[] = {
  { "", 1 },
  { "bit", 1 },
  { "kbit", 1e3 },
  { "mbit", 1e6 },
  { "gbit", 1e9 },
  { "tbit", 1e12 },
  { "kibit", 1024.0 },
  { "mibit", 1024.0 * 1024 },
  { "gibit", 1024.0 * 1024 * 1024 },
  { "tibit", 1024.0 * 1024 * 1024 * 1024 },
  { "bps", 8 },
  { "kbps", 8e3 },
  { "mbps", 8e6 },
  { "gbps", 8e9 },
  { "tbps", 8e12 },
  { "kibps", 8 * 1024.0 },
  { "mibps", 8 * 1024.0 * 1024 },
  { "gibps", 8 * 1024.0 * 1024 * 1024 },
  { "tibps", 8 * 1024.0 * 1024 * 1024 * 1024 },
};

int
net_rate_parse (const char *s, uint64_t *bytes_per_sec, berth_error **err)
{
  size_t int_len, frac_len = 0;
  const char *p = s;
  double number, bytes;
  size_t i;

  int_len = strspn (p, "0123456789");
  p += int_len;
  if (*p == '.')
    {
      frac_len = strspn (p + 1, "0123456789");
      p += 1 + frac_len;
    }
  if (int_len + frac_len == 0)
    return berth_error_set (err, 0,
                            "invalid rate \"%s\": expected a number and a "
                            "unit such as 1mbit, 500kbit or 2mbps",
                            s);
  for (i = 0; i < sizeof rate_units / sizeof rate_units[0]; i++)
    if (strcasecmp (p, rate_units[i].unit) == 0)
      break;
  if (i == sizeof rate_units / sizeof rate_units[0])
    return berth_error_set (err, 0,
                            "invalid rate \"%s\": unknown unit \"%s\" (bit, "
                            "kbit, mbit, gbit, tbit, kibit..., bps, kbps, "
                            "mbps, gbps, tbps, kibps...)",
                            s, p);
  /* The text is plain digits and one dot: strtod sees nothing else.  */
  number = strtod (s, NULL);
  bytes = number * rate_units[i].bits / 8;
  if (!(bytes < 18446744073709551616.0))
    return berth_error_set (err, 0, "invalid rate \"%s\": too large", s);
  if (bytes < 1)
    return berth_error_set (err, 0,
                            "invalid rate \"%s\": below one byte per "
                            "second",
                            s);
  *bytes_per_sec = (uint64_t) (bytes + 0.5);
  return 0;
}

void
net_rate_format (uint64_t rate, char *buf, size_t size)
{
  if (rate % 125000000 == 0)
    snprintf (buf, size, "%llugbit", (unsigned long long) (rate / 125000000));
  else if (rate % 125000 == 0)
    snprintf (buf, size, "%llumbit", (unsigned long long) (rate / 125000));
  else if (rate % 125 == 0)
    snprintf (buf, size, "%llukbit", (unsigned long long) (rate / 125));
  else
    snprintf (buf, size, "%llubps", (unsigned long long) rate);
}

void
net_tbf_size (uint64_t rate, unsigned int mtu, uint32_t *burst,
              uint32_t *limit)
{
  uint64_t frame = (uint64_t) (mtu ? mtu : 1500) + 14;
  uint64_t b = rate / 20;
  uint64_t l;

  if (b < 2 * frame)
    b = 2 * frame;
  if (b > UINT32_MAX)
    b = UINT32_MAX;
  l = rate / 20 + b;
  if (l > UINT32_MAX)
    l = UINT32_MAX;
  *burst = (uint32_t) b;
  *limit = (uint32_t) l;
}

/* ---- addresses and names ------------------------------------------------ */

static int
parse_ip (const char *s, net_cidr *out)
{
  memset (out, 0, sizeof *out);
  if (inet_pton (AF_INET, s, out->addr) == 1)
    {
      out->family = AF_INET;
      out->prefixlen = 32;
      return 0;
    }
  if (inet_pton (AF_INET6, s, out->addr) == 1)
    {
      out->family = AF_INET6;
      out->prefixlen = 128;
      return 0;
    }
  return -1;
}

int
net_cidr_parse (const char *s, net_cidr *out, berth_error **err)
{
  cleanup_free char *ip = xstrdup (s);
  char *slash = strchr (ip, '/');
  char *end;
  unsigned long len;

  if (slash == NULL)
    return berth_error_set (err, 0,
                            "invalid address \"%s\": expected an address "
                            "with a prefix length, such as 10.0.0.2/24",
                            s);
  *slash = '\0';
  if (parse_ip (ip, out) < 0)
    return berth_error_set (err, 0,
                            "invalid address \"%s\": \"%s\" is not an IPv4 "
                            "or IPv6 address",
                            s, ip);
  errno = 0;
  len = strtoul (slash + 1, &end, 10);
  if (!isdigit ((unsigned char) slash[1]) || *end != '\0' || errno != 0
      || len > out->prefixlen)
    return berth_error_set (err, 0,
                            "invalid address \"%s\": prefix length must be "
                            "0 to %u",
                            s, out->prefixlen);
  out->prefixlen = (unsigned int) len;
  return 0;
}

const char *
net_ifname_invalid (const char *name, bool allow_template)
{
  const char *pct;

  if (name[0] == '\0')
    return "empty";
  if (strlen (name) >= 16)
    return "longer than 15 bytes";
  if (strcmp (name, ".") == 0 || strcmp (name, "..") == 0)
    return "not a valid name";
  for (const char *p = name; *p; p++)
    if (*p == '/' || *p == ':' || isspace ((unsigned char) *p))
      return "'/', ':' and white space are not allowed";
  pct = strchr (name, '%');
  if (pct == NULL)
    return NULL;
  if (!allow_template)
    return "'%' is not allowed";
  if (pct[1] != 'd' || strchr (pct + 1, '%'))
    return "the only '%' allowed is one \"%d\"";
  return NULL;
}

/* Whether `ip` lies in the subnet of `net`.  */
static bool
in_subnet (const net_cidr *net, const net_cidr *ip)
{
  unsigned int bits = net->prefixlen, i;

  if (net->family != ip->family)
    return false;
  for (i = 0; bits >= 8; i++, bits -= 8)
    if (net->addr[i] != ip->addr[i])
      return false;
  if (bits == 0)
    return true;
  return ((net->addr[i] ^ ip->addr[i]) & (0xff << (8 - bits)) & 0xff) == 0;
}

/* ---- the annotations ---------------------------------------------------- */

enum net_key
{
  KEY_VETH,
  KEY_NAME,
  KEY_ADDRESS,
  KEY_GATEWAY,
  KEY_PEER_NETNS,
  KEY_PEER_ADDRESS,
  KEY_EGRESS_RATE,
  KEY_INGRESS_RATE,
  KEY_RETURN_DEVICES,
  KEY_BRIDGE,
  KEY_COUNT,
};

static const char *const key_names[KEY_COUNT] = {
  [KEY_VETH] = "veth",
  [KEY_NAME] = "name",
  [KEY_ADDRESS] = "address",
  [KEY_GATEWAY] = "gateway",
  [KEY_PEER_NETNS] = "peer-netns",
  [KEY_PEER_ADDRESS] = "peer-address",
  [KEY_EGRESS_RATE] = "egress-rate",
  [KEY_INGRESS_RATE] = "ingress-rate",
  [KEY_RETURN_DEVICES] = "return-devices",
  [KEY_BRIDGE] = "bridge",
};

static int
wrap_key (berth_error **err, enum net_key key)
{
  return berth_error_wrap (err, "annotations: " NET_ANNOTATION_PREFIX "%s",
                           key_names[key]);
}

static int
bad (berth_error **err, enum net_key key, const char *fmt, const char *arg)
{
  berth_error_set (err, 0, fmt, arg);
  return wrap_key (err, key);
}

static int
check_name (enum net_key key, const char *name, berth_error **err)
{
  const char *why = net_ifname_invalid (name, false);

  if (why == NULL)
    return 0;
  berth_error_set (err, 0, "invalid interface name \"%s\": %s", name, why);
  return wrap_key (err, key);
}

static int
parse_values (const char *const v[KEY_COUNT], net_config *out,
              berth_error **err)
{
  if (v[KEY_VETH] && check_name (KEY_VETH, v[KEY_VETH], err) < 0)
    return -1;
  if (v[KEY_NAME] && check_name (KEY_NAME, v[KEY_NAME], err) < 0)
    return -1;
  if (v[KEY_BRIDGE])
    {
      if (check_name (KEY_BRIDGE, v[KEY_BRIDGE], err) < 0)
        return -1;
      if (v[KEY_VETH] == NULL)
        return bad (err, KEY_BRIDGE, "%s",
                    "needs " NET_ANNOTATION_PREFIX "veth (the bridge takes "
                    "its outside end)");
      out->bridge = v[KEY_BRIDGE];
    }
  if (v[KEY_ADDRESS])
    {
      if (net_cidr_parse (v[KEY_ADDRESS], &out->address, err) < 0)
        return wrap_key (err, KEY_ADDRESS);
      out->has_address = true;
    }
  if (v[KEY_PEER_ADDRESS])
    {
      if (net_cidr_parse (v[KEY_PEER_ADDRESS], &out->peer_address, err) < 0)
        return wrap_key (err, KEY_PEER_ADDRESS);
      out->has_peer_address = true;
    }
  if (v[KEY_GATEWAY])
    {
      if (parse_ip (v[KEY_GATEWAY], &out->gateway) < 0)
        return bad (err, KEY_GATEWAY,
                    "invalid address \"%s\": expected an IPv4 or IPv6 "
                    "address",
                    v[KEY_GATEWAY]);
      if (!out->has_address)
        return bad (err, KEY_GATEWAY, "%s",
                    "needs " NET_ANNOTATION_PREFIX "address (the gateway "
                    "must be in its subnet)");
      if (!in_subnet (&out->address, &out->gateway))
        return bad (err, KEY_GATEWAY, "%s",
                    "not in the subnet of " NET_ANNOTATION_PREFIX
                    "address");
      out->has_gateway = true;
    }
  if (v[KEY_PEER_NETNS] && v[KEY_PEER_NETNS][0] != '/')
    return bad (err, KEY_PEER_NETNS,
                "\"%s\": expected an absolute path such as "
                "/run/netns/NAME",
                v[KEY_PEER_NETNS]);
  if (v[KEY_EGRESS_RATE]
      && net_rate_parse (v[KEY_EGRESS_RATE], &out->egress_rate, err) < 0)
    return wrap_key (err, KEY_EGRESS_RATE);
  if (v[KEY_INGRESS_RATE]
      && net_rate_parse (v[KEY_INGRESS_RATE], &out->ingress_rate, err) < 0)
    return wrap_key (err, KEY_INGRESS_RATE);
  if (v[KEY_RETURN_DEVICES])
    {
      if (strcmp (v[KEY_RETURN_DEVICES], "true") != 0
          && strcmp (v[KEY_RETURN_DEVICES], "false") != 0)
        return bad (err, KEY_RETURN_DEVICES,
                    "\"%s\": expected true or false", v[KEY_RETURN_DEVICES]);
      out->return_devices = strcmp (v[KEY_RETURN_DEVICES], "true") == 0;
    }
  /* Everything but return-devices describes the veth pair.  */
  if (v[KEY_VETH] == NULL)
    for (int k = 0; k < KEY_COUNT; k++)
      if (v[k] && k != KEY_RETURN_DEVICES)
        return bad (err, (enum net_key) k, "%s",
                    "needs " NET_ANNOTATION_PREFIX "veth (the veth pair it "
                    "configures)");
  out->veth = v[KEY_VETH];
  out->name = v[KEY_NAME] ? v[KEY_NAME] : "eth0";
  out->peer_netns = v[KEY_PEER_NETNS];
  return 0;
}

static int
parse_devices (const oci_linux *lx, net_config *out, berth_error **err)
{
  if (lx == NULL)
    return 0;
  for (size_t i = 0; i < lx->n_net_devices; i++)
    {
      const oci_net_device *d = &lx->net_devices[i];
      const char *name = d->name ? d->name : d->host_name;
      const char *why = net_ifname_invalid (d->host_name, false);

      if (why)
        return berth_error_set (err, 0,
                                "linux.netDevices[\"%s\"]: invalid interface "
                                "name: %s",
                                d->host_name, why);
      why = net_ifname_invalid (name, true);
      if (why)
        return berth_error_set (err, 0,
                                "linux.netDevices[\"%s\"].name: invalid "
                                "interface name \"%s\": %s",
                                d->host_name, name, why);
      for (size_t j = 0; j < i; j++)
        {
          const oci_net_device *o = &lx->net_devices[j];
          if (strchr (name, '%') == NULL
              && strcmp (name, o->name ? o->name : o->host_name) == 0)
            return berth_error_set (err, 0,
                                    "linux.netDevices[\"%s\"].name: \"%s\" "
                                    "is also the name of "
                                    "linux.netDevices[\"%s\"]",
                                    d->host_name, name, o->host_name);
        }
    }
  out->devices = lx->net_devices;
  out->n_devices = lx->n_net_devices;
  return 0;
}

int
net_config_parse (const oci_config *config, bool own_netns, net_config *out,
                  berth_error **err)
{
  const char *values[KEY_COUNT] = { NULL };
  const size_t plen = strlen (NET_ANNOTATION_PREFIX);

  memset (out, 0, sizeof *out);
  for (size_t i = 0; i < config->n_annotations; i++)
    {
      const char *key = config->annotations[i].key;
      int k;

      if (strncmp (key, NET_ANNOTATION_PREFIX, plen) != 0)
        continue;
      for (k = 0; k < KEY_COUNT; k++)
        if (strcmp (key + plen, key_names[k]) == 0)
          break;
      if (k == KEY_COUNT)
        return berth_error_set (err, 0,
                                "annotations: %s: unknown annotation (known: "
                                "veth, name, address, gateway, peer-netns, "
                                "peer-address, egress-rate, ingress-rate, "
                                "return-devices, bridge)",
                                key);
      values[k] = config->annotations[i].value;
    }
  if (parse_values (values, out, err) < 0)
    return -1;
  if (parse_devices (config->linux_, out, err) < 0)
    return -1;
  if (out->veth && out->n_devices)
    for (size_t i = 0; i < out->n_devices; i++)
      {
        const oci_net_device *d = &out->devices[i];
        if (strcmp (d->name ? d->name : d->host_name, out->name) == 0)
          return berth_error_set (err, 0,
                                  "linux.netDevices[\"%s\"]: \"%s\" is also "
                                  "the name of the veth end in the container "
                                  "(" NET_ANNOTATION_PREFIX "name)",
                                  d->host_name, out->name);
      }
  if (!own_netns && out->n_devices)
    return berth_error_set (err, 0,
                            "linux.netDevices: the container shares berth's "
                            "network namespace; moving devices needs a "
                            "network namespace of its own "
                            "(linux.namespaces: network)");
  if (!own_netns && out->veth)
    return berth_error_set (err, 0,
                            "annotations: " NET_ANNOTATION_PREFIX
                            "veth: the container shares berth's network "
                            "namespace; a veth pair needs a network "
                            "namespace of its own (linux.namespaces: "
                            "network)");
  return 0;
}

int
net_mac_parse (const char *s, unsigned char mac[6], berth_error **err)
{
  bool ok = strlen (s) == NET_MAC_TEXT_LEN - 1;

  for (size_t i = 0; ok && i < NET_MAC_TEXT_LEN - 1; i++)
    ok = i % 3 == 2 ? s[i] == ':' : isxdigit ((unsigned char) s[i]) != 0;
  if (!ok)
    return berth_error_set (err, EINVAL, "\"%s\" is not a MAC address "
                                         "(aa:bb:cc:dd:ee:ff)",
                            s);
  for (int i = 0; i < 6; i++)
    mac[i] = (unsigned char) strtoul ((char[]){ s[3 * i], s[3 * i + 1], 0 },
                                      NULL, 16);
  return 0;
}

void
net_mac_format (const unsigned char mac[6], char out[NET_MAC_TEXT_LEN])
{
  snprintf (out, NET_MAC_TEXT_LEN, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0],
            mac[1], mac[2], mac[3], mac[4], mac[5]);
}
