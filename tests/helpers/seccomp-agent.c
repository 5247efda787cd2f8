/* A tiny seccomp agent for the tests: receives what the runtime sends to
 * linux.seccomp.listenerPath (the container process state as JSON and the
 * notify fd with SCM_RIGHTS, config-linux.md "The Container Process
 * State"), writes the state to OUT.json, then answers every notification:
 * mkdir and mkdirat get a fake success (nothing is created), anything else
 * is let through (SECCOMP_USER_NOTIF_FLAG_CONTINUE).  Each handled syscall
 * is appended to OUT.log ("mkdir 83 faked").  Exits when the filter has no
 * process left.
 *
 *   seccomp-agent SOCKET OUT
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

static void
die (const char *what)
{
  fprintf (stderr, "seccomp-agent: %s: %s\n", what, strerror (errno));
  exit (1);
}

/* The state and the fd: the fd comes with the first bytes, the rest of the
   JSON may follow in further reads until the runtime closes.  */
static int
receive (int conn, const char *out)
{
  char buf[65536];
  size_t used = 0;
  int fd = -1;
  FILE *f;

  for (;;)
    {
      union
      {
        char buf[CMSG_SPACE (sizeof (int))];
        struct cmsghdr align;
      } control;
      struct iovec iov = { buf + used, sizeof buf - 1 - used };
      struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
                            .msg_control = control.buf,
                            .msg_controllen = sizeof control.buf };
      ssize_t n = recvmsg (conn, &msg, MSG_CMSG_CLOEXEC);
      struct cmsghdr *c;

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        die ("recvmsg");
      for (c = CMSG_FIRSTHDR (&msg); c; c = CMSG_NXTHDR (&msg, c))
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
          memcpy (&fd, CMSG_DATA (c), sizeof fd);
      if (n == 0 || used + (size_t) n >= sizeof buf - 1)
        break;
      used += (size_t) n;
    }
  buf[used] = '\0';
  if (fd < 0)
    {
      errno = EBADMSG;
      die ("no fd received");
    }
  {
    char path[4096];
    snprintf (path, sizeof path, "%s.json", out);
    f = fopen (path, "w");
    if (f == NULL)
      die (path);
    fputs (buf, f);
    fclose (f);
  }
  return fd;
}

static void
answer (int fd, FILE *log)
{
  struct seccomp_notif_sizes sizes;
  struct seccomp_notif *req;
  struct seccomp_notif_resp *resp;

  if (syscall (SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes) < 0)
    die ("SECCOMP_GET_NOTIF_SIZES");
  req = calloc (1, sizes.seccomp_notif);
  resp = calloc (1, sizes.seccomp_notif_resp);
  if (req == NULL || resp == NULL)
    die ("calloc");
  for (;;)
    {
      struct pollfd p = { .fd = fd, .events = POLLIN };
      int nr;
      bool fake;

      if (poll (&p, 1, -1) < 0)
        {
          if (errno == EINTR)
            continue;
          die ("poll");
        }
      if (p.revents & (POLLHUP | POLLERR))
        return;
      memset (req, 0, sizes.seccomp_notif);
      if (ioctl (fd, SECCOMP_IOCTL_NOTIF_RECV, req) < 0)
        {
          /* The caller may be gone already (a signal): next one.  */
          if (errno == EINTR || errno == ENOENT)
            continue;
          die ("SECCOMP_IOCTL_NOTIF_RECV");
        }
      nr = req->data.nr;
      fake = nr == SYS_mkdir || nr == SYS_mkdirat;
      memset (resp, 0, sizes.seccomp_notif_resp);
      resp->id = req->id;
      if (fake)
        resp->val = 0;
      else
        resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
      fprintf (log, "%s %d %s\n", fake ? "mkdir" : "other", nr,
               fake ? "faked" : "continued");
      fflush (log);
      if (ioctl (fd, SECCOMP_IOCTL_NOTIF_SEND, resp) < 0 && errno != ENOENT)
        die ("SECCOMP_IOCTL_NOTIF_SEND");
    }
}

int
main (int argc, char **argv)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  char path[4096];
  int sock, conn, fd;
  FILE *log;

  if (argc != 3 || strlen (argv[1]) >= sizeof addr.sun_path)
    {
      fprintf (stderr, "usage: seccomp-agent SOCKET OUT\n");
      return 2;
    }
  strcpy (addr.sun_path, argv[1]);
  sock = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (sock < 0)
    die ("socket");
  if (bind (sock, (struct sockaddr *) &addr, sizeof addr) < 0)
    die ("bind");
  if (listen (sock, 1) < 0)
    die ("listen");
  snprintf (path, sizeof path, "%s.log", argv[2]);
  log = fopen (path, "a");
  if (log == NULL)
    die (path);
  do
    conn = accept4 (sock, NULL, NULL, SOCK_CLOEXEC);
  while (conn < 0 && errno == EINTR);
  if (conn < 0)
    die ("accept");
  fd = receive (conn, argv[2]);
  close (conn);
  close (sock);
  answer (fd, log);
  fclose (log);
  return 0;
}
