/* berth migrate: live-migrate a container to another state root or id
 * (berth's own command; CRIU pre-copy, stop-and-copy or post-copy).  */
#include <stdio.h>

#include "libcontainer/criu/migrate.h"
#include "src/criu-options.h"

static const char help[]
    = "Usage: berth migrate [options] --work-dir DIR ID\n"
      "\n"
      "Move the running container ID to another state root (--to-root)\n"
      "and/or id (--to-id) on this host with CRIU.  Pre-copy (default):\n"
      "pre-dumps while it runs, each writing the pages dirtied since the\n"
      "last, until a round writes no less than 80% of the one before or\n"
      "--rounds is reached; then a final dump with the container frozen\n"
      "and the restore at the destination.  --stop-and-copy: the final\n"
      "dump alone.  --post-copy: the destination runs first, its pages\n"
      "fault in from a page server (criu lazy-pages).  A report goes to\n"
      "standard error: a line per round (pages, bytes, ms), then the\n"
      "downtime (frozen until restored) and the total time.  The\n"
      "restored process's stdio pipes become berth migrate's own.\n"
      "\n"
      "Options:\n"
      "  --work-dir DIR        the images, one dir a round (kept)\n"
      "  --to-root DIR         destination state root (default: --root)\n"
      "  --to-id ID            destination id (default: the same)\n"
      "  -b, --bundle DIR      the bundle to restore from (default: the\n"
      "                        container's)\n"
      "  --pre-copy            iterative pre-dumps, then a short stop\n"
      "                        (default)\n"
      "  --stop-and-copy       one frozen dump and restore\n"
      "  --post-copy           restore first, pages follow (lazy pages)\n"
      "  --rounds N            pre-copy rounds at most (default 8)\n"
      "  --page-server ADDR:PORT  post-copy page server (default\n"
      "                        127.0.0.1:27271)\n"
      "  --tcp-established, --ext-unix-sk, --shell-job, --file-locks,\n"
      "  --manage-cgroups-mode MODE   as for checkpoint\n"
      "  -h, --help            this help\n";

enum
{
  OPT_WORK_DIR = 256,
  OPT_TO_ROOT,
  OPT_TO_ID,
  OPT_PRE_COPY,
  OPT_STOP_AND_COPY,
  OPT_POST_COPY,
  OPT_ROUNDS,
  OPT_PAGE_SERVER,
};

static int
own_option (int c, const char *arg, void *data, berth_error **err)
{
  migrate_opts *o = data;

  switch (c)
    {
    case OPT_WORK_DIR:
      o->work_dir = arg;
      return 0;
    case OPT_TO_ROOT:
      o->to_root = arg;
      return 0;
    case OPT_TO_ID:
      o->to_id = arg;
      return 0;
    case 'b':
      o->bundle = arg;
      return 0;
    case OPT_PRE_COPY:
      o->mode = MIGRATE_PRECOPY;
      return 0;
    case OPT_STOP_AND_COPY:
      o->mode = MIGRATE_STOP_AND_COPY;
      return 0;
    case OPT_POST_COPY:
      o->mode = MIGRATE_POSTCOPY;
      return 0;
    case OPT_ROUNDS:
      return criu_cli_int ("migrate", "rounds", arg, 1, 64, &o->max_rounds,
                           err);
    case OPT_PAGE_SERVER:
      o->page_server = arg;
      return 0;
    default:
      return 1;
    }
}

int
cmd_migrate (global_opts *g, int argc, char **argv, berth_error **err)
{
  static const struct option long_opts[] = {
    CRIU_SHARED_LONG_OPTS,
    { "work-dir", required_argument, NULL, OPT_WORK_DIR },
    { "to-root", required_argument, NULL, OPT_TO_ROOT },
    { "to-id", required_argument, NULL, OPT_TO_ID },
    { "bundle", required_argument, NULL, 'b' },
    { "pre-copy", no_argument, NULL, OPT_PRE_COPY },
    { "stop-and-copy", no_argument, NULL, OPT_STOP_AND_COPY },
    { "post-copy", no_argument, NULL, OPT_POST_COPY },
    { "rounds", required_argument, NULL, OPT_ROUNDS },
    { "page-server", required_argument, NULL, OPT_PAGE_SERVER },
    { NULL, 0, NULL, 0 },
  };
  migrate_opts o = { .mode = MIGRATE_PRECOPY, .max_rounds = 8 };
  criu_cli cli;
  int r;

  r = criu_cli_parse ("migrate", help, g, argc, argv, "+b:h", long_opts,
                      own_option, &o, &cli, &o.id, err);
  if (r != 0)
    return r < 0 ? -1 : 0;
  if (o.work_dir == NULL)
    return usage_error (err, "migrate", "--work-dir is required");
  o.root = g->root;
  o.flags = cli.flags;
  o.report = stderr;
  return container_migrate (&o, err) < 0 ? -1 : 0;
}
