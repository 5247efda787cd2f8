#include "libcontainer/lifecycle/state.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "base/decimal.h"
#include "base/utils.h"
#include "libcontainer/lifecycle/record.h"

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

/* mkdir -p: the root is usually /run/berth, its parent exists.  */
static int
state_root_make (const char *root, berth_error **err)
{
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
  return 0;
}

int
state_root_open (const char *root, bool create, berth_error **err)
{
  /* Made by the first command on a host only: opened first, made (and
     opened again) when it is missing.  Saves a mkdir per component of
     the path at every create.  */
  int fd = open (root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (fd < 0 && errno == ENOENT && create)
    {
      if (state_root_make (root, err) < 0)
        return -1;
      fd = open (root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    }
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

oci_state *
state_load (int dir_fd, const char *id, berth_error **err)
{
  cleanup_free char *json = NULL;
  size_t len = 0;

  /* Regular files berth wrote (atomically, by rename).  */
  if (read_file_at_short (dir_fd, STATE_FILE, READ_SHORT_REGULAR, &json, &len,
                          err)
      < 0)
    {
      if ((*err)->errnum == ENOENT)
        {
          berth_error_clear (err);
          /* runc says "container does not exist" here, and engines
             match those words (docs/engines.md); the rest says why.  */
          return berth_error_set (err, 0,
                                  "container \"%s\" does not exist yet: it "
                                  "is being created or its creation failed "
                                  "(no state)",
                                  id),
                 NULL;
        }
      berth_error_wrap (err, "container \"%s\"", id);
      return NULL;
    }
  return oci_state_parse (json, len, STATE_FILE, err);
}

oci_config *
state_load_config (int dir_fd, berth_error **err)
{
  cleanup_free char *json = NULL;
  size_t len = 0;

  if (read_file_at_short (dir_fd, CONFIG_COPY, READ_SHORT_REGULAR, &json,
                          &len, err)
      < 0)
    return NULL;
  return oci_config_parse (json, len, "config.json", err);
}

int
state_save (int dir_fd, const oci_state *state, berth_error **err)
{
  size_t len = 0;
  cleanup_free char *json = oci_state_to_json (state, true, false, &len);

  return write_file_atomic_at (dir_fd, STATE_FILE, json, len, 0600, err);
}

/* After a removal that stopped at a mount point (EBUSY): the mounts of a
   restore that was killed before it could unmount them (a migration's
   target failing, berth killed): the rootfs bind and the masks' tmpfs.
   Only those are detached, and only when they are mounts (umount2 says
   EINVAL otherwise): the walk goes on refusing any other.  Tried after
   the failure, not before: a removal pays no umount2 when there is none.  */
static bool
criu_mounts_detached (int root_fd, const char *id, berth_error **err)
{
  static const char *const names[] = { STATE_CRIU_ROOT, STATE_CRIU_MASKS };
  char path[PATH_MAX];
  bool any = false;

  if (*err == NULL || (*err)->errnum != EBUSY)
    return false;
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    {
      snprintf (path, sizeof path, "/proc/self/fd/%d/%s/%s", root_fd, id,
                names[i]);
      if (umount2 (path, MNT_DETACH | UMOUNT_NOFOLLOW) == 0)
        any = true;
    }
  if (any)
    berth_error_clear (err);
  return any;
}

int
state_dir_remove (int root_fd, const char *id, berth_error **err)
{
  if (remove_tree_at (root_fd, id, err) < 0
      && (!criu_mounts_detached (root_fd, id, err)
          || remove_tree_at (root_fd, id, err) < 0))
    return berth_error_wrap (err, "remove state dir of \"%s\"", id);
  return 0;
}

int
state_dir_remove_open (int root_fd, const char *id, int dir_fd,
                       berth_error **err)
{
  /* What a started container's dir holds, removed by name: then one
     rmdir, without the two getdents64 of a walk.  Anything else in it
     (exec.fifo of one never started, host-mounts, an overlay's upper
     dir) and the rmdir says ENOTEMPTY: the walk removes the rest.  */
  static const char *const known[] = { STATE_FILE, CONFIG_COPY,
                                       RECORD_FILE };

  for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
    if (unlinkat (dir_fd, known[i], 0) < 0 && errno != ENOENT)
      break;
  if (unlinkat (root_fd, id, AT_REMOVEDIR) == 0)
    return 0;
  if (remove_tree_open_at (root_fd, id, dir_fd, err) < 0
      && (!criu_mounts_detached (root_fd, id, err)
          || remove_tree_at (root_fd, id, err) < 0))
    return berth_error_wrap (err, "remove state dir of \"%s\"", id);
  return 0;
}

char *
state_now_rfc3339 (void)
{
  struct timespec ts;
  struct tm tm;
  char buf[64], *p = buf;

  clock_gettime (CLOCK_REALTIME, &ts);
  utc_time (ts.tv_sec, &tm);
  /* "%Y-%m-%dT%H:%M:%S.%09ldZ" digit by digit, not with strftime and
     vasprintf (base/decimal.h): every create writes it.  Years past 9999
     keep all their digits, as strftime's %Y.  */
  p += decimal_format (p, (uint64_t) tm.tm_year + 1900);
  *p++ = '-';
  p = decimal_format_fixed (p, (uint64_t) tm.tm_mon + 1, 2);
  *p++ = '-';
  p = decimal_format_fixed (p, (uint64_t) tm.tm_mday, 2);
  *p++ = 'T';
  p = decimal_format_fixed (p, (uint64_t) tm.tm_hour, 2);
  *p++ = ':';
  p = decimal_format_fixed (p, (uint64_t) tm.tm_min, 2);
  *p++ = ':';
  p = decimal_format_fixed (p, (uint64_t) tm.tm_sec, 2);
  *p++ = '.';
  p = decimal_format_fixed (p, (uint64_t) ts.tv_nsec, 9);
  *p++ = 'Z';
  *p = '\0';
  return xstrdup (buf);
}
