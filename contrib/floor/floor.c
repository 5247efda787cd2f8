/* floor: the least kernel work that `run` of runc's default spec needs,
 * as one small program with nothing else in it: what contrib/bench --floor
 * measures berth against.  No capabilities, seccomp, state files, hooks or
 * checks: a lower bound, not a runtime (it trusts its rootfs).
 *
 *   floor ROOTFS PROGRAM [ARG...]      the `run` work:
 *     a cgroup "floor-PID" in every mounted hierarchy (v1 cpuset given its
 *     parent's cpus and mems), one clone3 with new mount, pid, net, uts, ipc
 *     and cgroup namespaces (into the cgroup2 directory with
 *     CLONE_INTO_CGROUP; v1 by the child writing to each tasks file); the
 *     default spec's mounts (proc, /dev tmpfs with its six nodes and
 *     symlinks, devpts, shm, mqueue, read-only sysfs, /sys/fs/cgroup as a
 *     tmpfs with each hierarchy mounted read-only), masked paths (/dev/null
 *     on files, an empty read-only tmpfs on directories), read-only paths,
 *     pivot_root, sethostname, exec; then wait and remove the cgroups.
 *   floor --exec PID PROGRAM [ARG...]  the `exec` work:
 *     join PID's cgroups and namespaces, fork (the pid namespace takes the
 *     child), exec, wait.
 *
 * Build: cc -O2 -o floor contrib/floor/floor.c (contrib/bench --floor does).
 * Run as root.  Exit status: the program's, or 125 for floor's own errors. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_HIER 24

struct hier
{
  char mnt[256];   /* where the host mounts it: /sys/fs/cgroup/cpu */
  char opts[256];  /* its controllers (super options), v1 */
  char dir[320];   /* our cgroup in it */
  int v2;
  int tasks;       /* v1: the tasks file, for the child to write */
};

static struct hier hiers[MAX_HIER];
static int n_hiers;
static const char *root;

static void
fail (const char *what)
{
  fprintf (stderr, "floor: %s: %s\n", what, strerror (errno));
  exit (125);
}

/* Copies the first line of `from` into `to` (cpuset.cpus, cpuset.mems).  */
static void
copy_value (const char *from, const char *to)
{
  char v[512];
  ssize_t n;
  int fd = open (from, O_RDONLY | O_CLOEXEC);

  if (fd < 0 || (n = read (fd, v, sizeof v)) <= 0)
    fail (from);
  close (fd);
  fd = open (to, O_WRONLY | O_CLOEXEC);
  if (fd < 0 || write (fd, v, (size_t) n) != n)
    fail (to);
  close (fd);
}

/* Every cgroup and cgroup2 mount of mountinfo: a directory of ours in
   each.  */
static void
cgroups_make (void)
{
  char line[2048];
  FILE *f = fopen ("/proc/self/mountinfo", "re");

  if (f == NULL)
    fail ("/proc/self/mountinfo");
  while (n_hiers < MAX_HIER && fgets (line, sizeof line, f))
    {
      struct hier *h = &hiers[n_hiers];
      char *dash = strstr (line, " - "), fstype[32], super[256];
      char file[400], parent[400];

      if (dash == NULL
          || sscanf (dash + 3, "%31s %*s %255s", fstype, super) != 2
          || sscanf (line, "%*s %*s %*s %*s %255s", h->mnt) != 1)
        continue;
      if (strcmp (fstype, "cgroup2") == 0)
        h->v2 = 1;
      else if (strcmp (fstype, "cgroup") != 0)
        continue;
      /* "rw,cpu,cpuacct": the controllers after the rw/ro flag.  */
      snprintf (h->opts, sizeof h->opts, "%s",
                strncmp (super, "rw,", 3) == 0 || strncmp (super, "ro,", 3) == 0
                    ? super + 3 : super);
      snprintf (file, sizeof file, "%s/floor-%d", h->mnt, (int) getpid ());
      memcpy (h->dir, file, sizeof h->dir - 1);
      if (mkdir (h->dir, 0755) < 0)
        fail (h->dir);
      h->tasks = -1;
      if (!h->v2)
        {
          if (strstr (h->opts, "cpuset"))
            for (int i = 0; i < 2; i++)
              {
                const char *k = i ? "cpuset.mems" : "cpuset.cpus";
                snprintf (parent, sizeof parent, "%s/%s", h->mnt, k);
                snprintf (file, sizeof file, "%s/%s", h->dir, k);
                copy_value (parent, file);
              }
          snprintf (file, sizeof file, "%s/tasks", h->dir);
          h->tasks = open (file, O_WRONLY | O_CLOEXEC);
          if (h->tasks < 0)
            fail (file);
        }
      n_hiers++;
    }
  fclose (f);
}

/* mount(2) at ROOTFS + `dest`, which is made first.  */
static void
mount_in (const char *src, const char *dest, const char *type,
          unsigned long flags, const char *data)
{
  char p[512];

  snprintf (p, sizeof p, "%s%s", root, dest);
  if (mkdir (p, 0755) < 0 && errno != EEXIST)
    fail (p);
  if (mount (src, p, type, flags, data) < 0)
    fail (p);
}

static void
dev_populate (void)
{
  static const struct { const char *name; unsigned maj, min; } nodes[] = {
    { "null", 1, 3 }, { "zero", 1, 5 }, { "full", 1, 7 },
    { "random", 1, 8 }, { "urandom", 1, 9 }, { "tty", 5, 0 },
  };
  static const struct { const char *name, *target; } links[] = {
    { "fd", "/proc/self/fd" }, { "stdin", "/proc/self/fd/0" },
    { "stdout", "/proc/self/fd/1" }, { "stderr", "/proc/self/fd/2" },
    { "ptmx", "pts/ptmx" },
  };
  char p[512];
  int dev;

  snprintf (p, sizeof p, "%s/dev", root);
  dev = open (p, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (dev < 0)
    fail (p);
  for (size_t i = 0; i < sizeof nodes / sizeof nodes[0]; i++)
    if (mknodat (dev, nodes[i].name, S_IFCHR | 0666,
                 makedev (nodes[i].maj, nodes[i].min)) < 0)
      fail (nodes[i].name);
  for (size_t i = 0; i < sizeof links / sizeof links[0]; i++)
    if (symlinkat (links[i].target, dev, links[i].name) < 0)
      fail (links[i].name);
  close (dev);
}

static void
mounts_make (void)
{
  const unsigned long nse = MS_NOSUID | MS_NODEV | MS_NOEXEC;
  static const char *masked[] = {
    "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
    "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
    "/proc/sched_debug", "/sys/firmware", "/proc/scsi",
  };
  static const char *readonly[] = {
    "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
  };
  char p[512], empty[512], null[512];

  if (mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
    fail ("make / private");
  if (mount (root, root, NULL, MS_BIND | MS_REC, NULL) < 0)
    fail ("bind the rootfs");
  mount_in ("proc", "/proc", "proc", nse, NULL);
  mount_in ("tmpfs", "/dev", "tmpfs", MS_NOSUID | MS_STRICTATIME,
            "mode=755,size=65536k");
  dev_populate ();
  mount_in ("devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC,
            "newinstance,ptmxmode=0666,mode=0620");
  mount_in ("shm", "/dev/shm", "tmpfs", nse, "mode=1777,size=65536k");
  mount_in ("mqueue", "/dev/mqueue", "mqueue", nse, NULL);
  mount_in ("sysfs", "/sys", "sysfs", nse | MS_RDONLY, NULL);
  mount_in ("tmpfs", "/sys/fs/cgroup", "tmpfs", nse, "mode=755");
  for (int i = 0; i < n_hiers; i++)
    {
      char dest[300];
      snprintf (dest, sizeof dest, "/sys/fs/cgroup/%s",
                strrchr (hiers[i].mnt, '/') + 1);
      mount_in (hiers[i].v2 ? "cgroup2" : "cgroup", dest,
                hiers[i].v2 ? "cgroup2" : "cgroup", nse | MS_RDONLY,
                hiers[i].v2 ? NULL : hiers[i].opts);
    }
  snprintf (p, sizeof p, "%s/sys/fs/cgroup", root);
  if (mount (NULL, p, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | nse, NULL) < 0)
    fail (p);

  /* One empty read-only tmpfs, bound on each masked directory.  */
  mount_in ("tmpfs", "/dev/.floor-empty", "tmpfs", nse | MS_RDONLY,
            "size=0,mode=0555");
  snprintf (empty, sizeof empty, "%s/dev/.floor-empty", root);
  snprintf (null, sizeof null, "%s/dev/null", root);
  for (size_t i = 0; i < sizeof masked / sizeof masked[0]; i++)
    {
      struct stat st;
      snprintf (p, sizeof p, "%s%s", root, masked[i]);
      if (lstat (p, &st) < 0)
        continue;
      if (mount (S_ISDIR (st.st_mode) ? empty : null, p, NULL, MS_BIND, NULL)
          < 0)
        fail (p);
    }
  for (size_t i = 0; i < sizeof readonly / sizeof readonly[0]; i++)
    {
      snprintf (p, sizeof p, "%s%s", root, readonly[i]);
      if (mount (p, p, NULL, MS_BIND | MS_REC, NULL) < 0)
        {
          if (errno == ENOENT)
            continue;
          fail (p);
        }
      if (mount (NULL, p, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_REC,
                 NULL)
          < 0)
        fail (p);
    }
}

static int
container_child (char **argv)
{
  for (int i = 0; i < n_hiers; i++)
    if (hiers[i].tasks >= 0 && write (hiers[i].tasks, "0", 1) != 1)
      fail ("join the v1 cgroup");
  mounts_make ();
  if (chdir (root) < 0 || syscall (SYS_pivot_root, ".", ".") < 0
      || umount2 (".", MNT_DETACH) < 0 || chdir ("/") < 0)
    fail ("pivot_root");
  if (sethostname ("floor", 5) < 0)
    fail ("sethostname");
  execv (argv[0], argv);
  fail (argv[0]);
  return 125;
}

static int
exit_code (int status)
{
  return WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status);
}

static int
floor_run (char **argv)
{
  struct clone_args ca = {
    .flags = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWUTS
             | CLONE_NEWIPC | CLONE_NEWCGROUP,
    .exit_signal = SIGCHLD,
  };
  int v2 = -1, status;
  pid_t pid;

  cgroups_make ();
  for (int i = 0; i < n_hiers; i++)
    if (hiers[i].v2)
      {
        v2 = open (hiers[i].dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (v2 < 0)
          fail (hiers[i].dir);
      }
  if (v2 >= 0)
    {
      ca.flags |= CLONE_INTO_CGROUP;
      ca.cgroup = (__u64) v2;
    }
  pid = (pid_t) syscall (SYS_clone3, &ca, sizeof ca);
  if (pid < 0)
    fail ("clone3");
  if (pid == 0)
    _exit (container_child (argv));
  if (waitpid (pid, &status, 0) < 0)
    fail ("waitpid");
  for (int i = 0; i < n_hiers; i++)
    rmdir (hiers[i].dir);
  return exit_code (status);
}

/* exec: the target's cgroup (every hierarchy of /proc/PID/cgroup, through
   cgroup.procs), its namespaces with one setns of its pidfd, then fork.  */
static int
floor_exec (pid_t target, char **argv)
{
  char path[64], line[1024];
  int pidfd, status;
  FILE *f;
  pid_t pid;

  pidfd = (int) syscall (SYS_pidfd_open, target, 0);
  if (pidfd < 0)
    fail ("pidfd_open");
  snprintf (path, sizeof path, "/proc/%d/cgroup", (int) target);
  f = fopen (path, "re");
  if (f == NULL)
    fail (path);
  while (fgets (line, sizeof line, f))
    {
      char *ctl = strchr (line, ':'), *cg, file[1400], *comma;
      int fd;
      if (ctl == NULL || (cg = strchr (ctl + 1, ':')) == NULL)
        continue;
      *cg++ = '\0';
      cg[strcspn (cg, "\n")] = '\0';
      ctl++;
      if (strncmp (ctl, "name=", 5) == 0)
        ctl += 5;
      if ((comma = strchr (ctl, ',')) != NULL)
        *comma = '\0';
      snprintf (file, sizeof file, "/sys/fs/cgroup/%s%s/cgroup.procs",
                *ctl ? ctl : "unified", cg);
      fd = open (file, O_WRONLY | O_CLOEXEC);
      if (fd < 0 && *ctl == '\0')
        {
          /* A pure cgroup2 host: the hierarchy is /sys/fs/cgroup.  */
          snprintf (file, sizeof file, "/sys/fs/cgroup%s/cgroup.procs", cg);
          fd = open (file, O_WRONLY | O_CLOEXEC);
        }
      if (fd < 0)
        continue;
      if (write (fd, "0", 1) != 1)
        fail (file);
      close (fd);
    }
  fclose (f);
  if (setns (pidfd, CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWUTS
                        | CLONE_NEWIPC | CLONE_NEWCGROUP)
      < 0)
    fail ("setns");
  close (pidfd);
  pid = fork ();
  if (pid < 0)
    fail ("fork");
  if (pid == 0)
    {
      execv (argv[0], argv);
      fail (argv[0]);
    }
  if (waitpid (pid, &status, 0) < 0)
    fail ("waitpid");
  return exit_code (status);
}

int
main (int argc, char **argv)
{
  if (argc >= 4 && strcmp (argv[1], "--exec") == 0)
    return floor_exec ((pid_t) atoi (argv[2]), argv + 3);
  if (argc < 3 || argv[1][0] == '-')
    {
      fprintf (stderr, "usage: floor ROOTFS PROGRAM [ARG...]\n"
                       "       floor --exec PID PROGRAM [ARG...]\n");
      return 2;
    }
  root = realpath (argv[1], NULL);
  if (root == NULL)
    fail (argv[1]);
  return floor_run (argv + 2);
}
