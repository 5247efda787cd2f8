/* berth migrate --to --post-copy: the pages follow the container over the
 * same ssh connection.  Internal to libcontainer/criu.
 *
 * CRIU's page server (the lazy dump, on the source) and `criu lazy-pages`
 * (on the target) talk TCP.  Each side runs its end in a network namespace
 * of its own, made for this migration, where only loopback exists: nobody
 * else can reach the page server, even on the host's loopback.  berth
 * relays between that socket and the wire, framed as "pages N" lines and
 * N bytes, interleaved with the control lines ("running", "commit",
 * "committed", "pages-end": the page server closed).  */
#ifndef BERTH_MIGRATE_LAZY_H
#define BERTH_MIGRATE_LAZY_H

#include "base/error.h"
#include "libcontainer/criu/migrate-steps.h"
#include "libcontainer/criu/migrate-wire.h"
#include "oci-spec/config.h"

/* The page server's port in the private namespaces (nothing else is
   there).  */
#define MIGRATE_LAZY_PORT 27271

/* A fresh network namespace with loopback up: *priv; the caller stays
   in (is put back into) its own, *orig.  */
int lazy_private_netns (int *orig, int *priv, berth_error **err);

/* `criu lazy-pages` on the images `final`, fetching from the page server
   at ADDR:PORT, in the network namespace `netns` (-1: ours), in a process
   group of its own (migrate-group.h); returns once it has made the unix
   socket the lazy restore connects to (which CRIU does not retry).  */
pid_t lazy_pages_spawn (const char *final, const char *addr, int port,
                        int netns, berth_error **err);

/* Source: the lazy final dump into `final`, its images sent, "lazy-restore
   final", then the pages relayed until the target committed and every
   page went over.  Any failure after the lazy dump stopped the container
   kills the dump's process group (the page server) and deletes the
   container's record here: it is lost unless it runs on the target, and
   the error says which.  */
int lazy_source (const migrate_opts *o, migrate_wire *w, const char *final,
                 migrate_report *rep, berth_error **err);

/* Target: `criu lazy-pages` on the images, the lazy restore, the relay;
   "running" once restored, the address announced after "commit"
   (`announce`).  On failure the restore and lazy-pages are killed with
   all they started (migrate-group.h), and the container restored here is
   deleted unless it was committed and has all its pages.  */
int lazy_target (const char *root, const char *id, const char *bundle,
                 const criu_flags *flags, migrate_wire *w,
                 const char *final, void (*announce) (void *), void *arg,
                 berth_error **err);

#endif
