/* berth: the fds berth hands through to the container process beyond
 * stdio: `--preserve-fds N` and systemd socket activation (LISTEN_FDS).
 *
 * As runc: when LISTEN_PID is berth's pid, the LISTEN_FDS fds from 3 on
 * go first, the N preserved fds right after them; the container's
 * environment then gets LISTEN_FDS (and LISTEN_FDNAMES when set) and
 * LISTEN_PID, the pid of the container process in its own namespace (1
 * with a new pid namespace).  */
#ifndef BERTH_PASS_FDS_H
#define BERTH_PASS_FDS_H

#include "base/error.h"

/* How many fds from 3 on go to the container: the socket-activation fds
   (*listen) plus `preserve`.  Each must be an fd berth was given: open
   and not close-on-exec (every fd of berth's own is), so nothing of
   berth's can leak in through a number the caller did not open.  Errors:
   "--preserve-fds 2: fd 4 was not passed to berth".  */
int pass_fds_count (int preserve, int *listen, berth_error **err);

/* In the init, on the environment of process_build_env: sets LISTEN_FDS
   (`listen` > 0 only), LISTEN_FDNAMES from berth's own environment and
   LISTEN_PID=getpid(), replacing entries of the same name.  */
void pass_fds_env (char ***envp, int listen);

#endif
