/* berth checkpoint: the container's process tree into CRIU images
 * (libcontainer/criu/checkpoint.h).  */
#include "libcontainer/criu/checkpoint.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "base/log.h"
#include "base/utils.h"
#include "cgroups/convert.h"
#include "cgroups/manager.h"
#include "libcontainer/lifecycle/container-internal.h"
#include "libcontainer/lifecycle/container.h"
#include "libcontainer/lifecycle/handle.h"
#include "libcontainer/lifecycle/state.h"
#include "libcontainer/criu/criu-masks.h"
#include "libcontainer/network/netns-prepare.h"
#include "oci-spec/descriptors.h"

/* The mount id of fd `fd` of `pid` (fdinfo's mnt_id), or -1.  */
static int
fd_mnt_id (pid_t pid, int fd)
{
  char path[64], line[128];
  cleanup_file FILE *f = NULL;
  int id = -1;

  snprintf (path, sizeof path, "/proc/%d/fdinfo/%d", (int) pid, fd);
  f = fopen (path, "re");
  while (f && fgets (line, sizeof line, f))
    if (sscanf (line, "mnt_id: %d", &id) == 1)
      break;
  return id;
}

/* Whether mount `id` is in the mount namespace of `pid`.  */
static bool
mount_in_ns (pid_t pid, int id)
{
  char path[64], line[4096];
  cleanup_file FILE *f = NULL;
  int m;

  snprintf (path, sizeof path, "/proc/%d/mountinfo", (int) pid);
  f = fopen (path, "re");
  while (f && fgets (line, sizeof line, f))
    if (sscanf (line, "%d ", &m) == 1 && m == id)
      return true;
  return false;
}

/* Where fds 0-2 of the init point ("pipe:[N]", a path), for restore to
   put its own stdio in place of the pipes (descriptors.json, as runc).
   A file on a mount outside the container's mount namespace (conmon gives
   the init the host's /dev/null as stdin) cannot be dumped: CRIU finds no
   such mount in the container's.  It is named to CRIU as an external file
   ("file[MNT_ID:INODE]", hex), and restore hands its own fd in its place
   (CRIU_STDIO_EXTERNALS).  */
static int
save_descriptors (criu_opts *copts, int image_fd, pid_t pid,
                  berth_error **err)
{
  char *fds[3] = { NULL, NULL, NULL };
  cleanup_free char *json = NULL;
  cleanup_free char *ext = NULL;
  size_t len, ext_len = 0;
  int ret;

  for (int i = 0; i < 3; i++)
    {
      char link[64], target[PATH_MAX], key[64];
      struct stat st;
      ssize_t n;
      int mnt;

      snprintf (link, sizeof link, "/proc/%d/fd/%d", (int) pid, i);
      n = readlink (link, target, sizeof target - 1);
      target[n < 0 ? 0 : n] = '\0';
      fds[i] = xstrdup (n < 0 ? "/dev/null" : target);
      if (n <= 0 || target[0] != '/' || stat (link, &st) < 0)
        continue;
      mnt = fd_mnt_id (pid, i);
      if (mnt < 0 || mount_in_ns (pid, mnt))
        continue;
      snprintf (key, sizeof key, "file[%x:%llx]", (unsigned) mnt,
                (unsigned long long) st.st_ino);
      ret = criu_local_add_external (copts, key);
      if (ret < 0)
        {
          for (int j = 0; j < 3; j++)
            free (fds[j]);
          return berth_error_set (err, -ret, "libcriu: external %s (fd %d, "
                                  "%s)", key, i, target);
        }
      berth_debug ("checkpoint: fd %d (%s) is outside the container's "
                   "mounts: external %s", i, target, key);
      {
        char *line = xasprintf ("%s%d %s\n", ext ? ext : "", i, key);
        free (ext);
        ext = line;
        ext_len = strlen (ext);
      }
    }
  json = oci_descriptors_to_json (fds, 3, &len);
  for (int i = 0; i < 3; i++)
    free (fds[i]);
  ret = write_file_atomic_at (image_fd, CRIU_DESCRIPTORS, json, len, 0600,
                              err);
  if (ret == 0 && ext)
    ret = write_file_atomic_at (image_fd, CRIU_STDIO_EXTERNALS, ext, ext_len,
                                0600, err);
  return ret;
}

/* criu_flags.external_netns: the container's network namespace named to
   CRIU as external (by inode, under the key a config's joined one has:
   the two never meet, netns_preparable refuses a joined one), and the MAC
   of its veth's inside end kept in the images, which the restore gives
   the namespace it makes.  */
static int
mark_netns_external (criu_opts *copts, int image_fd, const oci_config *config,
                     pid_t pid, berth_error **err)
{
  char path[64], text[NET_MAC_TEXT_LEN + 1];
  cleanup_free char *ext = NULL;
  cleanup_close int fd = -1;
  unsigned char mac[6];
  struct stat st;
  int r;

  if (!netns_preparable (config))
    return berth_error_set (err, ENOTSUP, "the container's network "
                                          "namespace is not berth's to "
                                          "make again (a joined one, or no "
                                          "veth pair of berth's)");
  snprintf (path, sizeof path, "/proc/%d/ns/net", (int) pid);
  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0 || fstat (fd, &st) < 0)
    return berth_error_sys (err, "the container's network namespace");
  if (netns_veth_mac (config, fd, mac, err) < 0)
    return berth_error_wrap (err, "the container's network namespace");
  net_mac_format (mac, text);
  strcat (text, "\n");
  if (write_file_atomic_at (image_fd, CRIU_NETNS_EXTERNAL, text,
                            strlen (text), 0600, err)
      < 0)
    return -1;
  ext = xasprintf ("net[%lu]:%s", (unsigned long) st.st_ino, CRIU_EXT_NETNS);
  r = criu_local_add_external (copts, ext);
  if (r < 0)
    return berth_error_set (err, -r, "libcriu: external %s", ext);
  /* CRIU locks the namespace for the dump (tcp-established) with
     libnftables in its own process, where the iptables lock runs
     iptables-restore twice; the nftables table it adds would be dumped
     with a namespace CRIU carried and left locked at the restore (its
     name has the source's pid), but this one stays out of the images.  */
  r = criu_local_set_network_lock (copts, CRIU_NETWORK_LOCK_NFTABLES);
  if (r < 0)
    return berth_error_set (err, -r, "libcriu: network lock nftables");
  return 0;
}

/* The cgroup CRIU freezes the container with: v2 the container's cgroup;
   v1 its freezer cgroup (the state string's freezer entry, with its
   mount when berth recorded it: cg_state_dir).  NULL when there is none.  */
static char *
freeze_cgroup (const oci_state *state)
{
  const char *s = state->cgroup_state;

  if (s == NULL || *s == '\0')
    return NULL;
  if (state->cgroup_mode == CGROUP_MODE_UNIFIED)
    return xasprintf ("/sys/fs/cgroup%s", s);
  return cg_state_dir (s, "freezer", "/sys/fs/cgroup/freezer");
}

int
container_checkpoint (const checkpoint_opts *o, berth_error **err)
{
  cleanup_close int dir_fd = -1;
  cleanup_close int image_fd = -1;
  cleanup_close int work_fd = -1;
  cleanup_free char *freezer = NULL;
  const char *image_path = o->image_path ? o->image_path : "checkpoint";
  const char *log_dir = o->work_path ? o->work_path : image_path;
  const char *log = o->pre_dump ? CRIU_PRE_DUMP_LOG : CRIU_DUMP_LOG;
  int ns_fds[CRIU_NS_FDS] = { -1, -1 };
  cleanup_container_handle container_handle *h = NULL;
  oci_state *state = NULL;
  oci_config *config = NULL;
  criu_opts *copts = NULL;
  int ret = -1, r;

  if (geteuid () != 0)
    return berth_error_set (err, EPERM, "checkpoint needs root (CRIU)");
  if (container_open (o->root, o->id, CONTAINER_OPEN_LOCK_EXCLUSIVE, &h,
                      err)
      < 0)
    return -1;
  /* The lock goes with the fd: kept for the whole checkpoint.  */
  dir_fd = steal_fd (&h->dir_fd);
  state = steal_pointer (&h->state);
  if (state->status != OCI_STATUS_RUNNING
      && state->status != OCI_STATUS_PAUSED)
    {
      berth_error_set (err, 0, "container \"%s\" is %s: only a running or "
                               "paused container can be checkpointed",
                       o->id, oci_status_name (state->status));
      goto out;
    }
  if (state->net && state->net->n_devices)
    {
      /* A device moved in from the host is not CRIU's to make at restore
         (it would have to come back from wherever it went).  The veth
         pair is: restore names its outside end to CRIU and gives it back
         its peer namespace, address and rates (net_restore_veth).  */
      berth_error_set (err, ENOTSUP, "container \"%s\": it has network "
                                     "devices moved in from the host "
                                     "(linux.netDevices), which CRIU cannot "
                                     "give back at restore; checkpoint a "
                                     "container without them",
                       o->id);
      goto out;
    }
  if (state->overlay)
    {
      /* The upper layer is in the state dir, which a checkpoint removes,
         and a restore mounts the bundle's rootfs: the writes would be
         lost without a word.  */
      berth_error_set (err, ENOTSUP, "container \"%s\" has an --overlay "
                                     "root: its writes live in berth's "
                                     "state dir, which checkpoint does not "
                                     "carry into the image; checkpoint a "
                                     "container without --overlay",
                       o->id);
      goto out;
    }
  config = state_load_config (dir_fd, err);
  if (config == NULL)
    goto out;
  if (o->parent_path && o->parent_path[0] == '/')
    {
      berth_error_set (err, 0, "--parent-path %s: must be relative to the "
                               "image path (../pre-dump-1), as CRIU takes it",
                       o->parent_path);
      goto out;
    }

  if (criu_session_open (&copts, image_path, true, o->work_path, log,
                         &image_fd, &work_fd, err)
      < 0)
    goto out;
  criu_local_set_pid (copts, state->pid);
  if (o->parent_path)
    {
      struct stat st;
      if (fstatat (image_fd, o->parent_path, &st, 0) < 0
          || !S_ISDIR (st.st_mode))
        {
          berth_error_sys (err, "--parent-path %s (from %s)", o->parent_path,
                           image_path);
          goto out;
        }
      r = criu_local_set_parent_images (copts, o->parent_path);
      if (r < 0)
        {
          berth_error_set (err, -r, "libcriu: parent images %s",
                           o->parent_path);
          goto out;
        }
      criu_local_set_track_mem (copts, true);
    }
  if (criu_session_flags (copts, &o->flags, err) < 0)
    goto out;

  if (o->pre_dump)
    {
      /* Memory only, with the dirty tracking the next dump reads.  */
      criu_local_set_track_mem (copts, true);
      r = criu_local_pre_dump (copts);
      if (r != 0)
        {
          criu_fail (err, "criu pre-dump", r, log_dir, log);
          goto out;
        }
      ret = 0;
      goto out;
    }

  if (save_descriptors (copts, image_fd, state->pid, err) < 0)
    goto out;
  if (criu_local_set_root (copts, state->rootfs) < 0
      || criu_add_config_mounts (copts, config, state->bundle, false, err) < 0
      || criu_add_config_namespaces (copts, config, false, ns_fds, err) < 0)
    {
      if (*err == NULL)
        berth_error_set (err, ENOMEM, "libcriu: root %s", state->rootfs);
      goto out;
    }
  if (o->flags.external_netns
      && mark_netns_external (copts, image_fd, config, state->pid, err) < 0)
    goto out;
  if (o->flags.external_masks
      && criu_masks_dump (copts, image_fd, config, state->pid, err) < 0)
    goto out;
  freezer = freeze_cgroup (state);
  if (freezer && (r = criu_local_set_freeze_cgroup (copts, freezer)) < 0)
    {
      berth_error_set (err, -r, "libcriu: freeze cgroup %s", freezer);
      goto out;
    }
  criu_local_set_leave_running (copts, o->leave_running);
  /* A terminal's master is outside the container: CRIU dumps the peer and
     restore hands a new master to --console-socket.  */
  criu_local_set_orphan_pts_master (copts, true);

  r = criu_local_dump (copts);
  if (r != 0)
    {
      criu_fail (err, "criu dump", r, log_dir, log);
      goto out;
    }
  if (!o->leave_running && !o->keep_record)
    {
      /* runc destroys a checkpointed container: its id is free for the
         restore.  The lock is ours: let delete take it.  */
      close (dir_fd);
      dir_fd = -1;
      if (container_delete_force_id (o->root, o->id, NULL, err) < 0)
        goto out;
    }
  ret = 0;
out:
  criu_close_ns_fds (ns_fds);
  if (copts)
    criu_local_free_opts (copts);
  oci_config_free (config);
  oci_state_free (state);
  return ret;
}
