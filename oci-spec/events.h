/* berth: the statistics `berth events` reports, and their JSON: runc's
 * types.Event {"type","id","data"} with types.Stats as data.  The cgroup
 * managers (cgroups/) fill the struct; oci-spec writes it.  */
#ifndef BERTH_OCI_EVENTS_H
#define BERTH_OCI_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define OCI_STATS_MAX_DEVICES 64
#define OCI_STATS_MAX_RAW 96
#define OCI_STATS_MAX_CPUS 512
#define OCI_STATS_CPUSET_FLAGS 9

typedef struct oci_io_stats
{
  unsigned major, minor;
  uint64_t read_bytes, write_bytes, read_ios, write_ios;
} oci_io_stats;

typedef struct oci_stats
{
  /* cpu */
  uint64_t cpu_usage_total_ns;
  uint64_t cpu_usage_user_ns;
  uint64_t cpu_usage_kernel_ns;
  uint64_t cpu_throttling_periods;
  uint64_t cpu_throttling_throttled_periods;
  uint64_t cpu_throttling_throttled_time_ns;
  /* memory */
  uint64_t memory_usage;
  uint64_t memory_max_usage;   /* v1 max_usage_in_bytes; v2 memory.peak */
  uint64_t memory_limit;       /* UINT64_MAX when unlimited */
  uint64_t memory_swap_usage;  /* memory+swap on v1 and v2 (as runc) */
  uint64_t memory_swap_limit;  /* memory+swap; UINT64_MAX when unlimited */
  uint64_t memory_cache;       /* v1 cache; v2 file */
  uint64_t memory_oom_events;  /* v2 memory.events oom_kill; v1 oom_control
                                  oom_kill */
  /* v1, as runc reports them: the limits are the files' values (an
     unlimited one is 9223372036854771712, not UINT64_MAX), with the
     fail counts and the peaks of memory+swap and of kernel memory.  */
  uint64_t memory_failcnt;
  uint64_t memory_swap_max;
  uint64_t memory_swap_failcnt;
  uint64_t kernel_usage, kernel_max, kernel_limit, kernel_failcnt;
  uint64_t kernel_tcp_usage, kernel_tcp_max, kernel_tcp_limit;
  uint64_t kernel_tcp_failcnt;
  /* v1 memory.stat, whole (runc's memory.raw), the first
     OCI_STATS_MAX_RAW entries.  */
  struct
  {
    char key[48];
    uint64_t value;
  } memory_raw[OCI_STATS_MAX_RAW];
  size_t n_memory_raw;
  /* v1 cpuacct per CPU: usage_percpu, and usage_all's user and system
     columns (n_cpus_split of them; 0 on kernels without usage_all).  */
  uint64_t cpu_percpu_ns[OCI_STATS_MAX_CPUS];
  uint64_t cpu_percpu_user_ns[OCI_STATS_MAX_CPUS];
  uint64_t cpu_percpu_kernel_ns[OCI_STATS_MAX_CPUS];
  size_t n_cpus, n_cpus_split;
  /* v1 cpuset (runc's "cpuset"): has_cpuset when the hierarchy is
     there; cpus and mems expanded from the kernel's list format (the
     first OCI_STATS_MAX_CPUS), then the flag files in runc's order:
     cpu_exclusive, mem_hardwall, mem_exclusive, memory_migrate,
     memory_spread_page, memory_spread_slab, memory_pressure,
     sched_load_balance, sched_relax_domain_level.  */
  bool has_cpuset;
  uint16_t cpuset_cpus[OCI_STATS_MAX_CPUS];
  size_t n_cpuset_cpus;
  uint16_t cpuset_mems[OCI_STATS_MAX_CPUS];
  size_t n_cpuset_mems;
  int64_t cpuset_flags[OCI_STATS_CPUSET_FLAGS];
  /* pids */
  uint64_t pids_current;
  uint64_t pids_limit;         /* 0 when unlimited */
  /* blkio / io, per device (the first OCI_STATS_MAX_DEVICES) */
  oci_io_stats io[OCI_STATS_MAX_DEVICES];
  size_t n_io;
} oci_stats;

/* One event, compact, no newline: {"type":type,"id":id} and, when `s` is
   not NULL, "data" with the stats.  Malloc'd; *len (when not NULL) gets
   its length.  */
char *oci_event_to_json (const char *type, const char *id,
                         const oci_stats *s, size_t *len);

/* `berth ps --format json`: the host pids as a JSON array.  */
char *oci_pids_to_json (const int *pids, size_t n, size_t *len);

#endif
