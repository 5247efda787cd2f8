/* berth: the container state (runtime.md "State"), in and out of JSON.
 *
 * The same struct is what berth keeps in <root>/<id>/state.json (with the
 * private fields) and what `berth state` prints (runc's public fields).  */
#ifndef BERTH_OCI_STATE_H
#define BERTH_OCI_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "oci-spec/config.h"

/* What create did to the network (libcontainer/network/net-setup.c), so delete
   can undo it and update can change the rates.  */
typedef struct oci_net_device_state
{
  char *host_name; /* its name in berth's network namespace */
  char *name;      /* its name in the container (a %d template resolved) */
  bool up;         /* it was up before it moved */
} oci_net_device_state;

typedef struct oci_net_state
{
  oci_net_device_state *devices; /* linux.netDevices, moved in */
  size_t n_devices;
  bool return_devices;           /* move them back on delete */
  uint64_t devices_netns_dev;    /* the namespace they came from */
  uint64_t devices_netns_ino;
  char *veth;                    /* the outside end; NULL: no veth pair */
  char *name;                    /* the end in the container */
  char *peer_netns;              /* namespace of the outside end (a path);
                                    NULL: berth's */
  uint64_t peer_netns_dev;
  uint64_t peer_netns_ino;
  uint64_t egress_rate;          /* bytes per second; 0: no limit */
  uint64_t ingress_rate;
} oci_net_state;

void oci_net_state_free (oci_net_state *net);

/* runtime.md "State" status values, and runc's "paused" (engines read it
   from `state` and `list`).  Compared as this enum everywhere; the string
   exists only in JSON.  */
typedef enum oci_status
{
  OCI_STATUS_CREATING,
  OCI_STATUS_CREATED,
  OCI_STATUS_RUNNING,
  OCI_STATUS_PAUSED,
  OCI_STATUS_STOPPED,
} oci_status;

/* "creating", "created", ... */
const char *oci_status_name (oci_status status);

typedef struct oci_state
{
  char *oci_version;
  char *id;
  oci_status status;
  int pid;             /* 0 when there is no process */
  char *bundle;        /* absolute */
  oci_kv *annotations;
  size_t n_annotations;

  /* runc prints these too; engines read "created" and "rootfs".  */
  char *rootfs;        /* absolute path of the rootfs berth used */
  char *created;       /* RFC 3339 with nanoseconds, UTC */
  char *owner;         /* "" for root, as runc */

  /* berth's own, kept only in state.json ("berth" object).  */
  uint64_t pid_start_time; /* /proc/<pid>/stat field 22: detects pid reuse */
  bool overlay;            /* rootfs is an overlay with upper/work in the
                              state dir */
  bool pid_ns_new;         /* the container has its own pid namespace */
  int32_t cgroup_mode;     /* cgroup_mode of cgroups/manager.h */
  char *cgroup_state;      /* the manager's state string; NULL: none */
  oci_net_state *net;      /* NULL: berth made nothing in the network */
} oci_state;

/* Serializes the state.  With `internal` the berth-private fields are
   included (a "berth" object, for state.json); without, exactly runc's
   `state` output: ociVersion, id, pid, status, bundle, rootfs, created,
   annotations (only when there are some), owner.  `pretty` indents with
   two spaces as runc does for `berth state`.  No trailing newline.
   Returns malloc'd JSON; *len (when not NULL) gets its length.  */
char *oci_state_to_json (const oci_state *state, bool internal, bool pretty,
                         size_t *len);

oci_state *oci_state_parse (const char *json, size_t len, const char *name,
                            berth_error **err);

void oci_state_free (oci_state *state);

/* config-linux.md "The Container Process State": what a seccomp listener
   receives with the notify fd: {"ociVersion","fds":["seccompFd"],"pid",
   "metadata" (when not NULL),"state"} with `state` as `berth state`
   prints it.  Compact, malloc'd.  */
char *oci_seccomp_process_state_to_json (int pid, const char *metadata,
                                         const oci_state *state,
                                         size_t *len);

/* `berth list --format json`: an array of runc's list entries, compact;
   `null` when n is 0, as runc prints it.  */
char *oci_state_list_to_json (oci_state *const *states, size_t n,
                              size_t *len);

/* `berth spec`: the default config.json, as runc spec writes it (tab
   indented, no trailing newline).  `rootless`: the variant of
   `runc spec --rootless`, whose user namespace maps container root to
   `uid`/`gid` (the caller's getuid()/getgid(): oci-spec makes no
   syscalls).  `cgroupns`: a cgroup namespace too, which runc's spec
   adds only on a cgroup v2 host (the caller knows the host).  Malloc'd
   JSON.  */
char *oci_default_spec_json (bool rootless, bool cgroupns, uint32_t uid,
                             uint32_t gid, size_t *len);

#endif
