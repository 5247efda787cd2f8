/* berth migrate --receive: the restore on the target, in a child whose
 * stdio is /dev/null (the restored process takes the place of the
 * source's stdio and must not hold the ssh session).  Internal to
 * libcontainer/criu.  */
#ifndef BERTH_MIGRATE_TARGET_RESTORE_H
#define BERTH_MIGRATE_TARGET_RESTORE_H

#include <stdbool.h>
#include <sys/types.h>

#include "libcontainer/criu/criu-common.h"

/* Starts the detached restore of `images` as ROOT/ID from `bundle`
   (`lazy`: its pages from `criu lazy-pages`).  *msg_fd: readable, the
   error text arrives there, EOF at the end.  -1 and *msg on failure to
   start.  The child leads a process group with the `criu swrk` libcriu
   starts for it: migrate_group_kill (pid) stops the restore whole, and
   the receiving berth's death (even by SIGKILL) stops it too
   (migrate-group.h); what CRIU restored so far is in the container's
   cgroup, which deleting the container ends.  */
pid_t target_restore_start (const char *root, const char *id,
                            const char *bundle, const char *images,
                            const criu_flags *flags, bool lazy, int *msg_fd,
                            char **msg);

/* Waits for it: 0 when restored, else -1 and *msg (malloc'd, one
   line).  Closes msg_fd.  */
int target_restore_finish (pid_t pid, int msg_fd, char **msg);

#endif
