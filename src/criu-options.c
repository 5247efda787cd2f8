/* berth CLI: the command line of checkpoint, restore and migrate
 * (src/criu-options.h).  */
#include "src/criu-options.h"

#include <stdlib.h>
#include <string.h>

/* Option `c` when it is a shared one: 1 taken, 0 not shared, -1 a bad
   value.  */
static int
shared_option (const char *cmd, int c, const char *arg, criu_cli *cli,
               berth_error **err)
{
  switch (c)
    {
    case CRIU_OPT_IMAGE_PATH:
      cli->image_path = arg;
      return 1;
    case CRIU_OPT_WORK_PATH:
      cli->work_path = arg;
      return 1;
    case CRIU_OPT_TCP_ESTABLISHED:
      cli->flags.tcp_established = true;
      return 1;
    case CRIU_OPT_EXT_UNIX_SK:
      cli->flags.ext_unix_sk = true;
      return 1;
    case CRIU_OPT_SHELL_JOB:
      cli->flags.shell_job = true;
      return 1;
    case CRIU_OPT_FILE_LOCKS:
      cli->flags.file_locks = true;
      return 1;
    case CRIU_OPT_AUTO_DEDUP:
      cli->flags.auto_dedup = true;
      return 1;
    case CRIU_OPT_LAZY_PAGES:
      cli->flags.lazy_pages = true;
      return 1;
    case CRIU_OPT_MANAGE_CGROUPS_MODE:
      if (criu_parse_cgroups_mode (arg, &cli->flags.manage_cgroups_mode, err)
          < 0)
        return -1;
      return 1;
    case CRIU_OPT_EMPTY_NS:
      /* runc accepts only the network namespace here, as CRIU does.  */
      if (strcmp (arg, "network") != 0)
        return usage_error (err, cmd, "--empty-ns %s: only \"network\" "
                                      "(CRIU)",
                            arg);
      cli->flags.empty_netns = true;
      return 1;
    default:
      return 0;
    }
}

int
criu_cli_int (const char *cmd, const char *name, const char *arg, long min,
              long max, int *out, berth_error **err)
{
  char *end;
  long n = strtol (arg, &end, 10);

  if (*arg == '\0' || *end != '\0' || n < min || n > max)
    return usage_error (err, cmd, "--%s: expected %ld to %ld, got \"%s\"",
                        name, min, max, arg);
  *out = (int) n;
  return 0;
}

int
criu_cli_parse (const char *cmd, const char *help, const global_opts *g,
                int argc, char **argv, const char *shortopts,
                const struct option *long_opts, criu_cli_own_fn own,
                void *data, criu_cli *cli, const char **id,
                berth_error **err)
{
  int c, r;

  memset (cli, 0, sizeof *cli);
  cli->flags.manage_cgroups_mode = -1;
  cli->flags.status_fd = -1;
  while ((c = getopt_long (argc, argv, shortopts, long_opts, NULL)) != -1)
    {
      if (c == 'h')
        {
          print_help (help);
          return 1;
        }
      r = shared_option (cmd, c, optarg, cli, err);
      if (r == 0)
        r = own (c, optarg, data, err) == 0 ? 1 : -1;
      if (r > 0)
        continue;
      if (*err == NULL)
        usage_error (err, cmd, "unknown option \"%s\"", argv[optind - 1]);
      return -1;
    }
  if (one_id_argument (cmd, argc, argv, optind, id, err) < 0)
    return -1;
  cli->flags.binary = g->criu;
  return 0;
}
