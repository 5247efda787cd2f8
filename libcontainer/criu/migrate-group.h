/* berth migrate: the processes a migration starts (the lazy dump and its
 * page server, the target's restore child, `criu lazy-pages`), each with
 * everything it starts in turn, as one process group that ends as a
 * whole, when berth kills it and when berth itself dies.  Internal to
 * libcontainer/criu.
 *
 * Why a process group: libcriu forks `criu swrk` (the page server of a
 * lazy dump, the restorer of a restore) and execs it itself, so berth can
 * set nothing in that process; PR_SET_PDEATHSIG alone does not pass a
 * fork.  A process group does: libcriu's child stays in its parent's
 * group, and so do CRIU's own children.  The tasks CRIU restores leave it
 * (CRIU gives them back their session and group) only after it moved
 * them into the container's cgroup (restore_task_cgroup comes before
 * restore_sid in CRIU's restore), which berth made and `delete --force`
 * kills: between the two, every process is covered.  A signal to a group
 * reaches every member at once, a child being forked too (the kernel
 * fails a fork that a group signal interrupted).  A cgroup of berth's
 * own for these processes would do as much, but would need one per
 * migration, made and removed on both kinds of host (v1 and v2).  */
#ifndef BERTH_MIGRATE_GROUP_H
#define BERTH_MIGRATE_GROUP_H

#include <sys/types.h>

#include "base/error.h"

/* In a child right after fork (parent: the pid of the process that
   forked it): it leads a process group of its own, and its parent's
   death (even by SIGKILL) kills that whole group (PR_SET_PDEATHSIG with
   SIGTERM, whose handler sends SIGKILL to the group).  -1: the child
   must _exit (its parent is already gone, or no group).  */
int migrate_group_enter (pid_t parent);

/* In the parent right after fork: the child's group made from this side
   too, so a kill of the group cannot come before it exists.  */
void migrate_group_adopt (pid_t child);

/* SIGKILL to the group led by `leader` (a child of ours, not reaped
   yet), then the leader reaped.  */
void migrate_group_kill (pid_t leader);

/* argv (argv[0] looked up in PATH) in a group of its own, killed
   outright (SIGKILL) if we die, in the network namespace `netns` (-1:
   ours).  */
pid_t migrate_group_spawn (char *const argv[], int netns, berth_error **err);

#endif
