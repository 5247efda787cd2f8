/* berth: the container's root filesystem, from the host's mount tree to
 * the container's "/".  */
#include "libcontainer/rootfs/rootfs.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "libcontainer/rootfs/devices.h"
#include "base/log.h"
#include "libcontainer/rootfs/mounts.h"
#include "libcontainer/rootfs/mount-util.h"
#include "libcontainer/rootfs/no-pivot.h"
#include "libcontainer/rootfs/safe-path.h"
#include "base/utils.h"

static unsigned long
configured_propagation (const container_ctx *ctx, berth_error **err)
{
  const oci_linux *lx = ctx->config->linux_;
  unsigned long flag;

  if (lx == NULL || lx->rootfs_propagation == NULL)
    return 0;
  flag = mount_propagation_flag (lx->rootfs_propagation);
  if (flag == 0)
    berth_error_set (err, 0,
                     "linux.rootfsPropagation: unknown value \"%s\"",
                     lx->rootfs_propagation);
  return flag;
}

/* Whether the mount at `fd` (a mount root) is shared: the optional
   fields of its line in mountinfo, found by its mount id, have
   "shared:N".  */
static int
mount_is_shared (const container_ctx *ctx, int fd, bool *shared,
                 berth_error **err)
{
  cleanup_close int proc = -1;
  cleanup_free char *text = NULL;
  struct statx stx;
  char id[24];
  size_t id_len;

  *shared = false;
  if (statx (fd, "", AT_EMPTY_PATH, STATX_MNT_ID, &stx) < 0)
    return berth_error_sys (err, "statx the mount id");
  if (!(stx.stx_mask & STATX_MNT_ID))
    {
      /* Before Linux 5.8: treat it as shared, private does no harm.  */
      *shared = true;
      return 0;
    }
  proc = mount_host_proc (ctx, err);
  if (proc < 0)
    return -1;
  if (read_file_at (proc, "thread-self/mountinfo", &text, NULL, err) < 0)
    return -1;
  id_len = (size_t) snprintf (id, sizeof id, "%llu ",
                              (unsigned long long) stx.stx_mnt_id);
  for (char *line = text; line && *line; )
    {
      char *next = strchr (line, '\n');
      if (next)
        *next++ = '\0';
      if (strncmp (line, id, id_len) == 0)
        {
          /* Fields 7 to the " - " separator: shared:N, master:N, ...  */
          char *sep = strstr (line, " - ");
          char *f = line;
          if (sep)
            *sep = '\0';
          for (int i = 0; i < 6 && f; i++)
            f = strchr (f + 1, ' ');
          *shared = f != NULL && strstr (f, " shared:") != NULL;
          return 0;
        }
      line = next;
    }
  return berth_error_set (err, ENOENT, "mount %llu not in mountinfo",
                          (unsigned long long) stx.stx_mnt_id);
}

/* The mount a new mount on `path` would sit on: `path`'s own mount when
   it is a mount point (an engine's overlay rootfs: the snapshotter mounts
   it before calling the runtime), else the mount that holds it.  If it is
   shared it becomes private, so that what is mounted at `path` from now
   on (the root bind, the overlay) and everything under it cannot
   propagate to the host even with rootfsPropagation shared, and
   pivot_root accepts it: the kernel refuses a new root whose parent mount
   is shared, and after rootfsPropagation rshared every mount copied into
   the namespace is.  A slave or private mount stays as it is, so the
   default rslave root still receives the host's unmounts.  This is what
   runc does (rootfsParentMountPrivate: the longest mount point prefix of
   the rootfs, the rootfs itself included, made private when shared); the
   requested propagation is given to "/" after pivot_root
   (rootfs_finalize).  Only this namespace's copy of the mount changes.  */
static int
make_parent_private (const container_ctx *ctx, const char *path,
                     unsigned long prop, berth_error **err)
{
  cleanup_close int cur = -1;
  char buf[32];

  /* After rslave or rprivate on "/" nothing in the namespace is shared:
     no need to read mountinfo.  */
  if ((prop & MS_REC) && (prop & (MS_SLAVE | MS_PRIVATE)))
    return 0;
  cur = open (path, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (cur < 0)
    return berth_error_sys (err, "open %s", path);
  for (int depth = 0; cur >= 0 && depth < 4096; depth++)
    {
      struct statx stx;
      bool shared;
      int up;

      if (statx (cur, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &stx) < 0)
        return berth_error_sys (err, "statx the mount of %s", path);
      if ((stx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT)
          && (stx.stx_attributes & STATX_ATTR_MOUNT_ROOT))
        {
          if (mount_is_shared (ctx, cur, &shared, err) < 0)
            return berth_error_wrap (err, "the propagation of the mount "
                                          "of %s", path);
          if (shared
              && mount (NULL, fd_path (cur, buf), NULL, MS_PRIVATE, NULL) < 0)
            return berth_error_sys (err, "make the mount of %s private",
                                    path);
          return 0;
        }
      up = openat (cur, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
      close (cur);
      cur = up;
    }
  return berth_error_sys (err, "find the mount of %s", path);
}

static int
bind_rootfs (container_ctx *ctx, unsigned long prop, berth_error **err)
{
  cleanup_close int src = -1;
  int root;

  /* In berth's own mount namespace the parent is the host's mount: its
     propagation is not the container's to change.  */
  if (!ctx->host_mount_ns
      && make_parent_private (ctx, ctx->rootfs, prop, err) < 0)
    return -1;
  src = open (ctx->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (src < 0)
    return berth_error_sys (err, "open rootfs %s", ctx->rootfs);
  /* pivot_root needs the new root to be a mount point.  */
  root = mount_bind_fd (src, src, true, err);
  if (root < 0)
    return berth_error_wrap (err, "bind rootfs %s on itself", ctx->rootfs);
  if (ctx->host_mount_ns)
    {
      /* On the host, the container's mounts under it go nowhere else.  */
      char buf[32];
      if (mount (NULL, fd_path (root, buf), NULL, MS_PRIVATE | MS_REC, NULL)
          < 0)
        {
          berth_error_sys (err, "make the root bind %s private", ctx->rootfs);
          close (root);
          return -1;
        }
    }
  ctx->root_mount = xstrdup (ctx->rootfs);
  return root;
}

/* overlayfs splits its options at ',' and lowerdir at ':'; '\' escapes.  */
static char *
overlay_escape (const char *path)
{
  char *out = xmalloc0 (strlen (path) * 2 + 1), *w = out;
  for (const char *p = path; *p; p++)
    {
      if (*p == ',' || *p == ':' || *p == '\\')
        *w++ = '\\';
      *w++ = *p;
    }
  return out;
}

static int
mkdir_in (int dirfd, const char *name, const char *what, berth_error **err)
{
  if (mkdirat (dirfd, name, 0755) < 0 && errno != EEXIST)
    return berth_error_sys (err, "overlay: mkdir %s/%s", what, name);
  return 0;
}

/* --overlay: the rootfs is the lower layer, the writes go to the state
   dir, so the bundle's rootfs is never modified.  */
static int
mount_overlay_root (container_ctx *ctx, unsigned long prop,
                    berth_error **err)
{
  cleanup_close int state = -1;
  cleanup_close int ov = -1;
  cleanup_close int merged = -1;
  cleanup_free char *dir = xasprintf ("%s/overlay", ctx->state_dir);
  cleanup_free char *merged_path = xasprintf ("%s/merged", dir);
  cleanup_free char *upper = xasprintf ("%s/upper", dir);
  cleanup_free char *work = xasprintf ("%s/work", dir);
  cleanup_free char *e_lower = overlay_escape (ctx->rootfs);
  cleanup_free char *e_upper = overlay_escape (upper);
  cleanup_free char *e_work = overlay_escape (work);
  cleanup_free char *data = NULL;
  char buf[32];
  struct statx stx;
  int root, r;

  state = open (ctx->state_dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (state < 0)
    return berth_error_sys (err, "overlay: open %s", ctx->state_dir);
  if (mkdir_in (state, "overlay", ctx->state_dir, err) < 0)
    return -1;
  ov = openat (state, "overlay", O_PATH | O_DIRECTORY | O_NOFOLLOW
                                     | O_CLOEXEC);
  if (ov < 0)
    return berth_error_sys (err, "overlay: open %s", dir);
  if (mkdir_in (ov, "upper", dir, err) < 0
      || mkdir_in (ov, "work", dir, err) < 0
      || mkdir_in (ov, "merged", dir, err) < 0)
    return -1;
  merged = openat (ov, "merged", O_PATH | O_DIRECTORY | O_NOFOLLOW
                                     | O_CLOEXEC);
  if (merged < 0)
    return berth_error_sys (err, "overlay: open %s", merged_path);
  if (!ctx->host_mount_ns
      && make_parent_private (ctx, merged_path, prop, err) < 0)
    return -1;

  data = xasprintf ("lowerdir=%s,upperdir=%s,workdir=%s", e_lower, e_upper,
                    e_work);
  r = mount ("overlay", fd_path (merged, buf), "overlay", 0, data);
  if (r < 0 && ctx->userns && (errno == EPERM || errno == EINVAL))
    {
      /* In a user namespace overlayfs keeps its metadata in user.*
         xattrs; kernels before 6.x do not switch to them on their own.  */
      cleanup_free char *data2 = xasprintf ("%s,userxattr", data);
      r = mount ("overlay", fd_path (merged, buf), "overlay", 0, data2);
    }
  if (r < 0)
    return berth_error_sys (err, "mount the overlay root on %s (lower %s)",
                            merged_path, ctx->rootfs);
  root = open (merged_path, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (root < 0)
    return berth_error_sys (err, "open %s", merged_path);
  if (statx (root, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &stx) < 0
      || !(stx.stx_attributes & STATX_ATTR_MOUNT_ROOT))
    {
      close (root);
      return berth_error_set (err, EAGAIN, "overlay: %s is not the new mount",
                              merged_path);
    }
  ctx->root_mount = steal_pointer (&merged_path);
  return root;
}

int
rootfs_prepare (container_ctx *ctx, berth_error **err)
{
  const oci_config *c = ctx->config;
  unsigned long prop;
  cleanup_close int root = -1;
  cleanup_close int dev = -1;
  cleanup_fd_batch fd_batch done = FD_BATCH_EMPTY;

  prop = configured_propagation (ctx, err);
  if (*err)
    return -1;
  /* By default rslave: the host's unmounts reach the container, nothing
     of the container reaches the host.  Without a mount namespace of its
     own "/" is the host's, and stays as it is.  */
  if (prop == 0)
    prop = MS_SLAVE | MS_REC;
  if (!ctx->host_mount_ns && mount (NULL, "/", NULL, prop, NULL) < 0)
    return berth_error_sys (err, "set the propagation of /");

  root = ctx->overlay ? mount_overlay_root (ctx, prop, err)
                      : bind_rootfs (ctx, prop, err);
  if (root < 0)
    return -1;

  {
    cleanup_mount_parent mount_parent held = MOUNT_PARENT_NONE;

    for (size_t i = 0; i < c->n_mounts; i++)
      if (mount_entry (ctx, root, &held, &done, &c->mounts[i], err) < 0)
        return -1;
  }

  if (devices_create (ctx, root, &dev, err) < 0
      || devices_symlinks (ctx, root, dev, err) < 0)
    return -1;
  fd_batch_add (&done, steal_fd (&dev));
  return steal_fd (&root);
}

int
rootfs_pivot (container_ctx *ctx, int root_fd, berth_error **err)
{
  const char *path = ctx->root_mount ? ctx->root_mount : ctx->rootfs;
  cleanup_close int own_root = -1;
  int root = root_fd;
  cleanup_close int old = -1;

  if (root < 0)
    root = own_root = open (path, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (root < 0)
    return berth_error_sys (err, "open the root %s", path);
  if (fchdir (root) < 0)
    return berth_error_sys (err, "chdir %s", path);

  if (ctx->host_mount_ns)
    {
      /* As runc without a mount namespace: only chroot.  Moving the root
         over "/" or pivot_root would change the host's own root.  */
      if (chroot (".") < 0)
        return berth_error_sys (err, "chroot %s", path);
    }
  else if (ctx->no_pivot)
    {
      if (no_pivot_hide_host_fs (path, ctx->host_proc_fd, err) < 0)
        return -1;
      if (mount (".", "/", NULL, MS_MOVE, NULL) < 0)
        return berth_error_sys (err, "move %s to /", path);
      if (chroot (".") < 0)
        return berth_error_sys (err, "chroot %s", path);
    }
  else
    {
      old = open ("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
      if (old < 0)
        return berth_error_sys (err, "open /");
      /* new_root and put_old the same: the old root ends up stacked on
         the new one, from where it is detached.  */
      if (syscall (SYS_pivot_root, ".", ".") < 0)
        return berth_error_sys (err, "pivot_root %s", path);
      if (fchdir (old) < 0)
        return berth_error_sys (err, "chdir to the old root");
      /* Detaching must not unmount anything on the host through a shared
         peer.  */
      if (mount (NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0)
        return berth_error_sys (err, "make the old root a slave");
      if (umount2 (".", MNT_DETACH) < 0)
        return berth_error_sys (err, "detach the old root");
    }
  if (chdir ("/") < 0)
    return berth_error_sys (err, "chdir /");
  return 0;
}

/* A read-only empty tmpfs over `target`, through fds only: after
   pivot_root /proc may not be mounted, so /proc/self/fd/N is no way to
   name the target.  One tmpfs serves every masked directory (*shared, the
   first one's mount, is bind-mounted on the others): a superblock per
   path ran Kubernetes nodes out of them, so runc 1.5 and crun 1.24 share
   one too.  mount(2), a tmpfs each, only on kernels without fsopen.  */
static int
mount_empty_tmpfs (int target, int *shared, fd_batch *done,
                   berth_error **err)
{
  cleanup_close int fs = -1;
  cleanup_close int mfd = -1;
  char buf[32];

  if (*shared >= 0)
    {
      mfd = mount_bind_fd (*shared, target, false, err);
      if (mfd < 0)
        return berth_error_wrap (err, "bind the masking tmpfs");
      fd_batch_add (done, steal_fd (&mfd));
      return 0;
    }
  fs = fsopen ("tmpfs", FSOPEN_CLOEXEC);
  if (fs < 0 && errno == ENOSYS)
    {
      if (mount ("tmpfs", fd_path (target, buf), "tmpfs",
                 MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL)
          < 0)
        return berth_error_sys (err, "mount a read-only tmpfs");
      return 0;
    }
  if (fs < 0)
    return berth_error_sys (err, "fsopen tmpfs");
  if (fsconfig (fs, FSCONFIG_SET_STRING, "source", "tmpfs", 0) < 0
      || fsconfig (fs, FSCONFIG_SET_FLAG, "ro", NULL, 0) < 0
      || fsconfig (fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
    return berth_error_sys (err, "create a tmpfs");
  mfd = fsmount (fs, FSMOUNT_CLOEXEC,
                 MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV
                     | MOUNT_ATTR_NOEXEC);
  if (mfd < 0)
    return berth_error_sys (err, "fsmount tmpfs");
  if (move_mount (mfd, "", target, "",
                  MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH)
      < 0)
    return berth_error_sys (err, "attach a read-only tmpfs");
  /* Attached now: clones of it carry its read-only flags.  */
  *shared = steal_fd (&mfd);
  fd_batch_add (done, steal_fd (&fs));
  return 0;
}

static int
mask_path (int root, const char *path, int *null_fd, int *tmpfs_fd,
           fd_batch *done, berth_error **err)
{
  cleanup_close int fd = -1;
  struct stat st;

  /* A path the image does not have has nothing to hide.  */
  if (safe_open_in_root_optional (root, path, O_PATH, &fd, err) < 0)
    return -1;
  if (fd < 0)
    return 0;
  if (fstat (fd, &st) < 0)
    return berth_error_sys (err, "stat");
  if (S_ISDIR (st.st_mode))
    {
      if (mount_empty_tmpfs (fd, tmpfs_fd, done, err) < 0)
        return -1;
      fd_batch_add (done, steal_fd (&fd));
      return 0;
    }
  if (*null_fd < 0)
    {
      struct stat nst;
      *null_fd = safe_open_in_root (root, "/dev/null", O_PATH, 0, err);
      if (*null_fd < 0)
        return -1;
      if (fstat (*null_fd, &nst) < 0)
        return berth_error_sys (err, "stat /dev/null");
      /* The container's /dev/null is what hides the file: it must be the
         real null device, not a file of the image.  */
      if (!S_ISCHR (nst.st_mode) || nst.st_rdev != makedev (1, 3))
        return berth_error_set (err, 0, "/dev/null in the container is not "
                                        "the null device (c 1:3)");
    }
  {
    int mfd = mount_bind_fd (*null_fd, fd, false, err);
    if (mfd < 0)
      return berth_error_wrap (err, "bind /dev/null");
    fd_batch_add (done, mfd);
  }
  fd_batch_add (done, steal_fd (&fd));
  return 0;
}

static int
readonly_path (int root, const char *path, fd_batch *done,
               berth_error **err)
{
  cleanup_close int fd = -1;
  cleanup_close int mfd = -1;

  /* A path the image does not have has nothing to hide.  */
  if (safe_open_in_root_optional (root, path, O_PATH, &fd, err) < 0)
    return -1;
  if (fd < 0)
    return 0;
  mfd = mount_bind_fd (fd, fd, true, err);
  if (mfd < 0)
    return -1;
  if (mount_remount_bind (mfd, NULL, MS_RDONLY, 0, err) < 0)
    return -1;
  fd_batch_add (done, steal_fd (&mfd));
  fd_batch_add (done, steal_fd (&fd));
  return 0;
}

/* Only the /dev mount itself: /dev/pts, /dev/shm and the other mounts
   under it keep their own flags, as with runc.  */
static int
dev_make_readonly (int root, berth_error **err)
{
  cleanup_close int dev = -1;

  dev = safe_open_in_root (root, "/dev", O_PATH | O_DIRECTORY, 0, err);
  if (dev < 0)
    return -1;
  return mount_remount_bind (dev, NULL, MS_RDONLY, 0, err);
}

int
rootfs_finalize (container_ctx *ctx, int root_fd, int *root_out,
                 berth_error **err)
{
  const oci_linux *lx = ctx->config->linux_;
  cleanup_close int root = root_fd;
  cleanup_close int null_fd = -1;
  cleanup_close int tmpfs_fd = -1;
  cleanup_fd_batch fd_batch done = FD_BATCH_EMPTY;
  unsigned long prop;

  /* The root mount rootfs_pivot made "/" is "/" itself: pivot_root put
     it there, or MS_MOVE and chroot with --no-pivot, or chroot alone.  */
  if (root < 0)
    root = open ("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (root < 0)
    return berth_error_sys (err, "open /");

  for (size_t i = 0; lx && i < lx->n_masked_paths; i++)
    if (mask_path (root, lx->masked_paths[i], &null_fd, &tmpfs_fd, &done,
                   err)
        < 0)
      return berth_error_wrap (err, "linux.maskedPaths: %s",
                               lx->masked_paths[i]);
  for (size_t i = 0; lx && i < lx->n_readonly_paths; i++)
    if (readonly_path (root, lx->readonly_paths[i], &done, err) < 0)
      return berth_error_wrap (err, "linux.readonlyPaths: %s",
                               lx->readonly_paths[i]);
  fd_batch_add (&done, steal_fd (&null_fd));
  fd_batch_add (&done, steal_fd (&tmpfs_fd));

  if (ctx->dev_readonly && dev_make_readonly (root, err) < 0)
    return berth_error_wrap (err, "mount /dev: ro");
  if (ctx->config->root.readonly
      && mount_remount_bind (root, "/", MS_RDONLY, 0, err) < 0)
    return berth_error_wrap (err, "root.readonly");

  prop = configured_propagation (ctx, err);
  if (*err)
    return -1;
  if (prop && mount (NULL, "/", NULL, prop, NULL) < 0)
    return berth_error_sys (err, "linux.rootfsPropagation: set %s on /",
                            lx->rootfs_propagation);
  if (root_out)
    *root_out = steal_fd (&root);
  else
    fd_batch_add (&done, steal_fd (&root));
  return 0;
}
