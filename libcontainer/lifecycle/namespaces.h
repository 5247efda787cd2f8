/* berth: which namespaces a container gets, and how.
 *
 * Fast path (nearly every config): one clone3 with every new-namespace flag;
 * joined (`path`) namespaces other than pid/time are entered by the init
 * with setns; pid and time are joined by the parent before clone (setns on
 * them only affects children) and restored after.
 * Slow path (a user namespace together with joined namespaces): the first
 * child joins, unshares and clones the init once more (see init.c).  */
#ifndef BERTH_NAMESPACES_H
#define BERTH_NAMESPACES_H

#include <stdbool.h>
#include <sys/types.h>

#include "base/error.h"
#include "oci-spec/config.h"

typedef struct ns_plan
{
  bool new_ns[OCI_NS_TYPES];
  int join_fd[OCI_NS_TYPES];   /* -1, or an fd of the `path` to join */
  bool slow_path;
  unsigned long clone_flags;   /* fast path: passed to clone3 */
  unsigned long unshare_flags; /* slow path: unshared by the first child */
  /* The parent's own time/pid namespaces for children, to return to.  */
  int saved_time_fd;
  int saved_pid_fd;
} ns_plan;

/* The CLONE_NEW* flag of a type.  */
int ns_clone_flag (oci_ns_type type);

/* The name under /proc/<pid>/ns ("net", "mnt").  */
const char *ns_proc_name (oci_ns_type type);

/* Opens every `path` (checking it is a namespace of that type) and
   computes the plan.  The config was judged before (validate.h).  */
int ns_plan_build (const oci_config *config, ns_plan *plan, berth_error **err);

void ns_plan_release (ns_plan *plan);

/* Parent, just before clone: join pid/time by path (fast path), or make a
   new time namespace for children and write linux.timeOffsets.  */
int ns_parent_before_clone (ns_plan *plan, const oci_linux *linux_,
                            berth_error **err);

/* Parent, just after clone: back to its own pid/time namespaces.  */
int ns_parent_after_clone (ns_plan *plan, berth_error **err);

/* Init (fast path): setns into every joined namespace except user, pid and
   time, mount last.  Closes the fds.  */
int ns_join_fast (ns_plan *plan, berth_error **err);

/* Slow path, first child: joins namespaces in a correct order (a joined
   user namespace first; with a new user namespace, the joins before it
   is created).  `request_maps` is called after unshare(CLONE_NEWUSER).  */
int ns_join_slow (ns_plan *plan, int (*request_maps) (void *, berth_error **),
                  void *data, berth_error **err);

/* The CLONE_NEW* flags of the namespaces process `pid` does not share with
   the caller (`exec` joins exactly those).  `linux_`: the container's
   config; the namespaces it made for the container (no path; not a user
   namespace) are taken as not shared without comparing them, the others
   are compared with the caller's.  */
int ns_not_shared (pid_t pid, const oci_linux *linux_, unsigned long *flags,
                   berth_error **err);

#endif
