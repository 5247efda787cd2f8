/* berth migrate --to: the ssh connection (libcontainer/criu/ssh-transport.h).  */
#include "libcontainer/criu/ssh-transport.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "base/utils.h"

extern char **environ;

char *
shell_quote (const char *s)
{
  size_t n = 2;
  char *out, *p;

  for (const char *c = s; *c; c++)
    n += *c == '\'' ? 4 : 1;
  out = p = xmalloc0 (n + 1);
  *p++ = '\'';
  for (const char *c = s; *c; c++)
    if (*c == '\'')
      {
        memcpy (p, "'\\''", 4);
        p += 4;
      }
    else
      *p++ = *c;
  *p++ = '\'';
  *p = '\0';
  return out;
}

/* The words as one command line for the far side's shell (ssh joins its
   arguments with spaces and hands them to the login shell).  */
static char *
remote_command (char *const *argv)
{
  size_t n = 1;
  char *out;

  for (size_t i = 0; argv[i]; i++)
    {
      cleanup_free char *q = shell_quote (argv[i]);
      n += strlen (q) + 1;
    }
  out = xmalloc0 (n);
  for (size_t i = 0; argv[i]; i++)
    {
      cleanup_free char *q = shell_quote (argv[i]);
      if (i)
        strcat (out, " ");
      strcat (out, q);
    }
  return out;
}

int
ssh_link_open (ssh_link *l, const char *dest, char *const *argv,
               berth_error **err)
{
  cleanup_free char *cmd = NULL;
  posix_spawn_file_actions_t fa;
  int to[2] = { -1, -1 }, from[2] = { -1, -1 };
  char *sargv[16];
  int n = 0;

  l->pid = -1;
  l->wire.in = l->wire.out = -1;
  if (dest == NULL || *dest == '\0' || *dest == '-')
    return berth_error_set (err, EINVAL, "migrate --to \"%s\": expected "
                                         "[USER@]HOST",
                            dest ? dest : "");
  cmd = remote_command (argv);
  sargv[n++] = (char *) "ssh";
  /* No tty: the wire is binary.  BatchMode: no prompt.  The keepalives
     notice a dead link in 15 s instead of TCP's minutes.  */
  sargv[n++] = (char *) "-T";
  sargv[n++] = (char *) "-o";
  sargv[n++] = (char *) "BatchMode=yes";
  sargv[n++] = (char *) "-o";
  sargv[n++] = (char *) "ServerAliveInterval=5";
  sargv[n++] = (char *) "-o";
  sargv[n++] = (char *) "ServerAliveCountMax=3";
  sargv[n++] = (char *) "--";
  sargv[n++] = (char *) dest;
  sargv[n++] = cmd;
  sargv[n] = NULL;

  if (pipe2 (to, O_CLOEXEC) < 0 || pipe2 (from, O_CLOEXEC) < 0)
    {
      berth_error_sys (err, "pipe");
      goto fail;
    }
  posix_spawn_file_actions_init (&fa);
  posix_spawn_file_actions_adddup2 (&fa, to[0], 0);
  posix_spawn_file_actions_adddup2 (&fa, from[1], 1);
  errno = posix_spawnp (&l->pid, "ssh", &fa, NULL, sargv, environ);
  posix_spawn_file_actions_destroy (&fa);
  if (errno != 0)
    {
      berth_error_sys (err, "migrate --to: running ssh (install "
                            "openssh-client)");
      l->pid = -1;
      goto fail;
    }
  close (to[0]);
  close (from[1]);
  l->wire.out = to[1];
  l->wire.in = from[0];
  l->wire.sent = l->wire.received = 0;
  return 0;

fail:
  for (int i = 0; i < 2; i++)
    {
      if (to[i] >= 0)
        close (to[i]);
      if (from[i] >= 0)
        close (from[i]);
    }
  return -1;
}

int
ssh_link_close (ssh_link *l, int kill_first)
{
  int ws;

  if (l->wire.out >= 0)
    close (l->wire.out);
  l->wire.out = -1;
  if (l->pid > 0 && kill_first)
    kill (l->pid, SIGTERM);
  if (l->wire.in >= 0)
    close (l->wire.in);
  l->wire.in = -1;
  if (l->pid <= 0)
    return -1;
  while (waitpid (l->pid, &ws, 0) < 0)
    if (errno != EINTR)
      {
        l->pid = -1;
        return -1;
      }
  l->pid = -1;
  return WIFEXITED (ws) ? WEXITSTATUS (ws) : -1;
}
