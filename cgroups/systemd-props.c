/* berth: cgroupsPath "slice:prefix:name" and linux.resources as systemd
 * unit properties (pure; see systemd-props.h).  */
#include "cgroups/systemd-props.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/cleanup.h"
#include "base/utils.h"
#include "cgroups/convert.h"

#define SLICE_SUFFIX ".slice"

int
cg_sd_expand_slice (const char *slice, char **out, berth_error **err)
{
  size_t len = strlen (slice), sl = strlen (SLICE_SUFFIX);
  cleanup_free char *name = NULL;
  char *path, *prefix, *save = NULL;

  *out = NULL;
  if (len <= sl || strcmp (slice + len - sl, SLICE_SUFFIX) != 0
      || strchr (slice, '/'))
    return berth_error_set (err, 0,
                            "invalid slice name \"%s\" (a systemd slice: "
                            "\"name.slice\", no '/')",
                            slice);
  name = strndup (slice, len - sl);
  if (strcmp (name, "-") == 0)
    {
      *out = xstrdup ("/");
      return 0;
    }
  /* "a--b.slice", "-a.slice" and "a-.slice" have an empty component.  */
  if (name[0] == '-' || name[strlen (name) - 1] == '-' || strstr (name, "--"))
    return berth_error_set (err, 0,
                            "invalid slice name \"%s\" (an empty component "
                            "between dashes)",
                            slice);
  path = xstrdup ("");
  prefix = xstrdup ("");
  for (char *c = strtok_r (name, "-", &save); c; c = strtok_r (NULL, "-", &save))
    {
      char *np = xasprintf ("%s/%s%s" SLICE_SUFFIX, path, prefix, c);
      char *npre = xasprintf ("%s%s-", prefix, c);
      free (path);
      free (prefix);
      path = np;
      prefix = npre;
    }
  free (prefix);
  *out = path;
  return 0;
}

void
cg_sd_unit_path_free (sd_unit_path *p)
{
  free (p->slice);
  free (p->unit);
  free (p->path);
  memset (p, 0, sizeof *p);
}

static bool
ends_with (const char *s, const char *suffix)
{
  size_t a = strlen (s), b = strlen (suffix);
  return a >= b && strcmp (s + a - b, suffix) == 0;
}

int
cg_sd_unit_path (const char *cgroups_path, const char *id, sd_unit_path *out,
                 berth_error **err)
{
  cleanup_free char *copy = NULL;
  cleanup_free char *slice_path = NULL;
  const char *slice, *prefix, *name;
  char *c1, *c2;

  memset (out, 0, sizeof *out);
  if (cgroups_path == NULL || cgroups_path[0] == '\0')
    {
      slice = "";
      prefix = "berth";
      name = id;
    }
  else
    {
      copy = xstrdup (cgroups_path);
      c1 = strchr (copy, ':');
      c2 = c1 ? strchr (c1 + 1, ':') : NULL;
      if (c2 == NULL || strchr (c2 + 1, ':'))
        return berth_error_set (err, 0,
                                "linux.cgroupsPath \"%s\": with "
                                "--systemd-cgroup it is "
                                "\"slice:prefix:name\" (runc's form)",
                                cgroups_path);
      *c1 = *c2 = '\0';
      slice = copy;
      prefix = c1 + 1;
      name = c2 + 1;
    }
  if (name[0] == '\0')
    return berth_error_set (err, 0,
                            "linux.cgroupsPath \"%s\": the name (the third "
                            "field) is empty",
                            cgroups_path);
  if (strchr (name, '/') || strchr (prefix, '/') || strchr (name, ';')
      || strchr (prefix, ';') || strchr (name, '\n') || strchr (prefix, '\n'))
    return berth_error_set (err, 0,
                            "linux.cgroupsPath \"%s\": '/', ';' and newlines "
                            "are not allowed in a unit name",
                            cgroups_path ? cgroups_path : "");
  if (slice[0] == '\0')
    slice = "system.slice";
  if (cg_sd_expand_slice (slice, &slice_path, err) < 0)
    return berth_error_wrap (err, "linux.cgroupsPath");

  out->slice = xstrdup (slice);
  if (ends_with (name, SLICE_SUFFIX))
    {
      /* A slice's place follows from its own name, not from the parent
         field (systemd puts "a-b.slice" in "a.slice" whatever we say).  */
      out->is_slice = true;
      out->unit = xstrdup (name);
      if (cg_sd_expand_slice (name, &out->path, err) < 0)
        {
          cg_sd_unit_path_free (out);
          return berth_error_wrap (err, "linux.cgroupsPath");
        }
      if (strcmp (out->path, "/") == 0)
        {
          cg_sd_unit_path_free (out);
          return berth_error_set (err, 0, "linux.cgroupsPath \"%s\": the "
                                  "root slice cannot hold a container",
                                  cgroups_path);
        }
      return 0;
    }
  out->unit = prefix[0] ? xasprintf ("%s-%s.scope", prefix, name)
                        : xasprintf ("%s.scope", name);
  out->path = xasprintf ("%s/%s", strcmp (slice_path, "/") == 0 ? ""
                                                               : slice_path,
                         out->unit);
  return 0;
}

/* ---- the property list -------------------------------------------------- */

static void
prop_clear (sd_prop *e)
{
  free (e->name);
  free (e->s);
  free (e->bytes);
  for (size_t j = 0; j < e->n_items; j++)
    {
      free (e->items[j].s);
      free (e->items[j].s2);
    }
  free (e->items);
}

static sd_prop *
prop_set (sd_props *p, const char *name, sd_prop_type type)
{
  sd_prop *e = NULL;

  /* A later value replaces an earlier one (unified keys override the
     typed fields, as their files do).  */
  for (size_t i = 0; i < p->n; i++)
    if (strcmp (p->v[i].name, name) == 0)
      {
        e = &p->v[i];
        prop_clear (e);
        break;
      }
  if (e == NULL)
    {
      p->v = xrealloc (p->v, (p->n + 1) * sizeof *p->v);
      e = &p->v[p->n++];
    }
  memset (e, 0, sizeof *e);
  e->name = xstrdup (name);
  e->type = type;
  return e;
}

void
sd_props_u64 (sd_props *p, const char *name, uint64_t v)
{
  prop_set (p, name, SD_PROP_U64)->u = v;
}

void
sd_props_bool (sd_props *p, const char *name, bool v)
{
  prop_set (p, name, SD_PROP_BOOL)->b = v;
}

void
sd_props_str (sd_props *p, const char *name, const char *v)
{
  prop_set (p, name, SD_PROP_STR)->s = xstrdup (v);
}

static void
item_add (sd_prop *e, char *s, char *s2, uint64_t u)
{
  e->items = xrealloc (e->items, (e->n_items + 1) * sizeof *e->items);
  e->items[e->n_items++] = (sd_prop_item){ .s = s, .s2 = s2, .u = u };
}

sd_prop *
sd_props_add (sd_props *p, const char *name, sd_prop_type type)
{
  return prop_set (p, name, type);
}

void
sd_prop_item_add (sd_prop *e, const char *s, const char *s2, uint64_t u)
{
  item_add (e, s ? xstrdup (s) : NULL, s2 ? xstrdup (s2) : NULL, u);
}

void
sd_props_free (sd_props *p)
{
  for (size_t i = 0; i < p->n; i++)
    prop_clear (&p->v[i]);
  free (p->v);
  p->v = NULL;
  p->n = 0;
}

const sd_prop *
sd_props_find (const sd_props *p, const char *name)
{
  for (size_t i = 0; i < p->n; i++)
    if (strcmp (p->v[i].name, name) == 0)
      return &p->v[i];
  return NULL;
}

/* ---- values ------------------------------------------------------------- */

uint64_t
cg_sd_quota_per_sec (int64_t quota, uint64_t period)
{
  uint64_t v;

  if (quota < 0)
    return UINT64_MAX;
  if (period == 0)
    period = 100000;
  v = (uint64_t) quota * 1000000 / period;
  if (v % 10000)
    v = (v / 10000 + 1) * 10000;
  return v;
}

#define CPUSET_MAX_BITS 8192

int
cg_sd_cpuset_mask (const char *list, uint8_t **mask, size_t *n,
                   berth_error **err)
{
  cleanup_free uint8_t *m = xmalloc0 (CPUSET_MAX_BITS / 8);
  size_t top = 0;
  const char *s = list;

  *mask = NULL;
  *n = 0;
  while (*s)
    {
      char *end;
      unsigned long a, b;

      while (*s == ' ' || *s == '\n')
        s++;
      if (*s == '\0')
        break;
      errno = 0;
      a = strtoul (s, &end, 10);
      if (end == s || errno)
        goto bad;
      b = a;
      s = end;
      if (*s == '-')
        {
          s++;
          b = strtoul (s, &end, 10);
          if (end == s || errno)
            goto bad;
          s = end;
        }
      if (b < a || b >= CPUSET_MAX_BITS)
        goto bad;
      for (unsigned long i = a; i <= b; i++)
        m[i / 8] |= (uint8_t) (1u << (i % 8));
      if (b / 8 + 1 > top)
        top = b / 8 + 1;
      while (*s == ' ' || *s == '\n')
        s++;
      if (*s == ',')
        s++;
      else if (*s)
        goto bad;
    }
  *mask = steal_pointer (&m);
  *n = top;
  return 0;
bad:
  return berth_error_set (err, 0, "\"%s\": not a list of numbers and ranges "
                          "below %d (\"0-3,5\")",
                          list, CPUSET_MAX_BITS);
}

static int
add_cpuset (sd_props *p, const char *name, const char *list,
            const char *field, berth_error **err)
{
  uint8_t *mask;
  size_t n;
  sd_prop *e;

  if (cg_sd_cpuset_mask (list, &mask, &n, err) < 0)
    return berth_error_wrap (err, "%s", field);
  e = prop_set (p, name, SD_PROP_BYTES);
  e->bytes = mask;
  e->n_bytes = n;
  return 0;
}

/* -1 (and "max") → infinity.  */
static int
limit_value (int64_t v, const char *field, uint64_t *out, berth_error **err)
{
  if (v == -1)
    *out = UINT64_MAX;
  else if (v < 0)
    return berth_error_set (err, 0, "%s: invalid value %" PRId64, field, v);
  else
    *out = (uint64_t) v;
  return 0;
}

static int
add_memory (sd_props *p, const oci_memory *mem, bool unified,
            berth_error **err)
{
  uint64_t v;

  if (mem->has_limit && mem->limit != 0)
    {
      if (limit_value (mem->limit, "linux.resources.memory.limit", &v, err)
          < 0)
        return -1;
      sd_props_u64 (p, unified ? "MemoryMax" : "MemoryLimit", v);
    }
  if (!unified)
    return 0;
  if (mem->has_reservation && mem->reservation != 0)
    {
      if (limit_value (mem->reservation, "linux.resources.memory.reservation",
                       &v, err)
          < 0)
        return -1;
      sd_props_u64 (p, "MemoryLow", v);
    }
  {
    cleanup_free char *swap = NULL;
    if (cg_swap_v2 (mem, &swap, err) < 0)
      return -1;
    if (swap)
      {
        if (cg_parse_u64_max (swap, &v) < 0)
          return berth_error_set (err, 0, "linux.resources.memory.swap: "
                                  "\"%s\"", swap);
        sd_props_u64 (p, "MemorySwapMax", v);
      }
  }
  return 0;
}

static int
add_cpu (sd_props *p, const oci_cpu *cpu, bool unified, berth_error **err)
{
  if (cpu->has_shares && cpu->shares != 0)
    {
      if (unified)
        sd_props_u64 (p, "CPUWeight", cg_shares_to_weight (cpu->shares));
      else
        sd_props_u64 (p, "CPUShares", cpu->shares);
    }
  if (cpu->has_quota && cpu->quota != 0)
    sd_props_u64 (p, "CPUQuotaPerSecUSec",
                  cg_sd_quota_per_sec (cpu->quota, cpu->has_period
                                                       ? cpu->period
                                                       : 0));
  if (cpu->has_period && cpu->period != 0)
    sd_props_u64 (p, "CPUQuotaPeriodUSec", cpu->period);
  if (!unified)
    return 0;
  if (cpu->cpus && cpu->cpus[0]
      && add_cpuset (p, "AllowedCPUs", cpu->cpus, "linux.resources.cpu.cpus",
                     err)
             < 0)
    return -1;
  if (cpu->mems && cpu->mems[0]
      && add_cpuset (p, "AllowedMemoryNodes", cpu->mems,
                     "linux.resources.cpu.mems", err)
             < 0)
    return -1;
  return 0;
}

static void
add_throttle (sd_props *p, const char *name,
              const oci_block_io_device_throttle *t, size_t n)
{
  sd_prop *e;

  if (n == 0)
    return;
  e = prop_set (p, name, SD_PROP_PAIRS_ST);
  for (size_t i = 0; i < n; i++)
    item_add (e, xasprintf ("/dev/block/%" PRId64 ":%" PRId64, t[i].major,
                            t[i].minor),
              NULL, t[i].rate);
}

static void
add_block_io (sd_props *p, const oci_block_io *b, bool unified)
{
  sd_prop *e = NULL;

  if (b->has_weight && b->weight != 0)
    {
      if (unified)
        sd_props_u64 (p, "IOWeight", cg_blkio_to_io_weight (b->weight));
      else
        sd_props_u64 (p, "BlockIOWeight", b->weight);
    }
  for (size_t i = 0; i < b->n_weight_device; i++)
    {
      const oci_block_io_device_weight *w = &b->weight_device[i];
      if (!w->has_weight || w->weight == 0)
        continue;
      if (e == NULL)
        e = prop_set (p, unified ? "IODeviceWeight" : "BlockIODeviceWeight",
                      SD_PROP_PAIRS_ST);
      item_add (e, xasprintf ("/dev/block/%" PRId64 ":%" PRId64, w->major,
                              w->minor),
                NULL,
                unified ? cg_blkio_to_io_weight (w->weight) : w->weight);
    }
  add_throttle (p, unified ? "IOReadBandwidthMax" : "BlockIOReadBandwidth",
                b->throttle_read_bps_device, b->n_throttle_read_bps_device);
  add_throttle (p, unified ? "IOWriteBandwidthMax" : "BlockIOWriteBandwidth",
                b->throttle_write_bps_device, b->n_throttle_write_bps_device);
  /* v1 systemd has no IOPS property: the files carry those.  */
  if (unified)
    {
      add_throttle (p, "IOReadIOPSMax", b->throttle_read_iops_device,
                    b->n_throttle_read_iops_device);
      add_throttle (p, "IOWriteIOPSMax", b->throttle_write_iops_device,
                    b->n_throttle_write_iops_device);
    }
}

/* The driver name of a major number in /proc/devices' section for the
   type ("Character devices:" / "Block devices:"); NULL if absent.  */
static char *
proc_devices_name (const char *text, char type, int64_t major)
{
  const char *section = type == 'c' ? "Character devices:" : "Block devices:";
  const char *s = text ? strstr (text, section) : NULL;

  if (s == NULL)
    return NULL;
  s = strchr (s, '\n');
  while (s && s[1] && s[1] != '\n')
    {
      char name[64];
      long long m;
      s++;
      if (sscanf (s, "%lld %63s", &m, name) == 2 && m == major)
        return xstrdup (name);
      s = strchr (s, '\n');
    }
  return NULL;
}

/* DevicePolicy=strict with the allow rules systemd can express.  Rules it
   cannot (a deny after an allow, a wildcard major with a fixed minor) leave
   the devices to berth's own eBPF program, which is always attached and
   stays when systemd reloads its own, as runc's does.  */
static int
add_devices (sd_props *p, const oci_resources *r, const char *proc_devices,
             berth_error **err)
{
  cg_dev_program prog;
  sd_prop *e;

  if (r->n_devices == 0)
    return 0;
  if (cg_dev_compile (r->devices, r->n_devices, &prog, err) < 0)
    return berth_error_wrap (err, "linux.resources.devices");
  if (!prog.has_reset || prog.default_allow)
    {
      cg_dev_program_free (&prog);
      return 0;
    }
  for (size_t i = 0; i < prog.n_rules; i++)
    if (!prog.rules[i].allow)
      {
        cg_dev_program_free (&prog);
        return 0;
      }
  sd_props_str (p, "DevicePolicy", "strict");
  e = prop_set (p, "DeviceAllow", SD_PROP_PAIRS_SS);
  for (size_t i = 0; i < prog.n_rules; i++)
    {
      const cg_dev_rule *d = &prog.rules[i];
      const char *kind = d->type == 'c' ? "char" : "block";
      char access[4];
      size_t k = 0;
      char *spec = NULL;

      if (d->access & CG_DEV_READ)
        access[k++] = 'r';
      if (d->access & CG_DEV_WRITE)
        access[k++] = 'w';
      if (d->access & CG_DEV_MKNOD)
        access[k++] = 'm';
      access[k] = '\0';
      if (d->major < 0 && d->minor < 0)
        spec = xasprintf ("%s-*", kind);
      else if (d->major >= 0 && d->minor >= 0)
        spec = xasprintf ("/dev/%s/%" PRId64 ":%" PRId64, kind, d->major,
                          d->minor);
      else if (d->major >= 0)
        {
          cleanup_free char *name = proc_devices_name (proc_devices, d->type,
                                                       d->major);
          if (name)
            spec = xasprintf ("%s-%s", kind, name);
        }
      if (spec == NULL || k == 0)
        {
          free (spec);
          continue;
        }
      item_add (e, spec, xstrdup (access), 0);
    }
  cg_dev_program_free (&prog);
  return 0;
}

/* runc maps these unified keys to properties so that systemd keeps them
   (its reload would otherwise rewrite the files with its own values).  */
static int
add_unified (sd_props *p, const oci_kv *kv, size_t n, berth_error **err)
{
  static const struct
  {
    const char *key, *prop;
  } u64_keys[] = {
    { "memory.high", "MemoryHigh" }, { "memory.max", "MemoryMax" },
    { "memory.low", "MemoryLow" },   { "memory.min", "MemoryMin" },
    { "memory.swap.max", "MemorySwapMax" }, { "pids.max", "TasksMax" },
    { "cpu.weight", "CPUWeight" },
  };

  for (size_t i = 0; i < n; i++)
    {
      const char *k = kv[i].key, *v = kv[i].value;
      bool done = false;

      for (size_t j = 0; j < sizeof u64_keys / sizeof u64_keys[0]; j++)
        if (strcmp (k, u64_keys[j].key) == 0)
          {
            uint64_t x;
            if (cg_parse_u64_max (v, &x) < 0)
              return berth_error_set (err, 0, "linux.resources.unified.%s: "
                                      "\"%s\" is not a number or \"max\"",
                                      k, v);
            sd_props_u64 (p, u64_keys[j].prop, x);
            done = true;
          }
      if (done)
        continue;
      if (strcmp (k, "cpu.max") == 0)
        {
          char quota[32];
          unsigned long long period = 100000;
          int got = sscanf (v, "%31s %llu", quota, &period);
          uint64_t q;
          if (got < 1)
            return berth_error_set (err, 0, "linux.resources.unified.cpu.max:"
                                    " \"%s\" is not \"QUOTA [PERIOD]\"", v);
          if (strcmp (quota, "max") == 0)
            q = UINT64_MAX;
          else if (cg_parse_u64_max (quota, &q) < 0)
            return berth_error_set (err, 0, "linux.resources.unified.cpu.max:"
                                    " \"%s\" is not \"QUOTA [PERIOD]\"", v);
          else
            q = cg_sd_quota_per_sec ((int64_t) q, period);
          sd_props_u64 (p, "CPUQuotaPerSecUSec", q);
          if (got == 2)
            sd_props_u64 (p, "CPUQuotaPeriodUSec", period);
        }
      else if (strcmp (k, "cpuset.cpus") == 0)
        {
          if (add_cpuset (p, "AllowedCPUs", v,
                          "linux.resources.unified.cpuset.cpus", err)
              < 0)
            return -1;
        }
      else if (strcmp (k, "cpuset.mems") == 0)
        {
          if (add_cpuset (p, "AllowedMemoryNodes", v,
                          "linux.resources.unified.cpuset.mems", err)
              < 0)
            return -1;
        }
    }
  return 0;
}

int
cg_sd_resources_props (sd_props *p, const oci_resources *r, bool unified,
                       const char *proc_devices, berth_error **err)
{
  if (r == NULL)
    return 0;
  if (r->memory && add_memory (p, r->memory, unified, err) < 0)
    return -1;
  if (r->cpu && add_cpu (p, r->cpu, unified, err) < 0)
    return -1;
  if (r->has_pids_limit && r->pids_limit != 0)
    {
      uint64_t v;
      if (limit_value (r->pids_limit < 0 ? -1 : r->pids_limit,
                       "linux.resources.pids.limit", &v, err)
          < 0)
        return -1;
      sd_props_u64 (p, "TasksMax", v);
    }
  if (r->block_io)
    add_block_io (p, r->block_io, unified);
  if (add_devices (p, r, proc_devices, err) < 0)
    return -1;
  if (unified && add_unified (p, r->unified, r->n_unified, err) < 0)
    return -1;
  return 0;
}
