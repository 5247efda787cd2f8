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

static bool
pid_alive (const char *text)
{
  long pid = text ? strtol (text, NULL, 10) : 0;
  return pid > 0 && (kill ((pid_t) pid, 0) == 0 || errno == EPERM);
}

static int
refuse_running_auto (const oci_state *s, const char *id, berth_error **err)
{
  const char *mode = annotation (s, BALLOON_ANNOTATION);
  const char *pid = annotation (s, BALLOON_PID_ANNOTATION);

  if (mode && strcmp (mode, "auto") == 0 && pid_alive (pid))
    return berth_error_set (err, 0, "container \"%s\": a balloon --auto "
                            "runs for it (pid %s): stop it first",
                            id, pid);
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

static void release_after_failure (container_handle *h, cg_balloon *b,
                                   balloon_report_fn report, void *data);

int
container_balloon_inflate (const char *root, const char *id,
                           const balloon_options *o, balloon_report_fn report,
                           void *data, berth_error **err)
{
  cleanup_container_handle container_handle *h = NULL;
  cleanup_cg_balloon cg_balloon *b = NULL;
  cg_balloon_sample start, prev, now;
  balloon_inflate_in in = { 0 };
  balloon_verdict v = BALLOON_GO;
  oci_balloon_step st;
  uint64_t restore, hold, t_prev;
  bool swap;
  unsigned n;

  if (open_balloon (root, id, &h, &b, err) < 0
      || refuse_running_auto (h->state, id, err) < 0
      || cg_balloon_sample_read (b, &start, err) < 0)
    return -1;
  restore = restore_value (h->state, &start);
  /* Recorded before memory.high changes: a crash leaves what release
     needs.  */
  annotation_set (h->state, BALLOON_ANNOTATION, "inflate");
  annotation_remove (h->state, BALLOON_PID_ANNOTATION);
  record_u64 (h->state, BALLOON_RESTORE_ANNOTATION, restore);
  if (state_save (h->dir_fd, h->state, err) < 0)
    return -1;

  swap = cg_host_has_swap () && start.swap_max > start.swap_current;
  prev = now = start;
  t_prev = now_us ();
  in.target = o->target;
  in.max_pressure = o->max_pressure;
  in.swap = swap;
  for (n = 1; n <= INFLATE_MAX_STEPS; n++)
    {
      uint64_t ask, t;
      bool all;

      in.current = now.current;
      in.file = now.stat.file;
      in.shmem = now.stat.shmem;
      v = balloon_inflate_next (&in, &ask);
      if (v != BALLOON_GO)
        break;
      if (cg_balloon_reclaim (b, ask, &all, err) < 0)
        goto fail;
      sleep_ms (INFLATE_SETTLE_MS);
      if (cg_balloon_sample_read (b, &now, err) < 0)
        goto fail;
      t = now_us ();
      in.pressure = balloon_pressure_pct (prev.pressure.some.total,
                                          now.pressure.some.total,
                                          t - t_prev);
      /* Less than an eighth of the ask, or the kernel's own "less": a
         miss.  */
      if (!all || prev.current < now.current
          || prev.current - now.current < ask / 8)
        in.misses++;
      else
        in.misses = 0;
      fill_step (&st, "inflate", n, &start, &prev, &now, in.pressure);
      report (&st, data);
      prev = now;
      t_prev = t;
    }

  hold = balloon_hold_limit (o->target, now.current, restore);
  if (cg_balloon_set_high (b, hold, err) < 0)
    goto fail;
  record_u64 (h->state, BALLOON_HIGH_ANNOTATION, hold);
  if (state_save (h->dir_fd, h->state, err) < 0
      || cg_balloon_sample_read (b, &now, err) < 0)
    goto fail;
  fill_step (&st, "hold", n, &start, &start, &now, in.pressure);
  st.note = verdict_note (v);
  report (&st, data);
  return 0;

fail:
  release_after_failure (h, b, report, data);
  return berth_error_wrap (err, "balloon container \"%s\"", id);
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

/* After a failure once the balloon was recorded: memory.high back and
   the record gone, so that neither a throttle nor a balloon that no
   longer runs outlives the command; the failure to do so is a warning
   (the caller returns the first error; `berth balloon ID --release`
   finishes the job).  */
static void
release_after_failure (container_handle *h, cg_balloon *b,
                       balloon_report_fn report, void *data)
{
  berth_error *e = NULL;

  if (release_locked (h, b, report, data, &e) < 0)
    {
      berth_warn ("balloon: putting container \"%s\" back after the failure: "
                  "%s (berth balloon %s --release)", h->id, e->msg, h->id);
      berth_error_free (e);
    }
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

/* Whether the state still records this process's --auto, and the restore
   value it records (update may have changed it).  A container gone or
   stopped is not ours any more.  */
static bool
still_ours (const char *root, const char *id, uint64_t *restore)
{
  cleanup_container_handle container_handle *h = NULL;
  berth_error *err = NULL;
  const char *pid;
  bool ours;

  if (container_open (root, id, 0, &h, &err) < 0)
    {
      berth_error_free (err);
      return false;
    }
  pid = annotation (h->state, BALLOON_PID_ANNOTATION);
  ours = h->status != OCI_STATUS_STOPPED && pid
         && strtol (pid, NULL, 10) == (long) getpid ();
  if (ours)
    *restore = bytes_value (annotation (h->state,
                                        BALLOON_RESTORE_ANNOTATION),
                            *restore);
  return ours;
}

static int
auto_begin (const char *root, const char *id, cg_balloon **b,
            cg_balloon_sample *start, uint64_t *restore, berth_error **err)
{
  cleanup_container_handle container_handle *h = NULL;
  cleanup_free char *pid = xasprintf ("%d", (int) getpid ());

  if (open_balloon (root, id, &h, b, err) < 0
      || refuse_running_auto (h->state, id, err) < 0
      || cg_balloon_sample_read (*b, start, err) < 0)
    return -1;
  *restore = restore_value (h->state, start);
  annotation_set (h->state, BALLOON_ANNOTATION, "auto");
  annotation_remove (h->state, BALLOON_HIGH_ANNOTATION);
  record_u64 (h->state, BALLOON_RESTORE_ANNOTATION, *restore);
  annotation_set (h->state, BALLOON_PID_ANNOTATION, pid);
  return state_save (h->dir_fd, h->state, err);
}

static int
auto_end (const char *root, const char *id, balloon_report_fn report,
          void *data, berth_error **err)
{
  cleanup_container_handle container_handle *h = NULL;
  cleanup_cg_balloon cg_balloon *b = NULL;
  const char *pid;

  if (open_balloon (root, id, &h, &b, err) < 0)
    return -1;
  /* Released meanwhile by another command, and maybe inflated again.  */
  pid = annotation (h->state, BALLOON_PID_ANNOTATION);
  if (pid == NULL || strtol (pid, NULL, 10) != (long) getpid ())
    return 0;
  return release_locked (h, b, report, data, err);
}

int
container_balloon_auto (const char *root, const char *id,
                        const balloon_options *o, balloon_report_fn report,
                        void *data, berth_error **err)
{
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
  if (auto_begin (root, id, &b, &start, &restore, err) < 0)
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
      if (!(ours = still_ours (root, id, &restore)))
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
  return auto_end (root, id, report, data, err);

fail:
  /* Deflated and forgotten, as after a signal: a lowered memory.high must
     not outlive the loop that watched it.  */
  {
    berth_error *e = NULL;
    if (auto_end (root, id, report, data, &e) < 0)
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
