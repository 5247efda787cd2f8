/* berth migrate: a process berth starts and all it starts, as one process group
 * (libcontainer/criu/migrate-group.h).  */
#include "libcontainer/criu/migrate-group.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

/* The parent died: the group goes, this process with it.  kill() is
   async-signal-safe.  */
static void
end_group (int sig)
{
  (void) sig;
  kill (0, SIGKILL);
}

int
migrate_group_enter (pid_t parent)
{
  struct sigaction sa = { .sa_handler = end_group };
  sigset_t term;

  /* Not in a group of our own, kill (0, ...) would reach berth's.  */
  if (setpgid (0, 0) < 0)
    return -1;
  sigemptyset (&sa.sa_mask);
  sigemptyset (&term);
  sigaddset (&term, SIGTERM);
  if (sigaction (SIGTERM, &sa, NULL) < 0
      || sigprocmask (SIG_UNBLOCK, &term, NULL) < 0
      || prctl (PR_SET_PDEATHSIG, SIGTERM) < 0)
    return -1;
  /* The parent died before the prctl: no signal will come.  */
  if (getppid () != parent)
    return -1;
  return 0;
}

void
migrate_group_adopt (pid_t child)
{
  /* EACCES once the child has exec'd: it made the group itself.  */
  (void) setpgid (child, child);
}

void
migrate_group_kill (pid_t leader)
{
  int ws;

  if (leader <= 0)
    return;
  kill (-leader, SIGKILL);
  /* The leader itself, should its group not exist (it never does once
     adopted: belt and braces).  */
  kill (leader, SIGKILL);
  while (waitpid (leader, &ws, 0) < 0 && errno == EINTR)
    ;
}

pid_t
migrate_group_spawn (char *const argv[], int netns, berth_error **err)
{
  pid_t parent = getpid ();
  pid_t pid;

  fflush (NULL);
  pid = fork ();
  if (pid < 0)
    {
      berth_error_sys (err, "fork for %s", argv[0]);
      return -1;
    }
  if (pid == 0)
    {
      /* SIGKILL here, not the handler of migrate_group_enter: exec resets
         handlers, and the program has no children of its own.  */
      if (setpgid (0, 0) < 0 || prctl (PR_SET_PDEATHSIG, SIGKILL) < 0
          || getppid () != parent
          || (netns >= 0 && setns (netns, CLONE_NEWNET) < 0))
        _exit (127);
      execvp (argv[0], argv);
      fprintf (stderr, "berth: exec %s: %s\n", argv[0], strerror (errno));
      _exit (127);
    }
  migrate_group_adopt (pid);
  return pid;
}
