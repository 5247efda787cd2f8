/* berth migrate (libcontainer/criu/migrate.h).  */
#include "libcontainer/criu/migrate.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
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
#include "libcontainer/criu/migrate-group.h"
#include "libcontainer/criu/migrate-lazy.h"
#include "libcontainer/criu/migrate-remote.h"
#include "libcontainer/criu/migrate-steps.h"
#include "libcontainer/lifecycle/container.h"
#include "libcontainer/lifecycle/handle.h"
#include "libcontainer/lifecycle/state.h"

static int
restore_at_destination (const migrate_opts *o, const char *bundle,
                        const char *images, bool lazy, berth_error **err)
{
  return migrate_restore_as (o, o->to_root ? o->to_root : o->root,
                     o->to_id ? o->to_id : o->id, bundle, images, lazy, err);
}

/* --page-server's address: a loopback one, the only kind the private
   namespace below has.  */
static bool
is_loopback (const char *addr)
{
  struct in_addr a4;
  struct in6_addr a6;

  if (inet_pton (AF_INET, addr, &a4) == 1)
    return (ntohl (a4.s_addr) >> 24) == 127;
  return inet_pton (AF_INET6, addr, &a6) == 1 && IN6_IS_ADDR_LOOPBACK (&a6);
}

/* After the lazy dump, the restore failed: the container is lost (its
   memory was in the page server).  Its record here goes.  */
static int
postcopy_lost (const migrate_opts *o, berth_error **err)
{
  berth_error *e = NULL;

  if (container_delete_force_id (o->root, o->id, NULL, &e) < 0)
    {
      berth_warn ("migrate: deleting the stopped container: %s", e->msg);
      berth_error_free (e);
    }
  return berth_error_wrap (err, "migrate --post-copy: the container is "
                                "lost: the lazy dump had stopped it and "
                                "held its memory");
}

/* Post-copy: the dump serves the pages (in a child: it returns only once
   they are all fetched), `criu lazy-pages` fetches them for the restored
   tasks as they fault.  CRIU's page server and lazy-pages speak plain
   TCP, without authentication: both run in a network namespace made for
   this migration, with only loopback in it (migrate-lazy.h), so that no
   other process of the host can reach the page server, not even on the
   host's loopback for a moment.  The restore itself talks to lazy-pages
   over a unix socket in the image dir, from our namespace.  */
static int
postcopy (const migrate_opts *o, const char *bundle, const char *images,
          double *frozen_ms, berth_error **err)
{
  const char *ps = o->page_server ? o->page_server : "127.0.0.1:27271";
  cleanup_free char *addr = xstrdup (ps);
  cleanup_close int orig = -1;
  cleanup_close int priv = -1;
  char *colon = strrchr (addr, ':');
  int ws, started, port;
  pid_t dumper, lazy;
  double t0;
  int ret = -1;

  if (colon == NULL)
    return berth_error_set (err, 0, "--page-server %s: expected "
                                    "ADDRESS:PORT",
                            ps);
  *colon = '\0';
  port = atoi (colon + 1);
  if (!is_loopback (addr) || port <= 0 || port > 65535)
    return berth_error_set (err, EINVAL, "--page-server %s: a loopback "
                                         "address and a port (the page "
                                         "server runs in a network "
                                         "namespace of its own, with only "
                                         "loopback)",
                            ps);
  /* Before the dump, so not inside the downtime.  */
  if (lazy_private_netns (&orig, &priv, err) < 0)
    return -1;
  t0 = migrate_now_ms ();
  started = migrate_lazy_dump_start (o, images, priv, &dumper, err);
  if (started < 0)
    return -1;
  if (started > 0)
    return berth_error_set (err, 0, "migrate: the lazy dump failed (its "
                                    "error is above); the container was "
                                    "left running");

  lazy = lazy_pages_spawn (images, addr, port, priv, err);
  if (lazy < 0)
    {
      migrate_group_kill (dumper);
      return postcopy_lost (o, err);
    }
  if (restore_at_destination (o, bundle, images, true, err) < 0)
    {
      migrate_group_kill (lazy);
      migrate_group_kill (dumper);
      return postcopy_lost (o, err);
    }
  *frozen_ms = migrate_now_ms () - t0;
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
        berth_error_set (err, 0, "migrate: criu lazy-pages failed (see "
                                 "%s/lazy-pages.log)",
                         images);
      ret = -1;
    }
  return ret;
}

static const char *
mode_name (migrate_mode m)
{
  return m == MIGRATE_PRECOPY    ? "pre-copy"
         : m == MIGRATE_POSTCOPY ? "post-copy"
                                 : "stop-and-copy";
}

int
container_migrate (const migrate_opts *o, migrate_report *rep,
                   berth_error **err)
{
  unsigned long long bytes[64];
  cleanup_free char *bundle = NULL;
  cleanup_free char *final = NULL;
  cleanup_free char *parent = NULL;
  const char *to_root = o->to_root ? o->to_root : o->root;
  const char *to_id = o->to_id ? o->to_id : o->id;
  int max_rounds = o->max_rounds < 1 ? 1 : o->max_rounds > 64 ? 64
                                                              : o->max_rounds;
  double t_start = migrate_now_ms (), t0, frozen = 0;
  int rounds = 0;

  memset (rep, 0, sizeof *rep);
  rep->mode = mode_name (o->mode);
  rep->to = o->to_host;
  if (o->to_host == NULL && strcmp (to_root, o->root) == 0
      && strcmp (to_id, o->id) == 0)
    return berth_error_set (err, 0, "migrate: the destination is the "
                                    "container itself: give --to, "
                                    "--to-root or --to-id");
  if (o->to_host == NULL && o->mode == MIGRATE_POSTCOPY
      && strcmp (to_id, o->id) == 0)
    /* Both live at once until the pages are over: a cgroup named after
       the id would be the same one.  */
    return berth_error_set (err, 0, "migrate --post-copy: the destination "
                                    "needs its own id (--to-id)");
  {
    cleanup_container_handle container_handle *h = NULL;
    if (container_open (o->root, o->id, 0, &h, err) < 0)
      return -1;
    bundle = xstrdup (o->bundle ? o->bundle : h->state->bundle);
  }
  if (o->to_host)
    return migrate_to_host (o, bundle, rep, err);
  if (mkdir (o->work_dir, 0700) < 0 && errno != EEXIST)
    return berth_error_sys (err, "--work-dir %s", o->work_dir);

  if (o->mode == MIGRATE_PRECOPY)
    while (migrate_more_rounds (bytes, rounds, max_rounds))
      {
        cleanup_free char *dir = xasprintf ("%s/pre-%d", o->work_dir,
                                            rounds + 1);
        char name[16];

        t0 = migrate_now_ms ();
        if (migrate_pre_dump (o, dir, parent, err) < 0)
          return berth_error_wrap (err, "migrate: pre-dump %d", rounds + 1);
        bytes[rounds] = migrate_pages_bytes (dir);
        snprintf (name, sizeof name, "%d", rounds + 1);
        migrate_add_round (o, rep, name, "pre-dump", bytes[rounds],
                           migrate_now_ms () - t0);
        free (parent);
        parent = xasprintf ("../pre-%d", rounds + 1);
        rounds++;
      }
  rep->pre_rounds = rounds;

  final = xasprintf ("%s/final", o->work_dir);
  if (o->mode == MIGRATE_POSTCOPY)
    {
      if (postcopy (o, bundle, final, &frozen, err) < 0)
        return -1;
      migrate_add_round (o, rep, "final", "lazy-dump",
                         migrate_pages_bytes (final), frozen);
    }
  else
    {
      double t_dumped;
      t0 = migrate_now_ms ();
      if (migrate_final_dump (o, final, parent, false, false, -1, err) < 0)
        return berth_error_wrap (err, "migrate: final dump");
      t_dumped = migrate_now_ms ();
      if (restore_at_destination (o, bundle, final, false, err) < 0)
        {
          migrate_restore_back (o, bundle, final);
          return berth_error_wrap (err, "migrate: restore at the "
                                        "destination (the container was "
                                        "restored at its source)");
        }
      frozen = migrate_now_ms () - t0;
      rep->dump_ms = t_dumped - t0;
      rep->restore_ms = frozen - rep->dump_ms;
      migrate_add_round (o, rep, "final", "dump",
                         migrate_pages_bytes (final), t_dumped - t0);
    }
  rep->downtime_ms = frozen;
  rep->total_ms = migrate_now_ms () - t_start;
  migrate_report_summary_text (o->report, rep);
  return 0;
}
