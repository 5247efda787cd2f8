/* berth: whether a network namespace has firewall rules of its own, for
 * a migration that would not carry them (netns-prepare.h): iptables
 * (legacy x_tables, IPv4 and IPv6: a table with more than its built-in
 * chains, or a built-in chain whose policy is not ACCEPT) and nftables
 * (any table, which is also what iptables-nft makes).  Only tables the
 * namespace already has are read, and only when their module is loaded:
 * the check loads no module and makes no table.  */
#ifndef BERTH_NET_FIREWALL_H
#define BERTH_NET_FIREWALL_H

#include <stdbool.h>
#include <stddef.h>

#include "base/error.h"

/* Pure (unit-tested): whether an x_tables table is as the kernel makes
   it: one entry per built-in chain (its policy) and the final ERROR
   entry, every policy ACCEPT.  `valid_hooks`: the table's hook mask;
   `policy_accept[h]`: the built-in chain of hook h accepts.  */
bool net_xt_table_empty (unsigned int valid_hooks, unsigned int num_entries,
                         const bool policy_accept[], size_t n_hooks);

/* 1 and *what (malloc'd, "iptables filter table", "nftables table
   inet t") when the namespace `netns_fd` has a rule of its own, 0 when
   none, -1 on error.  Runs in a child process that enters the
   namespace.  */
int net_firewall_find (int netns_fd, char **what, berth_error **err);

#endif
