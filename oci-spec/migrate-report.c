/* berth migrate's report as text or JSON (oci-spec/migrate-report.h).  */
#include "oci-spec/migrate-report.h"

#include "oci-spec/json-gen.h"

#define PAGE 4096ULL

void
migrate_report_round_text (FILE *f, const migrate_report *r, int i)
{
  const migrate_round *x = &r->round[i];

  if (f == NULL)
    return;
  fprintf (f, "round=%s kind=%s pages=%llu bytes=%llu ms=%.0f\n", x->name,
           x->kind, x->bytes / PAGE, x->bytes, x->ms);
  fflush (f);
}

void
migrate_report_summary_text (FILE *f, const migrate_report *r)
{
  if (f == NULL)
    return;
  fprintf (f, "mode=%s rounds=%d downtime_ms=%.0f total_ms=%.0f", r->mode,
           r->pre_rounds, r->downtime_ms, r->total_ms);
  if (r->to)
    fprintf (f, " wire_bytes=%llu to=%s", r->wire_bytes, r->to);
  if (r->net)
    fprintf (f, " net=%s", r->net);
  if (r->dump_ms > 0)
    fprintf (f, " dump_ms=%.0f transfer_ms=%.0f restore_ms=%.0f "
                "commit_ms=%.0f",
             r->dump_ms, r->transfer_ms, r->restore_ms, r->commit_ms);
  fputc ('\n', f);
  fflush (f);
}

static void
key_ms (yajl_gen g, const char *key, double ms)
{
  json_gen_key_u64 (g, key, ms > 0 ? (uint64_t) (ms + 0.5) : 0);
}

char *
migrate_report_json (const migrate_report *r)
{
  yajl_gen g = json_gen_new (NULL);

  yajl_gen_map_open (g);
  json_gen_str (g, "mode");
  json_gen_str (g, r->mode);
  json_gen_str (g, "to");
  if (r->to)
    json_gen_str (g, r->to);
  else
    yajl_gen_null (g);
  json_gen_str (g, "rounds");
  yajl_gen_array_open (g);
  for (int i = 0; i < r->n; i++)
    {
      yajl_gen_map_open (g);
      json_gen_str (g, "name");
      json_gen_str (g, r->round[i].name);
      json_gen_str (g, "kind");
      json_gen_str (g, r->round[i].kind);
      json_gen_key_u64 (g, "pages", r->round[i].bytes / PAGE);
      json_gen_key_u64 (g, "bytes", r->round[i].bytes);
      key_ms (g, "ms", r->round[i].ms);
      yajl_gen_map_close (g);
    }
  yajl_gen_array_close (g);
  key_ms (g, "downtime_ms", r->downtime_ms);
  key_ms (g, "total_ms", r->total_ms);
  json_gen_key_u64 (g, "wire_bytes", r->wire_bytes);
  json_gen_str (g, "phases");
  yajl_gen_map_open (g);
  key_ms (g, "dump_ms", r->dump_ms);
  key_ms (g, "transfer_ms", r->transfer_ms);
  key_ms (g, "restore_ms", r->restore_ms);
  key_ms (g, "commit_ms", r->commit_ms);
  yajl_gen_map_close (g);
  if (r->net)
    {
      json_gen_str (g, "net");
      json_gen_str (g, r->net);
      json_gen_str (g, "net_why");
      json_gen_str (g, r->net_why);
    }
  yajl_gen_map_close (g);
  return json_gen_finish (g, NULL);
}
