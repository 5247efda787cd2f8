/* berth: the container's root filesystem.  All of it runs in the container's
 * init, in its new mount namespace, as root of the (possibly new) user
 * namespace, after the uid/gid maps are written.  */
#ifndef BERTH_ROOTFS_H
#define BERTH_ROOTFS_H

#include "libcontainer/lifecycle/context.h"
#include "base/error.h"

/* Before pivot_root: sets / to linux.rootfsPropagation (default rslave, as
   runc), bind-mounts ctx->rootfs on itself (or mounts the overlay when
   ctx->overlay), performs config mounts in order, creates default and
   linux.devices, the /dev symlinks (fd, stdin, stdout, stderr, ptmx).
   Every destination is resolved inside the rootfs without following a
   symlink out of it.  Returns an O_PATH fd of the root mount (the
   caller closes it before the workload runs).  */
int rootfs_prepare (container_ctx *ctx, berth_error **err);

/* pivot_root into the rootfs and detach the old root; with ctx->no_pivot,
   MS_MOVE + chroot instead.  Afterwards cwd is "/".  root_fd: the root
   mount from rootfs_prepare, or -1 to open its path again (when hooks
   ran in between and may have mounted over it).  */
int rootfs_pivot (container_ctx *ctx, int root_fd, berth_error **err);

/* After pivot_root: linux.maskedPaths, linux.readonlyPaths, root.readonly,
   and the final propagation of / (rootfsPropagation).  `root_fd`: the
   root mount rootfs_pivot made the new "/" (taken over), or -1: "/" is
   opened.  *root_out (when not NULL): that handle of the new "/", the
   caller's to close (the /etc/passwd lookup uses it).  */
int rootfs_finalize (container_ctx *ctx, int root_fd, int *root_out,
                     berth_error **err);

#endif
