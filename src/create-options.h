/* berth CLI: the options create and run share.  */
#ifndef BERTH_CREATE_OPTIONS_H
#define BERTH_CREATE_OPTIONS_H

#include <stdbool.h>

#include "libcontainer/lifecycle/container.h"
#include "src/commands.h"

typedef struct run_flags
{
  bool detach; /* run only */
  bool keep;   /* run only */
  bool help;
} run_flags;

/* Parses create's (run: `is_run`) options and the ID into opts.  */
int parse_create_options (const char *cmd, bool is_run, global_opts *g,
                          int argc, char **argv,
                          container_create_opts *opts, run_flags *flags,
                          berth_error **err);

/* --preserve-fds N of create, run and exec.  */
int parse_preserve_fds (const char *cmd, const char *arg, int *out,
                        berth_error **err);

#endif
