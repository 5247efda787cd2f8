/* berth: the container process's own attributes (config.md "process"),
 * applied by the init in the container before execve.  Order matters:
 *   process_apply_oom_score_adj() first, through the host's procfs
 *   process_apply_privileged()   as root: rlimits, scheduler,
 *                                ioPriority, personality, execCPUAffinity
 *                                (initial)
 *   process_apply_user()         setgroups, gid, uid keeping capabilities,
 *                                then all five capability sets (libcap),
 *                                no_new_privs, umask
 * The init (init.c) and `exec` (exec.c) reach them through one tail,
 * process_plan_prepare() and process_plan_exec() (plan.h), which also
 * loads seccomp and calls execve.
 */
#ifndef BERTH_PROCESS_H
#define BERTH_PROCESS_H

#include <stdbool.h>

#include "base/error.h"
#include "libcontainer/process/caps.h"
#include "libcontainer/process/procfs.h"
#include "oci-spec/config.h"

/* Checks in the parent, before clone, everything that can be checked
   without the container: capability names known to libcap, rlimit types,
   scheduler policy/flags, ioPriority class, personality domain, CPU lists.
   Errors name the JSON path: "process.capabilities.bounding[2]: unknown
   capability "CAP_FOO"".  */
int process_validate (const oci_process *process,
                      const oci_personality *personality,
                      berth_error **err);

/* process.oomScoreAdj, written through the verified host procfs handle
   `proc_fd` (libcontainer/process/procfs.h).  The init calls it first, while its
   own /proc files are writable to it whatever user namespace it enters.  */
int process_apply_oom_score_adj (const oci_process *process, int proc_fd,
                                 berth_error **err);

int process_apply_privileged (const oci_process *process,
                              const oci_personality *personality,
                              berth_error **err);

/* `requested`: the sets parsed on the prepare side (caps_parse).  *final
   gets the sets the process ends with; *admin_kept says CAP_SYS_ADMIN was
   kept beyond them for loading seccomp without no_new_privs (the caller
   sets *final once the filter is in).  `st`: the thread's status, its
   bounding set always right (caps_read_bounding when not read); the
   rest (permitted and inheritable sets, ids) only when `known`
   (process_reset_signals read it, no user namespace entered since),
   else asked of the kernel.  `pdeathsig`: the parent-death signal the
   caller armed (0: none), armed again when the id change cleared it.  */
int process_apply_user (const oci_process *process, const procfs_status *st,
                        bool known, int pdeathsig,
                        const caps_sets *requested, caps_sets *final,
                        bool *admin_kept, berth_error **err);

/* process.execCPUAffinity.final: the last step before seccomp.  */
int process_apply_final_affinity (const oci_process *process,
                                  berth_error **err);

/* Resolves args[0] the way execvp does, with PATH taken from process.env
   (not berth's own), inside the current root.  Returns a malloc'd path.  */
char *process_find_executable (const oci_process *process, berth_error **err);

/* The environment for execve: process.env, plus HOME from the container's
   /etc/passwd when process.env has none (as runc), plus PATH default when
   absent.  NULL-terminated, malloc'd.  `root_fd`: an O_PATH handle of
   the current root the /etc/passwd lookup starts from; -1: "/" is
   opened for it.  */
char **process_build_env (const oci_process *process, int root_fd,
                          berth_error **err);

/* Default dispositions and an empty mask: the runtime blocked signals
   before clone to forward them.  Only the signals that are ignored or
   caught need a call (execve resets the caught ones, not the ignored
   ones): with a verified procfs `proc_fd` they are read from
   thread-self/status; without one (-1), or should that fail, every
   signal is reset.  When the status was read and `status` is not NULL,
   *status gets it and *known true (its sets and ids stay as they are
   until process_apply_user changes them, or a user namespace is
   entered).  */
int process_reset_signals (int proc_fd, procfs_status *status, bool *known,
                           berth_error **err);

/* A session keyring named `name`, so the container does not see the
   caller's session keys.  Not an error where the kernel refuses keyrings.  */
int process_join_session_keyring (const char *name, berth_error **err);

#endif
