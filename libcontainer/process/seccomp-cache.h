/* berth: a cache of compiled seccomp filters under the state root.  */
#ifndef BERTH_SECCOMP_CACHE_H
#define BERTH_SECCOMP_CACHE_H

#include <linux/filter.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/error.h"
#include "libcontainer/process/seccomp.h"
#include "oci-spec/config.h"

/* The directory under the state root (--root) that holds the entries.  */
#define SECCOMP_CACHE_DIR ".seccomp-cache"
/* Entries kept at most; the least recently used go first.  */
#define SECCOMP_CACHE_MAX 256
/* BERTH_SECCOMP_CACHE=0 in berth's environment: compile every time.  */
#define SECCOMP_CACHE_ENV "BERTH_SECCOMP_CACHE"

/* Called before clone: puts the BPF program of plan->seccomp in the plan
   for seccomp_apply in the child, from the cache under root_fd when an entry
   for the same section, architecture, libseccomp and berth is there and
   intact, else compiled with libseccomp and stored.  A cache that cannot
   be read or written is only skipped (with a debug line); compiling
   errors are errors.  Does nothing without a filter or with a
   SCMP_ACT_NOTIFY rule: the listener path compiles in the child as
   before.  */
int seccomp_prepare (seccomp_plan *plan, int root_fd, berth_error **err);

/* The cache key: SHA-256 over a canonical encoding of the section (every
   field but the listener's), the native architecture, the libseccomp
   version and API level, and berth's version and commit.  Exposed for
   the unit test.  */
void seccomp_cache_key (const oci_seccomp *seccomp, unsigned char key[32]);

#endif
