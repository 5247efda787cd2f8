/* berth: bind-mount sources cloned before the container's user namespace
   exists (see mount-sources.h).  */
#include "libcontainer/rootfs/mount-sources.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "base/log.h"
#include "base/utils.h"
#include "libcontainer/rootfs/mount-options.h"

int *
mount_sources_open (const oci_config *config, const char *bundle)
{
  int *fds = xmalloc0 ((config->n_mounts + 1) * sizeof *fds);

  for (size_t i = 0; i < config->n_mounts; i++)
    {
      const oci_mount *m = &config->mounts[i];
      mount_options o;
      char *path;
      bool bind;

      fds[i] = -1;
      mount_options_parse (m->options, m->n_options, &o);
      /* The same reading of "bind" as mount_entry.  */
      bind = (o.flags & MS_BIND) || (m->type && strcmp (m->type, "bind") == 0);
      if (bind && !o.idmap && m->source && *m->source)
        {
          path = m->source[0] == '/' ? xstrdup (m->source)
                                     : xasprintf ("%s/%s", bundle, m->source);
          fds[i] = open_tree (AT_FDCWD, path,
                              OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC
                                  | ((o.flags & MS_REC) ? AT_RECURSIVE : 0));
          if (fds[i] < 0)
            berth_debug ("mount %s: cannot clone %s before the user "
                         "namespace; the init will try", m->destination,
                         path);
          free (path);
        }
      mount_options_free (&o);
    }
  return fds;
}

void
mount_sources_close (int *fds, size_t n)
{
  if (fds == NULL)
    return;
  for (size_t i = 0; i < n; i++)
    if (fds[i] >= 0)
      close (fds[i]);
  free (fds);
}
