/* berth: config.json "linux", except resources and seccomp (their own
 * files).  */
#include <stdlib.h>
#include <string.h>

#include "base/cleanup.h"
#include "base/utils.h"
#include "oci-spec/parse-util.h"

static const char *const ns_names[OCI_NS_TYPES] = {
  [OCI_NS_PID] = "pid",     [OCI_NS_NETWORK] = "network",
  [OCI_NS_MOUNT] = "mount", [OCI_NS_IPC] = "ipc",
  [OCI_NS_UTS] = "uts",     [OCI_NS_USER] = "user",
  [OCI_NS_CGROUP] = "cgroup", [OCI_NS_TIME] = "time",
};

/* The spec lists the first four; runc also takes the recursive forms.  */
static const char *const propagations[]
    = { "shared",  "slave",  "private",  "unbindable",  "rshared",
        "rslave",  "rprivate", "runbindable", NULL };

static const char *const mpol_modes[]
    = { "MPOL_DEFAULT",   "MPOL_BIND",          "MPOL_INTERLEAVE",
        "MPOL_WEIGHTED_INTERLEAVE", "MPOL_PREFERRED", "MPOL_PREFERRED_MANY",
        "MPOL_LOCAL",     NULL };

static const char *const mpol_flags[]
    = { "MPOL_F_NUMA_BALANCING", "MPOL_F_RELATIVE_NODES",
        "MPOL_F_STATIC_NODES", NULL };

/* The memoryPolicy modes and flags the parser takes, for `features`.  */
const char *
oci_memory_policy_mode_name (size_t i)
{
  return i < sizeof mpol_modes / sizeof mpol_modes[0] ? mpol_modes[i] : NULL;
}

const char *
oci_memory_policy_flag_name (size_t i)
{
  return i < sizeof mpol_flags / sizeof mpol_flags[0] ? mpol_flags[i] : NULL;
}

static const char *const personality_domains[] = { "LINUX", "LINUX32", NULL };

const char *
oci_ns_type_name (oci_ns_type type)
{
  if ((unsigned) type >= OCI_NS_TYPES)
    return NULL;
  return ns_names[type];
}

static int
parse_namespace (json_ctx *c, yajl_val obj, void *out)
{
  oci_namespace *ns = out;
  const char *type = NULL;
  int i;

  if (json_field_string_ref (c, obj, "type", true, &type) < 0)
    return -1;
  for (i = 0; i < OCI_NS_TYPES; i++)
    if (strcmp (type, ns_names[i]) == 0)
      break;
  if (i == OCI_NS_TYPES)
    {
      cleanup_free char *q = json_quote (type);
      json_push_field (c, "type");
      return json_fail (c, "unknown namespace %s", q);
    }
  ns->type = (oci_ns_type) i;
  return json_field_string (c, obj, "path", false, &ns->path);
}

static int
check_duplicate_namespaces (json_ctx *c, const oci_linux *l)
{
  bool seen[OCI_NS_TYPES] = { false };
  size_t i;

  for (i = 0; i < l->n_namespaces; i++)
    {
      oci_ns_type t = l->namespaces[i].type;
      if (seen[t])
        {
          json_push_field (c, "namespaces");
          json_push_index (c, i);
          return json_fail (c, "duplicate namespace \"%s\"", ns_names[t]);
        }
      seen[t] = true;
    }
  return 0;
}

static int
parse_time_offset (json_ctx *c, yajl_val obj, const char *key,
                   oci_time_offset *off)
{
  yajl_val v = json_get (obj, key);
  bool has;
  size_t mark;

  if (v == NULL)
    return 0;
  mark = json_push_field (c, key);
  if (json_as_object (c, v) < 0
      || json_field_i64 (c, v, "secs", &off->secs, &has) < 0
      || json_field_u32 (c, v, "nanosecs", &off->nanosecs, &has) < 0)
    return -1;
  json_pop (c, mark);
  off->present = true;
  return 0;
}

static int
parse_time_offsets (json_ctx *c, yajl_val obj, oci_linux *l)
{
  yajl_val v = json_get (obj, "timeOffsets");
  size_t mark;

  if (v == NULL)
    return 0;
  mark = json_push_field (c, "timeOffsets");
  if (json_as_object (c, v) < 0
      || parse_time_offset (c, v, "monotonic", &l->time_offset_monotonic) < 0
      || parse_time_offset (c, v, "boottime", &l->time_offset_boottime) < 0)
    return -1;
  json_pop (c, mark);
  return 0;
}

static int
parse_device (json_ctx *c, yajl_val obj, void *out)
{
  oci_device *d = out;
  const char *type = NULL;
  bool major_required;
  bool has;

  if (json_field_string_ref (c, obj, "type", true, &type) < 0)
    return -1;
  if (strlen (type) != 1 || strchr ("cbup", type[0]) == NULL)
    {
      cleanup_free char *q = json_quote (type);
      json_push_field (c, "type");
      return json_fail (c, "unknown device type %s", q);
    }
  d->type = type[0];
  /* A fifo has no device number.  */
  major_required = d->type != 'p';
  if (json_field_string (c, obj, "path", true, &d->path) < 0
      || json_field_i64 (c, obj, "major", &d->major,
                         major_required ? NULL : &has) < 0
      || json_field_i64 (c, obj, "minor", &d->minor,
                         major_required ? NULL : &has) < 0
      || json_field_u32 (c, obj, "fileMode", &d->file_mode,
                         &d->has_file_mode) < 0
      || json_field_u32 (c, obj, "uid", &d->uid, &d->has_uid) < 0
      || json_field_u32 (c, obj, "gid", &d->gid, &d->has_gid) < 0)
    return -1;
  return 0;
}

static int
parse_net_device (json_ctx *c, const char *key, yajl_val obj, void *out)
{
  oci_net_device *nd = out;
  nd->host_name = xstrdup (key);
  return json_field_string (c, obj, "name", false, &nd->name);
}

static int
parse_intel_rdt (json_ctx *c, yajl_val obj, void *out)
{
  oci_intel_rdt *r = out;
  bool has;
  if (json_field_string (c, obj, "closID", false, &r->clos_id) < 0
      || json_field_string (c, obj, "l3CacheSchema", false,
                            &r->l3_cache_schema) < 0
      || json_field_string (c, obj, "memBwSchema", false, &r->mem_bw_schema)
             < 0
      || json_field_string_array (c, obj, "schemata", &r->schemata,
                                  &r->n_schemata) < 0
      || json_field_bool (c, obj, "enableMonitoring", &r->enable_monitoring,
                          &has) < 0)
    return -1;
  return 0;
}

static int
parse_memory_policy (json_ctx *c, yajl_val obj, void *out)
{
  oci_memory_policy *m = out;
  if (json_field_enum (c, obj, "mode", true, mpol_modes,
                       "memory policy mode", &m->mode) < 0
      || json_field_string (c, obj, "nodes", false, &m->nodes) < 0
      || json_field_enum_array (c, obj, "flags", mpol_flags,
                                "memory policy flag", &m->flags, &m->n_flags)
             < 0)
    return -1;
  return 0;
}

static int
parse_personality (json_ctx *c, yajl_val obj, void *out)
{
  oci_personality *p = out;
  if (json_field_enum (c, obj, "domain", true, personality_domains,
                       "personality domain", &p->domain) < 0
      || json_field_string_array (c, obj, "flags", &p->flags, &p->n_flags)
             < 0)
    return -1;
  return 0;
}

int
oci_parse_linux (json_ctx *c, yajl_val obj, void *out)
{
  oci_linux *l = out;

  if (json_field_object_array (c, obj, "namespaces", &l->namespaces,
                               &l->n_namespaces, parse_namespace) < 0
      || check_duplicate_namespaces (c, l) < 0
      || json_field_id_mappings (c, obj, "uidMappings", &l->uid_mappings,
                                 &l->n_uid_mappings) < 0
      || json_field_id_mappings (c, obj, "gidMappings", &l->gid_mappings,
                                 &l->n_gid_mappings) < 0
      || parse_time_offsets (c, obj, l) < 0
      || json_field_object_array (c, obj, "devices", &l->devices,
                                  &l->n_devices, parse_device) < 0
      || json_field_object_map (c, obj, "netDevices", &l->net_devices,
                                &l->n_net_devices, parse_net_device) < 0
      || json_field_string (c, obj, "cgroupsPath", false, &l->cgroups_path)
             < 0
      || json_field_object_new (c, obj, "resources", &l->resources,
                                oci_parse_resources) < 0
      || json_field_object_new (c, obj, "seccomp", &l->seccomp,
                                oci_parse_seccomp) < 0
      || json_field_enum (c, obj, "rootfsPropagation", false, propagations,
                          "rootfs propagation", &l->rootfs_propagation) < 0
      || json_field_string_map (c, obj, "sysctl", &l->sysctl, &l->n_sysctl)
             < 0
      || json_field_string_array (c, obj, "maskedPaths", &l->masked_paths,
                                  &l->n_masked_paths) < 0
      || json_field_string_array (c, obj, "readonlyPaths",
                                  &l->readonly_paths, &l->n_readonly_paths)
             < 0
      || json_field_string (c, obj, "mountLabel", false, &l->mount_label) < 0
      || json_field_object_new (c, obj, "intelRdt", &l->intel_rdt,
                                parse_intel_rdt) < 0
      || json_field_object_new (c, obj, "memoryPolicy", &l->memory_policy,
                                parse_memory_policy) < 0
      || json_field_object_new (c, obj, "personality", &l->personality,
                                parse_personality) < 0)
    return -1;
  return 0;
}

void
oci_free_linux (oci_linux *l)
{
  size_t i;

  if (l == NULL)
    return;
  for (i = 0; i < l->n_namespaces; i++)
    free (l->namespaces[i].path);
  free (l->namespaces);
  free (l->uid_mappings);
  free (l->gid_mappings);
  for (i = 0; i < l->n_devices; i++)
    free (l->devices[i].path);
  free (l->devices);
  for (i = 0; i < l->n_net_devices; i++)
    {
      free (l->net_devices[i].host_name);
      free (l->net_devices[i].name);
    }
  free (l->net_devices);
  free (l->cgroups_path);
  oci_free_resources (l->resources);
  oci_free_seccomp (l->seccomp);
  free (l->rootfs_propagation);
  json_free_kv (l->sysctl, l->n_sysctl);
  oci_strv_free (l->masked_paths);
  oci_strv_free (l->readonly_paths);
  free (l->mount_label);
  if (l->intel_rdt)
    {
      free (l->intel_rdt->clos_id);
      free (l->intel_rdt->l3_cache_schema);
      free (l->intel_rdt->mem_bw_schema);
      oci_strv_free (l->intel_rdt->schemata);
      free (l->intel_rdt);
    }
  if (l->memory_policy)
    {
      free (l->memory_policy->mode);
      free (l->memory_policy->nodes);
      oci_strv_free (l->memory_policy->flags);
      free (l->memory_policy);
    }
  if (l->personality)
    {
      free (l->personality->domain);
      oci_strv_free (l->personality->flags);
      free (l->personality);
    }
  free (l);
}
