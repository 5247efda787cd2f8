/* berth: `exec --cgroup`, a process in a sub-cgroup of its container.  */
#ifndef BERTH_CGROUP_SUB_H
#define BERTH_CGROUP_SUB_H

#include <stddef.h>

#include "base/error.h"
#include "cgroups/manager.h"

/* A manager whose directories are the container's (`m`) with the
   sub-cgroups of `args` (runc's exec --cgroup,
   [CONTROLLER[,CONTROLLER...]:]PATH each) below them; only ->clone_fd and
   ->enter are meant for it.  Every sub-cgroup named must exist.  */
cgroup_manager *cgroup_manager_sub (const cgroup_manager *m,
                                    char *const *args, size_t n,
                                    berth_error **err);

#endif
