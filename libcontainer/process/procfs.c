#include "libcontainer/process/procfs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <limits.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "base/decimal.h"
#include "base/utils.h"

int
procfs_check_fd (int fd, const char *what, berth_error **err)
{
  struct statfs sfs;

  if (fstatfs (fd, &sfs) < 0)
    return berth_error_sys (err, "statfs %s", what);
  if (sfs.f_type != PROC_SUPER_MAGIC)
    return berth_error_set (err, 0, "%s is not on procfs (something is "
                                    "mounted over it)",
                            what);
  return 0;
}

int
procfs_open (int proc_fd, const char *rel, int flags, berth_error **err)
{
  struct open_how how = {
    .flags = (unsigned) flags | O_CLOEXEC | O_NOCTTY,
    .resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV,
  };
  cleanup_close int fd = -1;

  do
    fd = (int) syscall (SYS_openat2, proc_fd, rel, &how, sizeof how);
  while (fd < 0 && errno == EAGAIN);
  if (fd < 0)
    {
      if (errno == EXDEV)
        return berth_error_set (err, EXDEV,
                                "open /proc/%s: a mount is in the way, "
                                "refusing to write through it",
                                rel);
      return berth_error_sys (err, "open /proc/%s", rel);
    }
  /* No fstatfs of the result: RESOLVE_NO_XDEV kept the lookup on the
     mount of proc_fd, which procfs_open_root checked is procfs (every
     proc_fd comes from it), so the file is on that procfs too.  */
  return steal_fd (&fd);
}

int
procfs_write (int proc_fd, const char *rel, const char *value, size_t len,
              berth_error **err)
{
  cleanup_close int fd = procfs_open (proc_fd, rel, O_WRONLY, err);
  ssize_t n;

  if (fd < 0)
    return -1;
  do
    n = write (fd, value, len);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    return berth_error_sys (err, "write /proc/%s", rel);
  if ((size_t) n != len)
    return berth_error_set (err, EIO, "write /proc/%s: short write", rel);
  return 0;
}

int
procfs_open_root (berth_error **err)
{
  cleanup_close int fd
      = open ("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);

  if (fd < 0)
    return berth_error_sys (err, "open /proc");
  if (procfs_check_fd (fd, "/proc", err) < 0)
    return -1;
  return steal_fd (&fd);
}

/* The value of the line of status text that starts with `key` ("Uid:\t"),
   or NULL.  Line by line with strchr and strncmp, not strstr: this runs in
   every init and exec child, where glibc's strstr (its two-way search)
   was the largest string function left (perf record in the emulated v2
   guest, where a function's code costs its translation at each start).  */
static const char *
status_line (const char *text, const char *key)
{
  size_t klen = strlen (key);

  for (const char *line = text; *line != '\0';)
    {
      const char *nl = strchr (line, '\n');
      if (strncmp (line, key, klen) == 0)
        return line + klen;
      if (nl == NULL)
        break;
      line = nl + 1;
    }
  return NULL;
}

/* The hexadecimal mask of the line `key`: all of its digits, up to 16,
   then the line's end.  By hand, as status_ids' numbers.  */
static int
status_mask (const char *text, const char *key, uint64_t *out)
{
  const char *p = status_line (text, key);
  uint64_t v = 0;
  unsigned digits = 0;

  if (p == NULL)
    return -1;
  for (;; p++, digits++)
    {
      unsigned d;
      if (*p >= '0' && *p <= '9')
        d = (unsigned) (*p - '0');
      else if (*p >= 'a' && *p <= 'f')
        d = (unsigned) (*p - 'a' + 10);
      else if (*p >= 'A' && *p <= 'F')
        d = (unsigned) (*p - 'A' + 10);
      else
        break;
      if (digits == 16)
        return -1;
      v = v << 4 | d;
    }
  if (digits == 0 || (*p != '\n' && *p != '\0'))
    return -1;
  *out = v;
  return 0;
}

/* The effective and filesystem ids of the line `key` (real, effective,
   saved, filesystem).  */
static int
status_ids (const char *text, const char *key, unsigned int *eff,
            unsigned int *fs)
{
  const char *p = status_line (text, key);
  uint64_t real, e, saved, f;

  if (p == NULL)
    return -1;
  /* By hand, not with sscanf (base/decimal.h): this runs in the init.  */
  if (!decimal_scan (&p, &real) || !decimal_scan (&p, &e)
      || !decimal_scan (&p, &saved) || !decimal_scan (&p, &f)
      || e > UINT_MAX || f > UINT_MAX)
    return -1;
  *eff = (unsigned int) e;
  *fs = (unsigned int) f;
  return 0;
}

/* The line's octal umask, PROCFS_NO_UMASK without a valid one (the line
   came with Linux 4.7: optional).  */
static unsigned int
status_umask (const char *text)
{
  const char *p = status_line (text, "Umask:\t");
  unsigned int v = 0, digits = 0;

  if (p == NULL)
    return PROCFS_NO_UMASK;
  for (; *p >= '0' && *p <= '7' && digits < 5; p++, digits++)
    v = v << 3 | (unsigned) (*p - '0');
  if (digits == 0 || (*p != '\n' && *p != '\0') || v > 0777)
    return PROCFS_NO_UMASK;
  return v;
}

int
procfs_read_status (int proc_fd, procfs_status *st, berth_error **err)
{
  cleanup_close int fd = procfs_open (proc_fd, "thread-self/status",
                                      O_RDONLY, err);
  char buf[4096];
  size_t len = 0;
  ssize_t n;

  if (fd < 0)
    return -1;
  /* status is one seq_file record (under 2 KiB): the kernel makes it
     whole for the first read, and a read short of what it asked for
     has all of it (no second read for the 0 of EOF).  */
  while (len < sizeof buf - 1)
    {
      size_t want = sizeof buf - 1 - len;
      n = read (fd, buf + len, want);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return berth_error_sys (err, "read /proc/thread-self/status");
      if (n == 0)
        break;
      len += (size_t) n;
      if ((size_t) n < want)
        break;
    }
  buf[len] = '\0';
  return procfs_parse_status (buf, st, err);
}

int
procfs_parse_status (const char *text, procfs_status *st, berth_error **err)
{
  if (status_mask (text, "SigIgn:\t", &st->sig_ign) < 0
      || status_mask (text, "SigCgt:\t", &st->sig_cgt) < 0
      || status_mask (text, "CapBnd:\t", &st->cap_bnd) < 0
      || status_mask (text, "CapInh:\t", &st->cap_inh) < 0
      || status_mask (text, "CapPrm:\t", &st->cap_prm) < 0
      || status_ids (text, "Uid:\t", &st->euid, &st->fsuid) < 0
      || status_ids (text, "Gid:\t", &st->egid, &st->fsgid) < 0)
    return berth_error_set (err, EINVAL,
                            "/proc/thread-self/status: no SigIgn, SigCgt, "
                            "CapBnd, CapInh, CapPrm, Uid or Gid line");
  st->umask = status_umask (text);
  return 0;
}
