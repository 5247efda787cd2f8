/* berth: performing one config mount inside the rootfs, and the few mount
 * primitives rootfs.c and devices.c share.  Option strings are parsed by
 * mount-options.h.  Every target is an fd from safe-path.h.  */
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

/* Clones the mount at src_fd (with its submounts when `recursive`) and
   attaches the copy on target_fd: a bind mount through fds only
   (open_tree + move_mount).  Returns an O_PATH fd of the new mount's
   root.  */
int mount_bind_fd (int src_fd, int target_fd, bool recursive,
                   berth_error **err);

/* Changes the per-mount flags of the mount whose root is mnt_fd: those in
   `set` on, those in `clear` off, every other flag it has now kept, in
   particular those the kernel locks in a user namespace (ro, nosuid,
   nodev, noexec, atime).  Done with mount_setattr on the fd; on kernels
   without it, MS_REMOUNT|MS_BIND on `path` (NULL: /proc/self/fd/<mnt_fd>)
   with the current flags (statfs) merged in.  Nothing is done when the
   flags already match.  */
int mount_remount_bind (int mnt_fd, const char *path, unsigned long set,
                        unsigned long clear, berth_error **err);

/* After a mount(2) on /proc/self/fd/<under_fd>, that fd still names the
   directory underneath; this opens `path` again in root_fd and checks that
   it is the root of a mount other than under_fd's.  Returns an O_PATH fd
   of the new mount.  */
int mount_reopen (int root_fd, const char *path, int under_fd,
                  berth_error **err);

/* An O_PATH fd of the host's /proc: ctx->host_proc_fd duplicated, or
   "/proc" opened when it is -1 (before pivot_root only).  */
int mount_host_proc (const container_ctx *ctx, berth_error **err);

/* ---- between the mount files (mounts.c, mount-cgroup.c, mount-idmap.c,
   mount-copyup.c); errors without the "mount <dest>" prefix, which
   mount_entry adds.  */

/* The flags MS_REMOUNT|MS_BIND changes: those of the mount, not of the
   superblock.  */
#define MOUNT_PER_MOUNT_FLAGS                                                 \
  (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME | MS_NODIRATIME \
   | MS_RELATIME | MS_STRICTATIME | MS_NOSYMFOLLOW)

/* Type "cgroup" on a cgroup v1 or hybrid host: a tmpfs at the
   destination with one entry per host hierarchy (see mount-cgroup.c).
   Returns the tmpfs mount.  */
int mount_cgroup_v1 (const container_ctx *ctx, int root_fd, const char *dest,
                     const mount_options *o, berth_error **err);

/* A new cgroup2 mount was refused (user namespace without a cgroup
   namespace of its own): binds the init's own cgroup v2 directory on the
   destination instead.  Returns the new mount.  */
int mount_cgroup2_bind (const container_ctx *ctx, int root_fd,
                        const char *dest, const mount_options *o,
                        berth_error **err);

/* /sys/fs/cgroup of the host is a cgroup2 mount (unified only).  */
bool mount_host_cgroup2_only (void);

/* An idmapped bind of src_fd on target_fd (idmap/ridmap), with the
   mount's uid/gid mappings or the container's.  Returns the new mount.  */
int mount_bind_idmapped (const container_ctx *ctx, const oci_mount *m,
                         const mount_options *o, int src_fd, int target_fd,
                         berth_error **err);

/* tmpcopyup: fills the new tmpfs mnt_fd with the content of the directory
   it covers (src, opened before the mount), owners and modes kept.  */
int mount_tmpcopyup (int src, int mnt_fd, const mount_options *o,
                     bool userns, berth_error **err);

#endif
