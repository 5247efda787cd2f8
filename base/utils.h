/* berth: small helpers shared by every module.  */
#ifndef BERTH_UTILS_H
#define BERTH_UTILS_H

#include <sched.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <time.h>
#include <sys/types.h>

#include "base/error.h"

/* Allocation that cannot fail (aborts on OOM, as a runtime cannot recover).  */
void *xmalloc0 (size_t size);
/* The same, not zeroed: only for a buffer filled before it is read (a
   read buffer, an arena), where zeroing would touch every page of it
   for nothing (calloc's memset of the config parse's 16 KiB arena and
   of each 4 KiB read buffer was 5 % of a start's instructions).  */
void *xmalloc (size_t size);
void *xrealloc (void *p, size_t size);
char *xstrdup (const char *s);
char *xasprintf (const char *fmt, ...) __attribute__ ((format (printf, 1, 2)));
char *xvasprintf (const char *fmt, va_list ap)
    __attribute__ ((format (printf, 1, 0)));

/* Writes all of buf, retrying on EINTR and short writes.  */
ssize_t write_all (int fd, const void *buf, size_t len);

/* One sendmsg of data (len > 0) with `fd` attached (SCM_RIGHTS),
   retrying on EINTR.  Returns the bytes sent, or -1 with errno set.  */
ssize_t send_with_fd (int sock, const void *data, size_t len, int fd);

/* One recvmsg into buf; *fd gets the fd that came with the message
   (close-on-exec) or -1.  Returns the bytes received, or -1 with errno.  */
ssize_t recv_with_fd (int sock, void *buf, size_t len, int *fd);

/* A close-on-exec AF_UNIX stream socket connected to `path`, or -1 with
   errno set (ENAMETOOLONG for a path too long for sockaddr_un).  */
int unix_connect (const char *path);

/* The first line of a small kernel file (/sys/devices/system/cpu/online)
   into buf, for an error message: "unknown" when it cannot be read.
   O_NONBLOCK and O_NOFOLLOW: in a container's view a FIFO or a link put
   there cannot hang or redirect the read.  */
const char *kernel_file_line (const char *path, char *buf, size_t len);

/* Reads until EOF into a malloc'd, NUL-terminated buffer.  */
int read_all_fd (int fd, const char *what, char **out, size_t *len,
                 berth_error **err);
int read_file_at (int dirfd, const char *path, char **out, size_t *len,
                  berth_error **err);

/* The same, reading at most max + 1 bytes: input from users (config.json,
   update --resources) may be an endless file; a result longer than `max`
   is the caller's "too large".  */
int read_all_fd_max (int fd, const char *what, size_t max, char **out,
                     size_t *len, berth_error **err);
int read_file_at_max (int dirfd, const char *path, size_t max, char **out,
                      size_t *len, berth_error **err);

/* The same for a file that a short read ends, read without the last
   read() that returns 0.  A read that returns at least `short_by` bytes
   fewer than it asked for is taken as the end:
   - READ_SHORT_REGULAR (1): a regular file berth made itself (state.json,
     the config copy): a regular file reads short only at its end;
   - READ_SHORT_SEQ_FILE: a procfs or cgroupfs file of one seq_file
     record (/proc/PID/cgroup, /proc/PID/status, cpuset.cpus,
     memory.stat...) or of records of at most 64 bytes (cgroup.procs,
     tasks): the kernel fills a read with records until the next one
     would not fit in its page, so a read this much short of what was
     asked means there was no next one.
   Not for a file of longer records: mountinfo is handed out a page per
   read, and a read may end short of the page before a long line.  Not
   for a file a user names (it may be a FIFO, read short at any time).  */
#define READ_TO_EOF ((size_t) -1)
#define READ_SHORT_REGULAR ((size_t) 1)
#define READ_SHORT_SEQ_FILE ((size_t) 64)
int read_file_at_short (int dirfd, const char *path, size_t short_by,
                        char **out, size_t *len, berth_error **err);
int read_fd_short (int fd, const char *what, size_t short_by, char **out,
                   size_t *len, berth_error **err);

/* Opens dirfd/name O_WRONLY|O_CLOEXEC (no O_CREAT) and writes data: for
   /proc and /sys files.  */
int write_file_at (int dirfd, const char *name, const char *data, size_t len,
                   berth_error **err);

/* Writes dirfd/name atomically: a temporary file in the same directory,
   fsync-free (the state dir is on tmpfs), then rename over.  */
int write_file_atomic_at (int dirfd, const char *name, const char *data,
                          size_t len, mode_t mode, berth_error **err);

/* CPU numbers berth takes in a list: far beyond any kernel's NR_CPUS
   (8192 at most today), small enough that a mask of them is 8 KiB.  A
   CPU the running kernel does not have is its EINVAL, when the mask is
   applied.  */
#define BERTH_MAX_CPUS 65536

/* "0-3,7,9-10" into a CPU mask sized for its highest CPU (CPU_ALLOC: a
   cpu_set_t holds only 1024): *set (CPU_FREE it) of *size bytes, for
   the *_S macros and sched_setaffinity.  */
int parse_cpu_list (const char *list, cpu_set_t **set, size_t *size,
                    berth_error **err);

/* Closes the fds (those >= 0) and sets them to -1: one close_range per
   run of consecutive numbers (fds opened one after the other and closed
   together: one call where a close each took several).  */
void close_fds (int *fds, size_t n);

/* Recursively removes dirfd/name (a directory tree or a file); does not
   cross mount points and never follows symlinks.  ENOENT is success.  */
int remove_tree_at (int dirfd, const char *name, berth_error **err);

/* remove_tree_at of a directory already open as `fd` (the caller checked
   it is dirfd/name, and still closes it): no second open.  */
int remove_tree_open_at (int dirfd, const char *name, int fd,
                         berth_error **err);

/* `t` as UTC in *tm (year, month, day, hour, minute, second, weekday):
   gmtime_r without glibc's time zone set-up, which reads /etc/localtime
   on a process's first call (7 syscalls) for nothing in UTC.  */
void utc_time (time_t t, struct tm *tm);

/* The start time of a process, field 22 of /proc/<pid>/stat; 0 when the
   process does not exist.  *state gets field 3 ('R', 'S', 'Z', ...).  */
unsigned long long proc_start_time (pid_t pid, char *state);

#endif
