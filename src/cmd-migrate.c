/* berth migrate: live-migrate a container to another state root or id
 * (berth's own command; CRIU pre-copy, stop-and-copy or post-copy).  */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

int
cmd_migrate (global_opts *g, int argc, char **argv, berth_error **err)
{
  static const struct option long_opts[] = {
    { "tcp-established", no_argument, NULL, CRIU_OPT_TCP_ESTABLISHED },
    { "ext-unix-sk", no_argument, NULL, CRIU_OPT_EXT_UNIX_SK },
    { "shell-job", no_argument, NULL, CRIU_OPT_SHELL_JOB },
    { "file-locks", no_argument, NULL, CRIU_OPT_FILE_LOCKS },
    { "manage-cgroups-mode", required_argument, NULL,
      CRIU_OPT_MANAGE_CGROUPS_MODE },
    { "work-dir", required_argument, NULL, OPT_WORK_DIR },
    { "to-root", required_argument, NULL, OPT_TO_ROOT },
    { "to-id", required_argument, NULL, OPT_TO_ID },
    { "bundle", required_argument, NULL, 'b' },
    { "pre-copy", no_argument, NULL, OPT_PRE_COPY },
    { "stop-and-copy", no_argument, NULL, OPT_STOP_AND_COPY },
    { "post-copy", no_argument, NULL, OPT_POST_COPY },
    { "rounds", required_argument, NULL, OPT_ROUNDS },
    { "page-server", required_argument, NULL, OPT_PAGE_SERVER },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  migrate_opts o = { 0 };
  criu_cli cli;
  int c, r;

  criu_cli_init (&cli);
  o.mode = MIGRATE_PRECOPY;
  o.max_rounds = 8;
  while ((c = getopt_long (argc, argv, "+b:h", long_opts, NULL)) != -1)
    {
      r = criu_cli_option ("migrate", c, optarg, &cli, err);
      if (r < 0)
        return -1;
      if (r > 0)
        continue;
      switch (c)
        {
        case OPT_WORK_DIR:
          o.work_dir = optarg;
          break;
        case OPT_TO_ROOT:
          o.to_root = optarg;
          break;
        case OPT_TO_ID:
          o.to_id = optarg;
          break;
        case 'b':
          o.bundle = optarg;
          break;
        case OPT_PRE_COPY:
          o.mode = MIGRATE_PRECOPY;
          break;
        case OPT_STOP_AND_COPY:
          o.mode = MIGRATE_STOP_AND_COPY;
          break;
        case OPT_POST_COPY:
          o.mode = MIGRATE_POSTCOPY;
          break;
        case OPT_ROUNDS:
          {
            char *end;
            long n = strtol (optarg, &end, 10);
            if (*optarg == '\0' || *end != '\0' || n < 1 || n > 64)
              return usage_error (err, "migrate",
                                  "--rounds: expected 1 to 64, got \"%s\"",
                                  optarg);
            o.max_rounds = (int) n;
          }
          break;
        case OPT_PAGE_SERVER:
          o.page_server = optarg;
          break;
        case 'h':
          return print_help (help);
        default:
          return usage_error (err, "migrate", "unknown option \"%s\"",
                              argv[optind - 1]);
        }
    }
  if (one_id_argument ("migrate", argc, argv, optind, &o.id, err) < 0)
    return -1;
  if (o.work_dir == NULL)
    return usage_error (err, "migrate", "--work-dir is required");
  o.root = g->root;
  o.flags = cli.flags;
  o.flags.binary = g->criu;
  o.report = stderr;
  return container_migrate (&o, err) < 0 ? -1 : 0;
}
