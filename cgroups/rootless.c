/* berth: whether the cgroup handling is the rootless one (--rootless).
 *
 * runc's rule (shouldUseRootlessCgroupManager), which engines rely on:
 * "true" and "false" force it; "auto" (the default) means rootless when
 * berth does not run as root, or runs as root inside a user namespace
 * (rootless podman runs the runtime as the root of its own namespace,
 * who may not write the host's cgroups).  Only the cgroups follow this
 * flag: id maps, exec's setns and the network still go by the euid, as
 * runc's.  */
#include <unistd.h>

#include "base/userns.h"
#include "cgroups/manager.h"

static cgroup_rootless_mode mode = CGROUP_ROOTLESS_AUTO;

void
cgroup_rootless_set (cgroup_rootless_mode m)
{
  mode = m;
}

const char *
cgroup_rootless_reason (void)
{
  switch (mode)
    {
    case CGROUP_ROOTLESS_ON:
      return "--rootless true";
    case CGROUP_ROOTLESS_OFF:
      return NULL;
    case CGROUP_ROOTLESS_AUTO:
      break;
    }
  if (geteuid () != 0)
    return "berth runs without root";
  if (in_user_namespace ())
    return "berth runs as root in a user namespace";
  return NULL;
}

bool
cgroup_rootless (void)
{
  return cgroup_rootless_reason () != NULL;
}
