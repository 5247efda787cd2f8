/* berth: the container's terminal (process.terminal).
 *
 * The pty is made in the container's own devpts instance (its /dev/ptmx,
 * resolved in the container's root), the peer comes from the master with
 * TIOCGPTPEER, never from a path under /dev/pts, and /dev/console is a
 * bind mount of that peer made through fds.  The master leaves the
 * container over the sync socket; the parent hands it to the caller's
 * console socket (console_socket_send) or proxies the caller's terminal
 * (terminal_proxy, terminal-proxy.c).
 *
 * Console socket protocol (as runc): berth connects to the AF_UNIX
 * SOCK_STREAM socket at --console-socket, sends one message whose payload
 * is the name "/dev/ptmx" (no NUL) and whose SCM_RIGHTS control message
 * carries the master fd, and closes the connection.  */
#ifndef BERTH_TERMINAL_H
#define BERTH_TERMINAL_H

#include <signal.h>

#include "base/error.h"
#include "oci-spec/config.h"

/* The payload of the console socket message.  */
#define TERMINAL_MASTER_NAME "/dev/ptmx"

/* Opens a new pty in the devpts instance mounted at /dev/pts under root_fd
   (through root_fd's /dev/ptmx), unlocks it and gets the peer with
   TIOCGPTPEER (O_RDWR|O_NOCTTY|O_CLOEXEC).  Checks that both ends belong
   to that instance.  For the init (root "/" after pivot_root) and for
   `exec --tty` (in the container's mount namespace).  */
int terminal_open_pty (int root_fd, int *master, int *peer,
                       berth_error **err);

/* TIOCSWINSZ: rows x cols.  */
int terminal_set_size (int fd, unsigned rows, unsigned cols,
                       berth_error **err);

/* Makes the calling process a session leader (when it is not one yet),
   the peer its controlling terminal (TIOCSCTTY) and stdin, stdout and
   stderr (not close-on-exec).  The caller closes `peer`.  */
int terminal_become_stdio (int peer, berth_error **err);

/* Bind-mounts the peer on root_fd's /dev/console, through fds: an empty
   file is created when there is nothing there; anything but a regular
   file or a character device (a symlink, a directory) is refused.  */
int terminal_mount_console (int root_fd, int peer, berth_error **err);

/* The init's whole terminal set-up, after pivot_root and before the
   rootfs is made read-only: a pty in the container's devpts,
   process.consoleSize, the peer owned by process.user.uid, mounted on
   /dev/console and made the controlling terminal and stdio.  Returns the
   master (close-on-exec).  */
int terminal_setup_init (const oci_process *process, berth_error **err);

/* Connects to the console socket at `path` (before anything is created,
   so a wrong path fails early).  */
int console_socket_connect (const char *path, berth_error **err);

/* Sends the master over a connected console socket.  */
int console_socket_send (int sock, int master, const char *path,
                         berth_error **err);

/* The window size of berth's terminal (stdin, else stdout) onto the pty,
   when berth has one.  */
void terminal_copy_size (int master);

/* `run` in the foreground without --console-socket: proxies berth's own
   stdin/stdout to the master until the process behind pidfd has exited
   and its output is drained (the process is not reaped).  stdin, when a
   terminal, is in raw mode meanwhile and its window size follows to the
   pty (SIGWINCH); signals in `forwarded` (blocked by the caller) other
   than SIGWINCH and SIGCHLD are sent to the process.  */
int terminal_proxy (int master, int pidfd, const sigset_t *forwarded,
                    berth_error **err);

#endif
