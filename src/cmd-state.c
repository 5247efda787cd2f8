/* berth state: print the state JSON (runtime.md "State").  */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "libcontainer/lifecycle/container.h"
#include "src/commands.h"

static const char help[]
    = "Usage: berth state ID\n"
      "\n"
      "Print the state of a container as JSON: ociVersion, id, pid, status\n"
      "(created, running, paused or stopped), bundle, rootfs, created,\n"
      "owner and annotations.\n";

int
cmd_state (global_opts *g, int argc, char **argv, berth_error **err)
{
  const char *id;
  oci_state *state;
  char *json;
  size_t len;
  int r = parse_id_only ("state", help, argc, argv, &id, err);

  if (r != 0)
    return r < 0 ? -1 : 0;
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
