/* berth: the container's pty, /dev/console and the console socket.  */
#include "libcontainer/process/terminal.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <termios.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "libcontainer/rootfs/mount-util.h"
#include "libcontainer/rootfs/safe-path.h"
#include "base/utils.h"

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO ('T', 0x41)
#endif

static int
check_devpts (int fd, dev_t want, const char *what, berth_error **err)
{
  struct statfs sfs;
  struct stat st;

  if (fstatfs (fd, &sfs) < 0 || fstat (fd, &st) < 0)
    return berth_error_sys (err, "stat %s", what);
  if (sfs.f_type != DEVPTS_SUPER_MAGIC || st.st_dev != want)
    return berth_error_set (err, 0,
                            "%s is not in the devpts instance mounted on "
                            "the container's /dev/pts",
                            what);
  return 0;
}

int
terminal_open_pty (int root_fd, int *master_out, int *peer_out,
                   berth_error **err)
{
  cleanup_close int pts = -1;
  cleanup_close int master = -1;
  cleanup_close int peer = -1;
  struct stat st;
  int unlock = 0;

  pts = safe_open_in_root (root_fd, "/dev/pts", O_PATH | O_DIRECTORY, 0,
                           err);
  if (pts < 0)
    return berth_error_wrap (err, "a terminal needs a devpts mount on "
                                  "/dev/pts");
  if (fstat (pts, &st) < 0)
    return berth_error_sys (err, "stat /dev/pts");
  /* /dev/ptmx is the symlink to pts/ptmx devices.c makes (or a ptmx node
     the config lists, which the kernel ties to the sibling pts).  */
  master = safe_open_in_root (root_fd, "/dev/ptmx", O_RDWR | O_NOCTTY, 0,
                              err);
  if (master < 0)
    return -1;
  if (ioctl (master, TIOCSPTLCK, &unlock) < 0)
    return berth_error_sys (err, "unlock the pty");
  /* The peer straight from the master: a name under /dev/pts could be
     swapped for something else by the time it is opened.  */
  peer = ioctl (master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (peer < 0)
    return berth_error_sys (err, "TIOCGPTPEER");
  if (check_devpts (peer, st.st_dev, "the pty", err) < 0)
    return -1;
  *master_out = steal_fd (&master);
  *peer_out = steal_fd (&peer);
  return 0;
}

int
terminal_set_size (int fd, unsigned rows, unsigned cols, berth_error **err)
{
  struct winsize ws = { .ws_row = (unsigned short) rows,
                        .ws_col = (unsigned short) cols };

  if (ioctl (fd, TIOCSWINSZ, &ws) < 0)
    return berth_error_sys (err, "set the terminal size %ux%u", rows, cols);
  return 0;
}

int
terminal_become_stdio (int peer, berth_error **err)
{
  /* TIOCSCTTY needs a session leader without a controlling terminal.  */
  if (getsid (0) != getpid () && setsid () < 0)
    return berth_error_sys (err, "setsid");
  for (int i = 0; i <= 2; i++)
    if (dup3 (peer, i, 0) < 0)
      return berth_error_sys (err, "make the terminal fd %d", i);
  if (ioctl (0, TIOCSCTTY, 0) < 0)
    return berth_error_sys (err, "make the pty the controlling terminal");
  return 0;
}

int
terminal_mount_console (int root_fd, int peer, berth_error **err)
{
  cleanup_close int dev = -1;
  cleanup_close int target = -1;
  cleanup_close int mfd = -1;
  struct stat st;

  dev = safe_open_in_root (root_fd, "/dev", O_PATH | O_DIRECTORY, 0, err);
  if (dev < 0)
    return -1;
  /* The last component is never followed: a /dev/console symlink of the
     image must not choose what the pty is mounted on.  */
  target = openat (dev, "console", O_PATH | O_NOFOLLOW | O_CLOEXEC);
  if (target < 0 && errno == ENOENT)
    {
      cleanup_close int created
          = openat (dev, "console",
                    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                    0666);
      if (created < 0)
        return berth_error_sys (err, "create /dev/console");
      if (fchmod (created, 0666) < 0)
        return berth_error_sys (err, "chmod /dev/console");
      target = openat (dev, "console", O_PATH | O_NOFOLLOW | O_CLOEXEC);
    }
  if (target < 0)
    return berth_error_sys (err, "open /dev/console");
  if (fstat (target, &st) < 0)
    return berth_error_sys (err, "stat /dev/console");
  if (!S_ISREG (st.st_mode) && !S_ISCHR (st.st_mode))
    return berth_error_set (err, 0,
                            "/dev/console in the container is %s, not a "
                            "file or a device: the terminal is not mounted "
                            "there",
                            S_ISLNK (st.st_mode)   ? "a symlink"
                            : S_ISDIR (st.st_mode) ? "a directory"
                                                   : "a special file");
  mfd = mount_bind_fd (peer, target, false, err);
  if (mfd < 0)
    return berth_error_wrap (err, "bind the pty on /dev/console");
  return 0;
}

int
terminal_setup_init (const oci_process *process, berth_error **err)
{
  cleanup_close int root = -1;
  cleanup_close int master = -1;
  cleanup_close int peer = -1;

  root = open ("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (root < 0)
    return berth_error_sys (err, "open /");
  if (terminal_open_pty (root, &master, &peer, err) < 0)
    return berth_error_wrap (err, "process.terminal");
  if (process->has_console_size
      && terminal_set_size (master, process->console_height,
                            process->console_width, err)
             < 0)
    return berth_error_wrap (err, "process.consoleSize");
  /* The user owns its terminal, as login(1) does; the group stays the
     one devpts gave (gid=5, "tty", in the default spec).  */
  if (fchown (peer, process->user.uid, (gid_t) -1) < 0)
    return berth_error_sys (err, "process.terminal: chown the pty to %u",
                            (unsigned) process->user.uid);
  if (terminal_mount_console (root, peer, err) < 0)
    return berth_error_wrap (err, "process.terminal");
  if (terminal_become_stdio (peer, err) < 0)
    return berth_error_wrap (err, "process.terminal");
  return steal_fd (&master);
}

int
console_socket_connect (const char *path, berth_error **err)
{
  int fd = unix_connect (path);

  if (fd < 0)
    return berth_error_sys (err, "--console-socket: connect to %s", path);
  return fd;
}

int
console_socket_send (int sock, int master, const char *path,
                     berth_error **err)
{
  static const char name[] = TERMINAL_MASTER_NAME;

  if (send_with_fd (sock, name, sizeof name - 1, master) < 0)
    return berth_error_sys (err, "--console-socket: send the pty to %s",
                            path);
  return 0;
}
