/* berth: checkpoint and restore of a container with CRIU (libcriu), with
 * runc's options and semantics (runc 1.1: `runc checkpoint`, `runc
 * restore`).  */
#ifndef BERTH_CHECKPOINT_H
#define BERTH_CHECKPOINT_H

#include <stdbool.h>

#include "base/error.h"
#include "libcontainer/criu/criu-common.h"

typedef struct checkpoint_opts
{
  const char *root;
  const char *id;
  const char *image_path;  /* NULL: ./checkpoint, as runc */
  const char *work_path;   /* NULL: the image path */
  const char *parent_path; /* relative to image_path: the previous
                              pre-dump */
  bool leave_running;
  bool pre_dump;           /* memory only; the container keeps running */
  bool keep_record;        /* with neither of the above: the stopped
                              container's record (state dir, cgroup)
                              stays, for the caller's
                              container_delete_force_id (migrate --to
                              deletes it while the target restores, off
                              the downtime's path) */
  criu_flags flags;
} checkpoint_opts;

/* A running (or paused) container into opts->image_path.  Without
   leave_running or pre_dump the container is gone afterwards (deleted, as
   runc does, unless keep_record); on failure it is as it was, and the error quotes CRIU's
   log.  */
int container_checkpoint (const checkpoint_opts *opts, berth_error **err);

typedef struct restore_opts
{
  const char *root;
  const char *id;
  const char *bundle;         /* NULL: the current directory */
  const char *image_path;     /* NULL: ./checkpoint */
  const char *work_path;
  const char *pid_file;
  const char *console_socket;
  const char *lsm_profile;    /* TYPE:NAME */
  const char *lsm_mount_context;
  bool detach;
  bool no_subreaper;          /* in the foreground, berth is no child
                                 subreaper */
  criu_flags flags;
} restore_opts;

/* Restores the container `id` from the image: made as create would make
   it (state dir, cgroup from config.json), then CRIU rebuilds the process
   tree in it.  Without detach: waits for the process, forwards signals,
   deletes the container and sets *exit_code, as run.  */
int container_restore (const restore_opts *opts, int *exit_code,
                       berth_error **err);

#endif
