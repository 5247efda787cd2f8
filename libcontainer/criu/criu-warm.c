/* berth: CRIU's kernel probes ahead of the downtime
 * (libcontainer/criu/criu-warm.h).  */
#include "libcontainer/criu/criu-warm.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* CRIU's cache (criu/kerndat.c: KDAT_RUNDIR "/run", "criu.kdat"); CRIU
   checks it is of this boot itself and probes again when not.  */
#define CRIU_KDAT_CACHE "/run/criu.kdat"

pid_t
criu_warm_start (const char *binary)
{
  posix_spawn_file_actions_t fa;
  char *argv[] = { (char *) (binary ? binary : "criu"), (char *) "check",
                   NULL };
  pid_t pid = -1;
  int r;

  if (access (CRIU_KDAT_CACHE, F_OK) == 0)
    return -1;
  /* Its "Looks good." and the probes' complaints are of no use here, and
     on the target stdout is the wire.  */
  if (posix_spawn_file_actions_init (&fa) != 0)
    return -1;
  r = posix_spawn_file_actions_addopen (&fa, 0, "/dev/null", O_RDONLY, 0);
  if (r == 0)
    r = posix_spawn_file_actions_addopen (&fa, 1, "/dev/null", O_WRONLY, 0);
  if (r == 0)
    r = posix_spawn_file_actions_adddup2 (&fa, 1, 2);
  if (r == 0)
    r = posix_spawnp (&pid, argv[0], &fa, NULL, argv, environ);
  posix_spawn_file_actions_destroy (&fa);
  return r == 0 ? pid : -1;
}

void
criu_warm_wait (pid_t *pid)
{
  if (*pid <= 0)
    return;
  while (waitpid (*pid, NULL, 0) < 0 && errno == EINTR)
    ;
  *pid = -1;
}
