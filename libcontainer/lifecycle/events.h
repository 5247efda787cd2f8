/* berth: a container's events until it stops: stats every interval, and
 * an "oom" event as soon as the kernel's notification fires, as runc's
 * `events` does.  The CLI prints them (oci-spec/events.h writes the
 * JSON).  */
#ifndef BERTH_EVENTS_H
#define BERTH_EVENTS_H

#include <stdint.h>

#include "base/error.h"
#include "libcontainer/lifecycle/handle.h"
#include "oci-spec/events.h"

/* One event: type "stats" with `s`, or "oom" with `s` NULL.  A failure
   (< 0 with *err set) ends the loop with it.  */
typedef int (*container_event_fn) (const char *type, const oci_stats *s,
                                   void *data, berth_error **err);

/* h: no lock (as `state`); a container that is not running is refused.
   Returns 0 once the container stopped (an OOM kill that stopped it is
   reported first, when its cgroup can still be read).  */
int container_events (container_handle *h, int64_t interval_ns,
                      container_event_fn fn, void *data, berth_error **err);

#endif
