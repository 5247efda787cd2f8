/* berth: a child that shares berth's memory until it execs, as
 * posix_spawn makes one.
 *
 * A forked child copies the parent's page tables and tears the copy down
 * again at execve; for a process that only sets itself up and execs, that
 * is most of what the clone costs.  clone3 with CLONE_VM | CLONE_VFORK
 * copies nothing: the child runs in the parent's memory, on a stack of its
 * own, while the parent sleeps until the child has exec'd or exited.
 *
 * What the child may do follows from that: anything it writes to memory
 * other than its own stack, the parent sees when it wakes.  It must not
 * free what the parent still holds nor change berth's globals; and it
 * must not wait for its parent, which sleeps.  Its descriptors, signal
 * handlers, credentials, namespaces and root are its own as after a fork.  */
#ifndef BERTH_CLONE_VM_H
#define BERTH_CLONE_VM_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* A stack for such a child: mapped on demand, with a page below it that
   faults instead of letting an overflow write into other memory.  */
typedef struct clone_vm_stack
{
  void *map;       /* the whole mapping, guard page included */
  size_t map_size;
} clone_vm_stack;

/* Whether berth has the child's entry code for this architecture (x86_64;
   not in a build with AddressSanitizer).  Where it has not, callers
   fork.  */
bool clone_vm_supported (void);

/* Maps a stack of `size` bytes (a multiple of the page size).  -1 with
   errno.  */
int clone_vm_stack_map (clone_vm_stack *s, size_t size);
void clone_vm_stack_unmap (clone_vm_stack *s);

/* clone3 with `flags` | CLONE_VM | CLONE_VFORK | CLONE_PIDFD (*pidfd
   receives it) and exit signal SIGCHLD, into the cgroup `cgroup_fd` when
   it is not -1 (CLONE_INTO_CGROUP).  The child runs fn (arg) on `stack`
   and exits with what fn returns.  Returns in the parent once the child
   has exec'd or exited: the child's pid, or -1 with errno (ENOSYS where
   clone_vm_supported () is false).  */
pid_t clone_vm_run (unsigned long flags, int cgroup_fd, int *pidfd,
                    const clone_vm_stack *stack, int (*fn) (void *),
                    void *arg);

#endif
