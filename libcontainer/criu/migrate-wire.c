/* berth migrate --to: the wire between source and target
 * (libcontainer/criu/migrate-wire.h).  */
#include "libcontainer/criu/migrate-wire.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "base/log.h"
#include "base/utils.h"

#define CHUNK (256 * 1024)

static int
wire_write (migrate_wire *w, const void *buf, size_t n, berth_error **err)
{
  if (write_all (w->out, buf, n) < 0)
    return berth_error_sys (err, "migrate: sending to the target");
  w->sent += n;
  return 0;
}

int
wire_send_line (migrate_wire *w, berth_error **err, const char *fmt, ...)
{
  char buf[MIGRATE_WIRE_LINE_MAX];
  va_list ap;
  int n;

  va_start (ap, fmt);
  n = vsnprintf (buf, sizeof buf - 1, fmt, ap);
  va_end (ap);
  if (n < 0 || (size_t) n >= sizeof buf - 1)
    return berth_error_set (err, EOVERFLOW, "migrate: a line too long");
  buf[n++] = '\n';
  return wire_write (w, buf, (size_t) n, err);
}

/* A byte at a time: lines are few, and nothing past the \n may be taken
   from the file bytes that follow.  */
int
wire_read_line (migrate_wire *w, char *buf, size_t size, berth_error **err)
{
  size_t n = 0;

  for (;;)
    {
      char c;
      ssize_t r = TEMP_FAILURE_RETRY (read (w->in, &c, 1));
      if (r < 0)
        return berth_error_sys (err, "migrate: reading the far side");
      if (r == 0)
        return berth_error_set (err, ECONNRESET,
                                "migrate: the connection closed");
      w->received++;
      if (c == '\n')
        break;
      if (n + 1 >= size)
        return berth_error_set (err, EOVERFLOW, "migrate: a line too long");
      buf[n++] = c;
    }
  buf[n] = '\0';
  return 0;
}

bool
wire_dir_name_ok (const char *name)
{
  char *end;
  long n;

  if (strcmp (name, "final") == 0)
    return true;
  if (strncmp (name, "pre-", 4) != 0 || name[4] < '1' || name[4] > '9')
    return false;
  errno = 0;
  n = strtol (name + 4, &end, 10);
  return errno == 0 && *end == '\0' && n >= 1 && n <= 64;
}

bool
wire_file_name_ok (const char *name)
{
  size_t n = strlen (name);
  return n > 0 && n < 256 && strchr (name, '/') == NULL
         && strcmp (name, ".") != 0 && strcmp (name, "..") != 0;
}

static int
send_file (migrate_wire *w, int dir_fd, const char *dir_name,
           const char *name, unsigned long long *bytes, berth_error **err)
{
  cleanup_close int fd = openat (dir_fd, name,
                                 O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  cleanup_free char *buf = NULL;
  struct stat st;
  off_t left;

  if (fd < 0 || fstat (fd, &st) < 0)
    return berth_error_sys (err, "migrate: %s/%s", dir_name, name);
  if (wire_send_line (w, err, "file %s/%s %lld", dir_name, name,
                      (long long) st.st_size)
      < 0)
    return -1;
  buf = xmalloc0 (CHUNK);
  for (left = st.st_size; left > 0;)
    {
      ssize_t r = TEMP_FAILURE_RETRY (
          read (fd, buf, left < CHUNK ? (size_t) left : CHUNK));
      if (r < 0)
        return berth_error_sys (err, "migrate: reading %s/%s", dir_name,
                                name);
      if (r == 0)
        return berth_error_set (err, EIO, "migrate: %s/%s shrank while "
                                          "sent",
                                dir_name, name);
      if (wire_write (w, buf, (size_t) r, err) < 0)
        return -1;
      left -= r;
    }
  *bytes += (unsigned long long) st.st_size;
  return 0;
}

int
wire_send_dir (migrate_wire *w, const char *dir, const char *dir_name,
               unsigned long long *bytes, berth_error **err)
{
  cleanup_dir DIR *d = opendir (dir);
  struct dirent *e;

  *bytes = 0;
  if (d == NULL)
    return berth_error_sys (err, "migrate: %s", dir);
  while ((errno = 0, e = readdir (d)))
    {
      struct stat st;
      size_t n = strlen (e->d_name);

      if (!wire_file_name_ok (e->d_name))
        continue;
      if (fstatat (dirfd (d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
        return berth_error_sys (err, "migrate: %s/%s", dir, e->d_name);
      /* CRIU's logs stay here: the target writes its own.  */
      if (n > 4 && strcmp (e->d_name + n - 4, ".log") == 0)
        continue;
      if (S_ISLNK (st.st_mode))
        {
          char target[256];
          ssize_t len = readlinkat (dirfd (d), e->d_name, target,
                                    sizeof target - 1);
          if (len < 0)
            return berth_error_sys (err, "migrate: %s/%s", dir, e->d_name);
          target[len] = '\0';
          if (wire_send_line (w, err, "link %s/%s %s", dir_name, e->d_name,
                              target)
              < 0)
            return -1;
        }
      else if (S_ISREG (st.st_mode))
        {
          if (send_file (w, dirfd (d), dir_name, e->d_name, bytes, err) < 0)
            return -1;
        }
    }
  if (errno != 0)
    return berth_error_sys (err, "migrate: reading %s", dir);
  return 0;
}

/* "DIR/NAME" into its two checked parts (in place).  */
static int
split_entry (char *path, char **dir, char **name, berth_error **err)
{
  char *slash = strchr (path, '/');

  if (slash == NULL)
    return berth_error_set (err, EINVAL, "migrate: bad entry \"%s\"", path);
  *slash = '\0';
  *dir = path;
  *name = slash + 1;
  if (!wire_dir_name_ok (*dir) || !wire_file_name_ok (*name))
    return berth_error_set (err, EINVAL, "migrate: bad entry \"%s/%s\"",
                            *dir, *name);
  return 0;
}

static int
open_image_dir (int images_fd, const char *dir, berth_error **err)
{
  int fd;

  if (mkdirat (images_fd, dir, 0700) < 0 && errno != EEXIST)
    return berth_error_sys (err, "migrate: mkdir %s", dir);
  fd = openat (images_fd, dir,
               O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    return berth_error_sys (err, "migrate: open %s", dir);
  return fd;
}

static int
receive_file (migrate_wire *w, int images_fd, char *rest, berth_error **err)
{
  cleanup_close int dir_fd = -1;
  cleanup_close int fd = -1;
  cleanup_free char *buf = NULL;
  char *sp = strrchr (rest, ' '), *dir, *name, *end;
  long long size;

  if (sp == NULL)
    return berth_error_set (err, EINVAL, "migrate: bad file line");
  *sp = '\0';
  errno = 0;
  size = strtoll (sp + 1, &end, 10);
  if (errno != 0 || *end != '\0' || size < 0)
    return berth_error_set (err, EINVAL, "migrate: bad file size");
  if (split_entry (rest, &dir, &name, err) < 0)
    return -1;
  dir_fd = open_image_dir (images_fd, dir, err);
  if (dir_fd < 0)
    return -1;
  fd = openat (dir_fd, name,
               O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0)
    return berth_error_sys (err, "migrate: create %s/%s", dir, name);
  buf = xmalloc0 (CHUNK);
  while (size > 0)
    {
      ssize_t r = TEMP_FAILURE_RETRY (
          read (w->in, buf, size < CHUNK ? (size_t) size : CHUNK));
      if (r < 0)
        return berth_error_sys (err, "migrate: receiving %s/%s", dir, name);
      if (r == 0)
        return berth_error_set (err, ECONNRESET, "migrate: the connection "
                                                 "closed in %s/%s",
                                dir, name);
      w->received += (unsigned long long) r;
      if (write_all (fd, buf, (size_t) r) < 0)
        return berth_error_sys (err, "migrate: writing %s/%s", dir, name);
      size -= r;
    }
  return 0;
}

static int
receive_link (int images_fd, char *rest, berth_error **err)
{
  cleanup_close int dir_fd = -1;
  char *sp = strchr (rest, ' '), *dir, *name;
  const char *target;

  if (sp == NULL)
    return berth_error_set (err, EINVAL, "migrate: bad link line");
  *sp = '\0';
  target = sp + 1;
  if (split_entry (rest, &dir, &name, err) < 0)
    return -1;
  /* Only a pre-dump's parent, beside it.  */
  if (strncmp (target, "../", 3) != 0 || !wire_dir_name_ok (target + 3)
      || strcmp (target + 3, "final") == 0)
    return berth_error_set (err, EINVAL, "migrate: bad link target \"%s\"",
                            target);
  dir_fd = open_image_dir (images_fd, dir, err);
  if (dir_fd < 0)
    return -1;
  if (symlinkat (target, dir_fd, name) < 0)
    return berth_error_sys (err, "migrate: link %s/%s", dir, name);
  return 0;
}

int
wire_receive_entry (migrate_wire *w, int images_fd, const char *line,
                    berth_error **err)
{
  cleanup_free char *copy = xstrdup (line);

  if (strncmp (copy, "file ", 5) == 0)
    return receive_file (w, images_fd, copy + 5, err);
  if (strncmp (copy, "link ", 5) == 0)
    return receive_link (images_fd, copy + 5, err);
  return berth_error_set (err, EINVAL, "migrate: unexpected \"%.40s\"",
                          line);
}

/* The images dir we made: its files and links, its round dirs (pre-N,
   final: files and links only), itself.  */
void
wire_remove_images (const char *dir)
{
  berth_error *e = NULL;

  if (remove_tree_at (AT_FDCWD, dir, &e) < 0)
    {
      berth_warn ("migrate: removing the images in %s: %s", dir, e->msg);
      berth_error_free (e);
    }
}
