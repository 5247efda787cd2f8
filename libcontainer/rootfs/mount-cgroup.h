/* berth: mounts of type "cgroup" (mount-cgroup.c).  */
#ifndef BERTH_MOUNT_CGROUP_H
#define BERTH_MOUNT_CGROUP_H

#include <stdbool.h>

#include "base/error.h"
#include "libcontainer/lifecycle/context.h"
#include "libcontainer/rootfs/mount-options.h"
#include "libcontainer/rootfs/mount-util.h"

/* Type "cgroup" on a cgroup v1 or hybrid host: a tmpfs at the
   destination with one entry per host hierarchy (see mount-cgroup.c).
   Returns the tmpfs mount; the target's and the hierarchies' handles go
   into `done` once all is in place.  */
int mount_cgroup_v1 (const container_ctx *ctx, int root_fd, const char *dest,
                     const mount_options *o, fd_batch *done,
                     berth_error **err);

/* A new cgroup2 mount was refused (user namespace without a cgroup
   namespace of its own): binds the init's own cgroup v2 directory on the
   destination instead.  Returns the new mount.  */
int mount_cgroup2_bind (const container_ctx *ctx, int root_fd,
                        const char *dest, const mount_options *o,
                        berth_error **err);

/* /sys/fs/cgroup of the host is a cgroup2 mount (unified only).  */
bool mount_host_cgroup2_only (void);

#endif
