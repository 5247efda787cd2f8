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
 *   floor --create DIR ROOTFS PROGRAM [ARG...]  the `create` work:
 *     DIR made with a fifo in it (DIR/exec.fifo), then the `run` work up to
 *     sethostname, with the cgroups named floor-NAME (DIR's last
 *     component); the child then opens the fifo for writing, which blocks
 *     until a reader comes, and floor exits once it is there, leaving it
 *     waiting.
 *   floor --start DIR  the `start` work: open DIR/exec.fifo for reading
 *     (which releases the child), wait for the hangup its exec makes (the
 *     write end is close-on-exec), remove the fifo.
 *   floor --delete DIR  untimed clean-up after --start: the cgroups
 *     removed once the program has exited, DIR removed.
 *
 * Build: cc -O2 -o floor contrib/floor/floor.c (contrib/bench --floor does).
 * Run as root.  Exit status: the program's, or 125 for floor's own errors. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <poll.h>
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
static char cg_name[128];     /* floor-PID, or floor-NAME for --create */
static int fifo_path = -1;    /* --create: O_PATH handle of DIR/exec.fifo */
static int ready_fd = -1;     /* --create: the child's end of the pipe */

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

/* Calls `fn` for every cgroup and cgroup2 mount of mountinfo, with its
   mount point, whether it is v2 and its super options.  */
static void
cgroups_each (void (*fn) (const char *mnt, int v2, const char *super))
{
  char line[2048];
  FILE *f = fopen ("/proc/self/mountinfo", "re");

  if (f == NULL)
    fail ("/proc/self/mountinfo");
  while (fgets (line, sizeof line, f))
    {
      char *dash = strstr (line, " - "), fstype[32], super[256], mnt[256];

      if (dash == NULL
          || sscanf (dash + 3, "%31s %*s %255s", fstype, super) != 2
          || sscanf (line, "%*s %*s %*s %*s %255s", mnt) != 1)
        continue;
      if (strcmp (fstype, "cgroup2") == 0 || strcmp (fstype, "cgroup") == 0)
        fn (mnt, fstype[6] == '2', super);
    }
  fclose (f);
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
      snprintf (file, sizeof file, "%s/%s", h->mnt, cg_name);
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

/* --create: tell floor we are here, then wait for --start's reader.  The
   fifo is outside the new root: reopened through the handle taken before
   pivot_root.  Its write end is close-on-exec, the hangup --start waits
   for.  */
static void
create_wait (void)
{
  char p[64];
  int fd;

  if (write (ready_fd, "", 1) != 1)
    fail ("tell floor");
  close (ready_fd);
  snprintf (p, sizeof p, "/proc/self/fd/%d", fifo_path);
  /* EINTR: a tracer that detaches (contrib/bench counting the calls)
     interrupts the wait, as for berth's init.  */
  while ((fd = open (p, O_WRONLY | O_CLOEXEC)) < 0)
    if (errno != EINTR)
      fail ("open the fifo");
  close (fifo_path);
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
  if (fifo_path >= 0)
    create_wait ();
  execv (argv[0], argv);
  fail (argv[0]);
  return 125;
}

static int
exit_code (int status)
{
  return WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status);
}

/* The `run` work up to the clone; returns in both processes (0 in the
   child, which has done all of it by then and exec'd or failed).  */
static pid_t
floor_clone (char **argv)
{
  struct clone_args ca = {
    .flags = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWUTS
             | CLONE_NEWIPC | CLONE_NEWCGROUP,
    .exit_signal = SIGCHLD,
  };
  int v2 = -1;
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
  return pid;
}

static int
floor_run (char **argv)
{
  int status;
  pid_t pid;

  snprintf (cg_name, sizeof cg_name, "floor-%d", (int) getpid ());
  pid = floor_clone (argv);
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

/* --create DIR ROOTFS PROGRAM...: DIR and its fifo, the `run` work up to
   the point the child waits for --start, then exit, leaving it waiting
   (the kernel reparents it).  */
static int
floor_create (const char *dir, char **argv)
{
  const char *name = strrchr (dir, '/') ? strrchr (dir, '/') + 1 : dir;
  char fifo[512], c;
  int pipe_fds[2];

  snprintf (cg_name, sizeof cg_name, "floor-%s", name);
  snprintf (fifo, sizeof fifo, "%s/exec.fifo", dir);
  if (mkdir (dir, 0700) < 0)
    fail (dir);
  if (mkfifo (fifo, 0600) < 0)
    fail (fifo);
  fifo_path = open (fifo, O_PATH | O_CLOEXEC);
  if (fifo_path < 0)
    fail (fifo);
  if (pipe2 (pipe_fds, O_CLOEXEC) < 0)
    fail ("pipe");
  ready_fd = pipe_fds[1];
  floor_clone (argv);
  close (pipe_fds[1]);
  if (read (pipe_fds[0], &c, 1) != 1)
    {
      fprintf (stderr, "floor: the child failed before it was ready\n");
      return 125;
    }
  return 0;
}

/* --start DIR: the reader that releases the child, then its exec's
   hangup (or its exit: a failure).  */
static int
floor_start (const char *dir)
{
  char fifo[512];
  struct pollfd p;
  int fd;

  snprintf (fifo, sizeof fifo, "%s/exec.fifo", dir);
  fd = open (fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0)
    fail (fifo);
  p = (struct pollfd){ .fd = fd, .events = POLLIN };
  while (poll (&p, 1, -1) < 0)
    if (errno != EINTR)
      fail ("poll");
  close (fd);
  if (unlink (fifo) < 0)
    fail (fifo);
  return 0;
}

static void
cgroup_remove (const char *mnt, int v2, const char *super)
{
  char p[512];

  snprintf (p, sizeof p, "%s/%s", mnt, cg_name);
  /* EBUSY while the program has not exited yet.  */
  for (int i = 0; i < 2000 && rmdir (p) < 0 && errno == EBUSY; i++)
    usleep (1000);
}

/* --delete DIR: after --start, untimed.  */
static int
floor_delete (const char *dir)
{
  const char *name = strrchr (dir, '/') ? strrchr (dir, '/') + 1 : dir;
  char fifo[512];

  snprintf (cg_name, sizeof cg_name, "floor-%s", name);
  cgroups_each (cgroup_remove);
  snprintf (fifo, sizeof fifo, "%s/exec.fifo", dir);
  unlink (fifo);
  if (rmdir (dir) < 0)
    fail (dir);
  return 0;
}

int
main (int argc, char **argv)
{
  if (argc >= 4 && strcmp (argv[1], "--exec") == 0)
    return floor_exec ((pid_t) atoi (argv[2]), argv + 3);
  if (argc == 3 && strcmp (argv[1], "--start") == 0)
    return floor_start (argv[2]);
  if (argc == 3 && strcmp (argv[1], "--delete") == 0)
    return floor_delete (argv[2]);
  if (argc >= 5 && strcmp (argv[1], "--create") == 0)
    {
      root = realpath (argv[3], NULL);
      if (root == NULL)
        fail (argv[3]);
      return floor_create (argv[2], argv + 4);
    }
  if (argc < 3 || argv[1][0] == '-')
    {
      fprintf (stderr, "usage: floor ROOTFS PROGRAM [ARG...]\n"
                       "       floor --exec PID PROGRAM [ARG...]\n"
                       "       floor --create DIR ROOTFS PROGRAM [ARG...]\n"
                       "       floor --start DIR\n"
                       "       floor --delete DIR\n");
      return 2;
    }
  root = realpath (argv[1], NULL);
  if (root == NULL)
    fail (argv[1]);
  return floor_run (argv + 2);
}
