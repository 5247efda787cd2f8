/* berth: linux.seccomp through libseccomp.  */
#ifndef BERTH_SECCOMP_H
#define BERTH_SECCOMP_H

#include "libcontainer/error.h"
#include "oci-spec/config.h"

/* Checks actions, ops, architectures and flags by name, before clone.
   Unknown syscall names are not an error (skipped, as runc).  */
int seccomp_validate (const oci_seccomp *seccomp, berth_error **err);

/* Builds the filter and loads it into the calling thread.  */
int seccomp_load (const oci_seccomp *seccomp, berth_error **err);

#endif
