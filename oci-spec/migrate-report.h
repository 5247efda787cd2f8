/* berth migrate's report: a line a round (pages, bytes, time), the
 * downtime, the total time and the bytes on the wire, as text (stderr) or
 * as one JSON document (`--format json`, stdout).  */
#ifndef BERTH_OCI_MIGRATE_REPORT_H
#define BERTH_OCI_MIGRATE_REPORT_H

#include <stdio.h>

#define MIGRATE_REPORT_ROUNDS 66

typedef struct migrate_round
{
  char name[16];           /* "1".."64", "final" */
  const char *kind;        /* "pre-dump", "dump", "lazy-dump" */
  unsigned long long bytes; /* memory pages written (pages-*.img) */
  double ms;               /* dump (and, with --to, the send) */
} migrate_round;

typedef struct migrate_report
{
  const char *mode;        /* "pre-copy", "stop-and-copy", "post-copy" */
  const char *to;          /* --to HOST; NULL: this host */
  int n;
  migrate_round round[MIGRATE_REPORT_ROUNDS];
  int pre_rounds;          /* pre-dump rounds */
  double downtime_ms;      /* frozen until running at the destination */
  /* The downtime's phases, in order (0: not measured; commit_ms is after
     the switch, outside the downtime):  */
  double dump_ms;          /* the final dump: CRIU starts, freezes, writes
                              (post-copy: until the lazy dump serves) */
  double transfer_ms;      /* --to: the final images sent to the target */
  double restore_ms;       /* the restore, until the destination runs it
                              (--to: as the source hears "running") */
  double commit_ms;        /* --to: "commit" until "committed" (the
                              address announced there) */
  double total_ms;
  unsigned long long wire_bytes; /* --to: both ways on the ssh
                                    connection's stdio */
  const char *net;         /* --to: "external" (the network namespace made
                              again on the target, out of the images) or
                              "dump" (CRIU carries it); NULL: neither */
  char net_why[192];       /* with "dump": why ("" with NULL) */
} migrate_report;

/* The text line of round i: "round=NAME kind=KIND pages=P bytes=B
   ms=T".  */
void migrate_report_round_text (FILE *f, const migrate_report *r, int i);

/* The summary line: "mode=M rounds=N downtime_ms=D total_ms=T", then
   " wire_bytes=W to=HOST net=external|dump" with --to, then the phases measured
   (" dump_ms=.. transfer_ms=.. restore_ms=.. commit_ms=..").  */
void migrate_report_summary_text (FILE *f, const migrate_report *r);

/* The whole report as JSON (malloc'd): {"mode", "to", "rounds": [{"name",
   "kind", "pages", "bytes", "ms"}], "downtime_ms", "total_ms",
   "wire_bytes", "net" and "net_why" (with --to), "phases": {"dump_ms", "transfer_ms", "restore_ms",
   "commit_ms"}}.  */
char *migrate_report_json (const migrate_report *r);

#endif
