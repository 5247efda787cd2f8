/* berth resume: thaw a paused container.  */
#include "base/cleanup.h"
#include "libcontainer/lifecycle/container.h"
#include "src/commands.h"

static const char help[]
    = "Usage: berth resume ID\n"
      "\n"
      "Thaw every process of a container that berth pause froze.  Its\n"
      "status becomes \"running\" again.\n"
      "\n"
      "Options:\n"
      "  -h, --help  this help\n";

int
cmd_resume (global_opts *g, int argc, char **argv, berth_error **err)
{
  cleanup_container_handle container_handle *h = NULL;
  const char *id;
  int r = parse_id_only ("resume", help, argc, argv, &id, err);

  if (r != 0)
    return r < 0 ? -1 : 0;
  if (container_open (g->root, id, CONTAINER_OPEN_LOCK_EXCLUSIVE, &h, err)
      < 0)
    return -1;
  return container_resume (h, err) < 0 ? -1 : 0;
}
