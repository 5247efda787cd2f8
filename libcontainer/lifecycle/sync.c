#include "libcontainer/lifecycle/sync.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "base/cleanup.h"
#include "base/utils.h"

static const char *
sync_name (uint32_t type)
{
  switch (type)
    {
    case SYNC_USERMAP_REQ:
      return "usermap request";
    case SYNC_USERMAP_ACK:
      return "usermap done";
    case SYNC_CGROUP_ACK:
      return "cgroup placement";
    case SYNC_CHILD_PID:
      return "child pid";
    case SYNC_HOOKS_REQ:
      return "hooks request";
    case SYNC_HOOKS_ACK:
      return "hooks done";
    case SYNC_READY:
      return "ready";
    case SYNC_CONSOLE:
      return "terminal";
    case SYNC_NET_REQ:
      return "network request";
    case SYNC_NET_ACK:
      return "network done";
    case SYNC_STATE_SAVED:
      return "state saved";
    case SYNC_START:
      return "start";
    case SYNC_ERROR:
    case SYNC_HOOK_ERROR:
      return "error";
    default:
      return "unknown";
    }
}

static int recv_msg (int fd, const char *what, struct sync_msg *m,
                     int *got, berth_error **err);

/* A send failed because the other side is gone: EPIPE, or ECONNRESET when
   it left a message of ours unread (an init that failed before it read
   the cgroup's answer, then the state saved early).  When it said why
   before it went (an init that failed while we made its next step ready,
   its cgroup say), that reason is still in the socket and says more than
   the pipe or the reset: *err becomes it.  */
static int
send_failed (int fd, enum sync_type type, berth_error **err)
{
  int saved = errno;
  cleanup_close int got = -1;
  struct sync_msg m;
  berth_error *why = NULL;

  if ((saved == EPIPE || saved == ECONNRESET)
      && recv_msg (fd, sync_name (type), &m, &got, &why) < 0 && why != NULL
      && why->errnum == 0)
    {
      *err = why;
      return -1;
    }
  berth_error_free (why);
  errno = saved;
  return berth_error_sys (err, "sync: send %s", sync_name (type));
}

int
sync_send (int fd, enum sync_type type, int value, berth_error **err)
{
  struct sync_msg m = { .type = type, .value = value };
  /* Only the header: msg is empty except for SYNC_ERROR.  */
  size_t len = offsetof (struct sync_msg, msg) + 1;

  if (send (fd, &m, len, MSG_NOSIGNAL) < 0)
    return send_failed (fd, type, err);
  return 0;
}

static void
send_error (int fd, uint32_t type, const berth_error *e)
{
  struct sync_msg m = { .type = type, .value = e ? e->errnum : 0 };
  size_t n;

  snprintf (m.msg, sizeof m.msg, "%s", e ? e->msg : "unknown error");
  n = offsetof (struct sync_msg, msg) + strlen (m.msg) + 1;
  /* After the seccomp filter (a failed execve), a profile may refuse
     sendto with an errno: write, which the fifo of `start` took too.  */
  if (send (fd, &m, n, MSG_NOSIGNAL) < 0 && errno != EPIPE)
    (void) write (fd, &m, n);
}

void
sync_send_error (int fd, const berth_error *e)
{
  send_error (fd,
              berth_error_kind_of (e) == BERTH_ERROR_HOOK ? SYNC_HOOK_ERROR
                                                          : SYNC_ERROR,
              e);
}

/* One message into *m, and the fd sent with it, if any, into *got
   (close-on-exec): 1, or 0 at EOF; an error message from the other side
   becomes *err (of kind BERTH_ERROR_HOOK for SYNC_HOOK_ERROR) and -1.  */
static int
recv_msg (int fd, const char *what, struct sync_msg *m, int *got,
          berth_error **err)
{
  ssize_t r;

  memset (m, 0, sizeof *m);
  r = recv_with_fd (fd, m, sizeof *m, got);
  /* The other side closed with a message of ours unread (an init that
     failed before it read the step we sent): the kernel reports the reset
     first, once, and still hands out what was sent before, the init's
     reason among them.  */
  if (r < 0 && errno == ECONNRESET)
    r = recv_with_fd (fd, m, sizeof *m, got);
  if (r < 0)
    return berth_error_sys (err, "sync: receive %s", what);
  if (r == 0)
    return 0;
  if ((size_t) r < offsetof (struct sync_msg, msg))
    return berth_error_set (err, 0, "sync: short message");
  m->msg[sizeof m->msg - 1] = '\0';
  if (m->type == SYNC_ERROR || m->type == SYNC_HOOK_ERROR)
    {
      berth_error_set (err, 0, "%s", m->msg);
      if (m->type == SYNC_HOOK_ERROR)
        berth_error_as (err, BERTH_ERROR_HOOK);
      return -1;
    }
  return 1;
}

/* `passed` NULL: no fd expected (one that comes anyway is closed).  */
static int
expect_msg (int fd, enum sync_type want, int *value, int *passed,
            berth_error **err)
{
  cleanup_close int got = -1;
  struct sync_msg m;
  int r = recv_msg (fd, sync_name (want), &m, &got, err);

  if (r < 0)
    return r;
  if (r == 0)
    return berth_error_set (err, 0,
                            "container init exited unexpectedly (waiting "
                            "for %s)",
                            sync_name (want));
  if (m.type != want)
    return berth_error_set (err, 0, "sync: expected %s, got %s",
                            sync_name (want), sync_name (m.type));
  if (value)
    *value = m.value;
  if (passed)
    {
      if (got < 0)
        return berth_error_set (err, 0, "sync: %s came without its fd",
                                sync_name (want));
      *passed = steal_fd (&got);
    }
  return 0;
}

int
sync_expect (int fd, enum sync_type want, int *value, berth_error **err)
{
  return expect_msg (fd, want, value, NULL, err);
}

int
sync_expect_fd (int fd, enum sync_type want, int *passed, berth_error **err)
{
  return expect_msg (fd, want, NULL, passed, err);
}

int
sync_send_fd (int fd, enum sync_type type, int passed, berth_error **err)
{
  struct sync_msg m = { .type = type };

  if (send_with_fd (fd, &m, offsetof (struct sync_msg, msg) + 1, passed)
      < 0)
    return send_failed (fd, type, err);
  return 0;
}

int
sync_expect_exec (int fd, berth_error **err)
{
  cleanup_close int got = -1;
  struct sync_msg m;
  int r = recv_msg (fd, "exec result", &m, &got, err);

  if (r <= 0)
    return r < 0 ? -1 : 0;
  return berth_error_set (err, 0, "sync: unexpected %s", sync_name (m.type));
}
