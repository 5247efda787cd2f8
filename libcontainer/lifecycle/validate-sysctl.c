/* berth: linux.sysctl judged by namespace, with runc's rules
 * (validate.h).  Pure: the owners of the namespaces come from
 * validate_namespaces.  */
#include <stdbool.h>
#include <string.h>

#include "libcontainer/lifecycle/validate.h"

static bool
own (const ns_owner *owners, oci_ns_type t)
{
  return owners[t] != NS_OWNER_HOST;
}

/* ---- sysctls --------------------------------------------------------------- */

/* The IPC namespace's keys besides fs.mqueue.* (runc's list).  */
static const char *const ipc_keys[] = {
  "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem",
  "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced",
};

static bool
is_ipc_key (const char *key)
{
  if (strncmp (key, "fs.mqueue.", 10) == 0)
    return true;
  for (size_t i = 0; i < sizeof ipc_keys / sizeof ipc_keys[0]; i++)
    if (strcmp (key, ipc_keys[i]) == 0)
      return true;
  return false;
}

static int
refuse_sysctl (const char *key, const char *ns, berth_error **err)
{
  return berth_error_set (err, 0, "linux.sysctl: \"%s\" belongs to the %s "
                                  "namespace, and the container has none of "
                                  "its own; refused",
                          key, ns);
}

int
validate_sysctls (const oci_config *config, const ns_owner *owners,
                  berth_error **err)
{
  const oci_linux *lx = config->linux_;

  if (lx == NULL)
    return 0;
  for (size_t i = 0; i < lx->n_sysctl; i++)
    {
      const char *key = lx->sysctl[i].key;

      /* The key becomes a path under /proc/sys.  */
      if (key[0] == '\0' || key[0] == '.' || strstr (key, "..")
          || strchr (key, '/'))
        return berth_error_set (err, 0, "linux.sysctl: invalid key \"%s\"",
                                key);
      if (is_ipc_key (key))
        {
          if (!own (owners, OCI_NS_IPC))
            return refuse_sysctl (key, "ipc", err);
          continue;
        }
      if (strncmp (key, "net.", 4) == 0)
        {
          if (!own (owners, OCI_NS_NETWORK))
            return refuse_sysctl (key, "network", err);
          continue;
        }
      if (strcmp (key, "kernel.hostname") == 0
          || strcmp (key, "kernel.domainname") == 0)
        {
          if (!own (owners, OCI_NS_UTS))
            return refuse_sysctl (key, "uts", err);
          /* Two values for one thing: runc refuses kernel.hostname for
             the same reason.  */
          if ((key[7] == 'h' && config->hostname)
              || (key[7] == 'd' && config->domainname))
            return berth_error_set (err, 0, "linux.sysctl: \"%s\" conflicts "
                                    "with the %s field; refused", key,
                                    key[7] == 'h' ? "hostname"
                                                  : "domainname");
          continue;
        }
      return berth_error_set (err, 0, "linux.sysctl: \"%s\" is not "
                                      "namespaced; refused",
                              key);
    }
  return 0;
}

