/* berth restore: a container from CRIU images (runc's options).  */
#include "src/criu-options.h"

static const char help[]
    = "Usage: berth restore [options] ID\n"
      "\n"
      "Restore a container checkpointed with `berth checkpoint` under a\n"
      "new or the same ID, from the bundle's config.json: berth makes its\n"
      "state and cgroup, CRIU rebuilds its processes and namespaces.  In\n"
      "the foreground berth waits for the process, forwards signals,\n"
      "deletes the container and exits with its status, as run.  The\n"
      "container's stdio pipes are replaced by berth's own stdio.  A CRIU\n"
      "failure quotes the line of CRIU's log that says why and leaves\n"
      "nothing behind.\n"
      "\n"
      "Options:\n" CRIU_COMMON_HELP
      "  -b, --bundle DIR      bundle directory (default: current directory)\n"
      "  -d, --detach          return once restored\n"
      "  --pid-file FILE       write the container process's pid to FILE\n"
      "  --console-socket PATH with process.terminal: send the new pty\n"
      "                        master to the AF_UNIX socket PATH\n"
      "  --no-pivot            accepted for runc's sake: CRIU restores the\n"
      "                        mount namespace as it was dumped\n"
      "  --no-subreaper        accepted for runc's sake\n"
      "  --lsm-profile TYPE:NAME      LSM profile of the restored tasks\n"
      "  --lsm-mount-context CONTEXT  SELinux context of the mounts\n"
      "  -h, --help            this help\n";

enum
{
  OPT_PID_FILE = 256,
  OPT_CONSOLE_SOCKET,
  OPT_NO_PIVOT,
  OPT_NO_SUBREAPER,
  OPT_LSM_PROFILE,
  OPT_LSM_MOUNT_CONTEXT,
};

int
cmd_restore (global_opts *g, int argc, char **argv, berth_error **err)
{
  static const struct option long_opts[] = {
    CRIU_COMMON_LONG_OPTS,
    { "bundle", required_argument, NULL, 'b' },
    { "detach", no_argument, NULL, 'd' },
    { "pid-file", required_argument, NULL, OPT_PID_FILE },
    { "console-socket", required_argument, NULL, OPT_CONSOLE_SOCKET },
    { "no-pivot", no_argument, NULL, OPT_NO_PIVOT },
    { "no-subreaper", no_argument, NULL, OPT_NO_SUBREAPER },
    { "lsm-profile", required_argument, NULL, OPT_LSM_PROFILE },
    { "lsm-mount-context", required_argument, NULL, OPT_LSM_MOUNT_CONTEXT },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  restore_opts o = { 0 };
  criu_cli cli;
  int c, r, code = 0;

  criu_cli_init (&cli);
  while ((c = getopt_long (argc, argv, "+b:dh", long_opts, NULL)) != -1)
    {
      r = criu_cli_option ("restore", c, optarg, &cli, err);
      if (r < 0)
        return -1;
      if (r > 0)
        continue;
      switch (c)
        {
        case 'b':
          o.bundle = optarg;
          break;
        case 'd':
          o.detach = true;
          break;
        case OPT_PID_FILE:
          o.pid_file = optarg;
          break;
        case OPT_CONSOLE_SOCKET:
          o.console_socket = optarg;
          break;
        case OPT_NO_PIVOT:
          o.no_pivot = true;
          break;
        case OPT_NO_SUBREAPER:
          break;
        case OPT_LSM_PROFILE:
          o.lsm_profile = optarg;
          break;
        case OPT_LSM_MOUNT_CONTEXT:
          o.lsm_mount_context = optarg;
          break;
        case 'h':
          return print_help (help);
        default:
          return usage_error (err, "restore", "unknown option \"%s\"",
                              argv[optind - 1]);
        }
    }
  if (one_id_argument ("restore", argc, argv, optind, &o.id, err) < 0)
    return -1;
  o.root = g->root;
  o.image_path = cli.image_path;
  o.work_path = cli.work_path;
  o.flags = cli.flags;
  o.flags.binary = g->criu;
  if (container_restore (&o, &code, err) < 0)
    return -1;
  return code;
}
