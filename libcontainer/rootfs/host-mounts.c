/* berth: recording and undoing the host-side mounts of a container without
 * a mount namespace of its own (host-mounts.h).  */
#include "libcontainer/rootfs/host-mounts.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "base/log.h"
#include "base/mountinfo.h"
#include "base/utils.h"

#define HOST_MOUNTS_FILE "host-mounts"

static bool
at_or_below (const char *path, const char *dir)
{
  size_t len = strlen (dir);

  while (len > 1 && dir[len - 1] == '/')
    len--;
  return strncmp (path, dir, len) == 0
         && (path[len] == '\0' || path[len] == '/');
}

static void
set_add (host_mount_set *s, uint64_t id, const char *path)
{
  s->ids = xrealloc (s->ids, (s->n + 1) * sizeof *s->ids);
  s->paths = xrealloc (s->paths, (s->n + 1) * sizeof *s->paths);
  s->ids[s->n] = id;
  s->paths[s->n] = xstrdup (path);
  s->n++;
}

static bool
set_has (const host_mount_set *s, uint64_t id)
{
  for (size_t i = 0; s && i < s->n; i++)
    if (s->ids[i] == id)
      return true;
  return false;
}

int
host_mounts_list (const char *const *dirs, size_t n_dirs,
                  host_mount_set *out, berth_error **err)
{
  cleanup_free char *text = NULL;
  char *save = NULL;

  memset (out, 0, sizeof *out);
  if (read_file_at (AT_FDCWD, "/proc/self/mountinfo", &text, NULL, err) < 0)
    return -1;
  for (char *line = strtok_r (text, "\n", &save); line;
       line = strtok_r (NULL, "\n", &save))
    {
      unsigned long long id;
      char point[4096];

      /* "ID PARENT MAJ:MIN ROOT MOUNTPOINT ..." */
      if (sscanf (line, "%llu %*u %*s %*s %4095s", &id, point) != 2)
        continue;
      mountinfo_unescape (point, point, strlen (point));
      for (size_t i = 0; i < n_dirs; i++)
        if (dirs[i] && at_or_below (point, dirs[i]))
          {
            set_add (out, (uint64_t) id, point);
            break;
          }
    }
  return 0;
}

void
host_mount_set_release (host_mount_set *s)
{
  for (size_t i = 0; i < s->n; i++)
    free (s->paths[i]);
  free (s->paths);
  free (s->ids);
  memset (s, 0, sizeof *s);
}

int
host_mounts_record (int dir_fd, const char *const *dirs, size_t n_dirs,
                    const host_mount_set *before, berth_error **err)
{
  host_mount_set now;
  cleanup_free char *buf = NULL;
  size_t len = 0;
  FILE *f;
  int ret;

  if (host_mounts_list (dirs, n_dirs, &now, err) < 0)
    return -1;
  f = open_memstream (&buf, &len);
  if (f == NULL)
    abort ();
  for (size_t i = 0; i < now.n; i++)
    if (!set_has (before, now.ids[i]))
      fprintf (f, "%" PRIu64 " %s\n", now.ids[i], now.paths[i]);
  fclose (f);
  host_mount_set_release (&now);
  ret = write_file_atomic_at (dir_fd, HOST_MOUNTS_FILE, buf, len, 0600, err);
  return ret < 0 ? berth_error_wrap (err, "record the container's mounts")
                 : 0;
}

/* Unmounts the entries of `want` (newest last) still mounted with the
   same id, newest first.  Detaching a mount takes the ones below it
   along: those are then gone, not errors.  */
static int
undo_set (const host_mount_set *want, berth_error **err)
{
  int ret = 0;

  for (size_t i = want->n; i-- > 0;)
    {
      const char *dir = want->paths[i];
      host_mount_set now;
      bool present = false;

      if (host_mounts_list (&dir, 1, &now, err) < 0)
        return -1;
      for (size_t k = 0; k < now.n; k++)
        present = present
                  || (now.ids[k] == want->ids[i]
                      && strcmp (now.paths[k], dir) == 0);
      host_mount_set_release (&now);
      if (!present)
        continue;
      if (umount2 (dir, MNT_DETACH | UMOUNT_NOFOLLOW) < 0 && errno != EINVAL
          && errno != ENOENT && ret == 0)
        ret = berth_error_sys (err, "unmount %s", dir);
    }
  return ret;
}

int
host_mounts_undo (int dir_fd, berth_error **err)
{
  cleanup_free char *text = NULL;
  host_mount_set want = { 0 };
  char *save = NULL;
  int ret;

  if (read_file_at (dir_fd, HOST_MOUNTS_FILE, &text, NULL, err) < 0)
    {
      if ((*err)->errnum != ENOENT)
        return -1;
      berth_error_clear (err);
      return 0;
    }
  for (char *line = strtok_r (text, "\n", &save); line;
       line = strtok_r (NULL, "\n", &save))
    {
      char *end;
      unsigned long long id = strtoull (line, &end, 10);
      if (end == line || *end != ' ' || end[1] != '/')
        continue;
      set_add (&want, (uint64_t) id, end + 1);
    }
  ret = undo_set (&want, err);
  host_mount_set_release (&want);
  return ret;
}

void
host_mounts_undo_new (const char *const *dirs, size_t n_dirs,
                      const host_mount_set *before)
{
  host_mount_set now, fresh = { 0 };
  berth_error *e = NULL;

  if (host_mounts_list (dirs, n_dirs, &now, &e) < 0)
    goto out;
  for (size_t i = 0; i < now.n; i++)
    if (!set_has (before, now.ids[i]))
      set_add (&fresh, now.ids[i], now.paths[i]);
  host_mount_set_release (&now);
  undo_set (&fresh, &e);
  host_mount_set_release (&fresh);
out:
  if (e)
    {
      berth_warn ("%s", e->msg);
      berth_error_free (e);
    }
}
