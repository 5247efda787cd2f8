/* berth: reading and writing cgroup files, walking and removing cgroup
 * trees, waiting on cgroup.events.  */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cgroups/detect.h"
#include "cgroups/internal.h"
#include "base/cleanup.h"
#include "base/utils.h"

int64_t
cg_now_ms (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
sleep_ms (long ms)
{
  struct timespec ts = { .tv_sec = ms / 1000,
                         .tv_nsec = (ms % 1000) * 1000000 };
  while (nanosleep (&ts, &ts) < 0 && errno == EINTR)
    ;
}

int
cg_open (const char *path, int flags)
{
  const char *rel;
  int dir = cg_root_at (path, &rel);

  return openat (dir, rel, flags | O_CLOEXEC);
}

int
cg_mkdir (const char *path)
{
  const char *rel;
  int dir = cg_root_at (path, &rel);

  return mkdirat (dir, rel, 0755);
}

int
cg_rmdir (const char *path)
{
  const char *rel;
  int dir = cg_root_at (path, &rel);

  return unlinkat (dir, rel, AT_REMOVEDIR);
}

bool
cg_path_exists (const char *path)
{
  const char *rel;
  int dir = cg_root_at (path, &rel);

  return faccessat (dir, rel, F_OK, AT_EACCESS) == 0;
}

static DIR *
cg_opendir (const char *path)
{
  int fd = cg_open (path, O_RDONLY | O_DIRECTORY);
  DIR *d;

  if (fd < 0)
    return NULL;
  d = fdopendir (fd);
  if (d == NULL)
    {
      int saved = errno;
      close (fd);
      errno = saved;
    }
  return d;
}

/* One write(2) of `value` to the open cgroup file `fd` (`path` for the
   message): the kernel parses each write as a whole value.  */
static int
write_value (int fd, const char *path, const char *value, berth_error **err)
{
  size_t len = strlen (value);

  for (;;)
    {
      ssize_t w = write (fd, value, len);
      if (w >= 0 || errno != EINTR)
        {
          if (w == (ssize_t) len)
            return 0;
          if (w >= 0)
            errno = EIO;
          break;
        }
    }
  /* Keep the message on one line.  */
  {
    int saved = errno;
    cleanup_free char *shown = xstrdup (value);
    size_t l = strlen (shown);
    while (l > 0 && shown[l - 1] == '\n')
      shown[--l] = '\0';
    for (char *p = shown; *p; p++)
      if (*p == '\n')
        *p = ' ';
    errno = saved;
    return berth_error_sys (err, "write %s \"%s\"", path, shown);
  }
}

int
cg_write (const char *dir, const char *file, const char *value,
          berth_error **err)
{
  cleanup_free char *path = xasprintf ("%s/%s", dir, file);
  cleanup_close int fd = cg_open (path, O_WRONLY);

  if (fd < 0)
    return berth_error_sys (err, "open %s", path);
  return write_value (fd, path, value, err);
}

int
cg_write_fd (int *fd, const char *dir, const char *file, const char *value,
             berth_error **err)
{
  cleanup_free char *path = xasprintf ("%s/%s", dir, file);

  if (*fd < 0)
    {
      *fd = cg_open (path, O_WRONLY);
      if (*fd < 0)
        return berth_error_sys (err, "open %s", path);
    }
  return write_value (*fd, path, value, err);
}

int
cg_writef (const char *dir, const char *file, berth_error **err,
           const char *fmt, ...)
{
  va_list ap;
  cleanup_free char *value = NULL;

  va_start (ap, fmt);
  value = xvasprintf (fmt, ap);
  va_end (ap);
  return cg_write (dir, file, value, err);
}


int
cg_read (const char *dir, const char *file, char **out, berth_error **err)
{
  cleanup_free char *path = xasprintf ("%s/%s", dir, file);
  cleanup_close int fd = cg_open (path, O_RDONLY);

  if (fd < 0)
    return berth_error_sys (err, "open %s", path);
  /* Every cgroup file is one seq_file record but cgroup.procs and tasks,
     whose records are short: no read() that returns 0.  */
  return read_fd_short (fd, path, READ_SHORT_SEQ_FILE, out, NULL, err);
}

int
cg_read_u64 (const char *dir, const char *file, uint64_t *out,
             berth_error **err)
{
  cleanup_free char *text = NULL;

  if (cg_read (dir, file, &text, err) < 0)
    return -1;
  if (cg_parse_u64_max (text, out) < 0)
    return berth_error_set (err, 0, "%s/%s: not a number: \"%.40s\"", dir,
                            file, text);
  return 0;
}

bool
cg_exists (const char *dir, const char *file)
{
  cleanup_free char *path = xasprintf ("%s/%s", dir, file);
  return cg_path_exists (path);
}

int
cg_mkdir_p (const char *dir, bool *created, berth_error **err)
{
  if (created)
    *created = false;
  if (cg_mkdir (dir) == 0)
    {
      if (created)
        *created = true;
      return 0;
    }
  if (errno == EEXIST)
    return 0;
  if (errno == ENOENT)
    {
      cleanup_free char *parent = xstrdup (dir);
      char *slash = strrchr (parent, '/');
      if (slash && slash != parent)
        {
          *slash = '\0';
          if (cg_mkdir_p (parent, NULL, err) < 0)
            return -1;
          if (cg_mkdir (dir) == 0)
            {
              if (created)
                *created = true;
              return 0;
            }
          if (errno == EEXIST)
            return 0;
        }
    }
  return berth_error_sys (err, "mkdir %s", dir);
}

static int
parse_pids (const char *text, const char *path, pid_t **pids, size_t *n,
            berth_error **err)
{
  const char *p = text;
  while (*p)
    {
      char *end;
      long v;
      while (*p == '\n' || *p == ' ')
        p++;
      if (*p == '\0')
        break;
      errno = 0;
      v = strtol (p, &end, 10);
      if (errno || end == p || v <= 0)
        return berth_error_set (err, 0, "%s: not a pid list", path);
      *pids = xrealloc (*pids, (*n + 1) * sizeof **pids);
      (*pids)[(*n)++] = (pid_t) v;
      p = end;
    }
  return 0;
}

int
cg_procs_recursive (const char *dir, pid_t **pids, size_t *n,
                    berth_error **err)
{
  cleanup_free char *text = NULL;
  cleanup_free char *path = xasprintf ("%s/cgroup.procs", dir);
  cleanup_dir DIR *d = NULL;
  struct dirent *e;

  if (cg_read (dir, "cgroup.procs", &text, err) < 0)
    return -1;
  if (parse_pids (text, path, pids, n, err) < 0)
    return -1;
  d = cg_opendir (dir);
  if (d == NULL)
    return berth_error_sys (err, "open %s", dir);
  while ((errno = 0, e = readdir (d)))
    {
      cleanup_free char *sub = NULL;
      if (e->d_type != DT_DIR || strcmp (e->d_name, ".") == 0
          || strcmp (e->d_name, "..") == 0)
        continue;
      sub = xasprintf ("%s/%s", dir, e->d_name);
      if (cg_procs_recursive (sub, pids, n, err) < 0)
        {
          /* A child cgroup removed under us is not an error.  */
          if (*err && (*err)->errnum == ENOENT)
            {
              berth_error_clear (err);
              continue;
            }
          return -1;
        }
    }
  if (errno)
    return berth_error_sys (err, "read %s", dir);
  return 0;
}

int
cg_procs_empty (const char *dir, bool *empty, berth_error **err)
{
  cleanup_free char *text = NULL;
  if (cg_read (dir, "cgroup.procs", &text, err) < 0)
    return -1;
  *empty = text[strspn (text, " \n")] == '\0';
  return 0;
}

int
cg_signal_procs (const char *dir, int signum, berth_error **err)
{
  cleanup_free pid_t *pids = NULL;
  size_t n = 0;

  if (cg_procs_recursive (dir, &pids, &n, err) < 0)
    return -1;
  for (size_t i = 0; i < n; i++)
    if (kill (pids[i], signum) < 0 && errno != ESRCH)
      return berth_error_sys (err, "kill %d (cgroup %s)", (int) pids[i], dir);
  return 0;
}

static int
rmdir_tree (const char *dir, int64_t deadline, berth_error **err)
{
  cleanup_dir DIR *d = cg_opendir (dir);
  struct dirent *e;
  long pause = 1;

  if (d == NULL)
    {
      if (errno == ENOENT)
        return 0;
      return berth_error_sys (err, "open %s", dir);
    }
  while ((errno = 0, e = readdir (d)))
    {
      cleanup_free char *sub = NULL;
      if (e->d_type != DT_DIR || strcmp (e->d_name, ".") == 0
          || strcmp (e->d_name, "..") == 0)
        continue;
      sub = xasprintf ("%s/%s", dir, e->d_name);
      if (rmdir_tree (sub, deadline, err) < 0)
        return -1;
    }
  for (;;)
    {
      if (cg_rmdir (dir) == 0 || errno == ENOENT)
        return 0;
      if (errno != EBUSY || cg_now_ms () >= deadline)
        return berth_error_sys (err, "rmdir %s", dir);
      sleep_ms (pause);
      if (pause < 32)
        pause *= 2;
    }
}

int
cg_rmdir_tree (const char *dir, berth_error **err)
{
  return rmdir_tree (dir, cg_now_ms () + CG_WAIT_MS, err);
}

/* After `run`'s init has exited in its own pid namespace, or a `delete`
   of a stopped container, every directory is empty: one rmdir each is
   the whole removal, where listing cgroup.procs and reading each
   directory first cost about 15 syscalls per hierarchy.  */
bool
cg_rmdir_all_empty (const cg_manager *m)
{
  bool all = true;

  for (size_t i = 0; i < m->n_dirs; i++)
    if (cg_rmdir (m->dirs[i].dir) < 0 && errno != ENOENT)
      all = false;
  return all;
}

int
cg_watch_file (const cg_dir *d, const char *file, berth_error **err)
{
  cleanup_free char *path = xasprintf ("%s/%s", d->dir, file);
  cleanup_close int fd = inotify_init1 (IN_CLOEXEC | IN_NONBLOCK);

  if (fd < 0)
    return berth_error_sys (err, "inotify");
  /* kernfs reports a change of a cgroup's event files as IN_MODIFY.  */
  if (inotify_add_watch (fd, path, IN_MODIFY) < 0)
    return berth_error_sys (err, "cgroup %s: watch %s", d->path, file);
  return steal_fd (&fd);
}

int
cg_wait_event (const char *dir, const char *file, const char *key,
               uint64_t want, int timeout_ms, berth_error **err)
{
  cleanup_free char *path = xasprintf ("%s/%s", dir, file);
  cleanup_close int fd = cg_open (path, O_RDONLY);
  int64_t deadline = cg_now_ms () + timeout_ms;

  if (fd < 0)
    return berth_error_sys (err, "open %s", path);
  for (;;)
    {
      char buf[4096];
      ssize_t r = pread (fd, buf, sizeof buf - 1, 0);
      uint64_t v;
      int64_t left;
      struct pollfd pfd = { .fd = fd, .events = POLLPRI };

      if (r < 0)
        {
          if (errno == EINTR)
            continue;
          if (errno == ENODEV || errno == ENOENT)
            {
              /* The cgroup went away: it is certainly empty, and a
                 cgroup that is gone is not frozen.  */
              if (strcmp (key, "populated") == 0 && want == 0)
                return 0;
            }
          return berth_error_sys (err, "read %s", path);
        }
      buf[r] = '\0';
      if (!cg_kv_get (buf, key, &v))
        return berth_error_set (err, 0, "%s: no \"%s\" key", path, key);
      if (v == want)
        return 0;
      left = deadline - cg_now_ms ();
      if (left <= 0)
        return berth_error_set (err, ETIMEDOUT,
                                "%s: \"%s\" still not %llu after %d ms",
                                path, key, (unsigned long long) want,
                                timeout_ms);
      /* Reading the file re-armed it: a change since then wakes us.  */
      if (poll (&pfd, 1, (int) left) < 0 && errno != EINTR)
        return berth_error_sys (err, "poll %s", path);
    }
}
