/* berth: one existing container, opened once by a command on it (start,
 * kill, delete, pause, resume, exec, ps, events, state, list): its state
 * dir, the lock, the state, the config copy, the status, the init's pidfd
 * and the cgroup manager.  Every command opens a container this one way.  */
#ifndef BERTH_HANDLE_H
#define BERTH_HANDLE_H

#include <stdbool.h>

#include "base/error.h"
#include "cgroups/manager.h"
#include "oci-spec/config.h"
#include "oci-spec/state.h"

enum
{
  /* flock LOCK_SH on the state dir: several holders at once (exec), but
     not while create, start or delete holds it exclusively.  */
  CONTAINER_OPEN_LOCK_SHARED = 1 << 0,
  /* flock LOCK_EX: serializes with create, start, delete, pause, ...  */
  CONTAINER_OPEN_LOCK_EXCLUSIVE = 1 << 1,
  /* Load the config copy now (a failure fails the open); without it
     container_handle_config loads it on first use.  */
  CONTAINER_OPEN_CONFIG = 1 << 2,
  /* A dir without a usable state.json (a create under way, one that was
     killed, a damaged file) opens with status OCI_STATUS_CREATING, no
     state and the load's error in state_error, instead of failing.  */
  CONTAINER_OPEN_CREATING_OK = 1 << 3,
  /* container_open_held: the caller has reaped the init (a foreground
     run): stopped, no pidfd_open of a pid that may be another's now.  */
  CONTAINER_OPEN_INIT_REAPED = 1 << 4,
};

typedef struct container_handle
{
  char *id;
  int root_fd;             /* the --root directory */
  int dir_fd;              /* <root>/<id> */
  int lock;                /* LOCK_SH, LOCK_EX, or 0: none held */
  oci_state *state;        /* NULL only when status is CREATING */
  oci_status status;       /* from the live process, exec.fifo, freezer */
  int pidfd;               /* the init, checked against its start time
                              (pid reuse); -1 when it is gone */
  cgroup_manager *cg;      /* NULL: the container has no cgroup */
  oci_config *config;      /* the config copy; see container_handle_config */
  bool config_borrowed;    /* the caller's (run's own): not freed here */
  bool fds_borrowed;       /* root_fd and dir_fd are the caller's
                              (container_open_held): not closed here */
  bool no_host_mounts;     /* the caller made the container and knows it
                              has no "host-mounts" file (a run with a
                              mount namespace): delete does not look */
  berth_error *state_error; /* why state is NULL (CREATING_OK) */
} container_handle;

/* Opens container `id` under `root` with CONTAINER_OPEN_* `flags`.  A
   missing --root or dir is "container "x" does not exist", kind
   BERTH_ERROR_NOT_FOUND.  The status is computed here: stopped (and
   state->pid 0, as runc reports it) when the init is gone, created while
   exec.fifo exists, paused when the cgroup is frozen, else running;
   state->status says the same.  */
int container_open (const char *root, const char *id, unsigned flags,
                    container_handle **out, berth_error **err);

/* The same for the state dir a foreground `run` made and kept open
   (unlocked while its process ran): borrows root_fd and dir_fd (the
   caller closes them, after the handle), locks as `flags` say and reads the
   state again (`update` or the network commands may have rewritten it).
   A dir another command deleted meanwhile (unlinked: no links left) is
   "does not exist", as in container_open.  No reopening by name.  */
int container_open_held (int root_fd, int dir_fd, const char *id,
                         unsigned flags, container_handle **out,
                         berth_error **err);

/* The config copy create kept in the state dir, loaded on first call; the
   handle owns it (exec takes its process).  */
oci_config *container_handle_config (container_handle *h,
                                     berth_error **err);

/* Gives up the lock, keeping everything else (a foreground run or exec
   lets other commands through while its process runs).  */
void container_handle_unlock (container_handle *h);

void container_handle_close (container_handle *h);

static inline void
container_handle_closep (container_handle **h)
{
  container_handle_close (*h);
}

#define cleanup_container_handle \
  __attribute__ ((cleanup (container_handle_closep)))

/* The error of a command that needs a live init (kill, update, events)
   on a stopped container: `container "x" is not running (container
   not running)`, with the words engines match (docs/engines.md).
   Returns -1.  */
int container_not_running (const container_handle *h, berth_error **err);

/* A pidfd of the container's init if it is still the recorded process
   (same start time, not a zombie), else -1.  Without a recorded start
   time nothing proves the pid is still ours (a damaged or hand-edited
   state.json): -1, so it is never signalled.  */
int container_init_pidfd (const oci_state *state);

#endif
