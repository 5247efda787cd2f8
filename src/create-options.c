#include "src/create-options.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

enum
{
  OPT_CONSOLE_SOCKET = 256,
  OPT_PID_FILE,
  OPT_NO_PIVOT,
  OPT_NO_NEW_KEYRING,
  OPT_PRESERVE_FDS,
  OPT_OVERLAY,
  OPT_KEEP,
  OPT_NO_SUBREAPER,
  OPT_PIDFD_SOCKET,
};

int
parse_preserve_fds (const char *cmd, const char *arg, int *out,
                    berth_error **err)
{
  char *end;
  long n = strtol (arg, &end, 10);

  if (*arg == '\0' || *end != '\0' || n < 0 || n > 65536)
    return usage_error (err, cmd, "--preserve-fds: invalid number \"%s\"",
                        arg);
  *out = (int) n;
  return 0;
}

int
parse_create_options (const char *cmd, bool is_run, global_opts *g,
                      int argc, char **argv, container_create_opts *opts,
                      run_flags *flags, berth_error **err)
{
  static const struct option long_opts[] = {
    { "bundle", required_argument, NULL, 'b' },
    { "console-socket", required_argument, NULL, OPT_CONSOLE_SOCKET },
    { "pidfd-socket", required_argument, NULL, OPT_PIDFD_SOCKET },
    { "pid-file", required_argument, NULL, OPT_PID_FILE },
    { "no-pivot", no_argument, NULL, OPT_NO_PIVOT },
    { "no-new-keyring", no_argument, NULL, OPT_NO_NEW_KEYRING },
    { "preserve-fds", required_argument, NULL, OPT_PRESERVE_FDS },
    { "overlay", no_argument, NULL, OPT_OVERLAY },
    { "detach", no_argument, NULL, 'd' },
    { "keep", no_argument, NULL, OPT_KEEP },
    { "no-subreaper", no_argument, NULL, OPT_NO_SUBREAPER },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  int c;

  memset (opts, 0, sizeof *opts);
  memset (flags, 0, sizeof *flags);
  opts->root = g->root;
  opts->systemd_cgroup = g->systemd_cgroup;
  while ((c = getopt_long (argc, argv, is_run ? "b:dh" : "b:h", long_opts,
                           NULL))
         != -1)
    {
      switch (c)
        {
        case 'b':
          opts->bundle = optarg;
          break;
        case OPT_CONSOLE_SOCKET:
          opts->console_socket = optarg;
          break;
        case OPT_PID_FILE:
          opts->pid_file = optarg;
          break;
        case OPT_PIDFD_SOCKET:
          opts->pidfd_socket = optarg;
          break;
        case OPT_NO_PIVOT:
          opts->no_pivot = true;
          break;
        case OPT_NO_NEW_KEYRING:
          opts->no_new_keyring = true;
          break;
        case OPT_PRESERVE_FDS:
          if (parse_preserve_fds (cmd, optarg, &opts->preserve_fds, err) < 0)
            return -1;
          break;
        case OPT_OVERLAY:
          opts->overlay = true;
          break;
        case 'd':
          if (!is_run)
            goto unknown;
          flags->detach = true;
          break;
        case OPT_KEEP:
          if (!is_run)
            goto unknown;
          flags->keep = true;
          break;
        case OPT_NO_SUBREAPER:
          if (!is_run)
            goto unknown;
          break;
        case 'h':
          flags->help = true;
          return 0;
        default:
        unknown:
          return usage_error (err, cmd, "unknown option \"%s\"",
                              argv[optind - 1]);
        }
    }
  return one_id_argument (cmd, argc, argv, optind, &opts->id, err);
}
