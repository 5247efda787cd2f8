/* berth: device nodes and /dev symlinks in the rootfs.  */
#include "libcontainer/rootfs/devices.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "base/log.h"
#include "libcontainer/rootfs/mount-util.h"
#include "libcontainer/rootfs/safe-path.h"
#include "base/utils.h"

typedef struct dev_spec
{
  const char *path;
  char type;
  unsigned int major, minor;
  mode_t mode;
  uid_t uid;
  gid_t gid;
  bool is_default;
} dev_spec;

static const dev_spec default_devices[] = {
  { "/dev/null", 'c', 1, 3, 0666, 0, 0, true },
  { "/dev/zero", 'c', 1, 5, 0666, 0, 0, true },
  { "/dev/full", 'c', 1, 7, 0666, 0, 0, true },
  { "/dev/random", 'c', 1, 8, 0666, 0, 0, true },
  { "/dev/urandom", 'c', 1, 9, 0666, 0, 0, true },
  { "/dev/tty", 'c', 5, 0, 0666, 0, 0, true },
};

static mode_t
dev_format (char type)
{
  switch (type)
    {
    case 'c':
    case 'u':
      return S_IFCHR;
    case 'b':
      return S_IFBLK;
    case 'p':
      return S_IFIFO;
    default:
      return 0;
    }
}

static bool
same_device (const struct stat *st, mode_t fmt, dev_t rdev)
{
  return (st->st_mode & S_IFMT) == fmt
         && (fmt == S_IFIFO || st->st_rdev == rdev);
}

static int
set_owner_mode (int parent, const char *base, const dev_spec *d, bool userns,
                berth_error **err)
{
  if (fchownat (parent, base, d->uid, d->gid, AT_SYMLINK_NOFOLLOW) < 0
      && !(userns && (errno == EINVAL || errno == EPERM)))
    return berth_error_sys (err, "chown %u:%u", d->uid, d->gid);
  if (fchmodat (parent, base, d->mode & 07777, 0) < 0)
    return berth_error_sys (err, "chmod %o", d->mode & 07777);
  return 0;
}

/* mknod is refused in a user namespace: the host's node of the same path
   is bind-mounted over an empty file, when it is the requested device.  */
static int
bind_host_device (int parent, const char *base, const dev_spec *d,
                  mode_t fmt, dev_t rdev, berth_error **err)
{
  cleanup_close int host = -1;
  cleanup_close int target = -1;
  cleanup_close int created = -1;
  struct stat st;
  int mfd;

  host = open (d->path, O_PATH | O_CLOEXEC);
  if (host < 0)
    return berth_error_sys (err, "mknod not permitted, and the host's %s",
                            d->path);
  if (fstat (host, &st) < 0)
    return berth_error_sys (err, "stat the host's %s", d->path);
  if (!same_device (&st, fmt, rdev))
    return berth_error_set (err, EPERM,
                            "mknod not permitted, and the host's %s is not "
                            "%c %u:%u",
                            d->path, d->type, d->major, d->minor);

  created = openat (parent, base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW
                                      | O_CLOEXEC,
                    0600);
  if (created < 0 && errno != EEXIST)
    return berth_error_sys (err, "create a file for the bind mount");
  target = openat (parent, base, O_PATH | O_NOFOLLOW | O_CLOEXEC);
  if (target < 0 || fstat (target, &st) < 0)
    return berth_error_sys (err, "open");
  if (!S_ISREG (st.st_mode))
    return berth_error_set (err, 0, "a file that is not the device is there");
  mfd = mount_bind_fd (host, target, false, err);
  if (mfd < 0)
    return berth_error_wrap (err, "bind the host's %s", d->path);
  close (mfd);
  return 0;
}

/* devices_create runs as root (fsuid and fsgid 0, no user namespace)
   with umask 0: then a new node needs no fchownat nor fchmodat.  */
static bool creator_is_root;

/* Whether mknodat in the shared /dev handle (create_device's dev_fd)
   gives a node exactly root's owner and the mode asked: judged once, on
   the first node made there (plain_dev_judged).  */
static bool plain_dev_judged;
static bool plain_dev;

/* True when nodes made in `parent` by root under umask 0 get owner 0:0
   and the exact mode: no setgid bit on the directory (its group would be
   the node's) and no default ACL (it would replace the umask).  A /dev
   berth mounts is such a tmpfs; an image's own /dev may not be.  The
   ACL is read through a handle opened for reading (the kernel refuses
   fgetxattr on an O_PATH fd: EBADF, taken as "not plain"); a filesystem
   without ACLs answers EOPNOTSUPP.  */
static bool
plain_parent (int parent)
{
  struct stat st;

  return fstat (parent, &st) == 0 && !(st.st_mode & S_ISGID)
         && fgetxattr (parent, "system.posix_acl_default", NULL, 0) < 0
         && (errno == ENODATA || errno == EOPNOTSUPP);
}

/* A node just made: its owner and mode as asked.  */
static int
device_made (container_ctx *ctx, int parent, bool shared_dev,
             const char *base, const dev_spec *d, berth_error **err)
{
  bool plain;

  if (ctx->userns || d->uid != 0 || d->gid != 0 || !creator_is_root
      || (d->mode & 07777) != (d->mode & 0777))
    return set_owner_mode (parent, base, d, ctx->userns, err);
  /* Made by root with umask 0 (devices_create) in a plain directory: the
     node already has the mode, and root's owner, asked for.  */
  if (!shared_dev)
    plain = plain_parent (parent);
  else
    {
      if (!plain_dev_judged)
        plain_dev = plain_parent (parent);
      plain_dev_judged = true;
      plain = plain_dev;
    }
  if (plain)
    return 0;
  return set_owner_mode (parent, base, d, ctx->userns, err);
}

/* `dev_fd`: the rootfs' /dev, opened (for reading: plain_parent reads
   its ACL) by the first device made there and kept for the others (the
   caller closes it): each default device resolved /dev again before.  */
static int
create_device (container_ctx *ctx, int root_fd, int *dev_fd,
               const dev_spec *d, berth_error **err)
{
  cleanup_free char *dir = xstrdup (d->path);
  cleanup_close int own_parent = -1;
  int parent;
  mode_t fmt = dev_format (d->type);
  dev_t rdev = d->type == 'p' ? 0 : makedev (d->major, d->minor);
  const char *base;
  char *slash;
  struct stat st;

  if (fmt == 0)
    return berth_error_set (err, 0, "unknown type '%c'", d->type);
  slash = strrchr (dir, '/');
  base = slash ? slash + 1 : dir;
  if (slash)
    *slash = '\0';
  if (*base == '\0' || strcmp (base, ".") == 0 || strcmp (base, "..") == 0)
    return berth_error_set (err, 0, "not a file path");
  if (slash && strcmp (dir, "/dev") == 0)
    {
      if (*dev_fd < 0)
        *dev_fd = safe_mkdir_all_rdonly (root_fd, "/dev", 0755, err);
      parent = *dev_fd;
    }
  else
    parent = own_parent
        = safe_mkdir_all (root_fd, slash && *dir ? dir : "/", 0755, err);
  if (parent < 0)
    return -1;

  /* The common case first: nothing there yet (the /dev tmpfs is new);
     what is there is looked at only when mknodat finds something.  */
  if (!(ctx->userns && fmt != S_IFIFO))
    {
      if (mknodat (parent, base, fmt | (d->mode & 07777), rdev) == 0)
        return device_made (ctx, parent, parent == *dev_fd, base, d, err);
      if (errno == EPERM && fmt != S_IFIFO)
        return bind_host_device (parent, base, d, fmt, rdev, err);
      if (errno != EEXIST)
        return berth_error_sys (err, "mknod");
    }

  if (fstatat (parent, base, &st, AT_SYMLINK_NOFOLLOW) == 0)
    {
      if (same_device (&st, fmt, rdev))
        return d->is_default ? 0
                             : set_owner_mode (parent, base, d, ctx->userns,
                                               err);
      /* An empty file is our placeholder from an earlier container in a
         user namespace (the rootfs /dev is not always a tmpfs).  */
      if (S_ISREG (st.st_mode) && st.st_size == 0)
        {
          if (ctx->userns && fmt != S_IFIFO)
            return bind_host_device (parent, base, d, fmt, rdev, err);
          if (unlinkat (parent, base, 0) < 0)
            return berth_error_sys (err, "remove the placeholder");
        }
      else if (d->is_default)
        {
          berth_warn ("%s: kept what the rootfs has there, which is not "
                      "the device %c %u:%u", d->path, d->type, d->major,
                      d->minor);
          return 0;
        }
      else
        return berth_error_set (err, 0,
                                "a file that is not the device %c %u:%u is "
                                "there",
                                d->type, d->major, d->minor);
    }
  else if (errno != ENOENT)
    return berth_error_sys (err, "stat");

  if (ctx->userns && fmt != S_IFIFO)
    return bind_host_device (parent, base, d, fmt, rdev, err);
  if (mknodat (parent, base, fmt | (d->mode & 07777), rdev) < 0)
    {
      if (errno == EPERM && fmt != S_IFIFO)
        return bind_host_device (parent, base, d, fmt, rdev, err);
      return berth_error_sys (err, "mknod");
    }
  return device_made (ctx, parent, parent == *dev_fd, base, d, err);
}

int
devices_create (container_ctx *ctx, int root_fd, int *dev_fd,
                berth_error **err)
{
  const oci_linux *lx = ctx->config->linux_;
  mode_t old_umask;
  int ret = 0;

  /* The nodes get exactly the modes asked for from mknodat: no fchmodat
     (nor, made by root for root, fchownat) per node.  Restored below,
     for process.user.umask and the rest of the setup.  */
  old_umask = umask (0);
  /* Nodes get the filesystem uid and gid as owner: the init's, read
     with its signals when known.  */
  creator_is_root = !ctx->userns
                    && (ctx->fs_root >= 0
                            ? ctx->fs_root == 1
                            : geteuid () == 0 && getegid () == 0);
  plain_dev_judged = false;

  for (size_t i = 0; i < sizeof default_devices / sizeof default_devices[0];
       i++)
    {
      const dev_spec *d = &default_devices[i];
      bool listed = false;

      /* linux.devices may give a default device another mode or owner.  */
      for (size_t j = 0; lx && j < lx->n_devices; j++)
        if (lx->devices[j].path && strcmp (lx->devices[j].path, d->path) == 0)
          listed = true;
      if (listed)
        continue;
      if (create_device (ctx, root_fd, dev_fd, d, err) < 0)
        {
          ret = berth_error_wrap (err, "device %s", d->path);
          goto out;
        }
    }

  for (size_t i = 0; lx && i < lx->n_devices; i++)
    {
      const oci_device *od = &lx->devices[i];
      dev_spec d = {
        .path = od->path,
        .type = od->type,
        .major = (unsigned int) od->major,
        .minor = (unsigned int) od->minor,
        .mode = od->has_file_mode ? (od->file_mode & 07777) : 0666,
        .uid = od->has_uid ? od->uid : 0,
        .gid = od->has_gid ? od->gid : 0,
        .is_default = false,
      };

      if (od->path == NULL || *od->path == '\0')
        {
          ret = berth_error_set (err, 0, "linux.devices[%zu]: no path", i);
          goto out;
        }
      if (od->type != 'p' && (od->major < 0 || od->minor < 0
                              || od->major > 0xfff || od->minor > 0xfffff))
        {
          ret = berth_error_set (err, 0,
                                 "linux.devices[%zu] (%s): major/minor out "
                                 "of range",
                                 i, od->path);
          goto out;
        }
      if (create_device (ctx, root_fd, dev_fd, &d, err) < 0)
        {
          ret = berth_error_wrap (err, "linux.devices[%zu] (%s)", i,
                                  od->path);
          goto out;
        }
    }
out:
  umask (old_umask);
  return ret;
}

/* Is `path` "/dev/pts" (also relative, or with extra slashes)?  */
static bool
is_dev_pts (const char *path)
{
  const char *want[] = { "dev", "pts" };
  const char *p = path;

  for (int i = 0; i < 2; i++)
    {
      size_t len = strlen (want[i]);
      while (*p == '/')
        p++;
      if (strncmp (p, want[i], len) != 0 || (p[len] != '/' && p[len]))
        return false;
      p += len;
    }
  while (*p == '/')
    p++;
  return *p == '\0';
}

static int
make_ptmx (int dev, berth_error **err)
{
  struct stat st;
  char target[16];
  ssize_t n;

  /* Nothing there in a new /dev: the link made without a look first.  */
  if (symlinkat ("pts/ptmx", dev, "ptmx") == 0)
    return 0;
  if (errno != EEXIST)
    return berth_error_sys (err, "/dev/ptmx: symlink");
  if (fstatat (dev, "ptmx", &st, AT_SYMLINK_NOFOLLOW) == 0)
    {
      if (S_ISLNK (st.st_mode))
        {
          n = readlinkat (dev, "ptmx", target, sizeof target - 1);
          if (n >= 0)
            {
              target[n] = '\0';
              if (strcmp (target, "pts/ptmx") == 0)
                return 0;
            }
        }
      /* A node here would be the host's devpts instance, not the
         container's.  */
      if (unlinkat (dev, "ptmx", S_ISDIR (st.st_mode) ? AT_REMOVEDIR : 0) < 0)
        return berth_error_sys (err, "/dev/ptmx: remove");
    }
  if (symlinkat ("pts/ptmx", dev, "ptmx") < 0)
    return berth_error_sys (err, "/dev/ptmx: symlink");
  return 0;
}

int
devices_symlinks (container_ctx *ctx, int root_fd, int dev_fd,
                  berth_error **err)
{
  static const struct
  {
    const char *name, *target;
  } links[] = {
    { "fd", "/proc/self/fd" },
    { "stdin", "/proc/self/fd/0" },
    { "stdout", "/proc/self/fd/1" },
    { "stderr", "/proc/self/fd/2" },
  };
  const oci_config *c = ctx->config;
  cleanup_close int own_dev = -1;
  int dev = dev_fd;
  bool pts = false, ptmx_listed = false;

  if (dev < 0)
    dev = own_dev = safe_mkdir_all (root_fd, "/dev", 0755, err);
  if (dev < 0)
    return berth_error_wrap (err, "/dev");
  for (size_t i = 0; i < sizeof links / sizeof links[0]; i++)
    if (symlinkat (links[i].target, dev, links[i].name) < 0
        && errno != EEXIST)
      return berth_error_sys (err, "/dev/%s: symlink", links[i].name);

  for (size_t i = 0; i < c->n_mounts; i++)
    if (c->mounts[i].destination && is_dev_pts (c->mounts[i].destination))
      pts = true;
  for (size_t i = 0; c->linux_ && i < c->linux_->n_devices; i++)
    if (c->linux_->devices[i].path
        && strcmp (c->linux_->devices[i].path, "/dev/ptmx") == 0)
      ptmx_listed = true;
  if (pts && !ptmx_listed)
    return make_ptmx (dev, err);
  return 0;
}
