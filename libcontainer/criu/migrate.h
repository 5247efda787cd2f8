/* berth migrate: a running container moved to another state root (and
 * id) on this host with CRIU: pre-copy (pre-dumps while it runs until the
 * dirty set stops shrinking, then a short frozen dump), stop-and-copy, or
 * post-copy (restore first, the pages follow through a page server).  */
#ifndef BERTH_MIGRATE_H
#define BERTH_MIGRATE_H

#include <stdbool.h>
#include <stdio.h>

#include "base/error.h"
#include "libcontainer/criu/criu-common.h"
#include "oci-spec/migrate-report.h"

typedef enum migrate_mode
{
  MIGRATE_PRECOPY,
  MIGRATE_STOP_AND_COPY,
  MIGRATE_POSTCOPY,
} migrate_mode;

typedef struct migrate_opts
{
  const char *root;       /* the container's --root */
  const char *id;
  const char *to_root;    /* destination state root; NULL: root */
  const char *to_id;      /* NULL: id (then to_root must differ) */
  const char *bundle;     /* NULL: the container's own */
  const char *work_dir;   /* images, one dir a round; made, kept */
  migrate_mode mode;
  int max_rounds;         /* pre-copy rounds at most (>= 1) */
  const char *page_server; /* post-copy: ADDRESS:PORT (default
                              127.0.0.1:27271) */
  const char *to_host;    /* --to [USER@]HOST: the destination is berth
                             on that host, over ssh (migrate-remote.c);
                             to_root is then its --root */
  const char *target_berth; /* --to: berth's path there (default: this
                               binary's path here) */
  bool net_dump;          /* --to: CRIU dumps the network namespace
                             even when the target could make it again
                             (migrate-net.h) */
  criu_flags flags;
  FILE *report;           /* a line a round, then the totals; NULL:
                             none */
} migrate_opts;

/* Moves the container; `rep` gets the report (rounds, downtime, total,
   wire bytes) as it goes, each line also written to opts->report.  */
int container_migrate (const migrate_opts *opts, migrate_report *rep,
                       berth_error **err);

/* The target side of --to (`berth migrate --receive`, run by ssh): what
   the source sends on `in` (migrate-wire.h) into a private images dir,
   then the restore as ROOT/ID from the shared bundle; answers on `out`.
   Refuses, before anything is received, an id that exists here and a
   bundle it cannot see or whose config.json is not the source's.  */
typedef struct migrate_receive_opts
{
  const char *root;
  const char *id;
  const char *bundle;        /* absolute, the same path as on the source */
  const char *config_sha256; /* of the source's BUNDLE/config.json */
  const char *prepare_net;   /* the MAC of the container's veth end: the
                                network namespace made here before
                                "ready" (migrate-net.h); NULL: none */
  criu_flags flags;
} migrate_receive_opts;

int container_migrate_receive (const migrate_receive_opts *opts, int in,
                               int out, berth_error **err);

/* Pre-copy stops when a round wrote at least this share (percent) of the
   round before: the dirty set no longer shrinks.  */
#define MIGRATE_SHRINK_PERCENT 80

/* ... or under this share (percent) of the first round, about the whole
   memory: the dirty set is then as small as the rounds can make it
   (what a round writes is what was dirtied while the one before ran,
   and that one was short), and one more round takes next to nothing
   off the final transfer but adds a parent image the restore reads
   every page through, inside the downtime.  */
#define MIGRATE_SMALL_PERCENT 1

/* Pure (unit-tested): whether another pre-dump round is worth it after
   rounds of `bytes[0..n-1]`.  */
bool migrate_more_rounds (const unsigned long long *bytes, int n,
                          int max_rounds);

#endif
