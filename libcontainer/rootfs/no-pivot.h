/* berth: --no-pivot without a reachable host procfs or sysfs.  */
#ifndef BERTH_NO_PIVOT_H
#define BERTH_NO_PIVOT_H

#include "base/error.h"

/* Before MS_MOVE + chroot: every whole procfs and sysfs mount of the
   init's mount namespace outside `root` (the host's /proc and /sys) is
   detached, or covered by an empty tmpfs where the kernel refuses the
   unmount.  The kernel lets a process in a new user namespace mount a
   fresh procfs or sysfs only when one is fully visible in its mount
   namespace; with chroot instead of pivot_root the host's ones stay in it
   and would qualify (runc's msMoveRoot does the same).  `proc_fd` is the
   host's /proc (verified procfs), where the mount table is read.  */
int no_pivot_hide_host_fs (const char *root, int proc_fd, berth_error **err);

#endif
