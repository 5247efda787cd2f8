/* berth: a process moving itself into its v1 cgroups (join.h says why).  */
#include "cgroups/join.h"

#include <errno.h>
#include <unistd.h>

void
cgroup_join_init (cgroup_join *j)
{
  j->clone_fd = -1;
  j->n_fds = 0;
}

int
cgroup_join_self (cgroup_join *j, berth_error **err)
{
  int ret = 0;

  for (size_t i = 0; i < j->n_fds; i++)
    {
      ssize_t w;

      if (ret == 0)
        {
          do
            w = write (j->fds[i], "0", 1);
          while (w < 0 && errno == EINTR);
          if (w != 1)
            ret = berth_error_sys (err, "move into cgroup %s", j->paths[i]);
        }
      close (j->fds[i]);
      j->fds[i] = -1;
    }
  j->n_fds = 0;
  /* What the child was cloned into: nothing more to do with it.  */
  if (j->clone_fd >= 0)
    close (j->clone_fd);
  j->clone_fd = -1;
  return ret;
}

void
cgroup_join_close (cgroup_join *j)
{
  for (size_t i = 0; i < j->n_fds; i++)
    if (j->fds[i] >= 0)
      close (j->fds[i]);
  j->n_fds = 0;
  if (j->clone_fd >= 0)
    close (j->clone_fd);
  j->clone_fd = -1;
}
