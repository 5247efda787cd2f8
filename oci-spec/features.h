/* berth: the Features structure (runtime-spec features.md and
 * features-linux.md) that `berth features` prints.  Pure data: the lists
 * are filled by libcontainer/lifecycle/features.c from berth's own tables.  */
#ifndef BERTH_OCI_FEATURES_H
#define BERTH_OCI_FEATURES_H

#include <stdbool.h>
#include <stddef.h>

#include "oci-spec/config.h"

typedef struct oci_strv
{
  const char **v;
  size_t n;
} oci_strv;

typedef struct oci_features
{
  const char *oci_version_min;
  const char *oci_version_max;
  oci_strv hooks;
  oci_strv mount_options;

  /* linux */
  oci_strv namespaces;
  oci_strv capabilities;
  bool cgroup_v1, cgroup_v2, cgroup_systemd, cgroup_systemd_user;
  bool cgroup_rdma;
  bool seccomp_enabled;
  oci_strv seccomp_actions;
  oci_strv seccomp_operators;
  oci_strv seccomp_archs;
  oci_strv seccomp_known_flags;
  oci_strv seccomp_supported_flags;
  bool apparmor;
  bool selinux;
  bool intel_rdt;
  bool idmap_mounts;
  bool net_devices;
  oci_strv memory_policy_modes;  /* memoryPolicy.modes */
  oci_strv memory_policy_flags;  /* memoryPolicy.flags */

  oci_kv *annotations;
  size_t n_annotations;
  oci_strv unsafe_annotations;  /* potentiallyUnsafeConfigAnnotations */
} oci_features;

/* The JSON, indented by four spaces as runc prints it, without a final
   newline.  Lists with no entries are left out (the spec: absent and
   null mean "unknown"), the booleans are always there.  Returns malloc'd
   text; *len (when not NULL) gets its length.  */
char *oci_features_to_json (const oci_features *f, size_t *len);

#endif
