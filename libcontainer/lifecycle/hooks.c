#include "libcontainer/lifecycle/hooks.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/close_range.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/pidfd.h"
#include "base/cleanup.h"
#include "base/log.h"
#include "base/utils.h"

/* A NULL-terminated copy of a counted array (config.h arrays are not
   NULL-terminated); `first` stands alone when the array is empty.  */
static char **
strv_of (char **items, size_t n, const char *first)
{
  char **v = xmalloc0 ((n + 2) * sizeof (char *));
  if (n == 0 && first != NULL)
    v[0] = (char *) first;
  for (size_t i = 0; i < n; i++)
    v[i] = items[i];
  return v;
}

/* Never returns.  Runs in the forked child: no allocation, only
   async-signal-safe calls.  */
static void
exec_hook (const oci_hook *hook, char **argv, char **envp, int stdin_fd,
           int err_fd, pid_t parent)
{
  sigset_t none;
  int e;

  /* A hook does not outlive the berth that runs it (a create killed
     during its prestart hook leaves nothing behind); getppid catches a
     parent that died before the prctl.  */
  prctl (PR_SET_PDEATHSIG, SIGKILL);
  if (getppid () != parent)
    _exit (127);
  sigemptyset (&none);
  sigprocmask (SIG_SETMASK, &none, NULL);
  signal (SIGPIPE, SIG_DFL);
  if (stdin_fd == STDIN_FILENO)
    fcntl (stdin_fd, F_SETFD, 0);
  else if (dup2 (stdin_fd, STDIN_FILENO) < 0)
    goto fail;
  /* Only stdio reaches the hook, as with runc (Go's exec passes nothing
     else): not the fds berth's caller left open, not the container's
     preserved ones.  Close-on-exec rather than closed: err_fd reports a
     failing execve.  */
  if (syscall (SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
    goto fail;
  execve (hook->path, argv, envp);
fail:
  e = errno;
  (void) !write (err_fd, &e, sizeof e);
  _exit (127);
}

static int
monotonic_ms (long long *now)
{
  struct timespec ts;
  if (clock_gettime (CLOCK_MONOTONIC, &ts) < 0)
    return -1;
  *now = (long long) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
  return 0;
}

/* Writes as much of the state as the pipe takes without blocking.  The
   hook may exit without reading it: EPIPE then only ends the writing
   (SIGPIPE is ignored for the duration of the write).  Returns 1 when the
   write end is done with.  */
static int
feed_state (int fd, const char *data, size_t len, size_t *off)
{
  struct sigaction ign = { .sa_handler = SIG_IGN }, old;
  ssize_t w;

  sigemptyset (&ign.sa_mask);
  sigaction (SIGPIPE, &ign, &old);
  do
    w = write (fd, data + *off, len - *off);
  while (w < 0 && errno == EINTR);
  sigaction (SIGPIPE, &old, NULL);
  if (w < 0)
    return errno == EAGAIN ? 0 : 1;
  *off += (size_t) w;
  return *off == len;
}

static void
kill_and_reap (pid_t pid)
{
  kill (pid, SIGKILL);
  while (waitpid (pid, NULL, 0) < 0 && errno == EINTR)
    ;
}

/* Waits for the hook to exit, feeding it the state meanwhile.  Returns 0
   with *status set, 1 on timeout, -1 on a system error; the hook is reaped
   in every case (killed first unless it exited).  */
static int
wait_hook (pid_t pid, int pidfd, int state_fd, const char *state,
           const oci_hook *hook, int *status, berth_error **err)
{
  cleanup_close int in = state_fd;
  size_t len = state ? strlen (state) : 0, off = 0;
  long long deadline = 0, now;
  bool timed_out = false;

  if (hook->has_timeout)
    {
      if (monotonic_ms (&now) < 0)
        {
          berth_error_sys (err, "clock_gettime");
          kill_and_reap (pid);
          return -1;
        }
      deadline = now + (long long) hook->timeout * 1000;
    }
  if (len == 0)
    {
      close (in);
      in = -1;
    }
  for (;;)
    {
      struct pollfd fds[2] = { { .fd = pidfd, .events = POLLIN },
                               { .fd = in, .events = POLLOUT } };
      int timeout = -1, r;

      if (hook->has_timeout)
        {
          if (monotonic_ms (&now) < 0)
            {
              berth_error_sys (err, "clock_gettime");
              kill_and_reap (pid);
              return -1;
            }
          if (now >= deadline)
            {
              timed_out = true;
              break;
            }
          timeout = deadline - now > INT_MAX ? INT_MAX
                                             : (int) (deadline - now);
        }
      r = poll (fds, in >= 0 ? 2 : 1, timeout);
      if (r < 0 && errno == EINTR)
        continue;
      if (r < 0)
        {
          berth_error_sys (err, "poll");
          kill_and_reap (pid);
          return -1;
        }
      if (fds[0].revents & POLLIN)
        break;
      if (in >= 0 && fds[1].revents != 0
          && (!(fds[1].revents & POLLOUT)
              || feed_state (in, state, len, &off)))
        {
          /* EOF for the hook: it has the whole state.  */
          close (in);
          in = -1;
        }
    }
  if (timed_out)
    kill (pid, SIGKILL);
  while (waitpid (pid, status, 0) < 0)
    if (errno != EINTR)
      return berth_error_sys (err, "wait for the hook");
  return timed_out ? 1 : 0;
}

static int
run_one (const oci_hook *hook, const char *state_json, berth_error **err)
{
  cleanup_free char **argv = strv_of (hook->args, hook->n_args, hook->path);
  cleanup_free char **envp = strv_of (hook->env, hook->n_env, NULL);
  cleanup_close int in_r = -1, in_w = -1, err_r = -1, err_w = -1;
  cleanup_close int pidfd = -1;
  int pipe_in[2], pipe_err[2], status = 0, exec_errno = 0, r;
  pid_t pid, parent;
  ssize_t n;

  if (hook->path == NULL || hook->path[0] != '/')
    return berth_error_set (err, 0, "path must be absolute");
  if (pipe2 (pipe_in, O_CLOEXEC) < 0)
    return berth_error_sys (err, "pipe");
  in_r = pipe_in[0];
  in_w = pipe_in[1];
  if (pipe2 (pipe_err, O_CLOEXEC) < 0)
    return berth_error_sys (err, "pipe");
  err_r = pipe_err[0];
  err_w = pipe_err[1];
  /* Only our end: the hook's stdin stays blocking.  */
  if (fcntl (in_w, F_SETFL, O_NONBLOCK) < 0)
    return berth_error_sys (err, "fcntl O_NONBLOCK");

  parent = getpid ();
  pid = fork ();
  if (pid < 0)
    return berth_error_sys (err, "fork");
  if (pid == 0)
    exec_hook (hook, argv, envp, in_r, err_w, parent);

  close (steal_fd (&in_r));
  close (steal_fd (&err_w));
  pidfd = sys_pidfd_open (pid);
  if (pidfd < 0)
    {
      berth_error_sys (err, "pidfd_open");
      kill_and_reap (pid);
      return -1;
    }
  r = wait_hook (pid, pidfd, steal_fd (&in_w), state_json, hook, &status,
                 err);
  if (r < 0)
    return -1;
  if (r == 1)
    return berth_error_set (err, 0, "timed out after %d s", hook->timeout);

  do
    n = read (err_r, &exec_errno, sizeof exec_errno);
  while (n < 0 && errno == EINTR);
  if (n == (ssize_t) sizeof exec_errno)
    return berth_error_set (err, exec_errno, "exec");
  if (WIFEXITED (status) && WEXITSTATUS (status) != 0)
    return berth_error_set (err, 0, "exited with status %d",
                            WEXITSTATUS (status));
  if (WIFSIGNALED (status))
    return berth_error_set (err, 0, "killed by signal %d", WTERMSIG (status));
  return 0;
}

static int
run_numbered (const oci_hook *hook, size_t i, oci_hook_kind kind,
              const char *state_json, berth_error **err)
{
  const char *path = hook->path ? hook->path : "";

  berth_debug ("running %s hook #%zu (%s)", oci_hook_kind_name (kind), i,
               path);
  if (run_one (hook, state_json, err) < 0)
    {
      berth_error_wrap (err, "%s hook #%zu (%s)", oci_hook_kind_name (kind),
                        i, path);
      /* Callers tell a hook's failure from their own (runtime.md: a failed
         create-phase hook still ends with the poststop hooks).  */
      return berth_error_as (err, BERTH_ERROR_HOOK);
    }
  return 0;
}

int
hooks_run (const oci_hook *hooks, size_t n, oci_hook_kind kind,
           const char *state_json, berth_error **err)
{
  for (size_t i = 0; i < n; i++)
    if (run_numbered (&hooks[i], i, kind, state_json, err) < 0)
      return -1;
  return 0;
}

void
hooks_run_warn (const oci_hook *hooks, size_t n, oci_hook_kind kind,
                const char *state_json)
{
  for (size_t i = 0; i < n; i++)
    {
      berth_error *err = NULL;
      if (run_numbered (&hooks[i], i, kind, state_json, &err) < 0)
        {
          berth_warn ("%s", err->msg);
          berth_error_free (err);
        }
    }
}

char *
hooks_state_json (const oci_state *state)
{
  size_t len;
  return oci_state_to_json (state, false, false, &len);
}
