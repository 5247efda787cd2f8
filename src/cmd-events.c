/* berth events: the container's resource usage as JSON events, once
 * (--stats) or every --interval until it stops, with an "oom" event when
 * the kernel's OOM killer struck in its cgroup.  The JSON is runc's
 * (types.Event and types.Stats), which engines decode.  */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/cleanup.h"
#include "libcontainer/lifecycle/container.h"
#include "libcontainer/lifecycle/events.h"
#include "oci-spec/events.h"
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

/* One event, one line, flushed: the reader is usually a pipe.  */
static int
print_event (const char *type, const oci_stats *s, void *data,
             berth_error **err)
{
  const char *id = data;
  size_t len;
  cleanup_free char *json = oci_event_to_json (type, id, s, &len);

  if (fwrite (json, 1, len, stdout) != len || putchar ('\n') == EOF
      || fflush (stdout) != 0)
    return berth_error_sys (err, "events: write");
  return 0;
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
  cleanup_container_handle container_handle *h = NULL;
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
  if (container_open (g->root, id, 0, &h, err) < 0)
    return -1;
  if (stats)
    {
      oci_stats s;
      if (container_stats (h, &s, err) < 0)
        return -1;
      return print_event ("stats", &s, (void *) id, err) < 0 ? -1 : 0;
    }
  return container_events (h, interval, print_event, (void *) id, err) < 0
             ? -1
             : 0;
}
