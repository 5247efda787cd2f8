/* Unit tests of base/clone-vm.c: the child shares the parent's memory,
 * the parent sleeps until the child has exec'd or exited, the child's
 * descriptors are its own, its exit status comes back, and an overflow of
 * its stack stops at the guard page instead of writing into other memory.  */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/clone-vm.h"

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

typedef struct shared
{
  int written;       /* by the child, read by the parent */
  int fd;            /* the parent's: the child closes its own copy */
  int exit_code;
} shared;

/* The exit status of the child behind pidfd: its code, or 128 + the signal
   that killed it.  */
static int
reap (int pidfd)
{
  siginfo_t info;

  memset (&info, 0, sizeof info);
  assert_int_equal (waitid (P_PIDFD, (id_t) pidfd, &info, WEXITED), 0);
  close (pidfd);
  return info.si_code == CLD_EXITED ? info.si_status : 128 + info.si_status;
}

static int
write_then_exit (void *arg)
{
  shared *s = arg;
  struct timespec pause = { 0, 50 * 1000 * 1000 };

  close (s->fd);
  /* Late: a parent that did not sleep until now would miss it.  */
  nanosleep (&pause, NULL);
  s->written = 42;
  return s->exit_code;
}

static void
test_shares_memory_and_waits (void **state)
{
  clone_vm_stack stack;
  shared s = { .written = 0, .exit_code = 7 };
  int pidfd = -1;
  pid_t pid;

  (void) state;
  if (!clone_vm_supported ())
    skip ();
  s.fd = open ("/dev/null", O_RDONLY | O_CLOEXEC);
  assert_true (s.fd >= 0);
  assert_int_equal (clone_vm_stack_map (&stack, 64 * 1024), 0);
  pid = clone_vm_run (0, -1, &pidfd, &stack, write_then_exit, &s);
  clone_vm_stack_unmap (&stack);
  assert_true (pid > 0);
  assert_true (pidfd >= 0);
  assert_int_equal (s.written, 42);
  /* The child closed its copy of the descriptor, not the parent's.  */
  assert_true (fcntl (s.fd, F_GETFD) >= 0);
  close (s.fd);
  assert_int_equal (reap (pidfd), 7);
}

static int
exec_shell (void *arg)
{
  shared *s = arg;
  char *argv[] = { "sh", "-c", "sleep 0.05; exit 5", NULL };

  s->written = 1;
  execv ("/bin/sh", argv);
  return 127;
}

static void
test_returns_at_exec (void **state)
{
  clone_vm_stack stack;
  shared s = { 0 };
  int pidfd = -1;
  siginfo_t info;

  (void) state;
  if (!clone_vm_supported ())
    skip ();
  assert_int_equal (clone_vm_stack_map (&stack, 64 * 1024), 0);
  assert_true (clone_vm_run (0, -1, &pidfd, &stack, exec_shell, &s) > 0);
  clone_vm_stack_unmap (&stack);
  assert_int_equal (s.written, 1);
  /* Back at the exec, not at the exit: the shell is still sleeping.  */
  memset (&info, 0, sizeof info);
  assert_int_equal (waitid (P_PIDFD, (id_t) pidfd, &info, WEXITED | WNOHANG),
                    0);
  assert_int_equal (info.si_pid, 0);
  assert_int_equal (reap (pidfd), 5);
}

static int
recurse (int depth)
{
  volatile char frame[4096];

  frame[0] = (char) depth;
  frame[sizeof frame - 1] = (char) depth;
  return depth == 0 ? frame[0] : recurse (depth - 1) + frame[4095];
}

static int
overflow (void *arg)
{
  (void) arg;
  return recurse (64);
}

static void
test_guard_page (void **state)
{
  clone_vm_stack stack;
  int pidfd = -1, status = 0;
  pid_t writer;

  (void) state;
  if (!clone_vm_supported ())
    skip ();
  assert_int_equal (clone_vm_stack_map (&stack, 32 * 1024), 0);
  /* The lowest page of the mapping takes no write: a process that tries
     is killed by the kernel.  */
  writer = fork ();
  assert_true (writer >= 0);
  if (writer == 0)
    {
      /* cmocka catches SIGSEGV in the test's process.  */
      signal (SIGSEGV, SIG_DFL);
      *(volatile char *) stack.map = 1;
      _exit (0);
    }
  assert_int_equal (waitpid (writer, &status, 0), writer);
  assert_true (WIFSIGNALED (status) && WTERMSIG (status) == SIGSEGV);
  /* 64 frames of 4 KiB on a stack of 32 KiB: the child is stopped there
     too, instead of writing on below its stack.  */
  assert_true (clone_vm_run (0, -1, &pidfd, &stack, overflow, NULL) > 0);
  clone_vm_stack_unmap (&stack);
  assert_int_equal (reap (pidfd), 128 + SIGSEGV);
}

static void
test_unsupported (void **state)
{
  clone_vm_stack stack = { 0 };
  int pidfd = -1;

  (void) state;
  if (clone_vm_supported ())
    skip ();
  errno = 0;
  assert_int_equal (clone_vm_run (0, -1, &pidfd, &stack, overflow, NULL), -1);
  assert_int_equal (errno, ENOSYS);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_shares_memory_and_waits),
    cmocka_unit_test (test_returns_at_exec),
    cmocka_unit_test (test_guard_page),
    cmocka_unit_test (test_unsupported),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
