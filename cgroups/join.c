/* berth: a process moving itself into its v1 cgroups (join.h says why).  */
#include "cgroups/join.h"

#include <errno.h>
#include <unistd.h>

#include "base/utils.h"

/* Closes the v1 files and clone_fd together: close_fds makes one
   close_range per run of consecutive numbers (opened one after the other,
   they are mostly one or two runs: 2 calls where a close each took 10 on
   a v1 host).  */
static void
close_all (cgroup_join *j)
{
  int fds[CGROUP_JOIN_MAX + 1];
  size_t n = 0;

  for (size_t i = 0; i < j->n_fds; i++)
    fds[n++] = j->fds[i];
  fds[n++] = j->clone_fd;
  close_fds (fds, n);
  for (size_t i = 0; i < j->n_fds; i++)
    j->fds[i] = -1;
  j->n_fds = 0;
  j->clone_fd = -1;
}

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
    }
  /* And what the child was cloned into: nothing more to do with it.  */
  close_all (j);
  return ret;
}

void
cgroup_join_close (cgroup_join *j)
{
  close_all (j);
}
