/* berth: the pure part of the cgroup managers: value conversions between
 * the spec, cgroup v1 and cgroup v2, path resolution, device rule
 * compilation and the parsers of the kernel's cgroup files.  No syscalls:
 * every function here is unit-tested (tests/unit/test-cgroups.c).  */
#ifndef BERTH_CGROUP_CONVERT_H
#define BERTH_CGROUP_CONVERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "cgroups/manager.h"
#include "oci-spec/config.h"

/* ---- values ---------------------------------------------------------- */

/* cpu.shares (v1, 2..262144) to cpu.weight (v2, 1..10000) with runc 1.1's
   linear map 1 + (shares - 2) * 9999 / 262142 (crun ≥ 1.11 has a quadratic
   one; runc's is what most tooling expects).  Out-of-range shares are
   clamped first, as the kernel clamps cpu.shares.  0 → 0 (unset).  */
uint64_t cg_shares_to_weight (uint64_t shares);

/* blkio.weight (10..1000) to io.weight (1..10000):
   1 + (w - 10) * 9999 / 990, clamped.  0 → 0 (unset).  */
uint64_t cg_blkio_to_io_weight (uint64_t weight);

/* The memory.swap.max value (v2 limits swap alone, the spec gives
   memory+swap): *out is a malloc'd "max" or decimal number, or NULL when
   nothing is to be written.  Errors name the field.  */
int cg_swap_v2 (const oci_memory *mem, char **out, berth_error **err);

/* A v2 limit: -1 → "max", else the decimal number.  */
char *cg_limit_str (int64_t v);

/* "123" → 123, "max" → UINT64_MAX (surrounding blanks ignored).  */
int cg_parse_u64_max (const char *s, uint64_t *out);

/* The cpu.max line for a quota/period update, keeping what is not given
   from `current` (the file's current "max 100000"); NULL when neither is
   given.  quota -1 (or any negative) → "max"; quota 0 is "unset" as in
   runc.  */
char *cg_cpu_max (const oci_cpu *cpu, const char *current);

/* "2MB", "64KB", "1GB" (base 1024, as the spec) into bytes; the kernel's
   file name for that size (its "%luGB/MB/KB" form) in *name.  */
int cg_page_size_parse (const char *s, uint64_t *bytes, char **name,
                        berth_error **err);

/* ---- paths ----------------------------------------------------------- */

/* "/a/b" → "/a"; "/a" → "/"; "/" → "/".  */
char *cg_path_parent (const char *path);

/* Resolves linux.cgroupsPath as runc's cgroupfs driver does: absolute
   from the hierarchy root, relative under `base` (v1: berth's own cgroup
   of the hierarchy; v2: its parent), absent or empty → relative `id`.
   Rejects ".." components, ';' and newlines, the systemd
   "slice:prefix:name" form and a path resolving to the root.
   *out: the normalised path ("/a/b", no "." or empty components).  */
int cg_resolve_path (const char *cgroups_path, const char *id,
                     const char *base, char **out, berth_error **err);

/* ---- the kernel's files ---------------------------------------------- */

/* The value of `key` in a flat keyed file ("key value\n" lines:
   cgroup.events, cpu.stat, memory.stat, memory.events, oom_control).
   false when the key is absent or its value is not a number.  */
bool cg_kv_get (const char *text, const char *key, uint64_t *out);
/* Every "key value" line of `text` (memory.stat) into s->memory_raw.  */
void cg_kv_all (const char *text, cgroup_stats *s);

/* v2 io.stat ("8:0 rbytes=1 wbytes=2 rios=3 wios=4 ...") into one entry
   per device.  */
void cg_io_stat_parse (const char *text, cgroup_stats *s);

/* A v1 blkio.throttle.io_service_bytes_recursive (bytes true) or
   io_serviced_recursive file ("8:0 Read 123") into the entries per
   device.  */
void cg_blkio_parse (const char *text, bool bytes, cgroup_stats *s);

/* Whether the space-separated word list (cgroup.controllers,
   cgroup.subtree_control) holds `word`.  */
bool cg_words_has (const char *list, const char *word);

/* Validates a linux.resources.unified key: a plain file name of the
   cgroup directory ("memory.high"), not one berth owns (cgroup.procs,
   cgroup.threads, cgroup.subtree_control, cgroup.kill, cgroup.freeze,
   cgroup.type).  *controller: its controller ("memory"; "cgroup" for the
   core files), malloc'd.  */
int cg_unified_key_check (const char *key, char **controller,
                          berth_error **err);

/* A v1/hybrid manager's state string (fs-manager.c), entries joined by
   ';': "controllers:path" per hierarchy (the cgroup2 one with no name),
   and for each hierarchy whose mount berth recorded, one more entry
   "+controllers@mountpoint@mount_root:/".  An older berth skips those as
   hierarchies it does not find.  */
typedef struct cg_state_entry
{
  char *controllers;
  char *path;
  char *mountpoint;  /* NULL: not recorded, look in mountinfo */
  char *mount_root;
} cg_state_entry;

/* The hierarchies' entries of `state`, each with its recorded mount when
   there is one; an error names a malformed entry (no ":/", a "/.." in a
   path, a mount entry that is not two absolute paths).  */
int cg_state_parse (const char *state, cg_state_entry **out, size_t *n,
                    berth_error **err);
void cg_state_entries_free (cg_state_entry *e, size_t n);

/* The directory of the hierarchy named `controllers` in a v1/hybrid state
   string (the systemd driver's too): under its recorded mount, else
   `fallback_mount` + path (malloc'd); NULL when the state has no such
   entry.  */
char *cg_state_dir (const char *state, const char *controllers,
                    const char *fallback_mount);

/* The directory of cgroup `path` under a mount: mountpoint + path, less
   the mount root when the mount is a subtree holding the path.  */
char *cg_hierarchy_dir (const char *mountpoint, const char *mount_root,
                        const char *path);

/* Whether comma-separated `controllers` ("cpu,cpuacct") holds `name`.  */
bool cg_controllers_has (const char *controllers, const char *name);

/* ---- devices ------------------------------------------------------------ */

#define CG_DEV_MKNOD 1u
#define CG_DEV_READ 2u
#define CG_DEV_WRITE 4u

typedef struct cg_dev_rule
{
  char type;       /* 'b' or 'c' */
  int64_t major;   /* -1: any */
  int64_t minor;   /* -1: any */
  unsigned access; /* CG_DEV_* bits */
  bool allow;
} cg_dev_rule;

/* linux.resources.devices compiled: the last "all devices" rule (type 'a'
   with no major and minor) resets everything before it and sets the
   default; the rules after it, in order (a type 'a' rule with a number
   becomes a 'b' and a 'c' rule).  With no reset the default is allow (a
   new cgroup's default).  */
typedef struct cg_dev_program
{
  bool has_reset;
  bool default_allow;
  cg_dev_rule *rules;
  size_t n_rules;
} cg_dev_program;

/* The CG_DEV_* bits of a rule's access string.  Letters other than r, w
   and m are skipped, as runc does (its Permissions ignore them; refusing
   them broke runc's own device update test, which engines' configs
   follow); *unknown (when not NULL) tells whether there were any, for
   the validation pass to warn.  */
unsigned cg_dev_access_bits (const char *access, bool *unknown);

int cg_dev_compile (const oci_device_cgroup *devs, size_t n,
                    cg_dev_program *out, berth_error **err);
void cg_dev_program_free (cg_dev_program *p);

/* The verdict of the compiled rules, the reference semantics the eBPF
   program implements: each requested access bit is decided by the last
   rule that matches the device and holds that bit (else the default); the
   access is allowed when every requested bit is.  */
bool cg_dev_check (const cg_dev_program *p, char type, uint32_t major,
                   uint32_t minor, unsigned access);

/* A rule as a v1 devices.allow/devices.deny line: "c 1:3 rwm",
   "b 8:* r".  */
char *cg_dev_rule_v1 (const cg_dev_rule *r);

#endif
