/* berth: the decisions of `berth balloon`, as pure functions of what the
 * kernel reported (unit-tested in tests/unit/test-balloon.c): how much to
 * ask memory.reclaim for next and when to stop (inflate), where to hold
 * memory.high, and senpai's step of --auto.  */
#ifndef BERTH_BALLOON_POLICY_H
#define BERTH_BALLOON_POLICY_H

#include <stdbool.h>
#include <stdint.h>

#define BALLOON_MAX UINT64_MAX
#define BALLOON_MIB (1024ULL * 1024)

/* Percent of the wall time some task of the cgroup was stalled on memory
   between two samples of the "some" total (microseconds), over wall_us:
   what avg10 averages over 10 s, for exactly one step.  */
double balloon_pressure_pct (uint64_t total0, uint64_t total1,
                             uint64_t wall_us);

typedef enum balloon_verdict
{
  BALLOON_GO = 0,      /* ask memory.reclaim for *ask bytes */
  BALLOON_REACHED,     /* memory.current is at the target */
  BALLOON_PRESSURE,    /* the workload stalls: the working set is reached */
  BALLOON_ANON_NO_SWAP, /* what is left is anon memory and there is no
                           swap for it: pushing harder would only evict
                           the working set's files */
  BALLOON_STUCK,       /* the kernel found nothing more to reclaim */
} balloon_verdict;

typedef struct balloon_inflate_in
{
  uint64_t target;       /* SIZE */
  uint64_t current;      /* memory.current now */
  uint64_t file;         /* memory.stat file (shmem included) */
  uint64_t shmem;        /* memory.stat shmem: swap-backed like anon */
  bool swap;             /* the host has swap and the cgroup room in it */
  double pressure;       /* percent over the last step */
  double max_pressure;   /* --max-pressure */
  unsigned misses;       /* steps in a row the kernel got (almost) nothing */
} balloon_inflate_in;

/* The next step of an inflate.  Steps are at most half of what is left
   above the target and at least 4 MiB: the pressure is checked several
   times on the way down, in a handful of steps.  */
balloon_verdict balloon_inflate_next (const balloon_inflate_in *in,
                                      uint64_t *ask);

/* Where memory.high is held after an inflate: the target, or memory.current
   when the balloon stopped above it (never below the working set), never
   above the memory.high the config or update set (the balloon tightens,
   it does not loosen).  */
uint64_t balloon_hold_limit (uint64_t target, uint64_t current,
                             uint64_t configured);

typedef struct balloon_auto_in
{
  uint64_t limit;        /* memory.high now; BALLOON_MAX: "max" */
  uint64_t current;      /* memory.current now */
  uint64_t min;          /* --min */
  uint64_t max;          /* memory.max (BALLOON_MAX: none) and the
                            configured memory.high, the lower */
  double pressure;       /* percent over the last interval */
  double target;         /* --target-pressure */
  double step;           /* --step: fraction of the limit per interval */
} balloon_auto_in;

/* What the loop carries from one step to the next.  */
typedef struct balloon_auto_state
{
  double step;           /* the step down now: --step, halved at each
                            pressure past the target (0.5% at least) */
  unsigned cooldown;     /* intervals to hold after a raise */
} balloon_auto_state;

void balloon_auto_init (balloon_auto_state *st, double step);

/* senpai's step: under the target pressure the limit goes down by up to
   st->step of itself (less the nearer the pressure is to the target;
   from memory.current when that is under three quarters of the limit,
   or the limit is "max").  Past the target it goes up at once by four
   times --step (at least 8 MiB), holds for three intervals, and the
   steps down are halved from then on, so the loop settles near the
   working set instead of cutting into it again and again.  Never above
   in->max, never below in->min.  */
uint64_t balloon_auto_next (const balloon_auto_in *in,
                            balloon_auto_state *st);

#endif
