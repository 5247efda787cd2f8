/* berth: helpers of container.c that the other lifecycle files (exec.c,
 * delete.c) share, and delete.c's for run; not part of the container.h
 * API.  */
#ifndef BERTH_CONTAINER_INTERNAL_H
#define BERTH_CONTAINER_INTERNAL_H

#include <signal.h>
#include <sys/types.h>

#include "base/error.h"
#include "libcontainer/lifecycle/handle.h"
#include "oci-spec/config.h"
#include "oci-spec/state.h"

/* One clone3 with `flags` (new namespaces) and CLONE_PIDFD; with
   `cgroup_fd` >= 0 the child starts in that cgroup (CLONE_INTO_CGROUP).  */
pid_t clone_init (unsigned long flags, int cgroup_fd, int *pidfd);

/* --pid-file: the number without a newline, written atomically; nothing
   when path is NULL.  */
int write_pid_file (const char *path, pid_t pid, berth_error **err);

/* The bundle (NULL: the current directory) and its root.path as absolute
   canonical paths, checked to be directories (create and restore);
   resolve_rootfs takes the bundle as resolve_bundle gave it.  */
int resolve_bundle (const char *bundle, char **out, berth_error **err);
int resolve_rootfs (const char *bundle, const oci_config *config, char **out,
                    berth_error **err);

/* Forwards every signal of `forwarded` (blocked by the caller) to the
   process behind pidfd, a child of ours, until it exits; *exit_code is its
   status, 128+N when killed by signal N.  */
int forward_and_wait (int pidfd, const sigset_t *forwarded, int *exit_code,
                      berth_error **err);

/* delete --force of an opened container (`ret` is container_open's);
   `config`, when not NULL, is lent to the handle instead of parsed again
   (container_delete_force_id).  */
int container_delete_force_opened (int ret, container_handle *h,
                                   const oci_config *config,
                                   berth_error **err);

#endif
