/* berth: mount primitives through fds, shared by mounts.c, the special
 * mounts (mount-cgroup, mount-idmap, mount-copyup), rootfs.c, devices.c
 * and terminal.c.  Errors carry no "mount <dest>" prefix: mount_entry
 * adds it.  */
#ifndef BERTH_MOUNT_UTIL_H
#define BERTH_MOUNT_UTIL_H

#include <stdbool.h>
#include <sys/mount.h>

#include "base/error.h"
#include "libcontainer/lifecycle/context.h"

/* Handles a step of the root's set-up is done with, closed together at
   its end (close_fds: one close_range per run of consecutive numbers)
   instead of a close each: mount targets, mount and tree handles.  Each
   is O_CLOEXEC and of the container's own mounts; the step closes its
   batch before it returns, on failure too (cleanup_fd_batch).  */
typedef struct fd_batch
{
  int fds[64];
  size_t n;
} fd_batch;

#define FD_BATCH_EMPTY { .n = 0 }

/* Adds fd (nothing for -1), closing the batch first when it is full.  */
void fd_batch_add (fd_batch *b, int fd);

/* Closes every fd of the batch and empties it.  */
void fd_batch_close (fd_batch *b);

#define cleanup_fd_batch __attribute__ ((cleanup (fd_batch_close)))

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

/* As mount_remount_bind, for the mount at mnt_fd and every mount below
   it, in one mount_setattr(AT_RECURSIVE).  Returns 1 when done, 0 when
   the caller must do it mount by mount with mount_remount_bind (a kernel
   without mount_setattr, or an atime mode cleared without another named,
   whose result depends on each mount's current mode), -1 on error.  */
int mount_setattr_recursive (int mnt_fd, unsigned long set,
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

/* The flags MS_REMOUNT|MS_BIND changes: those of the mount, not of the
   superblock.  */
#define MOUNT_PER_MOUNT_FLAGS                                                 \
  (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME | MS_NODIRATIME \
   | MS_RELATIME | MS_STRICTATIME | MS_NOSYMFOLLOW)

/* The per-mount flags the mount at fd has now (statfs), as MS_* bits.  */
int mount_current_flags (int fd, unsigned long *out, berth_error **err);

#endif
