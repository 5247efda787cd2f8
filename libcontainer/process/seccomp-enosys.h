/* berth: ENOSYS, not the profile's default, for syscalls newer than the
   profile.  */
#ifndef BERTH_SECCOMP_ENOSYS_H
#define BERTH_SECCOMP_ENOSYS_H

#include <linux/filter.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "oci-spec/config.h"

/* Prepends to the BPF program *insns (*n instructions, malloc'd; replaced)
   a stub that, for each architecture in archs (audit arch tokens), returns
   ENOSYS for a syscall number above the highest one the profile names
   for that architecture.  A profile written before clone3 or faccessat2
   existed then makes libc fall back to clone or faccessat, where the
   default action (EPERM, say) would be taken as a real refusal.  runc
   does the same ("enosys" stub); it is not in the runtime spec.  Nothing
   is added when the default action already lets such syscalls run
   (SCMP_ACT_ALLOW, SCMP_ACT_LOG) or returns ENOSYS.  */
int seccomp_enosys_patch (const oci_seccomp *seccomp, uint32_t default_action,
                          const uint32_t *archs, size_t n_archs,
                          struct sock_filter **insns, size_t *n,
                          berth_error **err);

#endif
