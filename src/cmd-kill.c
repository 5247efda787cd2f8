/* berth kill: send a signal to the container's process.  */
#include <ctype.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "libcontainer/lifecycle/container.h"
#include "src/commands.h"

static const char help[]
    = "Usage: berth kill [options] ID [SIGNAL]\n"
      "\n"
      "Send SIGNAL (default SIGTERM) to the container's process.  SIGNAL is\n"
      "a name with or without SIG (KILL, SIGKILL, usr1, RTMIN+3) or a\n"
      "number; 0 sends nothing and only checks that the process is alive\n"
      "(exit 0), an error when it is not.  Options may also follow ID.\n"
      "\n"
      "Options:\n"
      "  -a, --all            signal every process of the container (on a\n"
      "                       stopped one: what is left in its cgroup, and\n"
      "                       exit 0 as runc)\n"
      "  -s, --signal SIGNAL  the signal (as the OCI command line)\n"
      "  -h, --help           this help\n";

static int
parse_signal (const char *text, int *out, berth_error **err)
{
  const char *name = text;
  char *end;
  long n;

  n = strtol (text, &end, 10);
  if (*text != '\0' && *end == '\0')
    {
      /* 0 is the liveness probe (kill(2)'s signal 0): success while the
         process exists, an error once it is gone.  */
      if (n < 0 || n >= NSIG)
        return berth_error_set (err, 0, "invalid signal \"%s\"", text);
      *out = (int) n;
      return 0;
    }
  if (strncasecmp (name, "SIG", 3) == 0)
    name += 3;
  if (strncasecmp (name, "RTMIN", 5) == 0 || strncasecmp (name, "RTMAX", 5) == 0)
    {
      bool max = toupper ((unsigned char) name[3]) == 'A';
      long off = 0;
      if (name[5] != '\0')
        {
          off = strtol (name + 5, &end, 10);
          if (*end != '\0')
            return berth_error_set (err, 0, "invalid signal \"%s\"", text);
        }
      n = max ? SIGRTMAX + off : SIGRTMIN + off;
      if (n < SIGRTMIN || n > SIGRTMAX)
        return berth_error_set (err, 0, "invalid signal \"%s\"", text);
      *out = (int) n;
      return 0;
    }
  for (int sig = 1; sig < SIGRTMIN; sig++)
    {
      const char *abbrev = sigabbrev_np (sig);
      if (abbrev && strcasecmp (abbrev, name) == 0)
        {
          *out = sig;
          return 0;
        }
    }
  return berth_error_set (err, 0, "invalid signal \"%s\"", text);
}

int
cmd_kill (global_opts *g, int argc, char **argv, berth_error **err)
{
  static const struct option opts[] = {
    { "all", no_argument, NULL, 'a' },
    { "signal", required_argument, NULL, 's' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  const char *signame = NULL;
  bool all = false;
  cleanup_container_handle container_handle *h = NULL;
  int signum = SIGTERM;
  int c, nargs;

  while ((c = getopt_long (argc, argv, "as:h", opts, NULL)) != -1)
    {
      switch (c)
        {
        case 'a':
          all = true;
          break;
        case 's':
          signame = optarg;
          break;
        case 'h':
          return print_help (help);
        default:
          return usage_error (err, "kill", "unknown option \"%s\"",
                              argv[optind - 1]);
        }
    }
  nargs = argc - optind;
  if (nargs < 1 || nargs > 2)
    return usage_error (err, "kill", "expected ID [SIGNAL]");
  if (nargs == 2)
    signame = argv[optind + 1];
  if (signame && parse_signal (signame, &signum, err) < 0)
    return -1;
  if (container_open (g->root, argv[optind], 0, &h, err) < 0)
    return -1;
  return container_kill (h, signum, all, err) < 0 ? -1 : 0;
}
