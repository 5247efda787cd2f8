/* berth: the loop of `berth events` (events.h).  */
#include "libcontainer/lifecycle/events.h"

#include <errno.h>
#include <poll.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "base/log.h"
#include "libcontainer/lifecycle/container.h"

/* An "oom" event when the kernel's count of OOM kills passed *ooms (the
   kills counted or already reported).  */
static int
report_oom (const oci_stats *s, uint64_t *ooms, container_event_fn fn,
            void *data, berth_error **err)
{
  if (s->memory_oom_events <= *ooms)
    return 0;
  *ooms = s->memory_oom_events;
  return fn ("oom", NULL, data, err);
}

/* Until the container stops: stats every interval, and an oom event as
   soon as the kernel's notification (oom_fd) fires, as runc does.  */
int
container_events (container_handle *h, int64_t interval_ns,
                  container_event_fn fn, void *data, berth_error **err)
{
  cleanup_close int tfd = -1;
  cleanup_close int oomfd = -1;
  struct itimerspec its;
  oci_stats s;
  uint64_t ooms;
  bool counts = false;

  if (h->status == OCI_STATUS_STOPPED || h->pidfd < 0)
    return container_not_running (h, err);
  if (container_oom_fd (h, &oomfd, &counts, err) < 0)
    return -1;
  if (container_stats (h, &s, err) < 0)
    return -1;
  ooms = s.memory_oom_events;

  tfd = timerfd_create (CLOCK_MONOTONIC, TFD_CLOEXEC);
  if (tfd < 0)
    return berth_error_sys (err, "events: timerfd");
  its.it_value.tv_sec = interval_ns / 1000000000;
  its.it_value.tv_nsec = interval_ns % 1000000000;
  its.it_interval = its.it_value;
  if (timerfd_settime (tfd, 0, &its, NULL) < 0)
    return berth_error_sys (err, "events: timerfd");

  for (;;)
    {
      struct pollfd p[3] = {
        { .fd = h->pidfd, .events = POLLIN },
        { .fd = tfd, .events = POLLIN },
        { .fd = oomfd, .events = POLLIN },
      };
      berth_error *e = NULL;

      if (poll (p, oomfd >= 0 ? 3 : 2, -1) < 0)
        {
          if (errno == EINTR)
            continue;
          return berth_error_sys (err, "events: poll");
        }
      if (p[2].revents && counts)
        {
          /* v1 signals before the kill is counted: report each now, and
             let the counter catch up without a second report.  */
          uint64_t n = 0;
          if (read (oomfd, &n, sizeof n) == sizeof n)
            for (; n > 0; n--, ooms++)
              if (fn ("oom", NULL, data, err) < 0)
                return -1;
        }
      else if (p[2].revents)
        {
          char buf[4096];
          while (read (oomfd, buf, sizeof buf) > 0)
            ;
          if (container_stats (h, &s, &e) < 0)
            berth_error_clear (&e);
          else if (report_oom (&s, &ooms, fn, data, err) < 0)
            return -1;
        }
      if (p[0].revents)
        {
          /* Stopped: an OOM kill is often why; report it when the cgroup
             can still be read.  */
          if (container_stats (h, &s, &e) == 0)
            return report_oom (&s, &ooms, fn, data, err);
          berth_error_free (e);
          return 0;
        }
      if (p[1].revents)
        {
          uint64_t ticks;
          if (read (tfd, &ticks, sizeof ticks) < 0 && errno != EAGAIN)
            return berth_error_sys (err, "events: timerfd");
          if (container_stats (h, &s, &e) < 0)
            {
              /* It may have stopped in between: the pidfd says so on the
                 next round.  */
              berth_debug ("events: %s", e->msg);
              berth_error_free (e);
              continue;
            }
          if (report_oom (&s, &ooms, fn, data, err) < 0
              || fn ("stats", &s, data, err) < 0)
            return -1;
        }
    }
}

