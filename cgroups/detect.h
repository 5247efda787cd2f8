/* berth: where the cgroup hierarchies are and where berth sits in them.  */
#ifndef BERTH_CGROUP_DETECT_H
#define BERTH_CGROUP_DETECT_H

#include <stdbool.h>
#include <stddef.h>

#include "cgroups/convert.h"
#include "cgroups/manager.h"
#include "base/error.h"

/* The mounted hierarchies berth uses on a v1/hybrid host (the cgroup2 one
   last on hybrid), from /proc/self/mountinfo and /proc/self/cgroup: read
   once per process, the later calls get a copy of the first answer.  */
int cg_detect_hierarchies (cgroup_mode mode, cg_hierarchy **out, size_t *n,
                           berth_error **err);

/* A copy of what this process's (or, in a clone, its parent's) first
   cg_detect_hierarchies read, when it was for `mode`; false when nothing
   was read yet.  own_path is the reader's cgroup: a process that moved
   since (the container's init) reads its own.  */
bool cg_detect_hierarchies_memo (cgroup_mode mode, cg_hierarchy **out,
                                 size_t *n);

/* Berth's own cgroup2 path (the "0::" line of /proc/self/cgroup).  */
int cg_detect_own_v2 (char **out, berth_error **err);

#endif
