/* berth: the commands that act on an existing container's cgroup: update,
 * pause, resume, ps and events (libcontainer/lifecycle/container.h).  */
#include <stdlib.h>
#include <string.h>

#include "cgroups/manager.h"
#include "libcontainer/lifecycle/cgroup-setup.h"
#include "base/cleanup.h"
#include "libcontainer/lifecycle/container.h"
#include "libcontainer/lifecycle/state.h"
#include "base/utils.h"

/* One container opened for a cgroup command.  */
typedef struct ctr_cgroup
{
  int dir_fd;            /* the state dir, locked when asked */
  oci_state *state;
  cgroup_manager *m;
} ctr_cgroup;

static void
ctr_cgroup_close (ctr_cgroup *c)
{
  if (c->m)
    cgroup_manager_free (c->m);
  oci_state_free (c->state);
  if (c->dir_fd >= 0)
    close (c->dir_fd);
  c->m = NULL;
  c->state = NULL;
  c->dir_fd = -1;
}

/* Loads the state and the manager of a container that is not stopped.
   `lock`: commands that change the cgroup serialize with create and
   delete; the read-only ones do not wait for them, as `state`.  */
static int
ctr_cgroup_open (const char *root, const char *id, bool lock, ctr_cgroup *c,
                 berth_error **err)
{
  *c = (ctr_cgroup){ .dir_fd = -1 };
  c->dir_fd = state_open_existing (root, id, lock, &c->state, err);
  if (c->dir_fd < 0)
    goto fail;
  if (strcmp (c->state->status, "stopped") == 0)
    {
      berth_error_set (err, 0, "container \"%s\" is not running", id);
      goto fail;
    }
  c->m = cgroup_for_state (c->state, err);
  if (c->m == NULL)
    {
      if (*err == NULL)
        berth_error_set (err, 0, "container \"%s\" has no cgroup", id);
      goto fail;
    }
  return 0;
fail:
  ctr_cgroup_close (c);
  return -1;
}

int
container_update (const char *root, const char *id, const oci_resources *r,
                  berth_error **err)
{
  ctr_cgroup c;
  int ret;

  if (ctr_cgroup_open (root, id, true, &c, err) < 0)
    return -1;
  ret = cgroup_manager_update (c.m, r, err);
  if (ret < 0)
    berth_error_wrap (err, "update container \"%s\"", id);
  ctr_cgroup_close (&c);
  return ret < 0 ? -1 : 0;
}

static int
set_frozen (const char *root, const char *id, bool frozen, berth_error **err)
{
  const char *want = frozen ? "running" : "paused";
  ctr_cgroup c;
  int ret;

  if (ctr_cgroup_open (root, id, true, &c, err) < 0)
    return -1;
  /* state_load reports "paused" from the freezer.  */
  if (strcmp (c.state->status, want) != 0)
    {
      ctr_cgroup_close (&c);
      return berth_error_set (err, 0, "container \"%s\" is not %s", id,
                              frozen ? "running" : "paused");
    }
  ret = c.m->ops->freeze (c.m, frozen, err);
  if (ret < 0)
    berth_error_wrap (err, "%s container \"%s\"", frozen ? "pause" : "resume",
                      id);
  ctr_cgroup_close (&c);
  return ret < 0 ? -1 : 0;
}

int
container_pause (const char *root, const char *id, berth_error **err)
{
  return set_frozen (root, id, true, err);
}

int
container_resume (const char *root, const char *id, berth_error **err)
{
  return set_frozen (root, id, false, err);
}

static int
compare_pids (const void *a, const void *b)
{
  pid_t x = *(const pid_t *) a, y = *(const pid_t *) b;
  return (x > y) - (x < y);
}

int
container_pids (const char *root, const char *id, pid_t **pids, size_t *n,
                berth_error **err)
{
  ctr_cgroup c;
  int ret;

  *pids = NULL;
  *n = 0;
  if (ctr_cgroup_open (root, id, false, &c, err) < 0)
    return -1;
  ret = c.m->ops->pids (c.m, pids, n, err);
  if (ret < 0)
    berth_error_wrap (err, "processes of container \"%s\"", id);
  else if (*n > 1)
    qsort (*pids, *n, sizeof **pids, compare_pids);
  ctr_cgroup_close (&c);
  return ret < 0 ? -1 : 0;
}

int
container_oom_fd (const char *root, const char *id, int *fd, bool *counts,
                  berth_error **err)
{
  ctr_cgroup c;

  *fd = -1;
  if (ctr_cgroup_open (root, id, false, &c, err) < 0)
    return -1;
  *fd = c.m->ops->oom_fd (c.m, counts, err);
  ctr_cgroup_close (&c);
  if (*fd < 0 && *err)
    return berth_error_wrap (err, "events of container \"%s\"", id);
  return 0;
}

int
container_stats (const char *root, const char *id, struct cgroup_stats *out,
                 berth_error **err)
{
  ctr_cgroup c;
  int ret;

  memset (out, 0, sizeof *out);
  if (ctr_cgroup_open (root, id, false, &c, err) < 0)
    return -1;
  ret = c.m->ops->stats (c.m, out, err);
  if (ret < 0)
    berth_error_wrap (err, "stats of container \"%s\"", id);
  ctr_cgroup_close (&c);
  return ret < 0 ? -1 : 0;
}
