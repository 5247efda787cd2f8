/* berth: the container process's own attributes (config.md "process"),
 * applied by the init in the container before execve.  Order matters:
 *   process_apply_oom_score_adj() first, through the host's procfs
 *   process_apply_privileged()   as root: rlimits, scheduler,
 *                                ioPriority, personality, execCPUAffinity
 *                                (initial)
 *   process_apply_user()         setgroups, gid, uid keeping capabilities,
 *                                then all five capability sets (libcap),
 *                                no_new_privs, umask
 *   process_exec()               close_range, LSM labels, execCPUAffinity
 *                                (final), seccomp, execve
 * The init (init.c) and `exec` (exec.c) share these through
 * process_prepare() and process_exec().
 */
#ifndef BERTH_PROCESS_H
#define BERTH_PROCESS_H

#include "base/error.h"
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

int process_apply_user (const oci_process *process, berth_error **err);

/* Resolves args[0] the way execvp does, with PATH taken from process.env
   (not berth's own), inside the current root.  Returns a malloc'd path.  */
char *process_find_executable (const oci_process *process, berth_error **err);

/* The environment for execve: process.env, plus HOME from the container's
   /etc/passwd when process.env has none (as runc), plus PATH default when
   absent.  NULL-terminated, malloc'd.  */
char **process_build_env (const oci_process *process, berth_error **err);

/* Once the process is in the container's root and namespaces: the
   privileged attributes, chdir to cwd_fd (an O_PATH fd resolved in the
   rootfs; before the user, as runc), the user, then the executable and the environment for
   process_exec.  Keeps a parent-death signal armed by the caller.  */
int process_prepare (const oci_process *process,
                     const oci_personality *persona, int cwd_fd, char **exe,
                     char ***envp, berth_error **err);

/* Default dispositions and an empty mask: the runtime blocked signals
   before clone to forward them.  */
int process_reset_signals (berth_error **err);

/* A session keyring named `name`, so the container does not see the
   caller's session keys.  Not an error where the kernel refuses keyrings.  */
int process_join_session_keyring (const char *name, berth_error **err);

/* Runs between the filter and execve (the startContainer hooks).  */
typedef int (*process_before_exec_fn) (void *data, char **envp,
                                       berth_error **err);

/* Final steps: every fd from 3 + preserve_fds on close-on-exec, the LSM
   labels for exec, execCPUAffinity.final, seccomp (the filter from
   `seccomp`, may be NULL), `before_exec` (may be NULL) under that filter,
   then execve.  Returns only on failure.  */
int process_exec (const oci_process *process, const oci_seccomp *seccomp,
                  int preserve_fds, const char *executable, char **envp,
                  process_before_exec_fn before_exec, void *data,
                  berth_error **err);

#endif
