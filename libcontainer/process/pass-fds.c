/* berth: --preserve-fds and LISTEN_FDS.  */
#include "libcontainer/process/pass-fds.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/utils.h"

/* systemd's sd_listen_fds(3): the fds are ours only when LISTEN_PID
   names this process.  */
static int
listen_fds_from_env (berth_error **err)
{
  const char *pid = getenv ("LISTEN_PID");
  const char *fds = getenv ("LISTEN_FDS");
  char *end;
  long n;

  if (pid == NULL || fds == NULL)
    return 0;
  errno = 0;
  n = strtol (pid, &end, 10);
  if (errno || *end != '\0' || n != (long) getpid ())
    return 0;
  errno = 0;
  n = strtol (fds, &end, 10);
  if (errno || *end != '\0' || n < 0 || n > 65536)
    return berth_error_set (err, 0, "LISTEN_FDS: invalid number \"%s\"",
                            fds);
  return (int) n;
}

int
pass_fds_count (int preserve, int *listen, berth_error **err)
{
  int n = listen_fds_from_env (err);

  if (n < 0)
    return -1;
  *listen = n;
  for (int i = 0; i < n + preserve; i++)
    {
      int fd = 3 + i;
      int flags = fcntl (fd, F_GETFD);

      if (flags < 0 || (flags & FD_CLOEXEC))
        {
          if (i < n)
            return berth_error_set (err, 0,
                                    "LISTEN_FDS=%d: fd %d was not passed "
                                    "to berth",
                                    n, fd);
          return berth_error_set (err, 0,
                                  "--preserve-fds %d: fd %d was not passed "
                                  "to berth",
                                  preserve, fd);
        }
    }
  return n + preserve;
}

static void
env_set (char ***envp, const char *key, const char *value)
{
  size_t klen = strlen (key), n = 0;
  char *entry = xasprintf ("%s=%s", key, value);
  char **env = *envp;

  for (; env[n]; n++)
    if (strncmp (env[n], key, klen) == 0 && env[n][klen] == '=')
      {
        free (env[n]);
        env[n] = entry;
        return;
      }
  env = xrealloc (env, (n + 2) * sizeof (char *));
  env[n] = entry;
  env[n + 1] = NULL;
  *envp = env;
}

void
pass_fds_env (char ***envp, int listen)
{
  const char *names = getenv ("LISTEN_FDNAMES");
  char buf[32];

  if (listen <= 0)
    return;
  snprintf (buf, sizeof buf, "%d", listen);
  env_set (envp, "LISTEN_FDS", buf);
  if (names)
    env_set (envp, "LISTEN_FDNAMES", names);
  snprintf (buf, sizeof buf, "%d", (int) getpid ());
  env_set (envp, "LISTEN_PID", buf);
}
