/* berth: the parent side of the lifecycle: create, start, run.  The init
 * side is init.c; kill, delete and list are kill.c, delete.c and list.c.  */
#include "libcontainer/lifecycle/container.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/sched.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroups/manager.h"
#include "libcontainer/lifecycle/cgroup-setup.h"
#include "base/pidfd.h"
#include "base/cleanup.h"
#include "libcontainer/lifecycle/container-internal.h"
#include "libcontainer/lifecycle/handle.h"
#include "libcontainer/network/container-net.h"
#include "libcontainer/lifecycle/hooks.h"
#include "libcontainer/lifecycle/init.h"
#include "base/log.h"
#include "libcontainer/process/lsm.h"
#include "libcontainer/rootfs/mount-options.h"
#include "libcontainer/rootfs/mount-sources.h"
#include "libcontainer/lifecycle/id-maps.h"
#include "libcontainer/lifecycle/namespaces.h"
#include "libcontainer/lifecycle/record.h"
#include "libcontainer/process/pass-fds.h"
#include "libcontainer/network/net-setup.h"
#include "libcontainer/process/process.h"
#include "libcontainer/process/procfs.h"
#include "libcontainer/process/seccomp-cache.h"
#include "libcontainer/process/seccomp.h"
#include "libcontainer/lifecycle/state.h"
#include "libcontainer/lifecycle/validate.h"
#include "libcontainer/rootfs/host-mounts.h"
#include "libcontainer/lifecycle/sync.h"
#include "libcontainer/process/pidfd-socket.h"
#include "libcontainer/process/terminal.h"
#include "base/utils.h"
#include "oci-spec/config.h"

/* ---- create ------------------------------------------------------------ */

/* Everything create made that a failure must undo.  */
typedef struct created
{
  int root_fd;
  int dir_fd;        /* locked state dir */
  char *id;
  pid_t pid;         /* the init, in our pid namespace */
  pid_t pid_start_of;           /* the pid pid_start is of */
  unsigned long long pid_start; /* its start time (proc_start_time), read
                                   once for the record and the state */
  int pidfd;
  oci_config *config;
  container_ctx ctx;
  oci_state *state;
  bool hook_failed;  /* a create-phase hook failed: poststop must run */
  cgroup_manager *cg;
  bool cg_created;   /* the cgroup exists: a failure destroys it */
  int cg_fd;         /* v2: for CLONE_INTO_CGROUP; -1 otherwise */
  cgroup_join cg_join; /* v1: what the init moves itself in with */
  bool cg_enter;     /* else the parent moves it (->enter) */
  bool cg_after_clone; /* made (v1) or applied (v2) after clone: the init
                          waits for it (SYNC_CGROUP_ACK) */
  int console_sock;  /* connected --console-socket, or -1 */
  const char *console_path;
  int console_master; /* run -t in the foreground: the pty to proxy */
  net_config net_cfg;
  oci_net_state *net; /* what the network setup made, until in state */
  bool host_mounts;   /* no mount namespace: mounts made on the host */
  host_mount_set mounts_before; /* then: those there before clone */
  bool new_pid_ns;    /* the init has a pid namespace of its own */
  bool start_sent;    /* `run`: SYNC_STATE_SAVED said "start" too */
  bool state_published; /* the state is saved and the init told so */
  const char *pid_file; /* the --pid-file written, which a failure removes */
} created;

/* Nothing made yet: every fd -1.  */
static void
created_init (created *c)
{
  memset (c, 0, sizeof *c);
  c->root_fd = c->dir_fd = c->pidfd = c->cg_fd = -1;
  c->console_sock = c->console_master = -1;
  cgroup_join_init (&c->cg_join);
  c->ctx.host_proc_fd = c->ctx.fifo_fd = c->ctx.sync_fd = -1;
  c->ctx.fs_root = -1;
}

static void
created_release (created *c)
{
  /* Opened one after the other (procfs, state root, fifo, sync
     socket...): one close_range per run of consecutive numbers.  */
  int fds[] = { c->pidfd,           c->dir_fd,       c->root_fd,
                c->ctx.host_proc_fd, c->ctx.fifo_fd, c->ctx.sync_fd };

  close_fds (fds, sizeof fds / sizeof fds[0]);
  c->pidfd = c->dir_fd = c->root_fd = -1;
  c->ctx.host_proc_fd = c->ctx.fifo_fd = c->ctx.sync_fd = -1;
  mount_sources_close (c->ctx.bind_fds, c->config ? c->config->n_mounts : 0);
  c->ctx.bind_fds = NULL;
  if (c->cg_fd >= 0)
    close (c->cg_fd);
  cgroup_join_close (&c->cg_join);
  if (c->console_sock >= 0)
    close (c->console_sock);
  if (c->console_master >= 0)
    close (c->console_master);
  cgroup_manager_free (c->cg);
  oci_net_state_free (c->net);
  host_mount_set_release (&c->mounts_before);
  free (c->ctx.bundle);
  free (c->ctx.rootfs);
  free (c->ctx.state_dir);
  oci_config_free (c->config);
  oci_state_free (c->state);
  free (c->id);
  created_init (c);
}

/* Undoes a failed create: the init (and with it every mount, which live
   only in its mount namespace) and the state dir.  */
static void
created_abort (created *c)
{
  berth_error *e = NULL;

  /* While the init lives: its namespace still holds the devices.  */
  container_net_undo (c->net ? c->net : c->state ? c->state->net : NULL,
                      c->pid, c->pidfd, true);
  if (c->pidfd >= 0)
    {
      sys_pidfd_send_signal (c->pidfd, SIGKILL);
      wait_pidfd_exit (c->pidfd);
      waitpid (c->pid, NULL, WNOHANG);
    }
  if (c->cg_created)
    {
      if (c->cg->ops->destroy (c->cg, &e) < 0)
        {
          berth_warn ("%s", e->msg);
          berth_error_clear (&e);
        }
    }
  else if (c->cg_after_clone)
    /* Only what was made for the clone: ->create undid its own.  */
    c->cg->ops->remove_for_clone (c->cg);
  if (c->host_mounts)
    {
      const char *dirs[] = { c->ctx.rootfs, c->ctx.state_dir };
      host_mounts_undo_new (dirs, 2, &c->mounts_before);
    }
  if (c->pid_file)
    unlink (c->pid_file);
  if (c->root_fd >= 0 && c->id && c->dir_fd >= 0)
    {
      if (state_dir_remove (c->root_fd, c->id, &e) < 0)
        {
          berth_warn ("%s", e->msg);
          berth_error_free (e);
        }
    }
  /* runtime.md: a failing prestart/createRuntime/createContainer hook
     stops the container and the lifecycle goes on at destroy, then
     poststop.  */
  if (c->hook_failed && c->config
      && c->config->hooks.n_hooks[OCI_HOOK_POSTSTOP])
    {
      cleanup_free char *json
          = init_state_json (&c->ctx, OCI_STATUS_STOPPED, c->pid);
      hooks_run_warn (c->config->hooks.hooks[OCI_HOOK_POSTSTOP],
                      c->config->hooks.n_hooks[OCI_HOOK_POSTSTOP],
                      OCI_HOOK_POSTSTOP, json);
    }
}

/* The init's start time, read once per pid (the slow path's init is not
   the first child).  */
static unsigned long long
init_start_time (created *c)
{
  if (c->pid_start_of != c->pid)
    {
      c->pid_start = proc_start_time (c->pid, NULL);
      c->pid_start_of = c->pid;
    }
  return c->pid_start;
}

/* Rewrites the lifecycle record with what exists so far: called before
   the cgroup is made, then as the init and the veth come to exist, so a
   create killed at any point leaves `delete --force` a full account.  */
static int
created_record (created *c, berth_error **err)
{
  oci_record r = { .id = c->id, .pid = c->pid, .net = c->net };
  char *dirs[] = { c->ctx.rootfs, c->ctx.state_dir };
  cleanup_free uint32_t *before = NULL;

  if (c->host_mounts)
    {
      before = xmalloc0 (sizeof (*before) * (c->mounts_before.n + 1));
      for (size_t i = 0; i < c->mounts_before.n; i++)
        before[i] = (uint32_t) c->mounts_before.ids[i];
      r.host_mount_dirs = dirs;
      r.n_host_mount_dirs = 2;
      r.host_mounts_before = before;
      r.n_host_mounts_before = c->mounts_before.n;
    }
  if (c->cg)
    {
      r.cgroup_mode = (int32_t) c->cg->mode;
      r.cgroup_state = c->cg->state;
    }
  if (c->pid > 0)
    r.pid_start_time = init_start_time (c);
  if (record_save (c->dir_fd, &r, err) < 0)
    return berth_error_wrap (err, "container \"%s\": lifecycle record",
                             c->id);
  return 0;
}

/* The init died before it was ready: when the memory limit's OOM killer
   did it, say so (the kernel counted it in the cgroup) instead of only
   "exited unexpectedly", or the broken pipe or reset of a message sent
   to it (on v2 the limit is written once the init is in its cgroup: a
   limit below what it uses kills it then).  */
static void
name_oom_kill (created *c, berth_error **err)
{
  berth_error *e = NULL;
  cgroup_stats st;
  const oci_resources *r = c->config->linux_ ? c->config->linux_->resources
                                             : NULL;

  if (!c->cg_created || *err == NULL
      || (strstr ((*err)->msg, "exited unexpectedly") == NULL
          && (*err)->errnum != EPIPE && (*err)->errnum != ECONNRESET))
    return;
  if (c->cg->ops->stats (c->cg, &st, &e) < 0)
    {
      berth_error_free (e);
      return;
    }
  if (st.memory_oom_events == 0)
    return;
  berth_error_clear (err);
  if (r && r->memory && r->memory->has_limit)
    berth_error_set (err, 0, "container init was killed by the OOM killer "
                             "before it was ready: "
                             "linux.resources.memory.limit (%lld bytes) is "
                             "too low",
                     (long long) r->memory->limit);
  else
    berth_error_set (err, 0, "container init was killed by the OOM killer "
                             "before it was ready (the cgroup's memory "
                             "limit)");
}

int
resolve_bundle (const char *bundle, char **out, berth_error **err)
{
  char buf[PATH_MAX];
  struct stat st;

  if (realpath (bundle ? bundle : ".", buf) == NULL)
    return berth_error_sys (err, "bundle %s", bundle ? bundle : ".");
  if (stat (buf, &st) < 0 || !S_ISDIR (st.st_mode))
    return berth_error_set (err, ENOTDIR, "bundle %s", buf);
  *out = xstrdup (buf);
  return 0;
}

int
resolve_rootfs (const char *bundle, const oci_config *config, char **out,
                berth_error **err)
{
  char buf[PATH_MAX];
  cleanup_free char *joined = NULL;
  struct stat st;

  if (config->root.path == NULL || config->root.path[0] == '\0')
    return berth_error_set (err, 0, "config.json: root.path: missing "
                                    "(required)");
  joined = config->root.path[0] == '/'
               ? xstrdup (config->root.path)
               : xasprintf ("%s/%s", bundle, config->root.path);
  /* A plain name in the bundle (root.path "rootfs", the usual case) that
     is a directory and no symlink: the bundle is canonical already
     (resolve_bundle), so that is the canonical path.  One lstat instead
     of realpath's readlink per component and a stat.  */
  if (strchr (config->root.path, '/') == NULL
      && strcmp (config->root.path, ".") != 0
      && strcmp (config->root.path, "..") != 0
      && lstat (joined, &st) == 0 && S_ISDIR (st.st_mode))
    {
      *out = steal_pointer (&joined);
      return 0;
    }
  if (realpath (joined, buf) == NULL)
    return berth_error_sys (err, "root.path: rootfs %s", joined);
  if (stat (buf, &st) < 0 || !S_ISDIR (st.st_mode))
    return berth_error_set (err, ENOTDIR, "root.path: rootfs %s", buf);
  *out = xstrdup (buf);
  return 0;
}

/* One clone3 with every new namespace; with `cgroup_fd` the child starts
   in its cgroup (CLONE_INTO_CGROUP), so no code of it runs elsewhere.  */
pid_t
clone_init (unsigned long flags, int cgroup_fd, int *pidfd)
{
  struct clone_args args;

  memset (&args, 0, sizeof args);
  args.flags = flags | CLONE_PIDFD;
  args.pidfd = (uint64_t) (uintptr_t) pidfd;
  args.exit_signal = SIGCHLD;
  if (cgroup_fd >= 0)
    {
      args.flags |= CLONE_INTO_CGROUP;
      args.cgroup = (uint64_t) cgroup_fd;
    }
  return (pid_t) syscall (SYS_clone3, &args, sizeof args);
}

static int
run_parent_hooks (created *c, oci_hook_kind kind, oci_status status,
                  berth_error **err)
{
  const oci_hooks *h = &c->config->hooks;
  cleanup_free char *json = NULL;

  if (h->n_hooks[kind] == 0)
    return 0;
  json = init_state_json (&c->ctx, status, c->pid);
  return hooks_run (h->hooks[kind], h->n_hooks[kind], kind, json, err);
}

int
write_pid_file (const char *path, pid_t pid, berth_error **err)
{
  char buf[32];
  cleanup_free char *dir = NULL;
  cleanup_free char *base = NULL;
  cleanup_close int dfd = -1;
  char *slash;
  int n;

  if (path == NULL)
    return 0;
  /* Written as runc: the number without a newline, atomically.  */
  n = snprintf (buf, sizeof buf, "%d", (int) pid);
  dir = xstrdup (path);
  slash = strrchr (dir, '/');
  if (slash == NULL)
    {
      base = xstrdup (path);
      free (dir);
      dir = xstrdup (".");
    }
  else
    {
      base = xstrdup (slash + 1);
      if (slash == dir)
        slash[1] = '\0';
      else
        *slash = '\0';
    }
  dfd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0)
    return berth_error_sys (err, "pid file %s", path);
  if (write_file_atomic_at (dfd, base, buf, (size_t) n, 0644, err) < 0)
    return berth_error_wrap (err, "pid file %s", path);
  return 0;
}

/* The pty master from the init: to the console socket, or kept for
   `run` to proxy.  */
static int
receive_terminal (created *c, berth_error **err)
{
  cleanup_close int master = -1;
  int ret = sync_expect_fd (c->ctx.sync_fd, SYNC_CONSOLE, &master, err);

  if (ret < 0)
    return -1;
  if (c->console_sock < 0)
    {
      /* The pty stands in for berth's terminal from the start, as exec's
         does: the init is released before the proxy runs, and a process
         that asks its size first (stty size) must not find 0x0.  */
      if (!c->config->process->has_console_size)
        terminal_copy_size (master);
      c->console_master = steal_fd (&master);
      return 0;
    }
  if (console_socket_send (c->console_sock, master, c->console_path, err)
      < 0)
    return -1;
  /* Done with it: the receiver sees the end of the stream now.  */
  close (c->console_sock);
  c->console_sock = -1;
  return 0;
}

/* The parent's half of the create protocol, after clone.  */
static int
parent_sync (created *c, ns_plan *plan, pid_t first, berth_error **err)
{
  const oci_hooks *h = &c->config->hooks;
  int sync = c->ctx.sync_fd;
  int v;

  if (plan->new_ns[OCI_NS_USER])
    {
      if (sync_expect (sync, SYNC_USERMAP_REQ, NULL, err) < 0)
        return -1;
      if (id_maps_write (first, c->config->linux_, err) < 0)
        return -1;
      if (sync_send (sync, SYNC_USERMAP_ACK, 0, err) < 0)
        return -1;
    }
  if (plan->slow_path)
    {
      /* The first child clones the init and exits.  */
      if (sync_expect (sync, SYNC_CHILD_PID, &v, err) < 0)
        return -1;
      waitpid (first, NULL, 0);
      close (c->pidfd);
      c->pid = v;
      c->pidfd = sys_pidfd_open (c->pid);
      if (c->pidfd < 0)
        return berth_error_sys (err, "pidfd_open %d", (int) c->pid);
      if (created_record (c, err) < 0)
        {
          sync_send_error (sync, *err);
          return -1;
        }
    }
  if (net_config_any (&c->net_cfg))
    {
      if (sync_expect (sync, SYNC_NET_REQ, NULL, err) < 0)
        return -1;
      if (container_net_create (&c->net_cfg, c->pid, c->pidfd, &c->net, err)
              < 0
          || created_record (c, err) < 0)
        {
          sync_send_error (sync, *err);
          return -1;
        }
      if (sync_send (sync, SYNC_NET_ACK, 0, err) < 0)
        return -1;
    }

  if (h->n_hooks[OCI_HOOK_PRESTART] || h->n_hooks[OCI_HOOK_CREATE_RUNTIME])
    {
      if (sync_expect (sync, SYNC_HOOKS_REQ, NULL, err) < 0)
        return -1;
      if (run_parent_hooks (c, OCI_HOOK_PRESTART, OCI_STATUS_CREATING, err)
                 < 0
          || run_parent_hooks (c, OCI_HOOK_CREATE_RUNTIME,
                               OCI_STATUS_CREATING, err)
                 < 0)
        {
          c->hook_failed = true;
          sync_send_error (sync, *err);
          return -1;
        }
      if (sync_send (sync, SYNC_HOOKS_ACK, 0, err) < 0)
        return -1;
    }
  /* A createContainer hook in the init fails before the terminal is made:
     either wait below ends with an error of kind BERTH_ERROR_HOOK.  */
  if ((c->config->process->terminal && receive_terminal (c, err) < 0)
      || sync_expect (sync, SYNC_READY, NULL, err) < 0)
    {
      c->hook_failed = berth_error_kind_of (*err) == BERTH_ERROR_HOOK;
      return -1;
    }
  return 0;
}

/* --pidfd-socket: the caller gets a copy of our pidfd of the process.  */
int
send_pidfd (const char *path, int pidfd, const char *kind, berth_error **err)
{
  cleanup_close int sock = pidfd_socket_connect (path, err);

  if (sock < 0)
    return -1;
  return pidfd_socket_send (sock, pidfd, kind, path, err);
}

/* What judging the config found: what the steps that make things use.  */
typedef struct judged_config
{
  char *json;              /* config.json's bytes, copied to the state dir */
  size_t len;
  config_verdict verdict;
  int n_pass;              /* --preserve-fds: how many fds the init gets */
  int n_listen;            /* of those, how many are listening sockets */
} judged_config;

static void
judged_config_release (judged_config *j)
{
  free (j->json);
  j->json = NULL;
}

#define cleanup_judged_config                                                 \
  __attribute__ ((cleanup (judged_config_release)))

/* Reads config.json and judges it whole (the validation pass) with the
   caller's options: nothing is made yet, so a failure undoes nothing.  */
static int
load_and_judge_config (const container_create_opts *opts, created *c,
                       judged_config *j, berth_error **err)
{
  cleanup_free char *config_path = NULL;
  validate_opts vopts;

  if (container_id_validate (opts->id, err) < 0)
    return -1;
  c->id = xstrdup (opts->id);
  if (resolve_bundle (opts->bundle, &c->ctx.bundle, err) < 0)
    return -1;
  config_path = xasprintf ("%s/config.json", c->ctx.bundle);
  if (read_file_at_max (AT_FDCWD, config_path, OCI_JSON_MAX_SIZE, &j->json,
                        &j->len, err)
      < 0)
    return -1;
  c->config = oci_config_parse (j->json, j->len, "config.json", err);
  if (c->config == NULL)
    return -1;
  vopts.console_socket = opts->console_socket;
  vopts.foreground = opts->foreground;
  if (container_config_validate (c->config, &vopts, &j->verdict, err) < 0)
    return -1;
  c->net_cfg = j->verdict.net;
  j->n_pass = pass_fds_count (opts->preserve_fds, &j->n_listen, err);
  if (j->n_pass < 0)
    return -1;
  return resolve_rootfs (c->ctx.bundle, c->config, &c->ctx.rootfs, err);
}

/* The container as the init and the parent see it, from the options, the
   config and the namespace plan.  */
static void
describe_container (const container_create_opts *opts, created *c,
                    const judged_config *j, init_args *args)
{
  const char *overlay_note
      = oci_config_annotation (c->config, OVERLAY_ANNOTATION);

  c->ctx.id = c->id;
  c->ctx.config = c->config;
  c->ctx.no_pivot = opts->no_pivot;
  c->ctx.no_new_keyring = opts->no_new_keyring;
  c->ctx.overlay = opts->overlay
                   || (overlay_note && strcmp (overlay_note, "true") == 0);
  c->ctx.userns = args->plan.new_ns[OCI_NS_USER]
                  || args->plan.join_fd[OCI_NS_USER] >= 0;
  c->ctx.new_mount_ns = args->plan.new_ns[OCI_NS_MOUNT];
  c->ctx.host_mount_ns = j->verdict.ns[OCI_NS_MOUNT] == NS_OWNER_HOST;
  c->ctx.new_net_ns = args->plan.new_ns[OCI_NS_NETWORK];
  c->ctx.new_uts_ns = args->plan.new_ns[OCI_NS_UTS];
  c->new_pid_ns = args->plan.new_ns[OCI_NS_PID];
  args->net_sync = net_config_any (&c->net_cfg);
  /* The namespace first: no geteuid without one.  */
  args->dumpable_until_maps
      = args->plan.new_ns[OCI_NS_USER] && geteuid () != 0;
}

/* The init's plan: the namespaces it makes or joins (their fds opened
   now) and the workload it execs.  On failure nothing is left open.  */
static int
plan_init (const container_create_opts *opts, created *c,
           const judged_config *j, init_args *args, berth_error **err)
{
  memset (args, 0, sizeof *args);
  cgroup_join_init (&args->cg_join);
  if (ns_plan_build (c->config, &args->plan, err) < 0)
    return berth_error_wrap (err, "config.json");
  if (process_plan_init (&args->proc, c->config->process, c->config->linux_,
                         j->n_pass, err)
      < 0)
    {
      process_plan_release (&args->proc);
      ns_plan_release (&args->plan);
      return -1;
    }
  args->proc.listen_fds = j->n_listen;
  describe_container (opts, c, j, args);
  return 0;
}

static void
init_args_release (init_args *args)
{
  ns_plan_release (&args->plan);
  process_plan_release (&args->proc);
}

/* What the init needs from the host before the state dir exists: the
   --console-socket, /proc, the bind mounts' sources (a user namespace
   cannot open them), the cgroup manager.  */
static int
open_host_handles (const container_create_opts *opts, created *c,
                   berth_error **err)
{
  if (opts->console_socket)
    {
      c->console_path = opts->console_socket;
      c->console_sock = console_socket_connect (opts->console_socket, err);
      if (c->console_sock < 0)
        return -1;
    }
  c->ctx.host_proc_fd = procfs_open_root (err);
  if (c->ctx.host_proc_fd < 0)
    return -1;
  if (c->ctx.userns)
    c->ctx.bind_fds = mount_sources_open (c->config, c->ctx.bundle);
  c->cg = opts->systemd_cgroup
              ? cgroup_manager_new_systemd (c->config->linux_->cgroups_path,
                                            c->id, err)
              : cgroup_manager_new (c->config->linux_->cgroups_path, c->id,
                                    err);
  return c->cg ? 0 : -1;
}

/* Creates and locks the state dir, then records where the cgroup will be
   before anything is made: from here on every failure removes it.  */
static int
create_state_dir (const container_create_opts *opts, created *c,
                  berth_error **err)
{
  c->root_fd = state_root_open (opts->root, true, err);
  if (c->root_fd < 0)
    return -1;
  c->dir_fd = state_dir_create (c->root_fd, c->id, err);
  if (c->dir_fd < 0)
    return -1;
  return created_record (c, err);
}

/* The state dir's path as hooks and the init see it: absolute.  */
static char *
state_dir_path (const char *root, const char *id)
{
  char *path = xasprintf ("%s/%s", root, id);
  char cwd[PATH_MAX];

  if (path[0] != '/' && getcwd (cwd, sizeof cwd))
    {
      char *abs = xasprintf ("%s/%s", cwd, path);
      free (path);
      path = abs;
    }
  return path;
}

/* exec.fifo, which `start` opens to release the init: made before clone,
   since the init is given an fd of it.  `run` releases the init over the
   sync socket: its exec.fifo is never opened, only there to say "created"
   to `state` and `list` until the workload runs, and is made after clone,
   while the init sets up.  */
static int
make_exec_fifo (const container_create_opts *opts, created *c,
                berth_error **err)
{
  /* 0622 for `start`: the init writes to it after dropping to the
     configured user.  */
  if (mkfifoat (c->dir_fd, EXEC_FIFO, 0600) < 0
      || (!opts->start_by_sync
          && fchmodat (c->dir_fd, EXEC_FIFO, 0622, 0) < 0))
    return berth_error_sys (err, "mkfifo %s/%s", c->ctx.state_dir,
                            EXEC_FIFO);
  if (opts->start_by_sync)
    return 0;
  c->ctx.fifo_fd = openat (c->dir_fd, EXEC_FIFO, O_PATH | O_CLOEXEC);
  if (c->ctx.fifo_fd < 0)
    return berth_error_sys (err, "open %s", EXEC_FIFO);
  return 0;
}

/* The sync socket: our end in c->ctx.sync_fd, the init's in *init_end.  */
static int
open_sync_socket (created *c, int *init_end, berth_error **err)
{
  int sv[2];

  if (socketpair (AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
    return berth_error_sys (err, "socketpair");
  c->ctx.sync_fd = sv[0];
  *init_end = sv[1];
  return 0;
}

/* No new user namespace, a cgroup made from its files (not systemd's):
   the init is cloned first and linux.resources written while it sets up
   its namespaces, off a start's critical path on a two-CPU host.  v1: it
   is cloned into the hybrid host's cgroup2 directory, made now, the v1
   directories are made after the clone (a quarter of a millisecond of
   mkdirs), and it moves itself in (join.h) when told they exist, before
   it mounts anything.  v2: the cgroup is made now and the init cloned
   into it; the device program, the limits and the rest of the resources
   come after, and the init waits for them before it mounts anything.
   The slow path's first child forks the init: it keeps the order below.
   1 when planned, 0 when it does not apply.  */
static int
plan_cgroup_after_clone (created *c, init_args *args, berth_error **err)
{
  if (c->cg == NULL || c->cg->ops->create_for_clone == NULL
      || (args->plan.clone_flags & CLONE_NEWUSER) || args->plan.slow_path)
    return 0;
  if (c->cg->ops->create_for_clone (c->cg, &c->cg_join.clone_fd, err) < 0)
    return -1;
  c->cg_after_clone = true;
  args->cg_after_clone = c->cg;
  args->cg_join = c->cg_join; /* the clone_fd, for the init to close */
  /* v1: the cgroup namespace is rooted where the init is once it moved
     (v2: it is born in its cgroup).  */
  if ((args->plan.clone_flags & CLONE_NEWCGROUP) && c->cg->ops->self_join)
    {
      args->plan.clone_flags &= ~(unsigned long) CLONE_NEWCGROUP;
      args->unshare_cgroupns = true;
    }
  return 1;
}

/* Makes the cgroup and decides how the init gets into it: cloned into it
   (v2), moving itself in (v1: first thing, or once the parent made the
   cgroup after clone), or moved by us after clone.  */
static int
plan_cgroup_entry (created *c, init_args *args, berth_error **err)
{
  int after = plan_cgroup_after_clone (c, args, err);

  if (after != 0)
    return after < 0 ? -1 : 0;
  if (cgroup_setup (c->cg, c->config, &c->cg_created, &c->cg_fd, err) < 0)
    return -1;
  if (c->cg_fd >= 0 && (args->plan.clone_flags & CLONE_NEWUSER))
    {
      /* The kernel refuses CLONE_INTO_CGROUP together with CLONE_NEWUSER
         (EPERM): enter after clone, as on v1.  */
      close (c->cg_fd);
      c->cg_fd = -1;
    }
  if (c->cg && c->cg_fd < 0 && !(args->plan.clone_flags & CLONE_NEWUSER)
      && c->cg->ops->self_join)
    {
      /* v1: the init moves itself, first thing (cgroups/join.h).  */
      if (c->cg->ops->self_join (c->cg, &c->cg_join, err) < 0)
        return -1;
      args->cg_join = c->cg_join;
    }
  c->cg_enter = c->cg && c->cg_fd < 0 && c->cg_join.clone_fd < 0
                && c->cg_join.n_fds == 0;
  args->wait_cgroup = c->cg_enter;
  if (c->cg_fd < 0)
    {
      /* The cgroup namespace must be rooted at the container's cgroup:
         the init unshares it once it is there.  */
      if (args->plan.clone_flags & CLONE_NEWCGROUP)
        {
          args->plan.clone_flags &= ~(unsigned long) CLONE_NEWCGROUP;
          args->unshare_cgroupns = true;
        }
    }
  return 0;
}

/* What the init is given: our context with its end of the sync socket,
   and the parent's fds it must close first.  */
static void
hand_init_its_fds (created *c, init_args *args, int init_end)
{
  args->ctx = c->ctx;
  args->ctx.sync_fd = init_end;
  args->parent_fds[0] = c->ctx.sync_fd;
  args->parent_fds[1] = c->dir_fd;
  args->parent_fds[2] = c->root_fd;
  args->parent_fds[3] = c->console_sock;
  args->parent_fds[4] = -1;
}

/* No mount namespace: the init mounts on the host as soon as it runs, so
   what is mounted under the rootfs and the state dir already (not the
   container's) is listed and recorded first.  */
static int
list_host_mounts_before (created *c, berth_error **err)
{
  const char *dirs[] = { c->ctx.rootfs, c->ctx.state_dir };

  if (host_mounts_list (dirs, 2, &c->mounts_before, err) < 0)
    return -1;
  c->host_mounts = true;
  return created_record (c, err);
}

/* The parent's copies of what only the init uses now: its end of the sync
   socket and the cgroup files.  Opened one after the other just before
   clone, they close in one or two close_range.  */
static void
close_init_handles (created *c, int *init_end)
{
  int fds[CGROUP_JOIN_MAX + 2];
  size_t n = 0;

  for (size_t i = 0; i < c->cg_join.n_fds; i++)
    fds[n++] = c->cg_join.fds[i];
  fds[n++] = c->cg_join.clone_fd;
  fds[n++] = steal_fd (init_end);
  close_fds (fds, n);
  cgroup_join_init (&c->cg_join);
}

/* Clones the init and, in the parent, closes the init's end of the sync
   socket (*init_end): the init now holds the only copy.  */
static int
clone_container_init (created *c, init_args *args, int *init_end,
                      berth_error **err)
{
  pid_t pid;
  int ret;

  fflush (NULL);
  pid = clone_init (args->plan.clone_flags,
                    c->cg_fd >= 0 ? c->cg_fd : c->cg_join.clone_fd,
                    &c->pidfd);
  if (pid == 0)
    container_init (args);
  ret = ns_parent_after_clone (&args->plan, err);
  close_init_handles (c, init_end);
  if (pid < 0)
    {
      c->pidfd = -1;
      return berth_error_sys (err, "clone the container init");
    }
  c->pid = pid;
  return ret;
}

/* Right after clone: the init is put in its cgroup, or told that it may
   move itself in.  */
static int
place_init_in_cgroup (created *c, berth_error **err)
{
  int sync = c->ctx.sync_fd;

  if (c->cg_after_clone)
    {
      /* While the init sets up its namespaces; it waits for this before
         it mounts anything (plan_cgroup_after_clone).  */
      if (cgroup_setup (c->cg, c->config, &c->cg_created, NULL, err) < 0)
        {
          sync_send_error (sync, *err);
          return -1;
        }
      return sync_send (sync, SYNC_CGROUP_ACK, 0, err);
    }
  if (c->cg_enter)
    {
      /* No CLONE_INTO_CGROUP, no self-join.  The first child waits for
         this before it does anything (and unshares its cgroup namespace
         after).  */
      if (c->cg->ops->enter (c->cg, c->pid, err) < 0)
        {
          sync_send_error (sync, *err);
          return -1;
        }
      return sync_send (sync, SYNC_CGROUP_ACK, 0, err);
    }
  return 0;
}

/* The state dir's account of the init, and what later commands read: the
   config as created (and `run`'s exec.fifo).  After the cgroup's answer,
   while the init works: it waits for us (the sync socket) before it does
   anything lasting, and sees EOF and exits if we die from here on.  */
static int
record_init (const container_create_opts *opts, created *c,
             const judged_config *j, berth_error **err)
{
  if (created_record (c, err) < 0)
    return -1;
  if (write_file_atomic_at (c->dir_fd, CONFIG_COPY, j->json, j->len, 0600,
                            err)
      < 0)
    return -1;
  return opts->start_by_sync ? make_exec_fifo (opts, c, err) : 0;
}

static bool publishes_before_ready (const created *c, const ns_plan *plan);
static int publish_state (const container_create_opts *opts, created *c,
                          berth_error **err);

/* From the host handles to an init that is ready and waits for start, in
   the order the privileged steps must happen.  */
static int
start_planned_init (const container_create_opts *opts, created *c,
                    const judged_config *j, init_args *args,
                    berth_error **err)
{
  cleanup_close int init_end = -1;

  if (open_host_handles (opts, c, err) < 0)
    return -1;
  if (create_state_dir (opts, c, err) < 0)
    return -1;
  /* Compiled (or found in the cache) here, once: the init only loads it.  */
  if (seccomp_prepare (&args->proc.seccomp, c->root_fd, err) < 0)
    return -1;
  c->ctx.state_dir = state_dir_path (opts->root, c->id);
  if (!opts->start_by_sync && make_exec_fifo (opts, c, err) < 0)
    return -1;
  if (open_sync_socket (c, &init_end, err) < 0)
    return -1;
  if (plan_cgroup_entry (c, args, err) < 0)
    return -1;
  if (ns_parent_before_clone (&args->plan, c->config->linux_, err) < 0)
    {
      ns_parent_after_clone (&args->plan, NULL);
      return -1;
    }
  hand_init_its_fds (c, args, init_end);
  if (c->ctx.host_mount_ns && list_host_mounts_before (c, err) < 0)
    return -1;
  if (clone_container_init (c, args, &init_end, err) < 0)
    return -1;
  if (place_init_in_cgroup (c, err) < 0 || record_init (opts, c, j, err) < 0
      || (publishes_before_ready (c, &args->plan)
          && publish_state (opts, c, err) < 0)
      || parent_sync (c, &args->plan, c->pid, err) < 0)
    {
      name_oom_kill (c, err);
      return -1;
    }
  return 0;
}

/* Plans the init, starts it and waits until it is ready; the plan (its
   fds) is released before the caller undoes a failure.  */
static int
start_init (const container_create_opts *opts, created *c,
            const judged_config *j, berth_error **err)
{
  init_args args;
  int ret;

  if (plan_init (opts, c, j, &args, err) < 0)
    return -1;
  ret = start_planned_init (opts, c, j, &args, err);
  init_args_release (&args);
  return ret;
}

/* No mount namespace: which mounts on the host are the container's (for
   delete).  */
static int
record_host_mounts (created *c, berth_error **err)
{
  const char *dirs[] = { c->ctx.rootfs, c->ctx.state_dir };

  if (!c->host_mounts)
    return 0;
  return host_mounts_record (c->dir_fd, dirs, 2, &c->mounts_before, err);
}

/* The state `state` reports, status created.  */
static oci_state *
created_state_new (created *c)
{
  oci_state *s = xmalloc0 (sizeof *s);

  s->oci_version = xstrdup (BERTH_SPEC_VERSION);
  s->id = xstrdup (c->id);
  s->status = OCI_STATUS_CREATED;
  s->pid = c->pid;
  s->bundle = xstrdup (c->ctx.bundle);
  s->rootfs = xstrdup (c->ctx.rootfs);
  s->created = state_now_rfc3339 ();
  s->owner = xstrdup ("");
  s->pid_start_time = init_start_time (c);
  s->overlay = c->ctx.overlay;
  s->pid_ns_new = c->new_pid_ns;
  s->cgroup_mode = (int32_t) c->cg->mode;
  s->cgroup_state = xstrdup (c->cg->state);
  s->net = steal_pointer (&c->net);
  if (c->config->n_annotations)
    {
      s->annotations = xmalloc0 (sizeof (oci_kv) * c->config->n_annotations);
      for (size_t i = 0; i < c->config->n_annotations; i++)
        {
          s->annotations[i].key = xstrdup (c->config->annotations[i].key);
          s->annotations[i].value
              = xstrdup (c->config->annotations[i].value);
        }
      s->n_annotations = c->config->n_annotations;
    }
  return s;
}

/* Saves the state and the --pid-file and tells the init (SYNC_STATE_SAVED):
   the message that lets it outlive us.  Until it, the init keeps its
   parent-death signal and exits on the socket's EOF.  `run` without a
   --pidfd-socket (which the caller must get before the workload runs)
   releases the init with the same message: the EOF that ends
   release_init_sync comes only once the init is past its prctl, so the
   init's answer is not needed.  */
static int
publish_state (const container_create_opts *opts, created *c,
               berth_error **err)
{
  c->state = created_state_new (c);
  if (state_save (c->dir_fd, c->state, err) < 0)
    return -1;
  if (write_pid_file (opts->pid_file, c->pid, err) < 0)
    return -1;
  /* Ours from here: a create that fails after this removes it.  */
  c->pid_file = opts->pid_file;
  c->start_sent = opts->start_by_sync && opts->pidfd_socket == NULL;
  if (sync_send (c->ctx.sync_fd, SYNC_STATE_SAVED, c->start_sent, err) < 0)
    return -1;
  c->state_published = true;
  return 0;
}

/* Once the init is ready: the state published (here, or before it was
   ready: publishes_before_ready), the init's answer awaited when it
   stays, and the caller given its --pidfd-socket.  */
static int
publish_created (const container_create_opts *opts, created *c,
                 berth_error **err)
{
  if (!c->state_published && publish_state (opts, c, err) < 0)
    return -1;
  if (!c->start_sent
      && sync_expect (c->ctx.sync_fd, SYNC_STATE_SAVED, NULL, err) < 0)
    return -1;
  if (opts->pidfd_socket
      && send_pidfd (opts->pidfd_socket, c->pidfd, PIDFD_SOCKET_INIT, err)
             < 0)
    return -1;
  return 0;
}

/* Whether the state may be saved and the init told so while the init
   still sets up, instead of once it is ready: when nothing else passes
   from us to the init before it is ready (no id maps, no network of
   ours, no prestart or createRuntime hook) and nothing of ours comes
   between its readiness and a `run`'s workload (no terminal, no record
   of host mounts).  The init reads the message right after it says it
   is ready, without waiting for us.  Nothing can see the state early:
   the container's lock is ours until create returns or the workload runs
   (list skips a locked one).  If the init fails instead, its error comes
   where "ready" would, and the state and the --pid-file go with the rest
   (created_abort).  */
static bool
publishes_before_ready (const created *c, const ns_plan *plan)
{
  const oci_hooks *h = &c->config->hooks;

  return !plan->new_ns[OCI_NS_USER] && !plan->slow_path
         && !net_config_any (&c->net_cfg)
         && h->n_hooks[OCI_HOOK_PRESTART] == 0
         && h->n_hooks[OCI_HOOK_CREATE_RUNTIME] == 0
         && !c->config->process->terminal && !c->host_mounts;
}

static int
do_create (const container_create_opts *opts, created *c, berth_error **err)
{
  cleanup_judged_config judged_config j = { 0 };

  created_init (c);
  /* A config is judged whole before anything is made.  */
  if (load_and_judge_config (opts, c, &j, err) < 0)
    return -1;
  if (start_init (opts, c, &j, err) < 0 || record_host_mounts (c, err) < 0
      || publish_created (opts, c, err) < 0)
    {
      created_abort (c);
      return -1;
    }
  berth_debug ("create %s: init %d waits for start", c->id, (int) c->pid);
  return 0;
}

int
container_create (const container_create_opts *opts, berth_error **err)
{
  created c;
  int ret = do_create (opts, &c, err);
  created_release (&c);
  return ret;
}

/* ---- start ------------------------------------------------------------ */

/* Releases the init blocked on exec.fifo and waits until it has exec'd the
   workload (the write end is close-on-exec: POLLHUP without data) or
   reported why not (a message, then exit).  */
static int
release_init (int dir_fd, int pidfd, const char *id, berth_error **err)
{
  cleanup_close int fifo = -1;
  char msg[4096];
  size_t used = 0;
  bool hup = false;
  struct pollfd p[2];

  /* O_NONBLOCK: the open does not wait for the writer; the reader's
     presence is what unblocks the init's open for writing.  */
  fifo = openat (dir_fd, EXEC_FIFO, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fifo < 0)
    return berth_error_sys (err, "open %s of \"%s\"", EXEC_FIFO, id);
  p[0] = (struct pollfd){ .fd = fifo, .events = POLLIN };
  p[1] = (struct pollfd){ .fd = pidfd, .events = POLLIN };
  for (;;)
    {
      if (poll (p, 2, -1) < 0)
        {
          if (errno == EINTR)
            continue;
          return berth_error_sys (err, "poll %s", EXEC_FIFO);
        }
      /* POLLHUP comes only after a writer came and went.  */
      if (p[0].revents & (POLLHUP | POLLERR))
        {
          hup = true;
          break;
        }
      if (p[1].revents & POLLIN)
        break;
      /* Data without hangup: an error message, the init exits next.
         Stop watching the fifo (level-triggered) until then.  */
      if (p[0].revents & POLLIN)
        p[0].fd = -1;
    }
  /* Every writer is gone now: read up to EOF.  */
  for (;;)
    {
      ssize_t r = read (fifo, msg + used, sizeof msg - 1 - used);
      if (r < 0 && errno == EINTR)
        continue;
      if (r <= 0)
        break;
      used += (size_t) r;
      if (used == sizeof msg - 1)
        break;
    }
  msg[used] = '\0';
  if (used > 0)
    return berth_error_set (err, 0, "%s", msg);
  if (!hup)
    return berth_error_set (err, 0, "container \"%s\": init exited before "
                                    "start",
                            id);
  unlinkat (dir_fd, EXEC_FIFO, 0);
  return 0;
}

/* `run`: releases the init over the sync socket and waits until it has
   exec'd the workload (its end is close-on-exec: EOF) or sent why not;
   then the exec.fifo marker goes, as `start` removes the fifo.  Two
   messages where the fifo took ten calls (made, opened by both sides
   through procfs, polled, read, removed, closed).  */
static int
release_init_sync (created *c, berth_error **err)
{
  if ((!c->start_sent && sync_send (c->ctx.sync_fd, SYNC_START, 0, err) < 0)
      || sync_expect_exec (c->ctx.sync_fd, err) < 0)
    return -1;
  unlinkat (c->dir_fd, EXEC_FIFO, 0);
  return 0;
}

static int
run_poststart (const oci_config *config, oci_state *state, int pidfd,
               berth_error **err)
{
  const oci_hooks *h = &config->hooks;
  cleanup_free char *json = NULL;

  if (h->n_hooks[OCI_HOOK_POSTSTART] == 0)
    return 0;
  state->status = OCI_STATUS_RUNNING;
  json = hooks_state_json (state);
  if (hooks_run (h->hooks[OCI_HOOK_POSTSTART], h->n_hooks[OCI_HOOK_POSTSTART],
                 OCI_HOOK_POSTSTART, json, err)
      < 0)
    {
      /* The spec: a failing poststart hook stops the container.  */
      sys_pidfd_send_signal (pidfd, SIGKILL);
      return -1;
    }
  return 0;
}

static int
check_startable (oci_status status, berth_error **err)
{
  /* runc's words: engines match on them.  */
  switch (status)
    {
    case OCI_STATUS_CREATED:
      return 0;
    case OCI_STATUS_STOPPED:
      return berth_error_set (err, 0,
                              "cannot start a container that has stopped");
    case OCI_STATUS_RUNNING:
      return berth_error_set (err, 0,
                              "cannot start an already running container");
    default:
      return berth_error_set (err, 0, "cannot start a container in the %s "
                                      "state",
                              oci_status_name (status));
    }
}

int
container_start (container_handle *h, berth_error **err)
{
  const oci_config *config;

  if (check_startable (h->status, err) < 0)
    return -1;
  config = container_handle_config (h, err);
  if (config == NULL)
    return -1;
  if (release_init (h->dir_fd, h->pidfd, h->id, err) < 0)
    return -1;
  berth_debug ("start %s: init %d runs the workload", h->id,
               (int) h->state->pid);
  return run_poststart (config, h->state, h->pidfd, err);
}

/* ---- run ---------------------------------------------------------------- */

static int
exit_code_of (const siginfo_t *info)
{
  if (info->si_code == CLD_EXITED)
    return info->si_status;
  return 128 + info->si_status;
}

/* Forwards every signal berth gets to the container until it exits.  */
int
forward_and_wait (int pidfd, const sigset_t *forwarded, int *exit_code,
                  berth_error **err)
{
  cleanup_close int sfd = signalfd (-1, forwarded, SFD_CLOEXEC);
  struct pollfd p[2];

  if (sfd < 0)
    return berth_error_sys (err, "signalfd");
  p[0] = (struct pollfd){ .fd = pidfd, .events = POLLIN };
  p[1] = (struct pollfd){ .fd = sfd, .events = POLLIN };
  for (;;)
    {
      siginfo_t info;

      if (poll (p, 2, -1) < 0)
        {
          if (errno == EINTR)
            continue;
          return berth_error_sys (err, "poll");
        }
      if (p[1].revents & POLLIN)
        {
          struct signalfd_siginfo si;
          if (read (sfd, &si, sizeof si) == sizeof si && si.ssi_signo != SIGCHLD)
            sys_pidfd_send_signal (pidfd, (int) si.ssi_signo);
        }
      if (p[0].revents & POLLIN)
        {
          memset (&info, 0, sizeof info);
          if (waitid (P_PIDFD, (id_t) pidfd, &info, WEXITED) < 0)
            return berth_error_sys (err, "wait for the container");
          *exit_code = exit_code_of (&info);
          return 0;
        }
    }
}

/* The end of a foreground run: its init reaped, the container deleted
   through the state root and dir it made and kept open, locked again
   (a `delete` from another process may have come first), the state read
   again (`update` may have rewritten it).  Five calls fewer than opening
   it by name: the two opens, the name's second lookup, the pidfd_open of
   a reaped init.  */
static int
delete_after_run (created *c, berth_error **err)
{
  cleanup_container_handle container_handle *h = NULL;
  /* The fds are closed with run's others, one close_range.  */
  int ret = container_open_held (c->root_fd, c->dir_fd, c->id,
                                 CONTAINER_OPEN_LOCK_EXCLUSIVE
                                     | CONTAINER_OPEN_CREATING_OK
                                     | CONTAINER_OPEN_INIT_REAPED,
                                 &h, err);

  /* Only create writes host-mounts, and only without a mount namespace
     (record_host_mounts).  */
  if (h)
    h->no_host_mounts = !c->host_mounts;
  return container_delete_force_opened (ret, h, c->config, err);
}

int
container_run (const container_create_opts *opts, bool detach, bool keep,
               int *exit_code, berth_error **err)
{
  created c;
  container_create_opts o = *opts;
  sigset_t all, old;
  int ret;

  *exit_code = 0;
  /* Block signals before clone so none is lost between start and the
     signalfd; the init unblocks them before it execs.  */
  sigfillset (&all);
  sigdelset (&all, SIGSEGV);
  sigdelset (&all, SIGBUS);
  sigdelset (&all, SIGILL);
  sigdelset (&all, SIGFPE);
  if (!detach)
    {
      sigprocmask (SIG_BLOCK, &all, &old);
      /* Slow path: the init is a grandchild; it must come back to us.  */
      prctl (PR_SET_CHILD_SUBREAPER, 1);
    }
  o.foreground = !detach;
  o.start_by_sync = true;
  ret = do_create (&o, &c, err);
  if (ret < 0)
    goto out;
  ret = release_init_sync (&c, err);
  if (ret == 0)
    ret = run_poststart (c.config, c.state, c.pidfd, err);
  if (ret < 0)
    {
      created_abort (&c);
      goto out;
    }
  if (detach)
    goto out;

  /* Let delete, exec, pause... from other berth commands through (state,
     list and kill take no lock).  The dir stays open for the delete.  */
  flock (c.dir_fd, LOCK_UN);
  /* With a terminal, until the process exited and its output is out; the
     wait below then only reaps it.  */
  if (c.console_master >= 0)
    ret = terminal_proxy (c.console_master, c.pidfd, &all, err);
  if (ret == 0)
    ret = forward_and_wait (c.pidfd, &all, exit_code, err);
  if (ret == 0 && !keep)
    ret = delete_after_run (&c, err);
out:
  created_release (&c);
  if (!detach)
    sigprocmask (SIG_SETMASK, &old, NULL);
  return ret;
}
