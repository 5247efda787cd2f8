/* berth: the state dir <root>/<id>/ of one container: its lock, state.json,
 * exec.fifo, and the status computed from the live process.  */
#ifndef BERTH_STATE_H
#define BERTH_STATE_H

#include <stdbool.h>

#include "base/error.h"
#include "oci-spec/state.h"

#define STATE_FILE "state.json"
#define EXEC_FIFO "exec.fifo"
#define CONFIG_COPY "config.json"

/* Checks an id: [A-Za-z0-9_.+-], 1..1024 bytes, not "." or "..".  */
int container_id_validate (const char *id, berth_error **err);

/* Opens (making it 0700 when `create`) the --root directory.  */
int state_root_open (const char *root, bool create, berth_error **err);

/* mkdir <root>/<id> (fails when it exists: "container "x" already exists"),
   opens and locks it.  Returns the locked dir fd.  */
int state_dir_create (int root_fd, const char *id, berth_error **err);

/* Reads state.json, as create or start last wrote it: the status from the
   live process is container_open's (handle.h).  */
oci_state *state_load (int dir_fd, const char *id, berth_error **err);

/* The copy of config.json create keeps in the state dir.  */
oci_config *state_load_config (int dir_fd, berth_error **err);

int state_save (int dir_fd, const oci_state *state, berth_error **err);

/* The rootfs a restore bind-mounts for CRIU in the state dir
   (libcontainer/criu/restore.c), unmounted when it is done.  */
#define STATE_CRIU_ROOT "criu-root"
/* The empty read-only tmpfs a restore binds over the container's masked
   directories (libcontainer/criu/criu-masks.h), unmounted likewise.  */
#define STATE_CRIU_MASKS "criu-masks"

/* Removes <root>/<id> and everything in it.  It goes into no mount
   point; one is an error (EBUSY), but for STATE_CRIU_ROOT and
   STATE_CRIU_MASKS, which a restore killed half way leaves mounted: they
   are detached.  */
int state_dir_remove (int root_fd, const char *id, berth_error **err);

/* The same for the state directory open (and locked) as dir_fd, checked
   to be <root>/<id> (container_open): not opened again.  */
int state_dir_remove_open (int root_fd, const char *id, int dir_fd,
                           berth_error **err);

/* RFC 3339 UTC with nanoseconds, as runc's "created".  Malloc'd.  */
char *state_now_rfc3339 (void);

#endif
