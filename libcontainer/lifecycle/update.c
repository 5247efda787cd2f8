/* berth: what `berth update` asks for, made into one linux.resources
 * request (runc's policy: -r JSON, then the flags over it; 0 and "" leave
 * a value as it is), then applied all or nothing (update.h).  */
#include "libcontainer/lifecycle/update.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "base/log.h"
#include "base/utils.h"
#include "libcontainer/lifecycle/container.h"
#include "libcontainer/network/net-config.h"
#include "libcontainer/network/net-setup.h"

/* The command line's names of the flags, for messages.  */
static const char *const flag_names[UPDATE_FLAGS] = {
  [UPDATE_MEMORY] = "memory",
  [UPDATE_MEMORY_RESERVATION] = "memory-reservation",
  [UPDATE_MEMORY_SWAP] = "memory-swap",
  [UPDATE_KERNEL_MEMORY] = "kernel-memory",
  [UPDATE_KERNEL_MEMORY_TCP] = "kernel-memory-tcp",
  [UPDATE_CPU_PERIOD] = "cpu-period",
  [UPDATE_CPU_QUOTA] = "cpu-quota",
  [UPDATE_CPU_SHARE] = "cpu-share",
  [UPDATE_CPU_RT_PERIOD] = "cpu-rt-period",
  [UPDATE_CPU_RT_RUNTIME] = "cpu-rt-runtime",
  [UPDATE_CPUSET_CPUS] = "cpuset-cpus",
  [UPDATE_CPUSET_MEMS] = "cpuset-mems",
  [UPDATE_PIDS_LIMIT] = "pids-limit",
  [UPDATE_BLKIO_WEIGHT] = "blkio-weight",
  [UPDATE_NET_EGRESS_RATE] = "net-egress-rate",
  [UPDATE_NET_INGRESS_RATE] = "net-ingress-rate",
};

static const char *
opt_name (int opt)
{
  return opt >= 0 && opt < UPDATE_FLAGS ? flag_names[opt] : "?";
}

static int
invalid (int opt, const char *value, const char *why, berth_error **err)
{
  return berth_error_set (err, 0, "update: --%s: invalid value \"%s\"%s%s",
                          opt_name (opt), value, why ? ": " : "",
                          why ? why : "");
}

/* A size as Docker's RAMInBytes reads it: "64m", "1.5g", "512 KiB",
   "1024"; -1 is "unlimited" for the options that take it.  */
static int
parse_size (int opt, const char *s, int64_t *out, berth_error **err)
{
  static const char units[] = "kmgtp";
  const char *p = s;
  size_t int_len, frac_len = 0;
  uint64_t mult = 1;
  cleanup_free char *number = NULL;

  if (strcmp (s, "-1") == 0)
    {
      *out = -1;
      return 0;
    }
  int_len = strspn (p, "0123456789");
  if (int_len == 0)
    return invalid (opt, s, "expected a size such as 64m", err);
  p += int_len;
  if (*p == '.')
    {
      frac_len = strspn (p + 1, "0123456789");
      if (frac_len == 0)
        return invalid (opt, s, "expected a size such as 64m", err);
      p += 1 + frac_len;
    }
  number = strndup (s, (size_t) (p - s));
  if (number == NULL)
    abort ();
  if (*p == ' ')
    p++;
  if (*p != '\0' && strchr (units, tolower ((unsigned char) *p)))
    {
      for (const char *u = units; *u; u++)
        {
          mult *= 1024;
          if (*u == tolower ((unsigned char) *p))
            break;
        }
      p++;
    }
  if (*p == 'i' || *p == 'I')
    p++;
  if (*p == 'b' || *p == 'B')
    p++;
  if (*p != '\0')
    return invalid (opt, s, "expected a size such as 64m", err);

  if (frac_len == 0)
    {
      unsigned long long v;
      errno = 0;
      v = strtoull (number, NULL, 10);
      if (errno != 0 || v > (unsigned long long) INT64_MAX / mult)
        return invalid (opt, s, "too large", err);
      *out = (int64_t) (v * mult);
    }
  else
    {
      double v = strtod (number, NULL) * (double) mult;
      if (!(v < 9223372036854775807.0))
        return invalid (opt, s, "too large", err);
      *out = (int64_t) v;
    }
  return 0;
}

static int
parse_i64 (int opt, const char *s, int64_t *out, berth_error **err)
{
  char *end;
  long long v;

  errno = 0;
  v = strtoll (s, &end, 10);
  if (*s == '\0' || *end != '\0' || errno != 0)
    return invalid (opt, s, "expected an integer", err);
  *out = v;
  return 0;
}

static int
parse_u64 (int opt, const char *s, uint64_t *out, berth_error **err)
{
  char *end;
  unsigned long long v;

  errno = 0;
  v = strtoull (s, &end, 10);
  if (*s == '\0' || *s == '-' || *end != '\0' || errno != 0)
    return invalid (opt, s, "expected an unsigned integer", err);
  *out = v;
  return 0;
}

/* A rate for the veth pair: tc's units, or "unlimited" (0).  */
static int
parse_net_rate (int opt, const char *s, uint64_t *out, berth_error **err)
{
  berth_error *why = NULL;
  int ret = 0;

  *out = NET_RATE_UNCHANGED;
  if (s == NULL)
    return 0;
  if (strcmp (s, "unlimited") == 0)
    {
      *out = 0;
      return 0;
    }
  if (net_rate_parse (s, out, &why) < 0)
    {
      ret = berth_error_set (err, 0, "update: --%s: %s", opt_name (opt),
                             why->msg);
      berth_error_free (why);
    }
  return ret;
}

static oci_memory *
memory_of (oci_resources *r)
{
  if (r->memory == NULL)
    r->memory = xmalloc0 (sizeof *r->memory);
  return r->memory;
}

static oci_cpu *
cpu_of (oci_resources *r)
{
  if (r->cpu == NULL)
    r->cpu = xmalloc0 (sizeof *r->cpu);
  return r->cpu;
}

/* What runc's update changes, from a parsed document: its managers take a
   0 (or "") as "leave as it is", and they never touch the device rules on
   update (an engine sends the whole linux.resources, devices included,
   without the defaults create added).  */
static oci_resources *
updatable (oci_resources *in)
{
  oci_resources *out = xmalloc0 (sizeof *out);

  if (in == NULL)
    return out;
  if (in->memory)
    {
      const oci_memory *m = in->memory;
      if (m->has_limit && m->limit != 0)
        {
          memory_of (out)->has_limit = true;
          out->memory->limit = m->limit;
        }
      if (m->has_reservation && m->reservation != 0)
        {
          memory_of (out)->has_reservation = true;
          out->memory->reservation = m->reservation;
        }
      if (m->has_swap && m->swap != 0)
        {
          memory_of (out)->has_swap = true;
          out->memory->swap = m->swap;
        }
      if (m->has_check_before_update)
        {
          memory_of (out)->has_check_before_update = true;
          out->memory->check_before_update = m->check_before_update;
        }
    }
  if (in->cpu)
    {
      const oci_cpu *c = in->cpu;
      if (c->has_shares && c->shares != 0)
        {
          cpu_of (out)->has_shares = true;
          out->cpu->shares = c->shares;
        }
      if (c->has_quota && c->quota != 0)
        {
          cpu_of (out)->has_quota = true;
          out->cpu->quota = c->quota;
        }
      if (c->has_burst)
        {
          cpu_of (out)->has_burst = true;
          out->cpu->burst = c->burst;
        }
      if (c->has_period && c->period != 0)
        {
          cpu_of (out)->has_period = true;
          out->cpu->period = c->period;
        }
      if (c->has_realtime_runtime && c->realtime_runtime != 0)
        {
          cpu_of (out)->has_realtime_runtime = true;
          out->cpu->realtime_runtime = c->realtime_runtime;
        }
      if (c->has_realtime_period && c->realtime_period != 0)
        {
          cpu_of (out)->has_realtime_period = true;
          out->cpu->realtime_period = c->realtime_period;
        }
      if (c->cpus && c->cpus[0])
        cpu_of (out)->cpus = xstrdup (c->cpus);
      if (c->mems && c->mems[0])
        cpu_of (out)->mems = xstrdup (c->mems);
      if (c->has_idle)
        {
          cpu_of (out)->has_idle = true;
          out->cpu->idle = c->idle;
        }
    }
  /* runc takes only blockIO.weight from the JSON and drops the device
     rules silently; like crun we apply all of blockIO, so a throttle limit
     asked for is a throttle limit set.  */
  if (in->block_io)
    {
      out->block_io = steal_pointer (&in->block_io);
      if (out->block_io->weight == 0)
        out->block_io->has_weight = false;
      if (out->block_io->leaf_weight == 0)
        out->block_io->has_leaf_weight = false;
    }
  if (in->has_pids_limit && in->pids_limit != 0)
    {
      out->has_pids_limit = true;
      out->pids_limit = in->pids_limit;
    }
  if (in->n_unified)
    {
      out->unified = xmalloc0 (in->n_unified * sizeof *out->unified);
      out->n_unified = in->n_unified;
      for (size_t i = 0; i < in->n_unified; i++)
        {
          out->unified[i].key = xstrdup (in->unified[i].key);
          out->unified[i].value = xstrdup (in->unified[i].value);
        }
    }
  return out;
}

static oci_resources *
load_resources (const char *path, berth_error **err)
{
  cleanup_free char *json = NULL;
  size_t len = 0;
  oci_resources *parsed, *r;
  int ret;

  if (strcmp (path, "-") == 0)
    ret = read_all_fd_max (STDIN_FILENO, "standard input", OCI_JSON_MAX_SIZE,
                           &json, &len, err);
  else
    ret = read_file_at_max (AT_FDCWD, path, OCI_JSON_MAX_SIZE, &json, &len,
                            err);
  if (ret < 0)
    {
      berth_error_wrap (err, "update: --resources");
      return NULL;
    }
  parsed = oci_resources_parse (json, len,
                                strcmp (path, "-") == 0 ? "standard input"
                                                        : path,
                                err);
  if (parsed == NULL)
    {
      berth_error_wrap (err, "update");
      return NULL;
    }
  r = updatable (parsed);
  oci_resources_free (parsed);
  return r;
}

/* One option onto the resources; 0 and "" leave the value alone, as the
   same values in the JSON.  */
static int
apply_option (oci_resources *r, int opt, const char *v, berth_error **err)
{
  int64_t i = 0;
  uint64_t u = 0;

  /* As runc: an empty value is no value.  */
  if (v[0] == '\0')
    return 0;
  switch (opt)
    {
    case UPDATE_MEMORY:
    case UPDATE_MEMORY_RESERVATION:
    case UPDATE_MEMORY_SWAP:
      if (parse_size (opt, v, &i, err) < 0)
        return -1;
      if (i == 0)
        return 0;
      if (opt == UPDATE_MEMORY)
        {
          memory_of (r)->has_limit = true;
          r->memory->limit = i;
        }
      else if (opt == UPDATE_MEMORY_RESERVATION)
        {
          memory_of (r)->has_reservation = true;
          r->memory->reservation = i;
        }
      else
        {
          memory_of (r)->has_swap = true;
          r->memory->swap = i;
        }
      return 0;
    case UPDATE_KERNEL_MEMORY:
    case UPDATE_KERNEL_MEMORY_TCP:
      berth_warn ("update: --%s is ignored (kernel memory limits are "
                  "obsolete)",
                  opt_name (opt));
      return 0;
    case UPDATE_CPU_QUOTA:
    case UPDATE_CPU_RT_RUNTIME:
      if (parse_i64 (opt, v, &i, err) < 0)
        return -1;
      if (i == 0)
        return 0;
      if (opt == UPDATE_CPU_QUOTA)
        {
          cpu_of (r)->has_quota = true;
          r->cpu->quota = i;
        }
      else
        {
          cpu_of (r)->has_realtime_runtime = true;
          r->cpu->realtime_runtime = i;
        }
      return 0;
    case UPDATE_CPU_PERIOD:
    case UPDATE_CPU_SHARE:
    case UPDATE_CPU_RT_PERIOD:
      if (parse_u64 (opt, v, &u, err) < 0)
        return -1;
      if (u == 0)
        return 0;
      if (opt == UPDATE_CPU_PERIOD)
        {
          cpu_of (r)->has_period = true;
          r->cpu->period = u;
        }
      else if (opt == UPDATE_CPU_SHARE)
        {
          cpu_of (r)->has_shares = true;
          r->cpu->shares = u;
        }
      else
        {
          cpu_of (r)->has_realtime_period = true;
          r->cpu->realtime_period = u;
        }
      return 0;
    case UPDATE_CPUSET_CPUS:
    case UPDATE_CPUSET_MEMS:
      {
        char **slot = opt == UPDATE_CPUSET_CPUS ? &cpu_of (r)->cpus
                                             : &cpu_of (r)->mems;
        free (*slot);
        *slot = xstrdup (v);
        return 0;
      }
    case UPDATE_PIDS_LIMIT:
      if (parse_i64 (opt, v, &i, err) < 0)
        return -1;
      if (i != 0)
        {
          r->has_pids_limit = true;
          r->pids_limit = i;
        }
      return 0;
    case UPDATE_BLKIO_WEIGHT:
      if (parse_u64 (opt, v, &u, err) < 0)
        return -1;
      if (u > UINT16_MAX)
        return invalid (opt, v, "expected 10 to 1000", err);
      if (u == 0)
        return 0;
      if (r->block_io == NULL)
        r->block_io = xmalloc0 (sizeof *r->block_io);
      r->block_io->has_weight = true;
      r->block_io->weight = (uint16_t) u;
      return 0;
    }
  return 0;
}

int
container_update_request_apply (const char *root, const char *id,
                                 const container_update_request *req,
                                 berth_error **err)
{
  const char *egress = req->flags[UPDATE_NET_EGRESS_RATE];
  const char *ingress = req->flags[UPDATE_NET_INGRESS_RATE];
  uint64_t egress_rate, ingress_rate;
  bool cgroup;
  oci_resources *r = NULL;
  int ret = -1;

  if (parse_net_rate (UPDATE_NET_EGRESS_RATE, egress, &egress_rate, err) < 0
      || parse_net_rate (UPDATE_NET_INGRESS_RATE, ingress, &ingress_rate,
                         err)
             < 0)
    return -1;
  cgroup = req->resources_path != NULL || (egress == NULL && ingress == NULL);
  for (int opt = 0; opt < UPDATE_CGROUP_FLAGS; opt++)
    cgroup = cgroup || req->flags[opt] != NULL;
  if (!cgroup)
    return container_update_net (root, id, egress_rate, ingress_rate, err);

  if (req->resources_path)
    {
      r = load_resources (req->resources_path, err);
      if (r == NULL)
        return -1;
    }
  else
    r = xmalloc0 (sizeof *r);
  for (int opt = 0; opt < UPDATE_CGROUP_FLAGS; opt++)
    if (req->flags[opt] && apply_option (r, opt, req->flags[opt], err) < 0)
      goto out;
  /* "Unlimited memory" with no word on swap means both, as runc: v1
     refuses a memory limit above the memory+swap one.  */
  if (r->memory && r->memory->has_limit && r->memory->limit == -1
      && !r->memory->has_swap)
    {
      r->memory->has_swap = true;
      r->memory->swap = -1;
    }
  ret = container_update (root, id, r, err) < 0 ? -1 : 0;
  if (ret == 0 && (egress || ingress))
    ret = container_update_net (root, id, egress_rate, ingress_rate, err);
out:
  oci_resources_free (r);
  return ret;
}
