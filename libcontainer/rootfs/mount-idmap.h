/* berth: idmapped bind mounts (mount-idmap.c).  */
#ifndef BERTH_MOUNT_IDMAP_H
#define BERTH_MOUNT_IDMAP_H

#include "base/error.h"
#include "libcontainer/lifecycle/context.h"
#include "libcontainer/rootfs/mount-options.h"

/* An idmapped bind of src_fd on target_fd (idmap/ridmap), with the
   mount's uid/gid mappings or the container's.  Returns the new mount.  */
int mount_bind_idmapped (const container_ctx *ctx, const oci_mount *m,
                         const mount_options *o, int src_fd, int target_fd,
                         berth_error **err);

#endif
