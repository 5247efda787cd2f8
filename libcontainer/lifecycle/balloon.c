/* berth: `berth balloon` on a container (balloon.h): the steps, the
 * record in its state, and update's part.  The files are
 * cgroups/balloon.c's; the decisions are balloon-policy.c's.  */
#include "libcontainer/lifecycle/balloon.h"

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "base/log.h"
#include "base/pidfd.h"
#include "base/utils.h"
#include "cgroups/balloon.h"
#include "libcontainer/lifecycle/balloon-policy.h"
#include "libcontainer/lifecycle/state.h"

/* An inflate never runs longer than this many steps: each one reclaims at
   least a few MiB or counts as a miss, and two misses stop it.  */
#define INFLATE_MAX_STEPS 256
/* PSI needs some wall time to say anything about a step.  */
#define INFLATE_SETTLE_MS 100

static uint64_t
now_us (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (uint64_t) ts.tv_sec * 1000000 + (uint64_t) ts.tv_nsec / 1000;
}

static void
sleep_ms (unsigned ms)
{
  struct timespec ts = { ms / 1000, (long) (ms % 1000) * 1000000 };
  while (nanosleep (&ts, &ts) < 0 && errno == EINTR)
    ;
}

/* ---- the record in the state's annotations ----------------------------- */

static const char *
annotation (const oci_state *s, const char *key)
{
  for (size_t i = 0; i < s->n_annotations; i++)
    if (strcmp (s->annotations[i].key, key) == 0)
      return s->annotations[i].value;
  return NULL;
}

static void
annotation_set (oci_state *s, const char *key, const char *value)
{
  for (size_t i = 0; i < s->n_annotations; i++)
    if (strcmp (s->annotations[i].key, key) == 0)
      {
        free (s->annotations[i].value);
        s->annotations[i].value = xstrdup (value);
        return;
      }
  s->annotations = xrealloc (s->annotations,
                             (s->n_annotations + 1) * sizeof *s->annotations);
  s->annotations[s->n_annotations].key = xstrdup (key);
  s->annotations[s->n_annotations].value = xstrdup (value);
  s->n_annotations++;
}

static void
annotation_remove (oci_state *s, const char *key)
{
  for (size_t i = 0; i < s->n_annotations; i++)
    if (strcmp (s->annotations[i].key, key) == 0)
      {
        free (s->annotations[i].key);
        free (s->annotations[i].value);
        memmove (&s->annotations[i], &s->annotations[i + 1],
                 (s->n_annotations - i - 1) * sizeof *s->annotations);
        s->n_annotations--;
        return;
      }
}

static char *
bytes_text (uint64_t v)
{
  return v == BALLOON_MAX ? xstrdup ("max") : xasprintf ("%" PRIu64, v);
}

static uint64_t
bytes_value (const char *text, uint64_t fallback)
{
  uint64_t v;
  berth_error *err = NULL;

  if (text == NULL || cg_size_parse (text, true, &v, &err) < 0)
    {
      berth_error_free (err);
      return fallback;
    }
  return v;
}

static void
record_remove (oci_state *s)
{
  annotation_remove (s, BALLOON_ANNOTATION);
  annotation_remove (s, BALLOON_HIGH_ANNOTATION);
  annotation_remove (s, BALLOON_RESTORE_ANNOTATION);
  annotation_remove (s, BALLOON_PID_ANNOTATION);
  annotation_remove (s, BALLOON_PID_START_ANNOTATION);
}

static void
record_u64 (oci_state *s, const char *key, uint64_t v)
{
  cleanup_free char *t = bytes_text (v);
  annotation_set (s, key, t);
}

/* ---- opening -------------------------------------------------------------- */

static int
open_balloon (const char *root, const char *id, container_handle **h,
              cg_balloon **b, berth_error **err)
{
  if (container_open (root, id, CONTAINER_OPEN_LOCK_EXCLUSIVE, h, err) < 0)
    return -1;
  if ((*h)->status == OCI_STATUS_STOPPED)
    return berth_error_set (err, 0, "container \"%s\" is not running", id);
  if (cg_balloon_open ((*h)->cg, b, err) < 0)
    return berth_error_wrap (err, "container \"%s\"", id);
  return 0;
}

/* What release puts back: the recorded value of a balloon already there,
   else memory.high as the config or update left it.  */
static uint64_t
restore_value (const oci_state *s, const cg_balloon_sample *now)
{
  return bytes_value (annotation (s, BALLOON_RESTORE_ANNOTATION), now->high);
}

/* ---- the process running a balloon -------------------------------------- */

/* Records this process as the one running the balloon: its pid and its
   start time, which tells it from a later process given the same pid.  */
static void
record_runner (oci_state *s)
{
  cleanup_free char *pid = xasprintf ("%d", (int) getpid ());
  cleanup_free char *start
      = xasprintf ("%llu", proc_start_time (getpid (), NULL));

  annotation_set (s, BALLOON_PID_ANNOTATION, pid);
  annotation_set (s, BALLOON_PID_START_ANNOTATION, start);
}

static void
forget_runner (oci_state *s)
{
  annotation_remove (s, BALLOON_PID_ANNOTATION);
  annotation_remove (s, BALLOON_PID_START_ANNOTATION);
}

/* Whether the state names this process as the balloon's runner (pid and
   start time: a record left by a killed balloon whose pid is ours now is
   not ours).  */
static bool
runner_is_us (const oci_state *s)
{
  const char *pid = annotation (s, BALLOON_PID_ANNOTATION);
  const char *start = annotation (s, BALLOON_PID_START_ANNOTATION);

  return pid && start && strtol (pid, NULL, 10) == (long) getpid ()
         && strtoull (start, NULL, 10) == proc_start_time (getpid (), NULL);
}

/* Whether the recorded runner still runs: the pid alone proves nothing (a
   balloon killed by SIGKILL leaves it, and the kernel hands it to another
   process), so its start time must match too.  A record without one
   (an older berth's) proves nothing either: not running.  */
static bool
runner_alive (const oci_state *s)
{
  const char *pid_text = annotation (s, BALLOON_PID_ANNOTATION);
  const char *start_text = annotation (s, BALLOON_PID_START_ANNOTATION);
  long pid = pid_text ? strtol (pid_text, NULL, 10) : 0;
  unsigned long long start
      = start_text ? strtoull (start_text, NULL, 10) : 0;
  char pstate = 0;

  if (pid <= 0 || start == 0)
    return false;
  return proc_start_time ((pid_t) pid, &pstate) == start && pstate != 'Z'
         && pstate != 'X';
}

static int
refuse_running_balloon (const oci_state *s, const char *id,
                        berth_error **err)
{
  const char *mode = annotation (s, BALLOON_ANNOTATION);
  const char *pid = annotation (s, BALLOON_PID_ANNOTATION);

  if (mode && runner_alive (s))
    return berth_error_set (err, 0, "container \"%s\": a balloon %s "
                            "runs for it (pid %s): stop it first",
                            id, strcmp (mode, "auto") == 0 ? "--auto"
                                                           : "inflate",
                            pid);
  return 0;
}

/* ---- the container a balloon began on ------------------------------------ */

/* The init the balloon began with.  Between steps the lock is not held:
   the container may stop, or be deleted and created again under the same
   id, and nothing may then be written to the new one.  */
typedef struct balloon_target
{
  pid_t pid;
  unsigned long long start; /* proc_start_time, as the state records it */
  int pidfd;                /* the init's, from container_open */
} balloon_target;

static void
balloon_target_close (balloon_target *t)
{
  if (t->pidfd >= 0)
    close (t->pidfd);
  t->pidfd = -1;
}

static void
balloon_target_take (balloon_target *t, container_handle *h)
{
  t->pid = h->state->pid;
  t->start = h->state->pid_start_time;
  t->pidfd = h->pidfd;
  h->pidfd = -1;
}

static bool
balloon_target_same (const balloon_target *t, const container_handle *h)
{
  return h->status != OCI_STATUS_STOPPED && h->state->pid == t->pid
         && h->state->pid_start_time == t->start;
}

/* Opens the container again with its lock, for a write: only if it is the
   one the balloon began on and its record still names this process.  */
static int
reopen_target (const char *root, const char *id, const balloon_target *t,
               container_handle **h, cg_balloon **b, berth_error **err)
{
  if (container_open (root, id, CONTAINER_OPEN_LOCK_EXCLUSIVE, h, err) < 0)
    return -1;
  if (!balloon_target_same (t, *h))
    return berth_error_set (err, 0, "container \"%s\" stopped, or was "
                            "deleted and created again, while the balloon "
                            "ran: nothing written to it", id);
  if (!runner_is_us ((*h)->state))
    return berth_error_set (err, 0, "container \"%s\": the balloon was "
                            "released by another command meanwhile", id);
  if (cg_balloon_open ((*h)->cg, b, err) < 0)
    return berth_error_wrap (err, "container \"%s\"", id);
  return 0;
}

/* ---- reporting ------------------------------------------------------------ */

static void
fill_step (oci_balloon_step *st, const char *phase, uint64_t n,
           const cg_balloon_sample *start, const cg_balloon_sample *prev,
           const cg_balloon_sample *now, double pressure)
{
  memset (st, 0, sizeof *st);
  st->phase = phase;
  st->step = n;
  st->limit = now->high;
  st->current = now->current;
  st->pressure = pressure;
  st->reclaimed = prev->current > now->current ? prev->current - now->current
                                               : 0;
  st->reclaimed_anon = start->stat.anon > now->stat.anon
                           ? start->stat.anon - now->stat.anon : 0;
  st->reclaimed_file = start->stat.file > now->stat.file
                           ? start->stat.file - now->stat.file : 0;
  st->anon = now->stat.anon;
  st->file = now->stat.file;
  st->oom_kill = now->oom_kill - start->oom_kill;
}

/* ---- inflate -------------------------------------------------------------- */

static const char *
verdict_note (balloon_verdict v)
{
  switch (v)
    {
    case BALLOON_REACHED:
      return "reached the size";
    case BALLOON_PRESSURE:
      return "stopped at the working set: memory pressure passed "
             "--max-pressure";
    case BALLOON_ANON_NO_SWAP:
      return "anon memory could not be reclaimed: no swap";
    case BALLOON_STUCK:
      return "the kernel found nothing more to reclaim";
    case BALLOON_GO:
      break;
    }
  return "step limit";
}

static int release_locked (container_handle *h, cg_balloon *b,
                           balloon_report_fn report, void *data,
                           berth_error **err);

/* With the lock: the record written before memory.high changes (a crash
   leaves what release needs), and the container the inflate works on.  */
static int
inflate_begin (const char *root, const char *id, balloon_target *t,
               cg_balloon **b, cg_balloon_sample *start, berth_error **err)
{
  cleanup_container_handle container_handle *h = NULL;
  uint64_t restore;

  if (open_balloon (root, id, &h, b, err) < 0
      || refuse_running_balloon (h->state, id, err) < 0
      || cg_balloon_sample_read (*b, start, err) < 0)
    return -1;
  restore = restore_value (h->state, start);
  annotation_set (h->state, BALLOON_ANNOTATION, "inflate");
  record_runner (h->state);
  record_u64 (h->state, BALLOON_RESTORE_ANNOTATION, restore);
  if (state_save (h->dir_fd, h->state, err) < 0)
    return -1;
  balloon_target_take (t, h);
  return 0;
}

/* Whether the init the balloon began on has exited (an error then): its
   cgroup, found by path, may be gone or be another container's by now.
   While it runs the cgroup cannot be removed: it is in it.  */
static bool
target_stopped (const balloon_target *t, const char *id, berth_error **err)
{
  if (!pidfd_exited (t->pidfd))
    return false;
  berth_error_set (err, 0, "container \"%s\" stopped while the balloon "
                   "inflated", id);
  return true;
}

/* Without the lock (each step waits for the kernel and for PSI): the
   reclaim steps, until the policy says stop.  Sets *now to the last
   sample and in->pressure to the last step's.  */
static int
inflate_steps (cg_balloon *b, const balloon_target *t, const char *id,
               const cg_balloon_sample *start, cg_balloon_sample *now,
               balloon_inflate_in *in, balloon_verdict *v, unsigned *n,
               balloon_report_fn report, void *data, berth_error **err)
{
  cg_balloon_sample prev = *start;
  uint64_t t_prev = now_us ();
  oci_balloon_step st;

  *now = *start;
  for (*n = 1; *n <= INFLATE_MAX_STEPS; (*n)++)
    {
      uint64_t ask, tm;
      bool all;

      in->current = now->current;
      in->file = now->stat.file;
      in->shmem = now->stat.shmem;
      *v = balloon_inflate_next (in, &ask);
      if (*v != BALLOON_GO)
        break;
      if (target_stopped (t, id, err)
          || cg_balloon_reclaim (b, ask, &all, err) < 0)
        return -1;
      sleep_ms (INFLATE_SETTLE_MS);
      if (target_stopped (t, id, err)
          || cg_balloon_sample_read (b, now, err) < 0)
        return -1;
      tm = now_us ();
      in->pressure = balloon_pressure_pct (prev.pressure.some.total,
                                           now->pressure.some.total,
                                           tm - t_prev);
      /* Less than an eighth of the ask, or the kernel's own "less": a
         miss.  */
      if (!all || prev.current < now->current
          || prev.current - now->current < ask / 8)
        in->misses++;
      else
        in->misses = 0;
      fill_step (&st, "inflate", *n, start, &prev, now, in->pressure);
      report (&st, data);
      prev = *now;
      t_prev = tm;
    }
  return 0;
}

/* With the lock again, on the same container only: memory.high held
   where the steps stopped, under the restore value as the state records
   it now (an update meanwhile may have changed it).  */
static int
inflate_hold (const char *root, const char *id, const balloon_target *t,
              const balloon_options *o, const cg_balloon_sample *start,
              const cg_balloon_sample *last, double pressure,
              balloon_verdict v, unsigned n, balloon_report_fn report,
              void *data, berth_error **err)
{
  cleanup_container_handle container_handle *h = NULL;
  cleanup_cg_balloon cg_balloon *b = NULL;
  cg_balloon_sample now;
  oci_balloon_step st;
  uint64_t hold;

  if (reopen_target (root, id, t, &h, &b, err) < 0)
    return -1;
  hold = balloon_hold_limit (o->target, last->current,
                             restore_value (h->state, last));
  if (cg_balloon_set_high (b, hold, err) < 0)
    return -1;
  record_u64 (h->state, BALLOON_HIGH_ANNOTATION, hold);
  forget_runner (h->state);
  if (state_save (h->dir_fd, h->state, err) < 0
      || cg_balloon_sample_read (b, &now, err) < 0)
    return -1;
  fill_step (&st, "hold", n, start, start, &now, pressure);
  st.note = verdict_note (v);
  report (&st, data);
  return 0;
}

/* After a failure once the balloon was recorded: memory.high back and
   the record gone, so that neither a throttle nor a balloon that no
   longer runs outlives the command; the failure to do so is a warning
   (the caller returns the first error; `berth balloon ID --release`
   finishes the job).  Only on the container the balloon began on, and
   only while its record is still this process's.  */
static void
inflate_undo (const char *root, const char *id, const balloon_target *t,
              balloon_report_fn report, void *data)
{
  cleanup_container_handle container_handle *h = NULL;
  cleanup_cg_balloon cg_balloon *b = NULL;
  berth_error *e = NULL;

  if (container_open (root, id, CONTAINER_OPEN_LOCK_EXCLUSIVE, &h, &e) < 0
      || !balloon_target_same (t, h) || !runner_is_us (h->state))
    {
      /* Nothing of this balloon's left to put back.  */
      berth_error_free (e);
      return;
    }
  if (cg_balloon_open (h->cg, &b, &e) < 0
      || release_locked (h, b, report, data, &e) < 0)
    {
      berth_warn ("balloon: putting container \"%s\" back after the failure: "
                  "%s (berth balloon %s --release)", id, e->msg, id);
      berth_error_free (e);
    }
}

int
container_balloon_inflate (const char *root, const char *id,
                           const balloon_options *o, balloon_report_fn report,
                           void *data, berth_error **err)
{
  __attribute__ ((cleanup (balloon_target_close))) balloon_target t
      = { .pidfd = -1 };
  cleanup_cg_balloon cg_balloon *b = NULL;
  cg_balloon_sample start, now;
  balloon_inflate_in in = { 0 };
  balloon_verdict v = BALLOON_GO;
  unsigned n = 0;

  if (inflate_begin (root, id, &t, &b, &start, err) < 0)
    return -1;
  in.target = o->target;
  in.max_pressure = o->max_pressure;
  in.swap = cg_host_has_swap () && start.swap_max > start.swap_current;
  if (inflate_steps (b, &t, id, &start, &now, &in, &v, &n, report, data,
                     err)
          < 0
      || inflate_hold (root, id, &t, o, &start, &now, in.pressure, v, n,
                       report, data, err)
             < 0)
    {
      inflate_undo (root, id, &t, report, data);
      return berth_error_wrap (err, "balloon container \"%s\"", id);
    }
  return 0;
}

/* ---- release -------------------------------------------------------------- */

/* Puts back the recorded restore value and forgets the balloon; with h
   locked.  */
static int
release_locked (container_handle *h, cg_balloon *b, balloon_report_fn report,
                void *data, berth_error **err)
{
  cg_balloon_sample before, now;
  oci_balloon_step st;
  uint64_t restore;

  if (cg_balloon_sample_read (b, &before, err) < 0)
    return -1;
  if (annotation (h->state, BALLOON_ANNOTATION) == NULL)
    {
      fill_step (&st, "release", 0, &before, &before, &before, 0);
      st.note = "no balloon";
      report (&st, data);
      return 0;
    }
  restore = restore_value (h->state, &before);
  if (cg_balloon_set_high (b, restore, err) < 0)
    return berth_error_wrap (err, "balloon container \"%s\"", h->id);
  record_remove (h->state);
  if (state_save (h->dir_fd, h->state, err) < 0
      || cg_balloon_sample_read (b, &now, err) < 0)
    return -1;
  fill_step (&st, "release", 0, &before, &before, &now, 0);
  report (&st, data);
  return 0;
}

int
container_balloon_release (const char *root, const char *id,
                           balloon_report_fn report, void *data,
                           berth_error **err)
{
  cleanup_container_handle container_handle *h = NULL;
  cleanup_cg_balloon cg_balloon *b = NULL;

  if (open_balloon (root, id, &h, &b, err) < 0)
    return -1;
  return release_locked (h, b, report, data, err);
}

/* ---- auto ----------------------------------------------------------------- */

static void
restore_sigmask (sigset_t *old)
{
  sigprocmask (SIG_SETMASK, old, NULL);
}

/* Whether the state still records this process's --auto on the container
   it began on, and the restore value it records (update may have changed
   it).  A container gone, stopped or created again is not ours any
   more.  */
static bool
still_ours (const char *root, const char *id, const balloon_target *t,
            uint64_t *restore)
{
  cleanup_container_handle container_handle *h = NULL;
  berth_error *err = NULL;
  bool ours;

  if (container_open (root, id, 0, &h, &err) < 0)
    {
      berth_error_free (err);
      return false;
    }
  ours = balloon_target_same (t, h) && runner_is_us (h->state);
  if (ours)
    *restore = bytes_value (annotation (h->state,
                                        BALLOON_RESTORE_ANNOTATION),
                            *restore);
  return ours;
}

static int
auto_begin (const char *root, const char *id, balloon_target *t,
            cg_balloon **b, cg_balloon_sample *start, uint64_t *restore,
            berth_error **err)
{
  cleanup_container_handle container_handle *h = NULL;

  if (open_balloon (root, id, &h, b, err) < 0
      || refuse_running_balloon (h->state, id, err) < 0
      || cg_balloon_sample_read (*b, start, err) < 0)
    return -1;
  *restore = restore_value (h->state, start);
  annotation_set (h->state, BALLOON_ANNOTATION, "auto");
  annotation_remove (h->state, BALLOON_HIGH_ANNOTATION);
  record_u64 (h->state, BALLOON_RESTORE_ANNOTATION, *restore);
  record_runner (h->state);
  if (state_save (h->dir_fd, h->state, err) < 0)
    return -1;
  balloon_target_take (t, h);
  return 0;
}

static int
auto_end (const char *root, const char *id, const balloon_target *t,
          balloon_report_fn report, void *data, berth_error **err)
{
  cleanup_container_handle container_handle *h = NULL;
  cleanup_cg_balloon cg_balloon *b = NULL;

  if (open_balloon (root, id, &h, &b, err) < 0)
    return -1;
  /* Released meanwhile by another command, and maybe inflated again; or
     another container under the same id.  */
  if (!balloon_target_same (t, h) || !runner_is_us (h->state))
    return 0;
  return release_locked (h, b, report, data, err);
}

int
container_balloon_auto (const char *root, const char *id,
                        const balloon_options *o, balloon_report_fn report,
                        void *data, berth_error **err)
{
  __attribute__ ((cleanup (balloon_target_close))) balloon_target target
      = { .pidfd = -1 };
  cleanup_cg_balloon cg_balloon *b = NULL;
  cleanup_close int sfd = -1;
  __attribute__ ((cleanup (restore_sigmask))) sigset_t old;
  cg_balloon_sample start, prev, now;
  uint64_t restore, t_prev, n = 0;
  oci_balloon_step st;
  balloon_auto_state policy;
  sigset_t set;
  bool ours = true;

  sigemptyset (&set);
  sigaddset (&set, SIGINT);
  sigaddset (&set, SIGTERM);
  sigaddset (&set, SIGHUP);
  /* Blocked before anything is recorded: a signal now still deflates.  */
  sigprocmask (SIG_BLOCK, &set, &old);
  sfd = signalfd (-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
  if (sfd < 0)
    return berth_error_sys (err, "signalfd");
  if (auto_begin (root, id, &target, &b, &start, &restore, err) < 0)
    return -1;
  prev = start;
  t_prev = now_us ();
  balloon_auto_init (&policy, o->step);
  for (;;)
    {
      struct pollfd pfd = { sfd, POLLIN, 0 };
      balloon_auto_in in;
      uint64_t t, next;
      int r = poll (&pfd, 1, (int) o->interval_ms);

      if (r < 0 && errno != EINTR)
        {
          berth_error_sys (err, "poll");
          goto fail;
        }
      if (r > 0)
        {
          /* Taken off the pending set: it must not kill berth when the
             old mask comes back.  */
          struct signalfd_siginfo si;
          if (read (sfd, &si, sizeof si) < 0)
            {
              berth_error_sys (err, "read the signalfd");
              goto fail;
            }
          break;
        }
      if (!(ours = still_ours (root, id, &target, &restore)))
        break;
      if (cg_balloon_sample_read (b, &now, err) < 0)
        goto fail;
      t = now_us ();
      in.limit = now.high;
      in.current = now.current;
      in.min = o->min;
      in.max = now.max < restore ? now.max : restore;
      in.pressure = balloon_pressure_pct (prev.pressure.some.total,
                                          now.pressure.some.total,
                                          t - t_prev);
      in.target = o->target_pressure;
      in.step = o->step;
      next = balloon_auto_next (&in, &policy);
      /* Down: reclaim first, then the new limit.  A limit written under
         the usage makes every charge of the workload reclaim and be
         throttled until the usage is under it: a stall of the balloon's
         own making, which the next step would read as the working set's
         pressure.  */
      if (next < now.current)
        {
          bool all;
          if (cg_balloon_reclaim (b, now.current - next, &all, err) < 0)
            goto fail;
        }
      if (next != now.high && cg_balloon_set_high (b, next, err) < 0)
        goto fail;
      now.high = next;
      fill_step (&st, "auto", ++n, &start, &prev, &now, in.pressure);
      report (&st, data);
      prev = now;
      t_prev = t;
    }
  if (!ours)
    return 0;
  return auto_end (root, id, &target, report, data, err);

fail:
  /* Deflated and forgotten, as after a signal: a lowered memory.high must
     not outlive the loop that watched it.  */
  {
    berth_error *e = NULL;
    if (auto_end (root, id, &target, report, data, &e) < 0)
      {
        berth_warn ("balloon: putting container \"%s\" back after the "
                    "failure: %s (berth balloon %s --release)", id, e->msg,
                    id);
        berth_error_free (e);
      }
  }
  return berth_error_wrap (err, "balloon container \"%s\"", id);
}

/* ---- update's part ------------------------------------------------------- */

int
container_balloon_updated (container_handle *h, const oci_resources *r,
                           berth_error **err)
{
  cleanup_cg_balloon cg_balloon *b = NULL;
  const char *mode = annotation (h->state, BALLOON_ANNOTATION);
  const char *high_text = NULL;
  uint64_t high, hold;

  if (mode == NULL || r == NULL)
    return 0;
  for (size_t i = 0; i < r->n_unified; i++)
    if (strcmp (r->unified[i].key, "memory.high") == 0)
      high_text = r->unified[i].value;
  if (high_text == NULL)
    return 0;
  if (cg_size_parse (high_text, true, &high, err) < 0)
    return berth_error_wrap (err, "update: memory.high");
  record_u64 (h->state, BALLOON_RESTORE_ANNOTATION, high);
  if (strcmp (mode, "inflate") == 0)
    {
      hold = bytes_value (annotation (h->state, BALLOON_HIGH_ANNOTATION),
                          high);
      if (high < hold)
        hold = high;
      if (cg_balloon_open (h->cg, &b, err) < 0
          || cg_balloon_set_high (b, hold, err) < 0)
        return berth_error_wrap (err, "update: the balloon's memory.high");
      record_u64 (h->state, BALLOON_HIGH_ANNOTATION, hold);
    }
  return state_save (h->dir_fd, h->state, err);
}
