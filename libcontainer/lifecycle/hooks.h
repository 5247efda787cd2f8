/* berth: running OCI hooks (config.md "POSIX-platform Hooks").  */
#ifndef BERTH_HOOKS_H
#define BERTH_HOOKS_H

#include <stddef.h>

#include "base/error.h"
#include "oci-spec/config.h"
#include "oci-spec/state.h"

/* The state as hooks get it on stdin (runtime.md: the state, no berth
   fields).  */
char *hooks_state_json (const oci_state *state);

/* Runs hooks[0..n) in order: fork, execve(path, args, env) with the state
   JSON on stdin (through a pipe), stdout/stderr inherited; waits with the
   hook's timeout (no busy wait: pidfd + poll), killing it on timeout.
   Stops at the first failure (non-zero exit, signal, timeout, exec error)
   with an error naming the hook: "createRuntime hook #0 (/bin/false):
   exited with status 1", of kind BERTH_ERROR_HOOK.  */
int hooks_run (const oci_hook *hooks, size_t n, oci_hook_kind kind,
               const char *state_json, berth_error **err);

/* As hooks_run, but a failing hook is only reported (to stderr / the log)
   and the next one still runs: poststop semantics.  */
void hooks_run_warn (const oci_hook *hooks, size_t n, oci_hook_kind kind,
                     const char *state_json);

#endif
