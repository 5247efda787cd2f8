#include "base/utils.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "base/decimal.h"

void *
xmalloc0 (size_t size)
{
  void *p = calloc (1, size ? size : 1);
  if (p == NULL)
    abort ();
  return p;
}

void *
xmalloc (size_t size)
{
  void *p = malloc (size ? size : 1);
  if (p == NULL)
    abort ();
  return p;
}

void *
xrealloc (void *p, size_t size)
{
  p = realloc (p, size ? size : 1);
  if (p == NULL)
    abort ();
  return p;
}

char *
xstrdup (const char *s)
{
  char *r;
  if (s == NULL)
    return NULL;
  r = strdup (s);
  if (r == NULL)
    abort ();
  return r;
}

char *
xasprintf (const char *fmt, ...)
{
  va_list ap;
  char *s;
  va_start (ap, fmt);
  s = xvasprintf (fmt, ap);
  va_end (ap);
  return s;
}

/* Whether `fmt` has no conversion but %s and %%.  */
static bool
only_strings (const char *fmt)
{
  for (const char *p = fmt; (p = strchr (p, '%')) != NULL; p += 2)
    if (p[1] != 's' && p[1] != '%')
      return false;
  return true;
}

/* Text and %s only (paths and file names, most of berth's formats): the
   strings joined here.  vasprintf sets up a string stream, runs the whole
   of vfprintf and grows then shrinks its buffer, about 1,500 instructions
   for "%s/%s"; a start formats some sixty such strings.  NULL prints as
   "(null)", as glibc prints it.  */
static char *
join_strings (const char *fmt, va_list ap)
{
  va_list count;
  size_t len = 0;
  char *s, *o;

  va_copy (count, ap);
  for (const char *p = fmt; *p; p++)
    if (*p != '%')
      len++;
    else if (*++p == '%')
      len++;
    else
      {
        const char *a = va_arg (count, const char *);
        len += strlen (a ? a : "(null)");
      }
  va_end (count);
  o = s = malloc (len + 1);
  if (s == NULL)
    abort ();
  for (const char *p = fmt; *p; p++)
    if (*p != '%')
      *o++ = *p;
    else if (*++p == '%')
      *o++ = '%';
    else
      {
        const char *a = va_arg (ap, const char *);
        size_t n;
        if (a == NULL)
          a = "(null)";
        n = strlen (a);
        memcpy (o, a, n);
        o += n;
      }
  *o = '\0';
  return s;
}

char *
xvasprintf (const char *fmt, va_list ap)
{
  char *s;
  if (only_strings (fmt))
    return join_strings (fmt, ap);
  if (vasprintf (&s, fmt, ap) < 0)
    abort ();
  return s;
}

ssize_t
write_all (int fd, const void *buf, size_t len)
{
  const char *p = buf;
  size_t left = len;
  while (left > 0)
    {
      ssize_t w = write (fd, p, left);
      if (w < 0)
        {
          if (errno == EINTR)
            continue;
          return -1;
        }
      p += w;
      left -= (size_t) w;
    }
  return (ssize_t) len;
}

/* One message of one iovec with room for one fd.  */
typedef struct fd_msg
{
  struct iovec iov;
  struct msghdr msg;
  union
  {
    char buf[CMSG_SPACE (sizeof (int))];
    struct cmsghdr align;
  } control;
} fd_msg;

static void
fd_msg_init (fd_msg *m, void *data, size_t len)
{
  memset (m, 0, sizeof *m);
  m->iov.iov_base = data;
  m->iov.iov_len = len;
  m->msg.msg_iov = &m->iov;
  m->msg.msg_iovlen = 1;
  m->msg.msg_control = m->control.buf;
  m->msg.msg_controllen = sizeof m->control.buf;
}

ssize_t
send_with_fd (int sock, const void *data, size_t len, int fd)
{
  fd_msg m;
  struct cmsghdr *cmsg;
  ssize_t r;

  fd_msg_init (&m, (void *) data, len);
  cmsg = CMSG_FIRSTHDR (&m.msg);
  cmsg->cmsg_level = SOL_SOCKET;
  cmsg->cmsg_type = SCM_RIGHTS;
  cmsg->cmsg_len = CMSG_LEN (sizeof (int));
  memcpy (CMSG_DATA (cmsg), &fd, sizeof (int));
  do
    r = sendmsg (sock, &m.msg, MSG_NOSIGNAL);
  while (r < 0 && errno == EINTR);
  return r;
}

ssize_t
recv_with_fd (int sock, void *buf, size_t len, int *fd)
{
  fd_msg m;
  struct cmsghdr *cmsg;
  ssize_t r;

  *fd = -1;
  fd_msg_init (&m, buf, len);
  do
    r = recvmsg (sock, &m.msg, MSG_CMSG_CLOEXEC);
  while (r < 0 && errno == EINTR);
  if (r < 0)
    return r;
  for (cmsg = CMSG_FIRSTHDR (&m.msg); cmsg;
       cmsg = CMSG_NXTHDR (&m.msg, cmsg))
    if (cmsg->cmsg_level == SOL_SOCKET && cmsg->cmsg_type == SCM_RIGHTS
        && cmsg->cmsg_len == CMSG_LEN (sizeof (int)))
      memcpy (fd, CMSG_DATA (cmsg), sizeof (int));
  return r;
}

int
unix_connect (const char *path)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  cleanup_close int fd = -1;

  if (strlen (path) >= sizeof addr.sun_path)
    {
      errno = ENAMETOOLONG;
      return -1;
    }
  strcpy (addr.sun_path, path);
  fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return -1;
  if (connect (fd, (struct sockaddr *) &addr, sizeof addr) < 0)
    return -1;
  return steal_fd (&fd);
}

/* Reads into a malloc'd, NUL-terminated buffer until EOF, more than
   `max` bytes, or (short != READ_TO_EOF) a read that returns at least
   `short` bytes fewer than it asked for: see read_file_at_short.  */
static int
read_fd_until (int fd, const char *what, size_t max, size_t short_by,
               char **out, size_t *len, berth_error **err)
{
  size_t cap = 4096, used = 0;
  cleanup_free char *buf = xmalloc (cap);

  /* One byte past `max` tells the caller "too large" without reading an
     endless file (a FIFO, /dev/zero) to the end.  */
  while (max == SIZE_MAX || used <= max)
    {
      size_t want;
      ssize_t r;

      if (used + 1 >= cap)
        {
          cap *= 2;
          buf = xrealloc (buf, cap);
        }
      want = cap - used - 1;
      if (max != SIZE_MAX && want > max + 1 - used)
        want = max + 1 - used;
      r = read (fd, buf + used, want);
      if (r < 0)
        {
          if (errno == EINTR)
            continue;
          return berth_error_sys (err, "read %s", what);
        }
      if (r == 0)
        break;
      used += (size_t) r;
      /* A seq_file hands out at most its buffer, a page, per read.  */
      if (short_by != READ_TO_EOF
          && (size_t) r + short_by
                 <= (short_by == READ_SHORT_REGULAR || want < 4096 ? want
                                                                  : 4096))
        break;
    }
  buf[used] = '\0';
  if (len)
    *len = used;
  *out = steal_pointer (&buf);
  return 0;
}

int
read_all_fd_max (int fd, const char *what, size_t max, char **out,
                 size_t *len, berth_error **err)
{
  return read_fd_until (fd, what, max, READ_TO_EOF, out, len, err);
}

int
read_all_fd (int fd, const char *what, char **out, size_t *len,
             berth_error **err)
{
  return read_all_fd_max (fd, what, SIZE_MAX, out, len, err);
}

int
read_file_at_max (int dirfd, const char *path, size_t max, char **out,
                  size_t *len, berth_error **err)
{
  cleanup_close int fd = openat (dirfd, path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return berth_error_sys (err, "open %s", path);
  return read_all_fd_max (fd, path, max, out, len, err);
}

int
read_file_at (int dirfd, const char *path, char **out, size_t *len,
              berth_error **err)
{
  return read_file_at_max (dirfd, path, SIZE_MAX, out, len, err);
}

int
read_file_at_short (int dirfd, const char *path, size_t short_by,
                    char **out, size_t *len, berth_error **err)
{
  cleanup_close int fd = openat (dirfd, path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return berth_error_sys (err, "open %s", path);
  return read_fd_short (fd, path, short_by, out, len, err);
}

int
read_fd_short (int fd, const char *what, size_t short_by, char **out,
               size_t *len, berth_error **err)
{
  return read_fd_until (fd, what, SIZE_MAX, short_by, out, len, err);
}

int
write_file_at (int dirfd, const char *name, const char *data, size_t len,
               berth_error **err)
{
  cleanup_close int fd = openat (dirfd, name, O_WRONLY | O_CLOEXEC);
  if (fd < 0)
    return berth_error_sys (err, "open %s", name);
  if (write_all (fd, data, len) < 0)
    return berth_error_sys (err, "write %s", name);
  return 0;
}

int
write_file_atomic_at (int dirfd, const char *name, const char *data,
                      size_t len, mode_t mode, berth_error **err)
{
  cleanup_free char *tmp = xasprintf (".%s.tmp", name);
  cleanup_close int fd = openat (dirfd, tmp,
                                 O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC
                                     | O_NOFOLLOW,
                                 mode);
  if (fd < 0)
    return berth_error_sys (err, "create %s", tmp);
  if (write_all (fd, data, len) < 0)
    {
      berth_error_sys (err, "write %s", tmp);
      unlinkat (dirfd, tmp, 0);
      return -1;
    }
  if (renameat (dirfd, tmp, dirfd, name) < 0)
    {
      berth_error_sys (err, "rename %s to %s", tmp, name);
      unlinkat (dirfd, tmp, 0);
      return -1;
    }
  return 0;
}

int
parse_cpu_list (const char *list, cpu_set_t **set, size_t *size,
                berth_error **err)
{
  const char *p = list;
  unsigned long highest = 0;

  *set = NULL;
  *size = 0;
  if (list == NULL || *list == '\0')
    return berth_error_set (err, 0, "empty CPU list");
  /* First pass: the syntax and the highest CPU, for the size of the mask;
     second pass: the bits.  */
  for (int pass = 0; pass < 2; pass++)
    {
      p = list;
      while (*p)
        {
          char *end;
          unsigned long lo, hi;

          errno = 0;
          lo = strtoul (p, &end, 10);
          if (end == p || errno || *p == '-' || *p == '+')
            return berth_error_set (err, 0, "invalid CPU list \"%s\"", list);
          hi = lo;
          p = end;
          if (*p == '-')
            {
              p++;
              hi = strtoul (p, &end, 10);
              if (end == p || errno || hi < lo || *p == '-' || *p == '+')
                return berth_error_set (err, 0, "invalid CPU list \"%s\"",
                                        list);
              p = end;
            }
          if (hi >= BERTH_MAX_CPUS)
            {
              CPU_FREE (*set);
              *set = NULL;
              return berth_error_set (err, 0,
                                      "CPU %lu out of range in \"%s\" (berth "
                                      "takes CPUs up to %d)",
                                      hi, list, BERTH_MAX_CPUS - 1);
            }
          if (pass == 0 && hi > highest)
            highest = hi;
          for (unsigned long c = lo; pass == 1 && c <= hi; c++)
            CPU_SET_S (c, *size, *set);
          if (*p == ',')
            p++;
          else if (*p != '\0')
            return berth_error_set (err, 0, "invalid CPU list \"%s\"", list);
        }
      if (pass == 0)
        {
          *size = CPU_ALLOC_SIZE (highest + 1);
          *set = CPU_ALLOC (highest + 1);
          if (*set == NULL)
            return berth_error_sys (err, "CPU_ALLOC %lu", highest + 1);
          CPU_ZERO_S (*size, *set);
        }
    }
  return 0;
}

void
close_fds (int *fds, size_t n)
{
  int sorted[64];
  size_t m = 0;

  for (size_t i = 0; i < n; i++)
    if (fds[i] >= 0)
      {
        if (m == sizeof sorted / sizeof sorted[0])
          close (fds[i]);
        else
          sorted[m++] = fds[i];
        fds[i] = -1;
      }
  for (size_t i = 1; i < m; i++)
    for (size_t k = i; k > 0 && sorted[k - 1] > sorted[k]; k--)
      {
        int t = sorted[k];
        sorted[k] = sorted[k - 1];
        sorted[k - 1] = t;
      }
  for (size_t i = 0; i < m;)
    {
      size_t k = i;
      while (k + 1 < m && sorted[k + 1] == sorted[k] + 1)
        k++;
      if (k == i
          || syscall (SYS_close_range, (unsigned) sorted[i],
                      (unsigned) sorted[k], 0)
                 < 0)
        for (size_t j = i; j <= k; j++)
          close (sorted[j]);
      i = k + 1;
    }
}

/* One directory's entries through getdents64 on the fd itself: fdopendir
   would first fstat it and get and set its flags (three calls per
   directory removed).  */
typedef struct dir_reader
{
  int fd;
  long n, pos;
  char buf[4096] __attribute__ ((aligned (8)));
} dir_reader;

static struct dirent64 *
dir_reader_next (dir_reader *r)
{
  struct dirent64 *de;

  if (r->pos >= r->n)
    {
      r->n = getdents64 (r->fd, r->buf, sizeof r->buf);
      r->pos = 0;
      if (r->n <= 0)
        return NULL;
    }
  de = (struct dirent64 *) (r->buf + r->pos);
  r->pos += de->d_reclen;
  return de;
}

int
remove_tree_at (int parent, const char *name, berth_error **err)
{
  struct stat st;
  cleanup_close int fd = -1;

  /* Opened as a directory first: a file (ENOTDIR) or a symlink (ELOOP)
     is unlinked, a directory needs no fstatat before.  */
  fd = openat (parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT)
    return 0;
  if (fd < 0 && (errno == ENOTDIR || errno == ELOOP))
    {
      if (unlinkat (parent, name, 0) < 0 && errno != ENOENT)
        return berth_error_sys (err, "remove %s", name);
      return 0;
    }
  /* overlayfs makes its "work/work" directory mode 0 for the mounter:
     root enters it anyway, a rootless berth (its owner) must first give
     itself the right.  */
  if (fd < 0 && errno == EACCES
      && fstatat (parent, name, &st, AT_SYMLINK_NOFOLLOW) == 0
      && S_ISDIR (st.st_mode) && st.st_uid == geteuid ()
      && fchmodat (parent, name, 0700, 0) == 0)
    fd = openat (parent, name,
                 O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    return berth_error_sys (err, "open %s", name);
  return remove_tree_open_at (parent, name, fd, err);
}

/* The mount `name` (in dirfd; "" with AT_EMPTY_PATH: dirfd itself) is
   on, into *mnt, and whether it is a directory.  Its mount id (statx,
   since Linux 5.8), else its device: a bind mount of the same file
   system shares the device, only the mount id tells it apart.  */
static int
mount_of (int dirfd, const char *name, int flags, uint64_t *mnt,
          bool *is_dir)
{
  struct statx stx;

  if (statx (dirfd, name, flags | AT_SYMLINK_NOFOLLOW,
             STATX_TYPE | STATX_MNT_ID, &stx) < 0)
    return -1;
  *is_dir = S_ISDIR (stx.stx_mode);
  if (stx.stx_mask & STATX_MNT_ID)
    *mnt = stx.stx_mnt_id;
  else
    *mnt = (1ULL << 63) | ((uint64_t) stx.stx_dev_major << 32)
           | stx.stx_dev_minor;
  return 0;
}

int
remove_tree_open_at (int parent, const char *name, int fd,
                     berth_error **err)
{
  uint64_t mnt = 0;
  bool have_st = false, is_dir;
  dir_reader *r = NULL;
  cleanup_free dir_reader *owned = NULL;
  struct dirent64 *de;

  r = owned = xmalloc0 (sizeof *r);
  r->fd = fd;
  while ((de = dir_reader_next (r)) != NULL)
    {
      uint64_t child;
      if (strcmp (de->d_name, ".") == 0 || strcmp (de->d_name, "..") == 0)
        continue;
      /* A file the directory says is no directory (state files, the
         fifo): unlinked without two fstatat first.  EISDIR: replaced
         since, the full way below.  */
      if (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN)
        {
          if (unlinkat (fd, de->d_name, 0) == 0 || errno == ENOENT)
            continue;
          if (errno != EISDIR && errno != EPERM)
            return berth_error_sys (err, "remove %s/%s", name, de->d_name);
        }
      if (!have_st)
        {
          if (mount_of (fd, "", AT_EMPTY_PATH, &mnt, &is_dir) < 0)
            return berth_error_sys (err, "stat %s", name);
          have_st = true;
        }
      /* Never into another mount, a bind of the same file system
         included: what is under it is not ours to remove.  */
      if (mount_of (fd, de->d_name, 0, &child, &is_dir) == 0 && is_dir
          && child != mnt)
        return berth_error_set (err, EBUSY, "remove %s/%s: a mount point",
                                name, de->d_name);
      if (remove_tree_at (fd, de->d_name, err) < 0)
        return berth_error_wrap (err, "%s", name);
    }
  if (r->n < 0)
    return berth_error_sys (err, "read the directory %s", name);
  if (unlinkat (parent, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
    return berth_error_sys (err, "remove %s", name);
  return 0;
}

void
utc_time (time_t t, struct tm *tm)
{
  /* Days to a civil date (proleptic Gregorian, H. Hinnant's
     days_from_civil inverted): eras of 400 years, March-based years.  */
  long long days = (long long) (t >= 0 ? t / 86400 : (t - 86399) / 86400);
  long long secs = (long long) t - days * 86400;
  long long z = days + 719468;
  long long era = (z >= 0 ? z : z - 146096) / 146097;
  long long doe = z - era * 146097;
  long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  long long mp = (5 * doy + 2) / 153;
  long long d = doy - (153 * mp + 2) / 5 + 1;
  long long m = mp < 10 ? mp + 3 : mp - 9;
  long long y = yoe + era * 400 + (m <= 2);

  memset (tm, 0, sizeof *tm);
  tm->tm_year = (int) (y - 1900);
  tm->tm_mon = (int) (m - 1);
  tm->tm_mday = (int) d;
  tm->tm_hour = (int) (secs / 3600);
  tm->tm_min = (int) (secs / 60 % 60);
  tm->tm_sec = (int) (secs % 60);
  tm->tm_wday = (int) ((days % 7 + 11) % 7);
}

unsigned long long
proc_start_time (pid_t pid, char *state)
{
  char path[64], buf[1024];
  cleanup_close int fd = -1;
  ssize_t n;
  char *p;
  unsigned long long start = 0;
  size_t digits;

  /* "/proc/%d/stat" without snprintf (base/decimal.h): each create reads
     it.  */
  memcpy (path, "/proc/", 6);
  digits = decimal_format (path + 6, (uint64_t) (pid < 0 ? 0 : pid));
  memcpy (path + 6 + digits, "/stat", 6);
  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return 0;
  n = read (fd, buf, sizeof buf - 1);
  if (n <= 0)
    return 0;
  buf[n] = '\0';
  /* comm may hold spaces and parentheses: fields start after the last ')' */
  p = strrchr (buf, ')');
  if (p == NULL || p[1] != ' ')
    return 0;
  p += 2;
  if (state)
    *state = *p;
  /* p is at field 3; field 22 is 19 fields further */
  for (int field = 3; field < 22; field++)
    {
      p = strchr (p, ' ');
      if (p == NULL)
        return 0;
      p++;
    }
  {
    const char *q = p;
    uint64_t v;
    /* By hand (base/decimal.h): each create reads it.  */
    if (decimal_scan (&q, &v))
      start = v;
  }
  return start;
}

const char *
kernel_file_line (const char *path, char *buf, size_t len)
{
  cleanup_close int fd = open (path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW
                                         | O_CLOEXEC);
  ssize_t n = fd < 0 || len < 2 ? -1 : read (fd, buf, len - 1);

  if (n <= 0)
    return "unknown";
  buf[n] = '\0';
  buf[strcspn (buf, "\n")] = '\0';
  return buf;
}
