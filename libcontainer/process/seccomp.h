/* berth: linux.seccomp through libseccomp.  */
#ifndef BERTH_SECCOMP_H
#define BERTH_SECCOMP_H

#include <stdbool.h>
#include <stddef.h>

#include "base/error.h"
#include "oci-spec/config.h"

/* Checks actions, ops, architectures and flags by name before clone, and
   that the running kernel has each flag and action.  Unknown syscall names
   are not an error (skipped, as runc).  Errors name the JSON path:
   linux.seccomp.syscalls[3].action: unknown action "SCMP_ACT_FOO".  */
int seccomp_validate (const oci_seccomp *seccomp, berth_error **err);

/* berth's tables, for `berth features`: the i-th name, NULL past the end.
   Architectures are those of runtime-spec 1.3, *known when libseccomp
   knows them; flags are every flag berth recognizes, *supported when
   this libseccomp and kernel (seccomp_api_get) can apply it.  */
const char *seccomp_action_name (size_t i);
const char *seccomp_operator_name (size_t i);
const char *seccomp_arch_name (size_t i, bool *known);
const char *seccomp_flag_name (size_t i, bool *supported);

/* Whether a rule uses SCMP_ACT_NOTIFY (the filter then has a listener).  */
bool seccomp_uses_notify (const oci_seccomp *seccomp);

struct sock_filter;

/* Everything the filter of one process needs, gathered on the way to its
   execve (part of its process_plan, libcontainer/process/plan.h): no
   state of this module lives outside it.  */
typedef struct seccomp_plan
{
  const oci_seccomp *seccomp;  /* NULL: no filter */
  struct sock_filter *insns;   /* compiled before clone (seccomp_prepare,
                                  seccomp-cache.h), or NULL: built by
                                  seccomp_apply */
  size_t n;
  int listener_fd;             /* SCMP_ACT_NOTIFY: the connection to
                                  listenerPath, or -1 */
  char *listener_state;        /* SCMP_ACT_NOTIFY: what is sent with the
                                  notify fd */
} seccomp_plan;

void seccomp_plan_init (seccomp_plan *plan, const oci_seccomp *seccomp);
void seccomp_plan_release (seccomp_plan *plan);

/* For SCMP_ACT_NOTIFY: connects to linux.seccomp.listenerPath now and keeps
   the connection (close-on-exec) in the plan for seccomp_apply.  The path
   lives in the runtime's mount namespace, so the init calls this before
   pivot_root and `exec` before it joins the container.  Does nothing when
   no rule uses SCMP_ACT_NOTIFY.  */
int seccomp_listener_connect (seccomp_plan *plan, berth_error **err);

/* What is sent to the listener with the notify fd: config-linux.md "The
   Container Process State", as oci_seccomp_process_state_to_json
   (oci-spec/state.h) writes it.  Takes `json`; set before seccomp_apply
   when the filter uses SCMP_ACT_NOTIFY.  */
void seccomp_plan_set_listener_state (seccomp_plan *plan, char *json);

/* Loads the plan's filter with seccomp(2) (the prepared program, else the
   one built here with libseccomp), with the configured flags
   (SECCOMP_FILTER_FLAG_NEW_LISTENER too when a rule uses SCMP_ACT_NOTIFY).
   With SCMP_ACT_NOTIFY, then sends the notify fd and the plan's listener
   state through the plan's connection and closes it.  It does not set
   no_new_privs itself (the caller applies process.noNewPrivileges);
   without it, loading needs CAP_SYS_ADMIN.  */
int seccomp_apply (seccomp_plan *plan, berth_error **err);

/* The BPF program for seccomp as seccomp_apply loads it (libseccomp's,
   binary-tree optimized, with the ENOSYS stub of seccomp-enosys.h) in
   *insns (malloc'd, *n instructions); *notify when a SCMP_ACT_NOTIFY rule
   applies on this architecture.  */
int seccomp_generate (const oci_seccomp *seccomp, struct sock_filter **insns,
                      size_t *n, bool *notify, berth_error **err);

#endif
