/* berth run: create + start, and in the foreground wait for the exit.  */
#include "src/create-options.h"

static const char help[]
    = "Usage: berth run [options] ID\n"
      "\n"
      "Create and start a container.  In the foreground berth forwards the\n"
      "signals it receives to the container process, waits for it, deletes\n"
      "the container and exits with the process's status (128+N when it\n"
      "was killed by signal N).  With process.terminal it copies its own\n"
      "stdin and stdout to and from the container's terminal, stdin in raw\n"
      "mode when it is a terminal, whose window size follows.  --detach\n"
      "with process.terminal needs --console-socket.\n"
      "\n"
      "Options:\n"
      "  -b, --bundle DIR      bundle directory (default: current directory)\n"
      "  -d, --detach          return after start; the container keeps "
      "running\n"
      "  --keep                do not delete the container after it exits\n"
      "  --pid-file FILE       write the container process's pid to FILE\n"
      "  --console-socket PATH with process.terminal: send the pty master to\n"
      "                        the AF_UNIX socket PATH (see\n"
      "                        berth-console-socket(7))\n"
      "  --pidfd-socket PATH   send a pidfd of the container process to the\n"
      "                        AF_UNIX socket PATH (SCM_RIGHTS, as runc 1.2)\n"
      "  --no-pivot            use MS_MOVE and chroot instead of pivot_root\n"
      "  --no-new-keyring      keep the caller's session keyring\n"
      "  --overlay             leave the bundle's rootfs untouched (see "
      "create)\n"
      "  --preserve-fds N      pass fds 3 to 3+N-1 to the container (after\n"
      "                        the LISTEN_FDS ones when LISTEN_PID is berth)\n"
      "  -h, --help            this help\n";

int
cmd_run (global_opts *g, int argc, char **argv, berth_error **err)
{
  container_create_opts opts;
  run_flags flags;
  int code = 0;

  if (parse_create_options ("run", true, g, argc, argv, &opts, &flags, err)
      < 0)
    return -1;
  if (flags.help)
    return print_help (help);
  if (container_run (&opts, flags.detach, flags.keep, &code, err) < 0)
    return -1;
  return code;
}
