/* berth: the container's device nodes and /dev symlinks (config-linux.md
 * "Devices", "Default Devices"; runtime-linux.md "Dev symbolic links").  */
#ifndef BERTH_DEVICES_H
#define BERTH_DEVICES_H

#include "libcontainer/lifecycle/context.h"
#include "base/error.h"

/* Creates the default devices (/dev/null, zero, full, random, urandom,
   tty: mode 0666, root:root) and then linux.devices (type c/u/b/p,
   fileMode default 0666, uid/gid) in the rootfs root_fd, each with mknodat
   in its parent directory resolved in the root.  When mknod is not
   permitted (a user namespace), the host's device node is bind-mounted
   over an empty file instead; a fifo is always made.  An existing entry
   that is the same device is kept (mode and owner set for linux.devices);
   an existing linux.devices entry that is not the device is an error (a
   default one is kept with a warning, as the image may provide it).
   *dev_fd (-1 at first, the caller closes it) keeps the rootfs' /dev
   once a device was made there, for the next steps.  */
int devices_create (container_ctx *ctx, int root_fd, int *dev_fd,
                    berth_error **err);

/* /dev/fd -> /proc/self/fd, /dev/stdin, stdout, stderr -> /proc/self/fd/0,
   1, 2, each left alone when something exists there; /dev/ptmx ->
   pts/ptmx when /dev/pts is a mount of the config (replacing what is
   there, unless linux.devices lists /dev/ptmx).  dev_fd: the rootfs'
   /dev from devices_create, or -1 to resolve it here.  */
int devices_symlinks (container_ctx *ctx, int root_fd, int dev_fd,
                      berth_error **err);

#endif
