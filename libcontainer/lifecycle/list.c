/* berth: list: every container of a state root, by id, as `state` reads
 * each.  */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "base/log.h"
#include "base/utils.h"
#include "libcontainer/lifecycle/container.h"
#include "libcontainer/lifecycle/handle.h"
#include "libcontainer/lifecycle/state.h"

static int
compare_states (const void *a, const void *b)
{
  const oci_state *x = *(oci_state *const *) a;
  const oci_state *y = *(oci_state *const *) b;
  return strcmp (x->id, y->id);
}

int
container_list (const char *root, oci_state ***states, size_t *n,
                berth_error **err)
{
  cleanup_close int root_fd = -1;
  cleanup_dir DIR *d = NULL;
  struct dirent *de;
  oci_state **out = NULL;
  size_t count = 0;

  *states = NULL;
  *n = 0;
  root_fd = open (root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (root_fd < 0)
    {
      if (errno == ENOENT)
        return 0;
      return berth_error_sys (err, "open state root %s", root);
    }
  d = fdopendir (dup (root_fd));
  if (d == NULL)
    return berth_error_sys (err, "open state root %s", root);
  while ((de = readdir (d)) != NULL)
    {
      container_handle *h = NULL;
      berth_error *e = NULL;

      if (de->d_name[0] == '.')
        continue;
      /* Not a container: a stray name.  */
      if (container_id_validate (de->d_name, &e) < 0)
        {
          berth_error_free (e);
          continue;
        }
      if (container_open (root, de->d_name, 0, &h, &e) < 0)
        {
          if (berth_error_kind_of (e) != BERTH_ERROR_NOT_FOUND)
            {
              /* A create or delete at work holds the lock: not listed, as
                 runc.  Otherwise the entry is broken (a killed create, a
                 damaged state.json): said on stderr as runc does, so it
                 does not vanish silently; the others are listed.  */
              cleanup_close int dir_fd
                  = openat (root_fd, de->d_name,
                            O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
              if (dir_fd >= 0 && flock (dir_fd, LOCK_SH | LOCK_NB) == 0)
                berth_warn ("load container %s: %s", de->d_name, e->msg);
            }
          berth_error_free (e);
          continue;
        }
      out = xrealloc (out, sizeof (*out) * (count + 1));
      out[count++] = steal_pointer (&h->state);
      container_handle_close (h);
    }
  if (count)
    qsort (out, count, sizeof (*out), compare_states);
  *states = out;
  *n = count;
  return 0;
}
