/* berth: tmpcopyup, the content of a directory copied into the tmpfs
 * mounted over it: files, directories, symlinks, device nodes and fifos,
 * with owners and modes.  */
#include "libcontainer/rootfs/mount-copyup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "base/log.h"
#include "base/utils.h"

static int copy_tree (int src, int dst, bool userns, berth_error **err);

static int
copy_owner_mode (int fd, const struct stat *st, bool userns,
                 berth_error **err)
{
  /* In a user namespace an unmapped owner shows as the overflow id, which
     cannot be given back; the copy then stays root's.  */
  if (fchown (fd, st->st_uid, st->st_gid) < 0
      && !(userns && (errno == EINVAL || errno == EPERM)))
    return berth_error_sys (err, "chown");
  if (fchmod (fd, st->st_mode & 07777) < 0)
    return berth_error_sys (err, "chmod");
  return 0;
}

static int
copy_file_data (int in, int out, berth_error **err)
{
  char buf[65536];

  for (;;)
    {
      ssize_t n = copy_file_range (in, NULL, out, NULL, 1 << 30, 0);
      if (n == 0)
        return 0;
      if (n > 0)
        continue;
      if (errno == EINTR)
        continue;
      if (errno != EXDEV && errno != EINVAL && errno != ENOSYS
          && errno != EOPNOTSUPP)
        return berth_error_sys (err, "copy");
      break;
    }
  for (;;)
    {
      ssize_t n = read (in, buf, sizeof buf);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return berth_error_sys (err, "read");
      if (n == 0)
        return 0;
      if (write_all (out, buf, (size_t) n) < 0)
        return berth_error_sys (err, "write");
    }
}

static int
copy_entry (int src, int dst, const char *name, bool userns,
            berth_error **err)
{
  struct stat st;

  if (fstatat (src, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
    return berth_error_sys (err, "stat %s", name);
  switch (st.st_mode & S_IFMT)
    {
    case S_IFDIR:
      {
        cleanup_close int s = -1;
        cleanup_close int d = -1;
        if (mkdirat (dst, name, 0700) < 0)
          return berth_error_sys (err, "mkdir %s", name);
        s = openat (src, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW
                                   | O_CLOEXEC);
        d = openat (dst, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW
                                   | O_CLOEXEC);
        if (s < 0 || d < 0)
          return berth_error_sys (err, "open %s", name);
        if (copy_tree (s, d, userns, err) < 0)
          return berth_error_wrap (err, "%s", name);
        return copy_owner_mode (d, &st, userns, err);
      }
    case S_IFREG:
      {
        cleanup_close int in = -1;
        cleanup_close int out = -1;
        in = openat (src, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        if (in < 0)
          return berth_error_sys (err, "open %s", name);
        out = openat (dst, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
                      0600);
        if (out < 0)
          return berth_error_sys (err, "create %s", name);
        if (copy_file_data (in, out, err) < 0)
          return berth_error_wrap (err, "%s", name);
        return copy_owner_mode (out, &st, userns, err);
      }
    case S_IFLNK:
      {
        char target[4096];
        ssize_t n = readlinkat (src, name, target, sizeof target - 1);
        if (n < 0)
          return berth_error_sys (err, "readlink %s", name);
        target[n] = '\0';
        if (symlinkat (target, dst, name) < 0)
          return berth_error_sys (err, "symlink %s", name);
        if (fchownat (dst, name, st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW)
                < 0
            && !(userns && (errno == EINVAL || errno == EPERM)))
          return berth_error_sys (err, "chown %s", name);
        return 0;
      }
    case S_IFCHR:
    case S_IFBLK:
    case S_IFIFO:
      if (mknodat (dst, name, st.st_mode, st.st_rdev) < 0)
        {
          /* Device nodes cannot be made in a user namespace.  */
          if (userns && errno == EPERM)
            {
              berth_warn ("tmpcopyup: %s: device not copied in a user "
                          "namespace", name);
              return 0;
            }
          return berth_error_sys (err, "mknod %s", name);
        }
      if (fchownat (dst, name, st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW) < 0
          && !(userns && (errno == EINVAL || errno == EPERM)))
        return berth_error_sys (err, "chown %s", name);
      if (fchmodat (dst, name, st.st_mode & 07777, 0) < 0)
        return berth_error_sys (err, "chmod %s", name);
      return 0;
    default:
      /* A socket is only meaningful with its listener: not copied.  */
      return 0;
    }
}

static int
copy_tree (int src, int dst, bool userns, berth_error **err)
{
  cleanup_dir DIR *dir = NULL;
  int fd = fcntl (src, F_DUPFD_CLOEXEC, 3);
  struct dirent *de;

  if (fd < 0)
    return berth_error_sys (err, "dup");
  dir = fdopendir (fd);
  if (dir == NULL)
    {
      close (fd);
      return berth_error_sys (err, "opendir");
    }
  while ((errno = 0, de = readdir (dir)) != NULL)
    {
      if (strcmp (de->d_name, ".") == 0 || strcmp (de->d_name, "..") == 0)
        continue;
      if (copy_entry (src, dst, de->d_name, userns, err) < 0)
        return -1;
    }
  if (errno)
    return berth_error_sys (err, "readdir");
  return 0;
}

/* Fills the new tmpfs mnt_fd with the content of the directory it covers
   (src, opened before the mount) and gives its root the directory's owner
   and, unless mode= was given, its mode.  */
int
mount_tmpcopyup (int src, int mnt_fd, const mount_options *o, bool userns,
           berth_error **err)
{
  cleanup_close int dst = -1;
  struct stat st;

  dst = openat (mnt_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dst < 0)
    return berth_error_sys (err, "open the tmpfs");
  if (copy_tree (src, dst, userns, err) < 0)
    return berth_error_wrap (err, "tmpcopyup");
  if (fstat (src, &st) < 0)
    return berth_error_sys (err, "tmpcopyup: stat");
  if (o->data && (strncmp (o->data, "mode=", 5) == 0
                  || strstr (o->data, ",mode=")))
    st.st_mode = 0;
  if (fchown (dst, st.st_uid, st.st_gid) < 0
      && !(userns && (errno == EINVAL || errno == EPERM)))
    return berth_error_sys (err, "tmpcopyup: chown");
  if (st.st_mode && fchmod (dst, st.st_mode & 07777) < 0)
    return berth_error_sys (err, "tmpcopyup: chmod");
  return 0;
}

