/* berth: the one helper every path inside the container's rootfs goes
 * through.  Resolution is done by the kernel with openat2(RESOLVE_IN_ROOT |
 * RESOLVE_NO_MAGICLINKS) from a dirfd of the rootfs, so a symlink (absolute
 * or with "..") can never lead out of it.  Mount targets are then reached
 * through /proc/self/fd/<fd> of the returned O_PATH fd, never by
 * re-resolving a string.  */
#ifndef BERTH_SAFE_PATH_H
#define BERTH_SAFE_PATH_H

#include <stdbool.h>
#include <sys/types.h>

#include "base/error.h"

/* openat2 of `path` in the root with no symlink at all on the way
   (RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS: ELOOP), O_CLOEXEC added,
   retried on EAGAIN a bounded number of times; -1 with errno set.  */
int openat2_in_root_no_symlinks (int root_fd, const char *path, int flags);

/* openat2 (root_fd, path, flags|O_CLOEXEC, RESOLVE_IN_ROOT|
   RESOLVE_NO_MAGICLINKS).  `path` may be absolute (taken relative to
   root_fd).  Returns an fd or -1 with *err set.  */
int safe_open_in_root (int root_fd, const char *path, int flags, mode_t mode,
                       berth_error **err);

/* safe_open_in_root for a path that may not exist: 0 with *fd = -1 when
   it does not (ENOENT), 0 with *fd set when it does, -1 with *err set on
   any other failure.  */
int safe_open_in_root_optional (int root_fd, const char *path, int flags,
                                int *fd, berth_error **err);

/* Makes every missing directory of `path` under root_fd (mode `mode`), each
   step resolved in root, and returns an O_PATH|O_DIRECTORY fd of the last
   one.  */
int safe_mkdir_all (int root_fd, const char *path, mode_t mode,
                    berth_error **err);

/* The parent of `path` as safe_mkdir_all splits it (trailing slashes
   off, up to the last slash, "/" for the root), and in *name its last
   component (both the caller's to free); NULL when there is none (no
   slash, or the root itself).  A held parent is matched against it.  */
char *safe_path_split (const char *path, char **name);

/* safe_mkdir_all that hands back in *parent the O_PATH handle of the
   parent it opened when it made the missing last component itself (-1
   when it did not): the caller may make and open siblings in it
   (safe_mkdir_child) without resolving the parent again.  */
int safe_mkdir_all_keep_parent (int root_fd, const char *path, mode_t mode,
                                int *parent, berth_error **err);

/* The directory `name` (one component: no slash, not "." or "..") in
   the directory `parent`, made with mkdirat when missing (*made), then
   opened O_PATH beneath `parent` with no symlink at all
   (RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS): the same directory a lookup
   of the parent's path and `name` in the root finds, when `parent` is
   what that path resolves to.  -1 with errno set on any failure
   (ELOOP: `name` is a symlink), nothing made but the directory: the
   caller resolves the full path in the root instead.  */
int safe_mkdir_child (int parent, const char *name, mode_t mode, bool *made);

/* safe_mkdir_all, the directory opened O_RDONLY | O_DIRECTORY instead of
   O_PATH: a handle the kernel reads extended attributes (a default ACL)
   through, which it refuses on an O_PATH fd (EBADF).  Opening a
   directory for reading has no side effect.  */
int safe_mkdir_all_rdonly (int root_fd, const char *path, mode_t mode,
                           berth_error **err);

/* Makes a mount target: the parent directories, then `path` itself as a
   directory (is_dir) or an empty regular file.  An existing target of the
   other kind is an error (as runc: mounting a file on a dir).  Returns an
   O_PATH fd of the target.  */
int safe_create_mount_target (int root_fd, const char *path, int is_dir,
                              berth_error **err);

/* "/proc/self/fd/<fd>" in a caller-provided buffer of at least 32 bytes.  */
const char *fd_path (int fd, char buf[32]);

#endif
