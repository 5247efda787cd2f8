/* berth migrate (libcontainer/criu/migrate.h).  */
#include "libcontainer/criu/migrate.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "base/log.h"
#include "base/utils.h"
#include "libcontainer/criu/checkpoint.h"
#include "libcontainer/lifecycle/state.h"

extern char **environ;

static double
now_ms (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* The memory pages a CRIU image dir holds (pages-*.img).  */
static unsigned long long
pages_bytes (const char *dir)
{
  cleanup_dir DIR *d = opendir (dir);
  unsigned long long total = 0;
  struct dirent *e;

  if (d == NULL)
    return 0;
  while ((e = readdir (d)))
    {
      struct stat st;
      size_t n = strlen (e->d_name);
      if (strncmp (e->d_name, "pages-", 6) != 0 || n < 4
          || strcmp (e->d_name + n - 4, ".img") != 0)
        continue;
      if (fstatat (dirfd (d), e->d_name, &st, 0) == 0)
        total += (unsigned long long) st.st_size;
    }
  return total;
}

static void
report_round (FILE *f, const char *round, const char *kind,
              unsigned long long bytes, double ms)
{
  if (f == NULL)
    return;
  fprintf (f, "round=%s kind=%s pages=%llu bytes=%llu ms=%.0f\n", round, kind,
           bytes / 4096, bytes, ms);
  fflush (f);
}

/* After a final dump whose restore at the destination failed: the
   container back where it was, from the same images.  */
static void
restore_back (const migrate_opts *o, const char *bundle, const char *images)
{
  restore_opts r = { 0 };
  berth_error *e = NULL;
  int code;

  r.root = o->root;
  r.id = o->id;
  r.bundle = bundle;
  r.image_path = images;
  r.detach = true;
  r.flags = o->flags;
  r.flags.lazy_pages = false;
  r.flags.page_server = NULL;
  r.flags.status_fd = -1;
  if (container_restore (&r, &code, &e) < 0)
    {
      berth_warn ("migrate: restoring \"%s\" at its source failed too: %s",
                  o->id, e->msg);
      berth_error_free (e);
    }
}

static int
restore_at_destination (const migrate_opts *o, const char *bundle,
                        const char *images, bool lazy, berth_error **err)
{
  restore_opts r = { 0 };
  int code;

  r.root = o->to_root ? o->to_root : o->root;
  r.id = o->to_id ? o->to_id : o->id;
  r.bundle = bundle;
  r.image_path = images;
  r.detach = true;
  r.flags = o->flags;
  r.flags.lazy_pages = lazy;
  r.flags.page_server = NULL;
  r.flags.status_fd = -1;
  return container_restore (&r, &code, err);
}

static int
final_dump (const migrate_opts *o, const char *images, const char *parent,
            bool lazy, int status_fd, berth_error **err)
{
  checkpoint_opts c = { 0 };

  c.root = o->root;
  c.id = o->id;
  c.image_path = images;
  c.parent_path = parent;
  c.flags = o->flags;
  c.flags.lazy_pages = lazy;
  c.flags.status_fd = status_fd;
  c.flags.page_server = lazy ? (o->page_server ? o->page_server
                                               : "127.0.0.1:27271")
                             : NULL;
  return container_checkpoint (&c, err);
}

/* Post-copy: the dump serves the pages (in a child: it returns only once
   they are all fetched), `criu lazy-pages` fetches them for the restored
   tasks as they fault.  */
static int
postcopy (const migrate_opts *o, const char *bundle, const char *images,
          double *frozen_ms, berth_error **err)
{
  const char *ps = o->page_server ? o->page_server : "127.0.0.1:27271";
  cleanup_free char *addr = xstrdup (ps);
  cleanup_free char *log = xasprintf ("%s/lazy-pages.log", images);
  char *colon = strrchr (addr, ':');
  char *argv[12];
  int status[2], n = 0, ws;
  pid_t dumper, lazy = -1;
  double t0;
  char c;
  ssize_t got;
  int ret = -1;

  if (colon == NULL)
    return berth_error_set (err, 0, "--page-server %s: expected "
                                    "ADDRESS:PORT",
                            ps);
  *colon = '\0';
  /* Not close-on-exec: CRIU (libcriu's swrk child) writes the \0.  */
  if (pipe (status) < 0)
    return berth_error_sys (err, "pipe");
  t0 = now_ms ();
  fflush (NULL);
  dumper = fork ();
  if (dumper < 0)
    {
      close (status[0]);
      close (status[1]);
      return berth_error_sys (err, "fork");
    }
  if (dumper == 0)
    {
      berth_error *e = NULL;
      close (status[0]);
      if (final_dump (o, images, NULL, true, status[1], &e) < 0)
        {
          berth_log_error (e);
          _exit (1);
        }
      _exit (0);
    }
  close (status[1]);
  got = TEMP_FAILURE_RETRY (read (status[0], &c, 1));
  close (status[0]);
  if (got != 1)
    {
      waitpid (dumper, &ws, 0);
      return berth_error_set (err, 0, "migrate: the lazy dump failed (its "
                                      "error is above)");
    }

  argv[n++] = (char *) "criu";
  argv[n++] = (char *) "lazy-pages";
  argv[n++] = (char *) "--page-server";
  argv[n++] = (char *) "--address";
  argv[n++] = addr;
  argv[n++] = (char *) "--port";
  argv[n++] = colon + 1;
  argv[n++] = (char *) "-D";
  argv[n++] = (char *) images;
  argv[n++] = (char *) "-o";
  argv[n++] = log;
  argv[n] = NULL;
  if ((errno = posix_spawnp (&lazy, "criu", NULL, NULL, argv, environ)) != 0)
    {
      berth_error_sys (err, "spawn criu lazy-pages");
      kill (dumper, SIGKILL);
      waitpid (dumper, &ws, 0);
      return -1;
    }
  if (restore_at_destination (o, bundle, images, true, err) < 0)
    {
      kill (lazy, SIGKILL);
      waitpid (lazy, &ws, 0);
      kill (dumper, SIGKILL);
      waitpid (dumper, &ws, 0);
      return -1;
    }
  *frozen_ms = now_ms () - t0;
  /* Both end once every page went over.  */
  if (waitpid (dumper, &ws, 0) < 0 || !WIFEXITED (ws)
      || WEXITSTATUS (ws) != 0)
    berth_error_set (err, 0, "migrate: the lazy dump did not finish cleanly "
                             "(see %s/dump.log)",
                     images);
  else
    ret = 0;
  if (waitpid (lazy, &ws, 0) < 0 || !WIFEXITED (ws) || WEXITSTATUS (ws) != 0)
    {
      if (ret == 0)
        berth_error_set (err, 0, "migrate: criu lazy-pages failed (see %s)",
                         log);
      ret = -1;
    }
  return ret;
}

int
container_migrate (const migrate_opts *o, berth_error **err)
{
  unsigned long long bytes[64];
  cleanup_free char *bundle = NULL;
  cleanup_free char *final = NULL;
  cleanup_free char *parent = NULL;
  const char *to_root = o->to_root ? o->to_root : o->root;
  const char *to_id = o->to_id ? o->to_id : o->id;
  int max_rounds = o->max_rounds < 1 ? 1 : o->max_rounds > 64 ? 64
                                                              : o->max_rounds;
  double t_start = now_ms (), t0, frozen = 0;
  int rounds = 0;

  if (strcmp (to_root, o->root) == 0 && strcmp (to_id, o->id) == 0)
    return berth_error_set (err, 0, "migrate: the destination is the "
                                    "container itself: give --to-root or "
                                    "--to-id");
  if (o->mode == MIGRATE_POSTCOPY && strcmp (to_id, o->id) == 0)
    /* Both live at once until the pages are over: a cgroup named after
       the id would be the same one.  */
    return berth_error_set (err, 0, "migrate --post-copy: the destination "
                                    "needs its own id (--to-id)");
  {
    oci_state *st = NULL;
    cleanup_close int dir_fd = state_open_existing (o->root, o->id, false,
                                                    &st, err);
    if (dir_fd < 0)
      return -1;
    bundle = xstrdup (o->bundle ? o->bundle : st->bundle);
    oci_state_free (st);
  }
  if (mkdir (o->work_dir, 0700) < 0 && errno != EEXIST)
    return berth_error_sys (err, "--work-dir %s", o->work_dir);

  if (o->mode == MIGRATE_PRECOPY)
    while (migrate_more_rounds (bytes, rounds, max_rounds))
      {
        checkpoint_opts c = { 0 };
        cleanup_free char *dir = xasprintf ("%s/pre-%d", o->work_dir,
                                            rounds + 1);
        char name[16];

        c.root = o->root;
        c.id = o->id;
        c.image_path = dir;
        c.parent_path = parent;
        c.pre_dump = true;
        c.flags = o->flags;
        t0 = now_ms ();
        if (container_checkpoint (&c, err) < 0)
          return berth_error_wrap (err, "migrate: pre-dump %d", rounds + 1);
        bytes[rounds] = pages_bytes (dir);
        snprintf (name, sizeof name, "%d", rounds + 1);
        report_round (o->report, name, "pre-dump", bytes[rounds],
                      now_ms () - t0);
        free (parent);
        parent = xasprintf ("../pre-%d", rounds + 1);
        rounds++;
      }

  final = xasprintf ("%s/final", o->work_dir);
  if (o->mode == MIGRATE_POSTCOPY)
    {
      if (postcopy (o, bundle, final, &frozen, err) < 0)
        return -1;
      report_round (o->report, "final", "lazy-dump", pages_bytes (final),
                    frozen);
    }
  else
    {
      double t_dumped;
      t0 = now_ms ();
      if (final_dump (o, final, parent, false, -1, err) < 0)
        return berth_error_wrap (err, "migrate: final dump");
      t_dumped = now_ms ();
      if (restore_at_destination (o, bundle, final, false, err) < 0)
        {
          restore_back (o, bundle, final);
          return berth_error_wrap (err, "migrate: restore at the "
                                        "destination (the container was "
                                        "restored at its source)");
        }
      frozen = now_ms () - t0;
      report_round (o->report, "final", "dump", pages_bytes (final),
                    t_dumped - t0);
    }
  if (o->report)
    {
      fprintf (o->report, "mode=%s rounds=%d downtime_ms=%.0f total_ms=%.0f\n",
               o->mode == MIGRATE_PRECOPY       ? "pre-copy"
               : o->mode == MIGRATE_POSTCOPY    ? "post-copy"
                                                : "stop-and-copy",
               rounds, frozen, now_ms () - t_start);
      fflush (o->report);
    }
  return 0;
}
