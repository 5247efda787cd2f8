/* berth: tmpcopyup for tmpfs mounts (mount-copyup.c).  */
#ifndef BERTH_MOUNT_COPYUP_H
#define BERTH_MOUNT_COPYUP_H

#include <stdbool.h>

#include "base/error.h"
#include "libcontainer/rootfs/mount-options.h"

/* tmpcopyup: fills the new tmpfs mnt_fd with the content of the directory
   it covers (src, opened before the mount), owners and modes kept.  */
int mount_tmpcopyup (int src, int mnt_fd, const mount_options *o,
                     bool userns, berth_error **err);

#endif
