/* berth: the container lifecycle (runtime.md "Operations"), one function
 * per command.  `root` is the --root state directory.  */
#ifndef BERTH_CONTAINER_H
#define BERTH_CONTAINER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "base/error.h"
#include "oci-spec/config.h"
#include "oci-spec/events.h"
#include "oci-spec/state.h"
#include "libcontainer/lifecycle/handle.h"

/* config.json annotation: "true" is --overlay.  */
#define OVERLAY_ANNOTATION "run.oci.berth.overlay"

typedef struct container_create_opts
{
  const char *root;
  const char *id;
  const char *bundle;          /* NULL: the current directory */
  const char *pid_file;        /* NULL: none */
  const char *console_socket;  /* NULL: none */
  const char *pidfd_socket;    /* --pidfd-socket; NULL: none */
  bool no_pivot;
  bool no_new_keyring;
  bool overlay;
  bool systemd_cgroup;         /* --systemd-cgroup */
  int preserve_fds;            /* fds 3 .. 3+N-1 go to the container */
  bool foreground;             /* set by container_run without detach: a
                                  terminal is the caller's, proxied */
  bool start_by_sync;          /* set by container_run: the init is
                                  released over the sync socket, not
                                  exec.fifo (a marker only) */
} container_create_opts;

int container_create (const container_create_opts *opts, berth_error **err);

/* --pidfd-socket PATH: connects and sends `pidfd` with runc's payload
   `kind` (PIDFD_SOCKET_INIT or PIDFD_SOCKET_EXEC).  */
int send_pidfd (const char *path, int pidfd, const char *kind,
                berth_error **err);

/* The commands on an existing container take it opened by container_open
   (handle.h); each says which lock it needs.  */

/* h: CONTAINER_OPEN_LOCK_EXCLUSIVE.  */
int container_start (container_handle *h, berth_error **err);

/* create + start.  Foreground (!detach): forwards signals, waits, sets
   *exit_code to the process's status (128+N for signal N) and deletes the
   container unless `keep`.  */
int container_run (const container_create_opts *opts, bool detach, bool keep,
                   int *exit_code, berth_error **err);

/* h: no lock needed (a signal is not a change of state).  `all`: every
   process of the cgroup, or of the pid namespace without one.  */
int container_kill (container_handle *h, int signum, bool all,
                    berth_error **err);

/* h: CONTAINER_OPEN_LOCK_EXCLUSIVE, with CONTAINER_OPEN_CREATING_OK when
   `force` (a create that crashed before state.json is removed too).  */
int container_delete (container_handle *h, bool force, berth_error **err);

/* delete --force by id (the end of a foreground run, a checkpoint without
   --leave-running, a failed restore): gone already is done.  `config`:
   the container's config when the caller has it parsed already (run),
   lent for the delete; NULL: read from the state dir.  */
int container_delete_force_id (const char *root, const char *id,
                               const oci_config *config, berth_error **err);

/* ---- cgroup commands (libcontainer/lifecycle/container-cgroup.c) ---------------- */

/* Writes the resources that are set in `r` (a partial linux.resources:
   only fields present are changed) to a created, running or paused
   container's cgroup.  */
int container_update (const char *root, const char *id,
                      const oci_resources *r, berth_error **err);

/* running → paused (cgroup freeze); paused → running.
   h: CONTAINER_OPEN_LOCK_EXCLUSIVE.  */
int container_pause (container_handle *h, berth_error **err);
int container_resume (container_handle *h, berth_error **err);

/* The read-only cgroup commands (ps, events) need no lock, as `state`:
   they do not wait for a create or delete under way.  Stats and events
   refuse a container that was stopped when it was opened.  */

/* Every pid in the container's cgroup (as the host sees them), sorted.
   A stopped container's are what is left in its cgroup (none once it is
   gone, or without one), as runc lists them.  */
int container_pids (container_handle *h, pid_t **pids, size_t *n,
                    berth_error **err);

int container_stats (container_handle *h, oci_stats *out,
                     berth_error **err);

/* *fd: readable when the OOM killer struck in the container's cgroup, and
   *counts, as cgroup_ops.oom_fd says; -1 without a memory controller.  */
int container_oom_fd (container_handle *h, int *fd, bool *counts,
                      berth_error **err);

/* Every container under root, sorted by id.  */
int container_list (const char *root, oci_state ***states, size_t *n,
                    berth_error **err);

#endif
