/* berth: the public face of the cgroup managers (manager.h): which
 * manager a container has (the files of fs-manager.c, the systemd
 * driver, or none) and the calls that do not go through the ops.  */
#include <stdlib.h>

#include "cgroups/internal.h"
#include "cgroups/systemd.h"

int
cgroup_manager_update (cgroup_manager *base, const oci_resources *r,
                       berth_error **err)
{
  if (cg_systemd_state (base->state))
    return cg_systemd_update (base, r, err);
  return cg_update_journaled (base, r, err);
}

void
cgroup_manager_free (cgroup_manager *m)
{
  if (m)
    m->ops->free (m);
}

cgroup_manager *
cgroup_manager_new (const char *cgroups_path, const char *id,
                    berth_error **err)
{
  return cg_fs_manager_new (cgroups_path, id, err);
}

cgroup_manager *
cgroup_manager_load (cgroup_mode mode, const char *state, berth_error **err)
{
  if (state == NULL || state[0] == '\0')
    {
      berth_error_set (err, 0, "cgroup state: empty");
      return NULL;
    }
  if (cg_systemd_state (state))
    return cg_systemd_load (mode, state, err);
  if (cgroup_state_is_none (state))
    return cgroup_none_load (mode, state, err);
  return cg_fs_manager_load (mode, state, err);
}
