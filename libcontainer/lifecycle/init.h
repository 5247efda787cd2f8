/* berth: the container's init, from clone to execve (the child side of
 * the create path; the parent side is container.c).  */
#ifndef BERTH_INIT_H
#define BERTH_INIT_H

#include <stdbool.h>

#include "cgroups/join.h"
#include "cgroups/manager.h"
#include "libcontainer/lifecycle/context.h"
#include "libcontainer/lifecycle/namespaces.h"
#include "libcontainer/process/plan.h"
#include "oci-spec/state.h"

typedef struct init_args
{
  container_ctx ctx;
  ns_plan plan;
  process_plan proc;     /* the workload, from the parent's prepare side
                            (parsed caps, compiled filter, passed fds) */
  cgroup_join cg_join;   /* v1: move ourselves into the cgroup first */
  cgroup_manager *cg_after_clone; /* else the parent makes (v1) or
                            applies (v2) it after clone (SYNC_CGROUP_ACK);
                            on v1 we move ourselves in with what
                            ->self_join opens */
  bool wait_cgroup;      /* else wait until the parent moved us there
                            (SYNC_CGROUP_ACK) */
  bool unshare_cgroupns; /* then unshare the cgroup namespace */
  bool net_sync;         /* the parent sets up the network namespace
                            (SYNC_NET_REQ/ACK) */
  bool dumpable_until_maps; /* a non-root parent writes the id maps: it
                            can only open /proc/<init>/uid_map while the
                            init is dumpable */
  /* The parent's fds the init must close first (the state dir lock goes
     with the open file description).  */
  int parent_fds[5];
} init_args;

/* Never returns: execs the workload or exits non-zero after reporting the
   error to the parent over ctx.sync_fd (or, after `start`, to the fifo;
   after `run`'s SYNC_START, still over ctx.sync_fd).  */
__attribute__ ((noreturn)) void container_init (init_args *args);

/* The state JSON given to hooks and the seccomp agent.  */
char *init_state_json (const container_ctx *ctx, oci_status status, int pid);

#endif
