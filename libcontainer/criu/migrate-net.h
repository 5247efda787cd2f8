/* berth migrate --to: how the container's network namespace moves.
 * Internal to libcontainer/criu.
 *
 * "external": berth made the namespace from config.json (no path in
 * linux.namespaces, a veth pair of the run.oci.berth.net.* annotations),
 * so the target makes it again before the container stops here
 * (netns-prepare.h), and CRIU leaves it out of the images: none of the
 * programs CRIU runs to dump and restore a namespace (ip, iptables-save,
 * iptables-restore) is then in the downtime.  What the container changed
 * in it after its start does not follow; of that, its own firewall rules
 * would be a silent loss of security, so a namespace with any (iptables
 * or nftables, net-firewall.h) goes the other way.
 * "dump": CRIU dumps and restores the namespace, as a local checkpoint
 * does; with --net-dump, with firewall rules, or for a namespace berth
 * cannot make again.  */
#ifndef BERTH_MIGRATE_NET_H
#define BERTH_MIGRATE_NET_H

#include <stdbool.h>

#include "libcontainer/criu/migrate.h"
#include "libcontainer/network/netns-prepare.h"
#include "oci-spec/migrate-report.h"

typedef struct migrate_net
{
  bool external;
  char mac[NET_MAC_TEXT_LEN]; /* external: the container's end's MAC */
} migrate_net;

/* Before the target is asked for anything: picks the way, into *n and
   the report (rep->net, rep->net_why, and a line on o->report when CRIU
   dumps the namespace).  Never fails: a check that cannot be made picks
   the dump.  */
void migrate_net_choose (const migrate_opts *o, migrate_net *n,
                         migrate_report *rep);

/* Just before the final dump: the firewall checked again (rules the
   container added since would be lost); with any, the dump after all
   (the target sees the images carry the namespace and drops the one it
   made).  */
void migrate_net_recheck (const migrate_opts *o, migrate_net *n,
                          migrate_report *rep);

#endif
