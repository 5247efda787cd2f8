/* berth delete: remove a container and everything create made.  */
#include <getopt.h>

#include "libcontainer/lifecycle/container.h"
#include "src/commands.h"

static const char help[]
    = "Usage: berth delete [options] ID\n"
      "\n"
      "Delete a stopped or created container (a created one is killed\n"
      "first), run its poststop hooks and remove its state.\n"
      "\n"
      "Options:\n"
      "  -f, --force   also delete a running container (SIGKILL); an\n"
      "                unknown ID is not an error; with a damaged or\n"
      "                missing state.json, undo what the record of create\n"
      "                says was made (exit 0 only when nothing is left)\n"
      "  -h, --help    this help\n";

int
cmd_delete (global_opts *g, int argc, char **argv, berth_error **err)
{
  static const struct option opts[] = {
    { "force", no_argument, NULL, 'f' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  bool force = false;
  const char *id;
  int c;

  while ((c = getopt_long (argc, argv, "fh", opts, NULL)) != -1)
    {
      if (c == 'f')
        force = true;
      else if (c == 'h')
        return print_help (help);
      else
        return usage_error (err, "delete", "unknown option \"%s\"",
                            argv[optind - 1]);
    }
  if (one_id_argument ("delete", argc, argv, optind, &id, err) < 0)
    return -1;
  return container_delete (g->root, id, force, err) < 0 ? -1 : 0;
}
