/* A seccomp notify agent for the tests (built by exec.bats with gcc):
 *
 *   seccomp-agent SOCKET OUT
 *
 * Listens on the unix socket SOCKET; for each runtime that connects
 * (linux.seccomp.listenerPath), writes the container process state it
 * sends to OUT.N (N = 1, 2, ...; written to OUT.N.tmp, then renamed) and
 * keeps the seccomp notify fd that came with it.  Every notified syscall
 * fails with EHOSTDOWN, an errno nothing else gives.  Runs until killed.  */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define MAX_FDS 32

static void
die (const char *what)
{
  perror (what);
  exit (1);
}

/* One connection: the notify fd with the first bytes, then the rest of
   the JSON until the runtime closes the connection.  */
static int
receive (int conn, const char *out, int n)
{
  static char buf[1 << 16];
  char control[CMSG_SPACE (sizeof (int))];
  struct iovec iov = { .iov_base = buf, .iov_len = sizeof buf - 1 };
  struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
                        .msg_control = control,
                        .msg_controllen = sizeof control };
  struct cmsghdr *cmsg;
  char path[4096], tmp[4200];
  size_t len;
  ssize_t r;
  int fd = -1;
  FILE *f;

  r = recvmsg (conn, &msg, MSG_CMSG_CLOEXEC);
  if (r < 0)
    die ("recvmsg");
  len = (size_t) r;
  for (cmsg = CMSG_FIRSTHDR (&msg); cmsg; cmsg = CMSG_NXTHDR (&msg, cmsg))
    if (cmsg->cmsg_level == SOL_SOCKET && cmsg->cmsg_type == SCM_RIGHTS)
      memcpy (&fd, CMSG_DATA (cmsg), sizeof fd);
  while ((r = read (conn, buf + len, sizeof buf - 1 - len)) > 0)
    len += (size_t) r;
  buf[len] = '\0';
  snprintf (path, sizeof path, "%s.%d", out, n);
  snprintf (tmp, sizeof tmp, "%s.tmp", path);
  f = fopen (tmp, "w");
  if (f == NULL)
    die (tmp);
  fprintf (f, "%s\n", buf);
  if (fclose (f) != 0 || rename (tmp, path) < 0)
    die (path);
  return fd;
}

static void
answer (int fd)
{
  struct seccomp_notif req;
  struct seccomp_notif_resp resp;

  memset (&req, 0, sizeof req);
  if (ioctl (fd, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0)
    return;
  memset (&resp, 0, sizeof resp);
  resp.id = req.id;
  resp.error = -EHOSTDOWN;
  ioctl (fd, SECCOMP_IOCTL_NOTIF_SEND, &resp);
}

int
main (int argc, char **argv)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  struct pollfd p[MAX_FDS];
  int n = 1, count = 0;

  if (argc != 3 || strlen (argv[1]) >= sizeof addr.sun_path)
    {
      fprintf (stderr, "usage: seccomp-agent SOCKET OUT\n");
      return 2;
    }
  strcpy (addr.sun_path, argv[1]);
  p[0].fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (p[0].fd < 0)
    die ("socket");
  if (bind (p[0].fd, (struct sockaddr *) &addr, sizeof addr) < 0
      || listen (p[0].fd, 8) < 0)
    die (argv[1]);
  p[0].events = POLLIN;
  count = 1;
  for (;;)
    {
      if (poll (p, (nfds_t) count, -1) < 0)
        {
          if (errno == EINTR)
            continue;
          die ("poll");
        }
      for (int i = count - 1; i > 0; i--)
        {
          if (p[i].revents & POLLIN)
            answer (p[i].fd);
          else if (p[i].revents & (POLLHUP | POLLERR | POLLNVAL))
            {
              /* Every process of that filter is gone.  */
              close (p[i].fd);
              p[i] = p[--count];
            }
        }
      if (p[0].revents & POLLIN)
        {
          int conn = accept4 (p[0].fd, NULL, NULL, SOCK_CLOEXEC);
          int fd;
          if (conn < 0)
            continue;
          fd = receive (conn, argv[2], n++);
          close (conn);
          if (fd >= 0 && count < MAX_FDS)
            {
              p[count].fd = fd;
              p[count].events = POLLIN;
              count++;
            }
        }
    }
}
