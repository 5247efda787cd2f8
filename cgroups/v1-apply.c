/* berth: linux.resources on cgroup v1 files (and, on a hybrid host, on
 * the cgroup2 directory for the controllers that only live there).  */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cgroups/internal.h"
#include "base/cleanup.h"
#include "base/log.h"
#include "base/utils.h"

static const cg_dir *
need (const cg_manager *m, const char *controller, const char *field,
      berth_error **err)
{
  const cg_dir *d = cg_v1_dir (m, controller);
  if (d == NULL)
    berth_error_set (err, 0, "%s: no %s cgroup hierarchy is mounted", field,
                     controller);
  return d;
}

typedef struct write_op
{
  const char *file;
  char *value;
} write_op;

/* Writes every file; those the kernel refused are tried once more after
   the others (cfs_quota/cfs_burst and rt_period/rt_runtime constrain each
   other, and which goes first depends on whether values rise or fall).  */
static int
write_ops (const cg_dir *dir, write_op *ops, size_t n, berth_error **err)
{
  bool failed[8] = { false };
  berth_error *first = NULL;
  bool any = false;

  for (size_t i = 0; i < n; i++)
    {
      berth_error *e = NULL;
      if (ops[i].value == NULL
          || cg_set (dir, ops[i].file, ops[i].value, &e) == 0)
        continue;
      failed[i] = any = true;
      if (first == NULL)
        first = e;
      else
        berth_error_free (e);
    }
  if (!any)
    return 0;
  for (size_t i = 0; i < n; i++)
    if (failed[i] && cg_set (dir, ops[i].file, ops[i].value, err) < 0)
      {
        berth_error_clear (err);
        *err = first;
        return -1;
      }
  berth_error_free (first);
  return 0;
}

static void
write_ops_free (write_op *ops, size_t n)
{
  for (size_t i = 0; i < n; i++)
    free (ops[i].value);
}

/* The kernel takes one rule per write: each file opened once for all of
   them (the default spec's rules were 11 opens), into fds[0]
   (devices.allow) and fds[1] (devices.deny).  */
static int
write_device_rules (const cg_dir *d, const cg_dev_program *p, int fds[2],
                    berth_error **err)
{
  if (p->has_reset
      && (p->default_allow ? cg_set_fd (d, &fds[0], "devices.allow", "a", err)
                           : cg_set_fd (d, &fds[1], "devices.deny", "a", err))
             < 0)
    return -1;
  for (size_t i = 0; i < p->n_rules; i++)
    {
      cleanup_free char *line = cg_dev_rule_v1 (&p->rules[i]);
      if ((p->rules[i].allow
               ? cg_set_fd (d, &fds[0], "devices.allow", line, err)
               : cg_set_fd (d, &fds[1], "devices.deny", line, err))
          < 0)
        return -1;
    }
  return 0;
}

static int
v1_devices (const cg_manager *m, const oci_resources *r, berth_error **err)
{
  const cg_dir *d = cg_v1_dir (m, "devices");
  const cg_dir *unified = cg_unified_dir (m);
  cg_dev_program p;
  int fds[2] = { -1, -1 };
  int ret;

  if (r->n_devices == 0)
    return 0;
  if (d == NULL)
    {
      /* A hybrid host without the v1 devices hierarchy: the eBPF program
         works on any cgroup2 directory.  */
      if (unified)
        return cg_v2_devices (unified, r, err);
      return berth_error_set (err, 0, "linux.resources.devices: no devices "
                              "cgroup hierarchy is mounted");
    }
  if (cg_dev_compile (r->devices, r->n_devices, &p, err) < 0)
    return -1;
  ret = write_device_rules (d, &p, fds, err);
  /* Opened one after the other: one close_range for both.  */
  close_fds (fds, 2);
  cg_dev_program_free (&p);
  if (ret < 0)
    return berth_error_wrap (err, "linux.resources.devices");
  return 0;
}

static char *
v1_num (int64_t v)
{
  return xasprintf ("%" PRId64, v);
}

static int
v1_memory (const cg_manager *m, const oci_memory *mem, berth_error **err)
{
  const cg_dir *d;
  bool set_limit = mem->has_limit && mem->limit != 0;
  bool set_swap = mem->has_swap && mem->swap != 0;

  if (!(set_limit || set_swap || mem->has_reservation || mem->has_swappiness
        || mem->has_disable_oom_killer || mem->has_kernel_tcp
        || mem->has_use_hierarchy || mem->has_kernel))
    return 0;
  d = need (m, "memory", "linux.resources.memory", err);
  if (d == NULL)
    return -1;
  if (mem->has_kernel)
    berth_debug ("linux.resources.memory.kernel: ignored (kernel memory "
                 "limits are deprecated; Linux 6.x has none)");
  /* Values were judged by cg_resources_check (validate.c).  */
  if (mem->has_check_before_update && mem->check_before_update && set_limit
      && mem->limit > 0)
    {
      uint64_t current;
      if (cg_read_u64 (d->dir, "memory.usage_in_bytes", &current, err) < 0)
        return berth_error_wrap (err, "linux.resources.memory.limit");
      if ((uint64_t) mem->limit < current)
        return berth_error_set (err, 0,
                                "linux.resources.memory.limit: %" PRId64
                                " is below the current usage %" PRIu64
                                " (checkBeforeUpdate)",
                                mem->limit, current);
    }
  /* Without swap accounting, cg_resources_check let only -1 through,
     which then asks for nothing (runc ignores it too).  */
  if (set_swap && !cg_exists (d->dir, "memory.memsw.limit_in_bytes"))
    set_swap = false;
  {
    cleanup_free char *limit = set_limit ? v1_num (mem->limit) : NULL;
    cleanup_free char *swap = set_swap ? v1_num (mem->swap) : NULL;
    bool swap_first = false;

    /* memsw.limit >= limit at every moment: raising, memsw goes first;
       lowering, the limit does.  */
    if (set_limit && set_swap)
      {
        uint64_t current;
        if (cg_read_u64 (d->dir, "memory.limit_in_bytes", &current, err) < 0)
          return berth_error_wrap (err, "linux.resources.memory");
        swap_first = mem->swap == -1 || (uint64_t) mem->swap >= current;
      }
    if (swap_first
        && cg_set (d, "memory.memsw.limit_in_bytes", swap, err) < 0)
      return berth_error_wrap (err, "linux.resources.memory.swap");
    if (limit && cg_set (d, "memory.limit_in_bytes", limit, err) < 0)
      return berth_error_wrap (err, "linux.resources.memory.limit");
    if (swap && !swap_first
        && cg_set (d, "memory.memsw.limit_in_bytes", swap, err) < 0)
      return berth_error_wrap (err, "linux.resources.memory.swap");
  }
  if (mem->has_reservation && mem->reservation != 0
      && cg_setf (d, "memory.soft_limit_in_bytes", err, "%" PRId64,
                    mem->reservation)
             < 0)
    return berth_error_wrap (err, "linux.resources.memory.reservation");
  if (mem->has_swappiness)
    {
      if (cg_setf (d, "memory.swappiness", err, "%" PRIu64,
                     mem->swappiness)
          < 0)
        return berth_error_wrap (err, "linux.resources.memory.swappiness");
    }
  if (mem->has_disable_oom_killer
      && cg_set (d, "memory.oom_control",
                   mem->disable_oom_killer ? "1" : "0", err)
             < 0)
    return berth_error_wrap (err, "linux.resources.memory.disableOOMKiller");
  if (mem->has_kernel_tcp)
    {
      if (!cg_exists (d->dir, "memory.kmem.tcp.limit_in_bytes"))
        berth_debug ("linux.resources.memory.kernelTCP: ignored (no "
                     "memory.kmem.tcp.limit_in_bytes in this kernel)");
      else if (cg_setf (d, "memory.kmem.tcp.limit_in_bytes", err,
                          "%" PRId64, mem->kernel_tcp)
               < 0)
        return berth_error_wrap (err, "linux.resources.memory.kernelTCP");
    }
  if (mem->has_use_hierarchy
      && cg_set (d, "memory.use_hierarchy",
                   mem->use_hierarchy ? "1" : "0", err)
             < 0)
    return berth_error_wrap (err, "linux.resources.memory.useHierarchy");
  return 0;
}

static int
v1_cpu (const cg_manager *m, const oci_cpu *cpu, berth_error **err)
{
  bool cfs = (cpu->has_quota && cpu->quota != 0)
             || (cpu->has_period && cpu->period != 0) || cpu->has_burst;
  bool rt = (cpu->has_realtime_runtime && cpu->realtime_runtime != 0)
            || (cpu->has_realtime_period && cpu->realtime_period != 0);
  const cg_dir *d = NULL;

  if ((cpu->has_shares && cpu->shares != 0) || cfs || rt || cpu->has_idle)
    {
      d = need (m, "cpu", "linux.resources.cpu", err);
      if (d == NULL)
        return -1;
    }
  if (cpu->has_shares && cpu->shares != 0)
    {
      uint64_t got;
      if (cg_setf (d, "cpu.shares", err, "%" PRIu64, cpu->shares) < 0
          || cg_read_u64 (d->dir, "cpu.shares", &got, err) < 0)
        return berth_error_wrap (err, "linux.resources.cpu.shares");
      /* The kernel clamps silently; say so instead.  */
      if (got != cpu->shares)
        return berth_error_set (err, 0,
                                "linux.resources.cpu.shares: %" PRIu64
                                " is out of range (the kernel set %" PRIu64
                                ")",
                                cpu->shares, got);
    }
  if (cfs)
    {
      write_op ops[3] = {
        { "cpu.cfs_period_us",
          cpu->has_period && cpu->period ? xasprintf ("%" PRIu64, cpu->period)
                                         : NULL },
        { "cpu.cfs_quota_us",
          cpu->has_quota && cpu->quota
              ? v1_num (cpu->quota < 0 ? -1 : cpu->quota)
              : NULL },
        { "cpu.cfs_burst_us",
          cpu->has_burst ? xasprintf ("%" PRIu64, cpu->burst) : NULL },
      };
      /* A kernel without cpu.cfs_burst_us was refused by
         cg_resources_check.  */
      int ret = write_ops (d, ops, 3, err);
      write_ops_free (ops, 3);
      if (ret < 0)
        return berth_error_wrap (err, "linux.resources.cpu.quota/period/burst");
    }
  if (rt)
    {
      write_op ops[2] = {
        { "cpu.rt_period_us",
          cpu->has_realtime_period && cpu->realtime_period
              ? xasprintf ("%" PRIu64, cpu->realtime_period)
              : NULL },
        { "cpu.rt_runtime_us",
          cpu->has_realtime_runtime && cpu->realtime_runtime
              ? v1_num (cpu->realtime_runtime)
              : NULL },
      };
      /* Without CONFIG_RT_GROUP_SCHED: refused by cg_resources_check.  */
      int ret = write_ops (d, ops, 2, err);
      write_ops_free (ops, 2);
      if (ret < 0)
        return berth_error_wrap (err, "linux.resources.cpu.realtime");
    }
  if (cpu->has_idle)
    {
      if (cg_setf (d, "cpu.idle", err, "%" PRId64, cpu->idle) < 0)
        return berth_error_wrap (err, "linux.resources.cpu.idle");
    }
  if ((cpu->cpus && cpu->cpus[0]) || (cpu->mems && cpu->mems[0]))
    {
      const cg_dir *cs = need (m, "cpuset", "linux.resources.cpu.cpus/mems",
                               err);
      if (cs == NULL)
        return -1;
      if (cpu->cpus && cpu->cpus[0]
          && cg_set (cs, "cpuset.cpus", cpu->cpus, err) < 0)
        return berth_error_wrap (err, "linux.resources.cpu.cpus");
      if (cpu->mems && cpu->mems[0]
          && cg_set (cs, "cpuset.mems", cpu->mems, err) < 0)
        return berth_error_wrap (err, "linux.resources.cpu.mems");
    }
  return 0;
}

static int
v1_pids (const cg_manager *m, const oci_resources *r, berth_error **err)
{
  const cg_dir *d;
  cleanup_free char *v = NULL;

  if (!r->has_pids_limit)
    return 0;
  d = need (m, "pids", "linux.resources.pids.limit", err);
  if (d == NULL)
    return -1;
  v = cg_limit_str (r->pids_limit);
  if (cg_set (d, "pids.max", v, err) < 0)
    return berth_error_wrap (err, "linux.resources.pids.limit");
  return 0;
}

static int
v1_throttle (const cg_dir *d, const oci_block_io_device_throttle *t,
             size_t n, const char *field, const char *file, berth_error **err)
{
  for (size_t i = 0; i < n; i++)
    if (cg_setf (d, file, err, "%" PRId64 ":%" PRId64 " %" PRIu64,
                      t[i].major, t[i].minor, t[i].rate)
               < 0)
      return berth_error_wrap (err, "linux.resources.blockIO.%s[%zu]", field,
                               i);
  return 0;
}

/* The CFQ files of old kernels, else BFQ's.  */
static const char *
weight_file (const cg_dir *d, const char *cfq, const char *bfq)
{
  if (cg_exists (d->dir, cfq))
    return cfq;
  if (bfq && cg_exists (d->dir, bfq))
    return bfq;
  return NULL;
}

static int
v1_blkio (const cg_manager *m, const oci_block_io *b, berth_error **err)
{
  const cg_dir *d;
  const char *f;

  if (!((b->has_weight && b->weight) || (b->has_leaf_weight && b->leaf_weight)
        || b->n_weight_device || b->n_throttle_read_bps_device
        || b->n_throttle_write_bps_device || b->n_throttle_read_iops_device
        || b->n_throttle_write_iops_device))
    return 0;
  d = need (m, "blkio", "linux.resources.blockIO", err);
  if (d == NULL)
    return -1;
  if (b->has_weight && b->weight)
    {
      f = weight_file (d, "blkio.weight", "blkio.bfq.weight");
      if (f == NULL)
        return berth_error_set (err, 0,
                                "linux.resources.blockIO.weight: no "
                                "blkio.weight or blkio.bfq.weight (no "
                                "weight-based I/O scheduler)");
      if (cg_setf (d, f, err, "%u", (unsigned) b->weight) < 0)
        return berth_error_wrap (err, "linux.resources.blockIO.weight");
    }
  if (b->has_leaf_weight && b->leaf_weight)
    {
      f = weight_file (d, "blkio.leaf_weight", NULL);
      if (f == NULL)
        return berth_error_set (err, 0,
                                "linux.resources.blockIO.leafWeight: not "
                                "supported by this kernel (CFQ only)");
      if (cg_setf (d, f, err, "%u", (unsigned) b->leaf_weight) < 0)
        return berth_error_wrap (err, "linux.resources.blockIO.leafWeight");
    }
  for (size_t i = 0; i < b->n_weight_device; i++)
    {
      const oci_block_io_device_weight *w = &b->weight_device[i];
      if (w->has_weight)
        {
          f = weight_file (d, "blkio.weight_device", "blkio.bfq.weight_device");
          if (f == NULL)
            return berth_error_set (err, 0,
                                    "linux.resources.blockIO.weightDevice"
                                    "[%zu]: no blkio.weight_device or "
                                    "blkio.bfq.weight_device",
                                    i);
          if (cg_setf (d, f, err, "%" PRId64 ":%" PRId64 " %u",
                         w->major, w->minor, (unsigned) w->weight)
              < 0)
            return berth_error_wrap (err, "linux.resources.blockIO."
                                     "weightDevice[%zu]", i);
        }
      if (w->has_leaf_weight)
        {
          f = weight_file (d, "blkio.leaf_weight_device", NULL);
          if (f == NULL)
            return berth_error_set (err, 0,
                                    "linux.resources.blockIO.weightDevice"
                                    "[%zu].leafWeight: not supported by this "
                                    "kernel (CFQ only)",
                                    i);
          if (cg_setf (d, f, err, "%" PRId64 ":%" PRId64 " %u",
                         w->major, w->minor, (unsigned) w->leaf_weight)
              < 0)
            return berth_error_wrap (err, "linux.resources.blockIO."
                                     "weightDevice[%zu]", i);
        }
    }
  if (v1_throttle (d, b->throttle_read_bps_device,
                   b->n_throttle_read_bps_device, "throttleReadBpsDevice",
                   "blkio.throttle.read_bps_device", err)
          < 0
      || v1_throttle (d, b->throttle_write_bps_device,
                      b->n_throttle_write_bps_device,
                      "throttleWriteBpsDevice",
                      "blkio.throttle.write_bps_device", err)
             < 0
      || v1_throttle (d, b->throttle_read_iops_device,
                      b->n_throttle_read_iops_device,
                      "throttleReadIOPSDevice",
                      "blkio.throttle.read_iops_device", err)
             < 0
      || v1_throttle (d, b->throttle_write_iops_device,
                      b->n_throttle_write_iops_device,
                      "throttleWriteIOPSDevice",
                      "blkio.throttle.write_iops_device", err)
             < 0)
    return -1;
  return 0;
}

/* Enables one controller for the cgroup2 directory of a hybrid host, for
   the resources that live there.  */
static const cg_dir *
unified_with (const cg_manager *m, const char *controller, char **failure)
{
  const cg_dir *u = cg_unified_dir (m);
  const char *wanted[] = { controller, NULL };

  if (u && strcmp (controller, "cgroup") != 0)
    cg_v2_enable (u, wanted, failure);
  return u;
}

static int
v1_hugetlb (const cg_manager *m, const oci_resources *r, berth_error **err)
{
  const cg_dir *d = cg_v1_dir (m, "hugetlb");

  if (r->n_hugepage_limits == 0)
    return 0;
  if (d == NULL)
    {
      cleanup_free char *failure = NULL;
      const cg_dir *u = unified_with (m, "hugetlb", &failure);
      if (u)
        return cg_v2_hugetlb (u, r, failure, err);
      return berth_error_set (err, 0, "linux.resources.hugepageLimits: no "
                              "hugetlb cgroup hierarchy is mounted");
    }
  for (size_t i = 0; i < r->n_hugepage_limits; i++)
    {
      const oci_hugepage_limit *h = &r->hugepage_limits[i];
      cleanup_free char *name = NULL;
      cleanup_free char *file = NULL;
      cleanup_free char *rsvd = NULL;
      uint64_t bytes;

      if (cg_page_size_parse (h->page_size, &bytes, &name, err) < 0)
        return berth_error_wrap (err,
                                 "linux.resources.hugepageLimits[%zu].pageSize",
                                 i);
      file = xasprintf ("hugetlb.%s.limit_in_bytes", name);
      rsvd = xasprintf ("hugetlb.%s.rsvd.limit_in_bytes", name);
      /* A size the host lacks was refused by cg_resources_check.  */
      if (cg_setf (d, file, err, "%" PRIu64, h->limit) < 0
          || (cg_exists (d->dir, rsvd)
              && cg_setf (d, rsvd, err, "%" PRIu64, h->limit) < 0))
        return berth_error_wrap (err, "linux.resources.hugepageLimits[%zu]",
                                 i);
    }
  return 0;
}

static int
v1_network (const cg_manager *m, const oci_network *n, berth_error **err)
{
  if (n->has_class_id)
    {
      const cg_dir *d = need (m, "net_cls", "linux.resources.network.classID",
                              err);
      if (d == NULL)
        return -1;
      if (cg_setf (d, "net_cls.classid", err, "%u", n->class_id) < 0)
        return berth_error_wrap (err, "linux.resources.network.classID");
    }
  if (n->n_priorities)
    {
      const cg_dir *d = need (m, "net_prio",
                              "linux.resources.network.priorities", err);
      if (d == NULL)
        return -1;
      for (size_t i = 0; i < n->n_priorities; i++)
        if (cg_setf (d, "net_prio.ifpriomap", err, "%s %u",
                       n->priorities[i].name, n->priorities[i].priority)
            < 0)
          return berth_error_wrap (err,
                                   "linux.resources.network.priorities[%zu]",
                                   i);
    }
  return 0;
}

static int
v1_rdma (const cg_manager *m, const oci_resources *r, berth_error **err)
{
  const cg_dir *d = cg_v1_dir (m, "rdma");
  cleanup_free char *failure = NULL;

  if (r->n_rdma == 0)
    return 0;
  if (d == NULL)
    {
      d = unified_with (m, "rdma", &failure);
      if (d == NULL)
        return berth_error_set (err, 0, "linux.resources.rdma: no rdma cgroup "
                                "hierarchy is mounted");
      if (cg_v2_require (d, "rdma", "linux.resources.rdma", failure, err) < 0)
        return -1;
    }
  return cg_write_rdma (d, r, err);
}

static int
v1_unified (const cg_manager *m, const oci_resources *r, berth_error **err)
{
  const cg_dir *u = cg_unified_dir (m);
  cleanup_free char *failure = NULL;

  if (r->n_unified == 0)
    return 0;
  if (u == NULL)
    return berth_error_set (err, 0,
                            "linux.resources.unified needs cgroup v2 (this "
                            "host has cgroup v1 only)");
  /* Each key's controller must live in the cgroup2 hierarchy of this
     hybrid host (cg_v2_unified says which does not).  */
  for (size_t i = 0; i < r->n_unified; i++)
    {
      cleanup_free char *ctrl = NULL;
      if (cg_unified_key_check (r->unified[i].key, &ctrl, err) < 0)
        return -1;
      unified_with (m, ctrl, &failure);
    }
  return cg_v2_unified (u, r, failure, err);
}

int
cg_v1_apply (cgroup_manager *base, const oci_resources *r, berth_error **err)
{
  const cg_manager *m = (const cg_manager *) base;

  if (r == NULL)
    return 0;
  if (v1_devices (m, r, err) < 0)
    return -1;
  if (r->memory && v1_memory (m, r->memory, err) < 0)
    return -1;
  if (r->cpu && v1_cpu (m, r->cpu, err) < 0)
    return -1;
  if (v1_pids (m, r, err) < 0)
    return -1;
  if (r->block_io && v1_blkio (m, r->block_io, err) < 0)
    return -1;
  if (v1_hugetlb (m, r, err) < 0)
    return -1;
  if (r->network && v1_network (m, r->network, err) < 0)
    return -1;
  if (v1_rdma (m, r, err) < 0)
    return -1;
  return v1_unified (m, r, err);
}
