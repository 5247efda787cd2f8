/* berth: the memory files of a container's cgroup v2 directory that a
 * balloon reads and writes (balloon.h).  No policy here.  */
#include "cgroups/balloon.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "base/utils.h"
#include "cgroups/internal.h"
#include "cgroups/systemd.h"

struct cg_balloon
{
  char *dir; /* /sys/fs/cgroup/<path> */
};

static const char *
mode_name (cgroup_mode mode)
{
  return mode == CGROUP_MODE_HYBRID ? "hybrid (v1 controllers, a cgroup2 "
                                      "mount without the memory controller)"
                                    : "v1";
}

int
cg_balloon_open (cgroup_manager *m, cg_balloon **out, berth_error **err)
{
  const cg_dir *d;
  cg_balloon *b;

  *out = NULL;
  if (m == NULL || cgroup_state_is_none (m->state))
    return berth_error_set (err, 0, "balloon: the container has no cgroup");
  if (cg_systemd_state (m->state))
    m = cg_systemd_files (m);
  if (m->mode != CGROUP_MODE_UNIFIED)
    return berth_error_set (err, 0,
                            "balloon: needs cgroup v2: memory.reclaim, "
                            "memory.pressure and memory.high exist only in "
                            "a cgroup v2 memory controller, and this host's "
                            "cgroups are %s",
                            mode_name (m->mode));
  d = &((const cg_manager *) m)->dirs[0];
  if (!cg_exists (d->dir, "memory.current"))
    return berth_error_set (err, 0,
                            "balloon: %s has no memory controller (no "
                            "memory.current): \"+memory\" is not in its "
                            "parent's cgroup.subtree_control",
                            d->dir);
  if (!cg_exists (d->dir, "memory.reclaim"))
    return berth_error_set (err, 0,
                            "balloon: %s has no memory.reclaim: the kernel "
                            "is older than Linux 5.19",
                            d->dir);
  if (!cg_exists (d->dir, "memory.pressure"))
    return berth_error_set (err, 0,
                            "balloon: %s has no memory.pressure: pressure "
                            "stall information is off (a kernel with "
                            "CONFIG_PSI, booted with psi=1)",
                            d->dir);
  b = xmalloc0 (sizeof *b);
  b->dir = xstrdup (d->dir);
  *out = b;
  return 0;
}

const char *
cg_balloon_dir (const cg_balloon *b)
{
  return b->dir;
}

/* memory.events' oom_kill.  */
static int
read_oom_kill (const char *dir, uint64_t *out, berth_error **err)
{
  cleanup_free char *text = NULL;

  *out = 0;
  if (cg_read (dir, "memory.events", &text, err) < 0)
    return -1;
  /* Absent before Linux 4.13: no OOM kill counted, 0.  */
  if (!cg_kv_get (text, "oom_kill", out))
    *out = 0;
  return 0;
}

int
cg_balloon_sample_read (cg_balloon *b, cg_balloon_sample *s,
                        berth_error **err)
{
  cleanup_free char *pressure = NULL;
  cleanup_free char *stat = NULL;

  memset (s, 0, sizeof *s);
  if (cg_read_u64 (b->dir, "memory.current", &s->current, err) < 0
      || cg_read_u64 (b->dir, "memory.high", &s->high, err) < 0
      || cg_read_u64 (b->dir, "memory.max", &s->max, err) < 0
      || read_oom_kill (b->dir, &s->oom_kill, err) < 0
      || cg_read (b->dir, "memory.stat", &stat, err) < 0
      || cg_memory_stat_parse (stat, &s->stat, err) < 0
      || cg_read (b->dir, "memory.pressure", &pressure, err) < 0
      || cg_pressure_parse (pressure, &s->pressure, err) < 0)
    return berth_error_wrap (err, "balloon: %s", b->dir);
  /* Without swap accounting there is no file: no swap for this cgroup.  */
  if (cg_exists (b->dir, "memory.swap.max")
      && (cg_read_u64 (b->dir, "memory.swap.max", &s->swap_max, err) < 0
          || cg_read_u64 (b->dir, "memory.swap.current", &s->swap_current,
                          err)
                 < 0))
    return berth_error_wrap (err, "balloon: %s", b->dir);
  return 0;
}

int
cg_balloon_reclaim (cg_balloon *b, uint64_t bytes, bool *all,
                    berth_error **err)
{
  berth_error *why = NULL;

  *all = true;
  if (cg_writef (b->dir, "memory.reclaim", &why, "%" PRIu64, bytes) == 0)
    return 0;
  /* The kernel tried (its retries) and got less than asked.  */
  if (why->errnum == EAGAIN)
    {
      berth_error_free (why);
      *all = false;
      return 0;
    }
  *err = why;
  return -1;
}

int
cg_balloon_set_high (cg_balloon *b, uint64_t high, berth_error **err)
{
  if (high == CG_BALLOON_MAX)
    return cg_write (b->dir, "memory.high", "max", err);
  return cg_writef (b->dir, "memory.high", err, "%" PRIu64, high);
}

bool
cg_host_has_swap (void)
{
  cleanup_free char *text = NULL;
  berth_error *err = NULL;
  const char *p;

  if (read_file_at (AT_FDCWD, "/proc/meminfo", &text, NULL, &err) < 0)
    {
      berth_error_free (err);
      return false;
    }
  p = strstr (text, "\nSwapTotal:");
  return p && strtoull (p + strlen ("\nSwapTotal:"), NULL, 10) > 0;
}

void
cg_balloon_free (cg_balloon *b)
{
  if (b == NULL)
    return;
  free (b->dir);
  free (b);
}
