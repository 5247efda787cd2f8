/* berth: one line of `berth balloon --format json`: what a step of the
 * balloon did and what the kernel reported after it.  */
#ifndef BERTH_OCI_BALLOON_STEP_H
#define BERTH_OCI_BALLOON_STEP_H

#include <stdint.h>

typedef struct oci_balloon_step
{
  const char *phase;   /* "inflate", "hold", "auto", "release" */
  uint64_t step;       /* 0, 1, ... in this command */
  uint64_t limit;      /* memory.high after the step; UINT64_MAX: "max" */
  uint64_t current;    /* memory.current: after an inflate step; the
                          sample an --auto step decided on */
  double pressure;     /* memory.pressure "some" over the step, percent */
  uint64_t reclaimed;  /* memory.current's drop over the step */
  uint64_t reclaimed_anon; /* since the command began (memory.stat) */
  uint64_t reclaimed_file;
  uint64_t anon, file; /* memory.stat after the step */
  uint64_t oom_kill;   /* memory.events: never raised by a balloon */
  const char *note;    /* why it stopped or what it saw; NULL: nothing */
} oci_balloon_step;

/* {"phase":"inflate","step":1,"limit":67108864,...} and a newline; limit
   null for "max".  malloc'd.  */
char *oci_balloon_step_json (const oci_balloon_step *s);

#endif
