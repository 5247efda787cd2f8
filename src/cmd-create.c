/* berth create: build the container; its process waits for `start`.  */
#include "src/create-options.h"

static const char help[]
    = "Usage: berth create [options] ID\n"
      "\n"
      "Create a container from the bundle: namespaces, root filesystem,\n"
      "mounts, devices and hooks are set up, and the container process\n"
      "waits for `berth start ID` before it runs process.args.\n"
      "\n"
      "Options:\n"
      "  -b, --bundle DIR      bundle directory (default: current directory)\n"
      "  --pid-file FILE       write the container process's pid to FILE\n"
      "  --console-socket PATH with process.terminal: send the pty master to\n"
      "                        the AF_UNIX socket PATH (see\n"
      "                        berth-console-socket(7))\n"
      "  --pidfd-socket PATH   send a pidfd of the container process to the\n"
      "                        AF_UNIX socket PATH (SCM_RIGHTS, as runc 1.2)\n"
      "  --no-pivot            use MS_MOVE and chroot instead of pivot_root\n"
      "  --no-new-keyring      keep the caller's session keyring\n"
      "  --overlay             leave the bundle's rootfs untouched: writes go\n"
      "                        to an overlay in the state dir (also the\n"
      "                        annotation run.oci.berth.overlay=true)\n"
      "  --preserve-fds N      pass fds 3 to 3+N-1 to the container (after\n"
      "                        the LISTEN_FDS ones when LISTEN_PID is berth)\n"
      "  -h, --help            this help\n";

int
cmd_create (global_opts *g, int argc, char **argv, berth_error **err)
{
  container_create_opts opts;
  run_flags flags;

  if (parse_create_options ("create", false, g, argc, argv, &opts, &flags,
                            err)
      < 0)
    return -1;
  if (flags.help)
    return print_help (help);
  if (container_create (&opts, err) < 0)
    return -1;
  return 0;
}
