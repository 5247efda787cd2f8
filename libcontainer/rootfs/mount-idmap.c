/* berth: idmapped bind mounts (options idmap and ridmap).  The kernel takes
 * the mapping as a user namespace fd: one is made for the purpose by a
 * short-lived child, holding the mount's uidMappings/gidMappings, or the
 * container's when the mount has none.  */
#include "libcontainer/rootfs/mount-idmap.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "libcontainer/rootfs/mount-util.h"
#include "base/utils.h"

static int
write_id_map (int proc_fd, const char *pid, const char *file,
              const oci_id_mapping *m, size_t n, berth_error **err)
{
  cleanup_free char *buf = xmalloc0 (n * 36 + 1);
  cleanup_free char *name = xasprintf ("%s/%s", pid, file);
  size_t len = 0;

  for (size_t i = 0; i < n; i++)
    len += (size_t) sprintf (buf + len, "%u %u %u\n", m[i].container_id,
                             m[i].host_id, m[i].size);
  return write_file_at (proc_fd, name, buf, len, err);
}

/* A user namespace holding the given maps, for MOUNT_ATTR_IDMAP: a child
   unshares it and waits; we write its maps, open its ns/user, and kill
   it.  Returns the namespace fd.  */
static int
idmap_userns (const container_ctx *ctx, const oci_id_mapping *uids,
              size_t n_uids, const oci_id_mapping *gids, size_t n_gids,
              berth_error **err)
{
  cleanup_close int proc_fd = -1;
  int pipefd[2];
  char pid[16] = { 0 };
  cleanup_free char *ns_name = NULL;
  ssize_t n;
  pid_t child;
  int ns_fd = -1, status;

  proc_fd = mount_host_proc (ctx, err);
  if (proc_fd < 0)
    return -1;
  if (pipe2 (pipefd, O_CLOEXEC) < 0)
    return berth_error_sys (err, "pipe");
  child = fork ();
  if (child < 0)
    {
      close (pipefd[0]);
      close (pipefd[1]);
      return berth_error_sys (err, "fork");
    }
  if (child == 0)
    {
      /* Our pid as the host /proc numbers it: the maps are written there,
         and we may be in a pid namespace of our own.  */
      char self[16];
      ssize_t l;

      prctl (PR_SET_PDEATHSIG, SIGKILL);
      if (unshare (CLONE_NEWUSER) < 0
          || (l = readlinkat (proc_fd, "self", self, sizeof self - 1)) <= 0)
        {
          /* "-<errno>" instead of a pid.  */
          l = snprintf (self, sizeof self, "-%d", errno);
        }
      if (write (pipefd[1], self, (size_t) l) != l)
        _exit (1);
      for (;;)
        pause ();
    }
  close (pipefd[1]);
  n = read (pipefd[0], pid, sizeof pid - 1);
  close (pipefd[0]);
  if (n <= 0 || pid[0] == '-')
    {
      berth_error_set (err, n > 0 ? atoi (pid + 1) : 0,
                       "create a user namespace for the idmap");
      goto out;
    }
  if (write_id_map (proc_fd, pid, "uid_map", uids, n_uids, err) < 0
      || write_id_map (proc_fd, pid, "gid_map", gids, n_gids, err) < 0)
    {
      berth_error_wrap (err, "idmap user namespace");
      goto out;
    }
  ns_name = xasprintf ("%s/ns/user", pid);
  ns_fd = openat (proc_fd, ns_name, O_RDONLY | O_CLOEXEC);
  if (ns_fd < 0)
    berth_error_sys (err, "open the idmap user namespace");
out:
  kill (child, SIGKILL);
  while (waitpid (child, &status, 0) < 0 && errno == EINTR)
    ;
  return ns_fd;
}

static int
idmap_mappings (const container_ctx *ctx, const oci_mount *m,
                const oci_id_mapping **uids, size_t *n_uids,
                const oci_id_mapping **gids, size_t *n_gids,
                berth_error **err)
{
  const oci_linux *lx = ctx->config->linux_;

  if (m->n_uid_mappings || m->n_gid_mappings)
    {
      *uids = m->uid_mappings;
      *n_uids = m->n_uid_mappings;
      *gids = m->gid_mappings;
      *n_gids = m->n_gid_mappings;
    }
  else if (ctx->userns && lx && lx->n_uid_mappings && lx->n_gid_mappings)
    {
      *uids = lx->uid_mappings;
      *n_uids = lx->n_uid_mappings;
      *gids = lx->gid_mappings;
      *n_gids = lx->n_gid_mappings;
    }
  else
    return berth_error_set (err, 0,
                            "idmap needs the mount's uidMappings and "
                            "gidMappings, or a user namespace with mappings");
  if (*n_uids == 0 || *n_gids == 0)
    return berth_error_set (err, 0, "idmap needs both uidMappings and "
                                         "gidMappings");
  return 0;
}

/* An idmapped bind mount: clone the source, attach the idmap while it is
   still detached (the kernel only allows it then), then attach.  */
int
mount_bind_idmapped (const container_ctx *ctx, const oci_mount *m,
                     const mount_options *o, int src_fd, int target_fd,
                     berth_error **err)
{
  const oci_id_mapping *uids = NULL, *gids = NULL;
  size_t n_uids = 0, n_gids = 0;
  cleanup_close int ns_fd = -1;
  cleanup_close int mfd = -1;
  struct mount_attr attr = { .attr_set = MOUNT_ATTR_IDMAP };

  if (idmap_mappings (ctx, m, &uids, &n_uids, &gids, &n_gids, err) < 0)
    return -1;
  ns_fd = idmap_userns (ctx, uids, n_uids, gids, n_gids, err);
  if (ns_fd < 0)
    return -1;
  mfd = open_tree (src_fd, "",
                   OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH
                       | ((o->flags & MS_REC) ? AT_RECURSIVE : 0));
  if (mfd < 0)
    return berth_error_sys (err, "clone the source mount");
  attr.userns_fd = (uint64_t) ns_fd;
  if (mount_setattr (mfd, "", AT_EMPTY_PATH | (o->idmap_rec ? AT_RECURSIVE
                                                            : 0),
                     &attr, sizeof attr)
      < 0)
    {
      /* The kernel wants CAP_SYS_ADMIN over the filesystem's own user
         namespace: for a host filesystem, the initial one.  */
      if (errno == EPERM && ctx->userns)
        return berth_error_sys (err, "set the idmap (an idmapped mount of a "
                                     "host filesystem cannot be made from "
                                     "inside a user namespace)");
      return berth_error_sys (err, "set the idmap");
    }
  if (move_mount (mfd, "", target_fd, "",
                  MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH)
      < 0)
    return berth_error_sys (err, "attach the idmapped mount");
  return steal_fd (&mfd);
}

