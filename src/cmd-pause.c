/* berth pause: freeze every process of a running container.  */
#include "base/cleanup.h"
#include "libcontainer/lifecycle/container.h"
#include "src/commands.h"

static const char help[]
    = "Usage: berth pause ID\n"
      "\n"
      "Freeze every process of a running container (the cgroup freezer).\n"
      "Its status becomes \"paused\" until berth resume.\n"
      "\n"
      "Options:\n"
      "  -h, --help  this help\n";

int
cmd_pause (global_opts *g, int argc, char **argv, berth_error **err)
{
  cleanup_container_handle container_handle *h = NULL;
  const char *id;
  int r = parse_id_only ("pause", help, argc, argv, &id, err);

  if (r != 0)
    return r < 0 ? -1 : 0;
  if (container_open (g->root, id, CONTAINER_OPEN_LOCK_EXCLUSIVE, &h, err)
      < 0)
    return -1;
  return container_pause (h, err) < 0 ? -1 : 0;
}
