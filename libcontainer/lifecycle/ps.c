/* berth: `berth ps`'s table: ps(1) run on the host, filtered to the
 * container's processes (ps.h).  */
#include "libcontainer/lifecycle/ps.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "base/utils.h"
#include "libcontainer/lifecycle/container.h"

extern char **environ;

/* Runs ps with `args` (NULL-terminated, args[0] "ps"): stdout and stderr
   together, as the error message needs both.  */
static int
run_ps (char **args, char **out, berth_error **err)
{
  cleanup_close int rd = -1;
  posix_spawn_file_actions_t fa;
  int p[2], status, r;
  size_t len = 0;
  pid_t pid;

  if (pipe2 (p, O_CLOEXEC) < 0)
    return berth_error_sys (err, "ps: pipe");
  rd = p[0];
  posix_spawn_file_actions_init (&fa);
  posix_spawn_file_actions_addopen (&fa, STDIN_FILENO, "/dev/null", O_RDONLY,
                                    0);
  posix_spawn_file_actions_adddup2 (&fa, p[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2 (&fa, p[1], STDERR_FILENO);
  r = posix_spawnp (&pid, args[0], &fa, NULL, args, environ);
  posix_spawn_file_actions_destroy (&fa);
  close (p[1]);
  if (r != 0)
    return berth_error_set (err, r, "ps: run %s", args[0]);
  r = read_all_fd (rd, "the output of ps", out, &len, err);
  while (waitpid (pid, &status, 0) < 0)
    if (errno != EINTR)
      return berth_error_sys (err, "ps: wait");
  if (r < 0)
    return -1;
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    {
      size_t n = strlen (*out);
      while (n > 0 && (*out)[n - 1] == '\n')
        (*out)[--n] = '\0';
      r = berth_error_set (err, 0, "ps: %s %s: %s", args[0],
                           WIFEXITED (status) ? "failed" : "was killed",
                           *out);
      free (*out);
      *out = NULL;
      return r;
    }
  return 0;
}

/* The index of the "PID" column in ps's header, -1 when absent.  */
static int
pid_column (const char *header)
{
  cleanup_free char *copy = xstrdup (header);
  char *save = NULL;
  int i = 0;

  for (char *tok = strtok_r (copy, " \t", &save); tok;
       tok = strtok_r (NULL, " \t", &save), i++)
    if (strcmp (tok, "PID") == 0)
      return i;
  return -1;
}

static bool
line_pid (const char *line, int column, pid_t *pid)
{
  cleanup_free char *copy = xstrdup (line);
  char *save = NULL, *end;
  int i = 0;

  for (char *tok = strtok_r (copy, " \t", &save); tok;
       tok = strtok_r (NULL, " \t", &save), i++)
    if (i == column)
      {
        long v = strtol (tok, &end, 10);
        if (*end != '\0' || v <= 0)
          return false;
        *pid = (pid_t) v;
        return true;
      }
  return false;
}

static int
compare_pid (const void *a, const void *b)
{
  pid_t x = *(const pid_t *) a, y = *(const pid_t *) b;
  return (x > y) - (x < y);
}

int
container_ps_table (container_handle *h, char **ps_args, int n_ps_args,
                    char **table, berth_error **err)
{
  /* "ps", the arguments or "-ef", and the NULL that ends argv.  */
  cleanup_free char **args = xmalloc0 ((size_t) (n_ps_args + 3)
                                       * sizeof (char *));
  cleanup_free pid_t *pids = NULL;
  cleanup_free char *out = NULL;
  size_t n = 0, used = 0;
  char *line, *next, *res;
  int column;

  *table = NULL;
  /* A stopped container usually has no processes: ps's header only, as
     runc.  */
  if (container_pids (h, &pids, &n, err) < 0)
    return -1;
  args[0] = (char *) "ps";
  if (n_ps_args == 0)
    args[1] = (char *) "-ef";
  else
    memcpy (args + 1, ps_args, (size_t) n_ps_args * sizeof (char *));
  if (run_ps (args, &out, err) < 0)
    return -1;

  next = strchr (out, '\n');
  if (next)
    *next++ = '\0';
  column = pid_column (out);
  if (column < 0)
    return berth_error_set (err, 0, "ps: no PID column in the output of ps "
                                    "(header \"%s\")",
                            out);
  /* The kept lines are never longer than ps's output.  */
  res = xmalloc0 (strlen (out) + (next ? strlen (next) : 0) + 3);
  used = (size_t) sprintf (res, "%s\n", out);
  for (line = next; line && *line; line = next)
    {
      pid_t pid;
      next = strchr (line, '\n');
      if (next)
        *next++ = '\0';
      /* container_pids sorts them.  */
      if (n > 0 && line_pid (line, column, &pid)
          && bsearch (&pid, pids, n, sizeof *pids, compare_pid))
        used += (size_t) sprintf (res + used, "%s\n", line);
    }
  *table = res;
  return 0;
}
