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
#include "libcontainer/criu/criu-masks.h"
#include "libcontainer/network/net-setup.h"
#include "libcontainer/network/netns-prepare.h"
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
  char *criu_masks; /* the masking tmpfs CRIU binds (criu-masks.h) */
  bool masks_mounted;
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
   carry of the veth pair (libcontainer/network/net-setup.h); or, made by
   berth (`adopt`, netns-prepare.h), its pair is recorded and put on the
   network.  */
static int
restore_veth (const net_config *cfg, restoring *rs, pid_t pid, bool adopt,
              berth_error **err)
{
  char path[64];
  cleanup_close int fd = -1;

  snprintf (path, sizeof path, "/proc/%d/ns/net", (int) pid);
  fd = open (path, O_RDONLY | O_CLOEXEC);
  /* The pidfd pins the pid: the namespace is the restored init's.  */
  if (fd < 0 || sys_pidfd_send_signal (rs->pidfd, 0) < 0)
    return berth_error_sys (err, "the restored init's network namespace");
  if ((adopt ? net_adopt_veth (cfg, fd, &rs->net, err)
             : net_restore_veth (cfg, fd, &rs->net, err))
      < 0)
    return berth_error_wrap (err, "veth %s", cfg->veth);
  return 0;
}

/* What the steps of a restore share, besides what a failure undoes
   (restoring).  */
typedef struct restore_in
{
  char *bundle;
  char *rootfs;
  char *config_json;
  size_t config_len;
  oci_config *config;
  config_verdict verdict;
  criu_opts *copts;
  const char *image_path;
  const char *log_dir;
  int image_fd;
  int work_fd;
  int cg_fd;
  int ns_fds[CRIU_NS_FDS];
  bool netns_external; /* the images' network namespace is berth's */
  int netns_made;      /* made here for them (netns-prepare.h); -1 */
  int netns_criu;      /* the copy CRIU inherits; -1 */
} restore_in;

static void
restore_in_free (restore_in *in, bool failed)
{
  criu_close_ns_fds (in->ns_fds);
  if (in->netns_criu >= 0)
    close (in->netns_criu);
  /* Restored, the namespace lives on in the container.  */
  if (failed && in->config)
    netns_discard (in->config, &in->netns_made);
  else if (in->netns_made >= 0)
    close (in->netns_made);
  if (in->copts)
    criu_local_free_opts (in->copts);
  if (in->image_fd >= 0)
    close (in->image_fd);
  if (in->work_fd >= 0)
    close (in->work_fd);
  if (in->cg_fd >= 0)
    close (in->cg_fd);
  oci_config_free (in->config);
  free (in->bundle);
  free (in->rootfs);
  free (in->config_json);
}

/* config.json read and judged as create judges it, before anything is
   made.  */
static int
load_config (const restore_opts *o, restore_in *in, berth_error **err)
{
  cleanup_free char *config_path = NULL;
  validate_opts vopts = { 0 };

  if (container_id_validate (o->id, err) < 0
      || resolve_bundle (o->bundle, &in->bundle, err) < 0)
    return -1;
  config_path = xasprintf ("%s/config.json", in->bundle);
  if (read_file_at_max (AT_FDCWD, config_path, OCI_JSON_MAX_SIZE,
                        &in->config_json, &in->config_len, err)
      < 0)
    return -1;
  in->config = oci_config_parse (in->config_json, in->config_len,
                                 "config.json", err);
  if (in->config == NULL)
    return -1;
  if (in->config->process && in->config->process->terminal
      && !o->console_socket)
    return berth_error_set (err, 0, "config.json: process.terminal: "
                                    "restore needs --console-socket");
  vopts.console_socket = o->console_socket;
  vopts.foreground = !o->detach;
  if (container_config_validate (in->config, &vopts, &in->verdict, err) < 0)
    return -1;
  /* As checkpoint refuses them: a device moved in is not CRIU's to
     make.  */
  if (in->verdict.net.n_devices)
    return berth_error_set (err, ENOTSUP, "config.json: linux.netDevices: "
                                          "restore cannot move devices into "
                                          "the container");
  return resolve_rootfs (in->bundle, in->config, &in->rootfs, err);
}

/* The console socket, the cgroup manager, CRIU's session over the images
   and the stdio the restored init takes from us.  */
static int
open_session (const restore_opts *o, restoring *rs, restore_in *in,
              berth_error **err)
{
  if (o->console_socket)
    {
      console_path = o->console_socket;
      console_sock = console_socket_connect (o->console_socket, err);
      if (console_sock < 0)
        return -1;
    }
  rs->cg = cgroup_manager_new (in->config->linux_
                                   ? in->config->linux_->cgroups_path
                                   : NULL,
                               o->id, err);
  if (rs->cg == NULL)
    return -1;
  if (criu_session_open (&in->copts, in->image_path, false, o->work_path,
                         CRIU_RESTORE_LOG, &in->image_fd, &in->work_fd, err)
      < 0)
    return -1;
  return inherit_stdio (in->copts, in->image_fd, err);
}

/* The state dir with the config's copy and the lifecycle record, then
   the cgroup: from here on every failure removes them (undo).  */
static int
make_record (const restore_opts *o, restoring *rs, restore_in *in,
             berth_error **err)
{
  rs->root_fd = state_root_open (o->root, true, err);
  if (rs->root_fd < 0)
    return -1;
  rs->dir_fd = state_dir_create (rs->root_fd, o->id, err);
  if (rs->dir_fd < 0)
    return -1;
  if (write_file_atomic_at (rs->dir_fd, CONFIG_COPY, in->config_json,
                            in->config_len, 0600, err)
          < 0
      || restore_record (rs, o->id, 0, err) < 0)
    return -1;
  return cgroup_setup (rs->cg, in->config, &rs->cg_created, &in->cg_fd, err);
}

/* CRIU wants the root as a mount point of its own.  */
static int
bind_root (const restore_opts *o, restoring *rs, const char *rootfs,
           berth_error **err)
{
  char abs_root[PATH_MAX];

  if (realpath (o->root, abs_root) == NULL)
    return berth_error_sys (err, "--root %s", o->root);
  rs->criu_root = xasprintf ("%s/%s/" STATE_CRIU_ROOT, abs_root, o->id);
  rs->criu_masks = xasprintf ("%s/%s/" STATE_CRIU_MASKS, abs_root, o->id);
  if (mkdir (rs->criu_root, 0700) < 0
      || mount (rootfs, rs->criu_root, NULL, MS_BIND | MS_REC, NULL) < 0)
    {
      berth_error_sys (err, "bind %s for CRIU", rootfs);
      rmdir (rs->criu_root);
      free (rs->criu_root);
      rs->criu_root = NULL;
      return -1;
    }
  return 0;
}

/* Images whose network namespace was left out of them
   (CRIU_NETNS_EXTERNAL) get the one made ahead for them
   (flags.netns_fd), or one made here with the MAC they recorded; CRIU
   inherits it.  Other images carry the namespace, and CRIU makes the
   veth's outside end under its configured name in ours.  */
static int
criu_network (const restore_opts *o, restore_in *in, berth_error **err)
{
  const net_config *net = &in->verdict.net;
  cleanup_free char *text = NULL;
  berth_error *none = NULL;
  unsigned char mac[6];
  size_t len;
  int r;

  if (read_file_at_max (in->image_fd, CRIU_NETNS_EXTERNAL, 64, &text, &len,
                        &none)
      < 0)
    {
      berth_error_free (none);
      if (net->veth
          && (r = criu_local_add_veth_pair (in->copts, net->name, net->veth))
                 < 0)
        return berth_error_set (err, -r, "libcriu: veth pair %s=%s",
                                net->name, net->veth);
      return 0;
    }
  in->netns_external = true;
  if (!o->flags.has_netns_fd)
    {
      text[strcspn (text, "\n")] = '\0';
      if (net_mac_parse (text, mac, err) < 0)
        return berth_error_wrap (err, "image: %s", CRIU_NETNS_EXTERNAL);
      if (netns_prepare (in->config, mac, &in->netns_made, err) < 0)
        return -1;
    }
  /* Not O_CLOEXEC: CRIU (the swrk child libcriu forks) inherits it.  */
  in->netns_criu = fcntl (o->flags.has_netns_fd ? o->flags.netns_fd
                                                : in->netns_made,
                          F_DUPFD, 3);
  if (in->netns_criu < 0)
    return berth_error_sys (err, "the container's network namespace");
  r = criu_local_add_inherit_fd (in->copts, in->netns_criu, CRIU_EXT_NETNS);
  if (r < 0)
    return berth_error_set (err, -r, "libcriu: inherit fd %s",
                            CRIU_EXT_NETNS);
  /* No lock to lift: the namespace came without CRIU's, and nothing
     reaches it while its veth's outside end is down (net_adopt_veth
     brings it up once CRIU is done).  CRIU lifts its lock at the end all
     the same; with nftables that is one failed call in its own process,
     not two iptables-restore runs.  */
  r = criu_local_set_network_lock (in->copts, CRIU_NETWORK_LOCK_NFTABLES);
  if (r < 0)
    return berth_error_set (err, -r, "libcriu: network lock nftables");
  return 0;
}

/* Everything CRIU is told besides the images: the root, the external
   mounts and namespaces, the cgroup, the LSM, the network, the flags,
   the console.  */
static int
criu_options (const restore_opts *o, restoring *rs, restore_in *in,
              berth_error **err)
{
  int r;

  if (criu_local_set_root (in->copts, rs->criu_root) < 0)
    return berth_error_set (err, ENOMEM, "libcriu: root %s", rs->criu_root);
  if (criu_add_config_mounts (in->copts, in->config, in->bundle, true, err)
          < 0
      || criu_add_config_namespaces (in->copts, in->config, true, in->ns_fds,
                                     err)
             < 0
      || add_cgroup_roots (in->copts, rs->cg, err) < 0)
    return -1;
  if (o->lsm_profile
      && (r = criu_local_set_lsm_profile (in->copts, o->lsm_profile)) < 0)
    return berth_error_set (err, -r, "libcriu: --lsm-profile %s",
                            o->lsm_profile);
  if (o->lsm_mount_context
      && (r = criu_local_set_lsm_mount_context (in->copts,
                                                o->lsm_mount_context))
             < 0)
    return berth_error_set (err, -r, "libcriu: --lsm-mount-context %s",
                            o->lsm_mount_context);
  if (criu_masks_restore (in->copts, in->image_fd, rs->criu_masks,
                          &rs->masks_mounted, err)
          < 0
      || criu_network (o, in, err) < 0
      || criu_session_flags (in->copts, &o->flags, err) < 0)
    return -1;
  criu_local_set_orphan_pts_master (in->copts, true);
  criu_local_set_notify_cb (in->copts, notify);
  return 0;
}

/* CRIU's restore: the restored tree's root comes back as our child
   (libcriu's rst_sibling), as a created init is, held by rs->pidfd.  */
static int
run_criu (restoring *rs, restore_in *in, pid_t *pid_out, berth_error **err)
{
  pid_t pid = criu_local_restore_child (in->copts);

  if (pid <= 0)
    {
      if (console_err)
        {
          *err = console_err;
          console_err = NULL;
          return -1;
        }
      return criu_fail (err, "criu restore", pid, in->log_dir,
                        CRIU_RESTORE_LOG);
    }
  rs->pidfd = sys_pidfd_open (pid);
  if (rs->pidfd < 0)
    {
      berth_error_sys (err, "pidfd_open of the restored init %d", (int) pid);
      kill (pid, SIGKILL);
      waitpid (pid, NULL, 0);
      return -1;
    }
  *pid_out = pid;
  return 0;
}

/* The veth pair given back, then the state saved: the container is
   berth's.  */
static int
save_restored (const restore_opts *o, restoring *rs, restore_in *in,
               pid_t pid, berth_error **err)
{
  oci_state *state;
  int ret = -1;

  if (in->verdict.net.veth
      && restore_veth (&in->verdict.net, rs, pid, in->netns_external, err)
             < 0)
    return -1;
  state = new_state (o->id, pid, in->bundle, in->rootfs, in->config, rs->cg);
  /* Lent to the state until it is saved: a failure before then leaves the
     pair to undo().  */
  state->net = rs->net;
  if (restore_record (rs, o->id, pid, err) == 0
      && state_save (rs->dir_fd, state, err) == 0
      && write_pid_file (o->pid_file, pid, err) == 0)
    {
      rs->net = NULL;
      ret = 0;
    }
  else
    state->net = NULL;
  oci_state_free (state);
  return ret;
}

static int
do_restore (const restore_opts *o, restoring *rs, pid_t *pid_out,
            berth_error **err)
{
  restore_in in = { .image_fd = -1,
                    .work_fd = -1,
                    .cg_fd = -1,
                    .ns_fds = { -1, -1 },
                    .netns_made = -1,
                    .netns_criu = -1 };
  pid_t pid = 0;
  int ret = -1;

  in.image_path = o->image_path ? o->image_path : "checkpoint";
  in.log_dir = o->work_path ? o->work_path : in.image_path;
  if (load_config (o, &in, err) == 0 && open_session (o, rs, &in, err) == 0
      && make_record (o, rs, &in, err) == 0
      && bind_root (o, rs, in.rootfs, err) == 0
      && criu_options (o, rs, &in, err) == 0
      && run_criu (rs, &in, &pid, err) == 0
      && save_restored (o, rs, &in, pid, err) == 0)
    {
      *pid_out = pid;
      ret = 0;
    }
  if (rs->criu_root)
    {
      /* CRIU has pivoted the tasks into their own mount namespace: this
         mount is only ours.  */
      if (umount2 (rs->criu_root, MNT_DETACH) < 0)
        berth_warn ("umount %s: %s", rs->criu_root, strerror (errno));
      rmdir (rs->criu_root);
    }
  if (rs->criu_masks)
    criu_masks_undo (rs->criu_masks, &rs->masks_mounted);
  restore_in_free (&in, ret < 0);
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
  free (rs.criu_masks);
  if (console_sock >= 0)
    close (console_sock);
  return ret;
}
