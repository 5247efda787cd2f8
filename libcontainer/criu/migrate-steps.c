/* berth migrate: the steps the local (migrate.c) and the remote
   (migrate-remote.c) source sides share (migrate-steps.h).  */
#include "libcontainer/criu/migrate-steps.h"

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
#include "libcontainer/lifecycle/handle.h"
#include "libcontainer/lifecycle/state.h"

double
migrate_now_ms (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* The memory pages a CRIU image dir holds (pages-*.img).  */
unsigned long long
migrate_pages_bytes (const char *dir)
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

void
migrate_add_round (const migrate_opts *o, migrate_report *rep,
                   const char *name, const char *kind,
                   unsigned long long bytes, double ms)
{
  migrate_round *x;

  if (rep->n >= MIGRATE_REPORT_ROUNDS)
    return;
  x = &rep->round[rep->n++];
  snprintf (x->name, sizeof x->name, "%s", name);
  x->kind = kind;
  x->bytes = bytes;
  x->ms = ms;
  migrate_report_round_text (o->report, rep, rep->n - 1);
}

int
migrate_restore_as (const migrate_opts *o, const char *root, const char *id,
            const char *bundle, const char *images, bool lazy,
            berth_error **err)
{
  restore_opts r = { 0 };
  int code;

  r.root = root;
  r.id = id;
  r.bundle = bundle;
  r.image_path = images;
  r.detach = true;
  r.flags = o->flags;
  r.flags.lazy_pages = lazy;
  r.flags.page_server = NULL;
  r.flags.status_fd = -1;
  return container_restore (&r, &code, err);
}

int
migrate_restore_back (const migrate_opts *o, const char *bundle, const char *images)
{
  berth_error *e = NULL;

  if (migrate_restore_as (o, o->root, o->id, bundle, images, false, &e) < 0)
    {
      berth_warn ("migrate: restoring \"%s\" at its source failed too: %s "
                  "(its images stay in %s: berth restore --image-path %s)",
                  o->id, e->msg, images, images);
      berth_error_free (e);
      return -1;
    }
  return 0;
}

int
migrate_pre_dump (const migrate_opts *o, const char *dir, const char *parent,
                  berth_error **err)
{
  checkpoint_opts c = { 0 };

  c.root = o->root;
  c.id = o->id;
  c.image_path = dir;
  c.parent_path = parent;
  c.pre_dump = true;
  c.flags = o->flags;
  return container_checkpoint (&c, err);
}

int
migrate_final_dump (const migrate_opts *o, const char *images,
                    const char *parent, bool lazy, bool keep_record,
                    int status_fd, berth_error **err)
{
  checkpoint_opts c = { 0 };

  c.root = o->root;
  c.id = o->id;
  c.image_path = images;
  c.parent_path = parent;
  c.flags = o->flags;
  c.keep_record = keep_record;
  c.flags.lazy_pages = lazy;
  c.flags.status_fd = status_fd;
  c.flags.page_server = lazy ? (o->page_server ? o->page_server
                                               : "127.0.0.1:27271")
                             : NULL;
  return container_checkpoint (&c, err);
}

int
migrate_lazy_dump_start (const migrate_opts *o, const char *images,
                         int netns_fd, pid_t *dumper, berth_error **err)
{
  pid_t parent = getpid ();
  int status[2], ws;
  ssize_t got;
  char c;

  /* Close-on-exec here, so neither end leaks into anything else this
     process starts; the dumping child alone clears it on the write end,
     for CRIU (libcriu's swrk child) writes the \0.  */
  if (pipe2 (status, O_CLOEXEC) < 0)
    return berth_error_sys (err, "pipe");
  fflush (NULL);
  *dumper = fork ();
  if (*dumper < 0)
    {
      close (status[0]);
      close (status[1]);
      return berth_error_sys (err, "fork");
    }
  if (*dumper == 0)
    {
      berth_error *e = NULL;
      close (status[0]);
      /* Once the dump stopped the container, its memory lives in the
         page server (libcriu's `criu swrk`, our child): a group, so
         that a kill of it or our parent's death ends the page server
         too (migrate-group.h).  */
      if (migrate_group_enter (parent) < 0
          || fcntl (status[1], F_SETFD, 0) < 0)
        _exit (1);
      if ((netns_fd >= 0 && setns (netns_fd, CLONE_NEWNET) < 0)
          || migrate_final_dump (o, images, NULL, true, false, status[1],
                                 &e) < 0)
        {
          if (e)
            berth_log_error (e);
          _exit (1);
        }
      _exit (0);
    }
  migrate_group_adopt (*dumper);
  close (status[1]);
  got = TEMP_FAILURE_RETRY (read (status[0], &c, 1));
  close (status[0]);
  if (got != 1)
    {
      waitpid (*dumper, &ws, 0);
      return 1;
    }
  return 0;
}
