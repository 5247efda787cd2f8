/* berth: all of linux.resources judged in one place, before anything is
 * written (create) and before the first write of an update, so the v1
 * and v2 writers never fail on input: what is left to fail there is the
 * kernel (a limit below the current usage, a busy cpuset).  Whether this
 * kernel has a knob at all (cpu.cfs_burst_us, cpu.rt_*, memory.memsw.*, a
 * hugetlb hierarchy or page size) is judged here too, from the host's
 * hierarchies, not when the writer finds the file missing.  */
#ifndef BERTH_CGROUP_VALIDATE_H
#define BERTH_CGROUP_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "cgroups/manager.h"
#include "oci-spec/config.h"

/* Knobs of the v1 hierarchies (and the hybrid cgroup2 one) this kernel
   lacks, read from the mounted hierarchies' directories.  Nothing is set
   for a hierarchy that is not mounted: a resource that needs it is then
   refused by the manager ("no memory cgroup hierarchy is mounted").  */
enum
{
  CG_LACKS_MEMSW = 1u << 0,     /* memory.memsw.* (swap accounting off) */
  CG_LACKS_CFS_BURST = 1u << 1, /* cpu.cfs_burst_us */
  CG_LACKS_RT = 1u << 2,        /* cpu.rt_* (no CONFIG_RT_GROUP_SCHED) */
  CG_LACKS_IDLE = 1u << 3,      /* cpu.idle */
  CG_LACKS_HUGETLB = 1u << 4,   /* no hugetlb controller: neither a v1
                                   hierarchy nor in the hybrid cgroup2 */
};

/* What of the host the resources are judged against.  */
#define CG_HOST_MAX_PAGE_SIZES 8
typedef struct cg_host
{
  char *cpus_online;  /* /sys/devices/system/cpu/online: "0-3" */
  char *mems_online;  /* /sys/devices/system/node/online; "0" without NUMA */
  uint64_t page_sizes[CG_HOST_MAX_PAGE_SIZES]; /* huge page sizes, bytes */
  size_t n_page_sizes;
  unsigned lacks;     /* CG_LACKS_*; 0: every knob is there */
} cg_host;

/* The host as cgroup `mode` (cgroup_detect_mode) sees it.  Each part
   (online CPUs, online nodes, huge page sizes, the v1 knobs `lacks`) is
   read only when `wants` sets what it judges (NULL: read them all); the
   others stay NULL/0.  */
int cg_host_read (cg_host *h, cgroup_mode mode, const oci_resources *wants,
                  berth_error **err);
void cg_host_release (cg_host *h);

/* A cpuset list ("0-3,7") into a bitmap of `max` bits; -1 on a syntax
   error or a number >= max.  */
int cg_cpu_list_parse (const char *list, uint8_t *bits, size_t max);

/* The pure check, against `host`.  Messages name the field:
   "cpu.cpus: \"9999\": CPU 9999 is not online (online: 0-1)".  */
int cg_resources_check (cgroup_mode mode, const cg_host *host,
                        const oci_resources *r, berth_error **err);

/* cg_resources_check against this host.  */
int cgroup_resources_validate (cgroup_mode mode, const oci_resources *r,
                               berth_error **err);

#endif
