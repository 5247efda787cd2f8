/* berth: the cgroup hierarchies of a process, from its mountinfo and its
 * /proc/<pid>/cgroup text.  Pure (no syscalls), unit-tested in
 * tests/unit/test-cgroups.c; cgroups/detect.c reads the files.  */
#ifndef BERTH_CGROUP_HIERARCHIES_H
#define BERTH_CGROUP_HIERARCHIES_H

#include <stdbool.h>
#include <stddef.h>

#include "base/error.h"

/* A cgroup hierarchy berth may use: where it is mounted and where berth
   itself sits in it.

   A list of them is one allocation, the entries followed by their
   strings (and a zeroed entry): cg_hierarchies_free frees it whole.  Read
   the fields; never free or replace one (cg_hierarchies_set_own_paths
   makes a new list instead).  */
typedef struct cg_hierarchy
{
  char *controllers;  /* as /proc/self/cgroup names it; "" for cgroup2 */
  char *mountpoint;
  char *mount_root;   /* field 4 of mountinfo: "/" unless a subtree */
  char *own_path;     /* berth's own cgroup in it */
} cg_hierarchy;

/* Frees a list of cg_hierarchies_parse or cg_hierarchies_copy (NULL
   too); `n` is its length, kept for the callers' symmetry.  */
void cg_hierarchies_free (cg_hierarchy *h, size_t n);

/* A list of its own with the same entries.  */
cg_hierarchy *cg_hierarchies_copy (const cg_hierarchy *h, size_t n);

/* Matches /proc/self/cgroup against /proc/self/mountinfo: one entry per
   mounted v1 hierarchy holding a controller or name=systemd (a mount
   matches when its super options hold every controller of the line; of
   several, the first showing the whole hierarchy, root "/", else the
   first), in the order of /proc/self/cgroup, and, when `want_unified`,
   the cgroup2 mount as the last entry.  Errors: a line of
   /proc/self/cgroup without its two colons; with `want_unified`, no
   cgroup2 line or mount.  */
int cg_hierarchies_parse (const char *mountinfo, const char *proc_cgroup,
                          bool want_unified, cg_hierarchy **out, size_t *n,
                          berth_error **err);

/* Gives each hierarchy of *h its own_path from /proc/<pid>/cgroup text
   (the first line naming the same controllers): the hierarchies of one
   process's mountinfo, the cgroups of another in the same mount
   namespace.  *h is replaced by a new list; on an error (a hierarchy
   without a line, a malformed line) it is left as it was.  */
int cg_hierarchies_set_own_paths (cg_hierarchy **h, size_t n,
                                  const char *proc_cgroup, berth_error **err);

/* Berth's own path in the cgroup2 hierarchy (the first "0::" line).  */
int cg_proc_cgroup_v2_path (const char *proc_cgroup, char **out,
                            berth_error **err);

#endif
