/* berth: `run` in the foreground with process.terminal and no console
 * socket: berth's own stdin and stdout stand in for the pty master.  */
#include "libcontainer/process/terminal.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <termios.h>
#include <unistd.h>

#include "base/pidfd.h"
#include "base/cleanup.h"
#include "base/utils.h"

/* After the process exited, what it wrote is read until the pty reports
   that no one holds the peer any more (EIO).  A process left behind that
   keeps the terminal open (no pid namespace of its own) would make that
   wait forever: after this long without output berth stops reading.  */
#define DRAIN_IDLE_MS 500

typedef struct proxy
{
  int master;
  int pidfd;
  int sfd;
  bool stdin_tty;
  bool stdin_open;
  bool exited;
  bool master_done;
  bool stdout_ok;
  /* Input read from stdin not yet taken by the pty (the master is
     non-blocking: a container that does not read must not stop berth
     from copying its output).  */
  char in[4096];
  size_t in_len, in_off;
  char last_in;
} proxy;

void
terminal_copy_size (int master)
{
  struct winsize ws;
  int src = isatty (STDIN_FILENO) ? STDIN_FILENO : STDOUT_FILENO;

  if (ioctl (src, TIOCGWINSZ, &ws) == 0 && ws.ws_row && ws.ws_col)
    (void) ioctl (master, TIOCSWINSZ, &ws);
}

/* stdin is at its end: in canonical mode the program reads EOF once the
   EOF character arrives at the start of a line, so a partial line gets
   one more.  */
static void
queue_eof (proxy *p)
{
  struct termios t;

  if (tcgetattr (p->master, &t) < 0 || !(t.c_lflag & ICANON))
    return;
  p->in_off = 0;
  p->in_len = 0;
  if (p->last_in != '\0' && p->last_in != '\n')
    p->in[p->in_len++] = (char) t.c_cc[VEOF];
  p->in[p->in_len++] = (char) t.c_cc[VEOF];
}

static void
read_stdin (proxy *p)
{
  ssize_t r = read (STDIN_FILENO, p->in, sizeof p->in);

  if (r < 0 && (errno == EINTR || errno == EAGAIN))
    return;
  if (r <= 0)
    {
      p->stdin_open = false;
      queue_eof (p);
      return;
    }
  p->in_off = 0;
  p->in_len = (size_t) r;
  p->last_in = p->in[r - 1];
}

static void
write_master (proxy *p)
{
  ssize_t w = write (p->master, p->in + p->in_off, p->in_len - p->in_off);

  if (w < 0 && (errno == EINTR || errno == EAGAIN))
    return;
  if (w < 0)
    {
      /* The pty is gone: what is left of the input has nowhere to go.  */
      p->in_len = p->in_off = 0;
      return;
    }
  p->in_off += (size_t) w;
  if (p->in_off == p->in_len)
    p->in_len = p->in_off = 0;
}

static void
read_master (proxy *p)
{
  char buf[8192];
  ssize_t r = read (p->master, buf, sizeof buf);

  if (r < 0 && (errno == EINTR || errno == EAGAIN))
    return;
  /* EIO: nothing left and no one holds the peer.  */
  if (r <= 0)
    {
      p->master_done = true;
      return;
    }
  if (p->stdout_ok && write_all (STDOUT_FILENO, buf, (size_t) r) < 0)
    p->stdout_ok = false;
}

static void
handle_signal (proxy *p)
{
  struct signalfd_siginfo si;

  if (read (p->sfd, &si, sizeof si) != sizeof si)
    return;
  if (si.ssi_signo == SIGWINCH)
    terminal_copy_size (p->master);
  else if (si.ssi_signo != SIGCHLD && !p->exited)
    sys_pidfd_send_signal (p->pidfd, (int) si.ssi_signo);
}

static int
proxy_loop (proxy *p, berth_error **err)
{
  while (!(p->exited && p->master_done))
    {
      struct pollfd fds[4];
      bool pending = p->in_len > 0;
      int n;

      fds[0] = (struct pollfd){ .fd = p->stdin_open && !pending
                                          ? STDIN_FILENO
                                          : -1,
                                .events = POLLIN };
      fds[1] = (struct pollfd){ .fd = p->master_done ? -1 : p->master,
                                .events = POLLIN | (pending ? POLLOUT : 0) };
      fds[2] = (struct pollfd){ .fd = p->exited ? -1 : p->pidfd,
                                .events = POLLIN };
      fds[3] = (struct pollfd){ .fd = p->sfd, .events = POLLIN };
      n = poll (fds, 4, p->exited ? DRAIN_IDLE_MS : -1);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return berth_error_sys (err, "poll the terminal");
      if (n == 0)
        break;
      /* A resize first: input typed after it must find the new size.  */
      if (fds[3].revents & POLLIN)
        handle_signal (p);
      if (fds[0].revents)
        read_stdin (p);
      if (fds[1].revents & POLLOUT)
        write_master (p);
      if (fds[1].revents & (POLLIN | POLLHUP | POLLERR))
        read_master (p);
      if (fds[2].revents & POLLIN)
        p->exited = true;
    }
  return 0;
}

int
terminal_proxy (int master, int pidfd, const sigset_t *forwarded,
                berth_error **err)
{
  proxy p = { .master = master, .pidfd = pidfd, .stdin_open = true,
              .stdout_ok = true };
  cleanup_close int sfd = -1;
  struct termios saved, raw;
  int flags, ret;

  sfd = signalfd (-1, forwarded, SFD_CLOEXEC);
  if (sfd < 0)
    return berth_error_sys (err, "signalfd");
  p.sfd = sfd;
  flags = fcntl (master, F_GETFL);
  if (flags < 0 || fcntl (master, F_SETFL, flags | O_NONBLOCK) < 0)
    return berth_error_sys (err, "make the pty non-blocking");
  terminal_copy_size (master);
  p.stdin_tty = tcgetattr (STDIN_FILENO, &saved) == 0;
  if (p.stdin_tty)
    {
      /* Every key goes to the container's terminal as typed: ^C becomes
         the container's SIGINT there, not berth's.  */
      raw = saved;
      cfmakeraw (&raw);
      if (tcsetattr (STDIN_FILENO, TCSANOW, &raw) < 0)
        return berth_error_sys (err, "put the terminal in raw mode");
    }
  ret = proxy_loop (&p, err);
  if (p.stdin_tty)
    (void) tcsetattr (STDIN_FILENO, TCSANOW, &saved);
  return ret;
}
