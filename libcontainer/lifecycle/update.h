/* berth: `berth update` as one request: the -r JSON and the flags, as the
 * user gave them.  The policy (which fields runc updates, flags over the
 * JSON, 0 and "" as "leave it") lives here, not in the command line.  */
#ifndef BERTH_UPDATE_H
#define BERTH_UPDATE_H

#include "base/error.h"

typedef enum update_flag
{
  UPDATE_MEMORY = 0,
  UPDATE_MEMORY_RESERVATION,
  UPDATE_MEMORY_SWAP,
  UPDATE_KERNEL_MEMORY,
  UPDATE_KERNEL_MEMORY_TCP,
  UPDATE_CPU_PERIOD,
  UPDATE_CPU_QUOTA,
  UPDATE_CPU_SHARE,
  UPDATE_CPU_RT_PERIOD,
  UPDATE_CPU_RT_RUNTIME,
  UPDATE_CPUSET_CPUS,
  UPDATE_CPUSET_MEMS,
  UPDATE_PIDS_LIMIT,
  UPDATE_BLKIO_WEIGHT,
  UPDATE_CGROUP_FLAGS, /* the ones above change the cgroup */
  UPDATE_NET_EGRESS_RATE = UPDATE_CGROUP_FLAGS,
  UPDATE_NET_INGRESS_RATE,
  UPDATE_FLAGS
} update_flag;

typedef struct container_update_request
{
  const char *resources_path;        /* -r FILE; "-": standard input */
  const char *flags[UPDATE_FLAGS];   /* as given; NULL: not given */
} container_update_request;

/* Builds the linux.resources of the request and applies it all or
   nothing (cgroup_manager_update), then the veth rates.  Messages name
   the flag: "update: --memory: invalid value \"12x\"".  */
int container_update_request_apply (const char *root, const char *id,
                                    const container_update_request *req,
                                    berth_error **err);

#endif
