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
  criu_flags flags;
  FILE *report;           /* a line a round, then the totals */
} migrate_opts;

int container_migrate (const migrate_opts *opts, berth_error **err);

/* Pre-copy stops when a round wrote at least this share (percent) of the
   round before: the dirty set no longer shrinks.  */
#define MIGRATE_SHRINK_PERCENT 80

/* Pure (unit-tested): whether another pre-dump round is worth it after
   rounds of `bytes[0..n-1]`.  */
bool migrate_more_rounds (const unsigned long long *bytes, int n,
                          int max_rounds);

#endif
