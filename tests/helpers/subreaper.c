/* subreaper: holds the orphans of a command as zombies, for the
 * integration tests of a container whose init has exited but has not been
 * reaped yet (the window in which an engine's shim, itself a subreaper,
 * sees the exit and calls the runtime).
 *
 *   subreaper COMMAND [ARGS...]
 *     Becomes a child subreaper (PR_SET_CHILD_SUBREAPER), runs COMMAND
 *     and waits for it alone, writes its exit status as a line on stdout,
 *     then sleeps until killed, reaping nothing: a process COMMAND left
 *     behind (a container's init, once `create` has exited) is reparented
 *     here and stays a zombie after it exits.  Exits by itself after
 *     120 s.  */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

int
main (int argc, char **argv)
{
  pid_t pid;
  int status;

  if (argc < 2)
    {
      fprintf (stderr, "usage: subreaper COMMAND [ARGS...]\n");
      return 2;
    }
  if (prctl (PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
    {
      perror ("prctl PR_SET_CHILD_SUBREAPER");
      return 1;
    }
  pid = fork ();
  if (pid < 0)
    {
      perror ("fork");
      return 1;
    }
  if (pid == 0)
    {
      execvp (argv[1], argv + 1);
      perror (argv[1]);
      _exit (127);
    }
  while (waitpid (pid, &status, 0) < 0)
    if (errno != EINTR)
      {
        perror ("waitpid");
        return 1;
      }
  printf ("%d\n", WIFEXITED (status) ? WEXITSTATUS (status) : 128);
  fflush (stdout);
  sleep (120);
  return 0;
}
