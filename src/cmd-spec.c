/* berth spec: write a default config.json, as `runc spec`.  */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "base/utils.h"
#include "cgroups/manager.h"
#include "oci-spec/state.h"
#include "src/commands.h"

static const char help[]
    = "Usage: berth spec [options]\n"
      "\n"
      "Write a default config.json (runc's defaults) into the bundle.  An\n"
      "existing config.json is not overwritten.\n"
      "\n"
      "Options:\n"
      "  -b, --bundle DIR   where to write config.json (default: current "
      "directory)\n"
      "  --rootless         a config for a container run by a non-root "
      "user\n"
      "  -h, --help         this help\n";

int
cmd_spec (global_opts *g, int argc, char **argv, berth_error **err)
{
  static const struct option opts[] = {
    { "bundle", required_argument, NULL, 'b' },
    { "rootless", no_argument, NULL, 'r' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  const char *bundle = ".";
  bool rootless = false;
  cleanup_close int dfd = -1;
  cleanup_close int fd = -1;
  cleanup_free char *json = NULL;
  size_t len = 0;
  int c;

  (void) g;
  while ((c = getopt_long (argc, argv, "b:h", opts, NULL)) != -1)
    {
      switch (c)
        {
        case 'b':
          bundle = optarg;
          break;
        case 'r':
          rootless = true;
          break;
        case 'h':
          return print_help (help);
        default:
          return usage_error (err, "spec", "unknown option \"%s\"",
                              argv[optind - 1]);
        }
    }
  if (optind != argc)
    return usage_error (err, "spec", "takes no arguments");
  dfd = open (bundle, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0)
    return berth_error_sys (err, "spec: bundle %s", bundle);
  /* A cgroup namespace only on a cgroup v2 host, as runc's spec does
     (Docker and podman too keep the host's cgroup namespace by default
     on v1): tests written against runc, runc's own among them, expect
     none on a v1 host.  */
  json = oci_default_spec_json (rootless,
                                cgroup_detect_mode () == CGROUP_MODE_UNIFIED,
                                getuid (), getgid (), &len);
  fd = openat (dfd, "config.json", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
               0644);
  if (fd < 0)
    return berth_error_sys (err, "spec: %s/config.json", bundle);
  if (write_all (fd, json, len) < 0 || write_all (fd, "\n", 1) < 0)
    return berth_error_sys (err, "spec: write %s/config.json", bundle);
  return 0;
}
