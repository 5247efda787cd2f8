/* berth: paths inside the rootfs, resolved by the kernel (openat2
 * RESOLVE_IN_ROOT), so that no symlink or ".." can lead out of it.  */
#include "libcontainer/rootfs/safe-path.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "base/decimal.h"
#include "base/utils.h"

/* openat2 answers EAGAIN when a rename raced with the lookup; a few
   retries are enough for honest races, and bound a hostile one.  */
#define OPENAT2_RETRIES 32

/* As many symlinks as the kernel follows in one lookup (MAXSYMLINKS).  */
#define MAX_SYMLINKS 40

static int safe_create_mount_target_depth (int root_fd, const char *path,
                                           int is_dir, int depth,
                                           berth_error **err);

/* openat2 with `resolve`, retried on EAGAIN (a rename or mount raced the
   lookup) at most OPENAT2_RETRIES times; errno set on failure.  */
static int
openat2_retried (int root_fd, const char *path, int flags, mode_t mode,
                 uint64_t resolve)
{
  struct open_how how = { 0 };
  int fd;

  how.flags = (uint64_t) (flags | O_CLOEXEC);
  if (flags & (O_CREAT | __O_TMPFILE))
    how.mode = mode;
  how.resolve = resolve;
  for (int i = 0; i < OPENAT2_RETRIES; i++)
    {
      fd = (int) syscall (SYS_openat2, root_fd, path, &how, sizeof how);
      if (fd >= 0 || errno != EAGAIN)
        return fd;
    }
  return -1;
}

static int
openat2_in_root (int root_fd, const char *path, int flags, mode_t mode)
{
  return openat2_retried (root_fd, path, flags, mode,
                          RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
}

int
openat2_in_root_no_symlinks (int root_fd, const char *path, int flags)
{
  return openat2_retried (root_fd, path, flags, 0,
                          RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS);
}

int
safe_open_in_root (int root_fd, const char *path, int flags, mode_t mode,
                   berth_error **err)
{
  int fd = openat2_in_root (root_fd, *path ? path : "/", flags, mode);
  if (fd < 0)
    return berth_error_sys (err, "open %s in the rootfs", path);
  return fd;
}

int
safe_open_in_root_optional (int root_fd, const char *path, int flags,
                            int *fd, berth_error **err)
{
  *fd = openat2_in_root (root_fd, *path ? path : "/", flags, 0);
  if (*fd >= 0 || errno == ENOENT)
    return 0;
  return berth_error_sys (err, "open %s in the rootfs", path);
}

/* Splits the first component off *rest (skipping slashes) into comp;
   returns false when nothing is left.  */
static bool
next_component (const char **rest, char comp[NAME_MAX + 1], bool *too_long)
{
  const char *p = *rest, *end;
  size_t len;

  *too_long = false;
  while (*p == '/')
    p++;
  if (*p == '\0')
    {
      *rest = p;
      return false;
    }
  end = strchrnul (p, '/');
  len = (size_t) (end - p);
  if (len > NAME_MAX)
    {
      *too_long = true;
      return false;
    }
  memcpy (comp, p, len);
  comp[len] = '\0';
  *rest = end;
  return true;
}

/* Walks `path` one component at a time.  `done` is the part walked so far
   as written (not resolved): the kernel resolves done + "/" + component
   from root_fd each time, so a symlink met on the way, absolute or
   relative, is followed inside the root exactly as a lookup would.  A
   missing component is created with mkdirat in the directory resolved
   for `done`.  A dangling symlink is replaced by its text and the walk
   goes on, so rootfs/var/run -> /run with /run missing creates
   rootfs/run.  */
static int
mkdir_all_walk (int root_fd, const char *path, mode_t mode,
                berth_error **err)
{
  cleanup_free char *todo = xstrdup (path);
  cleanup_free char *done = xstrdup ("");
  cleanup_close int cur = -1;
  const char *rest;
  char comp[NAME_MAX + 1];
  bool too_long;
  int links = 0, retries = 0;

  cur = openat2_in_root (root_fd, "/", O_PATH | O_DIRECTORY, 0);
  if (cur < 0)
    return berth_error_sys (err, "open the rootfs");

  rest = todo;
  while (next_component (&rest, comp, &too_long))
    {
      cleanup_free char *candidate = NULL;
      char target[PATH_MAX];
      ssize_t n;
      int fd;

      if (strcmp (comp, ".") == 0)
        continue;
      candidate = xasprintf ("%s/%s", done, comp);
      fd = openat2_in_root (root_fd, candidate, O_PATH | O_DIRECTORY, 0);
      if (fd >= 0)
        {
          close (cur);
          cur = fd;
          free (done);
          done = steal_pointer (&candidate);
          continue;
        }
      if (errno == ENOTDIR)
        return berth_error_sys (err, "%s", candidate);
      if (errno != ENOENT)
        return berth_error_sys (err, "open %s in the rootfs", candidate);

      if (mkdirat (cur, comp, mode) == 0)
        {
          /* Created: the next iteration opens it.  */
          if (++retries > OPENAT2_RETRIES)
            return berth_error_set (err, EAGAIN, "mkdir %s in the rootfs",
                                    candidate);
          rest -= strlen (comp);
          continue;
        }
      if (errno != EEXIST)
        return berth_error_sys (err, "mkdir %s in the rootfs", candidate);

      /* EEXIST after ENOENT: a dangling symlink, or a rename race.  */
      n = readlinkat (cur, comp, target, sizeof target - 1);
      if (n < 0)
        {
          if (errno != EINVAL || ++retries > OPENAT2_RETRIES)
            return berth_error_sys (err, "mkdir %s in the rootfs", candidate);
          rest -= strlen (comp);
          continue;
        }
      target[n] = '\0';
      if (++links > MAX_SYMLINKS)
        return berth_error_set (err, ELOOP, "%s", path);
      {
        char *expanded = xasprintf ("%s/%s", target, rest);
        free (todo);
        todo = expanded;
        rest = todo;
      }
      if (target[0] == '/')
        {
          int fd_root = openat2_in_root (root_fd, "/", O_PATH | O_DIRECTORY,
                                         0);
          if (fd_root < 0)
            return berth_error_sys (err, "open the rootfs");
          close (cur);
          cur = fd_root;
          free (done);
          done = xstrdup ("");
        }
    }
  if (too_long)
    return berth_error_set (err, ENAMETOOLONG, "%s", path);
  return steal_fd (&cur);
}

char *
safe_path_split (const char *path, char **name)
{
  cleanup_free char *dir = xstrdup (path);
  size_t len = strlen (dir);
  char *slash;

  while (len > 1 && dir[len - 1] == '/')
    dir[--len] = '\0';
  slash = strrchr (dir, '/');
  if (slash == NULL || slash[1] == '\0')
    return NULL;
  *name = xstrdup (slash + 1);
  *slash = '\0';
  if (*dir == '\0')
    return xstrdup ("/");
  return steal_pointer (&dir);
}

/* The walk costs an openat2 and a close per component.  Most paths exist
   (/dev, the cwd): one openat2 of the whole path, resolved from the root
   exactly as the walk resolves each prefix, is the answer.  A path whose
   last component alone is missing (/dev/pts on a new /dev tmpfs) is its
   parent opened the same way and one mkdirat.  Anything else (a deeper
   missing part, a dangling symlink, a race) takes the walk.  */
int
safe_mkdir_all (int root_fd, const char *path, mode_t mode, berth_error **err)
{
  return safe_mkdir_all_keep_parent (root_fd, path, mode, NULL, err);
}

int
safe_mkdir_all_keep_parent (int root_fd, const char *path, mode_t mode,
                            int *parent_out, berth_error **err)
{
  cleanup_free char *dir = NULL;
  cleanup_free char *base = NULL;
  cleanup_close int parent = -1;
  int fd;

  if (parent_out)
    *parent_out = -1;

  fd = openat2_in_root (root_fd, *path ? path : "/", O_PATH | O_DIRECTORY,
                        0);
  if (fd >= 0)
    return fd;
  if (errno != ENOENT)
    return mkdir_all_walk (root_fd, path, mode, err);

  dir = safe_path_split (path, &base);
  if (dir == NULL || strcmp (base, ".") == 0 || strcmp (base, "..") == 0
      || strlen (base) > NAME_MAX)
    return mkdir_all_walk (root_fd, path, mode, err);
  parent = openat2_in_root (root_fd, dir, O_PATH | O_DIRECTORY, 0);
  if (parent < 0 || mkdirat (parent, base, mode) < 0)
    return mkdir_all_walk (root_fd, path, mode, err);
  fd = openat2_in_root (root_fd, path, O_PATH | O_DIRECTORY, 0);
  if (fd >= 0)
    {
      if (parent_out)
        *parent_out = steal_fd (&parent);
      return fd;
    }
  return mkdir_all_walk (root_fd, path, mode, err);
}

int
safe_mkdir_child (int parent, const char *name, mode_t mode, bool *made)
{
  *made = false;
  if (*name == '\0' || strchr (name, '/') || strcmp (name, ".") == 0
      || strcmp (name, "..") == 0)
    {
      errno = EINVAL;
      return -1;
    }
  /* Made first: the common case is a new tmpfs's empty directory.  What
     is there already answers EEXIST and is only opened.  */
  if (mkdirat (parent, name, mode) == 0)
    *made = true;
  else if (errno != EEXIST)
    return -1;
  return openat2_retried (parent, name, O_PATH | O_DIRECTORY, 0,
                          RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS);
}

int
safe_mkdir_all_rdonly (int root_fd, const char *path, mode_t mode,
                       berth_error **err)
{
  cleanup_close int made = -1;
  int fd;

  /* An existing directory (the /dev tmpfs): one openat2, as
     safe_mkdir_all's first.  */
  fd = openat2_in_root (root_fd, *path ? path : "/", O_RDONLY | O_DIRECTORY,
                        0);
  if (fd >= 0)
    return fd;
  made = safe_mkdir_all (root_fd, path, mode, err);
  if (made < 0)
    return -1;
  fd = openat (made, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return berth_error_sys (err, "open %s in the rootfs", path);
  return fd;
}

static int
create_file_target (int root_fd, const char *path, int depth,
                    berth_error **err)
{
  cleanup_free char *dir = xstrdup (path);
  cleanup_close int parent = -1;
  cleanup_close int fd = -1;
  struct stat created, st;
  char target[PATH_MAX];
  const char *base;
  char *slash;
  size_t len = strlen (dir);
  ssize_t n;

  while (len > 1 && dir[len - 1] == '/')
    dir[--len] = '\0';
  slash = strrchr (dir, '/');
  if (slash)
    {
      *slash = '\0';
      base = slash + 1;
    }
  else
    base = dir;
  if (*base == '\0' || strcmp (base, ".") == 0 || strcmp (base, "..") == 0)
    return berth_error_set (err, EISDIR, "%s", path);

  parent = safe_mkdir_all (root_fd, slash ? (*dir ? dir : "/") : "/", 0755,
                           err);
  if (parent < 0)
    return -1;

  fd = openat (parent, base, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644);
  if (fd < 0)
    {
      if (errno != EEXIST)
        return berth_error_sys (err, "create %s in the rootfs", path);
      n = readlinkat (parent, base, target, sizeof target - 1);
      if (n < 0)
        {
          /* Not a symlink: it appeared since we looked; look again.  */
          if (errno != EINVAL || depth >= MAX_SYMLINKS)
            return berth_error_sys (err, "create %s in the rootfs", path);
          return safe_create_mount_target_depth (root_fd, path, 0,
                                                 depth + 1, err);
        }
      target[n] = '\0';
      if (depth >= MAX_SYMLINKS)
        return berth_error_set (err, ELOOP, "%s", path);
      {
        cleanup_free char *next
            = target[0] == '/' ? xstrdup (target)
                               : xasprintf ("%s/%s", slash ? dir : "", target);
        return safe_create_mount_target_depth (root_fd, next, 0, depth + 1,
                                               err);
      }
    }
  if (fstat (fd, &created) < 0)
    return berth_error_sys (err, "stat %s", path);

  /* An O_PATH handle, like every other mount target; the name is looked up
     once more in the directory we hold, and must be the file just made.  */
  close (steal_fd (&fd));
  fd = openat (parent, base, O_PATH | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    return berth_error_sys (err, "open %s in the rootfs", path);
  if (fstat (fd, &st) < 0)
    return berth_error_sys (err, "stat %s", path);
  if (st.st_dev != created.st_dev || st.st_ino != created.st_ino)
    return berth_error_set (err, EAGAIN, "%s: replaced while created", path);
  return steal_fd (&fd);
}

static int
safe_create_mount_target_depth (int root_fd, const char *path, int is_dir,
                                int depth, berth_error **err)
{
  cleanup_close int fd = -1;
  struct stat st;

  /* A directory: its open (O_DIRECTORY: ENOTDIR for anything else) or
     its creation is safe_mkdir_all's, without an fstat.  */
  if (is_dir)
    return safe_mkdir_all (root_fd, path, 0755, err);
  fd = openat2_in_root (root_fd, *path ? path : "/", O_PATH, 0);
  if (fd < 0)
    {
      if (errno != ENOENT)
        return berth_error_sys (err, "open %s in the rootfs", path);
      if (is_dir)
        return safe_mkdir_all (root_fd, path, 0755, err);
      return create_file_target (root_fd, path, depth, err);
    }
  if (fstat (fd, &st) < 0)
    return berth_error_sys (err, "stat %s", path);
  if (is_dir && !S_ISDIR (st.st_mode))
    return berth_error_set (err, ENOTDIR, "%s", path);
  if (!is_dir && S_ISDIR (st.st_mode))
    return berth_error_set (err, EISDIR, "%s", path);
  return steal_fd (&fd);
}

int
safe_create_mount_target (int root_fd, const char *path, int is_dir,
                          berth_error **err)
{
  return safe_create_mount_target_depth (root_fd, path, is_dir, 0, err);
}

const char *
fd_path (int fd, char buf[32])
{
  /* Not snprintf: the init calls this for most of its mounts
     (base/decimal.h).  fds are never negative here.  */
  memcpy (buf, "/proc/self/fd/", 14);
  decimal_format (buf + 14, (uint64_t) (fd < 0 ? 0 : fd));
  return buf;
}
