#include "src/criu-options.h"

#include <string.h>

void
criu_cli_init (criu_cli *cli)
{
  memset (cli, 0, sizeof *cli);
  cli->flags.manage_cgroups_mode = -1;
  cli->flags.status_fd = -1;
}

int
criu_cli_option (const char *cmd, int c, const char *arg, criu_cli *cli,
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
