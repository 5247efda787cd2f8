/* berth: bind-mount sources opened by berth itself, before the user
 * namespace.  */
#ifndef BERTH_MOUNT_SOURCES_H
#define BERTH_MOUNT_SOURCES_H

#include "base/error.h"
#include "oci-spec/config.h"

/* For a container in a user namespace: one fd per config mount, a
   detached clone (open_tree OPEN_TREE_CLONE, with submounts for rbind) of
   each bind mount's source made in berth's own context, -1 for the other
   mounts.  The init attaches them with move_mount, so a source that the
   container's root cannot reach (a 0700 host directory of an unmapped
   owner) still works, as with runc 1.2.  A source berth cannot clone
   stays -1: the init then opens it itself and reports the error.  The
   idmapped ones are left to mount-idmap.c.  Free with
   mount_sources_close.  */
int *mount_sources_open (const oci_config *config, const char *bundle);

void mount_sources_close (int *fds, size_t n);

#endif
