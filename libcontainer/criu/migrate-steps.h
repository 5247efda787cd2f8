/* berth migrate: the steps the local (migrate.c) and the remote
 * (migrate-remote.c) source sides share.  Internal to libcontainer/criu.  */
#ifndef BERTH_MIGRATE_STEPS_H
#define BERTH_MIGRATE_STEPS_H

#include <stdbool.h>
#include <sys/types.h>

#include "base/error.h"
#include "libcontainer/criu/migrate.h"

/* CLOCK_MONOTONIC in ms.  */
double migrate_now_ms (void);

/* The memory pages a CRIU image dir holds (pages-*.img), in bytes.  */
unsigned long long migrate_pages_bytes (const char *dir);

/* A pre-dump of the container into `dir` (parent: the previous one,
   relative, or NULL); the container keeps running.  */
int migrate_pre_dump (const migrate_opts *o, const char *dir,
                      const char *parent, berth_error **err);

/* The final dump (the container is gone after it, as runc's checkpoint;
   `keep_record`: its record stays for the caller to delete, see
   checkpoint_opts); `lazy`: it serves the pages (post-copy), writing \\0 to
   status_fd when ready.  */
int migrate_final_dump (const migrate_opts *o, const char *images,
                        const char *parent, bool lazy, bool keep_record,
                        int status_fd, berth_error **err);

/* The lazy final dump in a child of ours (*dumper), in the network
   namespace netns_fd (-1: ours); returns 0 once CRIU said the pages are
   served (the container is stopped), 1 when the dump ended before that
   (its error logged, the child waited for), -1 (err) when it could not
   start.  The child leads a process group with the page server in it:
   migrate_group_kill (*dumper) ends both (migrate-group.h).  */
int migrate_lazy_dump_start (const migrate_opts *o, const char *images,
                             int netns_fd, pid_t *dumper, berth_error **err);

/* A detached restore of the images as ROOT/ID.  */
int migrate_restore_as (const migrate_opts *o, const char *root,
                        const char *id, const char *bundle,
                        const char *images, bool lazy, berth_error **err);

/* After a final dump whose restore at the destination failed: the
   container back at its source from the same images; -1 (a warning
   printed, naming `images`) when that fails too: the images are then all
   that is left of the container, and the caller keeps them.  */
int migrate_restore_back (const migrate_opts *o, const char *bundle,
                          const char *images);

/* A round into rep (and its text line into o->report).  */
void migrate_add_round (const migrate_opts *o, migrate_report *rep,
                        const char *name, const char *kind,
                        unsigned long long bytes, double ms);

#endif
