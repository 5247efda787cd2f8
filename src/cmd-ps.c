/* berth ps: the processes of a container, as ps(1) shows them or as a JSON
 * array of pids (containerd's shim reads that one).  */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "libcontainer/lifecycle/container.h"
#include "base/utils.h"
#include "src/commands.h"

extern char **environ;

static const char help[]
    = "Usage: berth ps [options] ID [PS-OPTIONS...]\n"
      "\n"
      "Show the processes of a container.  The table is the output of\n"
      "ps(1) run on the host with PS-OPTIONS (default -ef), keeping the\n"
      "header and the lines of the container's processes; the PS-OPTIONS\n"
      "must keep a PID column (berth ps ID -o pid,comm).  A \"--\" right\n"
      "after ID is dropped.  A stopped container shows the header only\n"
      "(or [] in json) and exits 0.\n"
      "\n"
      "Options:\n"
      "  -f, --format FORMAT  table (default) or json (an array of the\n"
      "                       host pids)\n"
      "  -h, --help           this help\n";

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

static int
print_table (const pid_t *pids, size_t n, char **ps_args, int n_ps_args,
             berth_error **err)
{
  /* "ps", the arguments or "-ef", and the NULL that ends argv.  */
  cleanup_free char **args = xmalloc0 ((size_t) (n_ps_args + 3)
                                       * sizeof (char *));
  cleanup_free char *out = NULL;
  char *line, *next;
  int column;

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
  printf ("%s\n", out);
  for (line = next; line && *line; line = next)
    {
      pid_t pid;
      next = strchr (line, '\n');
      if (next)
        *next++ = '\0';
      if (line_pid (line, column, &pid)
          && bsearch (&pid, pids, n, sizeof *pids, compare_pid))
        printf ("%s\n", line);
    }
  return 0;
}

static int
container_is_stopped (const char *root, const char *id, bool *stopped,
                      berth_error **err)
{
  oci_state *state = container_state (root, id, err);

  if (state == NULL)
    return -1;
  *stopped = strcmp (state->status, "stopped") == 0;
  oci_state_free (state);
  return 0;
}

int
cmd_ps (global_opts *g, int argc, char **argv, berth_error **err)
{
  static const struct option opts[] = {
    { "format", required_argument, NULL, 'f' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  cleanup_free pid_t *pids = NULL;
  const char *format = "table";
  const char *id;
  bool stopped = false;
  size_t n = 0;
  int c, ret;

  while ((c = getopt_long (argc, argv, "+:f:h", opts, NULL)) != -1)
    {
      switch (c)
        {
        case 'f':
          format = optarg;
          break;
        case 'h':
          return print_help (help);
        case ':':
          return usage_error (err, "ps", "option \"%s\" needs a value",
                              argv[optind - 1]);
        default:
          return usage_error (err, "ps", "unknown option \"%s\"",
                              argv[optind - 1]);
        }
    }
  if (strcmp (format, "table") != 0 && strcmp (format, "json") != 0)
    return usage_error (err, "ps", "unknown format \"%s\" (table or json)",
                        format);
  if (optind >= argc)
    return usage_error (err, "ps", "expected a container ID");
  id = argv[optind++];
  if (optind < argc && strcmp (argv[optind], "--") == 0)
    optind++;

  if (container_is_stopped (g->root, id, &stopped, err) < 0)
    return -1;
  /* A stopped container has no processes: an empty table (ps's header)
     or [], and success, as runc.  */
  if (!stopped && container_pids (g->root, id, &pids, &n, err) < 0)
    return -1;
  qsort (pids, n, sizeof *pids, compare_pid);
  if (strcmp (format, "json") == 0)
    {
      putchar ('[');
      for (size_t i = 0; i < n; i++)
        printf ("%s%d", i ? "," : "", (int) pids[i]);
      printf ("]\n");
      ret = 0;
    }
  else
    ret = print_table (pids, n, argv + optind, argc - optind, err);
  if (fflush (stdout) != 0 && ret == 0)
    ret = berth_error_sys (err, "ps: write");
  return ret < 0 ? -1 : 0;
}
