/* berth: pidfd syscalls (pidfd.h).  */
#include "base/pidfd.h"

#include <errno.h>
#include <poll.h>
#include <sys/syscall.h>
#include <unistd.h>

int
sys_pidfd_open (pid_t pid)
{
  return (int) syscall (SYS_pidfd_open, pid, 0);
}

int
sys_pidfd_send_signal (int pidfd, int sig)
{
  return (int) syscall (SYS_pidfd_send_signal, pidfd, sig, NULL, 0);
}

void
wait_pidfd_exit (int pidfd)
{
  struct pollfd p = { .fd = pidfd, .events = POLLIN };
  while (poll (&p, 1, -1) < 0 && errno == EINTR)
    ;
}

bool
pidfd_exited (int pidfd)
{
  struct pollfd p = { .fd = pidfd, .events = POLLIN };
  int r;

  while ((r = poll (&p, 1, 0)) < 0 && errno == EINTR)
    ;
  return r > 0 && (p.revents & (POLLIN | POLLHUP)) != 0;
}
