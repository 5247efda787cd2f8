/* sysprobe: tries syscalls and prints what the kernel (and the seccomp
   filter) answered, one "NAME ERRNO" line each, 0 for success.  Built
   static to run in the busybox rootfs.

     sysprobe getpid mkdirat nr:439 ...

   Names are a fixed set with harmless arguments; nr:N calls syscall N with
   zero arguments (only for numbers the filter is expected to refuse).  */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static long
probe (const char *name)
{
  if (strncmp (name, "nr:", 3) == 0)
    return syscall (atol (name + 3), 0, 0, 0, 0, 0, 0);
  if (strcmp (name, "getpid") == 0)
    return syscall (SYS_getpid);
  if (strcmp (name, "getppid") == 0)
    return syscall (SYS_getppid);
  if (strcmp (name, "getuid") == 0)
    return syscall (SYS_getuid);
  if (strcmp (name, "mkdirat") == 0)
    return syscall (SYS_mkdirat, AT_FDCWD, "/nonexistent/sysprobe", 0700);
  if (strcmp (name, "unshare") == 0)
    return syscall (SYS_unshare, 0x80000000 /* no such flag: EINVAL */);
  if (strcmp (name, "personality") == 0)
    return syscall (SYS_personality, 0xffffffffUL);
  if (strcmp (name, "socket") == 0)
    return syscall (SYS_socket, -1, 0, 0);
  if (strcmp (name, "ptrace") == 0)
    return syscall (SYS_ptrace, -1, 0, 0, 0);
  if (strcmp (name, "keyctl") == 0)
    return syscall (SYS_keyctl, -1, 0, 0, 0, 0);
  if (strcmp (name, "clone3") == 0)
    return syscall (SYS_clone3, NULL, 0);
  if (strcmp (name, "faccessat2") == 0)
    return syscall (SYS_faccessat2, AT_FDCWD, "/", F_OK, 0);
  if (strcmp (name, "mount") == 0)
    return syscall (SYS_mount, "none", "/nonexistent", "tmpfs", 0, NULL);
  if (strcmp (name, "sethostname") == 0)
    return syscall (SYS_sethostname, "x", (size_t) 1 << 20);
  if (strcmp (name, "chroot") == 0)
    return syscall (SYS_chroot, "/nonexistent");
  fprintf (stderr, "sysprobe: unknown probe %s\n", name);
  exit (2);
}

int
main (int argc, char **argv)
{
  for (int i = 1; i < argc; i++)
    {
      long r;
      errno = 0;
      r = probe (argv[i]);
      printf ("%s %d\n", argv[i], r < 0 ? errno : 0);
    }
  return 0;
}
