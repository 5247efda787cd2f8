/* berth migrate --receive: the restore child
 * (libcontainer/criu/migrate-target-restore.h).  */
#include "libcontainer/criu/migrate-target-restore.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/utils.h"
#include "libcontainer/criu/checkpoint.h"
#include "libcontainer/criu/migrate-group.h"

pid_t
target_restore_start (const char *root, const char *id, const char *bundle,
                      const char *images, const criu_flags *flags,
                      bool lazy, int *msg_fd, char **msg)
{
  pid_t parent = getpid ();
  int p[2];
  pid_t pid;

  if (pipe2 (p, O_CLOEXEC) < 0)
    {
      *msg = xasprintf ("pipe: %s", strerror (errno));
      return -1;
    }
  pid = fork ();
  if (pid < 0)
    {
      *msg = xasprintf ("fork: %s", strerror (errno));
      close (p[0]);
      close (p[1]);
      return -1;
    }
  if (pid == 0)
    {
      restore_opts r = { 0 };
      berth_error *e = NULL;
      int code, null = open ("/dev/null", O_RDWR | O_CLOEXEC);

      close (p[0]);
      if (migrate_group_enter (parent) < 0)
        _exit (1);
      /* The restore (CRIU, the hooks) as an ordinary one: the receiving
         side ignores SIGPIPE for itself only.  */
      signal (SIGPIPE, SIG_DFL);
      if (null < 0 || dup2 (null, 0) < 0 || dup2 (null, 1) < 0
          || dup2 (null, 2) < 0)
        _exit (1);
      r.root = root;
      r.id = id;
      r.bundle = bundle;
      r.image_path = images;
      r.detach = true;
      r.flags = *flags;
      r.flags.lazy_pages = lazy;
      r.flags.page_server = NULL;
      r.flags.status_fd = -1;
      if (container_restore (&r, &code, &e) < 0)
        {
          write_all (p[1], e->msg, strlen (e->msg));
          _exit (1);
        }
      _exit (0);
    }
  migrate_group_adopt (pid);
  close (p[1]);
  *msg_fd = p[0];
  return pid;
}

int
target_restore_finish (pid_t pid, int msg_fd, char **msg)
{
  char buf[2048];
  ssize_t n, got = 0;
  int ws = 0;

  while ((n = TEMP_FAILURE_RETRY (
              read (msg_fd, buf + got, sizeof buf - 1 - (size_t) got)))
         > 0)
    got += n;
  close (msg_fd);
  buf[got] = '\0';
  while (waitpid (pid, &ws, 0) < 0)
    if (errno != EINTR)
      break;
  if (WIFEXITED (ws) && WEXITSTATUS (ws) == 0)
    return 0;
  for (char *c = buf; *c; c++)
    if (*c == '\n')
      *c = ' ';
  *msg = xstrdup (got ? buf : "the restore failed");
  return -1;
}
