/* berth migrate --to HOST: the source side (libcontainer/criu/migrate-remote.h).
 *
 * The steps, over one ssh connection (ssh-transport.h) to `berth migrate
 * --receive` on the target (migrate-receive.c):
 *   1. the target checks it can take the container (the id is free there,
 *      it sees the same bundle) and says "ready";
 *   2. pre-copy: pre-dumps here while the container runs, each round's
 *      images sent as soon as written;
 *   3. the final dump (the container stops here: the downtime begins),
 *      its images sent, "restore final"; the dead container's record
 *      here is deleted while the target restores (off the downtime);
 *   4. the target restores and says "running": the switch.  The source
 *      answers "commit" and gives its copy up; the target announces the
 *      address and says "committed"; the images here are removed.
 * A failure before the switch restores the container here from the final
 * images (or, before the final dump, leaves it running untouched); the
 * target, seeing its stdin close before "commit", deletes what it
 * restored, if anything, and removes what it received.  So there are
 * never two copies.  The connection lost after "commit" and before
 * "committed" leaves one open question (did the commit arrive?): the
 * error says so, and the images stay here.
 * --post-copy: no rounds; the lazy dump, its images without the pages,
 * "lazy-restore final", and the pages follow on demand on the same
 * connection (migrate-lazy.c), with the same running/commit exchange.  */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "base/log.h"
#include "base/sha256.h"
#include "base/utils.h"
#include "libcontainer/criu/criu-warm.h"
#include "libcontainer/criu/migrate-lazy.h"
#include "libcontainer/criu/migrate-net.h"
#include "libcontainer/criu/migrate-remote.h"
#include "libcontainer/criu/migrate-steps.h"
#include "libcontainer/criu/ssh-transport.h"
#include "libcontainer/lifecycle/container.h"

static int
config_sha256 (const char *bundle, char hex[65], berth_error **err)
{
  cleanup_free char *path = xasprintf ("%s/config.json", bundle);
  cleanup_free char *text = NULL;
  unsigned char d[SHA256_DIGEST_LEN];
  size_t len;

  if (read_file_at (AT_FDCWD, path, &text, &len, err) < 0)
    return -1;
  sha256 (text, len, d);
  sha256_hex (d, hex);
  return 0;
}

/* The far side's words for the receive: its berth, --root, the shared
   CRIU switches, the bundle, the id.  */
static char **
receive_argv (const migrate_opts *o, const char *berth, const char *bundle,
              const char *hex, const migrate_net *net)
{
  char **v = xmalloc0 (26 * sizeof *v);
  int n = 0;

  v[n++] = xstrdup (berth);
  v[n++] = xstrdup ("--root");
  v[n++] = xstrdup (o->to_root ? o->to_root : o->root);
  v[n++] = xstrdup ("migrate");
  v[n++] = xstrdup ("--receive");
  v[n++] = xstrdup ("--bundle");
  v[n++] = xstrdup (bundle);
  v[n++] = xstrdup ("--config-sha256");
  v[n++] = xstrdup (hex);
  if (net->external)
    {
      /* The target makes the namespace before the container stops
         here.  */
      v[n++] = xstrdup ("--prepare-net");
      v[n++] = xstrdup (net->mac);
    }
  if (o->flags.tcp_established)
    v[n++] = xstrdup ("--tcp-established");
  if (o->flags.ext_unix_sk)
    v[n++] = xstrdup ("--ext-unix-sk");
  if (o->flags.shell_job)
    v[n++] = xstrdup ("--shell-job");
  if (o->flags.file_locks)
    v[n++] = xstrdup ("--file-locks");
  if (o->flags.manage_cgroups_mode >= 0)
    {
      const char *name = NULL;
      switch (o->flags.manage_cgroups_mode)
        {
        case CRIU_CG_MODE_IGNORE:
          name = "ignore";
          break;
        case CRIU_CG_MODE_SOFT:
          name = "soft";
          break;
        case CRIU_CG_MODE_FULL:
          name = "full";
          break;
        case CRIU_CG_MODE_STRICT:
          name = "strict";
          break;
        }
      if (name)
        {
          v[n++] = xstrdup ("--manage-cgroups-mode");
          v[n++] = xstrdup (name);
        }
    }
  v[n++] = xstrdup (o->to_id ? o->to_id : o->id);
  v[n] = NULL;
  return v;
}

/* The target's answer: 0 on `want`, else -1 with its error (or the
   connection's).  */
static int
expect_line (ssh_link *l, const char *host, const char *want,
             berth_error **err)
{
  char line[MIGRATE_WIRE_LINE_MAX];

  if (wire_read_line (&l->wire, line, sizeof line, err) < 0)
    return -1;
  if (strcmp (line, want) == 0)
    return 0;
  if (strncmp (line, "error ", 6) == 0)
    return berth_error_set (err, 0, "the target %s: %s", host, line + 6);
  return berth_error_set (err, EPROTO, "the target %s said \"%.60s\", not "
                                       "\"%s\" (is berth there the same "
                                       "version?)",
                          host, line, want);
}

/* The stopped container's record here (state dir, cgroup), which the
   final dump left (keep_record): deleted while the target restores, not
   inside the downtime; before any restore back, which needs the id free.
   Once only.  */
static void
forget_source (const migrate_opts *o, bool *forgotten)
{
  berth_error *e = NULL;

  if (*forgotten)
    return;
  *forgotten = true;
  if (container_delete_force_id (o->root, o->id, NULL, &e) < 0)
    {
      berth_warn ("migrate: deleting the stopped container here: %s",
                  e->msg);
      berth_error_free (e);
    }
}

static int
send_round (const migrate_opts *o, ssh_link *l, const char *dir,
            const char *name, berth_error **err)
{
  unsigned long long b;
  (void) o;
  return wire_send_dir (&l->wire, dir, name, &b, err);
}

int
migrate_to_host (const migrate_opts *o, const char *bundle,
                 migrate_report *rep, berth_error **err)
{
  unsigned long long bytes[64];
  struct sigaction ign = { .sa_handler = SIG_IGN }, old_pipe;
  cleanup_free char *work = NULL;
  cleanup_free char *final = NULL;
  cleanup_free char *parent = NULL;
  cleanup_free char *self = NULL;
  char **argv = NULL;
  ssh_link l = { .pid = -1, .wire = { .in = -1, .out = -1 } };
  migrate_net net;
  migrate_opts fo;
  char hex[65], path[PATH_MAX];
  bool made_work = false, forgotten = false;
  pid_t warm = -1;
  int max_rounds = o->max_rounds < 1 ? 1 : o->max_rounds > 64 ? 64
                                                              : o->max_rounds;
  double t_start = migrate_now_ms (), t0;
  int rounds = 0, ret = -1;
  ssize_t n;

  if (bundle[0] != '/')
    return berth_error_set (err, EINVAL, "migrate --to: the bundle \"%s\" "
                                         "is not an absolute path",
                            bundle);
  if (config_sha256 (bundle, hex, err) < 0)
    return berth_error_wrap (err, "migrate --to");
  migrate_net_choose (o, &net, rep);
  if (o->target_berth)
    self = xstrdup (o->target_berth);
  else
    {
      /* The same path there: berth installed alike on both hosts.  */
      n = readlink ("/proc/self/exe", path, sizeof path - 1);
      if (n < 0)
        return berth_error_sys (err, "readlink /proc/self/exe");
      path[n] = '\0';
      self = xstrdup (path);
    }
  if (o->work_dir)
    {
      work = xstrdup (o->work_dir);
      if (mkdir (work, 0700) < 0 && errno != EEXIST)
        return berth_error_sys (err, "--work-dir %s", work);
    }
  else
    {
      const char *tmp = getenv ("TMPDIR");
      work = xasprintf ("%s/berth-migrate-XXXXXX", tmp && *tmp ? tmp
                                                               : "/tmp");
      if (mkdtemp (work) == NULL)
        return berth_error_sys (err, "migrate: mkdtemp %s", work);
      made_work = true;
    }

  /* A target gone mid-write must be an error here, not our death.  */
  sigaction (SIGPIPE, &ign, &old_pipe);
  argv = receive_argv (o, self, bundle, hex, &net);
  /* CRIU's probes while ssh connects and the target checks, not in the
     final dump (criu-warm.h).  */
  warm = criu_warm_start (o->flags.binary);
  if (ssh_link_open (&l, o->to_host, argv, err) < 0)
    goto out;
  if (expect_line (&l, o->to_host, "ready", err) < 0)
    {
      /* Nothing said: ssh or the far side ended; which one, its status
         tells (ssh's own failures are 255).  */
      bool silent = l.wire.received == 0;
      int st = ssh_link_close (&l, !silent);
      if (silent)
        {
          berth_error_clear (err);
          if (st == 255)
            berth_error_set (err, 0, "migrate --to: ssh to %s failed (its "
                                     "error is above)",
                             o->to_host);
          else
            berth_error_set (err, 0, "migrate --to: the target side (%s "
                                     "on %s) ended before it was ready, "
                                     "exit status %d",
                             self, o->to_host, st);
        }
      goto out;
    }
  criu_warm_wait (&warm);

  if (o->mode == MIGRATE_PRECOPY)
    while (migrate_more_rounds (bytes, rounds, max_rounds))
      {
        cleanup_free char *dir = xasprintf ("%s/pre-%d", work, rounds + 1);
        char name[16];

        snprintf (name, sizeof name, "pre-%d", rounds + 1);
        t0 = migrate_now_ms ();
        if (migrate_pre_dump (o, dir, parent, err) < 0)
          {
            berth_error_wrap (err, "migrate: pre-dump %d", rounds + 1);
            goto fail_running;
          }
        if (send_round (o, &l, dir, name, err) < 0)
          goto fail_running;
        bytes[rounds] = migrate_pages_bytes (dir);
        migrate_add_round (o, rep, name + 4, "pre-dump", bytes[rounds],
                           migrate_now_ms () - t0);
        free (parent);
        parent = xasprintf ("../%s", name);
        rounds++;
      }
  rep->pre_rounds = rounds;

  final = xasprintf ("%s/final", work);
  /* The final dump leaves the network namespace out when the target
     made it (migrate-net.h).  */
  migrate_net_recheck (o, &net, rep);
  fo = *o;
  fo.flags.external_netns = net.external;
  /* The masks' tmpfs too, when they hold nothing (criu-masks.h).  */
  fo.flags.external_masks = true;
  t0 = migrate_now_ms ();
  if (o->mode == MIGRATE_POSTCOPY)
    {
      /* The pages follow on the same connection (migrate-lazy.h).  */
      if (lazy_source (&fo, &l.wire, final, rep, err) < 0)
        {
          /* The images go too, even after the lazy dump: they hold no
             memory (the page server did, and it is gone), so no restore
             could start from them.  */
          ssh_link_close (&l, 1);
          goto out;
        }
      goto switched;
    }
  if (migrate_final_dump (&fo, final, parent, false, true, -1, err) < 0)
    {
      berth_error_wrap (err, "migrate: final dump");
      goto fail_running;
    }
  rep->dump_ms = migrate_now_ms () - t0;
  /* The container is stopped from here until the target says running.  */
  if (send_round (o, &l, final, "final", err) < 0
      || wire_send_line (&l.wire, err, "restore final") < 0)
    {
      ssh_link_close (&l, 1);
      forget_source (o, &forgotten);
      if (migrate_restore_back (o, bundle, final) < 0)
        made_work = false;
      berth_error_wrap (err, "migrate --to %s: the container was restored "
                             "here",
                        o->to_host);
      goto out;
    }
  migrate_add_round (o, rep, "final", "dump", migrate_pages_bytes (final),
                     migrate_now_ms () - t0);
  rep->transfer_ms = migrate_now_ms () - t0 - rep->dump_ms;
  /* While the target restores.  */
  forget_source (o, &forgotten);
  {
    char line[MIGRATE_WIRE_LINE_MAX];
    berth_error *e = NULL;

    if (wire_read_line (&l.wire, line, sizeof line, &e) < 0)
      {
        /* Without our "commit" the target deletes what it restored.  */
        ssh_link_close (&l, 1);
        if (migrate_restore_back (o, bundle, final) < 0)
          made_work = false;
        berth_error_set (err, 0, "migrate --to %s: %s before the "
                                         "target said it runs (the "
                                         "container was restored here)",
                         o->to_host, e->msg);
        berth_error_free (e);
        goto out;
      }
    if (strcmp (line, "running") != 0)
      {
        ssh_link_close (&l, 1);
        if (migrate_restore_back (o, bundle, final) < 0)
          made_work = false;
        berth_error_set (err, 0, "migrate --to %s: the target: %s (the "
                                 "container was restored here)",
                         o->to_host,
                         strncmp (line, "error ", 6) == 0 ? line + 6 : line);
        goto out;
      }
  }
  /* The switch: it runs there.  The copy here is given up (the target
     deletes its own unless it reads "commit"); the images stay until it
     confirms.  */
  rep->downtime_ms = migrate_now_ms () - t0;
  rep->restore_ms = rep->downtime_ms - rep->dump_ms - rep->transfer_ms;
  if (wire_send_line (&l.wire, err, "commit") < 0
      || expect_line (&l, o->to_host, "committed", err) < 0)
    {
      berth_error *e = *err;
      *err = NULL;
      ssh_link_close (&l, 1);
      made_work = false;
      berth_error_set (err, 0, "migrate --to %s: %s after the "
                                       "switch: the container should run "
                                       "there; if it does not, its images "
                                       "are in %s (`berth restore "
                                       "--image-path %s/final`)",
                       o->to_host, e->msg, work, work);
      berth_error_free (e);
      goto out;
    }
  rep->commit_ms = migrate_now_ms () - t0 - rep->downtime_ms;
switched:
  rep->wire_bytes = l.wire.sent + l.wire.received;
  ssh_link_close (&l, 0);
  rep->total_ms = migrate_now_ms () - t_start;
  migrate_report_summary_text (o->report, rep);
  ret = 0;
  goto out;

fail_running:
  /* Before the final dump: the container still runs here, untouched.  */
  ssh_link_close (&l, 1);

out:
  criu_warm_wait (&warm);
  sigaction (SIGPIPE, &old_pipe, NULL);
  if (l.pid > 0)
    ssh_link_close (&l, 1);
  /* Kept only where they are all that is left of the container (a
     restore back that failed, a switch not confirmed; made_work cleared
     there).  */
  if (made_work)
    wire_remove_images (work);
  if (argv)
    for (char **p = argv; *p; p++)
      free (*p);
  free (argv);
  return ret;
}
