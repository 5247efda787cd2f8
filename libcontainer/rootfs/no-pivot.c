/* berth: hiding the host's procfs and sysfs from a --no-pivot container.  */
#include "libcontainer/rootfs/no-pivot.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include "base/cleanup.h"
#include "base/log.h"
#include "base/mountinfo.h"
#include "base/utils.h"

static bool
is_under (const char *path, const char *root)
{
  size_t n = strlen (root);

  while (n > 1 && root[n - 1] == '/')
    n--;
  return strncmp (path, root, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/* The mount point of a whole procfs or sysfs outside `root` on this
   mountinfo line, or NULL.  The line is changed in place.  */
static char *
host_fs_mount_point (char *line, const char *root)
{
  char *fields[5], *save = NULL, *sep, *type;
  char *p = line;

  for (int i = 0; i < 5; i++)
    {
      fields[i] = strtok_r (p, " ", &save);
      p = NULL;
      if (fields[i] == NULL)
        return NULL;
    }
  /* Optional fields, then " - TYPE SOURCE OPTIONS".  */
  while ((sep = strtok_r (NULL, " ", &save)) && strcmp (sep, "-") != 0)
    ;
  type = sep ? strtok_r (NULL, " ", &save) : NULL;
  if (type == NULL || (strcmp (type, "proc") != 0 && strcmp (type, "sysfs")
                                                        != 0))
    return NULL;
  /* A bind of part of one (the container's read-only /proc/sys...) is no
     whole filesystem.  */
  if (strcmp (fields[3], "/") != 0)
    return NULL;
  mountinfo_unescape (fields[4], fields[4], strlen (fields[4]));
  if (is_under (fields[4], root))
    return NULL;
  return fields[4];
}

static int
hide (const char *mp, berth_error **err)
{
  /* Nothing of this may reach the host through a shared peer.  */
  if (mount (NULL, mp, NULL, MS_SLAVE | MS_REC, NULL) < 0)
    {
      /* Gone with a parent detached before it.  */
      if (errno == ENOENT || errno == EINVAL)
        return 0;
      return berth_error_sys (err, "--no-pivot: make %s a slave", mp);
    }
  if (umount2 (mp, MNT_DETACH) == 0)
    return 0;
  if (errno != EINVAL && errno != EPERM)
    return berth_error_sys (err, "--no-pivot: detach %s", mp);
  /* Locked in a user namespace: covered instead.  */
  berth_debug ("--no-pivot: cannot detach %s, covering it", mp);
  if (mount ("tmpfs", mp, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV
                                       | MS_NOEXEC, "size=0")
      < 0)
    return berth_error_sys (err, "--no-pivot: cover %s", mp);
  return 0;
}

int
no_pivot_hide_host_fs (const char *root, int proc_fd, berth_error **err)
{
  cleanup_file FILE *f = NULL;
  cleanup_free char *line = NULL;
  size_t cap = 0;
  char **found = NULL;
  size_t n = 0;
  int fd, ret = 0;

  fd = openat (proc_fd, "thread-self/mountinfo", O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return berth_error_sys (err, "--no-pivot: open mountinfo");
  f = fdopen (fd, "re");
  if (f == NULL)
    {
      close (fd);
      return berth_error_sys (err, "--no-pivot: fdopen mountinfo");
    }
  /* Collected first: detaching changes the table being read.  */
  while (getline (&line, &cap, f) > 0)
    {
      char *mp;
      line[strcspn (line, "\n")] = '\0';
      mp = host_fs_mount_point (line, root);
      if (mp == NULL)
        continue;
      found = xrealloc (found, (n + 1) * sizeof *found);
      found[n++] = xstrdup (mp);
    }
  for (size_t i = 0; i < n && ret == 0; i++)
    ret = hide (found[i], err);
  for (size_t i = 0; i < n; i++)
    free (found[i]);
  free (found);
  return ret;
}
