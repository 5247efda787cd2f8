/* berth: the container's init, from clone to execve.  Runs in the clone
 * of `berth create`; reports every failure to the parent over the sync
 * socket and exits, so the parent can undo everything.  */
#include "libcontainer/lifecycle/init.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/keyctl.h>
#include <linux/openat2.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "cgroups/detect.h"
#include "libcontainer/lifecycle/hooks.h"
#include "libcontainer/process/caps.h"
#include "libcontainer/process/lsm.h"
#include "libcontainer/network/net-link.h"
#include "libcontainer/process/plan.h"
#include "libcontainer/process/procfs.h"
#include "libcontainer/process/process.h"
#include "libcontainer/rootfs/rootfs.h"
#include "libcontainer/rootfs/safe-path.h"
#include "libcontainer/process/seccomp.h"
#include "libcontainer/lifecycle/sync.h"
#include "libcontainer/process/terminal.h"
#include "base/utils.h"
#include "oci-spec/state.h"

/* The state as the init knows it (borrowing ctx's strings).  */
static void
init_state (const container_ctx *ctx, oci_status status, int pid,
            oci_state *out)
{
  oci_state s;

  memset (&s, 0, sizeof s);
  s.oci_version = (char *) BERTH_SPEC_VERSION;
  s.id = (char *) ctx->id;
  s.status = status;
  s.pid = pid;
  s.bundle = ctx->bundle;
  s.annotations = ctx->config->annotations;
  s.n_annotations = ctx->config->n_annotations;
  *out = s;
}

char *
init_state_json (const container_ctx *ctx, oci_status status, int pid)
{
  oci_state s;

  init_state (ctx, status, pid, &s);
  return oci_state_to_json (&s, false, false, NULL);
}

static int
request_maps (void *data, berth_error **err)
{
  container_ctx *ctx = data;

  if (sync_send (ctx->sync_fd, SYNC_USERMAP_REQ, 0, err) < 0
      || sync_expect (ctx->sync_fd, SYNC_USERMAP_ACK, NULL, err) < 0)
    return -1;
  /* A non-root parent needed the init dumpable to write the maps (see
     container_init); from here on it is not.  */
  if (prctl (PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
    return berth_error_sys (err, "prctl (PR_SET_DUMPABLE)");
  return 0;
}

/* Slow path: after joining and unsharing, the init proper is a new child
   (a new pid namespace only takes effect for children).  The first child
   reports its pid and exits; the init waits for that report to go out so
   its own messages come after it.  */
static int
fork_init (container_ctx *ctx, berth_error **err)
{
  int gate[2];
  pid_t pid;

  if (pipe2 (gate, O_CLOEXEC) < 0)
    return berth_error_sys (err, "pipe");
  pid = fork ();
  if (pid < 0)
    return berth_error_sys (err, "fork the container init");
  if (pid > 0)
    {
      int ret;
      close (gate[0]);
      ret = sync_send (ctx->sync_fd, SYNC_CHILD_PID, pid, err);
      close (gate[1]);
      _exit (ret < 0 ? 1 : 0);
    }
  close (gate[1]);
  {
    char c;
    while (read (gate[0], &c, 1) < 0 && errno == EINTR)
      ;
  }
  close (gate[0]);
  return 0;
}

static int
set_sysctls (container_ctx *ctx, berth_error **err)
{
  const oci_linux *lx = ctx->config->linux_;

  for (size_t i = 0; i < lx->n_sysctl; i++)
    {
      const char *key = lx->sysctl[i].key;
      const char *value = lx->sysctl[i].value;
      cleanup_free char *rel = xasprintf ("sys/%s", key);

      /* Keys and their namespaces were judged by validate_sysctls.  */
      for (char *p = rel + 4; *p; p++)
        if (*p == '.')
          *p = '/';
      /* Through the procfs handle opened and checked before anything
         was mounted: a mount over /proc cannot redirect this write.  */
      if (procfs_write (ctx->host_proc_fd, rel, value, strlen (value), err)
          < 0)
        return berth_error_wrap (err, "linux.sysctl: %s=%s", key, value);
    }
  return 0;
}

static int
run_init_hooks (container_ctx *ctx, oci_hook_kind kind, oci_status status,
                berth_error **err)
{
  const oci_hooks *h = &ctx->config->hooks;
  cleanup_free char *json = NULL;

  if (h->n_hooks[kind] == 0)
    return 0;
  /* In the container namespace, the pid as the container sees it.  */
  json = init_state_json (ctx, status, getpid ());
  return hooks_run (h->hooks[kind], h->n_hooks[kind], kind, json, err);
}

/* Resolves process.cwd inside the rootfs, once, creating it when missing
   (as runc), and returns an O_PATH fd the init later fchdir()s to: a cwd
   such as /proc/self/fd/N or a symlink out of the rootfs never resolves
   (RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS).  */
static int
open_cwd (container_ctx *ctx, int root, berth_error **err)
{
  const char *cwd = ctx->config->process->cwd;
  int fd;

  /* root: the root mount rootfs_prepare made (with --overlay, the
     merged dir, so the bundle's rootfs stays untouched).  */
  fd = safe_mkdir_all (root, cwd ? cwd : "/", 0755, err);
  if (fd < 0)
    return berth_error_wrap (err, "process.cwd");
  return fd;
}

/* process.terminal: the pty is made in the container's devpts once its
   mounts are in place, and its master goes to the parent, which passes
   it to the console socket or proxies its own terminal.  */
static int
send_terminal (container_ctx *ctx, berth_error **err)
{
  cleanup_close int master = terminal_setup_init (ctx->config->process, err);

  if (master < 0)
    return -1;
  return sync_send_fd (ctx->sync_fd, SYNC_CONSOLE, master, err);
}

/* Once the parent says the cgroup is ready (it made it on v1, applied
   linux.resources on both, while we set up our namespaces): on v1 move
   into it as join.h says and root the cgroup namespace there; on v2 we
   were cloned into it.  Before anything of the container's filesystem is
   made, so that all of it is accounted and the device rules hold.  */
static int
join_cgroup_made_after_clone (init_args *a, berth_error **err)
{
  cgroup_manager *cg = a->cg_after_clone;
  cgroup_join j;
  int ret = 0;

  if (sync_expect (a->ctx.sync_fd, SYNC_CGROUP_ACK, NULL, err) < 0)
    return -1;
  cgroup_join_init (&j);
  if (cg->ops->self_join)
    ret = cg->ops->self_join (cg, &j, err);
  close_fds (a->parent_fds, sizeof a->parent_fds / sizeof a->parent_fds[0]);
  /* What we were cloned into is closed with the rest, in one pass.  */
  j.clone_fd = a->cg_join.clone_fd;
  a->cg_join.clone_fd = -1;
  if (ret < 0)
    cgroup_join_close (&j);
  else
    ret = cgroup_join_self (&j, err);
  cg_root_release ();
  if (ret < 0)
    return -1;
  if (a->unshare_cgroupns && unshare (CLONE_NEWCGROUP) < 0)
    return berth_error_sys (err, "create cgroup namespace");
  return 0;
}

/* Everything up to "ready": runs with the sync socket.  A failed
   createContainer hook is an error of kind BERTH_ERROR_HOOK (hooks_run),
   which the parent is told apart (sync_send_error).  */
static int
init_setup (init_args *a, berth_error **err)
{
  container_ctx *ctx = &a->ctx;
  const oci_config *config = ctx->config;
  cleanup_close int root = -1;

  /* Before anything runs that the cgroup must account for; or, made
     after clone, before any mount (join_cgroup_made_after_clone).  */
  if (!a->cg_after_clone && cgroup_join_self (&a->cg_join, err) < 0)
    return -1;
  /* `run` blocked everything before clone; the workload must start with
     the default disposition and an empty mask.  */
  if (process_reset_signals (ctx->host_proc_fd, &a->proc.status,
                             &a->proc.status_known, err)
      < 0)
    return -1;
  if (process_apply_oom_score_adj (config->process, ctx->host_proc_fd, err)
      < 0)
    return -1;
  /* If `berth create` dies half way, nothing must stay behind.  */
  if (!a->plan.slow_path)
    {
      prctl (PR_SET_PDEATHSIG, SIGKILL);
      a->proc.pdeathsig = SIGKILL;
    }

  if (a->wait_cgroup
      && sync_expect (ctx->sync_fd, SYNC_CGROUP_ACK, NULL, err) < 0)
    return -1;

  if (a->plan.slow_path)
    {
      if (ns_join_slow (&a->plan, request_maps, ctx, err) < 0)
        return -1;
      if (fork_init (ctx, err) < 0)
        return -1;
    }
  else
    {
      if (a->plan.new_ns[OCI_NS_USER])
        {
          if (request_maps (ctx, err) < 0)
            return -1;
          if (setresgid (0, 0, 0) < 0 || setresuid (0, 0, 0) < 0)
            return berth_error_sys (err, "become root in the user "
                                         "namespace");
        }
      if (ns_join_fast (&a->plan, err) < 0)
        return -1;
      if (a->unshare_cgroupns && !a->cg_after_clone
          && unshare (CLONE_NEWCGROUP) < 0)
        return berth_error_sys (err, "create cgroup namespace");
    }

  /* Entering a user namespace gives a full bounding set: what was read
     with the signals no longer holds, and the new one is known without
     reading it again.  */
  if (ctx->userns)
    process_plan_userns_entered (&a->proc);
  ctx->fs_root = process_plan_fs_root (&a->proc);

  /* A session of its own (as runc): no controlling terminal of the
     caller's that the container could reach, and one of its own with
     process.terminal.  */
  if (setsid () < 0)
    return berth_error_sys (err, "setsid");
  if (ctx->new_net_ns && net_link_up_ioctl ("lo", err) < 0)
    return -1;
  if (config->hostname
      && sethostname (config->hostname, strlen (config->hostname)) < 0)
    return berth_error_sys (err, "hostname: set \"%s\"", config->hostname);
  if (config->domainname
      && setdomainname (config->domainname, strlen (config->domainname)) < 0)
    return berth_error_sys (err, "domainname: set \"%s\"",
                            config->domainname);
  if (lsm_apply_keyring_label (config->process, ctx->host_proc_fd, err) < 0
      || (!ctx->no_new_keyring
          && process_join_session_keyring (ctx->id, err) < 0))
    return -1;
  /* The parent answers this before the network's request.  */
  if (a->cg_after_clone && join_cgroup_made_after_clone (a, err) < 0)
    return -1;
  /* Joined or new, slow path or not, the network namespace is final now:
     the parent acts on it from outside before anything else runs here
     (the sysctls may name its devices). */
  if (a->net_sync
      && (sync_send (ctx->sync_fd, SYNC_NET_REQ, 0, err) < 0
          || sync_expect (ctx->sync_fd, SYNC_NET_ACK, NULL, err) < 0))
    return -1;
  if (set_sysctls (ctx, err) < 0)
    return -1;

  root = rootfs_prepare (ctx, err);
  if (root < 0)
    return -1;
  a->proc.cwd_fd = open_cwd (ctx, root, err);
  if (a->proc.cwd_fd < 0)
    return -1;
  if (config->hooks.n_hooks[OCI_HOOK_PRESTART]
      || config->hooks.n_hooks[OCI_HOOK_CREATE_RUNTIME])
    {
      if (sync_send (ctx->sync_fd, SYNC_HOOKS_REQ, 0, err) < 0)
        return -1;
      if (sync_expect (ctx->sync_fd, SYNC_HOOKS_ACK, NULL, err) < 0)
        return -1;
    }
  if (run_init_hooks (ctx, OCI_HOOK_CREATE_CONTAINER, OCI_STATUS_CREATING,
                      err)
      < 0)
    return -1;
  /* listenerPath is a host path: connect while the host is still
     reachable.  */
  if (seccomp_listener_connect (&a->proc.seccomp, err) < 0)
    return -1;
  /* The root mount is opened again when hooks ran since, which may
     have mounted something over it.  */
  if (config->hooks.n_hooks[OCI_HOOK_PRESTART]
      || config->hooks.n_hooks[OCI_HOOK_CREATE_RUNTIME]
      || config->hooks.n_hooks[OCI_HOOK_CREATE_CONTAINER])
    {
      close (root);
      root = -1;
    }
  if (rootfs_pivot (ctx, root, err) < 0)
    return -1;
  if (config->process->terminal && send_terminal (ctx, err) < 0)
    return -1;
  /* The terminal is not part of the shared tail: the init's
     /dev/console is bound before rootfs_finalize makes /dev or the root
     read-only.  */
  if (rootfs_finalize (ctx, steal_fd (&root), &a->proc.root_fd, err) < 0)
    return -1;
  /* Without process.user.umask the init gets 0022, not its caller's, as
     runc does at the end of its root set-up; with no mount namespace too,
     as runc 1.6 does (before, a shell's umask 077 leaked into such
     containers).  process.user.umask, when given, is applied later with
     the user (process_apply_user).  `exec` keeps its caller's, as runc.
     Nothing changed it since the status was read (the device nodes'
     umask 0 is undone): when it said 0022, there is nothing to do.  */
  if (!config->process->user.has_umask
      && !(a->proc.status_known && a->proc.status.umask == 022))
    umask (022);

  /* The labels through the host's procfs, checked before any mount.  */
  a->proc.proc_fd = ctx->host_proc_fd;
  return process_plan_prepare (&a->proc, err);
}

/* The startContainer hooks run as runc runs them (standard_init_linux.go),
   which engines rely on more than on the spec's words: after `start`, in
   the container's namespaces and root, as its user with its capabilities
   and cwd, under its seccomp filter (process_plan_exec calls this once the
   filter is loaded), with only stdio and the state on stdin (hooks.c), and
   with the container's environment when the hook has no env of its own.
   A failure is of kind BERTH_ERROR_HOOK.  */
static int
run_start_hooks (void *data, char **envp, berth_error **err)
{
  container_ctx *ctx = data;
  const oci_hooks *h = &ctx->config->hooks;
  size_t n = h->n_hooks[OCI_HOOK_START_CONTAINER], n_env = 0;
  cleanup_free oci_hook *hooks = NULL;
  cleanup_free char *json = NULL;

  if (n == 0)
    return 0;
  while (envp[n_env])
    n_env++;
  hooks = xmalloc0 (n * sizeof *hooks);
  for (size_t i = 0; i < n; i++)
    {
      hooks[i] = h->hooks[OCI_HOOK_START_CONTAINER][i];
      if (hooks[i].n_env == 0)
        {
          hooks[i].env = envp;
          hooks[i].n_env = n_env;
        }
    }
  json = init_state_json (ctx, OCI_STATUS_CREATED, getpid ());
  return hooks_run (hooks, n, OCI_HOOK_START_CONTAINER, json, err);
}

/* After `start`: errors go to the fifo, where `berth start` reads them;
   after `run`'s SYNC_START, to the sync socket (fifo < 0).  */
__attribute__ ((noreturn)) static void
fail_after_start (int fifo, int sync_fd, berth_error *e, int code)
{
  if (fifo >= 0 && e)
    {
      size_t len = strlen (e->msg);
      (void) write_all (fifo, e->msg, len);
    }
  else if (fifo < 0 && e)
    sync_send_error (sync_fd, e);
  _exit (code);
}

/* Blocks until `berth start` opens exec.fifo for reading, then returns
   the fifo opened for writing.  Reached through the host procfs handle:
   the fifo is outside the rootfs.  */
static int
wait_for_start_fifo (container_ctx *ctx)
{
  char fifo_path[64];
  int fifo;

  snprintf (fifo_path, sizeof fifo_path, "self/fd/%d", ctx->fifo_fd);
  do
    fifo = openat (ctx->host_proc_fd, fifo_path, O_WRONLY | O_CLOEXEC);
  while (fifo < 0 && errno == EINTR);
  if (fifo < 0)
    _exit (1);
  close (ctx->fifo_fd);
  return fifo;
}

void
container_init (init_args *a)
{
  container_ctx *ctx = &a->ctx;
  berth_error *err = NULL;
  int fifo = -1;
  int start_now = 0;

  /* Until execve, /proc/<init>/exe is the host's berth binary: a process
     that shares the pid namespace (joined by path) must not get a handle
     on it to overwrite it later (CVE-2019-5736).  Not dumpable, only
     CAP_SYS_PTRACE over the host's user namespace reaches it; execve makes
     the workload dumpable again.
     A non-root berth (rootless) writes the id maps itself, and the kernel
     makes the /proc files of a non-dumpable process root's: the init
     stays dumpable until the maps are in (request_maps).  Nothing of the
     container runs before that, and a rootless container's root cannot
     write the root-owned berth binary anyway.  */
  if (!a->dumpable_until_maps && prctl (PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
    _exit (1);
  /* The parent's end of the sync socket first: its EOF tells us the
     parent died.  The host's cgroup root and the other parent fds stay
     for the move into a v1 cgroup made after clone, which closes them
     (join_cgroup_made_after_clone) once the cgroup files are open: the
     files then number in one run, closed in one call.  For the same
     reason the parent's end is replaced by a copy of ours (dup3 closes
     it), not closed: its number stays taken until then.  */
  if (a->cg_after_clone)
    {
      if (dup3 (ctx->sync_fd, a->parent_fds[0], O_CLOEXEC) < 0)
        close (steal_fd (&a->parent_fds[0]));
    }
  else
    {
      close_fds (a->parent_fds,
                 sizeof a->parent_fds / sizeof a->parent_fds[0]);
      cg_root_release ();
    }

  if (init_setup (a, &err) < 0)
    {
      sync_send_error (ctx->sync_fd, err);
      _exit (1);
    }
  if (sync_send (ctx->sync_fd, SYNC_READY, 0, &err) < 0)
    _exit (1);
  /* Not released before the parent has saved the state: were it killed
     in between, nothing would name this process (EOF: exit; the
     parent-death signal stays set until then, too).  */
  if (sync_expect (ctx->sync_fd, SYNC_STATE_SAVED, &start_now, &err) < 0)
    _exit (1);
  prctl (PR_SET_PDEATHSIG, 0);
  /* The parent waits for this before it exits: its death must not reach
     us between the message and the prctl.  Released at once (`run`), it
     waits for our end's EOF at exec instead, which comes after.  */
  if (!start_now && sync_send (ctx->sync_fd, SYNC_STATE_SAVED, 0, &err) < 0)
    _exit (1);
  if (ctx->fifo_fd >= 0)
    {
      close (ctx->sync_fd);
      fifo = wait_for_start_fifo (ctx);
    }
  else if (!start_now
           && sync_expect (ctx->sync_fd, SYNC_START, NULL, &err) < 0)
    /* `run` died before it released us (EOF): nothing will.  */
    _exit (1);

  if (ctx->config->linux_->seccomp
      && seccomp_uses_notify (ctx->config->linux_->seccomp))
    {
      /* The agent wants the pid as the runtime sees it: "self" in the
         host's procfs names us in the host's pid namespace.  */
      char self[32] = "";
      oci_state s;
      ssize_t n = readlinkat (ctx->host_proc_fd, "self", self,
                              sizeof self - 1);
      ctx->host_pid = n > 0 ? atoi (self) : 0;
      init_state (ctx, OCI_STATUS_RUNNING, ctx->host_pid, &s);
      process_plan_listener_state (&a->proc, ctx->host_pid, &s);
    }

  a->proc.before_exec = run_start_hooks;
  a->proc.before_exec_data = ctx;
  process_plan_exec (&a->proc, &err);
  /* A failed startContainer hook exits 1 (as runc); any other failure
     on the way to the workload 127.  */
  fail_after_start (fifo, ctx->sync_fd, err,
                berth_error_kind_of (err) == BERTH_ERROR_HOOK ? 1 : 127);
}
