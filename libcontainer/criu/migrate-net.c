/* berth migrate --to: how the container's network namespace moves
 * (libcontainer/criu/migrate-net.h).  */
#include "libcontainer/criu/migrate-net.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "base/utils.h"
#include "libcontainer/lifecycle/handle.h"
#include "libcontainer/lifecycle/state.h"
#include "libcontainer/network/net-firewall.h"

static void
use_dump (const migrate_opts *o, migrate_net *n, migrate_report *rep,
          const char *fmt, ...)
{
  va_list ap;

  n->external = false;
  rep->net = "dump";
  va_start (ap, fmt);
  vsnprintf (rep->net_why, sizeof rep->net_why, fmt, ap);
  va_end (ap);
  if (o->report)
    {
      fprintf (o->report, "net=dump why=\"%s\"\n", rep->net_why);
      fflush (o->report);
    }
}

/* The container's network namespace, from its init.  */
static int
open_netns (const migrate_opts *o, oci_config **config, berth_error **err)
{
  cleanup_container_handle container_handle *h = NULL;
  char path[64];
  int fd;

  if (container_open (o->root, o->id, 0, &h, err) < 0)
    return -1;
  if (config)
    {
      *config = state_load_config (h->dir_fd, err);
      if (*config == NULL)
        return -1;
    }
  snprintf (path, sizeof path, "/proc/%d/ns/net", h->state->pid);
  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return berth_error_sys (err, "%s", path);
  return fd;
}

/* 0 when the namespace `fd` has no firewall rule, else the dump chosen
   (with why).  */
static int
check_firewall (const migrate_opts *o, int fd, migrate_net *n,
                migrate_report *rep)
{
  cleanup_free char *what = NULL;
  berth_error *e = NULL;
  int r = net_firewall_find (fd, &what, &e);

  if (r < 0)
    {
      use_dump (o, n, rep, "%s", e->msg);
      berth_error_free (e);
      return -1;
    }
  if (r > 0)
    {
      use_dump (o, n, rep, "the container's network namespace has "
                           "firewall rules of its own (%s), which only "
                           "CRIU's dump carries",
                what);
      return -1;
    }
  return 0;
}

void
migrate_net_choose (const migrate_opts *o, migrate_net *n,
                    migrate_report *rep)
{
  cleanup_close int fd = -1;
  berth_error *e = NULL;
  oci_config *config = NULL;
  unsigned char mac[6];

  memset (n, 0, sizeof *n);
  if (o->net_dump)
    {
      use_dump (o, n, rep, "--net-dump");
      return;
    }
  fd = open_netns (o, &config, &e);
  if (fd < 0)
    {
      use_dump (o, n, rep, "%s", e->msg);
      berth_error_free (e);
      goto out;
    }
  if (!netns_preparable (config))
    {
      use_dump (o, n, rep, "the container's network namespace is not one "
                           "berth makes from config.json with a veth pair "
                           "of its annotations");
      goto out;
    }
  if (check_firewall (o, fd, n, rep) < 0)
    goto out;
  if (netns_veth_mac (config, fd, mac, &e) < 0)
    {
      use_dump (o, n, rep, "%s", e->msg);
      berth_error_free (e);
      goto out;
    }
  net_mac_format (mac, n->mac);
  n->external = true;
  rep->net = "external";
  rep->net_why[0] = '\0';
out:
  oci_config_free (config);
}

void
migrate_net_recheck (const migrate_opts *o, migrate_net *n,
                     migrate_report *rep)
{
  cleanup_close int fd = -1;
  berth_error *e = NULL;

  if (!n->external)
    return;
  fd = open_netns (o, NULL, &e);
  if (fd < 0)
    {
      use_dump (o, n, rep, "%s", e->msg);
      berth_error_free (e);
      return;
    }
  check_firewall (o, fd, n, rep);
}
