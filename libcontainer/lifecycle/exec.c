/* berth: `exec`.  The parent (berth) joins the init's pid namespace for its
 * children, then clones the process straight into the container's cgroup
 * (v2: CLONE_INTO_CGROUP; v1: moved before it goes on); the child joins
 * every other namespace of the init through its pidfd, sets itself up as
 * the init does (process.c) and execs.  No intermediate process, no
 * re-exec: the exec'd process is berth's child, waited for on a pidfd.  */
#include "libcontainer/lifecycle/exec.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroups/detect.h"
#include "cgroups/manager.h"
#include "cgroups/sub-cgroup.h"
#include "libcontainer/lifecycle/cgroup-setup.h"
#include "base/clone-vm.h"
#include "base/pidfd.h"
#include "base/cleanup.h"
#include "libcontainer/lifecycle/container-internal.h"
#include "libcontainer/lifecycle/namespaces.h"
#include "libcontainer/process/caps.h"
#include "libcontainer/process/plan.h"
#include "libcontainer/process/process.h"
#include "libcontainer/process/procfs.h"
#include "libcontainer/rootfs/safe-path.h"
#include "libcontainer/process/seccomp-cache.h"
#include "libcontainer/process/seccomp.h"
#include "libcontainer/lifecycle/state.h"
#include "libcontainer/lifecycle/sync.h"
#include "libcontainer/process/pidfd-socket.h"
#include "libcontainer/process/terminal.h"
#include "libcontainer/lifecycle/container.h"
#include "base/log.h"
#include "base/utils.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

/* What the child needs; it sees its own copy after clone.  */
typedef struct exec_child_args
{
  const char *id;
  const oci_process *process;
  const oci_linux *linux_;      /* the container's: seccomp, personality */
  int init_pidfd;
  unsigned long join_flags;     /* every namespace but pid */
  int root_fd;                  /* the init's root to chroot into when it
                                   shares berth's mount namespace; or -1 */
  int sync_fd;                  /* the child's end */
  int parent_fds[3];            /* the parent's fds the child must close:
                                   its sync end, the locked state dir, the
                                   cgroup's */
  cgroup_join cg_join;          /* v1: move ourselves into the cgroup */
  bool wait_cgroup;             /* else wait for SYNC_CGROUP_ACK */
  bool foreground;              /* berth proxies the terminal */
  const oci_state *state;       /* for a seccomp listener */
  process_plan plan;            /* the process, from the prepare side */
} exec_child_args;

/* The listener gets the process's pid as the runtime sees it: "self" in
   the runtime's procfs, read before the mount namespace changes.  */
static int
prepare_listener (exec_child_args *a, berth_error **err)
{
  const oci_seccomp *seccomp = a->plan.seccomp.seccomp;
  char self[32] = "";
  ssize_t n;

  if (seccomp == NULL || !seccomp_uses_notify (seccomp))
    return 0;
  /* listenerPath is a host path: connect while the host is reachable.  */
  if (seccomp_listener_connect (&a->plan.seccomp, err) < 0)
    return -1;
  n = readlink ("/proc/self", self, sizeof self - 1);
  if (n <= 0)
    return berth_error_sys (err, "readlink /proc/self");
  self[n] = '\0';
  process_plan_listener_state (&a->plan, atoi (self), a->state);
  return 0;
}

/* In the container's root after setns: cwd resolved inside it.  As runc,
   a missing cwd is an error (the init creates it, exec does not).  */
static int
open_cwd (const char *cwd, berth_error **err)
{
  cleanup_close int root = open ("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
  int fd;

  if (root < 0)
    return berth_error_sys (err, "open the container's root");
  fd = safe_open_in_root (root, cwd, O_PATH | O_DIRECTORY, 0, err);
  if (fd < 0)
    return berth_error_wrap (err, "process.cwd");
  return fd;
}

/* --tty: a new pty in the container's devpts (its /dev/ptmx, in the
   container's mount namespace), made the process's controlling terminal
   and stdio; the master goes to the parent.  While still privileged: the
   peer is chowned to the process's user.  */
static int
send_terminal (const exec_child_args *a, berth_error **err)
{
  cleanup_close int root = open ("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
  cleanup_close int master = -1;
  cleanup_close int peer = -1;
  const oci_process *p = a->process;

  if (root < 0)
    return berth_error_sys (err, "open the container's root");
  if (terminal_open_pty (root, &master, &peer, err) < 0)
    return berth_error_wrap (err, "exec --tty");
  if (p->has_console_size
      && terminal_set_size (master, p->console_height, p->console_width,
                            err)
             < 0)
    return berth_error_wrap (err, "process.consoleSize");
  /* In the foreground the pty is berth's terminal's stand-in: its size
     from the start (stdio are still berth's here), not once the proxy
     runs.  */
  if (!p->has_console_size && a->foreground)
    terminal_copy_size (master);
  if (fchown (peer, p->user.uid, (gid_t) -1) < 0)
    return berth_error_sys (err, "exec --tty: chown the pty to %u",
                            (unsigned) p->user.uid);
  if (terminal_become_stdio (peer, err) < 0)
    return berth_error_wrap (err, "exec --tty");
  return sync_send_fd (a->sync_fd, SYNC_CONSOLE, master, err);
}

static int
child_setup (exec_child_args *a, berth_error **err)
{
  /* If berth dies before the workload runs, so does this process.  */
  prctl (PR_SET_PDEATHSIG, SIGKILL);
  a->plan.pdeathsig = SIGKILL;
  {
    /* The host's procfs, verified, to read which signals need a reset;
       without it every signal is reset.  */
    berth_error *e = NULL;
    cleanup_close int proc = procfs_open_root (&e);
    if (proc < 0)
      berth_error_free (e);
    if (process_reset_signals (proc, &a->plan.status,
                               &a->plan.status_known, err)
        < 0)
      return -1;
  }
  if (cgroup_join_self (&a->cg_join, err) < 0)
    return -1;
  if (a->wait_cgroup
      && sync_expect (a->sync_fd, SYNC_CGROUP_ACK, NULL, err) < 0)
    return -1;
  if (prepare_listener (a, err) < 0)
    return -1;
  /* One call: the kernel joins the user namespace first and checks the
     others with the credentials it gives.  */
  if (a->join_flags && setns (a->init_pidfd, (int) a->join_flags) < 0)
    return berth_error_sys (err, "join the namespaces of the container's "
                                 "init");
  close (a->init_pidfd);
  a->init_pidfd = -1;
  /* Joining a user namespace gives a full bounding set: what was read
     with the signals no longer holds, and the new one is known without
     a read (this child has no procfs of the container's to read it
     through: it would be asked one capability at a time).  */
  if (a->join_flags & CLONE_NEWUSER)
    process_plan_userns_entered (&a->plan);
  /* No mount namespace of its own: its root is a chroot, not a mount
     namespace that setns would have given.  */
  if (a->root_fd >= 0 && (fchdir (a->root_fd) < 0 || chroot (".") < 0))
    return berth_error_sys (err, "enter the root of the container's init");
  if (a->root_fd >= 0)
    {
      close (a->root_fd);
      a->root_fd = -1;
    }
  if (process_join_session_keyring (a->id, err) < 0)
    return -1;
  a->plan.cwd_fd = open_cwd (a->process->cwd, err);
  if (a->plan.cwd_fd < 0)
    return -1;
  if (a->process->terminal && send_terminal (a, err) < 0)
    return -1;
  /* The tail the init takes too; the labels through the container's own
     procfs (plan.proc_fd -1), the container's NUMA policy as its init
     has it.  */
  return process_plan_prepare (&a->plan, err);
}

__attribute__ ((noreturn)) static void
exec_child (exec_child_args *a)
{
  berth_error *err = NULL;

  /* As the init: until execve, /proc/<pid>/exe is the host's berth, and
     this process is in the container's pid namespace (CVE-2019-5736).  */
  if (prctl (PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
    _exit (1);
  close_fds (a->parent_fds, sizeof a->parent_fds / sizeof a->parent_fds[0]);
  cg_root_release ();
  if (child_setup (a, &err) == 0)
    {
      /* From here the process is the workload's: it outlives berth in
         --detach, and in the foreground once started (as runc).  */
      prctl (PR_SET_PDEATHSIG, 0);
      process_plan_exec (&a->plan, &err);
    }
  sync_send_error (a->sync_fd, err);
  _exit (1);
}

/* The child in berth's memory (base/clone-vm.h) works on a copy of its
   arguments on its own stack: what it changes there (the descriptors it
   closed, the plan it filled) must not reach the parent's, which the
   parent releases after.  */
static int
exec_child_in_vm (void *arg)
{
  exec_child_args a = *(const exec_child_args *) arg;

  exec_child (&a);
}

/* Whether the child can share berth's memory until it execs, the parent
   asleep meanwhile: not when the parent must act while the child waits
   (the v1 move it cannot make itself), nor to join a time namespace (the
   kernel takes a process that shares its memory for one of several
   threads: EUSERS).  */
static bool
child_can_share_memory (const exec_child_args *a)
{
  return clone_vm_supported () && !a->wait_cgroup
         && !(a->join_flags & CLONE_NEWTIME);
}

/* A clone sharing berth's memory, on `stack` (unmapped here).  The child
   makes that memory undumpable before anything else (exec_child), which
   guards berth's memory from the container while the child is in its pid
   namespace; berth's own process is dumpable again once the child has
   exec'd.  */
static pid_t
clone_exec_child_in_vm (exec_child_args *a, clone_vm_stack *stack,
                        int cgroup_fd, int *pidfd)
{
  int dumpable = prctl (PR_GET_DUMPABLE, 0, 0, 0, 0);
  pid_t pid;
  int saved;

  /* What the child would release, the parent releases now: a global it
     reset would be the parent's too.  berth has no use for the cgroup
     root after the clone.  */
  cg_root_release ();
  pid = clone_vm_run (0, cgroup_fd, pidfd, stack, exec_child_in_vm, a);
  saved = errno;
  clone_vm_stack_unmap (stack);
  if (dumpable > 0)
    prctl (PR_SET_DUMPABLE, dumpable, 0, 0, 0);
  errno = saved;
  return pid;
}

/* Kills a child that did not make it to the workload and reaps it.  */
static void
child_abort (int pidfd)
{
  siginfo_t info;

  sys_pidfd_send_signal (pidfd, SIGKILL);
  while (waitid (P_PIDFD, (id_t) pidfd, &info, WEXITED) < 0
         && errno == EINTR)
    ;
}

static int
check_execable (const container_handle *h, bool ignore_paused,
                berth_error **err)
{
  /* runc's words.  "created" is fine: the init waits on exec.fifo with
     every namespace and mount in place.  --ignore-paused: the process is
     made in the frozen cgroup and runs once the container is resumed (berth
     waits for it to exec, as runc).  */
  if (h->status == OCI_STATUS_STOPPED || h->pidfd < 0)
    return berth_error_set (err, 0, "cannot exec in a stopped container");
  if (h->status == OCI_STATUS_PAUSED && !ignore_paused)
    return berth_error_set (err, 0, "cannot exec in a paused container "
                                    "(use --ignore-paused to override)");
  if (h->status == OCI_STATUS_CREATING)
    return berth_error_set (err, 0, "cannot exec in a container that is "
                                    "being created");
  return 0;
}

/* The init exited while exec was under way (a container being stopped):
   its /proc/PID/ns links are gone (ENOENT), setns on its pidfd fails
   (ESRCH), a clone into its dead pid namespace fails (ENOMEM).  Said as
   for a container found stopped, and not with those errnos' words:
   Docker and podman read "no such file or directory" in an exec's error
   as "command not found" (exit status 127).  */
static bool
init_gone (const container_handle *h)
{
  char path[64];
  struct stat st;

  if (pidfd_exited (h->pidfd))
    return true;
  /* Exiting: the kernel drops the namespaces (and their /proc links)
     before the pidfd polls readable.  Until it does, the process has not
     been reaped, so the number is still its own.  */
  snprintf (path, sizeof path, "/proc/%d/ns/ipc", (int) h->state->pid);
  return stat (path, &st) < 0 && errno == ENOENT;
}

static void
exec_init_gone (const container_handle *h, berth_error **err)
{
  berth_debug ("exec %s: the init exited: %s", h->id,
               *err ? (*err)->msg : "");
  berth_error_clear (err);
  berth_error_set (err, 0, "cannot exec in a stopped container (the init of "
                           "\"%s\" exited during the exec)",
                   h->id);
}

/* The container checked, and its cgroup (exec --cgroup: a sub-cgroup).  */
static int
exec_target_prepare (container_handle *h, const container_exec_opts *opts,
                     berth_error **err)
{
  if (check_execable (h, opts->ignore_paused, err) < 0)
    return -1;
  /* --ignore-paused on a paused container: the process waits frozen for
     `resume`, which takes the lock; keeping it would deadlock.  */
  if (h->status == OCI_STATUS_PAUSED)
    container_handle_unlock (h);
  if (opts->n_cgroups)
    {
      cgroup_manager *sub;
      if (h->cg == NULL)
        return berth_error_set (err, 0, "exec --cgroup: container \"%s\" "
                                        "has no cgroup",
                                h->id);
      sub = cgroup_manager_sub (h->cg, opts->cgroups, opts->n_cgroups, err);
      if (sub == NULL)
        return -1;
      cgroup_manager_free (h->cg);
      h->cg = sub;
    }
  return 0;
}

/* runc's rules, in runc's words: a terminal needs someone to hold its
   master (the console socket when berth detaches, berth itself in the
   foreground).  */
static int
check_terminal (const oci_process *p, const container_exec_opts *opts,
                berth_error **err)
{
  if (p->terminal && opts->detach && !opts->console_socket)
    return berth_error_set (err, 0, "cannot allocate tty if berth will "
                                    "detach without setting console "
                                    "socket");
  if (opts->console_socket && (!p->terminal || !opts->detach))
    return berth_error_set (err, 0, "cannot use console socket if berth "
                                    "will not detach or allocate tty");
  return 0;
}

/* Clones the child, puts it in the cgroup and waits until it has exec'd
   or said why not.  Returns its pidfd; with a terminal, *master is the
   pty's master.  */
static int
spawn (container_handle *h, exec_child_args *args, pid_t *pid, int *master,
       berth_error **err)
{
  cleanup_close int cg_fd = -1;
  int sv[2] = { -1, -1 };
  int pidfd = -1;
  unsigned long flags, parent_flags;
  clone_vm_stack stack;

  if (ns_not_shared (h->state->pid, args->linux_, &flags, err) < 0)
    return -1;
  /* pid: the namespace of our children, so the clone lands in it.  berth
     clones nothing else, so it is not switched back.
     Without root (rootless), only the container's user namespace gives
     the right to join its pid namespace: both are joined at once (the
     kernel enters the user namespace first and checks the pid namespace
     against it), and the child is born in that user namespace.  */
  parent_flags = CLONE_NEWPID;
  if (geteuid () != 0 && (flags & CLONE_NEWUSER))
    parent_flags |= CLONE_NEWUSER;
  if ((flags & CLONE_NEWPID)
      && setns (h->pidfd, (int) (parent_flags & flags)) < 0)
    return berth_error_sys (err, "join the %snamespace of the "
                                 "container's init",
                            (parent_flags & flags & CLONE_NEWUSER)
                                ? "user and pid "
                                : "pid ");
  if (!(flags & CLONE_NEWPID))
    parent_flags = 0;
  args->join_flags = flags & ~parent_flags;
  args->init_pidfd = h->pidfd;
  args->root_fd = -1;
  if (!(flags & CLONE_NEWNS))
    {
      char path[64];
      snprintf (path, sizeof path, "/proc/%d/root", (int) h->state->pid);
      args->root_fd = open (path, O_PATH | O_DIRECTORY | O_CLOEXEC);
      if (args->root_fd < 0)
        return berth_error_sys (err, "open %s", path);
    }

  if (h->cg)
    {
      cg_fd = h->cg->ops->clone_fd (h->cg, err);
      if (cg_fd < 0 && *err)
        return -1;
      /* v1: the child moves itself, first thing (cgroups/join.h).  */
      if (cg_fd < 0 && h->cg->ops->self_join
          && h->cg->ops->self_join (h->cg, &args->cg_join, err) < 0)
        return -1;
    }
  args->wait_cgroup = h->cg != NULL && cg_fd < 0
                      && args->cg_join.clone_fd < 0
                      && args->cg_join.n_fds == 0;

  if (socketpair (AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
    {
      cgroup_join_close (&args->cg_join);
      return berth_error_sys (err, "socketpair");
    }
  args->sync_fd = sv[1];
  args->parent_fds[0] = sv[0];
  args->parent_fds[1] = h->dir_fd;
  args->parent_fds[2] = cg_fd;

  fflush (NULL);
  /* Without a stack for it (no memory to map), the child is forked: a
     clone's ENOMEM below says the pid namespace is gone.  */
  if (child_can_share_memory (args)
      && clone_vm_stack_map (&stack, 512 * 1024) == 0)
    *pid = clone_exec_child_in_vm (
        args, &stack, cg_fd >= 0 ? cg_fd : args->cg_join.clone_fd, &pidfd);
  else
    {
      *pid = clone_init (0, cg_fd >= 0 ? cg_fd : args->cg_join.clone_fd,
                         &pidfd);
      if (*pid == 0)
        exec_child (args);
    }
  cgroup_join_close (&args->cg_join);
  if (args->root_fd >= 0)
    close (args->root_fd);
  args->root_fd = -1;
  close (sv[1]);
  if (*pid < 0)
    {
      close (sv[0]);
      /* The init is exiting: its pid namespace takes no new process
         (the init may not have become a zombie yet).  */
      if (errno == ENOMEM && (flags & CLONE_NEWPID))
        return berth_error_set (err, 0, "cannot exec in a stopped container "
                                        "(the pid namespace of \"%s\" has "
                                        "no init any more)",
                                h->id);
      return berth_error_sys (err, "clone the exec process");
    }
  if (args->wait_cgroup)
    {
      /* v1: before the child does anything (it waits for this).  */
      if (h->cg->ops->enter (h->cg, *pid, err) < 0
          || sync_send (sv[0], SYNC_CGROUP_ACK, 0, err) < 0)
        goto fail;
    }
  if (args->process->terminal
      && sync_expect_fd (sv[0], SYNC_CONSOLE, master, err) < 0)
    goto fail;
  if (sync_expect_exec (sv[0], err) < 0)
    goto fail;
  close (sv[0]);
  return pidfd;

fail:
  close (sv[0]);
  child_abort (pidfd);
  close (pidfd);
  return -1;
}

int
container_exec (container_handle *h, container_exec_opts *opts,
                int *exit_code, berth_error **err)
{
  oci_config *config;
  exec_child_args args;
  oci_process *p = NULL;
  cleanup_close int pidfd = -1;
  cleanup_close int console_sock = -1;
  cleanup_close int master = -1;
  sigset_t all, old;
  pid_t pid = 0;
  int ret = -1;

  memset (&args, 0, sizeof args);
  cgroup_join_init (&args.cg_join);
  args.plan.cwd_fd = args.plan.root_fd = args.plan.proc_fd = -1;
  args.plan.seccomp.listener_fd = -1;
  *exit_code = 0;
  /* Blocked before clone so none is lost before the signalfd; the child
     unblocks them before it execs.  */
  sigfillset (&all);
  sigdelset (&all, SIGSEGV);
  sigdelset (&all, SIGBUS);
  sigdelset (&all, SIGILL);
  sigdelset (&all, SIGFPE);
  if (!opts->detach)
    sigprocmask (SIG_BLOCK, &all, &old);

  if (exec_target_prepare (h, opts, err) < 0)
    goto out;
  config = container_handle_config (h, err);
  if (config == NULL)
    goto out;
  p = exec_process_build (&opts->process, &config->process,
                          &opts->overrides, err);
  if (p == NULL)
    goto out;
  if (check_terminal (p, opts, err) < 0)
    goto out;
  if (process_validate (p, config->linux_ ? config->linux_->personality : NULL,
                        err)
      < 0)
    goto out;

  args.id = h->id;
  args.process = p;
  args.linux_ = config->linux_;
  args.foreground = !opts->detach;
  args.state = h->state;
  if (process_plan_init (&args.plan, p, config->linux_, opts->preserve_fds,
                         err)
      < 0)
    goto out;

  /* Before the process exists, so a wrong path fails with nothing to undo.  */
  if (opts->console_socket)
    {
      console_sock = console_socket_connect (opts->console_socket, err);
      if (console_sock < 0)
        goto out;
    }
  if (seccomp_prepare (&args.plan.seccomp, h->root_fd, err) < 0)
    goto out;
  pidfd = spawn (h, &args, &pid, &master, err);
  if (pidfd < 0)
    {
      if (init_gone (h))
        exec_init_gone (h, err);
      goto out;
    }
  if (console_sock >= 0
      && console_socket_send (console_sock, master, opts->console_socket, err)
             < 0)
    {
      child_abort (pidfd);
      goto out;
    }
  if (write_pid_file (opts->pid_file, pid, err) < 0
      || (opts->pidfd_socket
          && send_pidfd (opts->pidfd_socket, pidfd, PIDFD_SOCKET_EXEC, err)
                 < 0))
    {
      child_abort (pidfd);
      goto out;
    }
  berth_debug ("exec %s: process %d started", h->id, (int) pid);
  if (opts->detach)
    {
      ret = 0;
      goto out;
    }
  /* Let delete through while the process runs.  */
  container_handle_unlock (h);
  ret = 0;
  /* With a terminal, until the process exited and its output is out; the
     wait below then only reaps it.  */
  if (master >= 0)
    ret = terminal_proxy (master, pidfd, &all, err);
  if (ret == 0)
    ret = forward_and_wait (pidfd, &all, exit_code, err);
out:
  process_plan_release (&args.plan);
  oci_process_free (p);
  if (!opts->detach)
    sigprocmask (SIG_SETMASK, &old, NULL);
  return ret;
}
