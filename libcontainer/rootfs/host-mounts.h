/* berth: the mounts of a container that has no mount namespace of its own.
 *
 * Without "mount" in linux.namespaces the container stays in berth's
 * mount namespace (the spec: a type left out is inherited), as with runc:
 * its root bind, its mounts and its devices are made on the host, and the
 * init chroots into the root instead of pivot_root.  runc leaves those
 * mounts behind; berth records the ones that appeared under the rootfs
 * (and the state dir, for --overlay) while the container was made, and
 * `delete` unmounts them.  */
#ifndef BERTH_HOST_MOUNTS_H
#define BERTH_HOST_MOUNTS_H

#include <stddef.h>
#include <stdint.h>

#include "base/error.h"

/* The mounts of the calling process's namespace at or below any of the
   `n_dirs` directories.  */
typedef struct host_mount_set
{
  uint64_t *ids;
  char **paths;
  size_t n;
} host_mount_set;

int host_mounts_list (const char *const *dirs, size_t n_dirs,
                      host_mount_set *out, berth_error **err);

void host_mount_set_release (host_mount_set *s);

/* The mounts now at or below `dirs` that were not in `before`, written to
   the state dir's "host-mounts" (one "ID PATH" a line).  */
int host_mounts_record (int dir_fd, const char *const *dirs, size_t n_dirs,
                        const host_mount_set *before, berth_error **err);

/* Unmounts (MNT_DETACH, newest first) what "host-mounts" lists and is
   still there with the same mount id; no file: nothing to do.  */
int host_mounts_undo (int dir_fd, berth_error **err);

/* The same for a create that failed before it recorded anything: the
   mounts at or below `dirs` that are not in `before`.  */
void host_mounts_undo_new (const char *const *dirs, size_t n_dirs,
                           const host_mount_set *before);

#endif
