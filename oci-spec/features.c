/* berth: the Features structure as JSON.  */
#include "oci-spec/features.h"

#include "oci-spec/json-gen.h"

static void
gen_list (yajl_gen g, const char *key, const oci_strv *l)
{
  if (l->n == 0)
    return;
  json_gen_str (g, key);
  yajl_gen_array_open (g);
  for (size_t i = 0; i < l->n; i++)
    json_gen_str (g, l->v[i]);
  yajl_gen_array_close (g);
}

/* {"enabled": v} under key.  */
static void
gen_enabled (yajl_gen g, const char *key, bool v)
{
  json_gen_str (g, key);
  yajl_gen_map_open (g);
  json_gen_key_bool (g, "enabled", v);
  yajl_gen_map_close (g);
}

static void
gen_linux (yajl_gen g, const oci_features *f)
{
  json_gen_str (g, "linux");
  yajl_gen_map_open (g);
  gen_list (g, "namespaces", &f->namespaces);
  gen_list (g, "capabilities", &f->capabilities);

  json_gen_str (g, "cgroup");
  yajl_gen_map_open (g);
  json_gen_key_bool (g, "v1", f->cgroup_v1);
  json_gen_key_bool (g, "v2", f->cgroup_v2);
  json_gen_key_bool (g, "systemd", f->cgroup_systemd);
  json_gen_key_bool (g, "systemdUser", f->cgroup_systemd_user);
  json_gen_key_bool (g, "rdma", f->cgroup_rdma);
  yajl_gen_map_close (g);

  json_gen_str (g, "seccomp");
  yajl_gen_map_open (g);
  json_gen_key_bool (g, "enabled", f->seccomp_enabled);
  gen_list (g, "actions", &f->seccomp_actions);
  gen_list (g, "operators", &f->seccomp_operators);
  gen_list (g, "archs", &f->seccomp_archs);
  gen_list (g, "knownFlags", &f->seccomp_known_flags);
  gen_list (g, "supportedFlags", &f->seccomp_supported_flags);
  yajl_gen_map_close (g);

  gen_enabled (g, "apparmor", f->apparmor);
  gen_enabled (g, "selinux", f->selinux);
  gen_enabled (g, "intelRdt", f->intel_rdt);
  json_gen_str (g, "mountExtensions");
  yajl_gen_map_open (g);
  gen_enabled (g, "idmap", f->idmap_mounts);
  yajl_gen_map_close (g);
  gen_enabled (g, "netDevices", f->net_devices);
  if (f->memory_policy_modes.n || f->memory_policy_flags.n)
    {
      json_gen_str (g, "memoryPolicy");
      yajl_gen_map_open (g);
      gen_list (g, "modes", &f->memory_policy_modes);
      gen_list (g, "flags", &f->memory_policy_flags);
      yajl_gen_map_close (g);
    }
  yajl_gen_map_close (g);
}

char *
oci_features_to_json (const oci_features *f, size_t *len)
{
  yajl_gen g = json_gen_new ("    ");

  yajl_gen_map_open (g);
  json_gen_str (g, "ociVersionMin");
  json_gen_str (g, f->oci_version_min);
  json_gen_str (g, "ociVersionMax");
  json_gen_str (g, f->oci_version_max);
  gen_list (g, "hooks", &f->hooks);
  gen_list (g, "mountOptions", &f->mount_options);
  gen_linux (g, f);
  if (f->n_annotations)
    {
      json_gen_str (g, "annotations");
      yajl_gen_map_open (g);
      for (size_t i = 0; i < f->n_annotations; i++)
        {
          json_gen_str (g, f->annotations[i].key);
          json_gen_str (g, f->annotations[i].value);
        }
      yajl_gen_map_close (g);
    }
  gen_list (g, "potentiallyUnsafeConfigAnnotations", &f->unsafe_annotations);
  yajl_gen_map_close (g);
  return json_gen_finish (g, len);
}
