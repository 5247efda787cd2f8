/* berth: cgroup mode detection and hierarchy discovery.  */
#include "cgroups/detect.h"

#include <fcntl.h>
#include <string.h>
#include <sys/statfs.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <linux/magic.h>

#include "base/cleanup.h"
#include "base/utils.h"

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif

#define CG_ROOT "/sys/fs/cgroup"

/* /sys/fs/cgroup, opened once per process (cg_root_at); -1 when not yet
   opened, or when it could not be (root_tried: paths then go by name).  */
static int root_fd = -1;
static bool root_tried;

static int
root_open (void)
{
  if (root_fd < 0 && !root_tried)
    {
      root_tried = true;
      root_fd = open (CG_ROOT, O_PATH | O_DIRECTORY | O_CLOEXEC);
    }
  return root_fd;
}

int
cg_root_at (const char *path, const char **rel)
{
  size_t n = sizeof CG_ROOT - 1;

  *rel = path;
  if (strncmp (path, CG_ROOT, n) != 0 || (path[n] != '/' && path[n] != '\0')
      || root_open () < 0)
    return AT_FDCWD;
  path += n;
  while (*path == '/')
    path++;
  *rel = *path ? path : ".";
  return root_fd;
}

void
cg_root_release (void)
{
  if (root_fd >= 0)
    close (root_fd);
  root_fd = -1;
  root_tried = false;
}

/* Whether the mount at `path` is cgroup2: a name below /sys/fs/cgroup is
   opened from the root's fd, not walked again through sysfs.  */
static bool
is_cgroup2 (const char *path)
{
  const char *rel;
  int dir = cg_root_at (path, &rel);
  cleanup_close int fd = -1;
  struct statfs st;

  if (dir == AT_FDCWD)
    return statfs (path, &st) == 0 && st.f_type == CGROUP2_SUPER_MAGIC;
  if (strcmp (rel, ".") != 0)
    {
      fd = openat (dir, rel, O_PATH | O_DIRECTORY | O_CLOEXEC);
      if (fd < 0)
        return false;
      dir = fd;
    }
  return fstatfs (dir, &st) == 0 && st.f_type == CGROUP2_SUPER_MAGIC;
}

cgroup_mode
cgroup_detect_mode (void)
{
  static int cached = -1;

  if (cached < 0)
    {
      if (is_cgroup2 (CG_ROOT))
        cached = CGROUP_MODE_UNIFIED;
      else if (is_cgroup2 (CG_ROOT "/unified"))
        cached = CGROUP_MODE_HYBRID;
      else
        cached = CGROUP_MODE_LEGACY;
    }
  return (cgroup_mode) cached;
}

/* What this process read first (cg_detect_hierarchies), for its later
   calls: one `run` needs the hierarchies to create the cgroups, in the
   init for its /sys/fs/cgroup, and to remove them; each read of
   /proc/self/mountinfo makes the kernel print every mount of the host
   (a tenth of a `run`'s kernel time here).  A process-wide memo: a
   berth process lives as long as one command.  */
static cg_hierarchy *memo;
static size_t n_memo;
static int memo_mode = -1;

bool
cg_detect_hierarchies_memo (cgroup_mode mode, cg_hierarchy **out, size_t *n)
{
  if (memo_mode != (int) mode)
    return false;
  *out = cg_hierarchies_copy (memo, n_memo);
  *n = n_memo;
  return true;
}

int
cg_detect_hierarchies (cgroup_mode mode, cg_hierarchy **out, size_t *n,
                       berth_error **err)
{
  cleanup_free char *mountinfo = NULL;
  cleanup_free char *self = NULL;

  if (cg_detect_hierarchies_memo (mode, out, n))
    return 0;
  if (read_file_at (AT_FDCWD, "/proc/self/mountinfo", &mountinfo, NULL, err)
          < 0
      || read_file_at_short (AT_FDCWD, "/proc/self/cgroup",
                             READ_SHORT_SEQ_FILE, &self, NULL, err)
             < 0)
    return -1;
  if (cg_hierarchies_parse (mountinfo, self, mode == CGROUP_MODE_HYBRID, out,
                            n, err)
      < 0)
    return -1;
  if (*n == 0 || (mode == CGROUP_MODE_HYBRID && *n == 1))
    {
      cg_hierarchies_free (*out, *n);
      *out = NULL;
      *n = 0;
      return berth_error_set (err, 0,
                              "no cgroup v1 hierarchy is mounted (see "
                              "/proc/self/mountinfo)");
    }
  if (memo_mode < 0)
    {
      memo = cg_hierarchies_copy (*out, *n);
      n_memo = *n;
      memo_mode = (int) mode;
    }
  return 0;
}

int
cg_detect_own_v2 (char **out, berth_error **err)
{
  cleanup_free char *self = NULL;

  if (read_file_at_short (AT_FDCWD, "/proc/self/cgroup", READ_SHORT_SEQ_FILE,
                          &self, NULL, err)
      < 0)
    return -1;
  return cg_proc_cgroup_v2_path (self, out, err);
}
