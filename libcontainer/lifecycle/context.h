/* berth: everything the create path knows about one container, shared by
 * the parent (berth create/run) and the container's init after clone.
 * Built once by container_create(); the init sees its own copy (clone
 * without CLONE_VM), so nothing here is parsed twice.  */
#ifndef BERTH_CONTEXT_H
#define BERTH_CONTEXT_H

#include <stdbool.h>
#include <sys/types.h>

#include "oci-spec/config.h"

typedef struct container_ctx
{
  const char *id;
  const oci_config *config;
  char *bundle;      /* absolute, canonical */
  char *rootfs;      /* absolute, canonical: bundle + root.path */
  char *state_dir;   /* <root>/<id> */
  char *root_mount;  /* where the root is mounted: rootfs or the overlay's
                        merged dir; set by rootfs_prepare in the init */

  /* Options from the command line.  */
  bool no_pivot;       /* --no-pivot: MS_MOVE + chroot instead of pivot_root */
  bool no_new_keyring; /* --no-new-keyring */
  bool overlay;        /* --overlay or annotation run.oci.berth.overlay=true */

  /* Derived before clone.  */
  bool userns;         /* the init runs in a user namespace (new or joined) */
  bool new_mount_ns;   /* a new mount namespace */
  bool host_mount_ns;  /* none of its own: berth's (host-mounts.h) */
  bool new_net_ns;     /* a new network namespace: bring lo up */
  bool new_uts_ns;

  /* In the init: fds opened before the mount namespace changes.  */
  int host_proc_fd;    /* O_PATH dirfd of the host's /proc, verified procfs */
  int fifo_fd;         /* O_PATH fd of <state_dir>/exec.fifo; -1 for
                          `run`: released by SYNC_START instead */
  int sync_fd;         /* the init's end of the socketpair */
  int host_pid;        /* the init's pid as the host sees it (set by the
                          parent after ready, for the seccomp agent) */
  int *bind_fds;       /* with a user namespace: per config mount, the
                          bind source cloned by berth before it
                          (mount-sources.h), or -1; NULL without one */
  int fs_root;         /* in the init: 1 when its filesystem uid and gid
                          are 0, 0 when not (from thread-self/status, read
                          with the signals), -1 not known: asked of the
                          kernel where it matters (devices.c) */
  bool dev_readonly;   /* the /dev mount asked "ro": mounted read-write,
                          populated, then made read-only by rootfs_finalize
                          (as runc) */
} container_ctx;

#endif
