/* berth: the cgroup v2 files of a memory balloon (`berth balloon`):
 * memory.reclaim written in steps, memory.pressure and memory.stat read,
 * memory.high set and put back.  Only files and their formats: when to
 * write what is libcontainer/lifecycle/balloon.c's.  */
#ifndef BERTH_CGROUP_BALLOON_H
#define BERTH_CGROUP_BALLOON_H

#include <stdbool.h>
#include <stdint.h>

#include "base/error.h"
#include "cgroups/manager.h"

/* memory.high and memory.max's "max".  */
#define CG_BALLOON_MAX UINT64_MAX

/* One line of a PSI file (memory.pressure): "some" and "full".  */
typedef struct cg_pressure_line
{
  double avg10, avg60, avg300; /* percent of wall time stalled */
  uint64_t total;              /* microseconds stalled since creation */
} cg_pressure_line;

typedef struct cg_pressure
{
  cg_pressure_line some, full;
} cg_pressure;

/* The memory.stat keys ballooning reads (bytes); keys not there are 0.  */
typedef struct cg_memory_stat
{
  uint64_t anon, file, shmem, active_file, inactive_file, active_anon,
      inactive_anon, slab_reclaimable;
} cg_memory_stat;

/* Pure (balloon-parse.c, unit-tested).  */

/* "some avg10=0.12 avg60=0.00 avg300=0.00 total=1234\nfull ...".  A
   missing "full" line (kernels before 5.13 had none for cpu) is zeros;
   a missing "some" line or a malformed one is an error.  */
int cg_pressure_parse (const char *text, cg_pressure *out,
                       berth_error **err);

/* memory.stat's "key value" lines; unknown keys are skipped.  */
int cg_memory_stat_parse (const char *text, cg_memory_stat *out,
                          berth_error **err);

/* A size: bytes, or with a suffix k, m, g, t (powers of 1024; "64m",
   "1g", "512k", also "64M", "64MiB", "64mb"); "max" is CG_BALLOON_MAX
   when allow_max.  */
int cg_size_parse (const char *s, bool allow_max, uint64_t *out,
                   berth_error **err);

/* A percentage: "10", "10%", "0.1%" (0 to 100).  */
int cg_percent_parse (const char *s, double *out, berth_error **err);

/* The container's memory files: its cgroup v2 directory.  */
typedef struct cg_balloon cg_balloon;

/* What the kernel reports of the cgroup at one moment.  */
typedef struct cg_balloon_sample
{
  uint64_t current;      /* memory.current */
  uint64_t high;         /* memory.high; CG_BALLOON_MAX: "max" */
  uint64_t max;          /* memory.max; CG_BALLOON_MAX: "max" */
  uint64_t swap_current; /* memory.swap.current; 0 without the file */
  uint64_t swap_max;     /* memory.swap.max; 0 without the file */
  uint64_t oom_kill;     /* memory.events oom_kill */
  cg_memory_stat stat;
  cg_pressure pressure;
} cg_balloon_sample;

/* Opens the memory files of m's cgroup.  Ballooning is cgroup v2 only:
   on v1 or hybrid, without a memory controller in the cgroup, or on a
   kernel without memory.reclaim (5.19) or memory.pressure (PSI off:
   boot with psi=1), the error names what is missing.  */
int cg_balloon_open (cgroup_manager *m, cg_balloon **out, berth_error **err);

/* The cgroup directory, for messages.  */
const char *cg_balloon_dir (const cg_balloon *b);

int cg_balloon_sample_read (cg_balloon *b, cg_balloon_sample *s,
                            berth_error **err);

/* Asks the kernel to reclaim `bytes` from the cgroup (memory.reclaim).
   The kernel's EAGAIN (it tried and reclaimed less) is not an error:
   *all is false then.  */
int cg_balloon_reclaim (cg_balloon *b, uint64_t bytes, bool *all,
                        berth_error **err);

/* memory.high: bytes, or CG_BALLOON_MAX for "max".  */
int cg_balloon_set_high (cg_balloon *b, uint64_t high, berth_error **err);

/* Whether the host has any swap (SwapTotal of /proc/meminfo).  */
bool cg_host_has_swap (void);

void cg_balloon_free (cg_balloon *b);

static inline void
cg_balloon_freep (cg_balloon **b)
{
  cg_balloon_free (*b);
}

#define cleanup_cg_balloon __attribute__ ((cleanup (cg_balloon_freep)))

#endif
