/* berth: capability names and the five capability sets (libcap).
 *
 * Sets are carried as 64-bit masks (bit n = capability n): the kernel's
 * capset ABI holds 64 capabilities, and masks make the set arithmetic of
 * process_apply_user() plain.  */
#ifndef BERTH_CAPS_H
#define BERTH_CAPS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/capability.h>

#include "base/error.h"
#include "oci-spec/config.h"

#define CAPS_BIT(cap) (UINT64_C (1) << (cap))

typedef struct caps_sets
{
  uint64_t bounding;
  uint64_t effective;
  uint64_t permitted;
  uint64_t inheritable;
  uint64_t ambient;
} caps_sets;

/* "CAP_NET_ADMIN" (any case, the CAP_ prefix required: libcap would also
   take "12") into its value.  Returns -1 when libcap does not know it.  */
int caps_from_name (const char *name, cap_value_t *value);

/* "CAP_NET_ADMIN" for a value (upper case, as config.json spells it), or
   "CAP_<n>" for a value libcap has no name for.  */
const char *caps_name (cap_value_t cap, char buf[32]);

/* The one parse of the five sets' names: each name known to libcap, into
   the masks of *out (`caps` NULL: all empty); errors name the JSON path:
   process.capabilities.bounding[2]: unknown capability "CAP_FOO".  Done
   on the prepare side; what the process applies are these masks.  */
int caps_parse (const oci_capabilities *caps, caps_sets *out,
                berth_error **err);

/* caps_parse for the validation pass, the masks thrown away.  */
int caps_validate (const oci_capabilities *caps, berth_error **err);

/* The sets the process will get from the parsed `requested`.  A capability
   the running kernel does not know, or that berth itself does not hold
   (not in its permitted or bounding set), cannot be granted: it is logged
   as a warning and left out (config.md: runtimes SHOULD NOT fail).  An
   ambient capability not in the resulting permitted and inheritable sets
   is left out with a debug message, as the kernel refuses to raise it.
   `bnd`: the current bounding set (caps_read_bounding).  `known`: the
   thread's status with its permitted and inheritable sets, read before
   (procfs_read_status), or NULL: then asked of the kernel (capget).  */
struct procfs_status;
int caps_resolve (const caps_sets *requested, uint64_t bnd,
                  const struct procfs_status *known, caps_sets *out,
                  berth_error **err);

/* The calling thread's bounding set: CapBnd of thread-self/status beneath
   the verified procfs `proc_fd` (one read), else (proc_fd -1, or the read
   failed) one PR_CAPBSET_READ per capability.  */
uint64_t caps_read_bounding (int proc_fd);

/* The bounding set a thread has right after it enters a user namespace
   (setns or unshare): every capability the kernel knows (the kernel's
   set_cred_user_ns gives CAP_FULL_SET), so nothing needs reading.  */
uint64_t caps_full_bounding (void);

/* Drops every capability of the bounding set `bnd` (caps_read_bounding)
   that is not in `keep` (needs CAP_SETPCAP, so before setresuid).  */
int caps_drop_bounding (uint64_t keep, uint64_t bnd, berth_error **err);

/* Sets the effective, permitted and inheritable sets exactly (cap_set_proc).  */
int caps_set_process (uint64_t effective, uint64_t permitted,
                      uint64_t inheritable, berth_error **err);

/* Clears the ambient set, then raises each capability of `ambient`.  */
int caps_set_ambient (uint64_t ambient, berth_error **err);

/* Whether the calling thread has `cap` in its effective set.  */
bool caps_have_effective (cap_value_t cap);

#endif
