/* berth: one config mount, performed inside the rootfs through fds.  */
#include "libcontainer/rootfs/mounts.h"

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
#include "base/log.h"
#include "libcontainer/process/lsm.h"
#include "libcontainer/rootfs/mount-cgroup.h"
#include "libcontainer/rootfs/mount-copyup.h"
#include "libcontainer/rootfs/mount-idmap.h"
#include "libcontainer/rootfs/mount-util.h"
#include "libcontainer/rootfs/mount-options.h"
#include "libcontainer/process/procfs.h"
#include "libcontainer/rootfs/safe-path.h"
#include "base/utils.h"

/* The error of the mount(2) call itself: just strerror, since mount_entry
   puts "mount <dest> (<type>)" in front.  */
static int
mount_errno (berth_error **err, int e)
{
  berth_error_set (err, 0, "%s", strerror (e));
  if (err && *err)
    (*err)->errnum = e;
  return -1;
}

/* Applies what follows the mount itself, on the new mount's root fd.  */
static int
mount_apply_attrs (int mnt_fd, const mount_options *o, berth_error **err)
{
  char buf[32];

  if (o->propagation
      && mount (NULL, fd_path (mnt_fd, buf), NULL, o->propagation, NULL) < 0)
    return berth_error_sys (err, "set propagation");
  if (o->attr_set || o->attr_clr)
    {
      struct mount_attr attr = { .attr_set = o->attr_set,
                                 .attr_clr = o->attr_clr };
      if (mount_setattr (mnt_fd, "", AT_EMPTY_PATH, &attr, sizeof attr) < 0)
        return berth_error_sys (err, "mount_setattr");
    }
  if (o->rec_attr_set || o->rec_attr_clr)
    {
      struct mount_attr attr = { .attr_set = o->rec_attr_set,
                                 .attr_clr = o->rec_attr_clr };
      if (mount_setattr (mnt_fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr,
                         sizeof attr)
          < 0)
        return berth_error_sys (err, "mount_setattr (recursive)");
    }
  return 0;
}

/* ---- one entry ---------------------------------------------------------- */

static bool
is_type (const oci_mount *m, const char *type)
{
  return m->type && strcmp (m->type, type) == 0;
}

/* /proc and /sys must be where they are said to be: a symlink in the image
   would put them somewhere else and leave a fake in their place.  */
static int
check_no_symlink (int root_fd, const char *dest, berth_error **err)
{
  struct open_how how = { .flags = O_PATH | O_CLOEXEC,
                          .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS };
  int fd;

  do
    fd = (int) syscall (SYS_openat2, root_fd, dest, &how, sizeof how);
  while (fd < 0 && errno == EAGAIN);
  if (fd < 0)
    {
      if (errno == ELOOP)
        return berth_error_set (err, 0, "the destination is or goes through "
                                        "a symlink in the rootfs");
      return berth_error_sys (err, "open");
    }
  close (fd);
  return 0;
}

/* An existing directory `dest` as a mount target, resolved in the root
   without any symlink (check_no_symlink's condition); -ENOENT when it
   does not exist (the caller makes it, and checks it after), -1 on an
   error.  */
static int
open_no_symlink (int root_fd, const char *dest, berth_error **err)
{
  int fd = openat2_in_root_no_symlinks (root_fd, dest, O_PATH | O_DIRECTORY);

  if (fd >= 0)
    return fd;
  if (errno == ENOENT)
    return -ENOENT;
  if (errno == ELOOP)
    return berth_error_set (err, 0, "the destination is or goes through "
                                    "a symlink in the rootfs");
  return berth_error_sys (err, "open");
}

/* Makes the mount at `rel` under the mount `mfd` ("" for mfd itself) and
   everything below it read-only.  Nothing to do when `rel` does not exist
   or is not a mount of its own.  */
static int
make_readonly (int mfd, const char *rel, const char *what, berth_error **err)
{
  struct mount_attr attr = { .attr_set = MOUNT_ATTR_RDONLY };
  cleanup_close int fd = -1;
  struct statx stx;

  if (*rel)
    {
      fd = openat (mfd, rel, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (fd < 0 && errno == ENOENT)
        return 0;
      if (fd < 0)
        return berth_error_sys (err, "open %s", what);
      if (statx (fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &stx) < 0)
        return berth_error_sys (err, "statx %s", what);
      if (!(stx.stx_attributes & STATX_ATTR_MOUNT_ROOT))
        return 0;
    }
  if (mount_setattr (*rel ? fd : mfd, "", AT_EMPTY_PATH | AT_RECURSIVE,
                     &attr, sizeof attr)
      < 0)
    return berth_error_sys (err, "make %s read-only", what);
  return 0;
}

/* Whatever symlinks the destination went through: a mount inside a procfs
   could fake kernel files, so only procfs itself and the files lxcfs
   emulates go there (mount_proc_place).  */
static int
check_proc_target_type (long f_type, const oci_mount *m, bool bind,
                        berth_error **err)
{
  if (f_type != PROC_SUPER_MAGIC || (!bind && is_type (m, "proc"))
      || mount_proc_place (m->destination) == MOUNT_PROC_ALLOWED_FILE)
    return 0;
  return berth_error_set (err, 0, "the destination is inside /proc (only "
                                  "procfs, or the files lxcfs emulates, may "
                                  "be mounted there)");
}

/* check_proc_target_type of the target's filesystem, asked with fstatfs
   unless *f_type knows it already (0: not known; set on return).  */
static int
check_proc_target (int target, const oci_mount *m, bool bind, long *f_type,
                   berth_error **err)
{
  struct statfs sfs;

  /* Allowed on any filesystem: a procfs itself, or a file lxcfs
     emulates; no need to ask which one the target is on.  */
  if ((!bind && is_type (m, "proc"))
      || mount_proc_place (m->destination) == MOUNT_PROC_ALLOWED_FILE)
    return 0;
  if (*f_type == 0)
    {
      if (fstatfs (target, &sfs) < 0)
        return berth_error_sys (err, "statfs the target");
      *f_type = (long) sfs.f_type;
    }
  return check_proc_target_type (*f_type, m, bind, err);
}

void
mount_parent_drop (mount_parent *held)
{
  if (held->fd >= 0)
    close (held->fd);
  free (held->path);
  held->path = NULL;
  held->fd = -1;
  held->f_type = 0;
}

/* mount_parent_drop, its handle closed with the mounts' (`done`).  */
static void
mount_parent_drop_into (mount_parent *held, fd_batch *done)
{
  fd_batch_add (done, held->fd);
  held->fd = -1;
  mount_parent_drop (held);
}

/* The directory target `dest` of a new filesystem.  A child of the held
   parent is made and opened in it (safe_mkdir_child); anything else
   drops the held parent, is resolved in the root (safe_mkdir_all), and
   when its last component was missing the parent it was made in is
   held for the next targets.  *f_type: the target's filesystem when
   known without asking (a directory just made in the held parent is on
   the parent's), 0 otherwise.  */
static int
open_dir_target (int root_fd, mount_parent *held, fd_batch *done,
                 const char *dest, long *f_type, bool *learn,
                 berth_error **err)
{
  cleanup_free char *dir = NULL;
  cleanup_free char *name = NULL;
  int parent = -1, fd;
  bool made;

  *f_type = 0;
  *learn = false;
  dir = safe_path_split (dest, &name);
  if (dir && held->fd >= 0 && strcmp (held->path, dir) == 0)
    {
      fd = safe_mkdir_child (held->fd, name, 0755, &made);
      if (fd >= 0)
        {
          if (made)
            *f_type = held->f_type;
          return fd;
        }
    }
  mount_parent_drop_into (held, done);
  fd = safe_mkdir_all_keep_parent (root_fd, dest, 0755, dir ? &parent : NULL,
                                   err);
  if (fd >= 0 && parent >= 0)
    {
      /* The target was just made in `parent`: its filesystem, read for
         check_proc_target, is the parent's (*learn).  */
      held->fd = parent;
      held->path = steal_pointer (&dir);
      *learn = true;
    }
  else if (parent >= 0)
    close (parent);
  return fd;
}

/* A bind mount on /proc itself must bring a procfs.  */
static int
check_proc_source (int src, const oci_mount *m, berth_error **err)
{
  struct statfs sfs;

  if (mount_proc_place (m->destination) != MOUNT_PROC_ROOT)
    return 0;
  if (fstatfs (src, &sfs) < 0)
    return berth_error_sys (err, "statfs the source");
  if (sfs.f_type != PROC_SUPER_MAGIC)
    return berth_error_set (err, 0, "only a procfs can be mounted on /proc");
  return 0;
}

static char *
drop_option (const char *data, const char *prefix)
{
  cleanup_free char *copy = xstrdup (data);
  char *out = xmalloc0 (strlen (data) + 1);
  char *save = NULL;
  size_t plen = strlen (prefix);

  for (char *o = strtok_r (copy, ",", &save); o;
       o = strtok_r (NULL, ",", &save))
    {
      if (strncmp (o, prefix, plen) == 0)
        continue;
      if (*out)
        strcat (out, ",");
      strcat (out, o);
    }
  return out;
}

static int
mount_bind_entry (container_ctx *ctx, int root_fd, const oci_mount *m,
                  const mount_options *o, const char *src_path, int *mfd_out,
                  fd_batch *done, berth_error **err)
{
  cleanup_close int src = -1;
  cleanup_close int target = -1;
  cleanup_close int mfd = -1;
  bool cloned = false;
  struct stat st;

  /* Cloned by berth before the user namespace when there is one.  */
  if (ctx->bind_fds && m >= ctx->config->mounts
      && m < ctx->config->mounts + ctx->config->n_mounts)
    {
      src = ctx->bind_fds[m - ctx->config->mounts];
      ctx->bind_fds[m - ctx->config->mounts] = -1;
    }
  if (src < 0)
    src = open (src_path, O_PATH | O_CLOEXEC);
  else
    cloned = true;
  if (src < 0 || fstat (src, &st) < 0)
    return berth_error_sys (err, "mount source %s for %s", src_path,
                            m->destination);
  target = safe_create_mount_target (root_fd, m->destination,
                                     S_ISDIR (st.st_mode), err);
  if (target < 0
      || check_proc_source (src, m, err) < 0
      || check_proc_target (target, m, true, &(long){ 0 }, err) < 0)
    return berth_error_wrap (err, "mount %s (bind of %s)", m->destination,
                             src_path);
  if (o->idmap)
    mfd = mount_bind_idmapped (ctx, m, o, src, target, err);
  else if (cloned)
    {
      /* Already the detached copy: attached as it is.  */
      if (move_mount (src, "", target, "",
                      MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH)
          < 0)
        berth_error_sys (err, "attach the bind mount");
      else
        mfd = steal_fd (&src);
    }
  else
    mfd = mount_bind_fd (src, target, (o->flags & MS_REC) != 0, err);
  if (mfd < 0)
    return berth_error_wrap (err, "mount %s (bind of %s)", m->destination,
                             src_path);
  if ((o->flags | o->clear) & MOUNT_PER_MOUNT_FLAGS
      && mount_remount_bind (mfd, NULL, o->flags, o->clear, err) < 0)
    return berth_error_wrap (err, "mount %s (bind of %s)", m->destination,
                             src_path);
  *mfd_out = steal_fd (&mfd);
  fd_batch_add (done, steal_fd (&target));
  fd_batch_add (done, steal_fd (&src));
  return 0;
}

/* The kernel refuses a new sysfs in a user namespace that does not own
   the network namespace, and a new mqueue one that does not own the ipc
   namespace: the host's instance is bound instead, as runc does.  */
static const char *
userns_fallback_source (const oci_mount *m)
{
  if (is_type (m, "sysfs"))
    return "/sys";
  if (is_type (m, "mqueue"))
    return "/dev/mqueue";
  return NULL;
}

/* `held`: the parent of the last target (mount_parent), NULL when this
   mount must not use it (the caller dropped it).  `done`: where the
   target goes once mounted on.  */
static int
mount_new_fs (container_ctx *ctx, int root_fd, mount_parent *held,
              const oci_mount *m, const mount_options *o, int *mfd_out,
              fd_batch *done, berth_error **err)
{
  const char *dest = m->destination;
  const char *type = m->type;
  const char *source = m->source ? m->source : type;
  cleanup_close int target = -ENOENT;
  cleanup_close int copy_src = -1;
  cleanup_free char *data_no_gid = NULL;
  cleanup_free char *labelled = lsm_mount_data (
      o->data, type, ctx->config->linux_ ? ctx->config->linux_->mount_label
                                         : NULL);
  const char *data = labelled ? labelled : o->data;
  unsigned long flags = o->flags;
  char buf[32];
  long f_type = 0;
  bool learn = false;
  int r;

  /* /proc and /sys, where they exist, opened once with no symlink on
     the way: the target and the check in one openat2.  */
  if (is_type (m, "proc") || is_type (m, "sysfs"))
    target = open_no_symlink (root_fd, dest, err);
  else if (held && !(o->flags & MS_REMOUNT))
    target = open_dir_target (root_fd, held, done, dest, &f_type, &learn,
                              err);
  if (target == -ENOENT)
    {
      target = safe_create_mount_target (root_fd, dest, 1, err);
      if (target >= 0 && (is_type (m, "proc") || is_type (m, "sysfs"))
          && check_no_symlink (root_fd, dest, err) < 0)
        return -1;
    }
  if (target < 0)
    return -1;
  if (!(o->flags & MS_REMOUNT)
      && check_proc_target (target, m, false, &f_type, err) < 0)
    return -1;
  if (learn)
    held->f_type = f_type;
  if (o->tmpcopyup)
    {
      copy_src = openat (target, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      if (copy_src < 0)
        return berth_error_sys (err, "tmpcopyup: open");
    }

  if (o->flags & MS_REMOUNT)
    {
      /* As mount(8): a remount changes what the options name and keeps
         the mount's other flags.  */
      unsigned long cur;
      if (mount_current_flags (target, &cur, err) < 0)
        return -1;
      if ((o->flags | o->clear) & (MS_NOATIME | MS_RELATIME | MS_STRICTATIME))
        cur &= ~(unsigned long) (MS_NOATIME | MS_RELATIME | MS_STRICTATIME);
      flags |= cur & ~o->clear;
    }
  r = mount (source, fd_path (target, buf), type, flags, data);
  if (r < 0 && errno == EINVAL && ctx->userns && is_type (m, "devpts") && data
      && (strncmp (data, "gid=", 4) == 0 || strstr (data, ",gid=")))
    {
      /* gid=5 (tty) is often not mapped in a user namespace.  */
      data_no_gid = drop_option (data, "gid=");
      r = mount (source, fd_path (target, buf), type, flags, data_no_gid);
    }
  if (r < 0 && errno == EPERM && ctx->userns && userns_fallback_source (m))
    {
      const char *host = userns_fallback_source (m);
      cleanup_close int src = open (host, O_PATH | O_DIRECTORY | O_CLOEXEC);
      int mfd;

      berth_debug ("mount %s (%s): not permitted, binding the host's %s",
                   dest, type, host);
      if (src < 0)
        return berth_error_sys (err, "open %s", host);
      mfd = mount_bind_fd (src, target, true, err);
      if (mfd < 0)
        return -1;
      *mfd_out = mfd;
      if (mount_remount_bind (mfd, NULL, o->flags, o->clear, err) < 0)
        return -1;
      /* The host's submounts (/sys/fs/cgroup...) are read-only too; and
         whatever the sysfs options, the host's cgroup hierarchies are
         read-only unless a cgroup mount of the config says otherwise
         (CVE-2023-25809).  */
      if (o->flags & MS_RDONLY)
        return make_readonly (mfd, "", host, err);
      if (is_type (m, "sysfs"))
        return make_readonly (mfd, "fs/cgroup", "/sys/fs/cgroup", err);
      return 0;
    }
  if (r < 0)
    return mount_errno (err, errno);

  if (o->flags & MS_REMOUNT)
    {
      /* No new mount: the target is the mount that was changed.  */
      *mfd_out = steal_fd (&target);
      return 0;
    }
  if (o->tmpcopyup || o->propagation || o->attr_set || o->attr_clr
      || o->rec_attr_set || o->rec_attr_clr)
    {
      int mfd = mount_reopen (root_fd, dest, target, err);
      if (mfd < 0)
        return -1;
      *mfd_out = mfd;
      if (o->tmpcopyup
          && mount_tmpcopyup (copy_src, mfd, o, ctx->userns, err) < 0)
        return -1;
    }
  fd_batch_add (done, steal_fd (&target));
  return 0;
}

/* "/dev", "/dev/", "//dev".  */
static bool
is_dev_destination (const char *dest)
{
  const char *p = dest;

  while (*p == '/')
    p++;
  if (strncmp (p, "dev", 3) != 0)
    return false;
  for (p += 3; *p == '/'; p++)
    ;
  return *p == '\0';
}

int
mount_entry (container_ctx *ctx, int root_fd, mount_parent *held,
             fd_batch *done, const oci_mount *m, berth_error **err)
{
  mount_options o;
  cleanup_free char *src_path = NULL;
  cleanup_free char *what = NULL;
  cleanup_close int mfd = -1;
  bool bind;
  int r;

  if (m->destination == NULL || *m->destination == '\0')
    return berth_error_set (err, 0, "mount: no destination");
  mount_options_parse (m->options, m->n_options, &o);
  /* Type "bind" without a bind option: a bind mount, as runc and crun
     take it.  */
  if (m->type && strcmp (m->type, "bind") == 0)
    o.flags |= MS_BIND;

  bind = (o.flags & MS_BIND) != 0;
  /* Only a new filesystem of the plain kind (not /proc, /sys, a cgroup
     mount or a remount) makes its target through the held parent; any
     other mount may change what the parent's path resolves to.  */
  if (bind || (o.flags & MS_REMOUNT) || m->type == NULL || is_type (m, "proc")
      || is_type (m, "sysfs") || is_type (m, "cgroup")
      || is_type (m, "cgroup2"))
    mount_parent_drop_into (held, done);
  /* A read-only /dev is filled first (mount points for /dev/pts and the
     others, device nodes, links, the console), then made read-only: as
     runc, which remounts it last.  */
  if (!bind && !(o.flags & MS_REMOUNT) && (o.flags & MS_RDONLY)
      && is_dev_destination (m->destination))
    {
      o.flags &= ~(unsigned long) MS_RDONLY;
      ctx->dev_readonly = true;
    }
  if (bind)
    {
      if (m->source == NULL || *m->source == '\0')
        {
          mount_options_free (&o);
          return berth_error_set (err, 0, "mount %s: a bind mount needs a "
                                          "source", m->destination);
        }
      src_path = m->source[0] == '/'
                     ? xstrdup (m->source)
                     : xasprintf ("%s/%s", ctx->bundle, m->source);
      what = xasprintf ("mount %s (bind of %s)", m->destination, src_path);
      r = mount_bind_entry (ctx, root_fd, m, &o, src_path, &mfd, done, err);
      if (r == 0 && (r = mount_apply_attrs (mfd, &o, err)) < 0)
        berth_error_wrap (err, "%s", what);
    }
  else
    {
      const char *type = m->type;
      what = xasprintf ("mount %s (%s)", m->destination,
                        type && *type ? type : "remount");
      if ((type == NULL || *type == '\0') && !(o.flags & MS_REMOUNT))
        r = berth_error_set (err, 0, "no type");
      else if (o.idmap)
        r = berth_error_set (err, 0, "idmap is only supported on bind mounts");
      else if (o.tmpcopyup && (type == NULL || strcmp (type, "tmpfs") != 0))
        r = berth_error_set (err, 0, "tmpcopyup is only supported on tmpfs");
      else if (type == NULL || *type == '\0')
        r = mount_new_fs (ctx, root_fd, NULL, m, &o, &mfd, done, err);
      else if (strcmp (type, "cgroup") == 0 && !mount_host_cgroup2_only ())
        {
          mfd = mount_cgroup_v1 (ctx, root_fd, m->destination, &o, done,
                                 err);
          r = mfd < 0 ? -1 : 0;
        }
      else if (strcmp (type, "cgroup") == 0 || strcmp (type, "cgroup2") == 0)
        {
          oci_mount m2 = *m;
          m2.type = (char *) "cgroup2";
          r = mount_new_fs (ctx, root_fd, NULL, &m2, &o, &mfd, done, err);
          if (r < 0 && (*err)->errnum == EPERM && ctx->userns)
            {
              berth_debug ("mount %s (cgroup2): not permitted, binding the "
                           "container's cgroup", m->destination);
              berth_error_clear (err);
              mfd = mount_cgroup2_bind (ctx, root_fd, m->destination, &o,
                                        err);
              r = mfd < 0 ? -1 : 0;
            }
        }
      else
        r = mount_new_fs (ctx, root_fd, held, m, &o, &mfd, done, err);
    }
  if (!bind && r == 0 && mfd >= 0)
    r = mount_apply_attrs (mfd, &o, err);
  mount_options_free (&o);
  if (r < 0)
    return bind ? -1 : berth_error_wrap (err, "%s", what);
  fd_batch_add (done, steal_fd (&mfd));
  return 0;
}
