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
#include "libcontainer/rootfs/mounts.h"

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
#include "libcontainer/rootfs/safe-path.h"
#include "base/utils.h"

static int
mountinfo_host_mounts (const container_ctx *ctx, char **out,
                       berth_error **err);

typedef struct cgroup_hier
{
  char *name;    /* basename of the mount point: cpu, memory, systemd... */
  char *mnt;     /* the host mount point */
  char *fstype;  /* cgroup or cgroup2 */
  char *opts;    /* for a new v1 mount: the controllers or name=... */
  char *path;    /* the init's cgroup in that hierarchy */
} cgroup_hier;

static void
cgroup_hiers_free (cgroup_hier *h, size_t n)
{
  for (size_t i = 0; i < n; i++)
    {
      free (h[i].name);
      free (h[i].mnt);
      free (h[i].fstype);
      free (h[i].opts);
      free (h[i].path);
    }
  free (h);
}

/* Is every comma-separated item of `list` in the comma-separated `set`?  */
static bool
all_in (const char *list, const char *set)
{
  cleanup_free char *copy = xstrdup (list);
  char *save = NULL;

  for (char *item = strtok_r (copy, ",", &save); item;
       item = strtok_r (NULL, ",", &save))
    {
      size_t len = strlen (item);
      const char *p = set;
      bool found = false;
      while (p && *p)
        {
          if (strncmp (p, item, len) == 0 && (p[len] == ',' || !p[len]))
            {
              found = true;
              break;
            }
          p = strchr (p, ',');
          if (p)
            p++;
        }
      if (!found)
        return false;
    }
  return true;
}

/* mountinfo's escapes (\040 for a space...) undone in place.  */
static void
unescape_octal (char *s)
{
  char *w = s;
  for (char *r = s; *r; r++)
    {
      if (r[0] == '\\' && r[1] >= '0' && r[1] <= '7' && r[2] >= '0'
          && r[2] <= '7' && r[3] >= '0' && r[3] <= '7')
        {
          *w++ = (char) (((r[1] - '0') << 6) | ((r[2] - '0') << 3)
                         | (r[3] - '0'));
          r += 3;
        }
      else
        *w++ = *r;
    }
  *w = '\0';
}

/* The host's cgroup hierarchies mounted directly under /sys/fs/cgroup,
   each with the init's cgroup in it (from /proc/self/cgroup).  */
static int
cgroup_hiers (const container_ctx *ctx, cgroup_hier **out, size_t *n_out,
              berth_error **err)
{
  cleanup_free char *mountinfo = NULL;
  cleanup_free char *cgroups = NULL;
  cleanup_close int proc_fd = -1;
  cgroup_hier *h = NULL;
  size_t n = 0;
  char *save = NULL;

  if (mountinfo_host_mounts (ctx, &mountinfo, err) < 0)
    return -1;
  proc_fd = mount_host_proc (ctx, err);
  if (proc_fd < 0)
    return -1;
  if (read_file_at (proc_fd, "self/cgroup", &cgroups, NULL, err) < 0)
    return -1;

  for (char *line = strtok_r (mountinfo, "\n", &save); line;
       line = strtok_r (NULL, "\n", &save))
    {
      char *f[6] = { 0 }, *sep, *p = line, *fstype, *super, *name;
      char *lsave = NULL, *cg_line, *cg_save = NULL;
      cleanup_free char *cg_copy = NULL;
      int i;

      for (i = 0; i < 6; i++)
        {
          f[i] = strsep (&p, " ");
          if (f[i] == NULL)
            break;
        }
      if (i < 6 || p == NULL)
        continue;
      sep = strstr (p, "- ");
      if (sep == NULL)
        continue;
      sep += 2;
      fstype = strtok_r (sep, " ", &lsave);
      (void) strtok_r (NULL, " ", &lsave); /* source */
      super = strtok_r (NULL, " ", &lsave);
      if (fstype == NULL || super == NULL)
        continue;
      if (strcmp (fstype, "cgroup") != 0 && strcmp (fstype, "cgroup2") != 0)
        continue;
      unescape_octal (f[4]);
      if (strncmp (f[4], "/sys/fs/cgroup/", 15) != 0)
        continue;
      name = f[4] + 15;
      if (*name == '\0' || strchr (name, '/'))
        continue;

      cg_copy = xstrdup (cgroups);
      for (cg_line = strtok_r (cg_copy, "\n", &cg_save); cg_line;
           cg_line = strtok_r (NULL, "\n", &cg_save))
        {
          char *ctrl = strchr (cg_line, ':'), *path;
          if (ctrl == NULL)
            continue;
          ctrl++;
          path = strchr (ctrl, ':');
          if (path == NULL)
            continue;
          *path++ = '\0';
          if (strcmp (fstype, "cgroup2") == 0
                  ? strncmp (cg_line, "0:", 2) == 0 && *ctrl == '\0'
                  : *ctrl != '\0' && all_in (ctrl, super))
            {
              h = xrealloc (h, (n + 1) * sizeof *h);
              h[n].name = xstrdup (name);
              h[n].mnt = xstrdup (f[4]);
              h[n].fstype = xstrdup (fstype);
              h[n].opts = strcmp (fstype, "cgroup") == 0 ? xstrdup (ctrl)
                                                          : NULL;
              h[n].path = xstrdup (path);
              n++;
              break;
            }
        }
    }
  *out = h;
  *n_out = n;
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
   container's cgroup), otherwise a bind of the init's cgroup directory.  */
static int
mount_cgroup_hier (const container_ctx *ctx, const cgroup_hier *h, int dir,
                   const mount_options *o, berth_error **err)
{
  cleanup_close int sub = -1;
  cleanup_close int mfd = -1;
  unsigned long flags = o->flags & (MOUNT_PER_MOUNT_FLAGS & ~MS_RDONLY);
  char buf[32];

  if (mkdirat (dir, h->name, 0755) < 0 && errno != EEXIST)
    return berth_error_sys (err, "mkdir %s", h->name);
  sub = openat (dir, h->name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (sub < 0)
    return berth_error_sys (err, "open %s", h->name);

  if (has_new_cgroupns (ctx) && !ctx->userns)
    {
      if (mount ("cgroup", fd_path (sub, buf), h->fstype, flags, h->opts) < 0)
        return berth_error_sys (err, "mount %s (%s)", h->name, h->fstype);
      /* Looked up again in the new tmpfs, which only we can see yet.  */
      mfd = openat (dir, h->name, O_PATH | O_DIRECTORY | O_NOFOLLOW
                                      | O_CLOEXEC);
      if (mfd < 0)
        return berth_error_sys (err, "open %s", h->name);
    }
  else
    {
      cleanup_free char *src_path = xasprintf ("%s%s", h->mnt, h->path);
      cleanup_close int src = open (src_path, O_PATH | O_DIRECTORY
                                                  | O_CLOEXEC);
      if (src < 0)
        return berth_error_sys (err, "open %s", src_path);
      mfd = mount_bind_fd (src, sub, false, err);
      if (mfd < 0)
        return berth_error_wrap (err, "bind %s", src_path);
    }
  if ((o->flags | o->clear) & MOUNT_PER_MOUNT_FLAGS
      && mount_remount_bind (mfd, NULL, o->flags, o->clear, err) < 0)
    return berth_error_wrap (err, "%s", h->name);
  return 0;
}

static int
cgroup_symlinks (int tmpfs_fd, berth_error **err)
{
  cleanup_dir DIR *dir = opendir ("/sys/fs/cgroup");
  struct dirent *de;

  if (dir == NULL)
    return 0;
  while ((de = readdir (dir)) != NULL)
    {
      char target[256];
      ssize_t n;

      if (de->d_type != DT_LNK)
        continue;
      n = readlinkat (dirfd (dir), de->d_name, target, sizeof target - 1);
      if (n < 0)
        continue;
      target[n] = '\0';
      /* Only the co-mount aliases (cpu -> cpu,cpuacct).  */
      if (strchr (target, '/'))
        continue;
      if (symlinkat (target, tmpfs_fd, de->d_name) < 0 && errno != EEXIST)
        return berth_error_sys (err, "symlink %s", de->d_name);
    }
  return 0;
}

int
mount_cgroup_v1 (const container_ctx *ctx, int root_fd, const char *dest,
                 const mount_options *o, berth_error **err)
{
  cleanup_close int target = -1;
  cleanup_close int tmpfs = -1;
  cleanup_close int dir = -1;
  cgroup_hier *h = NULL;
  size_t n = 0;
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
  /* A directory fd of the tmpfs: mkdirat/symlinkat need one.  */
  dir = openat (tmpfs, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0)
    return berth_error_sys (err, "open the cgroup tmpfs");

  if (cgroup_hiers (ctx, &h, &n, err) < 0)
    return -1;
  for (size_t i = 0; i < n; i++)
    if (mount_cgroup_hier (ctx, &h[i], dir, o, err) < 0)
      goto out;
  if (cgroup_symlinks (dir, err) < 0)
    goto out;
  if ((o->flags & MS_RDONLY)
      && mount_remount_bind (tmpfs, NULL, MS_RDONLY, 0, err) < 0)
    goto out;
  ret = steal_fd (&tmpfs);
out:
  cgroup_hiers_free (h, n);
  return ret;
}

static int
mountinfo_host_mounts (const container_ctx *ctx, char **out,
                       berth_error **err)
{
  cleanup_close int proc_fd = mount_host_proc (ctx, err);
  if (proc_fd < 0)
    return -1;
  return read_file_at (proc_fd, "self/mountinfo", out, NULL, err);
}

/* The init's cgroup v2 directory on the host, for a bind when a new
   cgroup2 mount is refused.  */
static int
cgroup2_own_dir (const container_ctx *ctx, berth_error **err)
{
  cgroup_hier *h = NULL;
  size_t n = 0;
  int fd = -1;

  if (cgroup_hiers (ctx, &h, &n, err) < 0)
    return -1;
  for (size_t i = 0; i < n; i++)
    if (strcmp (h[i].fstype, "cgroup2") == 0)
      {
        cleanup_free char *p = xasprintf ("%s%s", h[i].mnt, h[i].path);
        fd = open (p, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
          berth_error_sys (err, "open %s", p);
        break;
      }
  if (fd < 0 && *err == NULL)
    {
      /* cgroup v2 only: /sys/fs/cgroup itself.  */
      cleanup_free char *cg = NULL;
      cleanup_close int proc_fd = mount_host_proc (ctx, err);
      char *path;
      if (proc_fd < 0)
        goto out;
      if (read_file_at (proc_fd, "self/cgroup", &cg, NULL, err) < 0)
        goto out;
      path = strstr (cg, "0::");
      if (path == NULL)
        {
          berth_error_set (err, 0, "no cgroup v2 entry in /proc/self/cgroup");
          goto out;
        }
      path += 3;
      path[strcspn (path, "\n")] = '\0';
      {
        cleanup_free char *p = xasprintf ("/sys/fs/cgroup%s", path);
        fd = open (p, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
          berth_error_sys (err, "open %s", p);
      }
    }
out:
  cgroup_hiers_free (h, n);
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
  struct statfs sfs;
  return statfs ("/sys/fs/cgroup", &sfs) == 0
         && sfs.f_type == CGROUP2_SUPER_MAGIC;
}
