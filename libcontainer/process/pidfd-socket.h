/* berth: --pidfd-socket (runc 1.2), a pidfd of the container's process
 * handed to the caller over a unix socket.  */
#ifndef BERTH_PIDFD_SOCKET_H
#define BERTH_PIDFD_SOCKET_H

#include "base/error.h"

/* The payload that goes with the fd, as runc sends it: the kind of its
   init, "standard" for a container's init (create, run), "setns" for a
   process exec'd into it.  Callers such as containerd's go-runc read the
   fd and ignore the bytes, but keep them as runc's.  */
#define PIDFD_SOCKET_INIT "standard"
#define PIDFD_SOCKET_EXEC "setns"

/* Connects to the caller's unix socket at `path` (SOCK_STREAM, as
   --console-socket).  Returns the socket, O_CLOEXEC.  */
int pidfd_socket_connect (const char *path, berth_error **err);

/* Sends `pidfd` over `sock` (SCM_RIGHTS) with `kind` as the payload.  */
int pidfd_socket_send (int sock, int pidfd, const char *kind,
                       const char *path, berth_error **err);

#endif
