/* ttyhelper: the other end of berth's terminals, for the integration tests.
 *
 *   ttyhelper recv SOCKET [STEP...]
 *     Listens on the AF_UNIX socket SOCKET (made here), takes one
 *     connection and the one message berth sends on it, and prints
 *     "ttyhelper: name=<payload> master=<ok|not a pty master> ptn=<N>".
 *     Then runs the steps on the fd it got and copies everything read from
 *     it to stdout until the pty's other side is closed everywhere (EIO).
 *
 *   ttyhelper pty ROWS COLS [STEP...] -- COMMAND [ARG...]
 *     Runs COMMAND as the session leader of a new pty (its stdin, stdout,
 *     stderr and controlling terminal, ROWS x COLS), runs the steps on the
 *     master, copies the output to stdout until COMMAND has exited and the
 *     pty is drained, prints "ttyhelper: termios restored" or "ttyhelper:
 *     termios changed" (the pty's settings against those before COMMAND),
 *     and exits with COMMAND's status.
 *
 * Steps, in order:
 *   wait:TEXT   read (and copy) output until TEXT has been seen
 *   send:TEXT   write TEXT to the terminal ("\n" and "\r" as escapes)
 *   size:RxC    set the terminal's window size (TIOCSWINSZ)
 * Everything times out after 20 s (exit 124).  */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

static char seen[1 << 16];
static size_t seen_len;

static void
die (const char *what)
{
  fprintf (stderr, "ttyhelper: %s: %s\n", what, strerror (errno));
  exit (2);
}

static void
on_alarm (int sig)
{
  (void) sig;
  static const char msg[] = "ttyhelper: timed out\n";
  (void) write (2, msg, sizeof msg - 1);
  _exit (124);
}

/* Reads once (blocking up to the alarm); returns false at EIO/EOF.  */
static int
pump (int master)
{
  char buf[4096];
  ssize_t r;

  do
    r = read (master, buf, sizeof buf);
  while (r < 0 && errno == EINTR);
  if (r <= 0)
    return 0;
  fwrite (buf, 1, (size_t) r, stdout);
  fflush (stdout);
  /* Kept for wait:, the oldest half dropped when full.  */
  if (seen_len + (size_t) r > sizeof seen)
    {
      memmove (seen, seen + sizeof seen / 2, sizeof seen / 2);
      seen_len -= sizeof seen / 2;
    }
  memcpy (seen + seen_len, buf, (size_t) r);
  seen_len += (size_t) r;
  return 1;
}

static void
unescape (const char *in, char *out)
{
  for (; *in; in++)
    {
      if (in[0] == '\\' && in[1] == 'n')
        *out++ = '\n', in++;
      else if (in[0] == '\\' && in[1] == 'r')
        *out++ = '\r', in++;
      else
        *out++ = *in;
    }
  *out = '\0';
}

static void
run_step (int master, const char *step)
{
  if (strncmp (step, "wait:", 5) == 0)
    {
      const char *want = step + 5;
      while (memmem (seen, seen_len, want, strlen (want)) == NULL)
        if (!pump (master))
          {
            fprintf (stderr, "ttyhelper: terminal closed before \"%s\"\n",
                     want);
            exit (3);
          }
      /* A later wait: for the same text needs a new occurrence.  */
      seen_len = 0;
    }
  else if (strncmp (step, "send:", 5) == 0)
    {
      char *buf = malloc (strlen (step) + 1);
      unescape (step + 5, buf);
      if (write (master, buf, strlen (buf)) < 0)
        die ("write");
      free (buf);
    }
  else if (strncmp (step, "size:", 5) == 0)
    {
      struct winsize ws = { 0 };
      unsigned r, c;
      if (sscanf (step + 5, "%ux%u", &r, &c) != 2)
        {
          fprintf (stderr, "ttyhelper: bad step %s\n", step);
          exit (2);
        }
      ws.ws_row = (unsigned short) r;
      ws.ws_col = (unsigned short) c;
      if (ioctl (master, TIOCSWINSZ, &ws) < 0)
        die ("TIOCSWINSZ");
    }
  else
    {
      fprintf (stderr, "ttyhelper: unknown step %s\n", step);
      exit (2);
    }
}

static int
cmd_recv (int argc, char **argv)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  char name[4097];
  char cbuf[CMSG_SPACE (sizeof (int))];
  struct iovec iov = { .iov_base = name, .iov_len = sizeof name - 1 };
  struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
                        .msg_control = cbuf,
                        .msg_controllen = sizeof cbuf };
  struct cmsghdr *cmsg;
  int lsock, conn, master = -1;
  unsigned ptn = 0;
  ssize_t r;

  if (argc < 1 || strlen (argv[0]) >= sizeof addr.sun_path)
    return 2;
  strcpy (addr.sun_path, argv[0]);
  unlink (argv[0]);
  lsock = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (lsock < 0)
    die ("socket");
  if (bind (lsock, (struct sockaddr *) &addr, sizeof addr) < 0)
    die ("bind");
  if (listen (lsock, 1) < 0)
    die ("listen");
  conn = accept4 (lsock, NULL, NULL, SOCK_CLOEXEC);
  if (conn < 0)
    die ("accept");
  r = recvmsg (conn, &msg, MSG_CMSG_CLOEXEC);
  if (r < 0)
    die ("recvmsg");
  name[r] = '\0';
  for (cmsg = CMSG_FIRSTHDR (&msg); cmsg; cmsg = CMSG_NXTHDR (&msg, cmsg))
    if (cmsg->cmsg_level == SOL_SOCKET && cmsg->cmsg_type == SCM_RIGHTS)
      memcpy (&master, CMSG_DATA (cmsg), sizeof (int));
  if (master < 0)
    {
      fprintf (stderr, "ttyhelper: no fd in the message\n");
      return 3;
    }
  close (conn);
  close (lsock);
  /* Only a pty master answers TIOCGPTN.  */
  printf ("ttyhelper: name=%s master=%s ptn=%u\n", name,
          ioctl (master, TIOCGPTN, &ptn) == 0 ? "ok" : "not a pty master",
          ptn);
  fflush (stdout);
  for (int i = 1; i < argc; i++)
    run_step (master, argv[i]);
  while (pump (master))
    ;
  return 0;
}

static int
cmd_pty (int argc, char **argv)
{
  struct winsize ws = { 0 };
  struct termios before, after;
  int master, peer, dashes = -1, status;
  unsigned ptn;
  pid_t pid;
  char path[64];

  if (argc < 3)
    return 2;
  ws.ws_row = (unsigned short) atoi (argv[0]);
  ws.ws_col = (unsigned short) atoi (argv[1]);
  for (int i = 2; i < argc; i++)
    if (strcmp (argv[i], "--") == 0)
      {
        dashes = i;
        break;
      }
  if (dashes < 0 || dashes + 1 >= argc)
    return 2;
  master = posix_openpt (O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (master < 0 || grantpt (master) < 0 || unlockpt (master) < 0)
    die ("posix_openpt");
  if (ioctl (master, TIOCGPTN, &ptn) < 0)
    die ("TIOCGPTN");
  snprintf (path, sizeof path, "/dev/pts/%u", ptn);
  peer = open (path, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (peer < 0)
    die ("open the pty");
  if (ioctl (master, TIOCSWINSZ, &ws) < 0 || tcgetattr (master, &before) < 0)
    die ("set up the pty");
  pid = fork ();
  if (pid < 0)
    die ("fork");
  if (pid == 0)
    {
      setsid ();
      if (ioctl (peer, TIOCSCTTY, 0) < 0)
        die ("TIOCSCTTY");
      for (int i = 0; i <= 2; i++)
        dup2 (peer, i);
      execvp (argv[dashes + 1], argv + dashes + 1);
      die ("exec");
    }
  /* The child holds the peer from here: EIO on the master means the
     command and everything that inherited its terminal are gone.  */
  close (peer);
  for (int i = 2; i < dashes; i++)
    run_step (master, argv[i]);
  while (pump (master))
    ;
  /* TCGETS on a master reads the other side's settings.  */
  if (tcgetattr (master, &after) < 0)
    die ("tcgetattr");
  if (waitpid (pid, &status, 0) < 0)
    die ("waitpid");
  printf ("\nttyhelper: termios %s\n",
          before.c_lflag == after.c_lflag && before.c_iflag == after.c_iflag
                  && before.c_oflag == after.c_oflag
              ? "restored"
              : "changed");
  if (WIFEXITED (status))
    return WEXITSTATUS (status);
  return 128 + WTERMSIG (status);
}

int
main (int argc, char **argv)
{
  signal (SIGALRM, on_alarm);
  alarm (20);
  if (argc >= 2 && strcmp (argv[1], "recv") == 0)
    return cmd_recv (argc - 2, argv + 2);
  if (argc >= 2 && strcmp (argv[1], "pty") == 0)
    return cmd_pty (argc - 2, argv + 2);
  fprintf (stderr, "usage: ttyhelper recv SOCKET [STEP...] | ttyhelper pty "
                   "ROWS COLS [STEP...] -- COMMAND [ARG...]\n");
  return 2;
}
