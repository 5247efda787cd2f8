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
      "  --no-pivot            refused: CRIU always enters the root with\n"
      "                        pivot_root (runc takes the flag and pivots)\n"
      "  --no-subreaper        in the foreground, do not make berth the\n"
      "                        subreaper of the container's orphans\n"
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

static int
own_option (int c, const char *arg, void *data, berth_error **err)
{
  restore_opts *o = data;

  switch (c)
    {
    case 'b':
      o->bundle = arg;
      return 0;
    case 'd':
      o->detach = true;
      return 0;
    case OPT_PID_FILE:
      o->pid_file = arg;
      return 0;
    case OPT_CONSOLE_SOCKET:
      o->console_socket = arg;
      return 0;
    case OPT_NO_PIVOT:
      /* runc 1.1 takes the flag and CRIU pivots anyway: its restore has
         no other way into the root.  Refused, so that a root on a ramdisk
         fails here and not deep inside CRIU.  */
      return usage_error (err, "restore", "--no-pivot: CRIU always enters "
                                          "the restored root with "
                                          "pivot_root (it has no MS_MOVE "
                                          "and chroot mode), so a root on "
                                          "a ramdisk cannot be restored; "
                                          "leave the flag out");
    case OPT_NO_SUBREAPER:
      o->no_subreaper = true;
      return 0;
    case OPT_LSM_PROFILE:
      o->lsm_profile = arg;
      return 0;
    case OPT_LSM_MOUNT_CONTEXT:
      o->lsm_mount_context = arg;
      return 0;
    default:
      return 1;
    }
}

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
    { NULL, 0, NULL, 0 },
  };
  restore_opts o = { 0 };
  criu_cli cli;
  int r, code = 0;

  r = criu_cli_parse ("restore", help, g, argc, argv, "+b:dh", long_opts,
                      own_option, &o, &cli, &o.id, err);
  if (r != 0)
    return r < 0 ? -1 : 0;
  o.root = g->root;
  o.image_path = cli.image_path;
  o.work_path = cli.work_path;
  o.flags = cli.flags;
  if (container_restore (&o, &code, err) < 0)
    return -1;
  return code;
}
