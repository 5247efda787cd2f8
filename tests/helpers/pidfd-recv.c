/* pidfd-recv: the caller's end of berth's --pidfd-socket, for the
 * integration tests.
 *
 *   pidfd-recv SOCKET [SIGNAL]
 *     Listens on the AF_UNIX socket SOCKET (made here), takes one
 *     connection and the one message berth sends on it, and prints
 *     "payload=<bytes> pid=<the pid the fd names, from fdinfo>".  With
 *     SIGNAL (a number), sends it through the pidfd (pidfd_send_signal),
 *     waits until the pidfd reports the process's exit and prints
 *     "exited".  Everything times out after 20 s (exit 124).  */
#define _GNU_SOURCE
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

static void
die (const char *what)
{
  perror (what);
  exit (1);
}

static long
fd_pid (int fd)
{
  char path[64], line[256];
  long pid = -1;
  FILE *f;

  snprintf (path, sizeof path, "/proc/self/fdinfo/%d", fd);
  f = fopen (path, "re");
  if (f == NULL)
    die ("open fdinfo");
  while (fgets (line, sizeof line, f))
    if (strncmp (line, "Pid:", 4) == 0)
      pid = strtol (line + 4, NULL, 10);
  fclose (f);
  return pid;
}

int
main (int argc, char **argv)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  char payload[256] = "", control[CMSG_SPACE (sizeof (int))];
  struct iovec iov = { payload, sizeof payload - 1 };
  struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
                        .msg_control = control,
                        .msg_controllen = sizeof control };
  struct cmsghdr *cmsg;
  int l, c, fd = -1;
  ssize_t n;

  if (argc < 2 || strlen (argv[1]) >= sizeof addr.sun_path)
    {
      fprintf (stderr, "usage: pidfd-recv SOCKET [SIGNAL]\n");
      return 2;
    }
  alarm (20);
  signal (SIGALRM, SIG_DFL);
  strcpy (addr.sun_path, argv[1]);
  l = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (l < 0 || bind (l, (struct sockaddr *) &addr, sizeof addr) < 0
      || listen (l, 1) < 0)
    die ("listen");
  c = accept4 (l, NULL, NULL, SOCK_CLOEXEC);
  if (c < 0)
    die ("accept");
  n = recvmsg (c, &msg, MSG_CMSG_CLOEXEC);
  if (n < 0)
    die ("recvmsg");
  payload[n] = '\0';
  for (cmsg = CMSG_FIRSTHDR (&msg); cmsg; cmsg = CMSG_NXTHDR (&msg, cmsg))
    if (cmsg->cmsg_level == SOL_SOCKET && cmsg->cmsg_type == SCM_RIGHTS)
      memcpy (&fd, CMSG_DATA (cmsg), sizeof fd);
  if (fd < 0)
    {
      printf ("payload=%s no fd\n", payload);
      return 1;
    }
  printf ("payload=%s pid=%ld\n", payload, fd_pid (fd));
  fflush (stdout);
  if (argc > 2)
    {
      struct pollfd p = { .fd = fd, .events = POLLIN };
      if (syscall (SYS_pidfd_send_signal, fd, atoi (argv[2]), NULL, 0) < 0)
        die ("pidfd_send_signal");
      if (poll (&p, 1, 20000) != 1)
        die ("poll");
      printf ("exited\n");
    }
  return 0;
}
