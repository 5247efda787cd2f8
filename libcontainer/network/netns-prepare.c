/* berth: a container's network namespace made ahead of its restore
 * (libcontainer/network/netns-prepare.h).  */
#include "libcontainer/network/netns-prepare.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "base/log.h"
#include "base/utils.h"
#include "libcontainer/network/net-config.h"
#include "libcontainer/network/net-link.h"
#include "libcontainer/network/net-setup.h"
#include "libcontainer/network/netlink.h"
#include "libcontainer/process/procfs.h"

static void
cleanup_nlp (nl_sock **s)
{
  nl_close (*s);
}
#define cleanup_nl __attribute__ ((cleanup (cleanup_nlp)))

int
netns_veth_mac (const oci_config *config, int netns_fd, unsigned char mac[6],
                berth_error **err)
{
  cleanup_nl nl_sock *s = NULL;
  net_config nc;
  net_link l;
  int r;

  if (net_config_parse (config, true, &nc, err) < 0)
    return -1;
  if (nc.veth == NULL)
    return berth_error_set (err, 0, "the container has no veth pair");
  s = nl_open (netns_fd, err);
  if (s == NULL)
    return -1;
  r = net_link_get (s, nc.name, &l, err);
  if (r == 0)
    return berth_error_set (err, ENODEV, "no device %s in the container's "
                                         "network namespace",
                            nc.name);
  if (r < 0)
    return -1;
  if (!l.has_mac)
    return berth_error_set (err, 0, "%s: no MAC address", nc.name);
  memcpy (mac, l.mac, 6);
  return 0;
}

bool
netns_preparable (const oci_config *config)
{
  const oci_linux *lx = config->linux_;
  bool own = false;
  berth_error *e = NULL;
  net_config nc;

  for (size_t i = 0; lx && i < lx->n_namespaces; i++)
    if (lx->namespaces[i].type == OCI_NS_NETWORK)
      own = lx->namespaces[i].path == NULL;
  if (!own || net_config_parse (config, true, &nc, &e) < 0)
    {
      berth_error_free (e);
      return false;
    }
  return nc.veth != NULL && nc.n_devices == 0;
}

/* linux.sysctl's net.* keys, in the caller's (new) namespace: the rest
   are not the network namespace's.  */
static int
net_sysctls (const oci_config *config, berth_error **err)
{
  const oci_linux *lx = config->linux_;
  cleanup_close int proc = -1;

  for (size_t i = 0; lx && i < lx->n_sysctl; i++)
    {
      const char *key = lx->sysctl[i].key;
      const char *value = lx->sysctl[i].value;
      cleanup_free char *rel = NULL;

      if (strncmp (key, "net.", 4) != 0)
        continue;
      if (proc < 0 && (proc = procfs_open_root (err)) < 0)
        return -1;
      rel = xasprintf ("sys/%s", key);
      for (char *p = rel + 4; *p; p++)
        if (*p == '.')
          *p = '/';
      if (procfs_write (proc, rel, value, strlen (value), err) < 0)
        return berth_error_wrap (err, "linux.sysctl: %s=%s", key, value);
    }
  return 0;
}

/* A new network namespace with loopback up and the sysctls, entered and
   left again: its fd.  */
static int
new_netns (const oci_config *config, berth_error **err)
{
  cleanup_close int orig = open ("/proc/thread-self/ns/net",
                                 O_RDONLY | O_CLOEXEC);
  int fd = -1;

  if (orig < 0)
    return berth_error_sys (err, "open /proc/thread-self/ns/net");
  if (unshare (CLONE_NEWNET) < 0)
    return berth_error_sys (err, "unshare a network namespace for the "
                                 "container");
  if (net_link_up_ioctl ("lo", err) == 0 && net_sysctls (config, err) == 0)
    {
      fd = open ("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
      if (fd < 0)
        berth_error_sys (err, "open /proc/thread-self/ns/net");
    }
  if (setns (orig, CLONE_NEWNET) < 0)
    {
      /* Nothing sensible can follow in the wrong namespace.  */
      berth_warn ("setns back to berth's network namespace: %s",
                  strerror (errno));
      abort ();
    }
  return fd;
}

int
netns_prepare (const oci_config *config, const unsigned char mac[6],
               int *fd_out, berth_error **err)
{
  cleanup_close int fd = -1;
  oci_net_state *net = NULL;
  net_config nc;

  *fd_out = -1;
  if (net_config_parse (config, true, &nc, err) < 0)
    return -1;
  if (nc.veth == NULL || nc.n_devices)
    return berth_error_set (err, ENOTSUP, "the container's network is not "
                                          "a veth pair of berth's alone");
  nc.mac = mac;
  nc.outside_down = true;
  /* An IPv6 address without duplicate address detection.  With it the
     address stays tentative while the outside end is down (no carrier,
     no detection), that is through the whole restore, and a tentative
     address cannot be bound: CRIU fails to restore a connection of the
     container ("Can't bind inet socket back: Cannot assign requested
     address"), on the target and in the restore back on the source.
     Once up, the detection would still keep it tentative 1 to 2 s, in
     which the kernel delivers nothing to it, just as the announce
     (net-announce.h) points the peers here.  The address is not new on
     the link: it moved with the container, whose copy on the source is
     gone before the restore (the final dump ends it), as with IPv4,
     which has no such detection.  */
  nc.nodad = true;
  fd = new_netns (config, err);
  if (fd < 0)
    return berth_error_wrap (err, "the container's network namespace");
  if (net_setup (&nc, fd, &net, err) < 0)
    return berth_error_wrap (err, "the container's network namespace");
  /* The pair lives in the namespace; the restore records it again
     (net_adopt_veth).  */
  oci_net_state_free (net);
  *fd_out = steal_fd (&fd);
  return 0;
}

void
netns_discard (const oci_config *config, int *fd)
{
  berth_error *e = NULL;
  net_config nc;

  if (*fd < 0)
    return;
  /* From the inside: the namespace is ours, so is its end of the pair,
     and deleting it takes the outside end along.  */
  if (net_config_parse (config, true, &nc, &e) == 0 && nc.veth)
    {
      cleanup_nl nl_sock *s = nl_open (*fd, &e);
      net_link l;
      if (s && net_link_get (s, nc.name, &l, &e) > 0
          && strcmp (l.kind, "veth") == 0)
        net_link_del (s, nc.name, &e);
    }
  if (e)
    {
      berth_warn ("the network namespace made for the container: %s",
                  e->msg);
      berth_error_free (e);
    }
  close (*fd);
  *fd = -1;
}
