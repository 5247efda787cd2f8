/* berth: the lifecycle record (<root>/<id>/record.json) in and out of
 * JSON.
 *
 * create writes it before it makes anything on the host (the cgroup, the
 * init, the veth) and rewrites it as each of them comes to exist, so that
 * `delete --force` finds everything even when create was killed half way
 * or state.json is unreadable.  Only what an undo needs is in it.  */
#ifndef BERTH_OCI_RECORD_H
#define BERTH_OCI_RECORD_H

#include <stdint.h>

#include "base/error.h"
#include "oci-spec/state.h"

typedef struct oci_record
{
  char *id;
  /* The cgroup, as the manager names it (cgroups/manager.h m->state;
     with --systemd-cgroup that names the transient unit, which the
     manager's destroy stops); NULL: none.  Recorded before the first
     directory or unit is made.  */
  int32_t cgroup_mode;
  char *cgroup_state;
  /* The init in berth's pid namespace, with its start time (field 22 of
     /proc/<pid>/stat) so a reused pid is never signalled; 0: not yet.  */
  int32_t pid;
  uint64_t pid_start_time;
  /* The veth pair and the devices moved in; NULL: nothing made.  */
  oci_net_state *net;
  /* Without a mount namespace of its own the container's mounts are made
     on the host, at or below these directories (the rootfs, the state
     dir); the mount ids that were there before are not the container's.
     Recorded before the init is cloned.  */
  char **host_mount_dirs; /* one block (oci-spec/strv.h) */
  size_t n_host_mount_dirs;
  uint32_t *host_mounts_before;
  size_t n_host_mounts_before;
} oci_record;

/* Compact JSON, no trailing newline; malloc'd; *len gets its length.  */
char *oci_record_to_json (const oci_record *r, size_t *len);

/* NULL with *err set ("record.json: ...") on anything but a complete,
   well-formed record: an empty, cut or garbled file is an error, never a
   half-filled record.  */
oci_record *oci_record_parse (const char *json, size_t len, const char *name,
                              berth_error **err);

void oci_record_free (oci_record *r);

#endif
