/* berth pause: freeze every process of a running container.  */
#include <getopt.h>

#include "libcontainer/container.h"
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
      return usage_error (err, "pause", "unknown option \"%s\"",
                          argv[optind - 1]);
    }
  if (one_id_argument ("pause", argc, argv, optind, &id, err) < 0)
    return -1;
  return container_pause (g->root, id, err) < 0 ? -1 : 0;
}
