/* berth: the container's masked directories (linux.maskedPaths: an
 * empty read-only tmpfs berth mounts over each) as CRIU external mounts,
 * for a migration: CRIU archives every tmpfs it dumps with tar and
 * unpacks it at the restore, programs that take 0.1 to 0.3 s each in a
 * TCG guest, inside the downtime, for a mount that holds nothing.  Only a
 * mask that is still what berth made is left out: a tmpfs whose
 * superblock is read-only, empty.  The restore binds an empty read-only
 * tmpfs of its own there.  Internal to libcontainer/criu.  */
#ifndef BERTH_CRIU_MASKS_H
#define BERTH_CRIU_MASKS_H

#include <stdbool.h>
#include <sys/types.h>

#include "base/error.h"
#include "libcontainer/criu/criu-api.h"
#include "oci-spec/config.h"

/* In the images: the masked directories left out, one a line.  */
#define CRIU_MASKS_EXTERNAL "berth-masks-external"

/* Dump: the masks of the container (init `pid`) that are as berth made
   them, named to CRIU as external mounts and listed in the images
   (`image_fd`).  None is no error.  */
int criu_masks_dump (criu_opts *copts, int image_fd, const oci_config *config,
                     pid_t pid, berth_error **err);

/* Restore: when the images list masks, an empty read-only tmpfs mounted
   at `dir` (made) and bound by CRIU at each; *mounted then says `dir`
   must be unmounted and removed (criu_masks_undo) once CRIU is done.  */
int criu_masks_restore (criu_opts *copts, int image_fd, const char *dir,
                        bool *mounted, berth_error **err);

void criu_masks_undo (const char *dir, bool *mounted);

#endif
