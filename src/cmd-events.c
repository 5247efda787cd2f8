/* berth events: the container's resource usage as JSON events, once
 * (--stats) or every --interval until it stops, with an "oom" event when
 * the kernel's OOM killer struck in its cgroup.  The JSON is runc's
 * (types.Event and types.Stats), which engines decode.  */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <yajl/yajl_gen.h>

#include "cgroups/manager.h"
#include "base/cleanup.h"
#include "libcontainer/lifecycle/container.h"
#include "base/log.h"
#include "base/utils.h"
#include "src/commands.h"

static const char help[]
    = "Usage: berth events [options] ID\n"
      "\n"
      "Print the container's resource usage as JSON events, one per line:\n"
      "{\"type\":\"stats\",\"id\":ID,\"data\":{...}} every --interval, and\n"
      "{\"type\":\"oom\",\"id\":ID} when the OOM killer killed one of its\n"
      "processes.  Exits when the container stops.\n"
      "\n"
      "Options:\n"
      "  --stats              print one stats event and exit\n"
      "  --interval DURATION  time between stats events (default 5s): a Go\n"
      "                       duration such as 500ms, 10s, 1m30s\n"
      "  -h, --help           this help\n";

/* ---- Go durations ------------------------------------------------------- */

/* time.ParseDuration's syntax: "1h30m", "1.5s", "100ms", "250us", "0".
   Into nanoseconds.  */
static int
parse_duration (const char *s, int64_t *out, berth_error **err)
{
  static const struct
  {
    const char *name;
    double ns;
  } units[] = {
    { "ns", 1 },      { "us", 1e3 },    { "\xc2\xb5s", 1e3 },
    { "\xce\xbcs", 1e3 }, { "ms", 1e6 }, { "s", 1e9 },
    { "m", 60e9 },    { "h", 3600e9 },
  };
  const char *p = s;
  double total = 0;
  bool neg = false;

  if (*p == '-' || *p == '+')
    neg = *p++ == '-';
  if (strcmp (p, "0") == 0)
    {
      *out = 0;
      return 0;
    }
  if (*p == '\0')
    goto bad;
  while (*p)
    {
      size_t int_len = strspn (p, "0123456789"), frac_len = 0, best = 0;
      double v, mult = 0;
      char *end;

      if (p[int_len] == '.')
        frac_len = 1 + strspn (p + int_len + 1, "0123456789");
      if (int_len == 0 && frac_len <= 1)
        goto bad;
      v = strtod (p, &end);
      if (end != p + int_len + frac_len)
        goto bad;
      p = end;
      /* The longest unit that matches: "ms" before "m".  */
      for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        {
          size_t l = strlen (units[i].name);
          if (l > best && strncmp (p, units[i].name, l) == 0)
            {
              best = l;
              mult = units[i].ns;
            }
        }
      if (best == 0)
        goto bad;
      p += best;
      total += v * mult;
      if (total > 9.2e18)
        goto bad;
    }
  *out = (int64_t) (neg ? -total : total);
  return 0;
bad:
  return berth_error_set (err, 0,
                          "events: --interval: invalid duration \"%s\" "
                          "(examples: 5s, 100ms, 1m30s)",
                          s);
}

/* ---- the JSON --------------------------------------------------------- */

static void
gen_key (yajl_gen g, const char *key)
{
  yajl_gen_string (g, (const unsigned char *) key, strlen (key));
}

static void
gen_u64 (yajl_gen g, const char *key, uint64_t v)
{
  char buf[32];
  int n = snprintf (buf, sizeof buf, "%" PRIu64, v);
  gen_key (g, key);
  yajl_gen_number (g, buf, (size_t) n);
}

/* Go's `omitempty`: runc's fields that have it vanish when zero.  */
static void
gen_u64_omitempty (yajl_gen g, const char *key, uint64_t v)
{
  if (v != 0)
    gen_u64 (g, key, v);
}

static void
gen_memory_entry (yajl_gen g, const char *key, uint64_t limit,
                  uint64_t usage, uint64_t max)
{
  gen_key (g, key);
  yajl_gen_map_open (g);
  gen_u64 (g, "limit", limit);
  gen_u64_omitempty (g, "usage", usage);
  gen_u64_omitempty (g, "max", max);
  gen_u64 (g, "failcnt", 0);
  yajl_gen_map_close (g);
}

/* runc's blkio entries: Read and Write per device; runc's omitempty drops
   zero values.  */
static void
gen_blkio_list (yajl_gen g, const char *key, const cgroup_stats *s,
                bool bytes)
{
  if (s->n_io == 0)
    return;
  gen_key (g, key);
  yajl_gen_array_open (g);
  for (size_t d = 0; d < s->n_io; d++)
    for (int i = 0; i < 2; i++)
      {
        const cgroup_io_stats *e = &s->io[d];
        uint64_t v = bytes ? (i == 0 ? e->read_bytes : e->write_bytes)
                           : (i == 0 ? e->read_ios : e->write_ios);
        yajl_gen_map_open (g);
        gen_u64_omitempty (g, "major", e->major);
        gen_u64_omitempty (g, "minor", e->minor);
        gen_key (g, "op");
        gen_key (g, i == 0 ? "Read" : "Write");
        gen_u64_omitempty (g, "value", v);
        yajl_gen_map_close (g);
      }
  yajl_gen_array_close (g);
}

static void
gen_stats (yajl_gen g, const cgroup_stats *s)
{
  yajl_gen_map_open (g);

  gen_key (g, "cpu");
  yajl_gen_map_open (g);
  gen_key (g, "usage");
  yajl_gen_map_open (g);
  gen_u64_omitempty (g, "total", s->cpu_usage_total_ns);
  gen_u64 (g, "kernel", s->cpu_usage_kernel_ns);
  gen_u64 (g, "user", s->cpu_usage_user_ns);
  yajl_gen_map_close (g);
  gen_key (g, "throttling");
  yajl_gen_map_open (g);
  gen_u64_omitempty (g, "periods", s->cpu_throttling_periods);
  gen_u64_omitempty (g, "throttledPeriods",
                     s->cpu_throttling_throttled_periods);
  gen_u64_omitempty (g, "throttledTime", s->cpu_throttling_throttled_time_ns);
  yajl_gen_map_close (g);
  yajl_gen_map_close (g);

  gen_key (g, "memory");
  yajl_gen_map_open (g);
  gen_u64_omitempty (g, "cache", s->memory_cache);
  gen_memory_entry (g, "usage", s->memory_limit, s->memory_usage,
                    s->memory_max_usage);
  gen_memory_entry (g, "swap", s->memory_swap_limit, s->memory_swap_usage,
                    0);
  gen_memory_entry (g, "kernel", 0, 0, 0);
  gen_memory_entry (g, "kernelTCP", 0, 0, 0);
  yajl_gen_map_close (g);

  gen_key (g, "pids");
  yajl_gen_map_open (g);
  gen_u64_omitempty (g, "current", s->pids_current);
  gen_u64_omitempty (g, "limit", s->pids_limit);
  yajl_gen_map_close (g);

  gen_key (g, "blkio");
  yajl_gen_map_open (g);
  gen_blkio_list (g, "ioServiceBytesRecursive", s, true);
  gen_blkio_list (g, "ioServicedRecursive", s, false);
  yajl_gen_map_close (g);

  gen_key (g, "hugetlb");
  yajl_gen_map_open (g);
  yajl_gen_map_close (g);
  gen_key (g, "intel_rdt");
  yajl_gen_map_open (g);
  yajl_gen_map_close (g);
  gen_key (g, "network_interfaces");
  yajl_gen_null (g);

  yajl_gen_map_close (g);
}

/* One event, one line, flushed: the reader is usually a pipe.  */
static int
print_event (const char *type, const char *id, const cgroup_stats *s,
             berth_error **err)
{
  yajl_gen g = yajl_gen_alloc (NULL);
  const unsigned char *buf;
  size_t len;
  int ret = 0;

  if (g == NULL)
    abort ();
  yajl_gen_map_open (g);
  gen_key (g, "type");
  gen_key (g, type);
  gen_key (g, "id");
  gen_key (g, id);
  if (s)
    {
      gen_key (g, "data");
      gen_stats (g, s);
    }
  yajl_gen_map_close (g);
  yajl_gen_get_buf (g, &buf, &len);
  if (fwrite (buf, 1, len, stdout) != len || putchar ('\n') == EOF
      || fflush (stdout) != 0)
    ret = berth_error_sys (err, "events: write");
  yajl_gen_free (g);
  return ret;
}

/* ---- the loop ----------------------------------------------------------- */

/* A pidfd of the container's init, -1 when it is gone already.  */
static int
open_init (const oci_state *state)
{
  int fd;

  if (state->pid <= 0)
    return -1;
  fd = (int) syscall (SYS_pidfd_open, state->pid, 0);
  if (fd < 0)
    return -1;
  /* The pid may have been reused between the state and the open.  */
  if (state->pid_start_time
      && proc_start_time (state->pid, NULL) != state->pid_start_time)
    {
      close (fd);
      return -1;
    }
  return fd;
}

/* An "oom" event when the kernel's count of OOM kills passed *ooms (the
   kills counted or already reported).  */
static int
report_oom (const cgroup_stats *s, uint64_t *ooms, const char *id,
            berth_error **err)
{
  if (s->memory_oom_events <= *ooms)
    return 0;
  *ooms = s->memory_oom_events;
  return print_event ("oom", id, NULL, err);
}

/* Until the container stops: stats every interval, and an oom event as
   soon as the kernel's notification (oom_fd) fires, as runc does.  */
static int
events_loop (const char *root, const char *id, int64_t interval_ns,
             berth_error **err)
{
  cleanup_close int pidfd = -1;
  cleanup_close int tfd = -1;
  cleanup_close int oomfd = -1;
  struct itimerspec its;
  cgroup_stats s;
  uint64_t ooms;
  bool counts = false;
  oci_state *state;

  state = container_state (root, id, err);
  if (state == NULL)
    return -1;
  if (strcmp (state->status, "stopped") != 0)
    pidfd = open_init (state);
  oci_state_free (state);
  if (pidfd < 0)
    return berth_error_set (err, 0, "container \"%s\" is not running", id);
  if (container_oom_fd (root, id, &oomfd, &counts, err) < 0)
    return -1;
  if (container_stats (root, id, &s, err) < 0)
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
        { .fd = pidfd, .events = POLLIN },
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
              if (print_event ("oom", id, NULL, err) < 0)
                return -1;
        }
      else if (p[2].revents)
        {
          char buf[4096];
          while (read (oomfd, buf, sizeof buf) > 0)
            ;
          if (container_stats (root, id, &s, &e) < 0)
            berth_error_clear (&e);
          else if (report_oom (&s, &ooms, id, err) < 0)
            return -1;
        }
      if (p[0].revents)
        {
          /* Stopped: an OOM kill is often why; report it when the cgroup
             can still be read.  */
          if (container_stats (root, id, &s, &e) == 0)
            return report_oom (&s, &ooms, id, err);
          berth_error_free (e);
          return 0;
        }
      if (p[1].revents)
        {
          uint64_t ticks;
          if (read (tfd, &ticks, sizeof ticks) < 0 && errno != EAGAIN)
            return berth_error_sys (err, "events: timerfd");
          if (container_stats (root, id, &s, &e) < 0)
            {
              /* It may have stopped in between: the pidfd says so on the
                 next round.  */
              berth_debug ("events: %s", e->msg);
              berth_error_free (e);
              continue;
            }
          if (report_oom (&s, &ooms, id, err) < 0
              || print_event ("stats", id, &s, err) < 0)
            return -1;
        }
    }
}

enum
{
  OPT_STATS = 256,
  OPT_INTERVAL,
};

int
cmd_events (global_opts *g, int argc, char **argv, berth_error **err)
{
  static const struct option opts[] = {
    { "stats", no_argument, NULL, OPT_STATS },
    { "interval", required_argument, NULL, OPT_INTERVAL },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  int64_t interval = 5000000000LL;
  bool stats = false;
  const char *id;
  int c;

  while ((c = getopt_long (argc, argv, ":h", opts, NULL)) != -1)
    {
      switch (c)
        {
        case OPT_STATS:
          stats = true;
          break;
        case OPT_INTERVAL:
          if (parse_duration (optarg, &interval, err) < 0)
            return -1;
          if (interval <= 0)
            return berth_error_set (err, 0, "events: --interval: must be "
                                            "greater than 0");
          break;
        case 'h':
          return print_help (help);
        case ':':
          return usage_error (err, "events",
                              "option \"%s\" needs a value",
                              argv[optind - 1]);
        default:
          return usage_error (err, "events", "unknown option \"%s\"",
                              argv[optind - 1]);
        }
    }
  if (one_id_argument ("events", argc, argv, optind, &id, err) < 0)
    return -1;
  if (stats)
    {
      cgroup_stats s;
      if (container_stats (g->root, id, &s, err) < 0)
        return -1;
      return print_event ("stats", id, &s, err) < 0 ? -1 : 0;
    }
  return events_loop (g->root, id, interval, err) < 0 ? -1 : 0;
}
