/* berth checkpoint: a container into CRIU images (runc's options).  */
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

typedef struct checkpoint_cli
{
  checkpoint_opts o;
  criu_cli cli;
} checkpoint_cli;

static int
own_option (int c, const char *arg, void *data, berth_error **err)
{
  checkpoint_cli *x = data;

  switch (c)
    {
    case OPT_PARENT_PATH:
      x->o.parent_path = arg;
      return 0;
    case OPT_LEAVE_RUNNING:
      x->o.leave_running = true;
      return 0;
    case OPT_PRE_DUMP:
      x->o.pre_dump = true;
      return 0;
    case OPT_PAGE_SERVER:
      x->cli.flags.page_server = arg;
      return 0;
    case OPT_STATUS_FD:
      return criu_cli_int ("checkpoint", "status-fd", arg, 0, 65535,
                           &x->cli.flags.status_fd, err);
    default:
      return 1;
    }
}

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
    { NULL, 0, NULL, 0 },
  };
  checkpoint_cli x = { 0 };
  int r;

  r = criu_cli_parse ("checkpoint", help, g, argc, argv, "+h", long_opts,
                      own_option, &x, &x.cli, &x.o.id, err);
  if (r != 0)
    return r < 0 ? -1 : 0;
  x.o.root = g->root;
  x.o.image_path = x.cli.image_path;
  x.o.work_path = x.cli.work_path;
  x.o.flags = x.cli.flags;
  return container_checkpoint (&x.o, err) < 0 ? -1 : 0;
}
