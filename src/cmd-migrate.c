/* berth migrate: live-migrate a container to another state root or id,
 * or to another host over ssh (berth's own command; CRIU pre-copy,
 * stop-and-copy or post-copy).  `--receive` is the target side of --to,
 * which ssh runs there.  */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libcontainer/criu/migrate.h"
#include "src/criu-options.h"

static const char help[]
    = "Usage: berth migrate [options] --work-dir DIR ID\n"
      "       berth migrate [options] --to [USER@]HOST ID\n"
      "\n"
      "Move the running container ID to another state root (--to-root)\n"
      "and/or id (--to-id) on this host, or to another host (--to) with\n"
      "CRIU.  --to runs berth there over ssh (the same path as here, or\n"
      "--target-berth); the images, and with --post-copy the pages, travel\n"
      "inside the ssh connection.  The bundle must be on storage both\n"
      "hosts share, at the same path (docs/migration.md).\n"
      "\n"
      "Pre-copy (default):\n"
      "pre-dumps while it runs, each writing the pages dirtied since the\n"
      "last, until a round writes no less than 80% of the one before,\n"
      "under 1% of the first, or --rounds is reached; then a final dump\n"
      "with the container frozen and the restore at the destination.\n"
      "--stop-and-copy: the final dump alone.  --post-copy: the\n"
      "destination runs first, its pages fault in from a page server\n"
      "(criu lazy-pages).  A report goes to\n"
      "standard error: a line per round (pages, bytes, ms), then the\n"
      "downtime (frozen until restored) with its phases (dump,\n"
      "transfer, restore; commit after it) and the total time.  The\n"
      "restored process's stdio pipes become berth migrate's own.\n"
      "\n"
      "Options:\n"
      "  --to [USER@]HOST      the destination host (ssh)\n"
      "  --target-berth PATH   berth on that host (default: this one's path)\n"
      "  --work-dir DIR        the images, one dir a round (kept; with --to\n"
      "                        default a temp dir, removed)\n"
      "  --to-root DIR         destination state root (default: --root)\n"
      "  --format FORMAT       text (default, on stderr) or json (the\n"
      "                        report at the end, on stdout)\n"
      "  --to-id ID            destination id (default: the same)\n"
      "  -b, --bundle DIR      the bundle to restore from (default: the\n"
      "                        container's)\n"
      "  --pre-copy            iterative pre-dumps, then a short stop\n"
      "                        (default)\n"
      "  --stop-and-copy       one frozen dump and restore\n"
      "  --post-copy           restore first, pages follow (lazy pages)\n"
      "  --rounds N            pre-copy rounds at most (default 8)\n"
      "  --page-server ADDR:PORT  post-copy page server, in the migration's\n"
      "                        own network namespace: a loopback address\n"
      "                        (not with --to; default 127.0.0.1:27271)\n"
      "  --net-dump            with --to: CRIU dumps and restores the\n"
      "                        network namespace (its firewall rules,\n"
      "                        sysctls, addresses) even when berth could\n"
      "                        make it again on the target (faster; see\n"
      "                        docs/migration.md)\n"
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
  OPT_TO,
  OPT_TARGET_BERTH,
  OPT_FORMAT,
  OPT_RECEIVE,
  OPT_CONFIG_SHA256,
  OPT_NET_DUMP,
  OPT_PREPARE_NET,
};

typedef struct migrate_cli
{
  migrate_opts o;
  const char *format;
  bool receive;
  const char *config_sha256;
  const char *prepare_net;
} migrate_cli;

static int
own_option (int c, const char *arg, void *data, berth_error **err)
{
  migrate_cli *m = data;
  migrate_opts *o = &m->o;

  switch (c)
    {
    case OPT_TO:
      o->to_host = arg;
      return 0;
    case OPT_TARGET_BERTH:
      o->target_berth = arg;
      return 0;
    case OPT_FORMAT:
      m->format = arg;
      return 0;
    case OPT_RECEIVE:
      m->receive = true;
      return 0;
    case OPT_CONFIG_SHA256:
      m->config_sha256 = arg;
      return 0;
    case OPT_NET_DUMP:
      o->net_dump = true;
      return 0;
    case OPT_PREPARE_NET:
      m->prepare_net = arg;
      return 0;
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
    { "to", required_argument, NULL, OPT_TO },
    { "target-berth", required_argument, NULL, OPT_TARGET_BERTH },
    { "format", required_argument, NULL, OPT_FORMAT },
    { "receive", no_argument, NULL, OPT_RECEIVE },
    { "config-sha256", required_argument, NULL, OPT_CONFIG_SHA256 },
    { "net-dump", no_argument, NULL, OPT_NET_DUMP },
    { "prepare-net", required_argument, NULL, OPT_PREPARE_NET },
    { NULL, 0, NULL, 0 },
  };
  migrate_cli m = { .o = { .mode = MIGRATE_PRECOPY, .max_rounds = 8 },
                    .format = "text" };
  migrate_opts *o = &m.o;
  migrate_report rep;
  criu_cli cli;
  int r;

  r = criu_cli_parse ("migrate", help, g, argc, argv, "+b:h", long_opts,
                      own_option, &m, &cli, &o->id, err);
  if (r != 0)
    return r < 0 ? -1 : 0;
  if (m.receive)
    {
      /* The target side of --to, run by ssh: the wire on stdin and
         stdout.  */
      migrate_receive_opts ro = { 0 };
      ro.root = g->root;
      ro.id = o->id;
      ro.bundle = o->bundle;
      ro.config_sha256 = m.config_sha256;
      ro.prepare_net = m.prepare_net;
      ro.flags = cli.flags;
      /* Errors sent to the source on the wire ("error ...") are cleared
         there, the source prints them; the rest (no wire, or a wire lost
         before the commit: the restored container deleted) go to stderr,
         which ssh forwards to the source.  */
      if (container_migrate_receive (&ro, 0, 1, err) < 0)
        return *err ? -1 : 1;
      return 0;
    }
  if (strcmp (m.format, "text") != 0 && strcmp (m.format, "json") != 0)
    return usage_error (err, "migrate", "--format: text or json");
  if (o->to_host)
    {
      if (o->page_server)
        return usage_error (err, "migrate", "--page-server is for "
                                            "migrations on this host");
    }
  else if (o->work_dir == NULL)
    return usage_error (err, "migrate", "--work-dir is required (or --to)");
  o->root = g->root;
  o->flags = cli.flags;
  o->report = strcmp (m.format, "json") == 0 ? NULL : stderr;
  if (container_migrate (o, &rep, err) < 0)
    return -1;
  if (o->report == NULL)
    {
      char *json = migrate_report_json (&rep);
      printf ("%s\n", json);
      fflush (stdout);
      free (json);
    }
  return 0;
}
