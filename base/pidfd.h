/* berth: the pidfd syscalls glibc 2.36 has no wrappers for, and a wait
 * on one.  */
#ifndef BERTH_PIDFD_H
#define BERTH_PIDFD_H

#include <stdbool.h>
#include <sys/types.h>

/* pidfd_open(2): -1 with errno set.  */
int sys_pidfd_open (pid_t pid);

/* pidfd_send_signal(2) without siginfo: -1 with errno set.  */
int sys_pidfd_send_signal (int pidfd, int sig);

/* Blocks until the process behind pidfd has exited (poll, no loop of
   sleeps).  */
void wait_pidfd_exit (int pidfd);

/* true once the process behind pidfd has exited (a zombie counts): a
   poll that does not wait.  */
bool pidfd_exited (int pidfd);

#endif
