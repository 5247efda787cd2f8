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
#include "oci-spec/state.h"

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
} container_create_opts;

int container_create (const container_create_opts *opts, berth_error **err);

/* --pidfd-socket PATH: connects and sends `pidfd` with runc's payload
   `kind` (PIDFD_SOCKET_INIT or PIDFD_SOCKET_EXEC).  */
int send_pidfd (const char *path, int pidfd, const char *kind,
                berth_error **err);

int container_start (const char *root, const char *id, berth_error **err);

/* create + start.  Foreground (!detach): forwards signals, waits, sets
   *exit_code to the process's status (128+N for signal N) and deletes the
   container unless `keep`.  */
int container_run (const container_create_opts *opts, bool detach, bool keep,
                   int *exit_code, berth_error **err);

/* The state with status refreshed; the caller frees it.  */
oci_state *container_state (const char *root, const char *id,
                            berth_error **err);

int container_kill (const char *root, const char *id, int signum, bool all,
                    berth_error **err);

int container_delete (const char *root, const char *id, bool force,
                      berth_error **err);

/* ---- cgroup commands (libcontainer/lifecycle/container-cgroup.c) ---------------- */

struct cgroup_stats;

/* Writes the resources that are set in `r` (a partial linux.resources:
   only fields present are changed) to a created, running or paused
   container's cgroup.  */
int container_update (const char *root, const char *id,
                      const oci_resources *r, berth_error **err);

/* Changes the rate limits of the container's veth pair (annotation
   run.oci.berth.net.veth), in bytes per second: egress on the container's
   end, ingress on the outside end.  0 removes a limit;
   NET_RATE_UNCHANGED (libcontainer/network/net-setup.h) leaves it
   (libcontainer/network/container-net.c).  */
int container_update_net (const char *root, const char *id, uint64_t egress,
                          uint64_t ingress, berth_error **err);

/* running → paused (cgroup freeze); paused → running.  */
int container_pause (const char *root, const char *id, berth_error **err);
int container_resume (const char *root, const char *id, berth_error **err);

/* Every pid in the container's cgroup (as the host sees them).  */
int container_pids (const char *root, const char *id, pid_t **pids,
                    size_t *n, berth_error **err);

int container_stats (const char *root, const char *id,
                     struct cgroup_stats *out, berth_error **err);

/* *fd: readable when the OOM killer struck in the container's cgroup, and
   *counts, as cgroup_ops.oom_fd says; -1 without a memory controller.  */
int container_oom_fd (const char *root, const char *id, int *fd,
                      bool *counts, berth_error **err);

/* Every container under root, sorted by id.  */
int container_list (const char *root, oci_state ***states, size_t *n,
                    berth_error **err);

#endif
