/* berth checkpoint: a container into CRIU images (runc's options).  */
#include <errno.h>
#include <stdlib.h>

#include "src/criu-options.h"

static const char help[]
    = "Usage: berth checkpoint [options] ID\n"
      "\n"
      "Checkpoint a running container with CRIU.  Without --leave-running\n"
      "or --pre-dump the container is gone afterwards (deleted, as runc\n"
      "does): `berth restore` brings it back.  A CRIU failure quotes the\n"
      "line of CRIU's log that says why and leaves the container running.\n"
      "\n"
      "Options:\n" CRIU_COMMON_HELP
      "  --parent-path DIR     the previous pre-dump, relative to the image\n"
      "                        path (e.g. ../pre-1)\n"
      "  --leave-running       keep the container running afterwards\n"
      "  --pre-dump            dump the memory only and keep running; a\n"
      "                        later dump with --parent-path writes only\n"
      "                        the pages that changed since\n"
      "  --page-server ADDR:PORT  send the pages to `criu page-server`\n"
      "                        there (with --lazy-pages: serve them there)\n"
      "  --status-fd FD        with --lazy-pages: CRIU writes \\0 to FD (open\n"
      "                        for writing) once the pages can be fetched\n"
      "  -h, --help            this help\n";

enum
{
  OPT_PARENT_PATH = 256,
  OPT_LEAVE_RUNNING,
  OPT_PRE_DUMP,
  OPT_PAGE_SERVER,
  OPT_STATUS_FD,
};

int
cmd_checkpoint (global_opts *g, int argc, char **argv, berth_error **err)
{
  static const struct option long_opts[] = {
    CRIU_COMMON_LONG_OPTS,
    { "parent-path", required_argument, NULL, OPT_PARENT_PATH },
    { "leave-running", no_argument, NULL, OPT_LEAVE_RUNNING },
    { "pre-dump", no_argument, NULL, OPT_PRE_DUMP },
    { "page-server", required_argument, NULL, OPT_PAGE_SERVER },
    { "status-fd", required_argument, NULL, OPT_STATUS_FD },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  checkpoint_opts o = { 0 };
  criu_cli cli;
  int c, r;

  criu_cli_init (&cli);
  while ((c = getopt_long (argc, argv, "+h", long_opts, NULL)) != -1)
    {
      r = criu_cli_option ("checkpoint", c, optarg, &cli, err);
      if (r < 0)
        return -1;
      if (r > 0)
        continue;
      switch (c)
        {
        case OPT_PARENT_PATH:
          o.parent_path = optarg;
          break;
        case OPT_LEAVE_RUNNING:
          o.leave_running = true;
          break;
        case OPT_PRE_DUMP:
          o.pre_dump = true;
          break;
        case OPT_PAGE_SERVER:
          cli.flags.page_server = optarg;
          break;
        case OPT_STATUS_FD:
          {
            char *end;
            long fd = strtol (optarg, &end, 10);
            if (*optarg == '\0' || *end != '\0' || fd < 0 || fd > 65535)
              return usage_error (err, "checkpoint",
                                  "--status-fd: invalid fd \"%s\"", optarg);
            cli.flags.status_fd = (int) fd;
          }
          break;
        case 'h':
          return print_help (help);
        default:
          return usage_error (err, "checkpoint", "unknown option \"%s\"",
                              argv[optind - 1]);
        }
    }
  if (one_id_argument ("checkpoint", argc, argv, optind, &o.id, err) < 0)
    return -1;
  o.root = g->root;
  o.image_path = cli.image_path;
  o.work_path = cli.work_path;
  o.flags = cli.flags;
  o.flags.binary = g->criu;
  return container_checkpoint (&o, err) < 0 ? -1 : 0;
}
