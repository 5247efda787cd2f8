/* berth: the lifecycle record and the `delete --force` that works from it
 * (libcontainer/lifecycle/record.h).  */
#include "libcontainer/lifecycle/record.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/pidfd.h"
#include "base/cleanup.h"
#include "base/log.h"
#include "base/utils.h"
#include "cgroups/manager.h"
#include "libcontainer/lifecycle/container-internal.h"
#include "libcontainer/lifecycle/state.h"
#include "libcontainer/network/container-net.h"
#include "libcontainer/rootfs/host-mounts.h"

#define RECORD_TMP ".record.json.tmp"

int
record_save (int dir_fd, const oci_record *r, berth_error **err)
{
  size_t len = 0;
  cleanup_free char *json = oci_record_to_json (r, &len);
  cleanup_close int fd = -1;

  fd = openat (dir_fd, RECORD_TMP,
               O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0)
    return berth_error_sys (err, "create %s", RECORD_TMP);
  /* No fsync: a killed berth cannot lose what is in the page cache, and
     after a power cut nothing the record describes (processes, cgroups,
     veths, mounts) is left to undo; a torn or empty record is what
     `delete --force` already handles (record_load's error, then the config
     copy).  On a /run that is not tmpfs, the two fsyncs of a `run` cost
     about 5 ms, a fifth of its time.  */
  if (write_all (fd, json, len) < 0)
    {
      berth_error_sys (err, "write %s", RECORD_TMP);
      unlinkat (dir_fd, RECORD_TMP, 0);
      return -1;
    }
  if (renameat (dir_fd, RECORD_TMP, dir_fd, RECORD_FILE) < 0)
    {
      berth_error_sys (err, "rename %s to %s", RECORD_TMP, RECORD_FILE);
      unlinkat (dir_fd, RECORD_TMP, 0);
      return -1;
    }
  /* Nor of the directory, for the same reason.  */
  return 0;
}

oci_record *
record_load (int dir_fd, const char *id, berth_error **err)
{
  cleanup_free char *json = NULL;
  size_t len = 0;

  if (read_file_at_max (dir_fd, RECORD_FILE, OCI_JSON_MAX_SIZE, &json, &len,
                        err)
      < 0)
    {
      berth_error_wrap (err, "container \"%s\"", id);
      return NULL;
    }
  return oci_record_parse (json, len, RECORD_FILE, err);
}

/* The cgroup create made, from the record, else from the config copy (a
   record too damaged to read: the path is derived as create derived it).
   NULL without an error: no cgroup to undo.  */
static cgroup_manager *
cgroup_to_undo (int dir_fd, const oci_record *rec, const char *id,
                berth_error **err)
{
  oci_config *config;
  cgroup_manager *m;

  if (rec)
    {
      if (rec->cgroup_state == NULL)
        return NULL;
      return cgroup_manager_load ((cgroup_mode) rec->cgroup_mode,
                                  rec->cgroup_state, err);
    }
  config = state_load_config (dir_fd, err);
  if (config == NULL)
    return NULL;
  m = cgroup_manager_new (config->linux_ ? config->linux_->cgroups_path
                                         : NULL,
                          id, err);
  oci_config_free (config);
  return m;
}

/* A container without a mount namespace mounted on the host: what
   create recorded at the end ("host-mounts"), and what appeared under the
   recorded dirs since the record was written (a create killed before it
   got that far).  Fails when any of them is still there.  */
static int
undo_host_mounts (int dir_fd, const oci_record *rec, const char *id,
                  berth_error **err)
{
  host_mount_set before = { 0 }, left = { 0 };
  const char **dirs;
  size_t n_left = 0, first = 0;

  if (host_mounts_undo (dir_fd, err) < 0)
    return -1;
  if (rec == NULL || rec->n_host_mount_dirs == 0)
    return 0;
  dirs = (const char **) rec->host_mount_dirs;
  before.n = rec->n_host_mounts_before;
  before.ids = xmalloc0 (sizeof (*before.ids) * (before.n + 1));
  for (size_t i = 0; i < before.n; i++)
    before.ids[i] = rec->host_mounts_before[i];
  host_mounts_undo_new (dirs, rec->n_host_mount_dirs, &before);
  if (host_mounts_list (dirs, rec->n_host_mount_dirs, &left, err) < 0)
    {
      free (before.ids);
      return -1;
    }
  for (size_t i = 0; i < left.n; i++)
    {
      bool old = false;
      for (size_t j = 0; j < before.n && !old; j++)
        old = before.ids[j] == left.ids[i];
      if (!old && n_left++ == 0)
        first = i;
    }
  free (before.ids);
  if (n_left)
    berth_error_set (err, 0, "container \"%s\": %zu of its mounts on the "
                             "host could not be undone (%s ...)",
                     id, n_left, left.paths[first]);
  host_mount_set_release (&left);
  return n_left ? -1 : 0;
}

/* A pidfd of the recorded init when it is still the same process (its
   start time matches: a reused pid is left alone); -1 otherwise.  */
static int
recorded_init_pidfd (const oci_record *rec)
{
  cleanup_close int fd = -1;

  if (rec == NULL || rec->pid <= 0 || rec->pid_start_time == 0)
    return -1;
  fd = sys_pidfd_open (rec->pid);
  if (fd < 0)
    return -1;
  if (proc_start_time (rec->pid, NULL) != rec->pid_start_time)
    return -1;
  return steal_fd (&fd);
}

int
delete_force_from_record (int root_fd, int dir_fd, const char *id,
                          const berth_error *state_err, berth_error **err)
{
  berth_error *rec_err = NULL;
  oci_record *rec = NULL;
  cgroup_manager *cg = NULL;
  cleanup_close int pidfd = -1;
  bool have_config;
  int ret = -1;

  rec = record_load (dir_fd, id, &rec_err);
  have_config = faccessat (dir_fd, CONFIG_COPY, F_OK, AT_SYMLINK_NOFOLLOW)
                == 0;
  if (rec == NULL)
    {
      /* create writes the record before anything else: without one (and
         without the config copy written after it) nothing was made.  */
      if (rec_err->errnum != ENOENT || have_config)
        berth_warn ("container \"%s\": %s; undoing from the config copy",
                    id, rec_err->msg);
      else if (faccessat (dir_fd, STATE_FILE, F_OK, AT_SYMLINK_NOFOLLOW)
               == 0)
        {
          /* A state.json without a record: a berth from before records,
             whose state cannot be read.  Nothing says what to undo.  */
          berth_error_set (err, 0, "container \"%s\": %s; no record of what "
                                   "was made: not deleted",
                           id, state_err ? state_err->msg : "no state");
          goto out;
        }
      else
        {
          /* create was killed before its first record: only the dir.  */
          ret = state_dir_remove (root_fd, id, err);
          goto out;
        }
    }
  /* With the systemd driver the manager's state names the unit: its
     destroy stops the unit.  */
  cg = cgroup_to_undo (dir_fd, rec, id, err);
  if (cg == NULL && *err)
    {
      berth_error_wrap (err, "container \"%s\": its cgroup", id);
      goto out;
    }

  pidfd = recorded_init_pidfd (rec);
  /* Before the kill: devices to return are in the init's namespace.  */
  if (rec && rec->net)
    container_net_undo (rec->net, rec->pid, pidfd, rec->net->return_devices);
  if (pidfd >= 0 && sys_pidfd_send_signal (pidfd, SIGKILL) < 0
      && errno != ESRCH)
    {
      berth_error_sys (err, "kill the init of container \"%s\"", id);
      goto out;
    }
  /* Kills whatever else is in the cgroup (a first child of the slow path,
     an exec'd process) and removes the directories.  */
  if (cg && cg->ops->destroy (cg, err) < 0)
    {
      berth_error_wrap (err, "container \"%s\"", id);
      goto out;
    }
  if (pidfd >= 0)
    wait_pidfd_exit (pidfd);
  if (undo_host_mounts (dir_fd, rec, id, err) < 0)
    goto out;
  if (state_dir_remove (root_fd, id, err) < 0)
    goto out;
  ret = 0;
out:
  berth_error_free (rec_err);
  cgroup_manager_free (cg);
  oci_record_free (rec);
  return ret;
}
