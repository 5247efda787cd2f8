#include "libcontainer/lifecycle/cgroup-setup.h"

#include <stdlib.h>
#include <string.h>

#include "base/cleanup.h"
#include "base/utils.h"

/* What runc (1.2 and later) allows on top of the config's rules: the
   default devices and the pty nodes, and mknod of anything (creating a node
   is harmless, opening it is what the rules guard).  Last match wins, so
   these stay allowed whatever the config's list says.  Nothing else is
   added: a node in linux.devices is only created, never allowed; an engine
   that wants it opened says so in linux.resources.devices (runc dropped
   /dev/net/tun from this list in 1.2 for the same reason).  */
static const oci_device_cgroup always_allowed[] = {
  { .allow = true, .type = 'c', .access = (char *) "m" },
  { .allow = true, .type = 'b', .access = (char *) "m" },
  { true, 'c', true, 1, true, 3, (char *) "rwm" },   /* null */
  { true, 'c', true, 1, true, 5, (char *) "rwm" },   /* zero */
  { true, 'c', true, 1, true, 7, (char *) "rwm" },   /* full */
  { true, 'c', true, 1, true, 8, (char *) "rwm" },   /* random */
  { true, 'c', true, 1, true, 9, (char *) "rwm" },   /* urandom */
  { true, 'c', true, 5, true, 0, (char *) "rwm" },   /* tty */
  { true, 'c', true, 5, true, 2, (char *) "rwm" },   /* ptmx */
  { true, 'c', true, 136, false, 0, (char *) "rwm" }, /* the pts */
};

int
cgroup_setup (cgroup_manager *m, const oci_config *config, bool *created,
              int *clone_fd, berth_error **err)
{
  const oci_linux *lx = config->linux_;
  oci_resources r;
  cleanup_free oci_device_cgroup *devs = NULL;
  size_t n = 0, n_fixed = sizeof always_allowed / sizeof always_allowed[0];
  int fd;

  if (clone_fd)
    *clone_fd = -1;
  if (m->ops->create (m, err) < 0)
    return -1;
  *created = true;

  memset (&r, 0, sizeof r);
  if (lx->resources)
    r = *lx->resources;
  /* The device list is only restrictive when the config has one (runc's
     default spec starts with deny-all); without one, nothing is denied.  */
  if (r.n_devices > 0)
    {
      devs = xmalloc0 (sizeof (*devs) * (r.n_devices + n_fixed));
      for (size_t i = 0; i < r.n_devices; i++)
        devs[n++] = r.devices[i];
      for (size_t i = 0; i < n_fixed; i++)
        devs[n++] = always_allowed[i];
      r.devices = devs;
      r.n_devices = n;
    }
  /* The managers' errors already name linux.resources.<field>.  */
  if (m->ops->apply (m, &r, err) < 0)
    return -1;
  if (clone_fd == NULL)
    return 0;
  fd = m->ops->clone_fd (m, err);
  if (fd < 0 && *err)
    return -1;
  *clone_fd = fd;
  return 0;
}

cgroup_manager *
cgroup_for_state (const oci_state *state, berth_error **err)
{
  if (state->cgroup_state == NULL)
    return NULL;
  return cgroup_manager_load ((cgroup_mode) state->cgroup_mode,
                              state->cgroup_state, err);
}
