/* berth: masked directories as CRIU external mounts
 * (libcontainer/criu/criu-masks.h).  */
#include "libcontainer/criu/criu-masks.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "base/log.h"
#include "base/utils.h"

/* Whether `opts` (comma-separated) has `opt`.  */
static bool
has_option (const char *opts, const char *opt)
{
  size_t n = strlen (opt);

  for (const char *p = opts; p && *p; p = strchr (p, ','), p = p ? p + 1 : p)
    if (strncmp (p, opt, n) == 0 && (p[n] == ',' || p[n] == '\0'))
      return true;
  return false;
}

/* The container's mount at `path` (its mountinfo, as its root sees it)
   is a tmpfs with a read-only superblock.  */
static bool
mounted_ro_tmpfs (pid_t pid, const char *path)
{
  char name[64];
  cleanup_file FILE *f = NULL;
  cleanup_free char *line = NULL;
  size_t cap = 0;
  bool found = false;

  snprintf (name, sizeof name, "/proc/%d/mountinfo", (int) pid);
  f = fopen (name, "re");
  if (f == NULL)
    return false;
  /* "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS [TAGS...] - FSTYPE SOURCE
     SUPER": the last mount at the path is the one seen there.  */
  while (getline (&line, &cap, f) > 0)
    {
      char mp[4096], fstype[64], super[1024];
      char *dash = strstr (line, " - ");
      if (dash == NULL
          || sscanf (line, "%*s %*s %*s %*s %4095s", mp) != 1
          || sscanf (dash + 3, "%63s %*s %1023s", fstype, super) != 2)
        continue;
      if (strcmp (mp, path) == 0)
        found = strcmp (fstype, "tmpfs") == 0 && has_option (super, "ro");
    }
  return found;
}

static bool
empty_dir (pid_t pid, const char *path)
{
  cleanup_free char *full = xasprintf ("/proc/%d/root%s", (int) pid, path);
  DIR *d = opendir (full);
  struct dirent *e;
  bool empty = true;

  if (d == NULL)
    return false;
  while (empty && (e = readdir (d)))
    empty = strcmp (e->d_name, ".") == 0 || strcmp (e->d_name, "..") == 0;
  closedir (d);
  return empty;
}

int
criu_masks_dump (criu_opts *copts, int image_fd, const oci_config *config,
                 pid_t pid, berth_error **err)
{
  const oci_linux *lx = config->linux_;
  cleanup_free char *list = xstrdup ("");

  for (size_t i = 0; lx && i < lx->n_masked_paths; i++)
    {
      const char *p = lx->masked_paths[i];
      char *more;
      int r;

      /* A path with a newline could not be listed; none is masked so.  */
      if (p[0] != '/' || strchr (p, '\n') || !mounted_ro_tmpfs (pid, p)
          || !empty_dir (pid, p))
        continue;
      r = criu_local_add_ext_mount (copts, p, p);
      if (r < 0)
        return berth_error_set (err, -r, "libcriu: external mount %s", p);
      more = xasprintf ("%s%s\n", list, p);
      free (list);
      list = more;
    }
  if (*list == '\0')
    return 0;
  return write_file_atomic_at (image_fd, CRIU_MASKS_EXTERNAL, list,
                               strlen (list), 0600, err);
}

int
criu_masks_restore (criu_opts *copts, int image_fd, const char *dir,
                    bool *mounted, berth_error **err)
{
  cleanup_free char *text = NULL;
  berth_error *none = NULL;
  char *save = NULL;
  size_t len;

  *mounted = false;
  if (read_file_at_max (image_fd, CRIU_MASKS_EXTERNAL, 65536, &text, &len,
                        &none)
      < 0)
    {
      berth_error_free (none);
      return 0;
    }
  if (mkdir (dir, 0700) < 0 && errno != EEXIST)
    return berth_error_sys (err, "mkdir %s", dir);
  if (mount ("tmpfs", dir, "tmpfs",
             MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL)
      < 0)
    {
      rmdir (dir);
      return berth_error_sys (err, "mount the masking tmpfs at %s", dir);
    }
  *mounted = true;
  for (char *p = strtok_r (text, "\n", &save); p;
       p = strtok_r (NULL, "\n", &save))
    {
      int r = criu_local_add_ext_mount (copts, p, dir);
      if (r < 0)
        return berth_error_set (err, -r, "libcriu: external mount %s", p);
    }
  return 0;
}

void
criu_masks_undo (const char *dir, bool *mounted)
{
  if (!*mounted)
    return;
  /* CRIU bound it into the container's own mount namespace: this mount
     is only ours.  */
  if (umount2 (dir, MNT_DETACH) < 0)
    berth_warn ("umount %s: %s", dir, strerror (errno));
  rmdir (dir);
  *mounted = false;
}
