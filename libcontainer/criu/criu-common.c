/* berth: the CRIU options checkpoint and restore share
 * (libcontainer/criu/criu-common.h).  */
#include "libcontainer/criu/criu-common.h"

#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "base/utils.h"
#include "libcontainer/rootfs/mount-options.h"

int
criu_parse_cgroups_mode (const char *name, int *mode, berth_error **err)
{
  static const struct
  {
    const char *name;
    int mode;
  } modes[] = {
    { "soft", CRIU_CG_MODE_SOFT },
    { "full", CRIU_CG_MODE_FULL },
    { "strict", CRIU_CG_MODE_STRICT },
    { "ignore", CRIU_CG_MODE_IGNORE },
  };

  for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++)
    if (strcmp (modes[i].name, name) == 0)
      {
        *mode = modes[i].mode;
        return 0;
      }
  return berth_error_set (err, 0, "--manage-cgroups-mode: \"%s\": expected "
                                  "soft, full, strict or ignore",
                          name);
}

static int
open_dir (const char *path, bool create, const char *what, berth_error **err)
{
  int fd;

  if (create && mkdir (path, 0700) < 0 && errno != EEXIST)
    return berth_error_sys (err, "%s %s: mkdir", what, path);
  fd = open (path, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return berth_error_sys (err, "%s %s", what, path);
  return fd;
}

int
criu_session_open (criu_opts **opts, const char *image_path, bool create,
                   const char *work_path, const char *log, int *image_fd,
                   int *work_fd, berth_error **err)
{
  *opts = NULL;
  if (criu_api_load (err) < 0)
    return -1;
  *image_fd = open_dir (image_path, create, "image path", err);
  if (*image_fd < 0)
    return -1;
  if (work_path)
    {
      *work_fd = open_dir (work_path, true, "work path", err);
      if (*work_fd < 0)
        return -1;
    }
  if (criu_local_init_opts (opts) < 0)
    return berth_error_set (err, ENOMEM, "libcriu: cannot allocate its "
                                         "options");
  criu_local_set_images_dir_fd (*opts, *image_fd);
  if (*work_fd >= 0)
    criu_local_set_work_dir_fd (*opts, *work_fd);
  criu_local_set_log_level (*opts, 4);
  if (criu_local_set_log_file (*opts, log) < 0)
    return berth_error_set (err, ENOMEM, "libcriu: log file %s", log);
  return 0;
}

/* libcriu 3.17 (Debian 12) has no setters for lazy_pages, status_fd and
   empty_ns, though its RPC message carries them (later libcriu adds
   criu_set_lazy_pages and friends).  Its criu_opts begins with that
   message (lib/c/criu.c: `CriuOpts *rpc` first, since libcriu 2.x), whose
   type criu.h brings in: the fields are set there.  */
static CriuOpts *
rpc_of (criu_opts *opts)
{
  return *(CriuOpts **) opts;
}

int
criu_session_flags (criu_opts *opts, const criu_flags *f, berth_error **err)
{
  CriuOpts *rpc = rpc_of (opts);

  criu_local_set_tcp_established (opts, f->tcp_established);
  criu_local_set_ext_unix_sk (opts, f->ext_unix_sk);
  criu_local_set_shell_job (opts, f->shell_job);
  criu_local_set_file_locks (opts, f->file_locks);
  criu_local_set_auto_dedup (opts, f->auto_dedup);
  /* runc's default: CRIU puts the tasks back into the cgroup they were
     dumped from (restore: the cg root berth made) without restoring its
     properties over what config.json set.  */
  criu_local_set_manage_cgroups (opts, true);
  criu_local_set_manage_cgroups_mode (
      opts, f->manage_cgroups_mode < 0
                ? CRIU_CG_MODE_SOFT
                : (enum criu_cg_mode) f->manage_cgroups_mode);
  if (f->binary && criu_local_set_service_binary (opts, f->binary) < 0)
    return berth_error_set (err, ENOMEM, "libcriu: --criu %s", f->binary);
  if (f->lazy_pages)
    {
      rpc->has_lazy_pages = true;
      rpc->lazy_pages = true;
    }
  if (f->empty_netns)
    {
      rpc->has_empty_ns = true;
      rpc->empty_ns = CLONE_NEWNET;
    }
  if (f->status_fd >= 0)
    {
      int fl = fcntl (f->status_fd, F_GETFL);
      /* CRIU writes one \0 there; a read-only fd would lose it.  */
      if (fl < 0 || (fl & O_ACCMODE) == O_RDONLY)
        return berth_error_set (err, fl < 0 ? errno : EBADF,
                                "--status-fd %d: not open for writing",
                                f->status_fd);
      rpc->has_status_fd = true;
      rpc->status_fd = f->status_fd;
    }
  if (f->page_server)
    {
      cleanup_free char *addr = xstrdup (f->page_server);
      char *colon = strrchr (addr, ':');
      char *end;
      long port;
      int r;

      if (colon == NULL || colon == addr)
        return berth_error_set (err, 0, "--page-server %s: expected "
                                        "ADDRESS:PORT",
                                f->page_server);
      *colon = '\0';
      port = strtol (colon + 1, &end, 10);
      if (*end != '\0' || port <= 0 || port > 65535)
        return berth_error_set (err, 0, "--page-server %s: bad port",
                                f->page_server);
      r = criu_local_set_page_server_address_port (opts, addr, (int) port);
      /* libcriu 3.17 returns -ENOMEM when it succeeded too (its setter
         falls through to the error return): judged by the message.  */
      if (rpc->ps == NULL || rpc->ps->address == NULL)
        return berth_error_set (err, r < 0 ? -r : ENOMEM,
                                "libcriu: page server %s", f->page_server);
    }
  return 0;
}

/* Errors CRIU logs from its kernel probes and then carries on: never the
   reason a dump or restore failed.  */
static const char *const benign[] = {
  "tun: Unable to create tun", /* no tun module: CRIU skips tun devices */
};

static bool
is_benign (const char *line)
{
  for (size_t i = 0; i < sizeof benign / sizeof benign[0]; i++)
    if (strstr (line, benign[i]))
      return true;
  return false;
}

char *
criu_log_first_error (const char *path)
{
  cleanup_file FILE *f = fopen (path, "re");
  cleanup_free char *line = NULL;
  size_t cap = 0;
  ssize_t n;

  if (f == NULL)
    return NULL;
  while ((n = getline (&line, &cap, f)) > 0)
    {
      if (strstr (line, "Error") == NULL || is_benign (line))
        continue;
      while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        line[--n] = '\0';
      /* Drop CRIU's "(00.012345) " timestamp.  */
      if (line[0] == '(')
        {
          char *end = strstr (line, ") ");
          if (end)
            return xstrdup (end + 2);
        }
      return xstrdup (line);
    }
  return NULL;
}

int
criu_fail (berth_error **err, const char *what, int ret, const char *log_dir,
           const char *log)
{
  cleanup_free char *path = xasprintf ("%s/%s", log_dir, log);
  cleanup_free char *line = criu_log_first_error (path);

  /* libcriu returns -errno for its own failures (e.g. -ECONNREFUSED when
     the criu binary cannot be started); CRIU's are -52 (EBADE), the log
     says why.  */
  if (line)
    return berth_error_set (err, 0, "%s: %s (see %s)", what, line, path);
  if (ret == -ENOENT || ret == -ECONNREFUSED || ret == -EPIPE)
    return berth_error_set (err, -ret, "%s: cannot run criu "
                                       "(apt-get install criu)",
                            what);
  return berth_error_set (err, ret < 0 && ret != -EBADE ? -ret : 0,
                          "%s failed (%d), see %s", what, ret, path);
}

static bool
is_bind (const oci_mount *m)
{
  if (m->type && strcmp (m->type, "bind") == 0)
    return true;
  for (size_t i = 0; i < m->n_options; i++)
    if (strcmp (m->options[i], "bind") == 0
        || strcmp (m->options[i], "rbind") == 0)
      return true;
  return false;
}

int
criu_add_config_mounts (criu_opts *opts, const oci_config *config,
                        const char *bundle, bool restore, berth_error **err)
{
  for (size_t i = 0; i < config->n_mounts; i++)
    {
      const oci_mount *m = &config->mounts[i];
      cleanup_free char *src = NULL;
      int r;

      if (!is_bind (m) || m->source == NULL || m->destination == NULL)
        continue;
      if (restore)
        src = m->source[0] == '/' ? xstrdup (m->source)
                                  : xasprintf ("%s/%s", bundle, m->source);
      r = criu_local_add_ext_mount (opts, m->destination,
                                    restore ? src : m->destination);
      if (r < 0)
        return berth_error_set (err, -r, "libcriu: external mount %s",
                                m->destination);
    }
  return 0;
}

int
criu_add_config_namespaces (criu_opts *opts, const oci_config *config,
                            bool restore, int fds[CRIU_NS_FDS],
                            berth_error **err)
{
  const oci_linux *lx = config->linux_;

  fds[0] = fds[1] = -1;
  for (size_t i = 0; lx && i < lx->n_namespaces; i++)
    {
      const oci_namespace *ns = &lx->namespaces[i];
      const char *key = NULL;
      const char *join = NULL;
      int slot = -1;
      int r;

      if (ns->path == NULL)
        continue;
      switch (ns->type)
        {
        case OCI_NS_NETWORK:
          key = CRIU_EXT_NETNS, slot = 0;
          break;
        case OCI_NS_PID:
          key = CRIU_EXT_PIDNS, slot = 1;
          break;
        case OCI_NS_IPC:
          join = "ipc";
          break;
        case OCI_NS_UTS:
          join = "uts";
          break;
        case OCI_NS_TIME:
          join = "time";
          break;
        default:
          /* mount, user, cgroup: CRIU cannot restore into a joined one.  */
          return berth_error_set (err, 0, "config.json: linux.namespaces: "
                                          "a joined %s namespace cannot be "
                                          "checkpointed (CRIU)",
                                  oci_ns_type_name (ns->type));
        }
      if (key && !restore)
        {
          struct stat st;
          cleanup_free char *ext = NULL;
          if (stat (ns->path, &st) < 0)
            return berth_error_sys (err, "namespace %s", ns->path);
          ext = xasprintf ("%s[%lu]:%s", ns->type == OCI_NS_NETWORK ? "net"
                                                                    : "pid",
                           (unsigned long) st.st_ino, key);
          r = criu_local_add_external (opts, ext);
          if (r < 0)
            return berth_error_set (err, -r, "libcriu: external %s", ext);
        }
      else if (key)
        {
          /* Not O_CLOEXEC: CRIU (the swrk child libcriu forks) inherits
             it.  */
          fds[slot] = open (ns->path, O_RDONLY);
          if (fds[slot] < 0)
            return berth_error_sys (err, "namespace %s", ns->path);
          r = criu_local_add_inherit_fd (opts, fds[slot], key);
          if (r < 0)
            return berth_error_set (err, -r, "libcriu: inherit fd %s", key);
        }
      else if (restore)
        {
          r = criu_local_join_ns_add (opts, join, ns->path, NULL);
          if (r < 0)
            return berth_error_set (err, -r, "libcriu: join %s namespace %s",
                                    join, ns->path);
        }
    }
  return 0;
}

void
criu_close_ns_fds (int fds[CRIU_NS_FDS])
{
  for (int i = 0; i < CRIU_NS_FDS; i++)
    if (fds[i] >= 0)
      {
        close (fds[i]);
        fds[i] = -1;
      }
}
