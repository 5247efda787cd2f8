/* berth: a process moving itself into its v1 cgroups.
 *
 * On cgroup v1 a process is moved by writing its pid to each hierarchy's
 * cgroup.procs.  Every such write takes the kernel's global
 * cgroup_threadgroup_rwsem for writing, a percpu rwsem whose writer waits
 * for an RCU grace period first: 5-10 ms on an idle machine, which runc
 * pays on every start too.  The one move the kernel makes without that
 * lock is a thread moving itself: "0" written to the hierarchy's "tasks"
 * file (cgroup_procs_write_start: a lone thread that is `current` cannot
 * exit or exec under the kernel's hands).  A single-threaded process (the
 * child right after clone) moving its one thread is the whole process.
 *
 * So the parent opens the files before clone (the kernel judges a write
 * by the credentials of the file's opener, root here, not the writer's)
 * and the child writes "0" to each before it does anything else.  A
 * hybrid host's cgroup2 directory has no such file: the child is cloned
 * into it (CLONE_INTO_CGROUP), which takes the lock only for reading.
 * The kernel refuses CLONE_INTO_CGROUP together with a new user
 * namespace, so such an init is still moved by the parent.  */
#ifndef BERTH_CGROUP_JOIN_H
#define BERTH_CGROUP_JOIN_H

#include <stddef.h>

#include "base/error.h"

/* More than the v1 controllers and named hierarchies a kernel has.  */
#define CGROUP_JOIN_MAX 32

typedef struct cgroup_join
{
  int clone_fd;               /* hybrid: the cgroup2 directory for
                                 CLONE_INTO_CGROUP; -1 otherwise */
  int fds[CGROUP_JOIN_MAX];   /* each v1 hierarchy's "tasks", O_WRONLY */
  const char *paths[CGROUP_JOIN_MAX]; /* for errors: the manager's */
  size_t n_fds;
} cgroup_join;

/* Nothing to join: clone_fd -1, no fds.  */
void cgroup_join_init (cgroup_join *j);

/* In the child, single-threaded, before it runs anything else: writes "0"
   to each file and closes them all and clone_fd, also after a failure
   (none of the host's cgroup files stays open in the container).  */
int cgroup_join_self (cgroup_join *j, berth_error **err);

/* The parent's copies, after clone (or when it never happens).  */
void cgroup_join_close (cgroup_join *j);

#endif
