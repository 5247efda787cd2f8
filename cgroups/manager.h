/* berth: the cgroup managers behind one interface.
 *
 * A manager owns one container's cgroup: on cgroup v2 one directory of the
 * unified hierarchy; on v1/hybrid one directory per mounted controller
 * hierarchy (plus the v2 one of a hybrid host, for what lives there).
 * libcontainer only ever talks to this interface.
 *
 * Life of a manager:
 *   create:  cgroup_manager_new() → ->create() → ->apply() → clone (v2:
 *            CLONE_INTO_CGROUP with ->clone_fd(); else ->enter(pid) right
 *            after clone, before the init runs anything) → state.json
 *            keeps m->mode and m->state.  Without a new user namespace
 *            instead: ->create_for_clone() → clone (into the cgroup on
 *            v2) → ->create() and ->apply() while the child sets up its
 *            namespaces → on v1 the child moves itself in with what
 *            ->self_join() opens (join.h).
 *   later:   cgroup_manager_load (mode, state) → apply (update), stats,
 *            freeze, kill_all, pids, destroy.
 * A failed create calls ->destroy(): nothing is left.  */
#ifndef BERTH_CGROUP_MANAGER_H
#define BERTH_CGROUP_MANAGER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "base/error.h"
#include "cgroups/join.h"
#include "oci-spec/config.h"
#include "oci-spec/events.h"

typedef enum cgroup_mode
{
  CGROUP_MODE_UNIFIED = 0, /* /sys/fs/cgroup is cgroup2 */
  CGROUP_MODE_HYBRID,      /* v1 controllers + a cgroup2 mount at
                              /sys/fs/cgroup/unified */
  CGROUP_MODE_LEGACY,      /* v1 only */
} cgroup_mode;

/* Detected once per process (statfs of /sys/fs/cgroup and
   /sys/fs/cgroup/unified).  */
cgroup_mode cgroup_detect_mode (void);

/* The stats struct is oci-spec's: `berth events` writes it as runc's JSON.  */
#define CG_STATS_MAX_DEVICES OCI_STATS_MAX_DEVICES
typedef oci_io_stats cgroup_io_stats;
typedef oci_stats cgroup_stats;
#define CG_STATS_MAX_RAW OCI_STATS_MAX_RAW
#define CG_STATS_MAX_CPUS OCI_STATS_MAX_CPUS
#define CG_STATS_CPUSET_FLAGS OCI_STATS_CPUSET_FLAGS

typedef struct cgroup_manager cgroup_manager;

typedef struct cgroup_ops
{
  /* Makes the cgroup directories (and, on v2, enables the controllers the
     resources need in every ancestor's cgroup.subtree_control, up from the
     first ancestor berth may write to).  An existing directory is an error
     unless it is empty of processes (runc joins such a cgroup).  */
  int (*create) (cgroup_manager *m, berth_error **err);

  /* The part of ->create a child must be cloned into, for a caller that
     makes the rest and applies linux.resources while the child starts
     (NULL where it does not apply: systemd, none).  v1: a hybrid host's
     cgroup2 directory is made here and its fd (O_PATH, for
     CLONE_INTO_CGROUP) returned in *clone_fd; -1 on a host without one.
     ->create and ->self_join then leave it out: the child waits for
     ->create, and moves itself into the v1 hierarchies with what
     ->self_join opens in it (join.h).  v2: the cgroup itself, checked as
     ->create checks it, whose fd the child is cloned into; ->create then
     does nothing, and the child waits for ->apply.  */
  int (*create_for_clone) (cgroup_manager *m, int *clone_fd,
                           berth_error **err);
  /* Undoes ->create_for_clone when ->create failed or never ran (a failed
     ->create removes what it made itself), once the child is gone.  */
  void (*remove_for_clone) (cgroup_manager *m);

  /* v2: an O_PATH|O_DIRECTORY fd of the cgroup for clone3's
     CLONE_INTO_CGROUP; -1 (no error) where it does not apply (v1).
     The kernel refuses CLONE_INTO_CGROUP together with CLONE_NEWUSER
     (EPERM): with a new user namespace, clone without it and ->enter().  */
  int (*clone_fd) (cgroup_manager *m, berth_error **err);

  /* Moves `pid` into the cgroup (every hierarchy on v1).  */
  int (*enter) (cgroup_manager *m, pid_t pid, berth_error **err);

  /* v1 (NULL where it does not apply): fills `j` for a child that moves
     itself in (cgroup_join_self), which spares the kernel's grace period
     of ->enter (join.h).  The child must be cloned with j->clone_fd when
     it is not -1, so not together with a new user namespace.  */
  int (*self_join) (cgroup_manager *m, cgroup_join *j, berth_error **err);

  /* Writes linux.resources (create and update alike).  Unsupported
     resources are errors naming the field, not silently skipped.  */
  int (*apply) (cgroup_manager *m, const oci_resources *r,
                berth_error **err);

  int (*stats) (cgroup_manager *m, cgroup_stats *out, berth_error **err);

  /* An fd (O_CLOEXEC, nonblocking) that polls readable when the OOM
     killer strikes in the cgroup; -1 (no error) without a memory
     controller.  *counts true (v1): an eventfd the kernel signals before
     each OOM kill, read as a uint64_t count of them; false (v2): an
     inotify watch on memory.events, which changes for other reasons too:
     drain it and compare ->stats' counter.  */
  int (*oom_fd) (cgroup_manager *m, bool *counts, berth_error **err);

  /* Freezes (pause) or thaws (resume) every process; returns once the
     kernel reports the new state.  */
  int (*freeze) (cgroup_manager *m, bool frozen, berth_error **err);

  /* true when the cgroup is frozen (status "paused").  */
  bool (*is_frozen) (cgroup_manager *m);

  /* Signals every process (v2 SIGKILL: cgroup.kill).  */
  int (*kill_all) (cgroup_manager *m, int signum, berth_error **err);

  /* The pids in the cgroup (recursively), malloc'd.  */
  int (*pids) (cgroup_manager *m, pid_t **pids, size_t *n,
               berth_error **err);

  /* Kills what is left, then removes the directories berth created.
     Idempotent: a missing directory is success.  */
  int (*destroy) (cgroup_manager *m, berth_error **err);

  void (*free) (cgroup_manager *m);
} cgroup_ops;

struct cgroup_manager
{
  const cgroup_ops *ops;
  cgroup_mode mode;
  /* What state.json keeps to find the cgroup again: on v2 the path from
     the hierarchy root ("/user.slice/abc"); on v1 one "controller:path"
     per hierarchy joined by ';' (relative cgroupsPath resolve under berth's
     own cgroup of each controller, which differ).  Opaque to callers.  */
  char *state;
};

/* --rootless (runc's global flag): the rootless cgroup handling is the
   one of cgroup_none below: a cgroup only where berth may make it (a
   delegated subtree), else none, and then limits are refused.  AUTO:
   when berth is not root, or is root inside a user namespace.  */
typedef enum cgroup_rootless_mode
{
  CGROUP_ROOTLESS_AUTO = 0,
  CGROUP_ROOTLESS_ON,
  CGROUP_ROOTLESS_OFF,
} cgroup_rootless_mode;

/* Set once, before any manager is made (main).  */
void cgroup_rootless_set (cgroup_rootless_mode mode);
bool cgroup_rootless (void);
/* Why the handling is rootless, for messages ("--rootless true", "berth
   runs without root", ...); NULL when it is not.  */
const char *cgroup_rootless_reason (void);

/* A manager for a new container: resolves linux.cgroupsPath as runc does
   (absolute: from the hierarchy root; relative: under berth's own cgroup
   (v1: per controller; v2: under the parent of berth's own cgroup, which
   has no processes); absent: relative "<id>").  */
cgroup_manager *cgroup_manager_new (const char *cgroups_path, const char *id,
                                    berth_error **err);

/* --systemd-cgroup: a manager whose cgroup is a transient systemd unit
   (cgroups/systemd.c), from runc's "slice:prefix:name" cgroupsPath (empty:
   ":berth:<id>", a scope in system.slice).  An error when systemd is not
   the host's init.  */
cgroup_manager *cgroup_manager_new_systemd (const char *cgroups_path,
                                            const char *id,
                                            berth_error **err);

/* The manager of an existing container, from m->state as state.json
   kept it (either driver's).  */
cgroup_manager *cgroup_manager_load (cgroup_mode mode, const char *state,
                                     berth_error **err);

/* An update, all or nothing: `r` is judged whole (validate.h) before the
   first write; when the kernel refuses a write, the files already written
   get their old values back and the error says which file refused what
   and what was restored.  */
int cgroup_manager_update (cgroup_manager *m, const oci_resources *r,
                           berth_error **err);

void cgroup_manager_free (cgroup_manager *m);

/* No cgroup (none.c): what the rootless handling uses when berth can
   neither create nor join one.  Limits are refused (devices ignored, as runc);
   pause and stats are errors; ps and kill --all go by the init's pid
   namespace.  cgroup_manager_new() picks it by itself.  */
cgroup_manager *cgroup_none_new (cgroup_mode mode);
cgroup_manager *cgroup_none_load (cgroup_mode mode, const char *state,
                                  berth_error **err);
bool cgroup_state_is_none (const char *state);
/* The error the container gets for linux.resources without a cgroup, or
   0 when it asks for no limit.  */
int cgroup_none_check_resources (const oci_resources *r, berth_error **err);

#endif
