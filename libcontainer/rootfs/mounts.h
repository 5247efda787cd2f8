/* berth: performing one config mount inside the rootfs.  Option strings
 * are parsed by mount-options.h, the primitives are mount-util.h's, every
 * target is an fd from safe-path.h.  */
#ifndef BERTH_MOUNTS_H
#define BERTH_MOUNTS_H

#include <stdbool.h>
#include <sys/mount.h>

#include "libcontainer/lifecycle/context.h"
#include "base/error.h"
#include "libcontainer/rootfs/mount-options.h"

/* Performs config mount `m` in the rootfs root_fd (before pivot_root): the
   target is created (a directory, or an empty file for a bind mount of a
   non-directory), then the mount, the remount for bind flags, propagation,
   recursive attributes, idmap, tmpcopyup.  type "cgroup" mounts the
   container's cgroup hierarchies (cgroup2 on a unified host; a tmpfs with
   one entry per hierarchy otherwise).  In a user namespace, sysfs and
   mqueue fall back to an rbind of the host's /sys and /dev/mqueue when the
   kernel refuses a new instance.  Errors read "mount /proc (proc): ...".  */
int mount_entry (container_ctx *ctx, int root_fd, const oci_mount *m,
                 berth_error **err);

#endif
