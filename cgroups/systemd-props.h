/* berth: the pure part of the systemd cgroup driver: runc's cgroupsPath
 * "slice:prefix:name" rules, and linux.resources as systemd unit
 * properties.  No syscalls but the read of /proc/devices the caller passes
 * in: unit-tested in tests/unit/test-systemd.c.  */
#ifndef BERTH_CGROUP_SYSTEMD_PROPS_H
#define BERTH_CGROUP_SYSTEMD_PROPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "oci-spec/config.h"

/* Where a container goes with --systemd-cgroup.  */
typedef struct sd_unit_path
{
  char *slice;  /* the parent slice: "system.slice" */
  char *unit;   /* "berth-abc.scope", or "x.slice" */
  char *path;   /* the unit's cgroup from the hierarchy root */
  bool is_slice;
} sd_unit_path;

/* runc 1.1's rules: "slice:prefix:name" (exactly three fields); an empty
   slice is system.slice, "-.slice" the root; the unit is "prefix-name.scope"
   ("name.scope" with an empty prefix) unless name ends in ".slice", then it
   is that slice.  An empty or absent cgroupsPath is ":berth:<id>" (runc's
   is ":runc:<id>": each runtime names its own scopes).  */
int cg_sd_unit_path (const char *cgroups_path, const char *id,
                     sd_unit_path *out, berth_error **err);
void cg_sd_unit_path_free (sd_unit_path *p);

/* systemd's slice name to its cgroup path, as runc's ExpandSlice:
   "a-b.slice" → "/a.slice/a-b.slice", "-.slice" → "/".  */
int cg_sd_expand_slice (const char *slice, char **out, berth_error **err);

/* ---- properties ------------------------------------------------------- */

typedef enum sd_prop_type
{
  SD_PROP_U64,    /* t */
  SD_PROP_BOOL,   /* b */
  SD_PROP_STR,    /* s */
  SD_PROP_BYTES,  /* ay: AllowedCPUs, AllowedMemoryNodes */
  SD_PROP_PAIRS_ST, /* a(st): IO limits per device */
  SD_PROP_PAIRS_SS, /* a(ss): DeviceAllow */
} sd_prop_type;

typedef struct sd_prop_item
{
  char *s;
  char *s2;
  uint64_t u;
} sd_prop_item;

typedef struct sd_prop
{
  char *name;
  sd_prop_type type;
  uint64_t u;
  bool b;
  char *s;
  uint8_t *bytes;
  size_t n_bytes;
  sd_prop_item *items;
  size_t n_items;
  /* Lists only: systemd merges a list into the unit's by device; with
     reset, an empty list goes first, so the items replace the unit's.  */
  bool reset;
} sd_prop;

typedef struct sd_props
{
  sd_prop *v;
  size_t n;
} sd_props;

void sd_props_u64 (sd_props *p, const char *name, uint64_t v);
void sd_props_bool (sd_props *p, const char *name, bool v);
void sd_props_str (sd_props *p, const char *name, const char *v);
void sd_props_free (sd_props *p);
/* An empty property of `type` (replacing one of the same name), for the
   values read back from systemd.  */
sd_prop *sd_props_add (sd_props *p, const char *name, sd_prop_type type);
/* One (s, u) or (s, s2) entry of a list property; the strings are
   copied.  */
void sd_prop_item_add (sd_prop *e, const char *s, const char *s2,
                       uint64_t u);
const sd_prop *sd_props_find (const sd_props *p, const char *name);

/* linux.resources as properties for cgroup v2 (unified true) or v1, as
   runc's systemd drivers set them (accounting on; what has no property is
   written to the cgroup files by the caller).  proc_devices: the text of
   /proc/devices, for a device rule with a wildcard minor ("char-pts");
   NULL skips those.  Errors name the field.  */
int cg_sd_resources_props (sd_props *p, const oci_resources *r, bool unified,
                           const char *proc_devices, berth_error **err);

/* "0-3,5" → a little-endian bit mask (bit n of byte n/8), as systemd's
   AllowedCPUs takes it.  */
int cg_sd_cpuset_mask (const char *list, uint8_t **mask, size_t *n,
                       berth_error **err);

/* CPUQuotaPerSecUSec for quota/period (µs), rounded up to 10 ms as runc
   does (systemd before v242 kept only that); quota < 0 → UINT64_MAX.  */
uint64_t cg_sd_quota_per_sec (int64_t quota, uint64_t period);

#endif
