/* berth: the user namespace's uid and gid maps, written by the parent.  */
#ifndef BERTH_ID_MAPS_H
#define BERTH_ID_MAPS_H

#include <sys/types.h>

#include "base/error.h"
#include "oci-spec/config.h"

/* Writes /proc/<pid>/uid_map and gid_map from linux.uidMappings and
   linux.gidMappings.  As root, directly.  Without root, a map of only
   one's own id (size 1) is written directly too (gid: after "deny" in
   setgroups, as the kernel requires); any other map goes through the
   setuid helpers newuidmap/newgidmap, with exactly the config's ranges,
   which they check against /etc/subuid and /etc/subgid.  */
int id_maps_write (pid_t pid, const oci_linux *linux_, berth_error **err);

/* true when a map needs newuidmap/newgidmap for the caller `id`: anything
   but one range of size 1 mapping `id` itself.  Pure; unit-tested.  */
bool id_map_needs_helper (const oci_id_mapping *m, size_t n, uint32_t id);

#endif
