/* berth state: print the state JSON (runtime.md "State").  */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "libcontainer/container.h"
#include "src/commands.h"

static const char help[]
    = "Usage: berth state ID\n"
      "\n"
      "Print the state of a container as JSON: ociVersion, id, pid, status\n"
      "(created, running or stopped), bundle, rootfs, created, owner and\n"
      "annotations.\n";

int
cmd_state (global_opts *g, int argc, char **argv, berth_error **err)
{
  static const struct option opts[] = {
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  const char *id;
  oci_state *state;
  char *json;
  size_t len;
  int c;

  while ((c = getopt_long (argc, argv, "+h", opts, NULL)) != -1)
    {
      if (c == 'h')
        return print_help (help);
      return usage_error (err, "state", "unknown option \"%s\"",
                          argv[optind - 1]);
    }
  if (one_id_argument ("state", argc, argv, optind, &id, err) < 0)
    return -1;
  state = container_state (g->root, id, err);
  if (state == NULL)
    return -1;
  json = oci_state_to_json (state, false, true, &len);
  fwrite (json, 1, len, stdout);
  if (len == 0 || json[len - 1] != '\n')
    fputc ('\n', stdout);
  free (json);
  oci_state_free (state);
  return 0;
}
