/* berth ps: the processes of a container, as ps(1) shows them or as a JSON
 * array of pids (containerd's shim reads that one).  */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/cleanup.h"
#include "libcontainer/lifecycle/container.h"
#include "libcontainer/lifecycle/ps.h"
#include "oci-spec/events.h"
#include "base/utils.h"
#include "src/commands.h"

static const char help[]
    = "Usage: berth ps [options] ID [PS-OPTIONS...]\n"
      "\n"
      "Show the processes of a container.  The table is the output of\n"
      "ps(1) run on the host with PS-OPTIONS (default -ef), keeping the\n"
      "header and the lines of the container's processes; the PS-OPTIONS\n"
      "must keep a PID column (berth ps ID -o pid,comm).  A \"--\" right\n"
      "after ID is dropped.  A stopped container shows the header only\n"
      "(or [] in json) and exits 0.\n"
      "\n"
      "Options:\n"
      "  -f, --format FORMAT  table (default) or json (an array of the\n"
      "                       host pids)\n"
      "  -h, --help           this help\n";

int
cmd_ps (global_opts *g, int argc, char **argv, berth_error **err)
{
  static const struct option opts[] = {
    { "format", required_argument, NULL, 'f' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  cleanup_container_handle container_handle *h = NULL;
  cleanup_free pid_t *pids = NULL;
  cleanup_free char *out = NULL;
  const char *format = "table";
  const char *id;
  size_t n = 0;
  int c, ret;

  while ((c = getopt_long (argc, argv, "+:f:h", opts, NULL)) != -1)
    {
      switch (c)
        {
        case 'f':
          format = optarg;
          break;
        case 'h':
          return print_help (help);
        case ':':
          return usage_error (err, "ps", "option \"%s\" needs a value",
                              argv[optind - 1]);
        default:
          return usage_error (err, "ps", "unknown option \"%s\"",
                              argv[optind - 1]);
        }
    }
  if (strcmp (format, "table") != 0 && strcmp (format, "json") != 0)
    return usage_error (err, "ps", "unknown format \"%s\" (table or json)",
                        format);
  if (optind >= argc)
    return usage_error (err, "ps", "expected a container ID");
  id = argv[optind++];
  if (optind < argc && strcmp (argv[optind], "--") == 0)
    optind++;

  if (container_open (g->root, id, 0, &h, err) < 0)
    return -1;
  if (strcmp (format, "json") == 0)
    {
      /* A stopped container usually has no processes: [] and success, as
         runc (which prints null).  */
      if (container_pids (h, &pids, &n, err) < 0)
        return -1;
      out = oci_pids_to_json (pids, n, NULL);
      printf ("%s\n", out);
      ret = 0;
    }
  else
    {
      ret = container_ps_table (h, argv + optind, argc - optind, &out, err);
      if (ret == 0)
        fputs (out, stdout);
    }
  if (fflush (stdout) != 0 && ret == 0)
    ret = berth_error_sys (err, "ps: write");
  return ret < 0 ? -1 : 0;
}
