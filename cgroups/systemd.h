/* berth: the systemd driver's hooks in manager.c (inside cgroups/ only).  */
#ifndef BERTH_CGROUP_SYSTEMD_H
#define BERTH_CGROUP_SYSTEMD_H

#include <stdbool.h>

#include "cgroups/manager.h"

/* Whether a state.json cgroup state is the systemd driver's.  */
bool cg_systemd_state (const char *state);

cgroup_manager *cg_systemd_load (cgroup_mode mode, const char *state,
                                 berth_error **err);

/* update: the files all or nothing (cg_update_journaled on the unit's
   cgroup), then the unit's properties; when systemd refuses those, the
   files are put back.  */
int cg_systemd_update (cgroup_manager *m, const oci_resources *r,
                       berth_error **err);

/* manager.c: validate `r`, apply it to a filesystem manager with a journal
   of the old values, then `then` (may be NULL); a failure of either puts
   the files back and the error says what was restored.  */
int cg_update_journaled (cgroup_manager *base, const oci_resources *r,
                         int (*then) (void *data, berth_error **err),
                         void *data, berth_error **err);

#endif
