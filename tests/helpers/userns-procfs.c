/* Tries what a process in a container must not be able to do when the
 * host's procfs or sysfs is still in its mount namespace (--no-pivot): a
 * new user, mount, pid and network namespace, then a fresh procfs (or
 * TYPE: sysfs) on DIR.  Prints "mounted"
 * and exits 0 when the kernel allowed the mount, prints the errno and
 * exits 1 when it refused it, exits 2 when the namespaces could not be
 * made.  Built static, to run inside a busybox container.
 *
 *   userns-procfs DIR [TYPE]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

static int
write_file (const char *path, const char *data)
{
  int fd = open (path, O_WRONLY | O_CLOEXEC);
  ssize_t n;

  if (fd < 0)
    {
      fprintf (stderr, "open %s: %s\n", path, strerror (errno));
      return -1;
    }
  n = write (fd, data, strlen (data));
  close (fd);
  return n == (ssize_t) strlen (data) ? 0 : -1;
}

int
main (int argc, char **argv)
{
  char map[64];
  uid_t uid = geteuid ();
  gid_t gid = getegid ();
  pid_t pid;
  int status;

  const char *type = argc > 2 ? argv[2] : "proc";

  if (argc != 2 && argc != 3)
    {
      fprintf (stderr, "usage: userns-procfs DIR [TYPE]\n");
      return 2;
    }
  if (unshare (CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET) < 0)
    {
      fprintf (stderr, "unshare: %s\n", strerror (errno));
      return 2;
    }
  snprintf (map, sizeof map, "0 %u 1", (unsigned) uid);
  if (write_file ("/proc/self/uid_map", map) < 0)
    {
      fprintf (stderr, "uid_map: %s\n", strerror (errno));
      return 2;
    }
  if (write_file ("/proc/self/setgroups", "deny") < 0)
    {
      fprintf (stderr, "setgroups: %s\n", strerror (errno));
      return 2;
    }
  snprintf (map, sizeof map, "0 %u 1", (unsigned) gid);
  if (write_file ("/proc/self/gid_map", map) < 0)
    {
      fprintf (stderr, "gid_map: %s\n", strerror (errno));
      return 2;
    }
  /* The pid namespace is the child's.  */
  pid = fork ();
  if (pid < 0)
    return 2;
  if (pid == 0)
    {
      if (mount (type, argv[1], type, 0, NULL) < 0)
        {
          printf ("refused: %s\n", strerror (errno));
          fflush (stdout);
          _exit (1);
        }
      printf ("mounted\n");
      fflush (stdout);
      _exit (0);
    }
  if (waitpid (pid, &status, 0) < 0 || !WIFEXITED (status))
    return 2;
  return WEXITSTATUS (status);
}
