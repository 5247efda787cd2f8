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

/* What this process read first (cg_detect_hierarchies), for its later
   calls: one `run` needs the hierarchies to create the cgroups, in the
   init for its /sys/fs/cgroup, and to remove them; each read of
   /proc/self/mountinfo makes the kernel print every mount of the host
   (a tenth of a `run`'s kernel time here).  A process-wide memo: a
   berth process lives as long as one command.  */
static cg_hierarchy *memo;
static size_t n_memo;
static int memo_mode = -1;

static cg_hierarchy *
hierarchies_copy (const cg_hierarchy *h, size_t n)
{
  cg_hierarchy *c = xmalloc0 ((n + 1) * sizeof *c);

  for (size_t i = 0; i < n; i++)
    {
      c[i].controllers = xstrdup (h[i].controllers);
      c[i].mountpoint = xstrdup (h[i].mountpoint);
      c[i].mount_root = xstrdup (h[i].mount_root);
      c[i].own_path = xstrdup (h[i].own_path);
    }
  return c;
}

bool
cg_detect_hierarchies_memo (cgroup_mode mode, cg_hierarchy **out, size_t *n)
{
  if (memo_mode != (int) mode)
    return false;
  *out = hierarchies_copy (memo, n_memo);
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
      memo = hierarchies_copy (*out, *n);
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
