#include "libcontainer/lifecycle/state.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "libcontainer/lifecycle/cgroup-setup.h"
#include "base/cleanup.h"
#include "base/utils.h"

/* The id as the message shows it: bytes that are not printable ASCII as
   \xHH (an id can be anything the command line carries), at most 64 of
   them.  */
static int
invalid_id (const char *id, berth_error **err)
{
  char shown[64 * 4 + 4];
  size_t o = 0, i;

  for (i = 0; id[i] && i < 64; i++)
    {
      unsigned char c = (unsigned char) id[i];
      if (c >= 0x20 && c < 0x7f && c != '\\' && c != '"')
        shown[o++] = (char) c;
      else
        o += (size_t) snprintf (shown + o, sizeof shown - o, "\\x%02x", c);
    }
  if (id[i])
    o += (size_t) snprintf (shown + o, sizeof shown - o, "...");
  shown[o] = '\0';
  return berth_error_set (err, 0, "invalid container id \"%s\"", shown);
}

int
container_id_validate (const char *id, berth_error **err)
{
  size_t len = id ? strlen (id) : 0;

  if (len == 0)
    return berth_error_set (err, 0, "container id must not be empty");
  /* The id names the state directory (and the cgroup): one path
     component, so at most NAME_MAX bytes.  Said up front, and without
     printing the whole id back.  */
  if (len > NAME_MAX)
    return berth_error_set (err, 0, "container id is %zu characters long; "
                                    "at most %d are allowed",
                            len, NAME_MAX);
  if (strcmp (id, ".") == 0 || strcmp (id, "..") == 0)
    return invalid_id (id, err);
  for (const char *p = id; *p; p++)
    {
      char c = *p;
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
            || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '+'
            || c == '-'))
        return invalid_id (id, err);
    }
  return 0;
}

int
state_root_open (const char *root, bool create, berth_error **err)
{
  int fd;

  if (create)
    {
      /* mkdir -p: the root is usually /run/berth, its parent exists.  */
      cleanup_free char *copy = xstrdup (root);
      for (char *p = copy + 1; *p; p++)
        if (*p == '/')
          {
            *p = '\0';
            if (mkdir (copy, 0755) < 0 && errno != EEXIST)
              return berth_error_sys (err, "mkdir %s", copy);
            *p = '/';
          }
      if (mkdir (root, 0700) < 0 && errno != EEXIST)
        return berth_error_sys (err, "mkdir %s", root);
    }
  fd = open (root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return berth_error_sys (err, "open state root %s", root);
  return fd;
}

static int
lock_dir (int fd, const char *id, berth_error **err)
{
  /* Serializes commands on one container; the lock goes with the open
     file description, so the container's init must close this fd.  */
  while (flock (fd, LOCK_EX) < 0)
    if (errno != EINTR)
      return berth_error_sys (err, "lock container \"%s\"", id);
  return 0;
}

int
state_dir_create (int root_fd, const char *id, berth_error **err)
{
  cleanup_close int fd = -1;

  if (mkdirat (root_fd, id, 0711) < 0)
    {
      if (errno == EEXIST)
        return berth_error_set (err, 0, "container \"%s\" already exists", id);
      return berth_error_sys (err, "mkdir state dir %s", id);
    }
  fd = openat (root_fd, id, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    {
      berth_error_sys (err, "open state dir %s", id);
      unlinkat (root_fd, id, AT_REMOVEDIR);
      return -1;
    }
  if (lock_dir (fd, id, err) < 0)
    {
      unlinkat (root_fd, id, AT_REMOVEDIR);
      return -1;
    }
  return steal_fd (&fd);
}

int
state_dir_open (int root_fd, const char *id, bool lock, berth_error **err)
{
  cleanup_close int fd = -1;

  if (container_id_validate (id, err) < 0)
    return -1;
  fd = openat (root_fd, id, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    {
      if (errno == ENOENT)
        return berth_error_set (err, 0, "container \"%s\" does not exist", id);
      return berth_error_sys (err, "open state dir %s", id);
    }
  if (lock)
    {
      struct stat held, now;

      if (lock_dir (fd, id, err) < 0)
        return -1;
      /* The lock was waited for: whoever held it may have deleted the
         container meanwhile (racing deletes).  Ours is then an unlinked
         dir; say what runc says.  */
      if (fstat (fd, &held) < 0
          || fstatat (root_fd, id, &now, AT_SYMLINK_NOFOLLOW) < 0
          || held.st_ino != now.st_ino || held.st_dev != now.st_dev)
        return berth_error_set (err, 0, "container \"%s\" does not exist",
                                id);
    }
  return steal_fd (&fd);
}

int
state_dir_open_id (const char *root, const char *id, bool lock,
                   berth_error **err)
{
  cleanup_close int root_fd = -1;

  if (container_id_validate (id, err) < 0)
    return -1;
  root_fd = state_root_open (root, false, err);
  if (root_fd < 0)
    {
      berth_error_clear (err);
      return berth_error_set (err, 0, "container \"%s\" does not exist", id);
    }
  return state_dir_open (root_fd, id, lock, err);
}

static bool
state_is_paused (const oci_state *state)
{
  berth_error *err = NULL;
  cgroup_manager *cg;
  bool frozen;

  if (state->cgroup_state == NULL)
    return false;
  cg = cgroup_for_state (state, &err);
  if (cg == NULL)
    {
      berth_error_free (err);
      return false;
    }
  frozen = cg->ops->is_frozen (cg);
  cgroup_manager_free (cg);
  return frozen;
}

void
state_refresh_status (int dir_fd, oci_state *state)
{
  char pstate = 0;
  unsigned long long start;
  bool alive = false;

  if (state->pid > 0)
    {
      start = proc_start_time (state->pid, &pstate);
      alive = start != 0 && pstate != 'Z' && pstate != 'X'
              && (state->pid_start_time == 0
                  || start == state->pid_start_time);
    }
  free (state->status);
  if (!alive)
    {
      /* As runc: a stopped container has no pid (and the number may
         belong to another process by now).  */
      state->status = xstrdup ("stopped");
      state->pid = 0;
    }
  else if (faccessat (dir_fd, EXEC_FIFO, F_OK, AT_SYMLINK_NOFOLLOW) == 0)
    state->status = xstrdup ("created");
  else if (state_is_paused (state))
    state->status = xstrdup ("paused");
  else
    state->status = xstrdup ("running");
}

oci_state *
state_load (int dir_fd, const char *id, berth_error **err)
{
  cleanup_free char *json = NULL;
  size_t len = 0;
  oci_state *state;

  if (read_file_at (dir_fd, STATE_FILE, &json, &len, err) < 0)
    {
      if ((*err)->errnum == ENOENT)
        {
          berth_error_clear (err);
          return berth_error_set (err, 0,
                                  "container \"%s\" is being created or its "
                                  "creation failed (no state yet)",
                                  id),
                 NULL;
        }
      berth_error_wrap (err, "container \"%s\"", id);
      return NULL;
    }
  state = oci_state_parse (json, len, STATE_FILE, err);
  if (state == NULL)
    return NULL;
  state_refresh_status (dir_fd, state);
  return state;
}

int
state_open_existing (const char *root, const char *id, bool lock,
                     oci_state **state, berth_error **err)
{
  cleanup_close int dir_fd = -1;

  *state = NULL;
  dir_fd = state_dir_open_id (root, id, lock, err);
  if (dir_fd < 0)
    return -1;
  *state = state_load (dir_fd, id, err);
  if (*state == NULL)
    return -1;
  return steal_fd (&dir_fd);
}

int
state_save (int dir_fd, const oci_state *state, berth_error **err)
{
  size_t len = 0;
  cleanup_free char *json = oci_state_to_json (state, true, false, &len);

  return write_file_atomic_at (dir_fd, STATE_FILE, json, len, 0600, err);
}

int
state_dir_remove (int root_fd, const char *id, berth_error **err)
{
  if (remove_tree_at (root_fd, id, err) < 0)
    return berth_error_wrap (err, "remove state dir of \"%s\"", id);
  return 0;
}

char *
state_now_rfc3339 (void)
{
  struct timespec ts;
  struct tm tm;
  char buf[64];

  clock_gettime (CLOCK_REALTIME, &ts);
  gmtime_r (&ts.tv_sec, &tm);
  strftime (buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  return xasprintf ("%s.%09ldZ", buf, ts.tv_nsec);
}
