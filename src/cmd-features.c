/* berth features: what berth implements, as runtime-spec features.md.  */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/cleanup.h"
#include "libcontainer/lifecycle/features.h"
#include "src/commands.h"

static const char help[]
    = "Usage: berth features\n"
      "\n"
      "Print the features berth implements as the JSON Features structure\n"
      "of the OCI runtime specification: the spec versions, hooks, mount\n"
      "options, namespaces, capabilities, cgroup managers, seccomp actions,\n"
      "operators, architectures and flags, and annotations.  What the host\n"
      "supports is not checked, except seccomp's supportedFlags.\n"
      "\n"
      "Options:\n"
      "  -h, --help   this help\n";

int
cmd_features (global_opts *g, int argc, char **argv, berth_error **err)
{
  static const struct option opts[] = {
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  cleanup_free char *json = NULL;
  int c;

  (void) g;
  while ((c = getopt_long (argc, argv, "h", opts, NULL)) != -1)
    {
      if (c == 'h')
        return print_help (help);
      return usage_error (err, "features", "unknown option \"%s\"",
                          argv[optind - 1]);
    }
  if (optind != argc)
    return usage_error (err, "features", "takes no arguments");
  json = container_features_json (NULL, err);
  if (json == NULL)
    return 1;
  puts (json);
  return 0;
}
