/* berth start: release a created container's process.  */
#include <getopt.h>

#include "libcontainer/container.h"
#include "src/commands.h"

static const char help[]
    = "Usage: berth start ID\n"
      "\n"
      "Run the user program (process.args) of a created container.  Returns\n"
      "once it was executed and the poststart hooks ran.\n";

int
cmd_start (global_opts *g, int argc, char **argv, berth_error **err)
{
  static const struct option opts[] = {
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  const char *id;
  int c;

  while ((c = getopt_long (argc, argv, "+h", opts, NULL)) != -1)
    {
      if (c == 'h')
        return print_help (help);
      return usage_error (err, "start", "unknown option \"%s\"",
                          argv[optind - 1]);
    }
  if (one_id_argument ("start", argc, argv, optind, &id, err) < 0)
    return -1;
  return container_start (g->root, id, err) < 0 ? -1 : 0;
}
