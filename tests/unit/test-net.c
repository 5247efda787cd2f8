/* Unit tests of libcontainer/network/net-config.c (the run.oci.berth.net.*
 * annotations, linux.netDevices names, tc rates, addresses, the token
 * bucket's size) and of the "net" record in state.json.  Nothing here
 * touches the network.  */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <cmocka.h>

#include "libcontainer/network/net-config.h"
#include "libcontainer/network/net-firewall.h"
#include "oci-spec/config.h"
#include "oci-spec/state.h"

#define N_ELEMS(a) (sizeof (a) / sizeof ((a)[0]))

/* ---- rates -------------------------------------------------------------- */

static void
test_rate_units (void **state)
{
  static const struct
  {
    const char *text;
    uint64_t bytes;
  } ok[] = {
    { "1mbit", 125000 },
    { "1Mbit", 125000 },
    { "500kbit", 62500 },
    { "10mbit", 1250000 },
    { "1gbit", 125000000 },
    { "2tbit", 250000000000ULL },
    { "8", 1 },
    { "8000bit", 1000 },
    { "1.5mbit", 187500 },
    { ".5mbit", 62500 },
    { "1kibit", 128 },
    { "1mibit", 131072 },
    { "1gibit", 134217728 },
    { "100bps", 100 },
    { "1kbps", 1000 },
    { "2mbps", 2000000 },
    { "2MBps", 2000000 },
    { "1gbps", 1000000000 },
    { "1tbps", 1000000000000ULL },
    { "1kibps", 1024 },
    { "1mibps", 1048576 },
    { "1gibps", 1073741824 },
    { "1tibps", 1099511627776ULL },
    { "12bit", 2 }, /* 1.5 bytes rounds to 2 */
  };
  for (size_t i = 0; i < N_ELEMS (ok); i++)
    {
      berth_error *err = NULL;
      uint64_t v = 0;
      if (net_rate_parse (ok[i].text, &v, &err) < 0)
        fail_msg ("%s: %s", ok[i].text, err->msg);
      if (v != ok[i].bytes)
        fail_msg ("%s: %llu bytes/s, expected %llu", ok[i].text,
                  (unsigned long long) v, (unsigned long long) ok[i].bytes);
    }
}

static void
expect_rate_error (const char *text, const char *msg)
{
  berth_error *err = NULL;
  uint64_t v = 0;

  if (net_rate_parse (text, &v, &err) == 0)
    fail_msg ("\"%s\" accepted as %llu", text, (unsigned long long) v);
  assert_non_null (err);
  if (strstr (err->msg, msg) == NULL)
    fail_msg ("\"%s\": message \"%s\" lacks \"%s\"", text, err->msg, msg);
  berth_error_free (err);
}

static void
test_rate_errors (void **state)
{
  expect_rate_error ("", "expected a number and a unit");
  expect_rate_error ("fast", "expected a number and a unit");
  expect_rate_error ("mbit", "expected a number and a unit");
  expect_rate_error ("-1mbit", "expected a number and a unit");
  expect_rate_error (" 1mbit", "expected a number and a unit");
  expect_rate_error ("0x10mbit", "unknown unit \"x10mbit\"");
  expect_rate_error ("1 mbit", "unknown unit \" mbit\"");
  expect_rate_error ("1mb", "unknown unit \"mb\"");
  expect_rate_error ("1e3mbit", "unknown unit \"e3mbit\"");
  expect_rate_error ("1.2.3mbit", "unknown unit");
  expect_rate_error ("inf", "expected a number");
  expect_rate_error ("0", "below one byte per second");
  expect_rate_error ("0mbit", "below one byte per second");
  expect_rate_error ("7bit", "below one byte per second");
  expect_rate_error ("99999999999999999999tbps", "too large");
}

static void
test_rate_format (void **state)
{
  char buf[32];

  net_rate_format (125000, buf, sizeof buf);
  assert_string_equal (buf, "1mbit");
  net_rate_format (62500, buf, sizeof buf);
  assert_string_equal (buf, "500kbit");
  net_rate_format (125000000, buf, sizeof buf);
  assert_string_equal (buf, "1gbit");
  net_rate_format (1000, buf, sizeof buf);
  assert_string_equal (buf, "8kbit");
  net_rate_format (1001, buf, sizeof buf);
  assert_string_equal (buf, "1001bps");
}

/* ---- the token bucket ---------------------------------------------------- */

static void
test_tbf_size (void **state)
{
  uint32_t burst, limit;

  /* 1mbit: 50 ms of traffic; the queue 50 ms more.  */
  net_tbf_size (125000, 1500, &burst, &limit);
  assert_int_equal (burst, 6250);
  assert_int_equal (limit, 6250 + 6250);
  /* 10mbit.  */
  net_tbf_size (1250000, 1500, &burst, &limit);
  assert_int_equal (burst, 62500);
  assert_int_equal (limit, 62500 + 62500);
  /* 100kbit: 50 ms is 625 bytes, less than two 1514-byte frames.  */
  net_tbf_size (12500, 1500, &burst, &limit);
  assert_int_equal (burst, 3028);
  assert_int_equal (limit, 625 + 3028);
  /* Jumbo frames: the bucket grows with the MTU.  */
  net_tbf_size (125000, 9000, &burst, &limit);
  assert_int_equal (burst, 2 * 9014);
  /* An unknown MTU counts as Ethernet's.  */
  net_tbf_size (12500, 0, &burst, &limit);
  assert_int_equal (burst, 3028);
  /* Huge rates: capped to what the kernel's u32 fields hold.  */
  net_tbf_size (UINT64_MAX / 2, 1500, &burst, &limit);
  assert_int_equal (burst, UINT32_MAX);
  assert_int_equal (limit, UINT32_MAX);
}

/* ---- addresses and names ------------------------------------------------- */

static void
test_cidr (void **state)
{
  berth_error *err = NULL;
  unsigned char want[16];
  net_cidr c;

  assert_int_equal (net_cidr_parse ("10.1.2.3/24", &c, &err), 0);
  assert_int_equal (c.family, AF_INET);
  assert_int_equal (c.prefixlen, 24);
  inet_pton (AF_INET, "10.1.2.3", want);
  assert_memory_equal (c.addr, want, 4);

  assert_int_equal (net_cidr_parse ("fd00::2/64", &c, &err), 0);
  assert_int_equal (c.family, AF_INET6);
  assert_int_equal (c.prefixlen, 64);
  inet_pton (AF_INET6, "fd00::2", want);
  assert_memory_equal (c.addr, want, 16);

  assert_int_equal (net_cidr_parse ("10.0.0.1/0", &c, &err), 0);
  assert_int_equal (net_cidr_parse ("::1/128", &c, &err), 0);

  assert_int_equal (net_cidr_parse ("10.0.0.1", &c, &err), -1);
  assert_string_equal (err->msg,
                       "invalid address \"10.0.0.1\": expected an address "
                       "with a prefix length, such as 10.0.0.2/24");
  berth_error_clear (&err);
  assert_int_equal (net_cidr_parse ("10.0.0.1/33", &c, &err), -1);
  assert_string_equal (err->msg, "invalid address \"10.0.0.1/33\": prefix "
                                 "length must be 0 to 32");
  berth_error_clear (&err);
  assert_int_equal (net_cidr_parse ("fd00::1/129", &c, &err), -1);
  berth_error_clear (&err);
  assert_int_equal (net_cidr_parse ("10.0.0.1/-1", &c, &err), -1);
  berth_error_clear (&err);
  assert_int_equal (net_cidr_parse ("10.0.0.1/", &c, &err), -1);
  berth_error_clear (&err);
  assert_int_equal (net_cidr_parse ("host/24", &c, &err), -1);
  assert_string_equal (err->msg, "invalid address \"host/24\": \"host\" is "
                                 "not an IPv4 or IPv6 address");
  berth_error_clear (&err);
}

static void
test_ifname (void **state)
{
  assert_null (net_ifname_invalid ("eth0", false));
  assert_null (net_ifname_invalid ("a", false));
  assert_null (net_ifname_invalid ("123456789012345", false));
  assert_null (net_ifname_invalid ("ceth%d", true));
  assert_null (net_ifname_invalid ("c%dx", true));
  assert_non_null (net_ifname_invalid ("", false));
  assert_non_null (net_ifname_invalid ("1234567890123456", false));
  assert_non_null (net_ifname_invalid (".", false));
  assert_non_null (net_ifname_invalid ("..", false));
  assert_non_null (net_ifname_invalid ("a/b", false));
  assert_non_null (net_ifname_invalid ("a:b", false));
  assert_non_null (net_ifname_invalid ("a b", false));
  assert_non_null (net_ifname_invalid ("a\tb", false));
  assert_non_null (net_ifname_invalid ("ceth%d", false));
  assert_non_null (net_ifname_invalid ("c%s", true));
  assert_non_null (net_ifname_invalid ("c%d%d", true));
}

/* ---- the annotations ----------------------------------------------------- */

#define DOC_HEAD                                                            \
  "{\"ociVersion\": \"1.3.0\", \"root\": {\"path\": \"rootfs\"}"

static oci_config *
config_of (const char *annotations, const char *net_devices)
{
  char json[4096];
  berth_error *err = NULL;
  oci_config *c;

  snprintf (json, sizeof json,
            DOC_HEAD ", \"annotations\": {%s}, \"linux\": "
                     "{\"netDevices\": {%s}}}",
            annotations, net_devices ? net_devices : "");
  c = oci_config_parse (json, strlen (json), "config.json", &err);
  if (c == NULL)
    fail_msg ("%s: %s", json, err->msg);
  return c;
}

static void
test_config_none (void **state)
{
  oci_config *c = config_of ("\"run.oci.berth.overlay\": \"true\"", NULL);
  berth_error *err = NULL;
  net_config n;

  /* Nothing to do, and nothing needs a namespace of its own.  */
  assert_int_equal (net_config_parse (c, false, &n, &err), 0);
  assert_false (net_config_any (&n));
  oci_config_free (c);
}

static void
test_config_full (void **state)
{
  oci_config *c = config_of (
      "\"run.oci.berth.net.veth\": \"bth0\","
      "\"run.oci.berth.net.name\": \"net0\","
      "\"run.oci.berth.net.address\": \"10.0.0.2/24\","
      "\"run.oci.berth.net.gateway\": \"10.0.0.1\","
      "\"run.oci.berth.net.peer-netns\": \"/run/netns/peer\","
      "\"run.oci.berth.net.peer-address\": \"10.0.0.1/24\","
      "\"run.oci.berth.net.egress-rate\": \"1mbit\","
      "\"run.oci.berth.net.ingress-rate\": \"10mbit\","
      "\"run.oci.berth.net.return-devices\": \"true\","
      "\"run.oci.berth.net.bridge\": \"br0\"",
      "\"d0\": {\"name\": \"ceth%d\"}, \"d1\": {}");
  berth_error *err = NULL;
  unsigned char gw[4];
  net_config n;

  if (net_config_parse (c, true, &n, &err) < 0)
    fail_msg ("%s", err->msg);
  assert_true (net_config_any (&n));
  assert_string_equal (n.veth, "bth0");
  assert_string_equal (n.name, "net0");
  assert_string_equal (n.peer_netns, "/run/netns/peer");
  assert_string_equal (n.bridge, "br0");
  assert_true (n.has_address);
  assert_int_equal (n.address.prefixlen, 24);
  assert_true (n.has_gateway);
  inet_pton (AF_INET, "10.0.0.1", gw);
  assert_memory_equal (n.gateway.addr, gw, 4);
  assert_true (n.has_peer_address);
  assert_int_equal (n.egress_rate, 125000);
  assert_int_equal (n.ingress_rate, 1250000);
  assert_true (n.return_devices);
  assert_int_equal (n.n_devices, 2);
  assert_string_equal (n.devices[0].host_name, "d0");
  assert_string_equal (n.devices[0].name, "ceth%d");
  assert_null (n.devices[1].name);
  oci_config_free (c);
}

static void
test_config_defaults (void **state)
{
  oci_config *c = config_of ("\"run.oci.berth.net.veth\": \"bth0\"", NULL);
  berth_error *err = NULL;
  net_config n;

  assert_int_equal (net_config_parse (c, true, &n, &err), 0);
  assert_string_equal (n.name, "eth0");
  assert_null (n.peer_netns);
  assert_null (n.bridge);
  assert_false (n.has_address);
  assert_false (n.has_gateway);
  assert_int_equal (n.egress_rate, 0);
  assert_int_equal (n.ingress_rate, 0);
  assert_false (n.return_devices);
  oci_config_free (c);
}

static const struct
{
  const char *annotations;
  const char *devices;
  bool own_netns;
  const char *msg;
} bad_configs[] = {
  { "\"run.oci.berth.net.vet\": \"bth0\"", NULL, true,
    "annotations: run.oci.berth.net.vet: unknown annotation (known: veth, "
    "name, address, gateway, peer-netns, peer-address, egress-rate, "
    "ingress-rate, return-devices, bridge)" },
  { "\"run.oci.berth.net.bridge\": \"br0\"", NULL, true,
    "annotations: run.oci.berth.net.bridge: needs run.oci.berth.net.veth "
    "(the bridge takes its outside end)" },
  { "\"run.oci.berth.net.veth\": \"bth0\", \"run.oci.berth.net.bridge\": "
    "\"br 0\"",
    NULL, true,
    "annotations: run.oci.berth.net.bridge: invalid interface name "
    "\"br 0\": '/', ':' and white space are not allowed" },
  { "\"run.oci.berth.net.veth\": \"bth0/1\"", NULL, true,
    "annotations: run.oci.berth.net.veth: invalid interface name "
    "\"bth0/1\": '/', ':' and white space are not allowed" },
  { "\"run.oci.berth.net.veth\": \"a-name-that-is-too-long\"", NULL, true,
    "annotations: run.oci.berth.net.veth: invalid interface name "
    "\"a-name-that-is-too-long\": longer than 15 bytes" },
  { "\"run.oci.berth.net.veth\": \"bth0\", \"run.oci.berth.net.name\": "
    "\"eth%d\"",
    NULL, true,
    "annotations: run.oci.berth.net.name: invalid interface name "
    "\"eth%d\": '%' is not allowed" },
  { "\"run.oci.berth.net.veth\": \"bth0\", \"run.oci.berth.net.address\": "
    "\"10.0.0.300/24\"",
    NULL, true,
    "annotations: run.oci.berth.net.address: invalid address "
    "\"10.0.0.300/24\": \"10.0.0.300\" is not an IPv4 or IPv6 address" },
  { "\"run.oci.berth.net.veth\": \"bth0\", "
    "\"run.oci.berth.net.peer-address\": \"10.0.0.1\"",
    NULL, true,
    "annotations: run.oci.berth.net.peer-address: invalid address "
    "\"10.0.0.1\": expected an address with a prefix length, such as "
    "10.0.0.2/24" },
  { "\"run.oci.berth.net.veth\": \"bth0\", \"run.oci.berth.net.gateway\": "
    "\"10.0.0.1\"",
    NULL, true,
    "annotations: run.oci.berth.net.gateway: needs "
    "run.oci.berth.net.address (the gateway must be in its subnet)" },
  { "\"run.oci.berth.net.veth\": \"bth0\", \"run.oci.berth.net.address\": "
    "\"10.0.0.2/24\", \"run.oci.berth.net.gateway\": \"10.0.1.1\"",
    NULL, true,
    "annotations: run.oci.berth.net.gateway: not in the subnet of "
    "run.oci.berth.net.address" },
  { "\"run.oci.berth.net.veth\": \"bth0\", \"run.oci.berth.net.address\": "
    "\"10.0.0.2/24\", \"run.oci.berth.net.gateway\": \"fd00::1\"",
    NULL, true,
    "annotations: run.oci.berth.net.gateway: not in the subnet of "
    "run.oci.berth.net.address" },
  { "\"run.oci.berth.net.veth\": \"bth0\", \"run.oci.berth.net.address\": "
    "\"10.0.0.2/24\", \"run.oci.berth.net.gateway\": \"gw\"",
    NULL, true,
    "annotations: run.oci.berth.net.gateway: invalid address \"gw\": "
    "expected an IPv4 or IPv6 address" },
  { "\"run.oci.berth.net.veth\": \"bth0\", "
    "\"run.oci.berth.net.peer-netns\": \"run/netns/x\"",
    NULL, true,
    "annotations: run.oci.berth.net.peer-netns: \"run/netns/x\": expected "
    "an absolute path such as /run/netns/NAME" },
  { "\"run.oci.berth.net.veth\": \"bth0\", "
    "\"run.oci.berth.net.egress-rate\": \"fast\"",
    NULL, true,
    "annotations: run.oci.berth.net.egress-rate: invalid rate \"fast\": "
    "expected a number and a unit such as 1mbit, 500kbit or 2mbps" },
  { "\"run.oci.berth.net.veth\": \"bth0\", "
    "\"run.oci.berth.net.ingress-rate\": \"1mb\"",
    NULL, true,
    "annotations: run.oci.berth.net.ingress-rate: invalid rate \"1mb\": "
    "unknown unit \"mb\" (bit, kbit, mbit, gbit, tbit, kibit..., bps, kbps, "
    "mbps, gbps, tbps, kibps...)" },
  { "\"run.oci.berth.net.return-devices\": \"yes\"", NULL, true,
    "annotations: run.oci.berth.net.return-devices: \"yes\": expected true "
    "or false" },
  { "\"run.oci.berth.net.address\": \"10.0.0.2/24\"", NULL, true,
    "annotations: run.oci.berth.net.address: needs run.oci.berth.net.veth "
    "(the veth pair it configures)" },
  { "\"run.oci.berth.net.egress-rate\": \"1mbit\"", NULL, true,
    "annotations: run.oci.berth.net.egress-rate: needs "
    "run.oci.berth.net.veth (the veth pair it configures)" },
  { "\"run.oci.berth.net.veth\": \"bth0\"", NULL, false,
    "annotations: run.oci.berth.net.veth: the container shares berth's "
    "network namespace; a veth pair needs a network namespace of its own "
    "(linux.namespaces: network)" },
  { "", "\"d0\": {}", false,
    "linux.netDevices: the container shares berth's network namespace; "
    "moving devices needs a network namespace of its own "
    "(linux.namespaces: network)" },
  { "", "\"d0/x\": {}", true,
    "linux.netDevices[\"d0/x\"]: invalid interface name: '/', ':' and white "
    "space are not allowed" },
  { "", "\"d0\": {\"name\": \"\"}", true,
    "linux.netDevices[\"d0\"].name: invalid interface name \"\": empty" },
  { "", "\"d0\": {\"name\": \"c%s\"}", true,
    "linux.netDevices[\"d0\"].name: invalid interface name \"c%s\": the "
    "only '%' allowed is one \"%d\"" },
  { "", "\"d0\": {\"name\": \"x\"}, \"d1\": {\"name\": \"x\"}", true,
    "linux.netDevices[\"d1\"].name: \"x\" is also the name of "
    "linux.netDevices[\"d0\"]" },
  { "", "\"d0\": {}, \"d1\": {\"name\": \"d0\"}", true,
    "linux.netDevices[\"d1\"].name: \"d0\" is also the name of "
    "linux.netDevices[\"d0\"]" },
  { "\"run.oci.berth.net.veth\": \"bth0\"", "\"d0\": {\"name\": \"eth0\"}",
    true,
    "linux.netDevices[\"d0\"]: \"eth0\" is also the name of the veth end in "
    "the container (run.oci.berth.net.name)" },
};

static void
test_config_errors (void **state)
{
  for (size_t i = 0; i < N_ELEMS (bad_configs); i++)
    {
      oci_config *c
          = config_of (bad_configs[i].annotations, bad_configs[i].devices);
      berth_error *err = NULL;
      net_config n;

      if (net_config_parse (c, bad_configs[i].own_netns, &n, &err) == 0)
        fail_msg ("accepted: %s / %s", bad_configs[i].annotations,
                  bad_configs[i].devices);
      if (strcmp (err->msg, bad_configs[i].msg) != 0)
        fail_msg ("case %zu:\n got: %s\nwant: %s", i, err->msg,
                  bad_configs[i].msg);
      berth_error_free (err);
      oci_config_free (c);
    }
}

/* Templates may repeat: the kernel numbers each.  */
static void
test_config_templates (void **state)
{
  oci_config *c
      = config_of ("", "\"d0\": {\"name\": \"c%d\"}, \"d1\": {\"name\": "
                       "\"c%d\"}");
  berth_error *err = NULL;
  net_config n;

  assert_int_equal (net_config_parse (c, true, &n, &err), 0);
  assert_int_equal (n.n_devices, 2);
  oci_config_free (c);
}

/* ---- the state record ---------------------------------------------------- */

static void
test_state_round_trip (void **state)
{
  oci_net_device_state devs[] = {
    { (char *) "d0", (char *) "ceth0", true },
    { (char *) "d1", (char *) "d1", false },
  };
  oci_net_state net = {
    .devices = devs,
    .n_devices = 2,
    .return_devices = true,
    .devices_netns_dev = 4,
    .devices_netns_ino = 4026531840ULL,
    .veth = (char *) "bth0",
    .name = (char *) "eth0",
    .peer_netns = (char *) "/run/netns/peer",
    .peer_netns_dev = 4,
    .peer_netns_ino = 4026532001ULL,
    .egress_rate = 125000,
    .ingress_rate = UINT64_MAX - 1,
  };
  oci_state s = {
    .oci_version = (char *) "1.3.0",
    .id = (char *) "c1",
    .status = OCI_STATUS_CREATED,
    .bundle = (char *) "/b",
    .net = &net,
  };
  berth_error *err = NULL;
  size_t len;
  char *pub = oci_state_to_json (&s, false, false, NULL);
  char *json = oci_state_to_json (&s, true, false, &len);
  oci_state *back;

  /* Private: `berth state` shows none of it.  */
  assert_null (strstr (pub, "bth0"));
  back = oci_state_parse (json, len, "state.json", &err);
  if (back == NULL)
    fail_msg ("%s", err->msg);
  assert_non_null (back->net);
  assert_int_equal (back->net->n_devices, 2);
  assert_string_equal (back->net->devices[0].host_name, "d0");
  assert_string_equal (back->net->devices[0].name, "ceth0");
  assert_true (back->net->devices[0].up);
  assert_false (back->net->devices[1].up);
  assert_true (back->net->return_devices);
  assert_int_equal (back->net->devices_netns_ino, 4026531840ULL);
  assert_string_equal (back->net->veth, "bth0");
  assert_string_equal (back->net->name, "eth0");
  assert_string_equal (back->net->peer_netns, "/run/netns/peer");
  assert_int_equal (back->net->peer_netns_ino, 4026532001ULL);
  assert_int_equal (back->net->egress_rate, 125000);
  assert_true (back->net->ingress_rate == UINT64_MAX - 1);
  oci_state_free (back);
  free (json);
  free (pub);

  /* Without a network record, none comes back.  */
  s.net = NULL;
  json = oci_state_to_json (&s, true, false, &len);
  assert_null (strstr (json, "\"net\""));
  back = oci_state_parse (json, len, "state.json", &err);
  assert_non_null (back);
  assert_null (back->net);
  oci_state_free (back);
  free (json);
}

/* ---- MAC addresses and empty firewall tables ------------------------- */

static void
test_mac (void **state)
{
  static const char *const bad[] = { "", "02:00:00:00:00", "02:00:00:00:00:0",
                                     "02:00:00:00:00:000", "02-00-00-00-00-01",
                                     "0g:00:00:00:00:01", " 2:00:00:00:00:01",
                                     "+2:00:00:00:00:01" };
  unsigned char mac[6];
  char text[NET_MAC_TEXT_LEN];
  berth_error *err = NULL;

  (void) state;
  assert_int_equal (net_mac_parse ("02:Ab:cd:EF:10:ff", mac, &err), 0);
  assert_int_equal (mac[0], 0x02);
  assert_int_equal (mac[1], 0xab);
  assert_int_equal (mac[5], 0xff);
  net_mac_format (mac, text);
  assert_string_equal (text, "02:ab:cd:ef:10:ff");
  for (size_t i = 0; i < N_ELEMS (bad); i++)
    {
      assert_int_equal (net_mac_parse (bad[i], mac, &err), -1);
      assert_non_null (strstr (err->msg, "not a MAC address"));
      berth_error_clear (&err);
    }
}

static void
test_xt_table_empty (void **state)
{
  /* filter: INPUT, FORWARD, OUTPUT (hooks 1, 2, 3).  */
  const unsigned int filter = (1u << 1) | (1u << 2) | (1u << 3);
  bool accept[5] = { false, true, true, true, false };

  (void) state;
  /* As the kernel makes it: three policies and the ERROR entry.  */
  assert_true (net_xt_table_empty (filter, 4, accept, 5));
  /* A rule, or a user chain (two entries).  */
  assert_false (net_xt_table_empty (filter, 5, accept, 5));
  assert_false (net_xt_table_empty (filter, 6, accept, 5));
  /* A policy of DROP (iptables -P INPUT DROP).  */
  accept[1] = false;
  assert_false (net_xt_table_empty (filter, 4, accept, 5));
  /* The hooks a table lacks are not read.  */
  accept[1] = true;
  assert_true (net_xt_table_empty ((1u << 0) | (1u << 3), 3,
                                   (const bool[]){ true, false, false, true,
                                                   false },
                                   5));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_mac),
    cmocka_unit_test (test_xt_table_empty),
    cmocka_unit_test (test_rate_units),
    cmocka_unit_test (test_rate_errors),
    cmocka_unit_test (test_rate_format),
    cmocka_unit_test (test_tbf_size),
    cmocka_unit_test (test_cidr),
    cmocka_unit_test (test_ifname),
    cmocka_unit_test (test_config_none),
    cmocka_unit_test (test_config_full),
    cmocka_unit_test (test_config_defaults),
    cmocka_unit_test (test_config_errors),
    cmocka_unit_test (test_config_templates),
    cmocka_unit_test (test_state_round_trip),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
