/* berth: the mount primitives the mount files share (mount-util.h).  */
#include "libcontainer/rootfs/mount-util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "base/utils.h"
#include "libcontainer/rootfs/safe-path.h"

#ifndef ST_NOSYMFOLLOW
#define ST_NOSYMFOLLOW 0x2000
#endif

#define ATIME_MODES (MS_NOATIME | MS_RELATIME | MS_STRICTATIME)

int
mount_host_proc (const container_ctx *ctx, berth_error **err)
{
  int fd;

  if (ctx->host_proc_fd >= 0)
    fd = fcntl (ctx->host_proc_fd, F_DUPFD_CLOEXEC, 3);
  else
    fd = open ("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return berth_error_sys (err, "open the host /proc");
  return fd;
}

void
fd_batch_close (fd_batch *b)
{
  close_fds (b->fds, b->n);
  b->n = 0;
}

void
fd_batch_add (fd_batch *b, int fd)
{
  if (fd < 0)
    return;
  if (b->n == sizeof b->fds / sizeof b->fds[0])
    fd_batch_close (b);
  b->fds[b->n++] = fd;
}

int
mount_bind_fd (int src_fd, int target_fd, bool recursive, berth_error **err)
{
  cleanup_close int mfd = -1;

  mfd = open_tree (src_fd, "",
                   OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH
                       | (recursive ? AT_RECURSIVE : 0));
  if (mfd < 0)
    return berth_error_sys (err, "clone the source mount");
  if (move_mount (mfd, "", target_fd, "",
                  MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH)
      < 0)
    return berth_error_sys (err, "attach the bind mount");
  return steal_fd (&mfd);
}

/* The per-mount flags of the mount at fd, as MS_* (one atime mode always
   named: statfs shows none for strictatime).  */
int
mount_current_flags (int fd, unsigned long *out, berth_error **err)
{
  struct statfs sfs;
  unsigned long cur = 0;

  if (fstatfs (fd, &sfs) < 0)
    return berth_error_sys (err, "statfs");
  if (sfs.f_flags & ST_RDONLY)
    cur |= MS_RDONLY;
  if (sfs.f_flags & ST_NOSUID)
    cur |= MS_NOSUID;
  if (sfs.f_flags & ST_NODEV)
    cur |= MS_NODEV;
  if (sfs.f_flags & ST_NOEXEC)
    cur |= MS_NOEXEC;
  if (sfs.f_flags & ST_NODIRATIME)
    cur |= MS_NODIRATIME;
  if (sfs.f_flags & ST_NOSYMFOLLOW)
    cur |= MS_NOSYMFOLLOW;
  if (sfs.f_flags & ST_NOATIME)
    cur |= MS_NOATIME;
  else if (sfs.f_flags & ST_RELATIME)
    cur |= MS_RELATIME;
  else
    cur |= MS_STRICTATIME;
  *out = cur;
  return 0;
}

static const struct
{
  unsigned long ms;
  uint64_t attr;
} mount_attr_bits[] = {
  { MS_RDONLY, MOUNT_ATTR_RDONLY },     { MS_NOSUID, MOUNT_ATTR_NOSUID },
  { MS_NODEV, MOUNT_ATTR_NODEV },       { MS_NOEXEC, MOUNT_ATTR_NOEXEC },
  { MS_NODIRATIME, MOUNT_ATTR_NODIRATIME },
  { MS_NOSYMFOLLOW, MOUNT_ATTR_NOSYMFOLLOW },
};

static uint64_t
mount_attr_atime (unsigned long ms)
{
  return (ms & MS_NOATIME)       ? MOUNT_ATTR_NOATIME
         : (ms & MS_STRICTATIME) ? MOUNT_ATTR_STRICTATIME
                                 : MOUNT_ATTR_RELATIME;
}

/* The current flags are read only on the slow path: mount_setattr
   changes only the bits it names, so `set` and `clear` translate to its
   arguments as they are, with one exception: an atime mode cleared
   without another named, where the result depends on the mode the mount
   has (relatime only when the cleared one is current).  Setting a flag
   the mount already has, or clearing one it has not, changes nothing,
   also for the flags the kernel locks in a user namespace.  Saves an
   fstatfs per read-only path, cgroup hierarchy and bind mount.  */
static bool
mount_setattr_direct (int mnt_fd, unsigned long set, unsigned long clear,
                      unsigned int at_flags, int *ret, berth_error **err)
{
  struct mount_attr attr = { 0 };

  if ((clear & ATIME_MODES) && !(set & ATIME_MODES))
    return false;
  for (size_t i = 0; i < sizeof mount_attr_bits / sizeof mount_attr_bits[0];
       i++)
    {
      if (set & mount_attr_bits[i].ms)
        attr.attr_set |= mount_attr_bits[i].attr;
      else if (clear & mount_attr_bits[i].ms)
        attr.attr_clr |= mount_attr_bits[i].attr;
    }
  if (set & ATIME_MODES)
    {
      attr.attr_clr |= MOUNT_ATTR__ATIME;
      attr.attr_set |= mount_attr_atime (set);
    }
  if (mount_setattr (mnt_fd, "", AT_EMPTY_PATH | at_flags, &attr,
                     sizeof attr)
      == 0)
    {
      *ret = 0;
      return true;
    }
  if (errno == ENOSYS)
    return false;
  *ret = berth_error_sys (err, "set mount flags");
  return true;
}

int
mount_remount_bind (int mnt_fd, const char *path, unsigned long set,
                    unsigned long clear, berth_error **err)
{
  unsigned long cur, want;
  char buf[32];
  int ret;

  set &= MOUNT_PER_MOUNT_FLAGS;
  clear &= MOUNT_PER_MOUNT_FLAGS;
  if (set == 0 && clear == 0)
    return 0;
  if (mount_setattr_direct (mnt_fd, set, clear, 0, &ret, err))
    return ret;

  /* A remount replaces every flag: start from what the mount has, so
     those the kernel locks in a user namespace are kept.  */
  if (mount_current_flags (mnt_fd, &cur, err) < 0)
    return -1;

  want = (cur & ~clear) | set;
  /* One atime mode: the one asked for, or relatime (the kernel default)
     when the current one was turned off.  */
  want &= ~(unsigned long) ATIME_MODES;
  if (set & ATIME_MODES)
    want |= set & ATIME_MODES;
  else if (cur & clear & ATIME_MODES)
    want |= MS_RELATIME;
  else
    want |= cur & ATIME_MODES;
  if (want == cur)
    return 0;

  /* mount_setattr changes only the bits named, and needs no path.  */
  {
    struct mount_attr attr = { 0 };
    for (size_t i = 0;
         i < sizeof mount_attr_bits / sizeof mount_attr_bits[0]; i++)
      {
        if ((want & mount_attr_bits[i].ms) && !(cur & mount_attr_bits[i].ms))
          attr.attr_set |= mount_attr_bits[i].attr;
        if (!(want & mount_attr_bits[i].ms) && (cur & mount_attr_bits[i].ms))
          attr.attr_clr |= mount_attr_bits[i].attr;
      }
    if ((want & ATIME_MODES) != (cur & ATIME_MODES))
      {
        attr.attr_clr |= MOUNT_ATTR__ATIME;
        attr.attr_set |= mount_attr_atime (want);
      }
    if (mount_setattr (mnt_fd, "", AT_EMPTY_PATH, &attr, sizeof attr) == 0)
      return 0;
    if (errno != ENOSYS)
      return berth_error_sys (err, "set mount flags");
  }

  if (mount (NULL, path ? path : fd_path (mnt_fd, buf), NULL,
             MS_REMOUNT | MS_BIND | want, NULL)
      < 0)
    return berth_error_sys (err, "remount");
  return 0;
}

int
mount_setattr_recursive (int mnt_fd, unsigned long set, unsigned long clear,
                         berth_error **err)
{
  int ret;

  set &= MOUNT_PER_MOUNT_FLAGS;
  clear &= MOUNT_PER_MOUNT_FLAGS;
  if (set == 0 && clear == 0)
    return 1;
  if (mount_setattr_direct (mnt_fd, set, clear, AT_RECURSIVE, &ret, err))
    return ret < 0 ? -1 : 1;
  return 0;
}

static int
statx_mount (int fd, struct statx *stx)
{
  return statx (fd, "", AT_EMPTY_PATH | AT_STATX_DONT_SYNC, STATX_MNT_ID, stx);
}

int
mount_reopen (int root_fd, const char *path, int under_fd, berth_error **err)
{
  cleanup_close int fd = -1;
  struct statx under, top;

  fd = safe_open_in_root (root_fd, path, O_PATH, 0, err);
  if (fd < 0)
    return -1;
  if (statx_mount (under_fd, &under) < 0 || statx_mount (fd, &top) < 0)
    return berth_error_sys (err, "statx %s", path);
  if (!(top.stx_mask & STATX_MNT_ID) || top.stx_mnt_id == under.stx_mnt_id
      || !(top.stx_attributes & STATX_ATTR_MOUNT_ROOT))
    return berth_error_set (err, EAGAIN, "%s: the new mount is not there",
                            path);
  return steal_fd (&fd);
}

