/* berth: the Features structure from berth's own tables.  */
#include "libcontainer/lifecycle/features.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libcontainer/process/cap-api.h"
#include "libcontainer/process/caps.h"
#include "base/cleanup.h"
#include "libcontainer/lifecycle/container.h"
#include "libcontainer/network/net-config.h"
#include "libcontainer/process/scmp-api.h"
#include "libcontainer/rootfs/mount-options.h"
#include "libcontainer/process/seccomp.h"
#include "base/utils.h"
#include "oci-spec/features.h"

/* What berth does with parts of config.json no table describes.  Change
   them with the code that implements the feature.  */
/* AppArmor and SELinux: lsm.c applies process.apparmorProfile and
   process.selinuxLabel (and linux.mountLabel) where the host has the LSM;
   the spec asks about the runtime, "irrelevant to the availability ... on
   the host".  */
#define HAVE_APPARMOR true
#define HAVE_SELINUX true
#define HAVE_INTEL_RDT false   /* linux.intelRdt is refused */
#define HAVE_NET_DEVICES true  /* net-setup.c moves them in */

static void
push (oci_strv *l, const char *s)
{
  l->v = xrealloc (l->v, (l->n + 1) * sizeof (char *));
  l->v[l->n++] = s;
}

static int
compare_names (const void *a, const void *b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static void
sort (oci_strv *l)
{
  if (l->n > 1)
    qsort (l->v, l->n, sizeof (char *), compare_names);
}

/* Capability names come from libcap, in number order (as the spec's
   example); the strings live in `bufs`.  */
static void
list_capabilities (oci_strv *l, char (*bufs)[32], size_t max)
{
  for (size_t cap = 0; cap < max; cap++)
    {
      const char *name = caps_name ((cap_value_t) cap, bufs[cap]);
      /* "CAP_<number>": a value libcap has no name for.  */
      if (isdigit ((unsigned char) name[4]))
        break;
      push (l, name);
    }
}

static void
list_seccomp (oci_features *f)
{
  const char *name;
  bool ok;

  for (size_t i = 0; (name = seccomp_action_name (i)); i++)
    push (&f->seccomp_actions, name);
  for (size_t i = 0; (name = seccomp_operator_name (i)); i++)
    push (&f->seccomp_operators, name);
  for (size_t i = 0; (name = seccomp_arch_name (i, &ok)); i++)
    if (ok)
      push (&f->seccomp_archs, name);
  for (size_t i = 0; (name = seccomp_flag_name (i, &ok)); i++)
    {
      push (&f->seccomp_known_flags, name);
      if (ok)
        push (&f->seccomp_supported_flags, name);
    }
  sort (&f->seccomp_actions);
  sort (&f->seccomp_operators);
  sort (&f->seccomp_archs);
}

char *
container_features_json (size_t *len, berth_error **err)
{
  const struct scmp_version *sv;
  char cap_names[64][32];
  char seccomp_ver[32];
  oci_kv notes[3];
  oci_features f;
  const char *name;
  char *json;

  if (scmp_api_load (err) < 0 || cap_api_load (err) < 0)
    return NULL;
  sv = seccomp_version ();
  memset (&f, 0, sizeof f);
  f.oci_version_min = "1.0.0";
  f.oci_version_max = BERTH_SPEC_VERSION;
  for (int k = 0; k < OCI_HOOK_KINDS; k++)
    push (&f.hooks, oci_hook_kind_name ((oci_hook_kind) k));
  for (size_t i = 0; (name = mount_option_name (i)); i++)
    push (&f.mount_options, name);
  sort (&f.mount_options);

  for (int t = 0; t < OCI_NS_TYPES; t++)
    push (&f.namespaces, oci_ns_type_name ((oci_ns_type) t));
  sort (&f.namespaces);
  list_capabilities (&f.capabilities, cap_names, 64);
  f.cgroup_v1 = f.cgroup_v2 = f.cgroup_rdma = true;
  /* --systemd-cgroup (as root; no user manager: systemdUser false).  */
  f.cgroup_systemd = true;
  f.seccomp_enabled = true;
  list_seccomp (&f);
  f.apparmor = HAVE_APPARMOR;
  f.selinux = HAVE_SELINUX;
  f.intel_rdt = HAVE_INTEL_RDT;
  f.idmap_mounts = true;
  f.net_devices = HAVE_NET_DEVICES;

  snprintf (seccomp_ver, sizeof seccomp_ver, "%u.%u.%u", sv->major,
            sv->minor, sv->micro);
  notes[0] = (oci_kv){ "io.github.seccomp.libseccomp.version", seccomp_ver };
  notes[1] = (oci_kv){ "run.oci.berth.commit", BERTH_COMMIT };
  notes[2] = (oci_kv){ "run.oci.berth.version", BERTH_VERSION };
  f.annotations = notes;
  f.n_annotations = 3;
  /* Annotations of config.json that change what berth does (a name ending
     in "." is a prefix, as the spec reads it).  */
  push (&f.unsafe_annotations, OVERLAY_ANNOTATION);
  push (&f.unsafe_annotations, NET_ANNOTATION_PREFIX);
  for (size_t i = 0; (name = oci_memory_policy_mode_name (i)); i++)
    push (&f.memory_policy_modes, name);
  for (size_t i = 0; (name = oci_memory_policy_flag_name (i)); i++)
    push (&f.memory_policy_flags, name);

  json = oci_features_to_json (&f, len);
  free (f.hooks.v);
  free (f.mount_options.v);
  free (f.namespaces.v);
  free (f.capabilities.v);
  free (f.seccomp_actions.v);
  free (f.seccomp_operators.v);
  free (f.seccomp_archs.v);
  free (f.seccomp_known_flags.v);
  free (f.seccomp_supported_flags.v);
  free (f.unsafe_annotations.v);
  free (f.memory_policy_modes.v);
  free (f.memory_policy_flags.v);
  return json;
}
