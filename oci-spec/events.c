/* berth: `berth events` JSON: runc's types.Event and types.Stats, which
 * engines decode (field names, omitempty and all).  */
#include "oci-spec/events.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "oci-spec/json-gen.h"

static void
gen_key (yajl_gen g, const char *key)
{
  yajl_gen_string (g, (const unsigned char *) key, strlen (key));
}

static void
gen_u64 (yajl_gen g, const char *key, uint64_t v)
{
  char buf[32];
  int n = snprintf (buf, sizeof buf, "%" PRIu64, v);
  gen_key (g, key);
  yajl_gen_number (g, buf, (size_t) n);
}

/* Go's `omitempty`: runc's fields that have it vanish when zero.  */
static void
gen_u64_omitempty (yajl_gen g, const char *key, uint64_t v)
{
  if (v != 0)
    gen_u64 (g, key, v);
}

static void
gen_memory_entry (yajl_gen g, const char *key, uint64_t limit,
                  uint64_t usage, uint64_t max, uint64_t failcnt)
{
  gen_key (g, key);
  yajl_gen_map_open (g);
  gen_u64 (g, "limit", limit);
  gen_u64_omitempty (g, "usage", usage);
  gen_u64_omitempty (g, "max", max);
  gen_u64 (g, "failcnt", failcnt);
  yajl_gen_map_close (g);
}

/* runc's per-CPU arrays (omitempty).  */
static void
gen_u64_array (yajl_gen g, const char *key, const uint64_t *v, size_t n)
{
  char buf[32];

  if (n == 0)
    return;
  gen_key (g, key);
  yajl_gen_array_open (g);
  for (size_t i = 0; i < n; i++)
    {
      int len = snprintf (buf, sizeof buf, "%" PRIu64, v[i]);
      yajl_gen_number (g, buf, (size_t) len);
    }
  yajl_gen_array_close (g);
}

/* runc's blkio entries: Read and Write per device; runc's omitempty drops
   zero values.  */
static void
gen_blkio_list (yajl_gen g, const char *key, const oci_stats *s,
                bool bytes)
{
  if (s->n_io == 0)
    return;
  gen_key (g, key);
  yajl_gen_array_open (g);
  for (size_t d = 0; d < s->n_io; d++)
    for (int i = 0; i < 2; i++)
      {
        const oci_io_stats *e = &s->io[d];
        uint64_t v = bytes ? (i == 0 ? e->read_bytes : e->write_bytes)
                           : (i == 0 ? e->read_ios : e->write_ios);
        yajl_gen_map_open (g);
        gen_u64_omitempty (g, "major", e->major);
        gen_u64_omitempty (g, "minor", e->minor);
        gen_key (g, "op");
        gen_key (g, i == 0 ? "Read" : "Write");
        gen_u64_omitempty (g, "value", v);
        yajl_gen_map_close (g);
      }
  yajl_gen_array_close (g);
}

static void
gen_u16_array (yajl_gen g, const char *key, const uint16_t *v, size_t n)
{
  gen_key (g, key);
  yajl_gen_array_open (g);
  for (size_t i = 0; i < n; i++)
    json_gen_int (g, v[i]);
  yajl_gen_array_close (g);
}

/* runc's CPUSetStats (v1), its field names and order.  */
static void
gen_cpuset (yajl_gen g, const oci_stats *s)
{
  static const char *const names[OCI_STATS_CPUSET_FLAGS] = {
    "cpu_exclusive",      "mem_hardwall",       "mem_exclusive",
    "memory_migrate",     "memory_spread_page", "memory_spread_slab",
    "memory_pressure",    "sched_load_balance", "sched_relax_domain_level",
  };

  gen_key (g, "cpuset");
  yajl_gen_map_open (g);
  gen_u16_array (g, "cpus", s->cpuset_cpus, s->n_cpuset_cpus);
  gen_key (g, names[0]);
  json_gen_int (g, s->cpuset_flags[0]);
  gen_u16_array (g, "mems", s->cpuset_mems, s->n_cpuset_mems);
  for (int i = 1; i < OCI_STATS_CPUSET_FLAGS; i++)
    {
      gen_key (g, names[i]);
      json_gen_int (g, s->cpuset_flags[i]);
    }
  yajl_gen_map_close (g);
}

static void
gen_stats (yajl_gen g, const oci_stats *s)
{
  yajl_gen_map_open (g);

  gen_key (g, "cpu");
  yajl_gen_map_open (g);
  gen_key (g, "usage");
  yajl_gen_map_open (g);
  gen_u64_omitempty (g, "total", s->cpu_usage_total_ns);
  gen_u64_array (g, "percpu", s->cpu_percpu_ns, s->n_cpus);
  gen_u64_array (g, "percpu_kernel", s->cpu_percpu_kernel_ns,
                 s->n_cpus_split);
  gen_u64_array (g, "percpu_user", s->cpu_percpu_user_ns, s->n_cpus_split);
  gen_u64 (g, "kernel", s->cpu_usage_kernel_ns);
  gen_u64 (g, "user", s->cpu_usage_user_ns);
  yajl_gen_map_close (g);
  gen_key (g, "throttling");
  yajl_gen_map_open (g);
  gen_u64_omitempty (g, "periods", s->cpu_throttling_periods);
  gen_u64_omitempty (g, "throttledPeriods",
                     s->cpu_throttling_throttled_periods);
  gen_u64_omitempty (g, "throttledTime", s->cpu_throttling_throttled_time_ns);
  yajl_gen_map_close (g);
  yajl_gen_map_close (g);

  if (s->has_cpuset)
    gen_cpuset (g, s);

  gen_key (g, "memory");
  yajl_gen_map_open (g);
  gen_u64_omitempty (g, "cache", s->memory_cache);
  gen_memory_entry (g, "usage", s->memory_limit, s->memory_usage,
                    s->memory_max_usage, s->memory_failcnt);
  gen_memory_entry (g, "swap", s->memory_swap_limit, s->memory_swap_usage,
                    s->memory_swap_max, s->memory_swap_failcnt);
  gen_memory_entry (g, "kernel", s->kernel_limit, s->kernel_usage,
                    s->kernel_max, s->kernel_failcnt);
  gen_memory_entry (g, "kernelTCP", s->kernel_tcp_limit, s->kernel_tcp_usage,
                    s->kernel_tcp_max, s->kernel_tcp_failcnt);
  if (s->n_memory_raw)
    {
      gen_key (g, "raw");
      yajl_gen_map_open (g);
      for (size_t i = 0; i < s->n_memory_raw; i++)
        gen_u64 (g, s->memory_raw[i].key, s->memory_raw[i].value);
      yajl_gen_map_close (g);
    }
  yajl_gen_map_close (g);

  gen_key (g, "pids");
  yajl_gen_map_open (g);
  gen_u64_omitempty (g, "current", s->pids_current);
  gen_u64_omitempty (g, "limit", s->pids_limit);
  yajl_gen_map_close (g);

  gen_key (g, "blkio");
  yajl_gen_map_open (g);
  gen_blkio_list (g, "ioServiceBytesRecursive", s, true);
  gen_blkio_list (g, "ioServicedRecursive", s, false);
  yajl_gen_map_close (g);

  gen_key (g, "hugetlb");
  yajl_gen_map_open (g);
  yajl_gen_map_close (g);
  gen_key (g, "intel_rdt");
  yajl_gen_map_open (g);
  yajl_gen_map_close (g);
  gen_key (g, "network_interfaces");
  yajl_gen_null (g);

  yajl_gen_map_close (g);
}

char *
oci_event_to_json (const char *type, const char *id, const oci_stats *s,
                   size_t *len)
{
  yajl_gen g = json_gen_new (NULL);

  yajl_gen_map_open (g);
  gen_key (g, "type");
  json_gen_str (g, type);
  gen_key (g, "id");
  json_gen_str (g, id);
  if (s)
    {
      gen_key (g, "data");
      gen_stats (g, s);
    }
  yajl_gen_map_close (g);
  return json_gen_finish (g, len);
}

char *
oci_pids_to_json (const int *pids, size_t n, size_t *len)
{
  yajl_gen g = json_gen_new (NULL);

  yajl_gen_array_open (g);
  for (size_t i = 0; i < n; i++)
    json_gen_int (g, pids[i]);
  yajl_gen_array_close (g);
  return json_gen_finish (g, len);
}
