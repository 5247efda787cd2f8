/* berth start: release a created container's process.  */
#include "base/cleanup.h"
#include "libcontainer/lifecycle/container.h"
#include "src/commands.h"

static const char help[]
    = "Usage: berth start ID\n"
      "\n"
      "Run the user program (process.args) of a created container.  Returns\n"
      "once it was executed and the poststart hooks ran.\n";

int
cmd_start (global_opts *g, int argc, char **argv, berth_error **err)
{
  cleanup_container_handle container_handle *h = NULL;
  const char *id;
  int r = parse_id_only ("start", help, argc, argv, &id, err);

  if (r != 0)
    return r < 0 ? -1 : 0;
  if (container_open (g->root, id, CONTAINER_OPEN_LOCK_EXCLUSIVE, &h, err)
      < 0)
    return -1;
  return container_start (h, err) < 0 ? -1 : 0;
}
