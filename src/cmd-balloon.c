/* berth balloon: hand a container's unused memory back to the host, and
 * give it back under pressure (cgroup v2).  Only the arguments and the
 * printing are here: libcontainer/lifecycle/balloon.c does it.  */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroups/balloon.h"
#include "libcontainer/lifecycle/balloon.h"
#include "src/commands.h"

static const char help[]
    = "Usage: berth balloon [options] ID SIZE\n"
      "       berth balloon [options] ID --release\n"
      "       berth balloon [options] ID --auto\n"
      "\n"
      "Reclaim what a running container does not use (cgroup v2 only).\n"
      "With SIZE, inflate: memory.reclaim in steps down to SIZE, stopping\n"
      "early when the container's memory pressure passes --max-pressure\n"
      "or when what is left is anon memory without swap; memory.high is\n"
      "then held where it stopped.  --release puts back the memory.high\n"
      "the config or update set.  --auto lowers memory.high step by step\n"
      "while the pressure stays under --target-pressure and raises it as\n"
      "soon as it passes, until SIGINT or SIGTERM, then releases.\n"
      "memory.max is never changed: a balloon throttles, it never\n"
      "OOM-kills.  `berth state` shows a balloon in its annotations.\n"
      "\n"
      "Options:\n"
      "  --release                 deflate: restore memory.high\n"
      "  --auto                    run the balloon loop in the foreground\n"
      "  --max-pressure PCT        inflate: stop when the \"some\" memory\n"
      "                            pressure of a step passes PCT (10)\n"
      "  --target-pressure PCT     --auto: the pressure aimed at (0.1)\n"
      "  --min SIZE                --auto: never below SIZE (16m)\n"
      "  --interval DURATION       --auto: between steps (6s; 500ms...)\n"
      "  --step PCT                --auto: the most the limit goes down per\n"
      "                            step, percent of what is in use (5,\n"
      "                            at most 50)\n"
      "  -f, --format FORMAT       text (default) or json: one line per step\n"
      "  -h, --help                this help\n"
      "\n"
      "SIZE is bytes with an optional suffix k, m, g or t (powers of 1024).\n"
      "PCT is a percentage of wall time some task stalled on memory (PSI).\n";

enum
{
  OPT_RELEASE = 256,
  OPT_AUTO,
  OPT_MAX_PRESSURE,
  OPT_TARGET_PRESSURE,
  OPT_MIN,
  OPT_INTERVAL,
  OPT_STEP,
};

static const struct option opts[] = {
  { "release", no_argument, NULL, OPT_RELEASE },
  { "auto", no_argument, NULL, OPT_AUTO },
  { "max-pressure", required_argument, NULL, OPT_MAX_PRESSURE },
  { "target-pressure", required_argument, NULL, OPT_TARGET_PRESSURE },
  { "min", required_argument, NULL, OPT_MIN },
  { "interval", required_argument, NULL, OPT_INTERVAL },
  { "step", required_argument, NULL, OPT_STEP },
  { "format", required_argument, NULL, 'f' },
  { "help", no_argument, NULL, 'h' },
  { NULL, 0, NULL, 0 },
};

/* "6", "6s", "500ms": milliseconds, 10 ms to a day.  */
static int
parse_interval (const char *s, unsigned *ms, berth_error **err)
{
  char *end;
  unsigned long long v = strtoull (s, &end, 10);

  if (end != s && s[0] != '-')
    {
      if (strcmp (end, "ms") == 0 && v >= 10 && v <= 86400000ULL)
        {
          *ms = (unsigned) v;
          return 0;
        }
      if ((*end == '\0' || strcmp (end, "s") == 0) && v >= 1 && v <= 86400)
        {
          *ms = (unsigned) v * 1000;
          return 0;
        }
    }
  return usage_error (err, "balloon", "--interval: \"%s\": expected a "
                      "duration such as 6s or 500ms (10ms to 86400s)", s);
}

static int
option_error (berth_error **err, const char *opt, berth_error *why)
{
  int ret = usage_error (err, "balloon", "--%s: %s", opt, why->msg);
  berth_error_free (why);
  return ret;
}

static void
mib (char *buf, size_t len, uint64_t v)
{
  if (v == UINT64_MAX)
    snprintf (buf, len, "max");
  else
    snprintf (buf, len, "%.1f MiB", (double) v / 1048576.0);
}

typedef struct printer
{
  bool json;
  const char *id;
  uint64_t first_current; /* memory.current before the first step */
  bool seen;
} printer;

static void
print_step (const oci_balloon_step *s, void *data)
{
  printer *p = data;
  char limit[32], cur[32], was[32], rec[32], anon[32], file[32];

  if (!p->seen)
    {
      p->first_current = s->current + s->reclaimed;
      p->seen = true;
    }
  if (p->json)
    {
      char *line = oci_balloon_step_json (s);
      fputs (line, stdout);
      free (line);
      fflush (stdout);
      return;
    }
  mib (limit, sizeof limit, s->limit);
  mib (cur, sizeof cur, s->current);
  if (strcmp (s->phase, "hold") == 0)
    {
      mib (was, sizeof was, p->first_current);
      mib (rec, sizeof rec, p->first_current > s->current
                                ? p->first_current - s->current : 0);
      mib (anon, sizeof anon, s->reclaimed_anon);
      mib (file, sizeof file, s->reclaimed_file);
      printf ("%s: memory %s -> %s, reclaimed %s (anon %s, file %s); "
              "memory.high %s: %s\n",
              p->id, was, cur, rec, anon, file, limit, s->note);
    }
  else if (strcmp (s->phase, "release") == 0)
    printf ("%s: %s; memory.high %s, memory %s\n", p->id,
            s->note ? s->note : "released", limit, cur);
  else if (strcmp (s->phase, "auto") == 0)
    printf ("%s: memory.high %s, memory %s, pressure %.2f%%\n", p->id, limit,
            cur, s->pressure);
  fflush (stdout);
}

int
cmd_balloon (global_opts *g, int argc, char **argv, berth_error **err)
{
  balloon_options o = { .max_pressure = 10.0, .target_pressure = 0.1,
                        .min = 16ULL << 20, .interval_ms = 6000,
                        .step = 0.05 };
  printer p = { 0 };
  bool release = false, automatic = false;
  const char *format = "text";
  double pct;
  int c;

  while ((c = getopt_long (argc, argv, ":f:h", opts, NULL)) != -1)
    {
      berth_error *why = NULL;

      switch (c)
        {
        case 'h':
          return print_help (help);
        case ':':
          return usage_error (err, "balloon", "option \"%s\" needs a value",
                              argv[optind - 1]);
        case OPT_RELEASE:
          release = true;
          break;
        case OPT_AUTO:
          automatic = true;
          break;
        case OPT_MAX_PRESSURE:
        case OPT_TARGET_PRESSURE:
        case OPT_STEP:
          if (cg_percent_parse (optarg, &pct, &why) < 0)
            return option_error (err, opts[c - OPT_RELEASE].name, why);
          if (c == OPT_MAX_PRESSURE)
            o.max_pressure = pct;
          else if (c == OPT_TARGET_PRESSURE)
            o.target_pressure = pct;
          else if (pct <= 0 || pct > 50)
            return usage_error (err, "balloon", "--step: \"%s\": expected "
                                "more than 0 and at most 50", optarg);
          else
            o.step = pct / 100.0;
          break;
        case OPT_MIN:
          if (cg_size_parse (optarg, false, &o.min, &why) < 0)
            return option_error (err, "min", why);
          break;
        case OPT_INTERVAL:
          if (parse_interval (optarg, &o.interval_ms, err) < 0)
            return -1;
          break;
        case 'f':
          format = optarg;
          break;
        default:
          return usage_error (err, "balloon", "unknown option \"%s\"",
                              argv[optind - 1]);
        }
    }
  if (strcmp (format, "text") != 0 && strcmp (format, "json") != 0)
    return usage_error (err, "balloon", "--format: unknown format \"%s\" "
                        "(text or json)", format);
  if (release && automatic)
    return usage_error (err, "balloon", "--release and --auto exclude each "
                        "other");
  if (optind >= argc)
    return usage_error (err, "balloon", "expects a container ID");
  p.id = argv[optind];
  p.json = strcmp (format, "json") == 0;
  if (release || automatic)
    {
      if (argc - optind != 1)
        return usage_error (err, "balloon", "--%s takes no SIZE",
                            release ? "release" : "auto");
      if (release)
        return container_balloon_release (g->root, p.id, print_step, &p, err)
                       < 0 ? -1 : 0;
      return container_balloon_auto (g->root, p.id, &o, print_step, &p, err)
                     < 0 ? -1 : 0;
    }
  if (argc - optind != 2)
    return usage_error (err, "balloon", "expects ID and SIZE (or --release, "
                        "--auto)");
  {
    berth_error *why = NULL;
    if (cg_size_parse (argv[optind + 1], false, &o.target, &why) < 0)
      {
        int ret = usage_error (err, "balloon", "SIZE: %s", why->msg);
        berth_error_free (why);
        return ret;
      }
  }
  return container_balloon_inflate (g->root, p.id, &o, print_step, &p, err)
                 < 0 ? -1 : 0;
}
