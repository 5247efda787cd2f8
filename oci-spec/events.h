/* berth: the statistics `berth events` reports, and their JSON: runc's
 * types.Event {"type","id","data"} with types.Stats as data.  The cgroup
 * managers (cgroups/) fill the struct; oci-spec writes it.  */
#ifndef BERTH_OCI_EVENTS_H
#define BERTH_OCI_EVENTS_H

#include <stddef.h>
#include <stdint.h>

#define OCI_STATS_MAX_DEVICES 64

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
