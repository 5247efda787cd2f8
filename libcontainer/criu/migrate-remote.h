/* berth migrate --to HOST: the source side (migrate-remote.c), over the
   ssh connection of ssh-transport.h.  Internal to libcontainer/criu.  */
#ifndef BERTH_MIGRATE_REMOTE_H
#define BERTH_MIGRATE_REMOTE_H

#include "base/error.h"
#include "libcontainer/criu/migrate.h"

/* Moves the container to o->to_host: `bundle` is the container's (on
   storage both hosts share); rep gets the rounds and the downtime.  */
int migrate_to_host (const migrate_opts *o, const char *bundle,
                     migrate_report *rep, berth_error **err);

#endif
