/* berth: the systemd driver's hooks in manager.c (inside cgroups/ only).  */
#ifndef BERTH_CGROUP_SYSTEMD_H
#define BERTH_CGROUP_SYSTEMD_H

#include <stdbool.h>

#include "cgroups/manager.h"

/* Whether a state.json cgroup state is the systemd driver's.  */
bool cg_systemd_state (const char *state);

cgroup_manager *cg_systemd_load (cgroup_mode mode, const char *state,
                                 berth_error **err);

/* update: the unit's properties, then the files all or nothing
   (cg_update_journaled on the unit's cgroup); when the files refuse, the
   properties are put back as they were.  */
int cg_systemd_update (cgroup_manager *m, const oci_resources *r,
                       berth_error **err);

/* The manager of the unit's cgroup files (the v2 or v1 one), for what
   works on the files directly (balloon.c).  */
cgroup_manager *cg_systemd_files (cgroup_manager *m);

#endif
