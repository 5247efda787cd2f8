/* berth: the lifecycle record in and out of JSON (oci-spec/record.h).  */
#include "oci-spec/record.h"

#include <inttypes.h>
#include <stdlib.h>

#include <yajl/yajl_gen.h>

#include "base/utils.h"
#include "oci-spec/json-gen.h"
#include "oci-spec/net-state-json.h"
#include "oci-spec/json-tree.h"
#include "oci-spec/parse-util.h"

/* Bumped when a field changes meaning; an unknown version is refused.  */
#define RECORD_VERSION 1

char *
oci_record_to_json (const oci_record *r, size_t *len)
{
  yajl_gen g = json_gen_new (NULL);

  yajl_gen_map_open (g);
  json_gen_key_u64 (g, "version", RECORD_VERSION);
  json_gen_str (g, "id");
  json_gen_str (g, r->id);
  if (r->cgroup_state)
    {
      json_gen_key_u64 (g, "cgroupMode", (uint64_t) r->cgroup_mode);
      json_gen_str (g, "cgroup");
      json_gen_str (g, r->cgroup_state);
    }
  if (r->pid > 0)
    {
      json_gen_key_u64 (g, "pid", (uint64_t) r->pid);
      json_gen_key_u64 (g, "pidStartTime", r->pid_start_time);
    }
  if (r->net)
    {
      json_gen_str (g, "net");
      oci_net_state_gen (g, r->net);
    }
  if (r->n_host_mount_dirs)
    {
      json_gen_str (g, "hostMountDirs");
      yajl_gen_array_open (g);
      for (size_t i = 0; i < r->n_host_mount_dirs; i++)
        json_gen_str (g, r->host_mount_dirs[i]);
      yajl_gen_array_close (g);
      json_gen_str (g, "hostMountsBefore");
      yajl_gen_array_open (g);
      for (size_t i = 0; i < r->n_host_mounts_before; i++)
        json_gen_int (g, r->host_mounts_before[i]);
      yajl_gen_array_close (g);
    }
  yajl_gen_map_close (g);
  return json_gen_finish (g, len);
}

static int
parse_record (json_ctx *c, yajl_val doc, oci_record *r)
{
  uint32_t version = 0;
  bool has;

  if (!YAJL_IS_OBJECT (doc))
    return json_fail (c, "expected a JSON object");
  if (json_field_u32 (c, doc, "version", &version, &has) < 0)
    return -1;
  if (!has)
    return json_field_missing (c, "version");
  if (version != RECORD_VERSION)
    {
      json_push_field (c, "version");
      return json_fail (c, "%" PRIu32 " is not a version this berth knows",
                        version);
    }
  if (json_field_string (c, doc, "id", true, &r->id) < 0
      || json_field_i32 (c, doc, "cgroupMode", &r->cgroup_mode, &has) < 0
      || json_field_string (c, doc, "cgroup", false, &r->cgroup_state) < 0
      || json_field_i32 (c, doc, "pid", &r->pid, &has) < 0
      || json_field_u64 (c, doc, "pidStartTime", &r->pid_start_time, &has)
             < 0
      || json_field_object_new (c, doc, "net", &r->net,
                                oci_net_state_parse_obj)
             < 0
      || json_field_string_array (c, doc, "hostMountDirs",
                                  &r->host_mount_dirs, &r->n_host_mount_dirs)
             < 0
      || json_field_u32_array (c, doc, "hostMountsBefore",
                               &r->host_mounts_before,
                               &r->n_host_mounts_before)
             < 0)
    return -1;
  if (r->pid < 0)
    {
      json_push_field (c, "pid");
      return json_fail (c, "expected a non-negative integer");
    }
  return 0;
}

oci_record *
oci_record_parse (const char *json, size_t len, const char *name,
                  berth_error **err)
{
  json_ctx c;
  yajl_val doc;
  oci_record *r;
  int ret;

  json_ctx_init (&c, name ? name : "record.json", err);
  doc = json_load (&c, json, len);
  if (doc == NULL)
    {
      json_ctx_fini (&c);
      return NULL;
    }
  r = xmalloc0 (sizeof *r);
  ret = parse_record (&c, doc, r);
  json_tree_free (doc);
  json_ctx_fini (&c);
  if (ret < 0)
    {
      oci_record_free (r);
      return NULL;
    }
  return r;
}

void
oci_record_free (oci_record *r)
{
  if (r == NULL)
    return;
  free (r->id);
  free (r->cgroup_state);
  oci_net_state_free (r->net);
  oci_strv_free (r->host_mount_dirs);
  free (r->host_mounts_before);
  free (r);
}
