/* berth: linux.resources judged whole (validate.h).  Ranges are the
 * kernel's (a value it would clamp silently is refused instead).  */
#include "cgroups/validate.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/cleanup.h"
#include "base/log.h"
#include "base/utils.h"
#include "cgroups/convert.h"
#include "cgroups/detect.h"

#define CG_MAX_CPUS 65536

static char *
read_trimmed (const char *path)
{
  char *text = NULL;
  berth_error *e = NULL;

  if (read_file_at (AT_FDCWD, path, &text, NULL, &e) < 0)
    {
      berth_error_free (e);
      return NULL;
    }
  text[strcspn (text, "\n")] = '\0';
  return text;
}

static bool
has_file (const char *dir, const char *file)
{
  cleanup_free char *path = xasprintf ("%s/%s", dir, file);

  return faccessat (AT_FDCWD, path, F_OK, AT_EACCESS) == 0;
}

static bool
cgroup2_has (const char *dir, const char *controller)
{
  cleanup_free char *text = NULL;
  cleanup_free char *path = xasprintf ("%s/cgroup.controllers", dir);
  berth_error *e = NULL;

  if (read_file_at (AT_FDCWD, path, &text, NULL, &e) < 0)
    {
      berth_error_free (e);
      return false;
    }
  for (char *save = NULL, *w = strtok_r (text, " \n", &save); w;
       w = strtok_r (NULL, " \n", &save))
    if (strcmp (w, controller) == 0)
      return true;
  return false;
}

/* The knobs of the v1 memory and cpu hierarchies, and where hugetlb is.
   Their files are the same in every cgroup of a hierarchy, the root's
   included, on the kernels berth runs on: the mount point tells.  */
static void
read_v1_knobs (cg_host *h, cgroup_mode mode)
{
  cg_hierarchy *hs = NULL;
  size_t n = 0;
  berth_error *e = NULL;
  bool hugetlb = false;

  /* Without the hierarchies the manager cannot be made either: it says
     why, with its own error.  */
  if (cg_detect_hierarchies (mode, &hs, &n, &e) < 0)
    {
      berth_error_free (e);
      return;
    }
  for (size_t i = 0; i < n; i++)
    {
      const char *dir = hs[i].mountpoint;
      if (hs[i].controllers[0] == '\0')
        hugetlb = hugetlb || cgroup2_has (dir, "hugetlb");
      else if (cg_controllers_has (hs[i].controllers, "hugetlb"))
        hugetlb = true;
      if (cg_controllers_has (hs[i].controllers, "memory")
          && !has_file (dir, "memory.memsw.limit_in_bytes"))
        h->lacks |= CG_LACKS_MEMSW;
      if (cg_controllers_has (hs[i].controllers, "cpu"))
        {
          if (!has_file (dir, "cpu.cfs_burst_us"))
            h->lacks |= CG_LACKS_CFS_BURST;
          if (!has_file (dir, "cpu.rt_runtime_us"))
            h->lacks |= CG_LACKS_RT;
          if (!has_file (dir, "cpu.idle"))
            h->lacks |= CG_LACKS_IDLE;
        }
    }
  if (!hugetlb)
    h->lacks |= CG_LACKS_HUGETLB;
  cg_hierarchies_free (hs, n);
}

/* Whether `r` sets a knob read_v1_knobs looks for (the checks below
   judge only what is set).  */
static bool
wants_v1_knob (const oci_resources *r)
{
  const oci_memory *m = r->memory;
  const oci_cpu *c = r->cpu;

  return r->n_hugepage_limits > 0 || (m && m->has_swap && m->swap != 0)
         || (c
             && (c->has_burst || c->has_idle || c->has_realtime_runtime
                 || c->has_realtime_period));
}

int
cg_host_read (cg_host *h, cgroup_mode mode, const oci_resources *wants,
              berth_error **err)
{
  cleanup_dir DIR *d = NULL;
  struct dirent *de;

  memset (h, 0, sizeof *h);
  /* Each file only for a config that sets what it judges (NULL: all): the
     default spec sets none, and this runs at every create (13 syscalls
     for the three).  A knob left unread is never looked at
     (cg_resources_check judges only what is set).  */
  if (wants == NULL || (wants->cpu && wants->cpu->cpus && *wants->cpu->cpus))
    {
      h->cpus_online = read_trimmed ("/sys/devices/system/cpu/online");
      if (h->cpus_online == NULL)
        return berth_error_sys (err, "read /sys/devices/system/cpu/online");
    }
  if (wants == NULL || (wants->cpu && wants->cpu->mems && *wants->cpu->mems))
    {
      /* A kernel without NUMA has no node directory: one node, 0.  */
      h->mems_online = read_trimmed ("/sys/devices/system/node/online");
      if (h->mems_online == NULL)
        h->mems_online = xstrdup ("0");
    }
  if (wants == NULL || wants->n_hugepage_limits > 0)
    d = opendir ("/sys/kernel/mm/hugepages");
  while (d && (de = readdir (d)) != NULL
         && h->n_page_sizes < CG_HOST_MAX_PAGE_SIZES)
    {
      unsigned long long kb;
      if (sscanf (de->d_name, "hugepages-%llukB", &kb) == 1)
        h->page_sizes[h->n_page_sizes++] = (uint64_t) kb * 1024;
    }
  /* Only a config that sets one of these knobs pays for the mountinfo
     walk and the stat calls: most never do, and this runs at every
     create.  */
  if ((mode == CGROUP_MODE_LEGACY || mode == CGROUP_MODE_HYBRID)
      && (wants == NULL || wants_v1_knob (wants)))
    read_v1_knobs (h, mode);
  return 0;
}

void
cg_host_release (cg_host *h)
{
  free (h->cpus_online);
  free (h->mems_online);
  h->cpus_online = h->mems_online = NULL;
}

int
cg_cpu_list_parse (const char *list, uint8_t *bits, size_t max)
{
  const char *p = list;

  memset (bits, 0, (max + 7) / 8);
  while (*p)
    {
      char *end;
      unsigned long a, b;

      if (*p < '0' || *p > '9')
        return -1;
      errno = 0;
      a = strtoul (p, &end, 10);
      if (errno)
        return -1;
      b = a;
      p = end;
      if (*p == '-')
        {
          if (p[1] < '0' || p[1] > '9')
            return -1;
          b = strtoul (p + 1, &end, 10);
          if (errno || b < a)
            return -1;
          p = end;
        }
      if (b >= max)
        return -1;
      for (unsigned long i = a; i <= b; i++)
        bits[i / 8] |= (uint8_t) (1u << (i % 8));
      if (*p == ',')
        {
          p++;
          if (*p == '\0')
            return -1;
        }
      else if (*p == '\n' && p[1] == '\0')
        break;
      else if (*p != '\0')
        return -1;
    }
  return 0;
}

/* `list` (cpu.cpus or cpu.mems) within the host's `online`.  */
static int
check_cpuset (const char *field, const char *what, const char *list,
              const char *online, berth_error **err)
{
  cleanup_free uint8_t *want = NULL;
  cleanup_free uint8_t *have = NULL;

  if (list == NULL || list[0] == '\0')
    return 0;
  if (online == NULL)
    return berth_error_set (err, 0, "cannot read the host's online %ss",
                            what);
  want = xmalloc0 (CG_MAX_CPUS / 8);
  have = xmalloc0 (CG_MAX_CPUS / 8);
  if (cg_cpu_list_parse (list, want, CG_MAX_CPUS) < 0)
    return berth_error_set (err, EINVAL, "cpu.%s: \"%s\": not a list such "
                            "as \"0-3,7\" with numbers below %d", field, list,
                            CG_MAX_CPUS);
  if (cg_cpu_list_parse (online, have, CG_MAX_CPUS) < 0)
    return berth_error_set (err, 0, "cannot read the host's online %ss "
                            "(\"%s\")", what, online);
  for (size_t i = 0; i < CG_MAX_CPUS; i++)
    if ((want[i / 8] & (1u << (i % 8))) && !(have[i / 8] & (1u << (i % 8))))
      return berth_error_set (err, EINVAL, "cpu.%s: \"%s\": %s %zu is not "
                              "online (online: %s)", field, list, what, i,
                              online);
  return 0;
}

static bool
on_v1 (cgroup_mode mode)
{
  return mode == CGROUP_MODE_LEGACY || mode == CGROUP_MODE_HYBRID;
}

static int
check_memory (cgroup_mode mode, const cg_host *host, const oci_memory *m,
              berth_error **err)
{
  bool limit = m->has_limit && m->limit != 0;
  bool swap = m->has_swap && m->swap != 0;

  if (limit && m->limit < -1)
    return berth_error_set (err, EINVAL, "memory.limit: invalid value "
                            "%" PRId64, m->limit);
  if (swap && m->swap < -1)
    return berth_error_set (err, EINVAL, "memory.swap: invalid value "
                            "%" PRId64, m->swap);
  if (m->has_reservation && m->reservation < -1)
    return berth_error_set (err, EINVAL, "memory.reservation: invalid value "
                            "%" PRId64, m->reservation);
  if (limit && swap && m->limit > 0 && m->swap > 0 && m->swap < m->limit)
    return berth_error_set (err, EINVAL, "memory.swap: %" PRId64 " is below "
                            "memory.limit %" PRId64 " (swap is memory+swap)",
                            m->swap, m->limit);
  if (m->has_swappiness && m->swappiness > 100)
    return berth_error_set (err, EINVAL, "memory.swappiness: %" PRIu64
                            " is not in 0..100", m->swappiness);
  /* -1 ("unlimited") asks for nothing a kernel without swap accounting
     lacks: ignored there, as runc does.  */
  if (on_v1 (mode) && swap && m->swap != -1
      && (host->lacks & CG_LACKS_MEMSW))
    return berth_error_set (err, 0, "memory.swap: this kernel has no "
                            "memory.memsw (swap accounting off); refused");
  return 0;
}

static int
check_cpu (cgroup_mode mode, const cg_host *host, const oci_cpu *c,
           berth_error **err)
{
  /* The kernel's bounds: shares 2..262144 (v1 clamps silently), the CFS
     period 1 ms..1 s, a quota of at least 1 ms.  */
  if (c->has_shares && c->shares != 0
      && (c->shares < 2 || c->shares > 262144))
    return berth_error_set (err, EINVAL, "cpu.shares: %" PRIu64 " is not in "
                            "2..262144", c->shares);
  if (c->has_period && c->period != 0
      && (c->period < 1000 || c->period > 1000000))
    return berth_error_set (err, EINVAL, "cpu.period: %" PRIu64 " is not in "
                            "1000..1000000 (microseconds)", c->period);
  if (c->has_quota && c->quota > 0 && c->quota < 1000)
    return berth_error_set (err, EINVAL, "cpu.quota: %" PRId64 " is below "
                            "the kernel's 1000 microseconds", c->quota);
  if (c->has_idle && c->idle != 0 && c->idle != 1)
    return berth_error_set (err, EINVAL, "cpu.idle: %" PRId64 " is not 0 "
                            "or 1", c->idle);
  if (mode == CGROUP_MODE_UNIFIED
      && ((c->has_realtime_runtime && c->realtime_runtime != 0)
          || (c->has_realtime_period && c->realtime_period != 0)))
    return berth_error_set (err, EINVAL, "cpu.%s: real-time group "
                            "scheduling is not supported on cgroup v2",
                            c->has_realtime_runtime ? "realtimeRuntime"
                                                    : "realtimePeriod");
  if (c->has_realtime_period && c->realtime_period != 0
      && c->realtime_period > 1000000000ULL)
    return berth_error_set (err, EINVAL, "cpu.realtimePeriod: %" PRIu64
                            " is above 1000000000", c->realtime_period);
  if (on_v1 (mode) && (host->lacks & CG_LACKS_RT)
      && ((c->has_realtime_runtime && c->realtime_runtime != 0)
          || (c->has_realtime_period && c->realtime_period != 0)))
    return berth_error_set (err, 0, "cpu.%s: this kernel has no "
                            "real-time group scheduling (no "
                            "cpu.rt_runtime_us); refused",
                            c->has_realtime_runtime && c->realtime_runtime
                                ? "realtimeRuntime"
                                : "realtimePeriod");
  if (on_v1 (mode) && c->has_burst && (host->lacks & CG_LACKS_CFS_BURST))
    return berth_error_set (err, 0, "cpu.burst: this kernel has no "
                            "cpu.cfs_burst_us; refused");
  if (on_v1 (mode) && c->has_idle && (host->lacks & CG_LACKS_IDLE))
    return berth_error_set (err, 0, "cpu.idle: this kernel has no "
                            "cpu.idle; refused");
  if (check_cpuset ("cpus", "CPU", c->cpus, host->cpus_online, err) < 0
      || check_cpuset ("mems", "memory node", c->mems, host->mems_online,
                       err)
             < 0)
    return -1;
  return 0;
}

static int
check_device (int64_t major, int64_t minor, const char *field, size_t i,
              berth_error **err)
{
  if (major < 0 || minor < 0 || major > UINT32_MAX || minor > UINT32_MAX)
    return berth_error_set (err, EINVAL, "blockIO.%s[%zu]: invalid device "
                            "%" PRId64 ":%" PRId64, field, i, major, minor);
  return 0;
}

static int
check_weight (const char *field, uint16_t w, berth_error **err)
{
  if (w != 0 && (w < 10 || w > 1000))
    return berth_error_set (err, EINVAL, "blockIO.%s: %u is not in 10..1000",
                            field, (unsigned) w);
  return 0;
}

static int
check_throttles (const oci_block_io_device_throttle *t, size_t n,
                 const char *field, berth_error **err)
{
  for (size_t i = 0; i < n; i++)
    if (check_device (t[i].major, t[i].minor, field, i, err) < 0)
      return -1;
  return 0;
}

static int
check_block_io (cgroup_mode mode, const oci_block_io *b, berth_error **err)
{
  bool v2 = mode == CGROUP_MODE_UNIFIED;

  if ((b->has_weight && check_weight ("weight", b->weight, err) < 0)
      || (b->has_leaf_weight
          && check_weight ("leafWeight", b->leaf_weight, err) < 0))
    return -1;
  if (v2 && b->has_leaf_weight && b->leaf_weight)
    return berth_error_set (err, EINVAL, "blockIO.leafWeight: not supported "
                            "on cgroup v2");
  for (size_t i = 0; i < b->n_weight_device; i++)
    {
      const oci_block_io_device_weight *w = &b->weight_device[i];
      if (check_device (w->major, w->minor, "weightDevice", i, err) < 0
          || (w->has_weight && check_weight ("weightDevice.weight",
                                             w->weight, err) < 0)
          || (w->has_leaf_weight
              && check_weight ("weightDevice.leafWeight", w->leaf_weight,
                               err) < 0))
        return -1;
      if (v2 && w->has_leaf_weight && w->leaf_weight)
        return berth_error_set (err, EINVAL, "blockIO.weightDevice[%zu]."
                                "leafWeight: not supported on cgroup v2", i);
    }
  if (check_throttles (b->throttle_read_bps_device,
                       b->n_throttle_read_bps_device,
                       "throttleReadBpsDevice", err) < 0
      || check_throttles (b->throttle_write_bps_device,
                          b->n_throttle_write_bps_device,
                          "throttleWriteBpsDevice", err) < 0
      || check_throttles (b->throttle_read_iops_device,
                          b->n_throttle_read_iops_device,
                          "throttleReadIOPSDevice", err) < 0
      || check_throttles (b->throttle_write_iops_device,
                          b->n_throttle_write_iops_device,
                          "throttleWriteIOPSDevice", err) < 0)
    return -1;
  return 0;
}

static int
check_hugepages (cgroup_mode mode, const cg_host *host,
                 const oci_resources *r, berth_error **err)
{
  if (r->n_hugepage_limits && on_v1 (mode)
      && (host->lacks & CG_LACKS_HUGETLB))
    return berth_error_set (err, 0, "hugepageLimits: no hugetlb cgroup "
                            "hierarchy is mounted; refused");
  for (size_t i = 0; i < r->n_hugepage_limits; i++)
    {
      const oci_hugepage_limit *h = &r->hugepage_limits[i];
      cleanup_free char *name = NULL;
      uint64_t bytes;
      bool found = false;

      if (cg_page_size_parse (h->page_size, &bytes, &name, err) < 0)
        return berth_error_wrap (err, "hugepageLimits[%zu].pageSize", i);
      for (size_t k = 0; k < host->n_page_sizes; k++)
        found = found || host->page_sizes[k] == bytes;
      if (!found)
        return berth_error_set (err, EINVAL, "hugepageLimits[%zu].pageSize: "
                                "this host has no %s huge pages", i,
                                h->page_size);
    }
  return 0;
}

static int
check_rdma_unified (cgroup_mode mode, const oci_resources *r,
                    berth_error **err)
{
  for (size_t i = 0; i < r->n_rdma; i++)
    if (!r->rdma[i].has_hca_handles && !r->rdma[i].has_hca_objects)
      return berth_error_set (err, EINVAL, "rdma.%s: needs hcaHandles or "
                              "hcaObjects", r->rdma[i].device);
  for (size_t i = 0; i < r->n_unified; i++)
    {
      cleanup_free char *ctrl = NULL;
      if (cg_unified_key_check (r->unified[i].key, &ctrl, err) < 0)
        return -1;
    }
  if (r->n_unified && mode == CGROUP_MODE_LEGACY)
    return berth_error_set (err, EINVAL, "unified: this host has no cgroup "
                            "v2 hierarchy");
  return 0;
}

/* Letters beyond r, w and m in a device rule are skipped, as runc skips
   them; said once, here, so that a typo ("rwn") does not go unnoticed.  */
static void
warn_unknown_device_access (const oci_resources *r)
{
  for (size_t i = 0; i < r->n_devices; i++)
    {
      const char *access = r->devices[i].access;
      bool unknown;

      if (access == NULL)
        continue;
      cg_dev_access_bits (access, &unknown);
      if (unknown)
        berth_warn ("linux.resources.devices[%zu].access: \"%s\": letters "
                    "other than r, w and m are ignored, as runc does",
                    i, access);
    }
}

int
cg_resources_check (cgroup_mode mode, const cg_host *host,
                    const oci_resources *r, berth_error **err)
{
  if (r == NULL)
    return 0;
  if (r->n_devices)
    {
      cg_dev_program p;
      if (cg_dev_compile (r->devices, r->n_devices, &p, err) < 0)
        return berth_error_wrap (err, "devices");
      cg_dev_program_free (&p);
      warn_unknown_device_access (r);
    }
  if (r->memory && check_memory (mode, host, r->memory, err) < 0)
    return -1;
  if (r->cpu && check_cpu (mode, host, r->cpu, err) < 0)
    return -1;
  if (r->has_pids_limit && r->pids_limit < -1)
    return berth_error_set (err, EINVAL, "pids.limit: invalid value "
                            "%" PRId64, r->pids_limit);
  if (r->block_io && check_block_io (mode, r->block_io, err) < 0)
    return -1;
  if (check_hugepages (mode, host, r, err) < 0)
    return -1;
  if (mode == CGROUP_MODE_UNIFIED && r->network
      && (r->network->has_class_id || r->network->n_priorities))
    return berth_error_set (err, EINVAL, "network: net_cls and net_prio do "
                            "not exist on cgroup v2");
  return check_rdma_unified (mode, r, err);
}

int
cgroup_resources_validate (cgroup_mode mode, const oci_resources *r,
                           berth_error **err)
{
  cg_host host;
  int ret;

  if (r == NULL)
    return 0;
  if (cg_host_read (&host, mode, r, err) < 0)
    return -1;
  ret = cg_resources_check (mode, &host, r, err);
  cg_host_release (&host);
  return ret;
}
