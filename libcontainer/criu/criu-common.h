/* berth: what checkpoint and restore both hand libcriu (criu_local_*
 * API): the image and work dirs, the log and the error quoted from it,
 * the container's external mounts and namespaces, the cgroup mode.  */
#ifndef BERTH_CRIU_COMMON_H
#define BERTH_CRIU_COMMON_H

#include <stdbool.h>

#include "base/error.h"
#include "libcontainer/criu/criu-api.h"
#include "oci-spec/config.h"

#define CRIU_DUMP_LOG "dump.log"
#define CRIU_RESTORE_LOG "restore.log"
#define CRIU_PRE_DUMP_LOG "pre-dump.log"
#define CRIU_DESCRIPTORS "descriptors.json"
/* fds 0-2 that were files outside the container's mount namespace (an
   engine's /dev/null): "N KEY" lines, KEY CRIU's external file id.  */
#define CRIU_STDIO_EXTERNALS "stdio-externals"

/* The keys of namespaces joined from a path (config.json), the same at
   dump and restore, as runc names them.  */
#define CRIU_EXT_NETNS "extRootNetNS"
#define CRIU_EXT_PIDNS "extRootPidNS"

/* In the images of a dump whose network namespace berth made from the
   config and named external (criu_flags.external_netns): the MAC of the
   container's end of its veth pair ("aa:bb:cc:dd:ee:ff\n").  A restore
   of them makes the namespace again (netns-prepare.h).  */
#define CRIU_NETNS_EXTERNAL "berth-netns-external"

/* The options every CRIU call shares.  */
typedef struct criu_flags
{
  bool tcp_established;
  bool ext_unix_sk;
  bool shell_job;
  bool file_locks;
  bool auto_dedup;
  bool lazy_pages;         /* dump: serve the pages lazily; restore: fault
                              them in from `criu lazy-pages` */
  bool empty_netns;        /* --empty-ns network */
  int status_fd;           /* dump with lazy_pages: CRIU writes \0 when
                              ready; -1: none */
  const char *page_server; /* ADDRESS:PORT; NULL: none */
  int manage_cgroups_mode; /* CRIU_CG_MODE_*; -1: soft, as runc */
  const char *binary;      /* global --criu; NULL: criu from PATH */
  bool external_netns;     /* dump: the container's network namespace,
                              which berth made from config.json, is left
                              out of the images (CRIU's external
                              namespace, CRIU_NETNS_EXTERNAL) */
  bool external_masks;     /* dump: the masked directories that are as
                              berth made them left out (criu-masks.h) */
  bool has_netns_fd;       /* restore of such images: netns_fd is the */
  int netns_fd;            /* namespace made for them ahead
                              (netns-prepare.h), not made again */
} criu_flags;

/* "soft", "full", "strict" (runc's names; "ignore" too) into
   *mode.  */
int criu_parse_cgroups_mode (const char *name, int *mode, berth_error **err);

/* A fresh criu_opts with the images dir (made 0700 when `create`), the
   work dir when given (made), log level 4 into `log` (in the work dir,
   else the images dir).  *image_fd and *work_fd must stay open until CRIU
   has run (both -1 on entry).  */
int criu_session_open (criu_opts **opts, const char *image_path, bool create,
                       const char *work_path, const char *log, int *image_fd,
                       int *work_fd, berth_error **err);

/* The options of `f`: the booleans, the cgroup mode, lazy pages, the
   status fd (checked to be open for writing), the page server.  */
int criu_session_flags (criu_opts *opts, const criu_flags *f,
                        berth_error **err);

/* An error for a failed CRIU call `what` (ret its return value): the
   first line of the log that says "Error", with the log's path.  */
int criu_fail (berth_error **err, const char *what, int ret,
               const char *log_dir, const char *log);

/* config.mounts that come from outside the container (bind mounts) as
   CRIU external mounts, keyed by their destination: at dump the value is
   the key, at restore the host path to bind (relative: to `bundle`).  */
int criu_add_config_mounts (criu_opts *opts, const oci_config *config,
                            const char *bundle, bool restore,
                            berth_error **err);

/* Namespaces config.json joins by path (net, pid) marked external at dump
   (by inode); at restore the same namespaces opened and inherited, ipc,
   uts and time joined.  The fds opened go into fds[] (-1 when none),
   kept open until CRIU has run.  */
#define CRIU_NS_FDS 2
int criu_add_config_namespaces (criu_opts *opts, const oci_config *config,
                                bool restore, int fds[CRIU_NS_FDS],
                                berth_error **err);

/* Closes the fds criu_add_config_namespaces opened.  */
void criu_close_ns_fds (int fds[CRIU_NS_FDS]);

/* The first line of a CRIU log containing "Error" (but those of probes
   CRIU logs and carries on after, as a missing tun module), without its
   timestamp, malloc'd, or NULL.  */
char *criu_log_first_error (const char *path);

#endif
