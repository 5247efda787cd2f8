#include "libcontainer/network/net-setup.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if_addr.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "base/log.h"
#include "libcontainer/network/net-addr.h"
#include "libcontainer/network/net-link.h"
#include "libcontainer/network/net-qdisc.h"
#include "libcontainer/network/netlink.h"
#include "base/utils.h"

static void
cleanup_nlp (nl_sock **s)
{
  nl_close (*s);
}
#define cleanup_nl __attribute__ ((cleanup (cleanup_nlp)))

/* ---- namespaces ------------------------------------------------------- */

static int
open_self_netns (berth_error **err)
{
  int fd = open ("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return berth_error_sys (err, "open /proc/thread-self/ns/net");
  return fd;
}

static int
open_netns_path (const char *path, berth_error **err)
{
  cleanup_close int fd = open (path, O_RDONLY | O_CLOEXEC);

  if (fd < 0)
    return berth_error_sys (err, "open %s", path);
  if (ioctl (fd, NS_GET_NSTYPE) != CLONE_NEWNET)
    return berth_error_set (err, 0, "%s is not a network namespace", path);
  return steal_fd (&fd);
}

static void
netns_id (int fd, uint64_t *dev, uint64_t *ino)
{
  struct stat st;

  *dev = *ino = 0;
  if (fstat (fd, &st) == 0)
    {
      *dev = (uint64_t) st.st_dev;
      *ino = (uint64_t) st.st_ino;
    }
}

static bool
netns_is (int fd, uint64_t dev, uint64_t ino)
{
  uint64_t d, i;
  netns_id (fd, &d, &i);
  return d == dev && i == ino;
}

/* The namespace of the outside end, as recorded: its path, or berth's own
   namespace, which must be the one create ran in.  -1 with *err set when
   it is not reachable; -1 without *err when its path is gone (and the
   veth with it).  */
static int
open_peer_netns (const oci_net_state *net, berth_error **err)
{
  cleanup_close int fd = -1;

  if (net->peer_netns)
    {
      fd = open (net->peer_netns, O_RDONLY | O_CLOEXEC);
      if (fd < 0 && errno == ENOENT)
        return -1;
      if (fd < 0)
        return berth_error_sys (err, "veth %s: open %s", net->veth,
                                net->peer_netns);
    }
  else
    {
      fd = open_self_netns (err);
      if (fd < 0)
        return -1;
    }
  if (!netns_is (fd, net->peer_netns_dev, net->peer_netns_ino))
    return berth_error_set (err, 0,
                            "veth %s: %s is not the network namespace the "
                            "container was created with",
                            net->veth,
                            net->peer_netns ? net->peer_netns
                                            : "berth's network namespace");
  return steal_fd (&fd);
}

int
net_check_host (const net_config *cfg, berth_error **err)
{
  cleanup_nl nl_sock *host = NULL;

  /* Moving devices and making veth pairs on the host's side needs
     CAP_NET_ADMIN over the host's network namespace: root's.  */
  if (geteuid () != 0)
    return berth_error_set (err, EPERM, "%s: the container's network is made "
                            "from the host's side and needs root; berth "
                            "runs as uid %u (rootless)",
                            cfg->n_devices ? "linux.netDevices"
                                           : "annotations: "
                                             NET_ANNOTATION_PREFIX "*",
                            (unsigned) geteuid ());
  if (cfg->peer_netns)
    {
      int fd = open_netns_path (cfg->peer_netns, err);
      if (fd < 0)
        return berth_error_wrap (err, "annotations: " NET_ANNOTATION_PREFIX
                                      "peer-netns");
      close (fd);
    }
  if (cfg->n_devices == 0)
    return 0;
  host = nl_open (-1, err);
  if (host == NULL)
    return -1;
  for (size_t i = 0; i < cfg->n_devices; i++)
    {
      net_link l;
      int r = net_link_get (host, cfg->devices[i].host_name, &l, err);
      if (r < 0)
        return -1;
      if (r == 0)
        return berth_error_set (err, 0,
                                "linux.netDevices[\"%s\"]: no network device "
                                "\"%s\" in berth's network namespace",
                                cfg->devices[i].host_name,
                                cfg->devices[i].host_name);
    }
  return 0;
}

/* ---- devices ------------------------------------------------------------ */

/* Whether `got` is a name the kernel may have made of `want` ("eth%d"
   gives "eth0", "eth12"...).  */
static bool
name_matches (const char *want, const char *got)
{
  const char *pct = strchr (want, '%');
  size_t pre, post, glen = strlen (got);

  if (pct == NULL)
    return strcmp (want, got) == 0;
  pre = (size_t) (pct - want);
  post = strlen (pct + 2);
  if (glen <= pre + post || strncmp (want, got, pre) != 0
      || strcmp (got + glen - post, pct + 2) != 0)
    return false;
  for (size_t i = pre; i < glen - post; i++)
    if (got[i] < '0' || got[i] > '9')
      return false;
  return true;
}

static int
add_addresses (nl_sock *s, const net_link *l, const net_addr *addrs,
               size_t n, bool tolerate_existing, berth_error **err)
{
  for (size_t i = 0; i < n; i++)
    if (net_addr_add (s, l, &addrs[i], err) < 0)
      {
        if (!tolerate_existing || (*err)->errnum != EEXIST)
          return -1;
        berth_error_clear (err);
      }
  return 0;
}

/* Moves `l` (in `from`) into the namespace `to_fd` (socket `to`) as
   `name`, re-adds `addrs` there (addresses do not survive a move) and
   brings it up when `up`.  *moved: it has left `from`, whatever failed
   after; *out: the link in its new namespace.  */
static int
move_link (nl_sock *from, const net_link *l, nl_sock *to, int to_fd,
           const char *where, const char *name, const net_addr *addrs,
           size_t n_addrs, bool up, bool *moved, net_link *out,
           berth_error **err)
{
  berth_error *lookup_err = NULL;
  int r;

  *moved = false;
  r = net_link_move (from, l, to_fd, where, name, err);
  /* The kernel moves first and renames after: a failed rename leaves the
     link moved under its old name.  */
  if (net_link_get_index (to, l->index, out, &lookup_err) > 0
      && (strcmp (out->name, l->name) == 0 || name_matches (name, out->name)))
    *moved = true;
  berth_error_free (lookup_err);
  if (r < 0)
    return -1;
  if (!*moved)
    return berth_error_set (err, 0,
                            "network device %s: not found in the network "
                            "namespace %s after the move",
                            l->name, where);
  if (add_addresses (to, out, addrs, n_addrs, true, err) < 0)
    return -1;
  if (up && net_link_set_up (to, out, err) < 0)
    return -1;
  return 0;
}

static int
move_devices_in (const net_config *cfg, nl_sock *host, nl_sock *ctr,
                 int ctr_fd, oci_net_state *net, berth_error **err)
{
  net->devices = xmalloc0 (cfg->n_devices * sizeof *net->devices);
  for (size_t i = 0; i < cfg->n_devices; i++)
    {
      const oci_net_device *d = &cfg->devices[i];
      const char *name = d->name ? d->name : d->host_name;
      cleanup_free net_addr *addrs = NULL;
      size_t n_addrs = 0;
      net_link l, in;
      bool moved;
      int r;

      r = net_link_get (host, d->host_name, &l, err);
      if (r == 0)
        berth_error_set (err, 0,
                         "no network device \"%s\" in berth's network "
                         "namespace",
                         d->host_name);
      if (r <= 0)
        goto fail;
      if (strchr (name, '%') == NULL)
        {
          r = net_link_get (ctr, name, &in, err);
          if (r > 0)
            berth_error_set (err, 0,
                             "the container's network namespace already has "
                             "a device named \"%s\"",
                             name);
          if (r != 0)
            goto fail;
        }
      if (net_addr_list (host, &l, &addrs, &n_addrs, err) < 0)
        goto fail;
      r = move_link (host, &l, ctr, ctr_fd, "of the container", name, addrs,
                     n_addrs, true, &moved, &in, err);
      if (moved)
        {
          oci_net_device_state *s = &net->devices[net->n_devices++];
          s->host_name = xstrdup (d->host_name);
          s->name = xstrdup (in.name);
          s->up = (l.flags & IFF_UP) != 0;
        }
      if (r < 0)
        goto fail;
      continue;
    fail:
      return berth_error_wrap (err, "linux.netDevices[\"%s\"]", d->host_name);
    }
  return 0;
}

static void
return_devices (const oci_net_state *net, int ctr_fd)
{
  cleanup_close int self = -1;
  cleanup_nl nl_sock *host = NULL;
  cleanup_nl nl_sock *ctr = NULL;
  berth_error *err = NULL;

  self = open_self_netns (&err);
  if (self >= 0 && !netns_is (self, net->devices_netns_dev,
                              net->devices_netns_ino))
    berth_error_set (&err, 0, "berth does not run in the network namespace "
                              "they came from");
  if (err == NULL)
    host = nl_open (-1, &err);
  if (err == NULL)
    ctr = nl_open (ctr_fd, &err);
  if (err)
    {
      berth_warn ("linux.netDevices: not moved back: %s", err->msg);
      berth_error_free (err);
      return;
    }
  for (size_t i = 0; i < net->n_devices; i++)
    {
      const oci_net_device_state *d = &net->devices[i];
      cleanup_free net_addr *addrs = NULL;
      size_t n_addrs = 0;
      net_link l, out;
      bool moved;
      int r = net_link_get (ctr, d->name, &l, &err);

      if (r > 0 && net_addr_list (ctr, &l, &addrs, &n_addrs, &err) < 0)
        r = -1;
      else if (r > 0)
        r = move_link (ctr, &l, host, self, "of berth", d->host_name, addrs,
                       n_addrs, d->up, &moved, &out, &err);
      if (r < 0)
        {
          berth_warn ("linux.netDevices[\"%s\"]: not moved back: %s",
                      d->host_name, err->msg);
          berth_error_clear (&err);
        }
    }
}

/* ------------------------------------------------------------------------- */

static int
get_link (nl_sock *s, const char *name, const char *where, net_link *l,
          berth_error **err)
{
  int r = net_link_get (s, name, l, err);
  if (r == 0)
    return berth_error_set (err, 0, "veth: no device \"%s\" in %s",
                            name, where);
  return r < 0 ? -1 : 0;
}

/* One end of the pair, found by `name`: its address (when given, with
   the IFA_F_* `flags`), up (when `up`).  */
static int
veth_end_up (nl_sock *s, const char *name, const char *where,
             const net_cidr *address, uint32_t flags, bool up, net_link *l,
             berth_error **err)
{
  if (get_link (s, name, where, l, err) < 0)
    return -1;
  if (address)
    {
      net_addr a = { .local = *address, .flags = flags };
      if (net_addr_add (s, l, &a, err) < 0)
        return -1;
    }
  return up ? net_link_set_up (s, l, err) : 0;
}

/* What the pair carries besides the pair itself: the outside end's
   address, up, and the two rate limits.  `in`: the container's end.  */
static int
veth_outside_and_rates (const net_config *cfg, nl_sock *ctr,
                        const net_link *in, nl_sock *peer,
                        oci_net_state *net, berth_error **err)
{
  net_link out;

  if (veth_end_up (peer, cfg->veth, "the peer's network namespace",
                   cfg->has_peer_address ? &cfg->peer_address : NULL, 0,
                   !cfg->outside_down, &out, err)
      < 0)
    return -1;
  if (cfg->bridge)
    {
      net_link br;
      if (get_link (peer, cfg->bridge, "the peer's network namespace", &br,
                    err)
              < 0
          || net_link_set_master (peer, &out, &br, err) < 0)
        return berth_error_wrap (err, NET_ANNOTATION_PREFIX "bridge");
    }
  if (cfg->egress_rate && net_tbf_set (ctr, in, cfg->egress_rate, err) < 0)
    return -1;
  net->egress_rate = cfg->egress_rate;
  if (cfg->ingress_rate
      && net_tbf_set (peer, &out, cfg->ingress_rate, err) < 0)
    return -1;
  net->ingress_rate = cfg->ingress_rate;
  return 0;
}

/* The pair is made: `net` names it, so a teardown finds it.  */
static void
record_veth (const net_config *cfg, int peer_fd, oci_net_state *net)
{
  net->veth = xstrdup (cfg->veth);
  net->name = xstrdup (cfg->name);
  net->peer_netns = cfg->peer_netns ? xstrdup (cfg->peer_netns) : NULL;
  netns_id (peer_fd, &net->peer_netns_dev, &net->peer_netns_ino);
}

static int
open_cfg_peer_netns (const net_config *cfg, berth_error **err)
{
  return cfg->peer_netns ? open_netns_path (cfg->peer_netns, err)
                         : open_self_netns (err);
}

static int
make_veth (const net_config *cfg, nl_sock *host, nl_sock *ctr, int ctr_fd,
           oci_net_state *net, berth_error **err)
{
  cleanup_close int peer_fd = -1;
  cleanup_nl nl_sock *peer = NULL;
  net_link in;

  peer_fd = open_cfg_peer_netns (cfg, err);
  if (peer_fd < 0)
    return -1;
  peer = nl_open (peer_fd, err);
  if (peer == NULL)
    return -1;
  if (net_veth_add (host, cfg->veth, peer_fd, cfg->name, ctr_fd, cfg->mac,
                    err)
      < 0)
    return -1;
  record_veth (cfg, peer_fd, net);

  if (veth_end_up (ctr, cfg->name, "the container",
                   cfg->has_address ? &cfg->address : NULL,
                   cfg->nodad && cfg->address.family == AF_INET6
                       ? IFA_F_NODAD
                       : 0,
                   true, &in, err)
      < 0)
    return -1;
  /* After up: the kernel refuses a gateway on a link that is down.  */
  if (cfg->has_gateway
      && net_route_add_default (ctr, &in, cfg->gateway.family,
                                cfg->gateway.addr, err)
             < 0)
    return -1;
  return veth_outside_and_rates (cfg, ctr, &in, peer, net, err);
}

static void
delete_veth (const oci_net_state *net)
{
  cleanup_close int fd = -1;
  cleanup_nl nl_sock *s = NULL;
  berth_error *err = NULL;
  net_link l;
  int r;

  fd = open_peer_netns (net, &err);
  if (fd < 0 && err == NULL)
    return;
  if (fd >= 0)
    s = nl_open (fd, &err);
  if (s)
    {
      /* The name is ours only while it is a veth: anything else is not
         berth's to delete.  */
      r = net_link_get (s, net->veth, &l, &err);
      if (r > 0 && strcmp (l.kind, "veth") == 0)
        net_link_del (s, net->veth, &err);
    }
  if (err)
    {
      berth_warn ("veth %s: not deleted: %s", net->veth, err->msg);
      berth_error_free (err);
    }
}

/* ------------------------------------------------------------------------- */

/* The sockets both net_setup and net_restore_veth work through: berth's
   namespace (recorded as where devices come from) and the container's.  */
static int
open_sides (int ctr_fd, oci_net_state *net, int *self, nl_sock **host,
            nl_sock **ctr, berth_error **err)
{
  *self = open_self_netns (err);
  if (*self < 0)
    return -1;
  netns_id (*self, &net->devices_netns_dev, &net->devices_netns_ino);
  *host = nl_open (-1, err);
  if (*host == NULL)
    return -1;
  *ctr = nl_open (ctr_fd, err);
  return *ctr == NULL ? -1 : 0;
}

int
net_setup (const net_config *cfg, int ctr_fd, oci_net_state **out,
           berth_error **err)
{
  cleanup_close int self = -1;
  cleanup_nl nl_sock *host = NULL;
  cleanup_nl nl_sock *ctr = NULL;
  oci_net_state *net = xmalloc0 (sizeof *net);

  *out = NULL;
  net->return_devices = cfg->return_devices;
  if (open_sides (ctr_fd, net, &self, &host, &ctr, err) < 0)
    goto fail;
  if (cfg->n_devices && move_devices_in (cfg, host, ctr, ctr_fd, net, err) < 0)
    goto fail;
  if (cfg->veth && make_veth (cfg, host, ctr, ctr_fd, net, err) < 0)
    goto fail;
  *out = net;
  return 0;

fail:
  net_teardown (net, ctr_fd, true);
  oci_net_state_free (net);
  return -1;
}

int
net_restore_veth (const net_config *cfg, int ctr_fd, oci_net_state **out,
                  berth_error **err)
{
  cleanup_close int self = -1;
  cleanup_close int peer_fd = -1;
  cleanup_nl nl_sock *host = NULL;
  cleanup_nl nl_sock *ctr = NULL;
  cleanup_nl nl_sock *peer = NULL;
  oci_net_state *net = xmalloc0 (sizeof *net);
  net_link in, outside;

  *out = NULL;
  if (open_sides (ctr_fd, net, &self, &host, &ctr, err) < 0)
    goto fail;
  if (get_link (ctr, cfg->name, "the restored container", &in, err) < 0)
    goto fail;
  /* CRIU made the outside end in its own namespace, which is ours.  */
  if (get_link (host, cfg->veth, "berth's network namespace after CRIU's "
                                 "restore",
                &outside, err)
      < 0)
    goto fail;
  peer_fd = open_cfg_peer_netns (cfg, err);
  if (peer_fd < 0)
    goto fail;
  record_veth (cfg, cfg->peer_netns ? peer_fd : self, net);
  if (cfg->peer_netns)
    {
      if (net_link_move (host, &outside, peer_fd, cfg->peer_netns, cfg->veth,
                         err)
          < 0)
        goto fail;
    }
  peer = nl_open (peer_fd, err);
  if (peer == NULL
      || veth_outside_and_rates (cfg, ctr, &in, peer, net, err) < 0)
    goto fail;
  *out = net;
  return 0;

fail:
  /* The pair goes with either end.  */
  if (net->veth == NULL)
    {
      berth_error *e = NULL;
      if (host && net_link_get (host, cfg->veth, &outside, &e) > 0
          && strcmp (outside.kind, "veth") == 0)
        net_link_del (host, cfg->veth, &e);
      berth_error_free (e);
    }
  net_teardown (net, ctr_fd, false);
  oci_net_state_free (net);
  return -1;
}

int
net_adopt_veth (const net_config *cfg, int ctr_fd, oci_net_state **out,
                berth_error **err)
{
  cleanup_close int self = -1;
  cleanup_close int peer_fd = -1;
  cleanup_nl nl_sock *host = NULL;
  cleanup_nl nl_sock *ctr = NULL;
  cleanup_nl nl_sock *peer = NULL;
  oci_net_state *net = xmalloc0 (sizeof *net);
  net_link in, outside;

  *out = NULL;
  if (open_sides (ctr_fd, net, &self, &host, &ctr, err) < 0)
    goto fail;
  peer_fd = open_cfg_peer_netns (cfg, err);
  if (peer_fd < 0)
    goto fail;
  peer = nl_open (peer_fd, err);
  if (peer == NULL
      || get_link (ctr, cfg->name, "the restored container", &in, err) < 0
      || get_link (peer, cfg->veth, "the peer's network namespace", &outside,
                   err)
             < 0)
    goto fail;
  record_veth (cfg, peer_fd, net);
  net->egress_rate = cfg->egress_rate;
  net->ingress_rate = cfg->ingress_rate;
  if (net_link_set_up (peer, &outside, err) < 0)
    goto fail;
  *out = net;
  return 0;

fail:
  net_teardown (net, ctr_fd, false);
  oci_net_state_free (net);
  return -1;
}

void
net_teardown (const oci_net_state *net, int ctr_fd, bool return_devs)
{
  if (net == NULL)
    return;
  if (net->veth)
    delete_veth (net);
  if (return_devs && net->n_devices && ctr_fd >= 0)
    return_devices (net, ctr_fd);
}

static int
set_rate (nl_sock *s, const net_link *l, uint64_t rate, berth_error **err)
{
  if (rate == 0)
    return net_qdisc_del_root (s, l, err);
  return net_tbf_set (s, l, rate, err);
}

int
net_update_rates (oci_net_state *net, int ctr_fd, uint64_t egress,
                  uint64_t ingress, berth_error **err)
{
  if (net == NULL || net->veth == NULL)
    return berth_error_set (err, 0,
                            "the container has no veth pair (annotation "
                            NET_ANNOTATION_PREFIX "veth): no rate to change");
  if (egress != NET_RATE_UNCHANGED)
    {
      cleanup_nl nl_sock *ctr = nl_open (ctr_fd, err);
      net_link l;

      if (ctr == NULL
          || get_link (ctr, net->name, "the container", &l, err) < 0
          || set_rate (ctr, &l, egress, err) < 0)
        return -1;
      net->egress_rate = egress;
    }
  if (ingress != NET_RATE_UNCHANGED)
    {
      cleanup_close int fd = open_peer_netns (net, err);
      cleanup_nl nl_sock *peer = NULL;
      net_link l;

      if (fd < 0)
        {
          if (*err == NULL)
            berth_error_set (err, ENOENT, "veth %s: %s", net->veth,
                             net->peer_netns);
          return -1;
        }
      peer = nl_open (fd, err);
      if (peer == NULL
          || get_link (peer, net->veth, "the peer's network namespace", &l,
                       err)
                 < 0
          || set_rate (peer, &l, ingress, err) < 0)
        return -1;
      net->ingress_rate = ingress;
    }
  return 0;
}
