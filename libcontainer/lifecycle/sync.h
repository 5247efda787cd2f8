/* berth: the protocol between `berth create` (parent) and the container's
 * init, over a SOCK_SEQPACKET socketpair (message boundaries kept, EOF when
 * the other side dies).  */
#ifndef BERTH_SYNC_H
#define BERTH_SYNC_H

#include <stdint.h>
#include <sys/types.h>

#include "base/error.h"

enum sync_type
{
  SYNC_USERMAP_REQ = 1, /* init → parent: write my uid/gid maps */
  SYNC_CGROUP_ACK,      /* parent → init (v1): you are in your cgroup */
  SYNC_USERMAP_ACK,     /* parent → init */
  SYNC_CHILD_PID,       /* middle → parent: the init's pid (slow path) */
  SYNC_HOOKS_REQ,       /* init → parent: mounts done, run createRuntime */
  SYNC_HOOKS_ACK,       /* parent → init */
  SYNC_READY,           /* init → parent: waiting for start */
  SYNC_ERROR,           /* either way: msg holds the error */
  SYNC_HOOK_ERROR,      /* init → parent: a createContainer hook failed
                           (poststop hooks must still run) */
  SYNC_CONSOLE,         /* init → parent: the pty master (SCM_RIGHTS) */
  SYNC_NET_REQ,         /* init → parent: my network namespace is final,
                           move devices in, make the veth pair */
  SYNC_NET_ACK,         /* parent → init */
  SYNC_STATE_SAVED,     /* parent → init: state.json is written, you may
                           outlive me (until then: EOF means exit); the
                           init answers with the same once it has cleared
                           its parent-death signal; value 1 (`run`): and
                           run the workload, no answer (SYNC_START's EOF
                           tells) */
  SYNC_START,           /* parent → init (`run`): run the workload; the
                           init's end closes when it execs (close-on-exec),
                           or carries the error first: `start`'s exec.fifo
                           without the fifo */
};

struct sync_msg
{
  uint32_t type;
  int32_t value;  /* a pid, or errno with SYNC_ERROR */
  char msg[4000]; /* NUL-terminated, SYNC_ERROR only */
};

int sync_send (int fd, enum sync_type type, int value, berth_error **err);

/* Sends `e` as SYNC_ERROR, or as SYNC_HOOK_ERROR when it is of kind
   BERTH_ERROR_HOOK (best effort: the sender is about to give up).  */
void sync_send_error (int fd, const berth_error *e);

/* Receives one message and checks it is `want`.  SYNC_ERROR from the other
   side becomes *err (of kind BERTH_ERROR_HOOK for SYNC_HOOK_ERROR); EOF
   becomes "container init exited unexpectedly".  */
int sync_expect (int fd, enum sync_type want, int *value, berth_error **err);

/* `exec`: waits for the child's end to close.  The child only writes to say
   why it failed; its end is close-on-exec, so EOF means it exec'd (or
   died without a word, which its exit status then tells).  */
int sync_expect_exec (int fd, berth_error **err);

/* The same, with an fd attached to the message (SCM_RIGHTS): sync_send_fd
   sends `passed`; sync_expect_fd sets *passed to the fd received
   (close-on-exec), and fails when none came.  */
int sync_send_fd (int fd, enum sync_type type, int passed, berth_error **err);
int sync_expect_fd (int fd, enum sync_type want, int *passed,
                    berth_error **err);

#endif
