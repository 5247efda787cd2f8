/* berth: the Linux security module labels of the container process
 * (process.apparmorProfile, process.selinuxLabel), set for the next
 * execve through /proc/self/attr.  */
#ifndef BERTH_LSM_H
#define BERTH_LSM_H

#include "libcontainer/error.h"
#include "oci-spec/config.h"

/* In the runtime's namespaces, before clone: a profile or label the host
   cannot apply is refused here (as runc), not silently dropped.  */
int lsm_validate (const oci_process *process, berth_error **err);

/* In the container, as the last step before seccomp and execve: the
   labels the process gets at exec.  Nothing to do when neither is set.  */
int lsm_apply_exec (const oci_process *process, berth_error **err);

#endif
