/* berth: the table of `berth ps`.  */
#ifndef BERTH_PS_H
#define BERTH_PS_H

#include "base/error.h"
#include "libcontainer/lifecycle/handle.h"

/* Runs ps(1) on the host with `ps_args` (none: -ef) and keeps its header
   and the lines whose PID column is one of the container's processes
   (container_pids); a stopped container's table lists what is left in
   its cgroup, usually nothing: the header alone.
   h: no lock.  *table: malloc'd text, each line ending
   in a newline.  */
int container_ps_table (container_handle *h, char **ps_args, int n_ps_args,
                        char **table, berth_error **err);

#endif
