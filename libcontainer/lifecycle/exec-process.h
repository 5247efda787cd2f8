/* berth: the process `berth exec` runs, from --process FILE or the
 * container's own process, with the command line's changes (pure logic,
 * unit-tested).  */
#ifndef BERTH_EXEC_PROCESS_H
#define BERTH_EXEC_PROCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "oci-spec/config.h"

/* What exec's options change; each is "not given" when NULL / 0 / false.  */
typedef struct exec_overrides
{
  char **args;              /* the command after the ID */
  size_t n_args;
  const char *cwd;          /* --cwd */
  char **env;               /* --env K=V: replaces K, or is added */
  size_t n_env;
  bool has_uid;             /* --user UID[:GID] */
  uint32_t uid;
  bool has_gid;
  uint32_t gid;
  uint32_t *additional_gids; /* --additional-gids: added */
  size_t n_additional_gids;
  char **caps;              /* --cap: added to the bounding, effective and
                               permitted sets (as runc) */
  size_t n_caps;
  bool no_new_privs;        /* --no-new-privs */
  const char *apparmor;     /* --apparmor */
  const char *process_label; /* --process-label */
  bool tty;                 /* --tty */
} exec_overrides;

/* The exec'd process.  Its base is *file (--process) when not NULL, else
   the container's process (*container: the container's config.process).
   With a file, what it leaves out comes from the container's process:
   user, env, capabilities, rlimits (when none), noNewPrivileges,
   apparmorProfile, selinuxLabel, oomScoreAdj, scheduler, ioPriority,
   execCPUAffinity.  Without one, the container's process with terminal
   false and no args.  Then the overrides apply.  Takes ownership of *file
   and of what it uses of *container (both are left safe to free).  */
oci_process *exec_process_build (oci_process **file, oci_process **container,
                                 const exec_overrides *o, berth_error **err);

#endif
