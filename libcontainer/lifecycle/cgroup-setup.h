/* berth: the container's cgroup at create time, and the commands that act
 * on it later (update, pause, resume, ps, events).  */
#ifndef BERTH_CGROUP_SETUP_H
#define BERTH_CGROUP_SETUP_H

#include <stdbool.h>
#include <sys/types.h>

#include "cgroups/manager.h"
#include "base/error.h"
#include "oci-spec/config.h"
#include "oci-spec/state.h"

/* Creates the cgroup (*created set as soon as it exists, for the undo),
   applies linux.resources with the devices every container may use (as
   runc: /dev/null, zero, full, random, urandom, tty, ptmx, pts, tun, and
   each linux.devices entry; mknod of any), and returns in *clone_fd the fd
   for CLONE_INTO_CGROUP, or -1 (v1: the init is entered after clone).
   clone_fd NULL: the child is cloned already (->create_for_clone).  */
int cgroup_setup (cgroup_manager *m, const oci_config *config, bool *created,
                  int *clone_fd, berth_error **err);

/* The manager of an existing container, NULL (no error) when it has no
   cgroup.  */
cgroup_manager *cgroup_for_state (const oci_state *state, berth_error **err);

#endif
