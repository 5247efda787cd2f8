/* berth: mounts of type "cgroup" and the cgroup2 fallback.
 *
 * On a cgroup v1 or hybrid host, "cgroup" becomes a tmpfs at the
 * destination (mode 755) holding one directory per hierarchy the host
 * mounts under /sys/fs/cgroup (cpu, memory, ..., systemd, unified), plus
 * the host's co-mount symlinks (cpuacct -> cpu,cpuacct).  Each hierarchy
 * is a new cgroup mount when the container has a cgroup namespace of its
 * own and no user namespace (its root is then the namespace's root),
 * otherwise a bind of the init's own cgroup directory on the host.  The
 * mount's flags apply to the tmpfs and to every hierarchy; "ro" last, once
 * everything is in place.  */
#include "libcontainer/rootfs/mount-cgroup.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "cgroups/convert.h"
#include "cgroups/detect.h"
#include "cgroups/manager.h"
#include "libcontainer/rootfs/mount-util.h"
#include "libcontainer/rootfs/safe-path.h"
#include "base/utils.h"

/* A hierarchy of the host under /sys/fs/cgroup and the init's cgroup in
   it: cgroups' own parser (cgroups/convert.h) reads mountinfo and
   /proc/self/cgroup; this keeps the hierarchies mounted directly under
   /sys/fs/cgroup (cpu, memory, ..., systemd, unified).  */
typedef struct cgroup_hier
{
  const char *name;    /* basename of the mount point */
  const char *fstype;  /* cgroup or cgroup2 */
  const char *opts;    /* for a new v1 mount: the controllers or name=...;
                          NULL for cgroup2 */
  char *dir;           /* the init's cgroup directory on the host */
} cgroup_hier;

typedef struct cgroup_hiers
{
  cg_hierarchy *all;
  size_t n_all;
  cgroup_hier *h;
  size_t n;
} cgroup_hiers;

static void
cgroup_hiers_free (cgroup_hiers *c)
{
  for (size_t i = 0; i < c->n; i++)
    free (c->h[i].dir);
  free (c->h);
  cg_hierarchies_free (c->all, c->n_all);
  memset (c, 0, sizeof *c);
}

static bool has_new_cgroupns (const container_ctx *ctx);

static int
read_host_proc (const container_ctx *ctx, const char *name, char **out,
                berth_error **err)
{
  cleanup_close int proc_fd = -1;

  /* The handle itself when there is one: read_file_at opens the file
     beneath it and closes only that; a copy of it cost a dup and a
     close.  */
  if (ctx->host_proc_fd >= 0)
    return read_file_at (ctx->host_proc_fd, name, out, NULL, err);
  proc_fd = mount_host_proc (ctx, err);
  if (proc_fd < 0)
    return -1;
  return read_file_at (proc_fd, name, out, NULL, err);
}

static int
cgroup_hiers_load (const container_ctx *ctx, bool want_unified,
                   cgroup_hiers *c, berth_error **err)
{
  cleanup_free char *mountinfo = NULL;
  cleanup_free char *cgroups = NULL;

  memset (c, 0, sizeof *c);
  /* The runtime read the hierarchies before the clone (the memo); the
     init's mount namespace is a copy of the runtime's, so their mount
     points still hold.  With a cgroup namespace of its own and no user
     namespace, the hierarchies are mounted anew and only these count;
     otherwise the init's own cgroups, which the runtime moved it into,
     come from its /proc/self/cgroup (mountinfo is not read again: it
     costs a read per page of the host's mount table).  */
  if (want_unified == (cgroup_detect_mode () == CGROUP_MODE_HYBRID)
      && cg_detect_hierarchies_memo (cgroup_detect_mode (), &c->all,
                                     &c->n_all))
    {
      if (!(has_new_cgroupns (ctx) && !ctx->userns)
          && (read_host_proc (ctx, "self/cgroup", &cgroups, err) < 0
              || cg_hierarchies_set_own_paths (&c->all, c->n_all, cgroups,
                                               err)
                     < 0))
        return -1;
    }
  else
    {
      if (read_host_proc (ctx, "self/mountinfo", &mountinfo, err) < 0
          || read_host_proc (ctx, "self/cgroup", &cgroups, err) < 0)
        return -1;
      if (cg_hierarchies_parse (mountinfo, cgroups, want_unified, &c->all,
                                &c->n_all, err)
          < 0)
        return -1;
    }
  c->h = xmalloc0 ((c->n_all + 1) * sizeof *c->h);
  for (size_t i = 0; i < c->n_all; i++)
    {
      const cg_hierarchy *a = &c->all[i];
      const char *name;
      if (strncmp (a->mountpoint, "/sys/fs/cgroup/", 15) != 0)
        continue;
      name = a->mountpoint + 15;
      if (*name == '\0' || strchr (name, '/'))
        continue;
      c->h[c->n].name = name;
      c->h[c->n].fstype = a->controllers[0] ? "cgroup" : "cgroup2";
      c->h[c->n].opts = a->controllers[0] ? a->controllers : NULL;
      c->h[c->n].dir = cg_hierarchy_dir (a->mountpoint, a->mount_root,
                                         a->own_path);
      c->n++;
    }
  return 0;
}

static bool
has_new_cgroupns (const container_ctx *ctx)
{
  const oci_namespace *ns = oci_config_namespace (ctx->config, OCI_NS_CGROUP);
  return ns != NULL && ns->path == NULL;
}

/* One hierarchy under the cgroup tmpfs: a new mount of it when the
   container has a cgroup namespace of its own (its root is then the
   container's cgroup), otherwise a bind of the init's cgroup directory.
   The bind's flags come later, for all of them at once
   (cgroup_hiers_flags).  *mfd: the bind's mount, for the caller to
   close with the others (close_fds: one close_range for them all).  */
static int
mount_cgroup_hier (const container_ctx *ctx, const cgroup_hier *h, int dir,
                   const mount_options *o, int *mfd, berth_error **err)
{
  cleanup_close int sub = -1;
  unsigned long flags = o->flags & (MOUNT_PER_MOUNT_FLAGS & ~MS_RDONLY);
  char buf[32];

  if (mkdirat (dir, h->name, 0755) < 0 && errno != EEXIST)
    return berth_error_sys (err, "mkdir %s", h->name);

  if (has_new_cgroupns (ctx) && !ctx->userns)
    {
      /* A new mount takes its flags, "ro" included, from mount(2) itself
         (the superblock the host shares stays as it is).  */
      sub = openat (dir, h->name,
                    O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (sub < 0)
        return berth_error_sys (err, "open %s", h->name);
      if (!(o->clear & MOUNT_PER_MOUNT_FLAGS))
        flags = o->flags & MOUNT_PER_MOUNT_FLAGS;
      if (mount ("cgroup", fd_path (sub, buf), h->fstype, flags, h->opts) < 0)
        return berth_error_sys (err, "mount %s (%s)", h->name, h->fstype);
      return 0;
    }
  /* The source cloned by its path on the host (the init still sees the
     host's mounts), attached on the directory just made in the new
     tmpfs, which only the init can see yet: move_mount does not follow
     a symlink there (no MOVE_MOUNT_T_SYMLINKS), and the name has no
     slash.  Two opens and closes fewer per hierarchy than through
     O_PATH fds.  */
  *mfd = open_tree (AT_FDCWD, h->dir, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
  if (*mfd < 0)
    return berth_error_sys (err, "clone %s", h->dir);
  if (move_mount (*mfd, "", dir, h->name, MOVE_MOUNT_F_EMPTY_PATH) < 0)
    return berth_error_sys (err, "bind %s on %s", h->dir, h->name);
  return 0;
}

/* The mount's flags on the tmpfs and every hierarchy in it, "ro"
   included, once everything is in place: one recursive mount_setattr
   (the tmpfs has its other flags from mount(2) already, a new cgroup
   mount all of them, so only what they lack changes); mount by mount
   where the kernel or the options need it.  */
static int
cgroup_hiers_flags (const container_ctx *ctx, const cgroup_hiers *c, int dir,
                    int tmpfs, const mount_options *o, berth_error **err)
{
  int r = mount_setattr_recursive (tmpfs, o->flags, o->clear, err);

  if (r != 0)
    return r < 0 ? -1 : 0;
  for (size_t i = 0; i < c->n; i++)
    {
      cleanup_close int mfd = -1;

      if (has_new_cgroupns (ctx) && !ctx->userns
          && !(o->clear & MOUNT_PER_MOUNT_FLAGS))
        continue;
      mfd = openat (dir, c->h[i].name,
                    O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (mfd < 0)
        return berth_error_sys (err, "open %s", c->h[i].name);
      if (mount_remount_bind (mfd, NULL, o->flags, o->clear, err) < 0)
        return berth_error_wrap (err, "%s", c->h[i].name);
    }
  if ((o->flags & MS_RDONLY)
      && mount_remount_bind (tmpfs, NULL, MS_RDONLY, 0, err) < 0)
    return -1;
  return 0;
}

/* The co-mount aliases (cpu -> cpu,cpuacct), as the host has them: one
   per controller of a hierarchy whose directory names several.  Made
   from the hierarchies already read, as runc makes them, rather than by
   listing the host's /sys/fs/cgroup at every start.  */
static int
cgroup_symlinks (const cgroup_hiers *c, int tmpfs_fd, berth_error **err)
{
  for (size_t i = 0; i < c->n; i++)
    {
      const char *name = c->h[i].name;
      cleanup_free char *copy = NULL;
      char *save = NULL;

      if (strchr (name, ',') == NULL)
        continue;
      copy = xstrdup (name);
      for (char *part = strtok_r (copy, ",", &save); part;
           part = strtok_r (NULL, ",", &save))
        if (strchr (part, '=') == NULL
            && symlinkat (name, tmpfs_fd, part) < 0 && errno != EEXIST)
          return berth_error_sys (err, "symlink %s", part);
    }
  return 0;
}

int
mount_cgroup_v1 (const container_ctx *ctx, int root_fd, const char *dest,
                 const mount_options *o, fd_batch *done, berth_error **err)
{
  cleanup_close int target = -1;
  cleanup_close int tmpfs = -1;
  int dir;
  cgroup_hiers c;
  cleanup_free int *mfds = NULL;
  unsigned long flags = o->flags & MOUNT_PER_MOUNT_FLAGS & ~MS_RDONLY;
  char buf[32];
  int ret = -1;

  target = safe_create_mount_target (root_fd, dest, 1, err);
  if (target < 0)
    return -1;
  if (mount ("tmpfs", fd_path (target, buf), "tmpfs", flags, "mode=755") < 0)
    return berth_error_sys (err, "tmpfs");
  tmpfs = mount_reopen (root_fd, dest, target, err);
  if (tmpfs < 0)
    return -1;
  /* The O_PATH handle serves mkdirat, symlinkat, openat and move_mount
     as their directory (the kernel takes an O_PATH fd as a dirfd): no
     second, readable fd of the tmpfs.  */
  dir = tmpfs;

  /* A cgroup2 hierarchy (/sys/fs/cgroup/unified) on a hybrid host only.
     As cgroups/ joins them, the v1 hierarchies with a controller or
     name=systemd.  */
  if (cgroup_hiers_load (ctx, cgroup_detect_mode () == CGROUP_MODE_HYBRID,
                         &c, err)
      < 0)
    return -1;
  mfds = xmalloc0 ((c.n + 1) * sizeof *mfds);
  for (size_t i = 0; i < c.n; i++)
    mfds[i] = -1;
  for (size_t i = 0; i < c.n; i++)
    if (mount_cgroup_hier (ctx, &c.h[i], dir, o, &mfds[i], err) < 0)
      goto out;
  if (cgroup_symlinks (&c, dir, err) < 0)
    goto out;
  if (cgroup_hiers_flags (ctx, &c, dir, tmpfs, o, err) < 0)
    goto out;
  ret = steal_fd (&tmpfs);
  fd_batch_add (done, steal_fd (&target));
  for (size_t i = 0; i < c.n; i++)
    {
      fd_batch_add (done, mfds[i]);
      mfds[i] = -1;
    }
out:
  close_fds (mfds, c.n);
  cgroup_hiers_free (&c);
  return ret;
}

/* The init's cgroup v2 directory on the host, for a bind when a new
   cgroup2 mount is refused.  */
static int
cgroup2_own_dir (const container_ctx *ctx, berth_error **err)
{
  cgroup_hiers c;
  int fd = -1;

  if (cgroup_hiers_load (ctx, true, &c, err) < 0)
    return -1;
  for (size_t i = 0; i < c.n_all; i++)
    if (c.all[i].controllers[0] == '\0')
      {
        cleanup_free char *p = cg_hierarchy_dir (
            c.all[i].mountpoint, c.all[i].mount_root, c.all[i].own_path);
        fd = open (p, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
          berth_error_sys (err, "open %s", p);
        break;
      }
  cgroup_hiers_free (&c);
  return fd;
}

int
mount_cgroup2_bind (const container_ctx *ctx, int root_fd, const char *dest,
                    const mount_options *o, berth_error **err)
{
  cleanup_close int src = -1;
  cleanup_close int target = -1;
  cleanup_close int mfd = -1;

  src = cgroup2_own_dir (ctx, err);
  if (src < 0)
    return -1;
  target = safe_create_mount_target (root_fd, dest, 1, err);
  if (target < 0)
    return -1;
  mfd = mount_bind_fd (src, target, false, err);
  if (mfd < 0)
    return -1;
  if (mount_remount_bind (mfd, NULL, o->flags, o->clear, err) < 0)
    return -1;
  return steal_fd (&mfd);
}

bool
mount_host_cgroup2_only (void)
{
  /* The mode is read once per berth process (cgroups/detect.c).  */
  return cgroup_detect_mode () == CGROUP_MODE_UNIFIED;
}
