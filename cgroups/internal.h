/* berth: what the cgroup managers share inside cgroups/ (never included
 * from outside the directory).  */
#ifndef BERTH_CGROUP_INTERNAL_H
#define BERTH_CGROUP_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "cgroups/convert.h"
#include "cgroups/manager.h"

/* How long berth waits for the kernel to freeze, thaw or empty a cgroup
   before it reports an error.  */
#define CG_WAIT_MS 10000

typedef struct cg_journal cg_journal;

/* The container's directory in one hierarchy.  */
typedef struct cg_dir
{
  cg_journal *journal;  /* during an update: where writes are recorded */
  char *controllers;  /* "cpu,cpuacct", "name=systemd"; "" for cgroup2 */
  char *path;         /* from the hierarchy root: "/a/b" */
  char *mountpoint;   /* "/sys/fs/cgroup/cpu" */
  char *dir;          /* the directory: mountpoint + path */
  bool unified;       /* the cgroup2 hierarchy */
} cg_dir;

/* v2: dirs[0] is the cgroup.  v1/hybrid: one per hierarchy, the cgroup2
   one (hybrid) last.  */
typedef struct cg_manager
{
  cgroup_manager base;
  cg_dir *dirs;
  size_t n_dirs;
  /* Why controllers could not be enabled at create (v2), for the error
     of a later apply that needs one; NULL when all went well.  */
  char *enable_failure;
  /* ->create_for_clone ran.  v1: the freezer checked, the hybrid host's
     cgroup2 directory made or found: ->create and ->self_join leave that
     directory out.  v2: the cgroup made and checked: ->create has
     nothing left to do.  */
  bool unified_made;
  bool unified_fresh; /* made by it, not found */
} cg_manager;

extern const cgroup_ops cg_v2_ops;
extern const cgroup_ops cg_v1_ops;

/* ---- managers of cgroup files (fs-manager.c) ---------------------------- */

/* A new container's (cgroup_manager_new: the rootless handling too, which
   may give cgroup_none_new's), and one loaded from its state.  */
cgroup_manager *cg_fs_manager_new (const char *cgroups_path, const char *id,
                                   berth_error **err);
cgroup_manager *cg_fs_manager_load (cgroup_mode mode, const char *state,
                                    berth_error **err);
/* The v1 and v2 ops' ->free.  */
void cg_manager_release (cgroup_manager *m);
/* Validates r, applies it with a journal on m's directories, and puts the
   files back when the kernel refuses one (cgroup_manager_update).  */
int cg_update_journaled (cgroup_manager *m, const oci_resources *r,
                         berth_error **err);

/* v1: the directory of the hierarchy holding `controller`; NULL when no
   hierarchy has it.  */
const cg_dir *cg_v1_dir (const cg_manager *m, const char *controller);
/* hybrid: the cgroup2 directory; NULL on legacy.  */
const cg_dir *cg_unified_dir (const cg_manager *m);

/* ---- files (fs.c) ------------------------------------------------------- */

/* open (O_CLOEXEC added), mkdir (0755), rmdir and exists of a cgroup
   path: resolved from the fd of /sys/fs/cgroup (cg_root_at in detect.h),
   not walked through sysfs again.  */
int cg_open (const char *path, int flags);
int cg_mkdir (const char *path);
int cg_rmdir (const char *path);
bool cg_path_exists (const char *path);

/* dir/file; errors read "write /sys/fs/cgroup/x/memory.max \"1\": ..."  */
int cg_write (const char *dir, const char *file, const char *value,
              berth_error **err);
int cg_writef (const char *dir, const char *file, berth_error **err,
               const char *fmt, ...) __attribute__ ((format (printf, 4, 5)));
/* cg_write through *fd, which the first call opens (*fd -1) and the
   caller closes: for files that take one value per write, many times
   (devices.allow), one open instead of one per value.  */
int cg_write_fd (int *fd, const char *dir, const char *file,
                 const char *value, berth_error **err);
/* The writers' way to a file of the container's cgroup: cg_write, and
   during an update (d->journal set) the file's value is read first so
   the update can be undone (journal.c).  */
int cg_set (const cg_dir *d, const char *file, const char *value,
            berth_error **err);
/* cg_set through cg_write_fd.  */
int cg_set_fd (const cg_dir *d, int *fd, const char *file,
               const char *value, berth_error **err);
int cg_setf (const cg_dir *d, const char *file, berth_error **err,
             const char *fmt, ...) __attribute__ ((format (printf, 4, 5)));

/* Reads dir/file; with errno set (ENOENT for a missing file).  */
int cg_read (const char *dir, const char *file, char **out,
             berth_error **err);
/* A number or "max" (UINT64_MAX).  */
int cg_read_u64 (const char *dir, const char *file, uint64_t *out,
                 berth_error **err);
bool cg_exists (const char *dir, const char *file);

/* mkdir -p of mountpoint + path with mode 0755; *created: the last
   component was made now.  */
int cg_mkdir_p (const char *dir, bool *created, berth_error **err);
/* v1.c: mkdir -p of d->dir one level at a time; each cpuset level with no
   cpus or mems gets its parent's (a task cannot join an empty cpuset).  */
int cg_v1_mkdir (const cg_dir *d, bool *created, berth_error **err);

/* Every pid of dir/cgroup.procs and of its child cgroups, appended.  */
int cg_procs_recursive (const char *dir, pid_t **pids, size_t *n,
                        berth_error **err);

/* Whether dir/cgroup.procs (not the children) is empty.  */
int cg_procs_empty (const char *dir, bool *empty, berth_error **err);

/* Removes the cgroup dir and the cgroups below it, deepest first; a
   missing directory is success.  Retries EBUSY (v1 tasks that are still
   exiting) for up to CG_WAIT_MS.  */
int cg_rmdir_tree (const char *dir, berth_error **err);
/* rmdir of each of the manager's directories, once, no waiting: true when
   all are gone (removed now, or absent).  The kernel refuses a cgroup
   that still has a task or a child cgroup (EBUSY); the callers then take
   the full path (kill, wait, recursive removal).  */
bool cg_rmdir_all_empty (const cg_manager *m);

/* Signals every pid of the cgroup tree; ESRCH is not an error.  */
int cg_signal_procs (const char *dir, int signum, berth_error **err);

/* Waits until the flat keyed notification file dir/file (cgroup.events)
   has `key` == want, with poll(POLLPRI) on it: the kernel signals every
   change of the file.  */
/* An inotify fd (O_CLOEXEC, nonblocking) that is readable when the
   cgroup file changes.  */
int cg_watch_file (const cg_dir *d, const char *file, berth_error **err);

int cg_wait_event (const char *dir, const char *file, const char *key,
                   uint64_t want, int timeout_ms, berth_error **err);

/* Milliseconds of CLOCK_MONOTONIC.  */
int64_t cg_now_ms (void);

/* ---- v2 pieces the hybrid manager uses too (v2.c, v2-apply.c) ---------- */

/* Enables `wanted` (NULL: every available controller) in the
   cgroup.subtree_control of every ancestor of the cgroup directory, from
   the mount's root down to its parent, writing only where one is missing.
   Failures do not stop the walk: they are described in *failure (malloc'd,
   appended to) for the error of the apply that needs the controller.  */
void cg_v2_enable (const cg_dir *d, const char *const *wanted,
                   char **failure);

/* The error for a controller missing from dir/cgroup.controllers, naming
   the field that needs it; 0 when it is there.  */
int cg_v2_require (const cg_dir *d, const char *controller,
                   const char *field, const char *failure,
                   berth_error **err);

int cg_v2_kill (const cg_dir *d, int signum, berth_error **err);

/* Writes linux.resources.rdma to d/rdma.max (same format on v1 and v2).  */
int cg_write_rdma (const cg_dir *d, const oci_resources *r,
                   berth_error **err);
int cg_v2_wait_empty (const cg_dir *d, berth_error **err);

/* The cgroup2 directory ->create_for_clone made or found for a child to be
   cloned into (v2: the cgroup; hybrid: its cgroup2 directory), m's
   unified_fresh saying which: its O_PATH fd for CLONE_INTO_CGROUP, the
   directory removed again when that open fails.  */
int cg_v2_clone_dir_open (cg_manager *m, const cg_dir *d, int *clone_fd,
                          berth_error **err);
/* ->remove_for_clone: once the child is gone, the directory goes when
   ->create_for_clone made it.  */
void cg_v2_clone_dir_remove (const cg_manager *m, const cg_dir *d);
int cg_v2_hugetlb (const cg_dir *d, const oci_resources *r,
                   const char *failure, berth_error **err);
int cg_v2_unified (const cg_dir *d, const oci_resources *r,
                   const char *failure, berth_error **err);
int cg_v2_devices (const cg_dir *d, const oci_resources *r,
                   berth_error **err);

/* ---- apply ------------------------------------------------------------ */

int cg_v2_apply (cgroup_manager *m, const oci_resources *r,
                 berth_error **err);
int cg_v1_apply (cgroup_manager *m, const oci_resources *r,
                 berth_error **err);

#endif
