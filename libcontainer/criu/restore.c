/* berth restore: a container rebuilt from CRIU images
 * (libcontainer/criu/checkpoint.h).  */
#include "libcontainer/criu/checkpoint.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/pidfd.h"
#include "base/cleanup.h"
#include "base/log.h"
#include "base/utils.h"
#include "cgroups/manager.h"
#include "libcontainer/lifecycle/cgroup-setup.h"
#include "libcontainer/lifecycle/container-internal.h"
#include "libcontainer/lifecycle/container.h"
#include "libcontainer/lifecycle/record.h"
#include "libcontainer/lifecycle/state.h"
#include "libcontainer/lifecycle/validate.h"
#include "libcontainer/network/net-setup.h"
#include "libcontainer/process/terminal.h"
#include "oci-spec/descriptors.h"

/* CRIU's notify callback has no user data: the console socket of the one
   restore this process runs.  */
static int console_sock = -1;
static const char *console_path;
static berth_error *console_err;

static int
notify (char *action, criu_notify_arg_t na)
{
  int master;

  (void) na;
  if (strcmp (action, "orphan-pts-master") != 0)
    return 0;
  master = criu_get_orphan_pts_master_fd ();
  if (console_sock < 0)
    {
      /* runc refuses a terminal without a socket the same way.  */
      berth_error_set (&console_err, 0, "the container has a terminal: "
                                        "restore needs --console-socket");
      return -1;
    }
  if (console_socket_send (console_sock, master, console_path, &console_err)
      < 0)
    return -1;
  return 0;
}

/* Everything a failed restore must undo.  */
typedef struct restoring
{
  int root_fd;
  int dir_fd;
  cgroup_manager *cg;
  bool cg_created;
  char *criu_root;  /* the rootfs bind-mounted for CRIU; NULL: none */
  int pidfd;
  oci_net_state *net; /* the veth pair given back; NULL: none */
} restoring;

static void
undo (restoring *r, const char *id)
{
  berth_error *e = NULL;

  if (r->pidfd >= 0)
    {
      sys_pidfd_send_signal (r->pidfd, SIGKILL);
      wait_pidfd_exit (r->pidfd);
    }
  /* The pair would go with the container's namespace; not left to the
     kernel's timing.  */
  if (r->net)
    net_teardown (r->net, -1, false);
  if (r->cg_created && r->cg->ops->destroy (r->cg, &e) < 0)
    {
      berth_warn ("%s", e->msg);
      berth_error_clear (&e);
    }
  if (r->dir_fd >= 0 && state_dir_remove (r->root_fd, id, &e) < 0)
    {
      berth_warn ("%s", e->msg);
      berth_error_clear (&e);
    }
}

/* stdio of the dumped init that were files outside its mount namespace,
   named to CRIU as external files at checkpoint (CRIU_STDIO_EXTERNALS):
   ours take their place.  No such file: none were.  */
static int
inherit_stdio_externals (criu_opts *copts, int image_fd, berth_error **err)
{
  cleanup_free char *text = NULL;
  size_t len;
  berth_error *e = NULL;
  char *save = NULL;

  if (read_file_at_max (image_fd, CRIU_STDIO_EXTERNALS, 4096, &text, &len, &e)
      < 0)
    {
      berth_error_free (e);
      return 0;
    }
  for (char *line = strtok_r (text, "\n", &save); line;
       line = strtok_r (NULL, "\n", &save))
    {
      int fd, r;
      char key[64];
      if (sscanf (line, "%d %63s", &fd, key) != 2 || fd < 0 || fd > 2
          || strncmp (key, "file[", 5) != 0)
        return berth_error_set (err, EINVAL, "image: %s: bad line \"%s\"",
                                CRIU_STDIO_EXTERNALS, line);
      r = criu_local_add_inherit_fd (copts, fd, key);
      if (r < 0)
        return berth_error_set (err, -r, "libcriu: inherit fd %d for %s", fd,
                                key);
    }
  return 0;
}

/* stdio of the dumped init that were pipes: ours take their place, as
   runc does (descriptors.json).  */
static int
inherit_stdio (criu_opts *copts, int image_fd, berth_error **err)
{
  cleanup_free char *json = NULL;
  cleanup_strv char **fds = NULL;
  size_t len;

  if (read_file_at_max (image_fd, CRIU_DESCRIPTORS, 65536, &json, &len, err)
      < 0)
    return berth_error_wrap (err, "image");
  if (oci_descriptors_parse (json, len, &fds, err) < 0)
    return -1;
  for (int i = 0; i < 3 && fds[i]; i++)
    if (strncmp (fds[i], "pipe:", 5) == 0)
      {
        int r = criu_local_add_inherit_fd (copts, i, fds[i]);
        if (r < 0)
          return berth_error_set (err, -r, "libcriu: inherit fd %d", i);
      }
  return inherit_stdio_externals (copts, image_fd, err);
}

/* The tasks go into the cgroup berth made from config.json.  */
static int
add_cgroup_roots (criu_opts *copts, const cgroup_manager *cg,
                  berth_error **err)
{
  cleanup_free char *s = xstrdup (cg->state);
  char *save = NULL;
  int r;

  if (cg->mode == CGROUP_MODE_UNIFIED)
    {
      r = criu_local_add_cg_root (copts, NULL, cg->state);
      return r < 0 ? berth_error_set (err, -r, "libcriu: cgroup root %s",
                                      cg->state)
                   : 0;
    }
  /* v1: "controller:path" per hierarchy (cgroups/manager.h).  */
  for (char *p = strtok_r (s, ";", &save); p; p = strtok_r (NULL, ";", &save))
    {
      char *colon = strchr (p, ':');
      if (colon == NULL)
        continue;
      *colon = '\0';
      r = criu_local_add_cg_root (copts, p, colon + 1);
      if (r < 0)
        return berth_error_set (err, -r, "libcriu: cgroup root %s", p);
    }
  return 0;
}

static oci_state *
new_state (const char *id, pid_t pid, const char *bundle, const char *rootfs,
           const oci_config *config, const cgroup_manager *cg)
{
  oci_state *st = xmalloc0 (sizeof *st);
  const oci_linux *lx = config->linux_;

  st->oci_version = xstrdup (BERTH_SPEC_VERSION);
  st->id = xstrdup (id);
  st->status = OCI_STATUS_RUNNING;
  st->pid = pid;
  st->bundle = xstrdup (bundle);
  st->rootfs = xstrdup (rootfs);
  st->created = state_now_rfc3339 ();
  st->owner = xstrdup ("");
  st->pid_start_time = proc_start_time (pid, NULL);
  for (size_t i = 0; lx && i < lx->n_namespaces; i++)
    if (lx->namespaces[i].type == OCI_NS_PID && lx->namespaces[i].path == NULL)
      st->pid_ns_new = true;
  st->cgroup_mode = (int32_t) cg->mode;
  st->cgroup_state = xstrdup (cg->state);
  if (config->n_annotations)
    {
      st->annotations = xmalloc0 (sizeof (oci_kv) * config->n_annotations);
      for (size_t i = 0; i < config->n_annotations; i++)
        {
          st->annotations[i].key = xstrdup (config->annotations[i].key);
          st->annotations[i].value = xstrdup (config->annotations[i].value);
        }
      st->n_annotations = config->n_annotations;
    }
  return st;
}

/* The lifecycle record (libcontainer/lifecycle/record.h) before the
   cgroup is made and once the init exists, so a restore killed half way
   leaves `delete --force` a full account, as create does.  */
static int
restore_record (const restoring *rs, const char *id, pid_t pid,
                berth_error **err)
{
  oci_record r = { .id = (char *) id, .pid = pid };

  r.cgroup_mode = (int32_t) rs->cg->mode;
  r.cgroup_state = rs->cg->state;
  if (pid > 0)
    r.pid_start_time = proc_start_time (pid, NULL);
  if (record_save (rs->dir_fd, &r, err) < 0)
    return berth_error_wrap (err, "container \"%s\": lifecycle record", id);
  return 0;
}

/* The restored init's network namespace gets back what CRIU does not
   carry of the veth pair (libcontainer/network/net-setup.h).  */
static int
restore_veth (const net_config *cfg, restoring *rs, pid_t pid,
              berth_error **err)
{
  char path[64];
  cleanup_close int fd = -1;

  snprintf (path, sizeof path, "/proc/%d/ns/net", (int) pid);
  fd = open (path, O_RDONLY | O_CLOEXEC);
  /* The pidfd pins the pid: the namespace is the restored init's.  */
  if (fd < 0 || sys_pidfd_send_signal (rs->pidfd, 0) < 0)
    return berth_error_sys (err, "the restored init's network namespace");
  if (net_restore_veth (cfg, fd, &rs->net, err) < 0)
    return berth_error_wrap (err, "veth %s", cfg->veth);
  return 0;
}

static int
do_restore (const restore_opts *o, restoring *rs, pid_t *pid_out,
            berth_error **err)
{
  cleanup_free char *bundle = NULL;
  cleanup_free char *rootfs = NULL;
  cleanup_free char *config_path = NULL;
  cleanup_free char *config_json = NULL;
  cleanup_close int image_fd = -1;
  cleanup_close int work_fd = -1;
  cleanup_close int cg_fd = -1;
  const char *image_path = o->image_path ? o->image_path : "checkpoint";
  const char *log_dir = o->work_path ? o->work_path : image_path;
  int ns_fds[CRIU_NS_FDS] = { -1, -1 };
  oci_config *config = NULL;
  oci_state *state = NULL;
  criu_opts *copts = NULL;
  validate_opts vopts = { 0 };
  config_verdict verdict;
  size_t config_len;
  pid_t pid;
  int ret = -1, r;

  if (container_id_validate (o->id, err) < 0
      || resolve_bundle (o->bundle, &bundle, err) < 0)
    return -1;
  config_path = xasprintf ("%s/config.json", bundle);
  if (read_file_at_max (AT_FDCWD, config_path, OCI_JSON_MAX_SIZE,
                        &config_json, &config_len, err)
      < 0)
    return -1;
  config = oci_config_parse (config_json, config_len, "config.json", err);
  if (config == NULL)
    return -1;
  if (config->process && config->process->terminal && !o->console_socket)
    {
      berth_error_set (err, 0, "config.json: process.terminal: restore "
                               "needs --console-socket");
      goto out;
    }
  /* Judged as create judges it, before anything is made.  */
  vopts.console_socket = o->console_socket;
  vopts.foreground = !o->detach;
  if (container_config_validate (config, &vopts, &verdict, err) < 0)
    goto out;
  if (verdict.net.n_devices)
    {
      /* As checkpoint refuses them: a device moved in is not CRIU's to
         make.  */
      berth_error_set (err, ENOTSUP, "config.json: linux.netDevices: "
                                     "restore cannot move devices into the "
                                     "container");
      goto out;
    }
  if (resolve_rootfs (bundle, config, &rootfs, err) < 0)
    goto out;
  if (o->console_socket)
    {
      console_path = o->console_socket;
      console_sock = console_socket_connect (o->console_socket, err);
      if (console_sock < 0)
        goto out;
    }
  rs->cg = cgroup_manager_new (config->linux_ ? config->linux_->cgroups_path
                                              : NULL,
                               o->id, err);
  if (rs->cg == NULL)
    goto out;
  if (criu_session_open (&copts, image_path, false, o->work_path,
                         CRIU_RESTORE_LOG, &image_fd, &work_fd, err)
      < 0)
    goto out;
  if (inherit_stdio (copts, image_fd, err) < 0)
    goto out;

  /* From here on the state dir exists: every failure removes it.  */
  rs->root_fd = state_root_open (o->root, true, err);
  if (rs->root_fd < 0)
    goto out;
  rs->dir_fd = state_dir_create (rs->root_fd, o->id, err);
  if (rs->dir_fd < 0)
    goto out;
  if (write_file_atomic_at (rs->dir_fd, CONFIG_COPY, config_json, config_len,
                            0600, err)
      < 0
      || restore_record (rs, o->id, 0, err) < 0)
    goto out;
  if (cgroup_setup (rs->cg, config, &rs->cg_created, &cg_fd, err) < 0)
    goto out;

  /* CRIU wants the root as a mount point of its own.  */
  {
    char abs_root[PATH_MAX];
    if (realpath (o->root, abs_root) == NULL)
      {
        berth_error_sys (err, "--root %s", o->root);
        goto out;
      }
    rs->criu_root = xasprintf ("%s/%s/" STATE_CRIU_ROOT, abs_root, o->id);
  }
  if (mkdir (rs->criu_root, 0700) < 0
      || mount (rootfs, rs->criu_root, NULL, MS_BIND | MS_REC, NULL) < 0)
    {
      berth_error_sys (err, "bind %s for CRIU", rootfs);
      rmdir (rs->criu_root);
      free (rs->criu_root);
      rs->criu_root = NULL;
      goto out;
    }
  if (criu_local_set_root (copts, rs->criu_root) < 0
      || criu_add_config_mounts (copts, config, bundle, true, err) < 0
      || criu_add_config_namespaces (copts, config, true, ns_fds, err) < 0
      || add_cgroup_roots (copts, rs->cg, err) < 0)
    {
      if (*err == NULL)
        berth_error_set (err, ENOMEM, "libcriu: root %s", rs->criu_root);
      goto out;
    }
  if (o->lsm_profile
      && (r = criu_local_set_lsm_profile (copts, o->lsm_profile)) < 0)
    {
      berth_error_set (err, -r, "libcriu: --lsm-profile %s", o->lsm_profile);
      goto out;
    }
  if (o->lsm_mount_context
      && (r = criu_local_set_lsm_mount_context (copts, o->lsm_mount_context))
             < 0)
    {
      berth_error_set (err, -r, "libcriu: --lsm-mount-context %s",
                       o->lsm_mount_context);
      goto out;
    }
  /* The veth's inside end comes back from the image; CRIU makes its
     outside end, under the configured name, in our namespace.  */
  if (verdict.net.veth
      && (r = criu_local_add_veth_pair (copts, verdict.net.name,
                                        verdict.net.veth))
             < 0)
    {
      berth_error_set (err, -r, "libcriu: veth pair %s=%s",
                       verdict.net.name, verdict.net.veth);
      goto out;
    }
  if (criu_session_flags (copts, &o->flags, err) < 0)
    goto out;
  criu_local_set_orphan_pts_master (copts, true);
  criu_local_set_notify_cb (copts, notify);

  /* The restored tree's root comes back as our child (libcriu's
     rst_sibling), as a created init is.  */
  pid = criu_local_restore_child (copts);
  if (pid <= 0)
    {
      if (console_err)
        {
          *err = console_err;
          console_err = NULL;
        }
      else
        criu_fail (err, "criu restore", pid, log_dir, CRIU_RESTORE_LOG);
      goto out;
    }
  rs->pidfd = sys_pidfd_open (pid);
  if (rs->pidfd < 0)
    {
      berth_error_sys (err, "pidfd_open of the restored init %d", (int) pid);
      kill (pid, SIGKILL);
      waitpid (pid, NULL, 0);
      goto out;
    }
  if (verdict.net.veth && restore_veth (&verdict.net, rs, pid, err) < 0)
    goto out;
  state = new_state (o->id, pid, bundle, rootfs, config, rs->cg);
  /* Lent to the state until it is saved: a failure before then leaves the
     pair to undo().  */
  state->net = rs->net;
  if (restore_record (rs, o->id, pid, err) < 0
      || state_save (rs->dir_fd, state, err) < 0
      || write_pid_file (o->pid_file, pid, err) < 0)
    {
      state->net = NULL;
      goto out;
    }
  rs->net = NULL;
  *pid_out = pid;
  ret = 0;
out:
  criu_close_ns_fds (ns_fds);
  if (rs->criu_root)
    {
      /* CRIU has pivoted the tasks into their own mount namespace: this
         mount is only ours.  */
      if (umount2 (rs->criu_root, MNT_DETACH) < 0)
        berth_warn ("umount %s: %s", rs->criu_root, strerror (errno));
      rmdir (rs->criu_root);
    }
  if (copts)
    criu_local_free_opts (copts);
  oci_state_free (state);
  oci_config_free (config);
  return ret;
}

int
container_restore (const restore_opts *o, int *exit_code, berth_error **err)
{
  restoring rs = { .root_fd = -1, .dir_fd = -1, .pidfd = -1 };
  sigset_t all, old;
  pid_t pid = 0;
  int ret;

  *exit_code = 0;
  if (geteuid () != 0)
    return berth_error_set (err, EPERM, "restore needs root (CRIU)");
  sigfillset (&all);
  sigdelset (&all, SIGSEGV);
  sigdelset (&all, SIGBUS);
  sigdelset (&all, SIGILL);
  sigdelset (&all, SIGFPE);
  if (!o->detach)
    {
      sigprocmask (SIG_BLOCK, &all, &old);
      /* As runc's restore and berth's run: what the container orphans
         outside a pid namespace of its own comes back to berth, not to
         the host's init.  The restored init itself is our child either
         way (libcriu restores it as a sibling of CRIU).  */
      if (!o->no_subreaper)
        prctl (PR_SET_CHILD_SUBREAPER, 1);
    }
  ret = do_restore (o, &rs, &pid, err);
  if (ret < 0)
    undo (&rs, o->id);
  else if (!o->detach)
    {
      /* As run in the foreground: other berth commands may act on it
         meanwhile.  */
      close (rs.dir_fd);
      rs.dir_fd = -1;
      ret = forward_and_wait (rs.pidfd, &all, exit_code, err);
      if (ret == 0)
        ret = container_delete_force_id (o->root, o->id, NULL, err);
    }
  if (!o->detach)
    sigprocmask (SIG_SETMASK, &old, NULL);
  if (rs.pidfd >= 0)
    close (rs.pidfd);
  if (rs.dir_fd >= 0)
    close (rs.dir_fd);
  if (rs.root_fd >= 0)
    close (rs.root_fd);
  cgroup_manager_free (rs.cg);
  oci_net_state_free (rs.net);
  free (rs.criu_root);
  if (console_sock >= 0)
    close (console_sock);
  return ret;
}
