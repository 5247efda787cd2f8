/* berth: cgroup mode detection and hierarchy discovery.  */
#include "cgroups/detect.h"

#include <fcntl.h>
#include <sys/statfs.h>
#include <sys/vfs.h>

#include <linux/magic.h>

#include "base/cleanup.h"
#include "base/utils.h"

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif

static bool
is_cgroup2 (const char *path)
{
  struct statfs st;
  return statfs (path, &st) == 0 && st.f_type == CGROUP2_SUPER_MAGIC;
}

cgroup_mode
cgroup_detect_mode (void)
{
  static int cached = -1;

  if (cached < 0)
    {
      if (is_cgroup2 ("/sys/fs/cgroup"))
        cached = CGROUP_MODE_UNIFIED;
      else if (is_cgroup2 ("/sys/fs/cgroup/unified"))
        cached = CGROUP_MODE_HYBRID;
      else
        cached = CGROUP_MODE_LEGACY;
    }
  return (cgroup_mode) cached;
}

int
cg_detect_hierarchies (cgroup_mode mode, cg_hierarchy **out, size_t *n,
                       berth_error **err)
{
  cleanup_free char *mountinfo = NULL;
  cleanup_free char *self = NULL;

  if (read_file_at (AT_FDCWD, "/proc/self/mountinfo", &mountinfo, NULL, err)
          < 0
      || read_file_at (AT_FDCWD, "/proc/self/cgroup", &self, NULL, err) < 0)
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
  return 0;
}

int
cg_detect_own_v2 (char **out, berth_error **err)
{
  cleanup_free char *self = NULL;

  if (read_file_at (AT_FDCWD, "/proc/self/cgroup", &self, NULL, err) < 0)
    return -1;
  return cg_proc_cgroup_v2_path (self, out, err);
}
