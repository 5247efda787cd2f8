/* berth: the one validation pass of create/run (validate.h).  */
#include "libcontainer/lifecycle/validate.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "base/utils.h"
#include "cgroups/validate.h"
#include "libcontainer/lifecycle/container.h"
#include "libcontainer/lifecycle/namespaces.h"
#include "libcontainer/network/net-setup.h"
#include "libcontainer/process/lsm.h"
#include "libcontainer/process/mempolicy.h"
#include "libcontainer/process/process.h"
#include "libcontainer/process/seccomp.h"
#include "libcontainer/rootfs/mount-options.h"

#define BERTH_ANNOTATION_PREFIX "run.oci.berth."

/* ---- namespaces ---------------------------------------------------------- */

/* A `path` to join: it must be a namespace of its type; one that is
   berth's own (the host's, as runc calls it: "current", not "initial")
   counts as no namespace of the container's own.  */
static int
joined_owner (const oci_namespace *ns, size_t index, ns_owner *out,
              berth_error **err)
{
  cleanup_close int fd = open (ns->path, O_RDONLY | O_CLOEXEC);
  char ours[64];
  struct stat a, b;
  int kind;

  if (fd < 0)
    return berth_error_sys (err, "linux.namespaces[%zu]: open %s", index,
                            ns->path);
  kind = ioctl (fd, NS_GET_NSTYPE);
  if (kind < 0)
    return berth_error_sys (err,
                            "linux.namespaces[%zu]: %s is not a namespace",
                            index, ns->path);
  if (kind != ns_clone_flag (ns->type))
    return berth_error_set (err, 0,
                            "linux.namespaces[%zu]: %s is not a %s namespace",
                            index, ns->path, oci_ns_type_name (ns->type));
  snprintf (ours, sizeof ours, "/proc/self/ns/%s",
            ns_proc_name (ns->type));
  if (fstat (fd, &a) < 0)
    return berth_error_sys (err, "linux.namespaces[%zu]: stat %s", index,
                            ns->path);
  if (stat (ours, &b) < 0)
    return berth_error_sys (err, "stat %s", ours);
  *out = a.st_dev == b.st_dev && a.st_ino == b.st_ino ? NS_OWNER_HOST
                                                      : NS_OWNER_JOINED;
  return 0;
}

static bool
own (const ns_owner *owners, oci_ns_type t)
{
  return owners[t] != NS_OWNER_HOST;
}

int
validate_namespaces (const oci_config *config, ns_owner *owners,
                     berth_error **err)
{
  const oci_linux *lx = config->linux_;
  bool seen[OCI_NS_TYPES] = { false };

  for (int t = 0; t < OCI_NS_TYPES; t++)
    owners[t] = NS_OWNER_HOST;
  if (lx == NULL)
    return berth_error_set (err, 0, "linux: missing");
  for (size_t i = 0; i < lx->n_namespaces; i++)
    {
      const oci_namespace *ns = &lx->namespaces[i];

      if (seen[ns->type])
        return berth_error_set (err, 0, "linux.namespaces[%zu]: %s is "
                                "given twice", i,
                                oci_ns_type_name (ns->type));
      seen[ns->type] = true;
      if (ns->path == NULL || ns->path[0] == '\0')
        owners[ns->type] = NS_OWNER_NEW;
      else if (joined_owner (ns, i, &owners[ns->type], err) < 0)
        return -1;
    }

  /* A mount namespace left out is inherited, as the other types: the
     container's mounts are made in berth's (host-mounts.h).  */
  if ((lx->n_uid_mappings || lx->n_gid_mappings)
      && owners[OCI_NS_USER] != NS_OWNER_NEW)
    return berth_error_set (err, 0, "linux.uidMappings: given, but no new "
                                    "user namespace in linux.namespaces");
  if (owners[OCI_NS_USER] == NS_OWNER_NEW
      && (lx->n_uid_mappings == 0 || lx->n_gid_mappings == 0))
    return berth_error_set (err, 0, "linux.namespaces: a new user namespace "
                                    "needs linux.uidMappings and "
                                    "linux.gidMappings");
  /* A new or joined UTS namespace takes a hostname (runc sets it inside
     the joined one); only the host's may not be renamed.  */
  if ((config->hostname || config->domainname) && !own (owners, OCI_NS_UTS))
    return berth_error_set (err, 0, "%s: cannot be set in the host's uts "
                                    "namespace (add a uts namespace to "
                                    "linux.namespaces)",
                            config->hostname ? "hostname" : "domainname");
  if ((lx->time_offset_boottime.present || lx->time_offset_monotonic.present)
      && owners[OCI_NS_TIME] != NS_OWNER_NEW)
    return berth_error_set (err, 0, "linux.timeOffsets: given, but no new "
                                    "time namespace in linux.namespaces");
  /* runc's words: "unable to restrict sys entries without a private MNT
     namespace".  */
  if ((lx->n_masked_paths || lx->n_readonly_paths)
      && !own (owners, OCI_NS_MOUNT))
    return berth_error_set (err, 0, "linux.%s: needs a private mount "
                                    "namespace (linux.namespaces: mount)",
                            lx->n_masked_paths ? "maskedPaths"
                                               : "readonlyPaths");
  return 0;
}

/* ---- the rest ---------------------------------------------------------------- */

static int
validate_terminal (const oci_process *p, const validate_opts *opts,
                   berth_error **err)
{
  /* runc's rules, in runc's words: a terminal needs someone to hold
     its master.  */
  if (p->terminal && !opts->console_socket && !opts->foreground)
    return berth_error_set (err, 0,
                            "cannot allocate tty if berth will detach "
                            "without setting console socket");
  if (opts->console_socket && (!p->terminal || opts->foreground))
    return berth_error_set (err, 0,
                            "cannot use console socket if berth will not "
                            "detach or allocate tty");
  return 0;
}

static int
validate_names (const oci_config *config, berth_error **err)
{
  /* The kernel's limit (HOST_NAME_MAX): said here rather than by
     sethostname's EINVAL with the whole string in the message.  */
  if (config->hostname && strlen (config->hostname) > 64)
    return berth_error_set (err, 0, "hostname: %zu bytes, longer than the "
                            "kernel's 64",
                            strlen (config->hostname));
  if (config->domainname && strlen (config->domainname) > 64)
    return berth_error_set (err, 0, "domainname: %zu bytes, longer than the "
                            "kernel's 64",
                            strlen (config->domainname));
  return 0;
}

/* The run.oci.berth.* annotations: each one known, each value readable.
   net.* are read (and checked against the host) by net_config_parse.  */
static int
validate_annotations (const oci_config *config, const ns_owner *owners,
                      net_config *net, berth_error **err)
{
  const size_t plen = strlen (BERTH_ANNOTATION_PREFIX);

  for (size_t i = 0; i < config->n_annotations; i++)
    {
      const char *key = config->annotations[i].key;
      const char *value = config->annotations[i].value;

      if (strncmp (key, BERTH_ANNOTATION_PREFIX, plen) != 0
          || strncmp (key + plen, "net.", 4) == 0)
        continue;
      if (strcmp (key, OVERLAY_ANNOTATION) == 0)
        {
          if (value == NULL
              || (strcmp (value, "true") != 0 && strcmp (value, "false") != 0))
            return berth_error_set (err, 0, "annotations: %s: \"%s\": "
                                    "expected true or false", key,
                                    value ? value : "");
          continue;
        }
      return berth_error_set (err, 0, "annotations: %s: unknown annotation "
                                      "(known: " OVERLAY_ANNOTATION ", "
                                      NET_ANNOTATION_PREFIX "*)",
                              key);
    }
  if (net_config_parse (config, own (owners, OCI_NS_NETWORK), net, err) < 0)
    return -1;
  if (net_config_any (net) && net_check_host (net, err) < 0)
    return -1;
  return 0;
}

int
container_config_validate (const oci_config *config,
                           const validate_opts *opts, config_verdict *out,
                           berth_error **err)
{
  const oci_linux *lx = config->linux_;

  memset (out, 0, sizeof *out);
  if (config->process == NULL)
    return berth_error_set (err, 0, "config.json: process: missing "
                                    "(required by create)");
  if (validate_terminal (config->process, opts, err) < 0)
    return -1;
  if (validate_namespaces (config, out->ns, err) < 0
      || validate_sysctls (config, out->ns, err) < 0
      || validate_names (config, err) < 0
      || process_validate (config->process, lx->personality, err) < 0
      || (lx->seccomp && seccomp_validate (lx->seccomp, err) < 0)
      || lsm_validate (config, err) < 0
      || mounts_validate (config, out->ns[OCI_NS_USER] != NS_OWNER_HOST, err)
             < 0)
    return berth_error_wrap (err, "config.json");
  if (lx->memory_policy)
    {
      mempolicy m;
      int r = mempolicy_parse (lx->memory_policy, &m, err);
      mempolicy_free (&m);
      if (r < 0)
        return berth_error_wrap (err, "config.json");
    }
  if (lx->intel_rdt)
    return berth_error_set (err, 0, "config.json: linux.intelRdt: not "
                                    "supported by berth");
  if (lx->resources
      && cgroup_resources_validate (cgroup_detect_mode (), lx->resources,
                                    err)
             < 0)
    return berth_error_wrap (err, "config.json: linux.resources");
  if (validate_annotations (config, out->ns, &out->net, err) < 0)
    return berth_error_wrap (err, "config.json");
  return 0;
}
