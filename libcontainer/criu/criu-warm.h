/* berth: CRIU's kernel probes run ahead of a migration's downtime.
 *
 * CRIU probes the kernel's features (its "kerndat") on its first run
 * after a boot and keeps the answers in /run/criu.kdat for the runs after
 * it.  Those probes took 0.37 s of a restore's 2.25 s in a TCG guest:
 * paid inside the downtime when the final dump or the restore is the
 * first CRIU run on its host since it booted.  `criu check` makes the
 * cache; migrate starts it before anything stops and waits for it before
 * its first CRIU call.  */
#ifndef BERTH_CRIU_WARM_H
#define BERTH_CRIU_WARM_H

#include <sys/types.h>

/* Starts `criu check` (binary, or criu from PATH when NULL; its stdio
   /dev/null) when this host has no cache yet.  Returns its pid, or -1
   when there was nothing to do or it could not start (CRIU then probes
   on its first run, as without this).  */
pid_t criu_warm_start (const char *binary);

/* Waits for the check *pid started (none when -1) and sets *pid to -1.
   Its outcome does not matter: the call after it probes when the cache
   is still missing.  */
void criu_warm_wait (pid_t *pid);

#endif
