/* berth: --pidfd-socket.  berth already holds a pidfd of every process it
 * starts (clone3's CLONE_PIDFD); the caller gets a copy of that one, so it
 * names the process that berth started even if its pid is reused.  */
#include "libcontainer/process/pidfd-socket.h"

#include <string.h>

#include "base/utils.h"

int
pidfd_socket_connect (const char *path, berth_error **err)
{
  int fd = unix_connect (path);

  if (fd < 0)
    return berth_error_sys (err, "--pidfd-socket: connect to %s", path);
  return fd;
}

int
pidfd_socket_send (int sock, int pidfd, const char *kind, const char *path,
                   berth_error **err)
{
  if (send_with_fd (sock, kind, strlen (kind), pidfd) < 0)
    return berth_error_sys (err, "--pidfd-socket: send the pidfd to %s",
                            path);
  return 0;
}
