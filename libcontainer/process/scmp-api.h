/* berth: the libseccomp functions berth calls, from libseccomp loaded on
 * first use (base/dl.h says why; here: runc's default spec has no
 * seccomp section, and a `run` of it never compiles a filter).
 *
 * Include this instead of <seccomp.h>: calls keep libseccomp's names,
 * which the #defines below route through the loaded table.  A function
 * not in the list fails to link (berth does not link libseccomp), so a
 * new call cannot bypass the loader unnoticed.  The entry points that
 * reach them in berth's own root (seccomp_validate, seccomp_prepare,
 * `features`, `--version`) call scmp_api_load first; seccomp_generate,
 * which may run in a container's root, only checks it was.  */
#ifndef BERTH_PROCESS_SCMP_API_H
#define BERTH_PROCESS_SCMP_API_H

#include <seccomp.h>

#include "base/error.h"

#define SCMP_API_FUNCTIONS(X) \
  X (seccomp_api_get) \
  X (seccomp_arch_add) \
  X (seccomp_arch_native) \
  X (seccomp_arch_resolve_name) \
  X (seccomp_attr_set) \
  X (seccomp_export_bpf) \
  X (seccomp_init) \
  X (seccomp_release) \
  X (seccomp_rule_add_array) \
  X (seccomp_syscall_resolve_name) \
  X (seccomp_syscall_resolve_name_arch) \
  X (seccomp_version)

#define SCMP_API_SLOT(f) __typeof__ (f) *f;
struct scmp_api
{
  SCMP_API_FUNCTIONS (SCMP_API_SLOT)
};
#undef SCMP_API_SLOT

extern struct scmp_api scmp_api;

/* Loads libseccomp.so.2 once; before any other seccomp_ call of the
   library's.  Only where the host's root is the root: berth itself, the
   parent of a container (seccomp_prepare, seccomp_validate).  */
int scmp_api_load (berth_error **err);

/* Fails unless scmp_api_load succeeded: the compile in the init or in
   exec's child, which run in the container's root (a dlopen there would
   load the container's libseccomp into a privileged process), uses the
   library the parent loaded before clone and never loads it itself.  */
int scmp_api_require (berth_error **err);

/* Not in the table's own file, where the names are its members.  */
#ifndef SCMP_API_TABLE
#define seccomp_api_get (scmp_api.seccomp_api_get)
#define seccomp_arch_add (scmp_api.seccomp_arch_add)
#define seccomp_arch_native (scmp_api.seccomp_arch_native)
#define seccomp_arch_resolve_name (scmp_api.seccomp_arch_resolve_name)
#define seccomp_attr_set (scmp_api.seccomp_attr_set)
#define seccomp_export_bpf (scmp_api.seccomp_export_bpf)
#define seccomp_init (scmp_api.seccomp_init)
#define seccomp_release (scmp_api.seccomp_release)
#define seccomp_rule_add_array (scmp_api.seccomp_rule_add_array)
#define seccomp_syscall_resolve_name (scmp_api.seccomp_syscall_resolve_name)
#define seccomp_syscall_resolve_name_arch \
  (scmp_api.seccomp_syscall_resolve_name_arch)
#define seccomp_version (scmp_api.seccomp_version)
#endif /* SCMP_API_TABLE */

#endif
