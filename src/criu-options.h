/* berth CLI: the options checkpoint, restore and migrate share (runc's
 * names).  */
#ifndef BERTH_CRIU_OPTIONS_H
#define BERTH_CRIU_OPTIONS_H

#include <getopt.h>
#include <stdbool.h>

#include "libcontainer/criu/checkpoint.h"
#include "src/commands.h"

enum
{
  CRIU_OPT_IMAGE_PATH = 512,
  CRIU_OPT_WORK_PATH,
  CRIU_OPT_TCP_ESTABLISHED,
  CRIU_OPT_EXT_UNIX_SK,
  CRIU_OPT_SHELL_JOB,
  CRIU_OPT_FILE_LOCKS,
  CRIU_OPT_MANAGE_CGROUPS_MODE,
  CRIU_OPT_EMPTY_NS,
  CRIU_OPT_AUTO_DEDUP,
  CRIU_OPT_LAZY_PAGES,
};

/* getopt_long entries of the options above: those migrate takes too,
   then all of checkpoint's and restore's.  */
#define CRIU_SHARED_LONG_OPTS                                                  \
  { "tcp-established", no_argument, NULL, CRIU_OPT_TCP_ESTABLISHED },          \
      { "ext-unix-sk", no_argument, NULL, CRIU_OPT_EXT_UNIX_SK },              \
      { "shell-job", no_argument, NULL, CRIU_OPT_SHELL_JOB },                  \
      { "file-locks", no_argument, NULL, CRIU_OPT_FILE_LOCKS },                \
      { "manage-cgroups-mode", required_argument, NULL,                        \
        CRIU_OPT_MANAGE_CGROUPS_MODE },                                        \
      { "help", no_argument, NULL, 'h' }
#define CRIU_COMMON_LONG_OPTS                                                  \
  CRIU_SHARED_LONG_OPTS,                                                       \
      { "image-path", required_argument, NULL, CRIU_OPT_IMAGE_PATH },          \
      { "work-path", required_argument, NULL, CRIU_OPT_WORK_PATH },            \
      { "empty-ns", required_argument, NULL, CRIU_OPT_EMPTY_NS },              \
      { "auto-dedup", no_argument, NULL, CRIU_OPT_AUTO_DEDUP },                \
      { "lazy-pages", no_argument, NULL, CRIU_OPT_LAZY_PAGES }

typedef struct criu_cli
{
  const char *image_path;
  const char *work_path;
  criu_flags flags;
} criu_cli;

/* A command's own option `c` (getopt_long's value) with its argument:
   0 taken, -1 a bad value (*err set), 1 not one of the command's.  */
typedef int (*criu_cli_own_fn) (int c, const char *arg, void *data,
                                berth_error **err);

/* The whole command line of checkpoint, restore or migrate: the shared
   options into `cli` (its defaults set first), the others to `own`,
   --help prints `help`; then exactly one ID into *id, and the global
   --criu into cli->flags.  Returns 0, 1 after --help, -1 on an error.  */
int criu_cli_parse (const char *cmd, const char *help, const global_opts *g,
                    int argc, char **argv, const char *shortopts,
                    const struct option *long_opts, criu_cli_own_fn own,
                    void *data, criu_cli *cli, const char **id,
                    berth_error **err);

/* "--name N": N from 0 to max into *out.  */
int criu_cli_int (const char *cmd, const char *name, const char *arg,
                  long min, long max, int *out, berth_error **err);

#define CRIU_COMMON_HELP                                                       \
  "  --image-path DIR      the CRIU images (default: ./checkpoint)\n"          \
  "  --work-path DIR       CRIU's work files and log (default: the image\n"    \
  "                        path)\n"                                            \
  "  --tcp-established     allow open TCP connections\n"                       \
  "  --ext-unix-sk         allow external unix sockets\n"                      \
  "  --shell-job           allow shell jobs (a terminal from outside)\n"       \
  "  --file-locks          handle file locks\n"                                \
  "  --manage-cgroups-mode MODE  soft (default), full, strict or ignore\n"     \
  "  --empty-ns network    make the network namespace, do not restore its\n"   \
  "                        contents (its devices come from elsewhere)\n"       \
  "  --auto-dedup          free the pages of parent images once used\n"        \
  "  --lazy-pages          memory pages through userfaultfd, later\n"

#endif
