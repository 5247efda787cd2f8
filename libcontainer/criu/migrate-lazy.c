/* berth migrate --to --post-copy (libcontainer/criu/migrate-lazy.h).  */
#include "libcontainer/criu/migrate-lazy.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "base/pidfd.h"
#include "base/log.h"
#include "base/utils.h"
#include "libcontainer/criu/migrate-group.h"
#include "libcontainer/criu/migrate-target-restore.h"
#include "libcontainer/lifecycle/container.h"
#include "libcontainer/network/net-link.h"

#define CHUNK (64 * 1024)

int
lazy_private_netns (int *orig, int *priv, berth_error **err)
{
  *orig = open ("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
  *priv = -1;
  if (*orig < 0)
    return berth_error_sys (err, "open /proc/self/ns/net");
  if (unshare (CLONE_NEWNET) < 0)
    return berth_error_sys (err, "unshare a network namespace for the "
                                 "page server");
  if (net_link_up_ioctl ("lo", err) < 0)
    goto back;
  *priv = open ("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
  if (*priv < 0)
    berth_error_sys (err, "open /proc/self/ns/net");
back:
  if (setns (*orig, CLONE_NEWNET) < 0)
    {
      /* Nothing sensible can follow in the wrong namespace.  */
      berth_warn ("setns back to our network namespace: %s",
                  strerror (errno));
      abort ();
    }
  return *priv < 0 ? -1 : 0;
}

/* A TCP socket of the namespace `priv` (made there, used from here).  */
static int
socket_in (int orig, int priv, berth_error **err)
{
  int fd;

  if (setns (priv, CLONE_NEWNET) < 0)
    return berth_error_sys (err, "setns to the page server's namespace");
  fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (setns (orig, CLONE_NEWNET) < 0)
    abort ();
  if (fd < 0)
    return berth_error_sys (err, "socket");
  return fd;
}

static struct sockaddr_in
loopback_port (void)
{
  struct sockaddr_in a = { .sin_family = AF_INET,
                           .sin_port = htons (MIGRATE_LAZY_PORT) };
  a.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  return a;
}

/* Bytes from the page socket onto the wire as "pages N"; 0 at its EOF
   (*eof set).  */
static int
sock_to_wire (int sock, migrate_wire *w, char *buf, bool *eof,
              berth_error **err)
{
  ssize_t n = TEMP_FAILURE_RETRY (read (sock, buf, CHUNK));

  if (n < 0)
    return berth_error_sys (err, "migrate: the page socket");
  if (n == 0)
    {
      *eof = true;
      return wire_send_line (w, err, "pages-end");
    }
  if (wire_send_line (w, err, "pages %zd", n) < 0)
    return -1;
  if (write_all (w->out, buf, (size_t) n) < 0)
    return berth_error_sys (err, "migrate: sending pages");
  w->sent += (unsigned long long) n;
  return 0;
}

/* The N bytes of a "pages N" line from the wire into the page socket.  */
static int
wire_to_sock (migrate_wire *w, const char *line, int sock, char *buf,
              berth_error **err)
{
  char *end;
  long n = strtol (line + 6, &end, 10);

  if (*end != '\0' || n <= 0 || n > CHUNK)
    return berth_error_set (err, EPROTO, "migrate: bad \"%.40s\"", line);
  for (long got = 0; got < n;)
    {
      ssize_t r = TEMP_FAILURE_RETRY (read (w->in, buf + got, (size_t) (n - got)));
      if (r < 0)
        return berth_error_sys (err, "migrate: receiving pages");
      if (r == 0)
        return berth_error_set (err, ECONNRESET, "migrate: the connection "
                                                 "closed in the pages");
      got += r;
    }
  w->received += (unsigned long long) n;
  if (sock >= 0 && write_all (sock, buf, (size_t) n) < 0)
    return berth_error_sys (err, "migrate: the page socket");
  return 0;
}

/* The record of the container the lazy dump stopped here (state dir,
   cgroup): the dump deletes it once every page went over; when it was
   killed before, this does.  */
static void
forget_stopped (const migrate_opts *o)
{
  berth_error *e = NULL;

  if (container_delete_force_id (o->root, o->id, NULL, &e) < 0)
    {
      berth_warn ("migrate: deleting the stopped container here: %s",
                  e->msg);
      berth_error_free (e);
    }
}

int
lazy_source (const migrate_opts *o, migrate_wire *w, const char *final,
             migrate_report *rep, berth_error **err)
{
  cleanup_close int orig = -1;
  cleanup_close int priv = -1;
  cleanup_close int sock = -1;
  cleanup_free char *buf = NULL;
  struct sockaddr_in a = loopback_port ();
  unsigned long long bytes = 0;
  bool sock_eof = false, committed = false, running = false;
  int started, ws;
  pid_t dumper;
  double t0;

  /* Before the dump, so not inside the downtime.  */
  if (lazy_private_netns (&orig, &priv, err) < 0)
    return -1;
  buf = xmalloc0 (CHUNK);
  t0 = migrate_now_ms ();
  started = migrate_lazy_dump_start (o, final, priv, &dumper, err);
  if (started < 0)
    return -1;
  if (started > 0)
    return berth_error_set (err, 0, "migrate: the lazy dump failed (its "
                                    "error is above); the container was "
                                    "left running");
  rep->dump_ms = migrate_now_ms () - t0;
  /* From here the container is stopped; its memory is the dump's.  */
  sock = socket_in (orig, priv, err);
  if (sock < 0
      || connect (sock, (struct sockaddr *) &a, sizeof a) < 0)
    {
      if (sock >= 0)
        berth_error_sys (err, "migrate --post-copy: connecting to CRIU's "
                         "page server at 127.0.0.1:%d in the private "
                         "network namespace", MIGRATE_LAZY_PORT);
      goto lost;
    }
  if (wire_send_dir (w, final, "final", &bytes, err) < 0
      || wire_send_line (w, err, "lazy-restore final") < 0)
    goto lost;
  migrate_add_round (o, rep, "final", "lazy-dump",
                     migrate_pages_bytes (final), migrate_now_ms () - t0);
  rep->transfer_ms = migrate_now_ms () - t0 - rep->dump_ms;

  while (!(committed && sock_eof))
    {
      struct pollfd p[2] = { { .fd = sock_eof ? -1 : sock, .events = POLLIN },
                             { .fd = w->in, .events = POLLIN } };
      if (poll (p, 2, -1) < 0)
        {
          if (errno == EINTR)
            continue;
          berth_error_sys (err, "poll");
          goto lost;
        }
      if (p[0].revents && sock_to_wire (sock, w, buf, &sock_eof, err) < 0)
        goto lost;
      if (p[1].revents)
        {
          char line[MIGRATE_WIRE_LINE_MAX];
          if (wire_read_line (w, line, sizeof line, err) < 0)
            goto lost;
          if (strncmp (line, "pages ", 6) == 0)
            {
              if (wire_to_sock (w, line, sock, buf, err) < 0)
                goto lost;
            }
          else if (strcmp (line, "running") == 0 && !running)
            {
              running = true;
              rep->downtime_ms = migrate_now_ms () - t0;
              rep->restore_ms = rep->downtime_ms - rep->dump_ms
                                - rep->transfer_ms;
              if (wire_send_line (w, err, "commit") < 0)
                goto lost;
            }
          else if (strcmp (line, "committed") == 0 && running)
            {
              committed = true;
              rep->commit_ms = migrate_now_ms () - t0 - rep->downtime_ms;
            }
          else if (strcmp (line, "pages-end") == 0)
            /* lazy-pages there is done: so is the page server's reader.  */
            shutdown (sock, SHUT_WR);
          else if (strncmp (line, "error ", 6) == 0)
            {
              berth_error_set (err, 0, "the target: %s", line + 6);
              goto lost;
            }
          else
            {
              berth_error_set (err, EPROTO, "the target said \"%.40s\"",
                               line);
              goto lost;
            }
        }
    }
  while (waitpid (dumper, &ws, 0) < 0 && errno == EINTR)
    ;
  if (!WIFEXITED (ws) || WEXITSTATUS (ws) != 0)
    berth_warn ("migrate: the lazy dump did not finish cleanly (see "
                "%s/dump.log)",
                final);
  return 0;

lost:
  /* Post-copy's price: once the lazy dump stopped the container, its
     memory is in the page server only, and this connection was the one
     way out of it.  The page server goes with the dump's group (nothing
     is left listening or holding the memory), and so does the stopped
     container's record here.  */
  migrate_group_kill (dumper);
  forget_stopped (o);
  if (running && sock_eof)
    return berth_error_wrap (err, "migrate --post-copy: failed after "
                                  "every page went over: the container "
                                  "should run on the target, unless the "
                                  "commit did not reach it");
  return berth_error_wrap (err, "migrate --post-copy: the container is "
                                "lost: the lazy dump had stopped it here "
                                "and held its memory, and %s",
                           running ? "the target had not fetched all of "
                                     "it (the target deletes its copy)"
                                   : "the target never ran it");
}

/* The unix socket `criu lazy-pages` makes in its work dir (the images),
   where the lazy restore connects once, without retrying.  */
#define LAZY_PAGES_SOCKET "lazy-pages.socket"

/* Until lazy-pages (pid) has made its socket in `final`, or ended: the
   restore must not start before.  A blocking wait on inotify and the
   process's pidfd, no timer.  */
static int
wait_lazy_socket (const char *final, pid_t pid, berth_error **err)
{
  cleanup_close int in = inotify_init1 (IN_CLOEXEC);
  cleanup_close int dir = open (final, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  cleanup_close int pfd = sys_pidfd_open (pid);
  char buf[4096]
      __attribute__ ((aligned (__alignof__ (struct inotify_event))));

  if (in < 0 || dir < 0 || pfd < 0
      || inotify_add_watch (in, final, IN_CREATE | IN_MOVED_TO) < 0)
    return berth_error_sys (err, "waiting for criu lazy-pages' socket in "
                                 "%s", final);
  for (;;)
    {
      struct pollfd p[2] = { { .fd = in, .events = POLLIN },
                             { .fd = pfd, .events = POLLIN } };
      /* After the watch is set: a socket made before it is seen here.  */
      if (faccessat (dir, LAZY_PAGES_SOCKET, F_OK, AT_SYMLINK_NOFOLLOW) == 0)
        return 0;
      if (poll (p, 2, -1) < 0)
        {
          if (errno == EINTR)
            continue;
          return berth_error_sys (err, "poll");
        }
      if (p[1].revents)
        return berth_error_set (err, 0, "criu lazy-pages ended before it "
                                        "was ready (see %s/lazy-pages.log)",
                                final);
      if (p[0].revents && read (in, buf, sizeof buf) < 0 && errno != EINTR)
        return berth_error_sys (err, "inotify");
    }
}

pid_t
lazy_pages_spawn (const char *final, const char *addr, int port, int netns,
                  berth_error **err)
{
  cleanup_free char *log = xasprintf ("%s/lazy-pages.log", final);
  char port_s[16];
  char *argv[] = { (char *) "criu", (char *) "lazy-pages",
                   (char *) "--page-server", (char *) "--address",
                   (char *) addr, (char *) "--port", port_s,
                   (char *) "-D", (char *) final, (char *) "-o", log, NULL };
  pid_t pid;

  snprintf (port_s, sizeof port_s, "%d", port);
  /* One of an earlier migration into a kept --work-dir would pass for
     this one's.  */
  {
    cleanup_free char *sock = xasprintf ("%s/" LAZY_PAGES_SOCKET, final);
    if (unlink (sock) < 0 && errno != ENOENT)
      {
        berth_error_sys (err, "remove %s", sock);
        return -1;
      }
  }
  pid = migrate_group_spawn (argv, netns, err);
  if (pid < 0)
    {
      berth_error_wrap (err, "spawn criu lazy-pages");
      return -1;
    }
  if (wait_lazy_socket (final, pid, err) < 0)
    {
      migrate_group_kill (pid);
      return -1;
    }
  return pid;
}

int
lazy_target (const char *root, const char *id, const char *bundle,
             const criu_flags *flags, migrate_wire *w, const char *final,
             void (*announce) (void *), void *arg, berth_error **err)
{
  cleanup_close int orig = -1;
  cleanup_close int priv = -1;
  cleanup_close int lsock = -1;
  cleanup_close int sock = -1;
  cleanup_free char *buf = xmalloc0 (CHUNK);
  cleanup_free char *msg = NULL;
  struct sockaddr_in a = loopback_port ();
  bool sock_eof = false, src_end = false, committed = false;
  pid_t lazy, restorer;
  int msg_fd = -1, one = 1, ws;

  if (lazy_private_netns (&orig, &priv, err) < 0)
    return -1;
  lsock = socket_in (orig, priv, err);
  if (lsock < 0)
    return -1;
  setsockopt (lsock, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind (lsock, (struct sockaddr *) &a, sizeof a) < 0
      || listen (lsock, 1) < 0)
    return berth_error_sys (err, "migrate --post-copy: bind or listen on "
                            "127.0.0.1:%d in the page relay's private "
                            "network namespace", MIGRATE_LAZY_PORT);
  lazy = lazy_pages_spawn (final, "127.0.0.1", MIGRATE_LAZY_PORT, priv,
                           err);
  if (lazy < 0)
    return -1;
  restorer = target_restore_start (root, id, bundle, final, flags, true,
                                   &msg_fd, &msg);
  if (restorer < 0)
    {
      berth_error_set (err, 0, "restore: %s", msg);
      goto fail;
    }

  while (!(committed && sock_eof && src_end))
    {
      struct pollfd p[4]
          = { { .fd = sock < 0 ? lsock : -1, .events = POLLIN },
              { .fd = sock >= 0 && !sock_eof ? sock : -1, .events = POLLIN },
              { .fd = w->in, .events = POLLIN },
              { .fd = msg_fd, .events = POLLIN } };
      if (poll (p, 4, -1) < 0)
        {
          if (errno == EINTR)
            continue;
          berth_error_sys (err, "poll");
          goto fail;
        }
      if (p[0].revents)
        {
          sock = accept4 (lsock, NULL, NULL, SOCK_CLOEXEC);
          if (sock < 0)
            {
              berth_error_sys (err, "accept the page connection");
              goto fail;
            }
        }
      if (p[1].revents && sock_to_wire (sock, w, buf, &sock_eof, err) < 0)
        goto fail;
      if (p[3].revents)
        {
          /* The restore ended: its error, or it runs.  */
          int r = target_restore_finish (restorer, msg_fd, &msg);
          msg_fd = -1;
          restorer = -1;
          if (r < 0)
            {
              berth_error_set (err, 0, "restore: %s", msg);
              goto fail;
            }
          if (wire_send_line (w, err, "running") < 0)
            goto fail;
        }
      if (p[2].revents)
        {
          char line[MIGRATE_WIRE_LINE_MAX];
          if (wire_read_line (w, line, sizeof line, err) < 0)
            goto fail;
          if (strncmp (line, "pages ", 6) == 0)
            {
              if (wire_to_sock (w, line, sock, buf, err) < 0)
                goto fail;
            }
          else if (strcmp (line, "pages-end") == 0)
            {
              src_end = true;
              if (sock >= 0)
                shutdown (sock, SHUT_WR);
            }
          else if (strcmp (line, "commit") == 0)
            {
              committed = true;
              announce (arg);
              if (wire_send_line (w, err, "committed") < 0)
                berth_error_clear (err);
            }
          else
            {
              berth_error_set (err, EPROTO, "the source said \"%.40s\"",
                               line);
              goto fail;
            }
        }
    }
  while (waitpid (lazy, &ws, 0) < 0 && errno == EINTR)
    ;
  return 0;

fail:
  {
    berth_error *e = NULL;
    cleanup_free char *m = xstrdup ((*err)->msg);
    for (char *c = m; *c; c++)
      if (*c == '\n')
        *c = ' ';
    if (wire_send_line (w, &e, "error %s", m) < 0)
      berth_error_free (e);
  }
  /* The restore first (its group: the restore child and the CRIU it
     runs), so that nothing more is restored; what was is in the
     container's cgroup, which the delete below ends.  Then lazy-pages,
     once nothing can fault on it any more.  */
  if (restorer > 0)
    {
      migrate_group_kill (restorer);
      close (msg_fd);
    }
  /* Not ours (no commit), or not whole: the pages not fetched yet are
     nowhere now (the source's page server ends with the connection), and
     with lazy-pages gone (its userfaultfd closed) a task touching one
     would read zeros.  */
  if (!committed || !sock_eof)
    {
      berth_error *e = NULL;
      if (container_delete_force_id (root, id, NULL, &e) < 0)
        {
          berth_warn ("migrate --receive: deleting \"%s\": %s", id, e->msg);
          berth_error_free (e);
        }
    }
  migrate_group_kill (lazy);
  return -1;
}
