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
  /* The cgroup, as the manager names it (cgroups/manager.h m->state);
     NULL: none.  Recorded before the first directory is made.  */
  int32_t cgroup_mode;
  char *cgroup_state;
  /* The systemd unit (a transient scope) that holds the cgroup, when the
     systemd driver made one; NULL: none.  */
  char *systemd_unit;
  /* The init in berth's pid namespace, with its start time (field 22 of
     /proc/<pid>/stat) so a reused pid is never signalled; 0: not yet.  */
  int32_t pid;
  uint64_t pid_start_time;
  /* The veth pair and the devices moved in; NULL: nothing made.  */
  oci_net_state *net;
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
