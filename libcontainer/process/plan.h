/* berth: the plan of one container process, the init or an exec'd one.
 *
 * Everything the process needs on its way to execve is in one struct,
 * built on the prepare side (berth, before clone: the parsed capability
 * sets, the compiled seccomp program) and completed by the process itself
 * while it can still reach the host (the seccomp listener's connection and
 * state), then handed to the one tail both take:
 *   process_plan_prepare()  LSM exec labels, memory policy, the privileged
 *                           attributes, cwd, user and capabilities, the
 *                           executable and the environment
 *   process_plan_exec()     close_range, execCPUAffinity.final, seccomp,
 *                           the before_exec callback, the final
 *                           capability sets, execve
 * The init waits for `start` between the two.  Where the init and `exec`
 * differ, a field says so (proc_fd, listen_fds, before_exec).  Nothing on
 * this path lives in a file-static variable.
 */
#ifndef BERTH_PLAN_H
#define BERTH_PLAN_H

#include <stdbool.h>

#include "base/error.h"
#include "libcontainer/process/caps.h"
#include "libcontainer/process/procfs.h"
#include "libcontainer/process/seccomp.h"
#include "oci-spec/config.h"
#include "oci-spec/state.h"

/* Runs between the filter and execve (the init's startContainer hooks),
   with the environment the process gets.  */
typedef int (*process_before_exec_fn) (void *data, char **envp,
                                       berth_error **err);

typedef struct process_plan
{
  /* Prepare side (process_plan_init, seccomp_prepare).  */
  const oci_process *process;
  const oci_personality *personality;     /* may be NULL */
  const oci_memory_policy *memory_policy; /* may be NULL */
  caps_sets caps;            /* process.capabilities, parsed (caps_parse) */
  seccomp_plan seccomp;      /* the filter, its prepared program, and its
                                listener once connected */
  int preserve_fds;          /* fds 3 .. 3+N-1 go to the process */
  int listen_fds;            /* of which the first are LISTEN_FDS (the
                                init; 0 for exec) */

  /* Set by the process before process_plan_prepare.  */
  int cwd_fd;                /* O_PATH to process.cwd inside the root: the
                                init creates it, exec only opens it; the
                                plan's, closed once the process is in it */
  int root_fd;               /* O_PATH to the container's root after
                                pivot_root (the init: rootfs_finalize's),
                                for the /etc/passwd lookup; -1: "/" is
                                opened then.  The plan's, closed with
                                cwd_fd once the environment is built */
  int proc_fd;               /* a verified procfs for the LSM labels: the
                                init's host procfs; -1: the container's,
                                opened when a label is set (exec) */
  bool status_known;         /* status read with the signals to reset
                                (process_reset_signals): the bounding,
                                permitted and inheritable sets and the
                                ids then need no PR_CAPBSET_READ per cap.
                                Read it only through process_plan_status,
                                which checks it still holds */
  procfs_status status;
  bool userns_entered;       /* the process entered a user namespace after
                                the status read: its bounding set is the
                                full one */
  int pdeathsig;             /* the parent-death signal the process armed
                                (0: none), re-armed when setresuid clears
                                it */
  process_before_exec_fn before_exec; /* may be NULL */
  void *before_exec_data;

  /* Filled by process_plan_prepare.  */
  caps_sets caps_final;      /* the sets the process ends with */
  bool caps_admin_kept;      /* CAP_SYS_ADMIN kept beyond them until the
                                filter is loaded (no no_new_privs) */
  char *exe;
  char **envp;
} process_plan;

/* The prepare side: the process, the container's personality, memory
   policy and seccomp section (`linux_` may be NULL), the capability sets
   parsed once.  Release with process_plan_release (a clone's copy is the
   child's to keep).  */
int process_plan_init (process_plan *plan, const oci_process *process,
                       const oci_linux *linux_, int preserve_fds,
                       berth_error **err);
void process_plan_release (process_plan *plan);

/* SCMP_ACT_NOTIFY: what the listener gets, for the process whose pid the
   runtime sees as `host_pid`, with `state` (no-op without a listener).  */
void process_plan_listener_state (process_plan *plan, int host_pid,
                                  const oci_state *state);

/* The credentials in plan->status (ids, permitted and inheritable sets,
   bounding set), if they are still the process's; NULL when unknown.
   Anything between the read and its use may change them (setresuid,
   setgroups' callers, capset, securebits, an LSM transition, a user
   namespace entered): rather than trust every such step to say so, each
   call compares the effective ids and the permitted and inheritable
   sets with the kernel's (getresuid, getresgid, capget: three syscalls,
   not one PR_CAPBSET_READ per capability) and forgets a status that no
   longer holds.  The bounding set alone cannot be checked that cheaply: only
   PR_CAPBSET_DROP (process_apply_user's own, after the last use) and a
   user namespace change it, and the latter must be reported with
   process_plan_userns_entered.  */
const procfs_status *process_plan_status (process_plan *plan);

/* The filesystem ids of the status, unchecked: 1 when both are root, 0
   when not, -1 when no status is known (read them from the kernel then).
   Only for a choice that grants nothing: the init's owner of the default
   device nodes (rootfs/devices.c), where a stale answer would cost an
   fchownat or leave a node root's, never a privilege.  Between the read
   and that use the init only joins namespaces, and entering a user
   namespace, the one step of those that changes credentials, forgets the
   status (process_plan_userns_entered).  Three syscalls fewer per start
   than process_plan_status.  */
int process_plan_fs_root (const process_plan *plan);

/* The process entered a user namespace (setns, unshare, or clone with
   CLONE_NEWUSER after the read): its credentials are the namespace's now,
   with a full bounding set; the status read before is forgotten.  */
void process_plan_userns_entered (process_plan *plan);

/* Once the process is in the container's root and namespaces: the first
   half of the tail (see above).  Keeps a parent-death signal armed by the
   caller.  */
int process_plan_prepare (process_plan *plan, berth_error **err);

/* The second half: returns only on failure.  A failing before_exec's error
   comes back as it is (its kind tells the caller).  */
int process_plan_exec (process_plan *plan, berth_error **err);

#endif
