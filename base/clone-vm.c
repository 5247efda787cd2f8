/* berth: a child in the parent's memory until it execs (clone-vm.h).  */
#include "base/clone-vm.h"

#include <errno.h>
#include <linux/sched.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ULL
#endif

/* AddressSanitizer keeps one stack per thread, and the child would run on
   another in the same thread's name: its checks could then report what is
   not wrong.  A sanitized berth forks.  */
#if defined(__x86_64__) && !defined(__SANITIZE_ADDRESS__)
#define CLONE_VM_ENTRY 1
#endif

bool
clone_vm_supported (void)
{
#ifdef CLONE_VM_ENTRY
  return true;
#else
  return false;
#endif
}

int
clone_vm_stack_map (clone_vm_stack *s, size_t size)
{
  size_t page = (size_t) sysconf (_SC_PAGESIZE);

  s->map_size = size + page;
  /* Only the pages the child touches are ever allocated.  */
  s->map = mmap (NULL, s->map_size, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK | MAP_NORESERVE, -1,
                 0);
  if (s->map == MAP_FAILED)
    {
      s->map = NULL;
      return -1;
    }
  /* The stack grows down: its guard is the lowest page.  */
  if (mprotect (s->map, page, PROT_NONE) < 0)
    {
      int saved = errno;
      clone_vm_stack_unmap (s);
      errno = saved;
      return -1;
    }
  return 0;
}

void
clone_vm_stack_unmap (clone_vm_stack *s)
{
  if (s->map)
    munmap (s->map, s->map_size);
  s->map = NULL;
}

#ifdef CLONE_VM_ENTRY
/* The clone3 call and the child's first instructions in one asm block:
   the child wakes on its new stack, where no C frame of this function
   exists to return to, so it calls fn straight away and exits with its
   result.  fn and arg travel in callee-saved registers, which the child
   starts with as the parent left them.  */
static long
clone3_run (struct clone_args *args, int (*fn) (void *), void *arg)
{
  register long rax __asm__ ("rax") = SYS_clone3;
  register void *rdi __asm__ ("rdi") = args;
  register long rsi __asm__ ("rsi") = (long) sizeof *args;
  register int (*r12) (void *) __asm__ ("r12") = fn;
  register void *r13 __asm__ ("r13") = arg;

  __asm__ volatile ("syscall\n\t"
                    "testq %%rax, %%rax\n\t"
                    "jnz 1f\n\t"
                    /* The child: no caller frame to unwind into.  */
                    "xorl %%ebp, %%ebp\n\t"
                    "movq %%r13, %%rdi\n\t"
                    "callq *%%r12\n\t"
                    "movl %%eax, %%edi\n\t"
                    "movl %[nr_exit], %%eax\n\t"
                    "syscall\n\t"
                    "hlt\n"
                    "1:"
                    : "+r"(rax)
                    : "r"(rdi), "r"(rsi), "r"(r12), "r"(r13),
                      [nr_exit] "i"(SYS_exit)
                    : "rcx", "r11", "memory", "cc");
  return rax;
}
#endif

pid_t
clone_vm_run (unsigned long flags, int cgroup_fd, int *pidfd,
              const clone_vm_stack *stack, int (*fn) (void *), void *arg)
{
#ifdef CLONE_VM_ENTRY
  size_t page = (size_t) sysconf (_SC_PAGESIZE);
  struct clone_args args;
  long ret;

  memset (&args, 0, sizeof args);
  args.flags = flags | CLONE_VM | CLONE_VFORK | CLONE_PIDFD;
  args.pidfd = (uint64_t) (uintptr_t) pidfd;
  args.exit_signal = SIGCHLD;
  /* Above the guard page; the kernel starts the child at its top, which
     the mapping keeps aligned to 16 bytes as the ABI wants.  */
  args.stack = (uint64_t) (uintptr_t) stack->map + page;
  args.stack_size = stack->map_size - page;
  if (cgroup_fd >= 0)
    {
      args.flags |= CLONE_INTO_CGROUP;
      args.cgroup = (uint64_t) cgroup_fd;
    }
  ret = clone3_run (&args, fn, arg);
  if (ret < 0)
    {
      errno = (int) -ret;
      return -1;
    }
  return (pid_t) ret;
#else
  (void) flags;
  (void) cgroup_fd;
  (void) pidfd;
  (void) stack;
  (void) fn;
  (void) arg;
  errno = ENOSYS;
  return -1;
#endif
}
