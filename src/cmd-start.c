/* berth start: release a created container's process.  */
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
  const char *id;
  int r = parse_id_only ("start", help, argc, argv, &id, err);

  if (r != 0)
    return r < 0 ? -1 : 0;
  return container_start (g->root, id, err) < 0 ? -1 : 0;
}
