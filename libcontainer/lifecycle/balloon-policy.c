/* berth: the balloon's decisions (balloon-policy.h).  Pure.  */
#include "libcontainer/lifecycle/balloon-policy.h"

double
balloon_pressure_pct (uint64_t total0, uint64_t total1, uint64_t wall_us)
{
  if (wall_us == 0 || total1 <= total0)
    return 0.0;
  return 100.0 * (double) (total1 - total0) / (double) wall_us;
}

/* Less than this from the target is the target: memory.reclaim works in
   batches of pages and the cgroup charges its own bits meanwhile.  */
#define SLACK (BALLOON_MIB)
#define MIN_STEP (4 * BALLOON_MIB)

balloon_verdict
balloon_inflate_next (const balloon_inflate_in *in, uint64_t *ask)
{
  uint64_t left, step, reclaimable;

  *ask = 0;
  if (in->current <= in->target + SLACK)
    return BALLOON_REACHED;
  if (in->pressure > in->max_pressure)
    return BALLOON_PRESSURE;
  left = in->current - in->target;
  /* Without swap only page cache goes (shmem is swap-backed): ask no
     more than there is of it.  */
  reclaimable = in->swap ? left
                         : (in->file > in->shmem ? in->file - in->shmem : 0);
  if (!in->swap && reclaimable < MIN_STEP)
    return BALLOON_ANON_NO_SWAP;
  if (in->misses >= 2)
    return in->swap ? BALLOON_STUCK : BALLOON_ANON_NO_SWAP;
  step = left / 2;
  if (step < MIN_STEP)
    step = MIN_STEP;
  if (step > left)
    step = left;
  if (step > reclaimable)
    step = reclaimable;
  *ask = step;
  return BALLOON_GO;
}

uint64_t
balloon_hold_limit (uint64_t target, uint64_t current, uint64_t configured)
{
  uint64_t hold = current > target ? current : target;
  return hold < configured ? hold : configured;
}

void
balloon_auto_init (balloon_auto_state *st, double step)
{
  st->step = step;
  st->cooldown = 0;
}

#define AUTO_COOLDOWN 3
#define AUTO_MIN_STEP 0.005

uint64_t
balloon_auto_next (const balloon_auto_in *in, balloon_auto_state *st)
{
  uint64_t base, delta, next;

  if (in->pressure > in->target)
    {
      /* Stalls: give memory back at once.  */
      base = in->limit == BALLOON_MAX ? in->current : in->limit;
      delta = (uint64_t) ((double) base * in->step * 4.0);
      if (delta < 8 * BALLOON_MIB)
        delta = 8 * BALLOON_MIB;
      next = base + delta < base ? BALLOON_MAX : base + delta;
      st->cooldown = AUTO_COOLDOWN;
      st->step = st->step / 2 < AUTO_MIN_STEP ? AUTO_MIN_STEP : st->step / 2;
    }
  else if (st->cooldown > 0)
    {
      st->cooldown--;
      next = in->limit;
    }
  else
    {
      double room = in->target > 0 ? 1.0 - in->pressure / in->target : 1.0;
      /* A limit far above what is in use says nothing: start from use.  */
      base = in->limit == BALLOON_MAX
                     || in->current < in->limit - in->limit / 4
                 ? in->current
                 : in->limit;
      delta = (uint64_t) ((double) base * st->step * room);
      next = base - delta;
    }
  if (next > in->max)
    next = in->max;
  if (next < in->min)
    next = in->min;
  return next;
}
