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
#include "libcontainer/rootfs/mount-util.h"

/* The parent directory of the last mount target mount_entry made, kept
   while the next targets are its children: /dev/pts, /dev/shm and
   /dev/mqueue on a new /dev tmpfs are each one mkdirat and one openat2
   in it, not a lookup of /dev again.  Held only while every mount since
   it was resolved went onto one of its children (which cannot change
   what its path resolves to): any other mount drops it first.  */
typedef struct mount_parent
{
  char *path; /* the parent's path as the targets' destinations write it */
  int fd;     /* O_PATH, resolved in the root; -1: none held */
  long f_type; /* its filesystem, for a child just made there: 0 not known
                  yet */
} mount_parent;

#define MOUNT_PARENT_NONE { NULL, -1, 0 }

/* Closes and forgets the held parent.  */
void mount_parent_drop (mount_parent *held);

#define cleanup_mount_parent __attribute__ ((cleanup (mount_parent_drop)))

/* Performs config mount `m` in the rootfs root_fd (before pivot_root): the
   target is created (a directory, or an empty file for a bind mount of a
   non-directory), then the mount, the remount for bind flags, propagation,
   recursive attributes, idmap, tmpcopyup.  type "cgroup" mounts the
   container's cgroup hierarchies (cgroup2 on a unified host; a tmpfs with
   one entry per hierarchy otherwise).  In a user namespace, sysfs and
   mqueue fall back to an rbind of the host's /sys and /dev/mqueue when the
   kernel refuses a new instance.  Errors read "mount /proc (proc): ...".
   The handles of a mount done go into `done`, closed by the caller.  */
int mount_entry (container_ctx *ctx, int root_fd, mount_parent *held,
                 fd_batch *done, const oci_mount *m, berth_error **err);

#endif
