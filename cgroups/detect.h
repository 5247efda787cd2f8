/* berth: where the cgroup hierarchies are and where berth sits in them.  */
#ifndef BERTH_CGROUP_DETECT_H
#define BERTH_CGROUP_DETECT_H

#include <stdbool.h>
#include <stddef.h>

#include "cgroups/hierarchies.h"
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

/* The directory fd to resolve `path` from, and in *rel the path relative
   to it: for a path below /sys/fs/cgroup, that directory opened once per
   process (O_PATH, O_CLOEXEC) and the rest of the path; else AT_FDCWD and
   `path` itself.  A lookup of /sys/fs/cgroup/... by name crosses sysfs,
   whose every lookup takes the kernfs lock of all of sysfs for reading:
   the lock each network namespace's creation and removal takes for
   writing (its loopback's files).  With containers starting at once,
   every such walk waited behind the others' namespaces.  */
int cg_root_at (const char *path, const char **rel);

/* Closes the fd of cg_root_at: a child of berth (the init, exec's
   process) calls it before it runs anything of the container's, so that
   no handle on the host's cgroup tree is left to it.  */
void cg_root_release (void);

/* Berth's own cgroup2 path (the "0::" line of /proc/self/cgroup).  */
int cg_detect_own_v2 (char **out, berth_error **err);

#endif
