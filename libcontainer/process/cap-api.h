/* berth: the libcap functions berth calls, from libcap loaded on first
 * use (base/dl.h says why; here: Debian's libcap is linked with BIND_NOW
 * and its constructor probes the bounding set with PR_CAPBSET_READ, so
 * linked it cost every `start`, `state`, `kill`, `delete`, ... about 14
 * calls and ~80 symbol bindings for nothing).
 *
 * Include this instead of <sys/capability.h> (which it includes, for
 * cap_t and the other types): calls keep libcap's names, which the
 * #defines below route through the loaded table.  A function not in the
 * list fails to link (berth does not link libcap), so a new call cannot
 * bypass the loader unnoticed.  The parent of every container process
 * loads it unconditionally before clone (process_validate,
 * process_plan_init, `exec --cap`, `features`); the init and exec's
 * child, in the container's root, only check it was (cap_api_require).  */
#ifndef BERTH_PROCESS_CAP_API_H
#define BERTH_PROCESS_CAP_API_H

#include <stdbool.h>
#include <sys/capability.h>

#include "base/error.h"

#define CAP_API_FUNCTIONS(X) \
  X (cap_free) \
  X (cap_from_name) \
  X (cap_get_flag) \
  X (cap_get_proc) \
  X (cap_init) \
  X (cap_max_bits) \
  X (cap_set_flag) \
  X (cap_set_proc) \
  X (cap_to_name)

#define CAP_API_SLOT(f) __typeof__ (f) *f;
struct cap_api
{
  CAP_API_FUNCTIONS (CAP_API_SLOT)
};
#undef CAP_API_SLOT

extern struct cap_api cap_api;

/* Loads libcap.so.2 once; before any other cap_ call of the library's.
   Only where the host's root is the root: berth itself, the parent of a
   container before clone.  */
int cap_api_load (berth_error **err);

/* Fails unless cap_api_load succeeded: the init and exec's child, which
   run in the container's root (a dlopen there would load the container's
   libcap into a privileged process), use the library the parent loaded
   before clone and never load it themselves.  */
int cap_api_require (berth_error **err);

/* Whether cap_api_load succeeded (for the callers with no error to
   return: they fall back to what needs no libcap).  */
bool cap_api_loaded (void);

/* Not in the table's own file, where the names are its members.  */
#ifndef CAP_API_TABLE
#define cap_free (cap_api.cap_free)
#define cap_from_name (cap_api.cap_from_name)
#define cap_get_flag (cap_api.cap_get_flag)
#define cap_get_proc (cap_api.cap_get_proc)
#define cap_init (cap_api.cap_init)
#define cap_max_bits (cap_api.cap_max_bits)
#define cap_set_flag (cap_api.cap_set_flag)
#define cap_set_proc (cap_api.cap_set_proc)
#define cap_to_name (cap_api.cap_to_name)
#endif /* CAP_API_TABLE */

#endif
