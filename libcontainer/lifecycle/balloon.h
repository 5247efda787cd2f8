/* berth: `berth balloon`: a running container's memory handed back to
 * the host, and given back to it under pressure (cgroup v2).
 *
 * inflate: memory.reclaim in steps down to a size, checking the
 * container's memory.pressure between steps, then memory.high held where
 * it stopped.  release: the memory.high the config or update set put
 * back.  auto: senpai's loop on memory.high until a signal, then release.
 * memory.max is never touched: a balloon throttles, it never OOM-kills.
 *
 * The balloon is recorded in the container's state (berth state shows
 * it) as annotations, written before memory.high changes:
 *   run.oci.berth.balloon          "inflate" or "auto"
 *   run.oci.berth.balloon.high     the limit an inflate holds (bytes)
 *   run.oci.berth.balloon.restore  what release puts back (bytes, "max")
 *   run.oci.berth.balloon.pid      the process running --auto, or an
 *                                  inflate while it runs
 *   run.oci.berth.balloon.pid-start  that process's start time (clock
 *                                  ticks after boot, /proc/PID/stat): a
 *                                  pid reused by another process is not
 *                                  taken for it
 * An inflate holds the container's lock only to read the state and to
 * write memory.high or the record, not while the kernel reclaims: other
 * commands are not kept waiting for seconds.  Before each write it checks
 * the container is the one it began on (the same init: pid and start
 * time) and that its record still names it.
 * `update` with a memory.high (linux.resources.unified) while a balloon is
 * recorded makes it the new restore value; an inflated balloon then holds
 * the lower of the two (container_balloon_updated).  */
#ifndef BERTH_BALLOON_H
#define BERTH_BALLOON_H

#include <stdint.h>

#include "base/error.h"
#include "libcontainer/lifecycle/handle.h"
#include "oci-spec/balloon-step.h"
#include "oci-spec/config.h"

#define BALLOON_ANNOTATION "run.oci.berth.balloon"
#define BALLOON_HIGH_ANNOTATION "run.oci.berth.balloon.high"
#define BALLOON_RESTORE_ANNOTATION "run.oci.berth.balloon.restore"
#define BALLOON_PID_ANNOTATION "run.oci.berth.balloon.pid"
#define BALLOON_PID_START_ANNOTATION "run.oci.berth.balloon.pid-start"

typedef struct balloon_options
{
  uint64_t target;        /* inflate: SIZE in bytes */
  double max_pressure;    /* inflate: percent (10) */
  double target_pressure; /* auto: percent (0.1) */
  uint64_t min;           /* auto: the lowest limit (16 MiB) */
  unsigned interval_ms;   /* auto: between steps (6000) */
  double step;            /* auto: fraction of the limit per step (0.05) */
} balloon_options;

/* Called after every step, and once at the end with phase "hold" (the
   summary of an inflate) or "release".  */
typedef void (*balloon_report_fn) (const oci_balloon_step *s, void *data);

int container_balloon_inflate (const char *root, const char *id,
                               const balloon_options *o,
                               balloon_report_fn report, void *data,
                               berth_error **err);

int container_balloon_release (const char *root, const char *id,
                               balloon_report_fn report, void *data,
                               berth_error **err);

/* Runs in the foreground until SIGINT, SIGTERM or SIGHUP (blocked and
   read from a signalfd), or until the balloon is released by another
   command or the container stops; then releases.  The container's lock is
   held only while its state changes.  */
int container_balloon_auto (const char *root, const char *id,
                            const balloon_options *o,
                            balloon_report_fn report, void *data,
                            berth_error **err);

/* update's part (container_update, with the handle locked, after the
   files were written): a memory.high in `r` becomes the balloon's restore
   value and an inflated balloon holds the lower of it and its own.  */
int container_balloon_updated (container_handle *h, const oci_resources *r,
                               berth_error **err);

#endif
