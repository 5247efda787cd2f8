/* berth: linux.resources on cgroup v2 files.  */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cgroups/devices-bpf.h"
#include "cgroups/internal.h"
#include "base/cleanup.h"
#include "base/log.h"
#include "base/utils.h"

/* Writes a and then b; when a is refused, b first (cpu.max and
   cpu.max.burst constrain each other: the order depends on whether the
   quota goes up or down).  */
static int
write_pair (const cg_dir *dir, const char *fa, const char *va, const char *fb,
            const char *vb, berth_error **err)
{
  berth_error *first = NULL;

  if (cg_set (dir, fa, va, &first) == 0)
    return cg_set (dir, fb, vb, err);
  if (cg_set (dir, fb, vb, err) < 0 || cg_set (dir, fa, va, err) < 0)
    {
      berth_error_clear (err);
      *err = first;
      return -1;
    }
  berth_error_free (first);
  return 0;
}

static int
v2_memory (const cg_dir *d, const oci_memory *mem, const char *failure,
           berth_error **err)
{
  cleanup_free char *swap = NULL;
  bool any = (mem->has_limit && mem->limit != 0)
             || (mem->has_reservation && mem->reservation != 0)
             || (mem->has_swap && mem->swap != 0);

  /* What cgroup v2 does not have, ignored as runc and crun do.  */
  if (mem->has_kernel)
    berth_debug ("linux.resources.memory.kernel: ignored (deprecated, no "
                 "cgroup v2 equivalent)");
  if (mem->has_kernel_tcp)
    berth_debug ("linux.resources.memory.kernelTCP: ignored (no cgroup v2 "
                 "equivalent)");
  if (mem->has_swappiness)
    berth_debug ("linux.resources.memory.swappiness: ignored (no cgroup v2 "
                 "equivalent)");
  if (mem->has_disable_oom_killer && mem->disable_oom_killer)
    berth_debug ("linux.resources.memory.disableOOMKiller: ignored (cgroup "
                 "v2 cannot disable the OOM killer)");
  if (mem->has_use_hierarchy && !mem->use_hierarchy)
    return berth_error_set (err, 0,
                            "linux.resources.memory.useHierarchy: false is "
                            "not possible on cgroup v2 (always hierarchical)");
  if (!any)
    return 0;
  if (cg_v2_require (d, "memory", "linux.resources.memory", failure, err) < 0)
    return -1;
  if (mem->has_limit && mem->limit < -1)
    return berth_error_set (err, 0,
                            "linux.resources.memory.limit: invalid value "
                            "%" PRId64,
                            mem->limit);
  if (mem->has_reservation && mem->reservation < -1)
    return berth_error_set (err, 0,
                            "linux.resources.memory.reservation: invalid "
                            "value %" PRId64,
                            mem->reservation);
  if (cg_swap_v2 (mem, &swap, err) < 0)
    return -1;
  /* Same limit for memory and memory+swap: no swap at all.  */
  if (swap == NULL && mem->has_swap && mem->swap > 0)
    swap = xstrdup ("0");
  if (mem->has_check_before_update && mem->check_before_update
      && mem->has_limit && mem->limit > 0)
    {
      uint64_t current;
      if (cg_read_u64 (d->dir, "memory.current", &current, err) < 0)
        return berth_error_wrap (err, "linux.resources.memory.limit");
      if ((uint64_t) mem->limit < current)
        return berth_error_set (err, 0,
                                "linux.resources.memory.limit: %" PRId64
                                " is below the current usage %" PRIu64
                                " (checkBeforeUpdate)",
                                mem->limit, current);
    }
  if (swap)
    {
      if (!cg_exists (d->dir, "memory.swap.max"))
        {
          if (strcmp (swap, "max") != 0 && strcmp (swap, "0") != 0)
            return berth_error_set (err, 0,
                                    "linux.resources.memory.swap: swap "
                                    "accounting is not available (no "
                                    "memory.swap.max in %s)",
                                    d->dir);
        }
      else if (cg_set (d, "memory.swap.max", swap, err) < 0)
        return berth_error_wrap (err, "linux.resources.memory.swap");
    }
  if (mem->has_limit && mem->limit != 0)
    {
      cleanup_free char *v = cg_limit_str (mem->limit);
      if (cg_set (d, "memory.max", v, err) < 0)
        return berth_error_wrap (err, "linux.resources.memory.limit");
    }
  if (mem->has_reservation && mem->reservation != 0)
    {
      cleanup_free char *v = cg_limit_str (mem->reservation);
      if (cg_set (d, "memory.low", v, err) < 0)
        return berth_error_wrap (err, "linux.resources.memory.reservation");
    }
  return 0;
}

static int
v2_cpu (const cg_dir *d, const oci_cpu *cpu, const char *failure,
        berth_error **err)
{
  cleanup_free char *max = NULL;

  if (cpu->has_shares && cpu->shares != 0)
    {
      if (cg_v2_require (d, "cpu", "linux.resources.cpu.shares", failure, err)
              < 0
          || cg_setf (d, "cpu.weight", err, "%" PRIu64,
                        cg_shares_to_weight (cpu->shares))
                 < 0)
        return berth_error_wrap (err, "linux.resources.cpu.shares");
    }
  if ((cpu->has_quota && cpu->quota != 0)
      || (cpu->has_period && cpu->period != 0) || cpu->has_burst)
    {
      cleanup_free char *current = NULL;
      if (cg_v2_require (d, "cpu", "linux.resources.cpu.quota", failure, err)
              < 0
          || cg_read (d->dir, "cpu.max", &current, err) < 0)
        return berth_error_wrap (err, "linux.resources.cpu");
      max = cg_cpu_max (cpu, current);
    }
  if (cpu->has_burst)
    {
      cleanup_free char *burst = xasprintf ("%" PRIu64, cpu->burst);
      if (!cg_exists (d->dir, "cpu.max.burst"))
        return berth_error_set (err, 0,
                                "linux.resources.cpu.burst: not supported by "
                                "this kernel (no cpu.max.burst)");
      if (max ? write_pair (d, "cpu.max", max, "cpu.max.burst", burst,
                            err)
                : cg_set (d, "cpu.max.burst", burst, err))
        return berth_error_wrap (err, "linux.resources.cpu.quota/burst");
    }
  else if (max && cg_set (d, "cpu.max", max, err) < 0)
    {
      uint64_t burst = 0;
      berth_error *ignored = NULL;
      if ((*err)->errnum == EINVAL
          && cg_read_u64 (d->dir, "cpu.max.burst", &burst, &ignored) == 0
          && burst > 0)
        {
          cleanup_free char *msg = xstrdup ((*err)->msg);
          berth_error_clear (err);
          berth_error_set (err, 0,
                           "%s (cpu.max.burst is %" PRIu64 ": the quota "
                           "cannot go below it)",
                           msg, burst);
        }
      berth_error_free (ignored);
      return berth_error_wrap (err, "linux.resources.cpu.quota/period");
    }
  if (cpu->has_idle)
    {
      if (cg_v2_require (d, "cpu", "linux.resources.cpu.idle", failure, err)
          < 0)
        return -1;
      if (!cg_exists (d->dir, "cpu.idle"))
        return berth_error_set (err, 0,
                                "linux.resources.cpu.idle: not supported by "
                                "this kernel (no cpu.idle)");
      if (cg_setf (d, "cpu.idle", err, "%" PRId64, cpu->idle) < 0)
        return berth_error_wrap (err, "linux.resources.cpu.idle");
    }
  if ((cpu->cpus && cpu->cpus[0]) || (cpu->mems && cpu->mems[0]))
    {
      if (cg_v2_require (d, "cpuset", "linux.resources.cpu.cpus/mems",
                         failure, err)
          < 0)
        return -1;
      if (cpu->cpus && cpu->cpus[0]
          && cg_set (d, "cpuset.cpus", cpu->cpus, err) < 0)
        return berth_error_wrap (err, "linux.resources.cpu.cpus");
      if (cpu->mems && cpu->mems[0]
          && cg_set (d, "cpuset.mems", cpu->mems, err) < 0)
        return berth_error_wrap (err, "linux.resources.cpu.mems");
    }
  return 0;
}

static int
v2_pids (const cg_dir *d, const oci_resources *r, const char *failure,
         berth_error **err)
{
  cleanup_free char *v = NULL;

  if (!r->has_pids_limit)
    return 0;
  if (cg_v2_require (d, "pids", "linux.resources.pids.limit", failure, err)
      < 0)
    return -1;
  /* 0 is a limit (runtime-spec 1.2.1): no new task at all.  */
  v = cg_limit_str (r->pids_limit);
  if (cg_set (d, "pids.max", v, err) < 0)
    return berth_error_wrap (err, "linux.resources.pids.limit");
  return 0;
}

static int
v2_throttle (const cg_dir *d, const oci_block_io_device_throttle *t, size_t n,
             const char *field, const char *key, berth_error **err)
{
  for (size_t i = 0; i < n; i++)
    {
      cleanup_free char *rate
          = t[i].rate ? xasprintf ("%" PRIu64, t[i].rate) : xstrdup ("max");
      /* v1 used 0 for "no limit"; v2 spells it "max".  */
      if (cg_setf (d, "io.max", err, "%" PRId64 ":%" PRId64 " %s=%s",
                     t[i].major, t[i].minor, key, rate)
          < 0)
        return berth_error_wrap (err, "linux.resources.blockIO.%s[%zu]",
                                 field, i);
    }
  return 0;
}

static int
v2_io (const cg_dir *d, const oci_block_io *b, const char *failure,
       berth_error **err)
{
  bool has_io_weight = cg_exists (d->dir, "io.weight");
  bool has_bfq = cg_exists (d->dir, "io.bfq.weight");

  if ((b->has_weight && b->weight) || b->n_weight_device
      || b->n_throttle_read_bps_device || b->n_throttle_write_bps_device
      || b->n_throttle_read_iops_device || b->n_throttle_write_iops_device)
    if (cg_v2_require (d, "io", "linux.resources.blockIO", failure, err) < 0)
      return -1;
  if (b->has_weight && b->weight)
    {
      int ret;
      if (has_io_weight)
        ret = cg_setf (d, "io.weight", err, "default %" PRIu64,
                         cg_blkio_to_io_weight (b->weight));
      else if (has_bfq)
        /* BFQ takes blkio's 1..1000 scale as it is.  */
        ret = cg_setf (d, "io.bfq.weight", err, "%u",
                         (unsigned) b->weight);
      else
        ret = berth_error_set (err, 0,
                               "no io.weight or io.bfq.weight in %s (no "
                               "weight-based I/O policy in this kernel)",
                               d->dir);
      if (ret < 0)
        return berth_error_wrap (err, "linux.resources.blockIO.weight");
    }
  for (size_t i = 0; i < b->n_weight_device; i++)
    {
      const oci_block_io_device_weight *w = &b->weight_device[i];
      int ret = 0;
      if (!w->has_weight)
        continue;
      if (has_io_weight)
        ret = cg_setf (d, "io.weight", err,
                         "%" PRId64 ":%" PRId64 " %" PRIu64, w->major,
                         w->minor, cg_blkio_to_io_weight (w->weight));
      else if (has_bfq)
        ret = cg_setf (d, "io.bfq.weight", err,
                         "%" PRId64 ":%" PRId64 " %u", w->major, w->minor,
                         (unsigned) w->weight);
      else
        ret = berth_error_set (err, 0, "no io.weight or io.bfq.weight in %s",
                               d->dir);
      if (ret < 0)
        return berth_error_wrap (err, "linux.resources.blockIO.weightDevice"
                                 "[%zu]", i);
    }
  if (v2_throttle (d, b->throttle_read_bps_device,
                   b->n_throttle_read_bps_device, "throttleReadBpsDevice",
                   "rbps", err)
          < 0
      || v2_throttle (d, b->throttle_write_bps_device,
                      b->n_throttle_write_bps_device,
                      "throttleWriteBpsDevice", "wbps", err)
             < 0
      || v2_throttle (d, b->throttle_read_iops_device,
                      b->n_throttle_read_iops_device,
                      "throttleReadIOPSDevice", "riops", err)
             < 0
      || v2_throttle (d, b->throttle_write_iops_device,
                      b->n_throttle_write_iops_device,
                      "throttleWriteIOPSDevice", "wiops", err)
             < 0)
    return -1;
  return 0;
}

int
cg_v2_hugetlb (const cg_dir *d, const oci_resources *r, const char *failure,
               berth_error **err)
{
  if (r->n_hugepage_limits == 0)
    return 0;
  if (cg_v2_require (d, "hugetlb", "linux.resources.hugepageLimits", failure,
                     err)
      < 0)
    return -1;
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
      file = xasprintf ("hugetlb.%s.max", name);
      rsvd = xasprintf ("hugetlb.%s.rsvd.max", name);
      /* A size the host lacks was refused by cg_resources_check.  */
      /* The reservation limit, where the kernel has it, is the one the
         spec prefers; the fault limit is set as well.  */
      if (cg_setf (d, file, err, "%" PRIu64, h->limit) < 0
          || (cg_exists (d->dir, rsvd)
              && cg_setf (d, rsvd, err, "%" PRIu64, h->limit) < 0))
        return berth_error_wrap (err, "linux.resources.hugepageLimits[%zu]",
                                 i);
    }
  return 0;
}

/* rdma.max has the same format on v1 and v2.  */
int
cg_write_rdma (const cg_dir *d, const oci_resources *r, berth_error **err)
{
  for (size_t i = 0; i < r->n_rdma; i++)
    {
      const oci_rdma *e = &r->rdma[i];
      cleanup_free char *handles = NULL;
      cleanup_free char *objects = NULL;

      handles = e->has_hca_handles
                    ? xasprintf (" hca_handle=%u", e->hca_handles)
                    : xstrdup ("");
      objects = e->has_hca_objects
                    ? xasprintf (" hca_object=%u", e->hca_objects)
                    : xstrdup ("");
      if (cg_setf (d, "rdma.max", err, "%s%s%s", e->device, handles,
                     objects)
          < 0)
        return berth_error_wrap (err, "linux.resources.rdma.%s", e->device);
    }
  return 0;
}

static int
v2_rdma (const cg_dir *d, const oci_resources *r, const char *failure,
         berth_error **err)
{
  if (r->n_rdma == 0)
    return 0;
  if (cg_v2_require (d, "rdma", "linux.resources.rdma", failure, err) < 0)
    return -1;
  return cg_write_rdma (d, r, err);
}

int
cg_v2_unified (const cg_dir *d, const oci_resources *r, const char *failure,
               berth_error **err)
{
  for (size_t i = 0; i < r->n_unified; i++)
    {
      const oci_kv *kv = &r->unified[i];
      cleanup_free char *ctrl = NULL;
      cleanup_free char *field = NULL;

      if (cg_unified_key_check (kv->key, &ctrl, err) < 0)
        return -1;
      field = xasprintf ("linux.resources.unified \"%s\"", kv->key);
      if (strcmp (ctrl, "cgroup") != 0
          && cg_v2_require (d, ctrl, field, failure, err) < 0)
        return -1;
      if (!cg_exists (d->dir, kv->key))
        return berth_error_set (err, 0, "%s: no such file in %s", field,
                                d->dir);
      if (cg_set (d, kv->key, kv->value ? kv->value : "", err) < 0)
        return berth_error_wrap (err, "%s", field);
    }
  return 0;
}

int
cg_v2_devices (const cg_dir *d, const oci_resources *r, berth_error **err)
{
  cg_dev_program p;
  int ret;

  if (r->n_devices == 0)
    return 0;
  if (cg_dev_compile (r->devices, r->n_devices, &p, err) < 0)
    return -1;
  ret = cg_bpf_dev_apply (d->dir, &p, err);
  cg_dev_program_free (&p);
  if (ret < 0)
    return berth_error_wrap (err, "linux.resources.devices");
  return 0;
}

int
cg_v2_apply (cgroup_manager *base, const oci_resources *r, berth_error **err)
{
  cg_manager *m = (cg_manager *) base;
  const cg_dir *d = &m->dirs[0];
  const char *failure = m->enable_failure;

  if (r == NULL)
    return 0;
  /* Values (and what v2 does not have: net_cls, real-time, leaf
     weights) were judged by cg_resources_check (validate.c).  */
  if (cg_v2_devices (d, r, err) < 0)
    return -1;
  if (r->memory && v2_memory (d, r->memory, failure, err) < 0)
    return -1;
  if (r->cpu && v2_cpu (d, r->cpu, failure, err) < 0)
    return -1;
  if (v2_pids (d, r, failure, err) < 0)
    return -1;
  if (r->block_io && v2_io (d, r->block_io, failure, err) < 0)
    return -1;
  if (cg_v2_hugetlb (d, r, failure, err) < 0
      || v2_rdma (d, r, failure, err) < 0)
    return -1;
  /* Last: unified keys override what the typed fields wrote.  */
  return cg_v2_unified (d, r, failure, err);
}
