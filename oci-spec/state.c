/* berth: the container state in and out of JSON (runc's `state` and
 * `list --format json` shapes, plus berth's private "berth" object in
 * state.json).  */
#include "oci-spec/state.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_gen.h>

#include "base/cleanup.h"
#include "base/utils.h"
#include "oci-spec/json-gen.h"
#include "oci-spec/net-state-json.h"
#include "oci-spec/json-tree.h"
#include "oci-spec/parse-util.h"

static void
gen_key_str (yajl_gen g, const char *key, const char *value)
{
  json_gen_str (g, key);
  json_gen_str (g, value);
}

static const char *const status_names[] = {
  [OCI_STATUS_CREATING] = "creating",
  [OCI_STATUS_CREATED] = "created",
  [OCI_STATUS_RUNNING] = "running",
  [OCI_STATUS_PAUSED] = "paused",
  [OCI_STATUS_STOPPED] = "stopped",
};

const char *
oci_status_name (oci_status status)
{
  if ((size_t) status >= sizeof status_names / sizeof status_names[0])
    return "unknown";
  return status_names[status];
}

/* What create made in the network (libcontainer/network/net-setup.c).
   Shared with the lifecycle record (oci-spec/record.c).  */
void
oci_net_state_gen (yajl_gen g, const oci_net_state *n)
{
  yajl_gen_map_open (g);
  if (n->n_devices)
    {
      json_gen_str (g, "devices");
      yajl_gen_array_open (g);
      for (size_t i = 0; i < n->n_devices; i++)
        {
          yajl_gen_map_open (g);
          gen_key_str (g, "hostName", n->devices[i].host_name);
          gen_key_str (g, "name", n->devices[i].name);
          json_gen_key_bool (g, "up", n->devices[i].up);
          yajl_gen_map_close (g);
        }
      yajl_gen_array_close (g);
      json_gen_key_bool (g, "returnDevices", n->return_devices);
      json_gen_key_u64 (g, "devicesNetnsDev", n->devices_netns_dev);
      json_gen_key_u64 (g, "devicesNetnsIno", n->devices_netns_ino);
    }
  if (n->veth)
    {
      gen_key_str (g, "veth", n->veth);
      gen_key_str (g, "name", n->name);
      if (n->peer_netns)
        gen_key_str (g, "peerNetns", n->peer_netns);
      json_gen_key_u64 (g, "peerNetnsDev", n->peer_netns_dev);
      json_gen_key_u64 (g, "peerNetnsIno", n->peer_netns_ino);
      json_gen_key_u64 (g, "egressRate", n->egress_rate);
      json_gen_key_u64 (g, "ingressRate", n->ingress_rate);
    }
  yajl_gen_map_close (g);
}

/* Field order is runc's (its cState struct), which tools diff against.  */
static void
gen_state (yajl_gen g, const oci_state *s, bool internal)
{
  size_t i;

  yajl_gen_map_open (g);
  gen_key_str (g, "ociVersion", s->oci_version);
  gen_key_str (g, "id", s->id);
  json_gen_str (g, "pid");
  json_gen_int (g, s->pid);
  gen_key_str (g, "status", oci_status_name (s->status));
  gen_key_str (g, "bundle", s->bundle);
  gen_key_str (g, "rootfs", s->rootfs);
  gen_key_str (g, "created", s->created);
  if (s->n_annotations > 0)
    {
      json_gen_str (g, "annotations");
      yajl_gen_map_open (g);
      for (i = 0; i < s->n_annotations; i++)
        gen_key_str (g, s->annotations[i].key, s->annotations[i].value);
      yajl_gen_map_close (g);
    }
  gen_key_str (g, "owner", s->owner);
  if (internal)
    {
      json_gen_str (g, "berth");
      yajl_gen_map_open (g);
      json_gen_key_u64 (g, "pidStartTime", s->pid_start_time);
      json_gen_key_bool (g, "overlay", s->overlay);
      json_gen_key_bool (g, "pidNsNew", s->pid_ns_new);
      if (s->cgroup_state)
        {
          json_gen_key_u64 (g, "cgroupMode", (uint64_t) s->cgroup_mode);
          gen_key_str (g, "cgroup", s->cgroup_state);
        }
      if (s->net)
        {
          json_gen_str (g, "net");
          oci_net_state_gen (g, s->net);
        }
      yajl_gen_map_close (g);
    }
  yajl_gen_map_close (g);
}

char *
oci_state_to_json (const oci_state *state, bool internal, bool pretty,
                   size_t *len)
{
  yajl_gen g = json_gen_new (pretty ? "  " : NULL);
  static const oci_state empty;
  gen_state (g, state ? state : &empty, internal);
  return json_gen_finish (g, len);
}

char *
oci_state_list_to_json (oci_state *const *states, size_t n, size_t *len)
{
  yajl_gen g = json_gen_new (NULL);
  size_t i;

  if (n == 0 || states == NULL)
    yajl_gen_null (g);
  else
    {
      yajl_gen_array_open (g);
      for (i = 0; i < n; i++)
        if (states[i])
          gen_state (g, states[i], false);
      yajl_gen_array_close (g);
    }
  return json_gen_finish (g, len);
}

static int
parse_net_device (json_ctx *c, yajl_val obj, void *out)
{
  oci_net_device_state *d = out;
  bool has;

  if (json_field_string (c, obj, "hostName", true, &d->host_name) < 0
      || json_field_string (c, obj, "name", true, &d->name) < 0
      || json_field_bool (c, obj, "up", &d->up, &has) < 0)
    return -1;
  return 0;
}

int
oci_net_state_parse_obj (json_ctx *c, yajl_val obj, void *out)
{
  oci_net_state *n = out;
  bool has;

  if (json_field_object_array (c, obj, "devices", &n->devices, &n->n_devices,
                               parse_net_device) < 0
      || json_field_bool (c, obj, "returnDevices", &n->return_devices, &has)
             < 0
      || json_field_u64 (c, obj, "devicesNetnsDev", &n->devices_netns_dev,
                         &has) < 0
      || json_field_u64 (c, obj, "devicesNetnsIno", &n->devices_netns_ino,
                         &has) < 0
      || json_field_string (c, obj, "veth", false, &n->veth) < 0
      || json_field_string (c, obj, "name", false, &n->name) < 0
      || json_field_string (c, obj, "peerNetns", false, &n->peer_netns) < 0
      || json_field_u64 (c, obj, "peerNetnsDev", &n->peer_netns_dev, &has)
             < 0
      || json_field_u64 (c, obj, "peerNetnsIno", &n->peer_netns_ino, &has)
             < 0
      || json_field_u64 (c, obj, "egressRate", &n->egress_rate, &has) < 0
      || json_field_u64 (c, obj, "ingressRate", &n->ingress_rate, &has) < 0)
    return -1;
  return 0;
}

static int
parse_berth (json_ctx *c, yajl_val obj, oci_state *s)
{
  bool has;
  if (json_field_u64 (c, obj, "pidStartTime", &s->pid_start_time, &has) < 0
      || json_field_bool (c, obj, "overlay", &s->overlay, &has) < 0
      || json_field_bool (c, obj, "pidNsNew", &s->pid_ns_new, &has) < 0
      || json_field_i32 (c, obj, "cgroupMode", &s->cgroup_mode, &has) < 0
      || json_field_string (c, obj, "cgroup", false, &s->cgroup_state) < 0
      || json_field_object_new (c, obj, "net", &s->net,
                                oci_net_state_parse_obj)
             < 0)
    return -1;
  return 0;
}

static int
parse_status (json_ctx *c, const char *name, oci_status *out)
{
  for (size_t i = 0; i < sizeof status_names / sizeof status_names[0]; i++)
    if (strcmp (name, status_names[i]) == 0)
      {
        *out = (oci_status) i;
        return 0;
      }
  cleanup_free char *shown = json_quote (name);
  json_push_field (c, "status");
  return json_fail (c, "unknown status %s", shown);
}

static int
parse_state (json_ctx *c, yajl_val doc, oci_state *s)
{
  const char *status = NULL;
  int32_t pid = 0;
  bool has_pid;
  yajl_val v;

  if (!YAJL_IS_OBJECT (doc))
    return json_fail (c, "expected a JSON object");
  if (json_field_string (c, doc, "ociVersion", true, &s->oci_version) < 0
      || json_field_string (c, doc, "id", true, &s->id) < 0
      || json_field_i32 (c, doc, "pid", &pid, &has_pid) < 0
      || json_field_string_ref (c, doc, "status", true, &status) < 0
      || json_field_string (c, doc, "bundle", true, &s->bundle) < 0
      || json_field_string (c, doc, "rootfs", false, &s->rootfs) < 0
      || json_field_string (c, doc, "created", false, &s->created) < 0
      || json_field_string (c, doc, "owner", false, &s->owner) < 0
      || json_field_string_map (c, doc, "annotations", &s->annotations,
                                &s->n_annotations) < 0)
    return -1;
  if (parse_status (c, status, &s->status) < 0)
    return -1;
  if (pid < 0)
    {
      json_push_field (c, "pid");
      return json_fail (c, "expected a non-negative integer");
    }
  s->pid = pid;

  v = json_get (doc, "berth");
  if (v)
    {
      size_t mark = json_push_field (c, "berth");
      if (json_as_object (c, v) < 0 || parse_berth (c, v, s) < 0)
        return -1;
      json_pop (c, mark);
    }
  return 0;
}

char *
oci_seccomp_process_state_to_json (int pid, const char *metadata,
                                   const oci_state *state, size_t *len)
{
  yajl_gen g = json_gen_new (NULL);

  yajl_gen_map_open (g);
  gen_key_str (g, "ociVersion", BERTH_SPEC_VERSION);
  json_gen_str (g, "fds");
  yajl_gen_array_open (g);
  json_gen_str (g, "seccompFd");
  yajl_gen_array_close (g);
  json_gen_str (g, "pid");
  json_gen_int (g, pid);
  if (metadata)
    gen_key_str (g, "metadata", metadata);
  json_gen_str (g, "state");
  gen_state (g, state, false);
  yajl_gen_map_close (g);
  return json_gen_finish (g, len);
}

oci_state *
oci_state_parse (const char *json, size_t len, const char *name,
                 berth_error **err)
{
  json_ctx c;
  yajl_val doc;
  oci_state *s;
  int r;

  json_ctx_init (&c, name ? name : "state.json", err);
  doc = json_load (&c, json, len);
  if (doc == NULL)
    {
      json_ctx_fini (&c);
      return NULL;
    }
  s = xmalloc0 (sizeof (*s));
  r = parse_state (&c, doc, s);
  json_tree_free (doc);
  json_ctx_fini (&c);
  if (r < 0)
    {
      oci_state_free (s);
      return NULL;
    }
  return s;
}

void
oci_net_state_free (oci_net_state *n)
{
  if (n == NULL)
    return;
  for (size_t i = 0; i < n->n_devices; i++)
    {
      free (n->devices[i].host_name);
      free (n->devices[i].name);
    }
  free (n->devices);
  free (n->veth);
  free (n->name);
  free (n->peer_netns);
  free (n);
}

void
oci_state_free (oci_state *s)
{
  if (s == NULL)
    return;
  free (s->oci_version);
  free (s->id);
  free (s->bundle);
  json_free_kv (s->annotations, s->n_annotations);
  free (s->rootfs);
  free (s->created);
  free (s->owner);
  free (s->cgroup_state);
  oci_net_state_free (s->net);
  free (s);
}
