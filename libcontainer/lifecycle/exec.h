/* berth: `exec`, a new process in a created or running container.  */
#ifndef BERTH_EXEC_H
#define BERTH_EXEC_H

#include <stdbool.h>

#include "base/error.h"
#include "libcontainer/lifecycle/exec-process.h"
#include "oci-spec/config.h"

typedef struct container_exec_opts
{
  const char *root;
  const char *id;
  oci_process *process;        /* --process, parsed; NULL: from the
                                  container's config.  exec takes it.  */
  exec_overrides overrides;
  const char *console_socket;  /* --console-socket */
  const char *pid_file;        /* --pid-file */
  const char *pidfd_socket;    /* --pidfd-socket */
  char **cgroups;              /* --cgroup, runc's [CTRL[,CTRL]:]PATH */
  size_t n_cgroups;
  bool ignore_paused;          /* --ignore-paused */
  bool detach;                 /* --detach */
  int preserve_fds;            /* --preserve-fds: fds 3 .. 3+N-1 go along */
} container_exec_opts;

/* Runs the process in every namespace and the cgroup of the container's
   init, with the container's seccomp filter.  Foreground: forwards signals
   and sets *exit_code to the process's status (128+N for signal N).
   --detach: returns once the process has exec'd.  A failure before the
   workload runs leaves no process behind.  */
int container_exec (container_exec_opts *opts, int *exit_code,
                    berth_error **err);

#endif
