/* berth: `berth balloon --format json` lines (balloon-step.h).  */
#include "oci-spec/balloon-step.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/utils.h"
#include "oci-spec/json-gen.h"

char *
oci_balloon_step_json (const oci_balloon_step *s)
{
  yajl_gen g = json_gen_new (NULL);

  yajl_gen_map_open (g);
  json_gen_str (g, "phase");
  json_gen_str (g, s->phase);
  json_gen_key_u64 (g, "step", s->step);
  json_gen_str (g, "limit");
  if (s->limit == UINT64_MAX)
    yajl_gen_null (g);
  else
    {
      char buf[32];
      int n = snprintf (buf, sizeof buf, "%" PRIu64, s->limit);
      yajl_gen_number (g, buf, (size_t) n);
    }
  json_gen_key_u64 (g, "current", s->current);
  json_gen_str (g, "pressure");
  /* Two decimals, as the kernel's avg10.  */
  {
    char buf[32];
    int n = snprintf (buf, sizeof buf, "%.2f",
                      isfinite (s->pressure) ? s->pressure : 0.0);
    yajl_gen_number (g, buf, (size_t) n);
  }
  json_gen_key_u64 (g, "reclaimed", s->reclaimed);
  json_gen_key_u64 (g, "reclaimed_anon", s->reclaimed_anon);
  json_gen_key_u64 (g, "reclaimed_file", s->reclaimed_file);
  json_gen_key_u64 (g, "anon", s->anon);
  json_gen_key_u64 (g, "file", s->file);
  json_gen_key_u64 (g, "oom_kill", s->oom_kill);
  if (s->note)
    {
      json_gen_str (g, "note");
      json_gen_str (g, s->note);
    }
  yajl_gen_map_close (g);
  return json_gen_finish_line (g);
}
