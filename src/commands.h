/* berth CLI: the global options and the command table.  */
#ifndef BERTH_COMMANDS_H
#define BERTH_COMMANDS_H

#include <stdbool.h>

#include "base/error.h"

typedef struct global_opts
{
  const char *root;   /* --root, default /run/berth */
  const char *log;    /* --log FILE */
  bool log_json;      /* --log-format json */
  bool debug;         /* --debug */
  bool systemd_cgroup; /* --systemd-cgroup: cgroups through systemd */
  const char *criu;   /* --criu: the criu binary libcriu runs; NULL: criu
                         from PATH */
} global_opts;

/* A command parses its own options from argv (argv[0] is its name) and
   returns the process exit code (>= 0), or -1 with *err set.  Options may
   come after the ID (`kill ID --all`, `update ID --memory 1g`), as runc's
   parser moves them first: getopt permutes argv.  exec and ps stop at the
   ID ("+" in their optstring): what follows is the command, or ps's own
   options.  */
typedef int (*command_fn) (global_opts *g, int argc, char **argv,
                           berth_error **err);

typedef struct command
{
  const char *name;
  command_fn run;
  const char *summary;
} command;

int cmd_spec (global_opts *g, int argc, char **argv, berth_error **err);
int cmd_create (global_opts *g, int argc, char **argv, berth_error **err);
int cmd_start (global_opts *g, int argc, char **argv, berth_error **err);
int cmd_run (global_opts *g, int argc, char **argv, berth_error **err);
int cmd_state (global_opts *g, int argc, char **argv, berth_error **err);
int cmd_kill (global_opts *g, int argc, char **argv, berth_error **err);
int cmd_delete (global_opts *g, int argc, char **argv, berth_error **err);
int cmd_list (global_opts *g, int argc, char **argv, berth_error **err);
int cmd_update (global_opts *g, int argc, char **argv, berth_error **err);
int cmd_pause (global_opts *g, int argc, char **argv, berth_error **err);
int cmd_resume (global_opts *g, int argc, char **argv, berth_error **err);
int cmd_ps (global_opts *g, int argc, char **argv, berth_error **err);
int cmd_events (global_opts *g, int argc, char **argv, berth_error **err);
int cmd_exec (global_opts *g, int argc, char **argv, berth_error **err);
int cmd_features (global_opts *g, int argc, char **argv, berth_error **err);
int cmd_checkpoint (global_opts *g, int argc, char **argv,
                    berth_error **err);
int cmd_restore (global_opts *g, int argc, char **argv, berth_error **err);
int cmd_migrate (global_opts *g, int argc, char **argv, berth_error **err);
int cmd_balloon (global_opts *g, int argc, char **argv, berth_error **err);

/* Shared by commands: `--help` text to stdout and exit code 0; a usage
   error (wrong argument count, unknown option) as an error.  */
int usage_error (berth_error **err, const char *cmd, const char *fmt, ...)
    __attribute__ ((format (printf, 3, 4)));
int print_help (const char *text);

/* The whole argument parsing of a command taking only --help and one ID:
   returns 1 after printing `help`, 0 with *id set, -1 on a usage error.  */
int parse_id_only (const char *cmd, const char *help, int argc, char **argv,
                   const char **id, berth_error **err);

/* Takes exactly one ID positional argument after options.  */
int one_id_argument (const char *cmd, int argc, char **argv, int optind_,
                     const char **id, berth_error **err);

#endif
