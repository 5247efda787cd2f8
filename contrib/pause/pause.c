/* pause: the process that holds a pod's namespaces (the CRI "sandbox
 * image" of berth's tests, tests/cri).  It sleeps until SIGINT or SIGTERM
 * asks it to go (exit 0; SIGKILL needs no handler), and as PID 1 of a
 * shared PID namespace it reaps the pod's orphans so no zombie is left.
 *
 * Built static (make contrib/pause/pause) so an image holds this one file.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int
main (void)
{
  sigset_t set;
  int sig;

  /* Every signal this loop answers is blocked and taken with sigwait: no
   * handler runs at an awkward moment, none is lost between two waits. */
  sigemptyset (&set);
  sigaddset (&set, SIGINT);
  sigaddset (&set, SIGTERM);
  sigaddset (&set, SIGCHLD);
  if (sigprocmask (SIG_BLOCK, &set, NULL) < 0)
    {
      perror ("pause: sigprocmask");
      return 1;
    }
  if (getpid () != 1)
    fprintf (stderr, "pause: not PID 1: orphans are reaped by another process\n");

  for (;;)
    {
      if (sigwait (&set, &sig) != 0)
        continue;
      if (sig == SIGCHLD)
        {
          /* Several children may have exited for one SIGCHLD. */
          while (waitpid (-1, NULL, WNOHANG) > 0)
            ;
          continue;
        }
      return 0;
    }
}
