/* berth: config.json "linux.resources" (applied by cgroups/).  */
#include <stdlib.h>
#include <string.h>

#include "base/cleanup.h"
#include "base/utils.h"
#include "oci-spec/parse-util.h"

static int
parse_device_cgroup (json_ctx *c, yajl_val obj, void *out)
{
  oci_device_cgroup *d = out;
  cleanup_free char *type = NULL;

  if (json_field_bool (c, obj, "allow", &d->allow, NULL) < 0
      || json_field_string (c, obj, "type", false, &type) < 0)
    return -1;
  if (type == NULL)
    d->type = 'a';
  else if (strlen (type) == 1 && strchr ("acb", type[0]))
    d->type = type[0];
  else
    {
      cleanup_free char *q = json_quote (type);
      json_push_field (c, "type");
      return json_fail (c, "unknown device cgroup type %s", q);
    }
  if (json_field_i64 (c, obj, "major", &d->major, &d->has_major) < 0
      || json_field_i64 (c, obj, "minor", &d->minor, &d->has_minor) < 0
      || json_field_string (c, obj, "access", false, &d->access) < 0)
    return -1;
  return 0;
}

static int
parse_memory (json_ctx *c, yajl_val obj, void *out)
{
  oci_memory *m = out;
  if (json_field_i64 (c, obj, "limit", &m->limit, &m->has_limit) < 0
      || json_field_i64 (c, obj, "reservation", &m->reservation,
                         &m->has_reservation) < 0
      || json_field_i64 (c, obj, "swap", &m->swap, &m->has_swap) < 0
      || json_field_i64 (c, obj, "kernel", &m->kernel, &m->has_kernel) < 0
      || json_field_i64 (c, obj, "kernelTCP", &m->kernel_tcp,
                         &m->has_kernel_tcp) < 0
      || json_field_u64 (c, obj, "swappiness", &m->swappiness,
                         &m->has_swappiness) < 0
      || json_field_bool (c, obj, "disableOOMKiller", &m->disable_oom_killer,
                          &m->has_disable_oom_killer) < 0
      || json_field_bool (c, obj, "useHierarchy", &m->use_hierarchy,
                          &m->has_use_hierarchy) < 0
      || json_field_bool (c, obj, "checkBeforeUpdate",
                          &m->check_before_update,
                          &m->has_check_before_update) < 0)
    return -1;
  return 0;
}

static int
parse_cpu (json_ctx *c, yajl_val obj, void *out)
{
  oci_cpu *cpu = out;
  if (json_field_u64 (c, obj, "shares", &cpu->shares, &cpu->has_shares) < 0
      || json_field_i64 (c, obj, "quota", &cpu->quota, &cpu->has_quota) < 0
      || json_field_u64 (c, obj, "burst", &cpu->burst, &cpu->has_burst) < 0
      || json_field_u64 (c, obj, "period", &cpu->period, &cpu->has_period)
             < 0
      || json_field_i64 (c, obj, "realtimeRuntime", &cpu->realtime_runtime,
                         &cpu->has_realtime_runtime) < 0
      || json_field_u64 (c, obj, "realtimePeriod", &cpu->realtime_period,
                         &cpu->has_realtime_period) < 0
      || json_field_string (c, obj, "cpus", false, &cpu->cpus) < 0
      || json_field_string (c, obj, "mems", false, &cpu->mems) < 0
      || json_field_i64 (c, obj, "idle", &cpu->idle, &cpu->has_idle) < 0)
    return -1;
  return 0;
}

static int
parse_weight_device (json_ctx *c, yajl_val obj, void *out)
{
  oci_block_io_device_weight *w = out;
  if (json_field_i64 (c, obj, "major", &w->major, NULL) < 0
      || json_field_i64 (c, obj, "minor", &w->minor, NULL) < 0
      || json_field_u16 (c, obj, "weight", &w->weight, &w->has_weight) < 0
      || json_field_u16 (c, obj, "leafWeight", &w->leaf_weight,
                         &w->has_leaf_weight) < 0)
    return -1;
  return 0;
}

static int
parse_throttle_device (json_ctx *c, yajl_val obj, void *out)
{
  oci_block_io_device_throttle *t = out;
  bool has;
  if (json_field_i64 (c, obj, "major", &t->major, NULL) < 0
      || json_field_i64 (c, obj, "minor", &t->minor, NULL) < 0
      || json_field_u64 (c, obj, "rate", &t->rate, &has) < 0)
    return -1;
  return 0;
}

static int
parse_block_io (json_ctx *c, yajl_val obj, void *out)
{
  oci_block_io *b = out;
  if (json_field_u16 (c, obj, "weight", &b->weight, &b->has_weight) < 0
      || json_field_u16 (c, obj, "leafWeight", &b->leaf_weight,
                         &b->has_leaf_weight) < 0
      || json_field_object_array (c, obj, "weightDevice", &b->weight_device,
                                  &b->n_weight_device, parse_weight_device)
             < 0
      || json_field_object_array (c, obj, "throttleReadBpsDevice",
                                  &b->throttle_read_bps_device,
                                  &b->n_throttle_read_bps_device,
                                  parse_throttle_device) < 0
      || json_field_object_array (c, obj, "throttleWriteBpsDevice",
                                  &b->throttle_write_bps_device,
                                  &b->n_throttle_write_bps_device,
                                  parse_throttle_device) < 0
      || json_field_object_array (c, obj, "throttleReadIOPSDevice",
                                  &b->throttle_read_iops_device,
                                  &b->n_throttle_read_iops_device,
                                  parse_throttle_device) < 0
      || json_field_object_array (c, obj, "throttleWriteIOPSDevice",
                                  &b->throttle_write_iops_device,
                                  &b->n_throttle_write_iops_device,
                                  parse_throttle_device) < 0)
    return -1;
  return 0;
}

static int
parse_hugepage_limit (json_ctx *c, yajl_val obj, void *out)
{
  oci_hugepage_limit *h = out;
  if (json_field_string (c, obj, "pageSize", true, &h->page_size) < 0
      || json_field_u64 (c, obj, "limit", &h->limit, NULL) < 0)
    return -1;
  return 0;
}

static int
parse_net_priority (json_ctx *c, yajl_val obj, void *out)
{
  oci_net_priority *p = out;
  if (json_field_string (c, obj, "name", true, &p->name) < 0
      || json_field_u32 (c, obj, "priority", &p->priority, NULL) < 0)
    return -1;
  return 0;
}

static int
parse_network (json_ctx *c, yajl_val obj, void *out)
{
  oci_network *n = out;
  if (json_field_u32 (c, obj, "classID", &n->class_id, &n->has_class_id) < 0
      || json_field_object_array (c, obj, "priorities", &n->priorities,
                                  &n->n_priorities, parse_net_priority) < 0)
    return -1;
  return 0;
}

static int
parse_rdma (json_ctx *c, const char *key, yajl_val obj, void *out)
{
  oci_rdma *r = out;
  r->device = xstrdup (key);
  if (json_field_u32 (c, obj, "hcaHandles", &r->hca_handles,
                      &r->has_hca_handles) < 0
      || json_field_u32 (c, obj, "hcaObjects", &r->hca_objects,
                         &r->has_hca_objects) < 0)
    return -1;
  return 0;
}

static int
parse_pids (json_ctx *c, yajl_val obj, oci_resources *r)
{
  yajl_val v = json_get (obj, "pids");
  size_t mark;

  if (v == NULL)
    return 0;
  mark = json_push_field (c, "pids");
  if (json_as_object (c, v) < 0
      || json_field_i64 (c, v, "limit", &r->pids_limit, NULL) < 0)
    return -1;
  json_pop (c, mark);
  r->has_pids_limit = true;
  return 0;
}

int
oci_parse_resources (json_ctx *c, yajl_val obj, void *out)
{
  oci_resources *r = out;
  if (json_field_object_array (c, obj, "devices", &r->devices, &r->n_devices,
                               parse_device_cgroup) < 0
      || json_field_object_new (c, obj, "memory", &r->memory, parse_memory)
             < 0
      || json_field_object_new (c, obj, "cpu", &r->cpu, parse_cpu) < 0
      || parse_pids (c, obj, r) < 0
      || json_field_object_new (c, obj, "blockIO", &r->block_io,
                                parse_block_io) < 0
      || json_field_object_array (c, obj, "hugepageLimits",
                                  &r->hugepage_limits, &r->n_hugepage_limits,
                                  parse_hugepage_limit) < 0
      || json_field_object_new (c, obj, "network", &r->network,
                                parse_network) < 0
      || json_field_object_map (c, obj, "rdma", &r->rdma, &r->n_rdma,
                                parse_rdma) < 0
      || json_field_string_map (c, obj, "unified", &r->unified,
                                &r->n_unified) < 0)
    return -1;
  return 0;
}

void
oci_free_resources (oci_resources *r)
{
  size_t i;

  if (r == NULL)
    return;
  for (i = 0; i < r->n_devices; i++)
    free (r->devices[i].access);
  free (r->devices);
  free (r->memory);
  if (r->cpu)
    {
      free (r->cpu->cpus);
      free (r->cpu->mems);
      free (r->cpu);
    }
  if (r->block_io)
    {
      free (r->block_io->weight_device);
      free (r->block_io->throttle_read_bps_device);
      free (r->block_io->throttle_write_bps_device);
      free (r->block_io->throttle_read_iops_device);
      free (r->block_io->throttle_write_iops_device);
      free (r->block_io);
    }
  for (i = 0; i < r->n_hugepage_limits; i++)
    free (r->hugepage_limits[i].page_size);
  free (r->hugepage_limits);
  if (r->network)
    {
      for (i = 0; i < r->network->n_priorities; i++)
        free (r->network->priorities[i].name);
      free (r->network->priorities);
      free (r->network);
    }
  for (i = 0; i < r->n_rdma; i++)
    free (r->rdma[i].device);
  free (r->rdma);
  json_free_kv (r->unified, r->n_unified);
  free (r);
}
