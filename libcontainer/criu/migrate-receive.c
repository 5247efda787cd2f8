/* berth migrate --receive: the target side of `berth migrate --to`
 * (libcontainer/criu/migrate.h), run by ssh with the wire
 * (migrate-wire.h) on its stdin and stdout.
 *
 * Nothing is received before the checks: the id must be free under
 * --root here, and the bundle must be the source's (the same path, the
 * same config.json, its rootfs visible): shared storage is what carries
 * the container's files, only the images travel.  The images go into a
 * private dir (0700, under $TMPDIR or /tmp), removed at the end whatever
 * happens.  The restore runs in a child whose stdio is /dev/null: the
 * restored process takes the place of stdio the source had (pipes, an
 * engine's /dev/null), and must not hold the wire, or ssh would never
 * end.  The source closing the connection before "restore" undoes
 * nothing here: nothing was made but the images.  After the restore,
 * "running" waits for the source's "commit"; without it the container
 * restored here is deleted again (the source restores it at home), and
 * its address is announced only after it.  */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "base/log.h"
#include "base/sha256.h"
#include "base/utils.h"
#include "libcontainer/criu/checkpoint.h"
#include "libcontainer/criu/criu-warm.h"
#include "libcontainer/criu/migrate.h"
#include "libcontainer/criu/migrate-lazy.h"
#include "libcontainer/criu/migrate-target-restore.h"
#include "libcontainer/criu/migrate-wire.h"
#include "libcontainer/lifecycle/container.h"
#include "libcontainer/lifecycle/handle.h"
#include "libcontainer/network/net-announce.h"
#include "libcontainer/network/netns-prepare.h"
#include "oci-spec/config.h"

/* The checks before "ready" (see above).  */
static int
check_target (const migrate_receive_opts *o, oci_config **out,
              berth_error **err)
{
  cleanup_free char *cfg_path = NULL;
  cleanup_free char *text = NULL;
  cleanup_free char *rootfs = NULL;
  unsigned char d[SHA256_DIGEST_LEN];
  char hex[65];
  oci_config *config;
  struct stat st;
  size_t len;

  {
    container_handle *h = NULL;
    berth_error *e = NULL;
    if (container_open (o->root, o->id, 0, &h, &e) == 0)
      {
        container_handle_close (h);
        return berth_error_set (err, EEXIST, "container \"%s\" already "
                                             "exists under %s",
                                o->id, o->root);
      }
    berth_error_free (e);
  }
  if (o->bundle == NULL || o->bundle[0] != '/')
    return berth_error_set (err, EINVAL, "the bundle must be an absolute "
                                         "path");
  cfg_path = xasprintf ("%s/config.json", o->bundle);
  if (read_file_at (AT_FDCWD, cfg_path, &text, &len, err) < 0)
    return berth_error_wrap (err, "cannot see the bundle %s on this host "
                                  "(it must be on storage both hosts "
                                  "share, at the same path)",
                             o->bundle);
  sha256 (text, len, d);
  sha256_hex (d, hex);
  if (o->config_sha256 == NULL || strcmp (hex, o->config_sha256) != 0)
    return berth_error_set (err, 0, "%s on this host is not the source's "
                                    "(the bundle must be on storage both "
                                    "hosts share, at the same path)",
                            cfg_path);
  config = oci_config_parse (text, len, cfg_path, err);
  if (config == NULL)
    return -1;
  if (config->root.path == NULL)
    {
      oci_config_free (config);
      return berth_error_set (err, EINVAL, "%s: no root.path", cfg_path);
    }
  rootfs = config->root.path[0] == '/'
               ? xstrdup (config->root.path)
               : xasprintf ("%s/%s", o->bundle, config->root.path);
  errno = 0;
  if (stat (rootfs, &st) < 0 || !S_ISDIR (st.st_mode))
    {
      int e = errno ? errno : ENOTDIR;
      oci_config_free (config);
      return berth_error_set (err, e,
                              "cannot see the bundle's rootfs %s on this "
                              "host (it must be on storage both hosts "
                              "share, at the same path)",
                              rootfs);
    }
  *out = config;
  return 0;
}

/* The network follows: the restored container's address announced from
   its namespace (net-announce.h), so the switch and the peers find it on
   this host now.  A warning when it fails: the container runs.  */
static void
announce_address (const migrate_receive_opts *o, const oci_config *config)
{
  cleanup_container_handle container_handle *h = NULL;
  cleanup_close int ns = -1;
  berth_error *e = NULL;
  net_config nc;
  char path[64];

  if (net_config_parse (config, true, &nc, &e) < 0 || nc.veth == NULL
      || !nc.has_address)
    goto out;
  if (container_open (o->root, o->id, 0, &h, &e) < 0)
    goto out;
  snprintf (path, sizeof path, "/proc/%d/ns/net", h->state->pid);
  ns = open (path, O_RDONLY | O_CLOEXEC);
  if (ns < 0)
    {
      berth_error_sys (&e, "%s", path);
      goto out;
    }
  net_announce (ns, nc.name, &nc.address, 3, &e);
out:
  if (e)
    {
      berth_warn ("migrate --receive: %s", e->msg);
      berth_error_free (e);
    }
}

typedef struct announce_ctx
{
  const migrate_receive_opts *o;
  const oci_config *config;
} announce_ctx;

static void
announce_cb (void *arg)
{
  announce_ctx *c = arg;
  announce_address (c->o, c->config);
}

/* The restore, in a child (migrate-target-restore.h).  */
static int
restore_here (const migrate_receive_opts *o, const char *images,
              char **msg)
{
  int fd;
  pid_t pid = target_restore_start (o->root, o->id, o->bundle, images,
                                    &o->flags, false, &fd, msg);
  if (pid < 0)
    return -1;
  return target_restore_finish (pid, fd, msg);
}

/* A newline in an error would end the line early.  */
static void
one_line (char *s)
{
  for (; *s; s++)
    if (*s == '\n')
      *s = ' ';
}

/* The error to the source on the wire ("error ..."), which prints it;
   once it is sent, *err is cleared (not printed a second time here, on
   ssh's stderr).  An error the wire cannot carry stays in *err for the
   caller to print: ssh forwards the target's stderr.  */
static int
say_error (migrate_wire *w, berth_error **err)
{
  berth_error *ignored = NULL;
  cleanup_free char *msg = xstrdup ((*err)->msg);
  one_line (msg);
  if (wire_send_line (w, &ignored, "error %s", msg) < 0)
    berth_error_free (ignored);
  else
    berth_error_clear (err);
  return -1;
}

/* Whether the container exists here (restored, not deleted again).  */
static bool
container_here (const migrate_receive_opts *o)
{
  container_handle *h = NULL;
  berth_error *e = NULL;

  if (container_open (o->root, o->id, 0, &h, &e) < 0)
    {
      berth_error_free (e);
      return false;
    }
  container_handle_close (h);
  return true;
}

/* The container's network namespace made before "ready", so before the
   container stops on the source (migrate-net.h): the restore child
   inherits it through the flags.  */
static int
prepare_net (const migrate_receive_opts *o, const oci_config *config,
             criu_flags *flags, berth_error **err)
{
  unsigned char mac[6];
  int fd;

  if (o->prepare_net == NULL)
    return 0;
  if (net_mac_parse (o->prepare_net, mac, err) < 0
      || netns_prepare (config, mac, &fd, err) < 0)
    return berth_error_wrap (err, "migrate --receive --prepare-net");
  flags->has_netns_fd = true;
  flags->netns_fd = fd;
  return 0;
}

/* Images that carry the network namespace after all (the source found
   firewall rules just before its final dump): the one made here goes
   first, or its veth's name would be taken when CRIU makes its own.  */
static void
drop_unused_net (const char *final, const oci_config *config,
                 criu_flags *flags)
{
  cleanup_free char *marker = NULL;

  if (!flags->has_netns_fd)
    return;
  marker = xasprintf ("%s/%s", final, CRIU_NETNS_EXTERNAL);
  if (access (marker, F_OK) == 0)
    return;
  netns_discard (config, &flags->netns_fd);
  flags->has_netns_fd = false;
}

int
container_migrate_receive (const migrate_receive_opts *o, int in, int out,
                           berth_error **err)
{
  migrate_wire w = { .in = -1, .out = -1 };
  migrate_receive_opts ro = *o;
  cleanup_free char *images = NULL;
  cleanup_close int images_fd = -1;
  cleanup_close int null = -1;
  oci_config *config = NULL;
  char line[MIGRATE_WIRE_LINE_MAX];
  const char *tmp = getenv ("TMPDIR");
  struct sigaction ign = { .sa_handler = SIG_IGN }, old_pipe;
  pid_t warm = -1;
  int ret = -1;

  /* A source gone mid-write (sshd closes our stdout) must be an error
     here, not our death: dying, we would leave the container we
     restored without the commit, and the images, behind.  */
  sigaction (SIGPIPE, &ign, &old_pipe);
  /* The wire on fds of its own; 0 and 1 /dev/null, for anything that
     would print.  */
  w.in = fcntl (in, F_DUPFD_CLOEXEC, 3);
  w.out = fcntl (out, F_DUPFD_CLOEXEC, 3);
  null = open ("/dev/null", O_RDWR | O_CLOEXEC);
  if (w.in < 0 || w.out < 0 || null < 0 || dup2 (null, in) < 0
      || dup2 (null, out) < 0)
    {
      berth_error_sys (err, "migrate --receive: stdio");
      goto out;
    }

  if (check_target (o, &config, err) < 0
      || prepare_net (o, config, &ro.flags, err) < 0)
    {
      say_error (&w, err);
      goto out;
    }
  images = xasprintf ("%s/berth-migrate-in-XXXXXX",
                      tmp && *tmp ? tmp : "/tmp");
  if (mkdtemp (images) == NULL)
    {
      berth_error_sys (err, "mkdtemp %s", images);
      free (images);
      images = NULL;
      say_error (&w, err);
      goto out;
    }
  images_fd = open (images, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (images_fd < 0)
    {
      berth_error_sys (err, "open %s", images);
      say_error (&w, err);
      goto out;
    }
  /* CRIU's probes while the images come, not in the restore
     (criu-warm.h).  */
  warm = criu_warm_start (o->flags.binary);
  if (wire_send_line (&w, err, "ready") < 0)
    goto out;

  for (;;)
    {
      if (wire_read_line (&w, line, sizeof line, err) < 0)
        {
          berth_error_wrap (err, "migrate --receive: before the restore");
          goto out;
        }
      if (strcmp (line, "restore final") == 0)
        break;
      if (strcmp (line, "lazy-restore final") == 0)
        {
          /* Post-copy: the restore runs while the pages come.  */
          cleanup_free char *final = xasprintf ("%s/final", images);
          announce_ctx ctx = { o, config };
          criu_warm_wait (&warm);
          drop_unused_net (final, config, &ro.flags);
          ret = lazy_target (o->root, o->id, o->bundle, &ro.flags, &w,
                             final, announce_cb, &ctx, err);
          goto out;
        }
      if (wire_receive_entry (&w, images_fd, line, err) < 0)
        {
          say_error (&w, err);
          goto out;
        }
    }

  {
    cleanup_free char *final = xasprintf ("%s/final", images);
    cleanup_free char *msg = NULL;
    criu_warm_wait (&warm);
    drop_unused_net (final, config, &ro.flags);
    if (restore_here (&ro, final, &msg) < 0)
      {
        one_line (msg);
        berth_error_set (err, 0, "restore: %s", msg);
        say_error (&w, err);
        goto out;
      }
  }
  /* "running", then the source's "commit": only then is the container
     this host's (the source gave its copy up on reading "running").
     Without the commit (the connection lost, the source restored it at
     home) the copy here goes, before it announced anything.  */
  if (wire_send_line (&w, err, "running") < 0
      || wire_read_line (&w, line, sizeof line, err) < 0
      || strcmp (line, "commit") != 0)
    {
      berth_error *e = NULL;
      if (*err == NULL)
        berth_error_set (err, EPROTO, "the source said \"%.40s\", not "
                                      "\"commit\"",
                         line);
      berth_error_wrap (err, "migrate --receive: no commit from the "
                             "source: the container restored here is "
                             "deleted");
      if (container_delete_force_id (o->root, o->id, NULL, &e) < 0)
        {
          berth_warn ("migrate --receive: %s", e->msg);
          berth_error_free (e);
        }
      goto out;
    }
  announce_address (o, config);
  if (wire_send_line (&w, err, "committed") < 0)
    berth_error_clear (err);
  ret = 0;

out:
  criu_warm_wait (&warm);
  sigaction (SIGPIPE, &old_pipe, NULL);
  /* Restored, the container lives in the namespace; otherwise it goes
     with its veth (whose outside end is in this host's bridge).  */
  if (ro.flags.has_netns_fd && (ret == 0 || container_here (o)))
    close (ro.flags.netns_fd);
  else if (ro.flags.has_netns_fd)
    netns_discard (config, &ro.flags.netns_fd);
  oci_config_free (config);
  if (images)
    wire_remove_images (images);
  if (w.in >= 0)
    close (w.in);
  if (w.out >= 0)
    close (w.out);
  return ret;
}
