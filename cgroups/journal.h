/* berth: an update of a cgroup, all or nothing.  The writers record each
 * file's value before they change it (cg_set); when the kernel refuses a
 * later write, what was written is put back.  Internal to cgroups/.  */
#ifndef BERTH_CGROUP_JOURNAL_H
#define BERTH_CGROUP_JOURNAL_H

#include <stddef.h>

#include "base/error.h"
#include "cgroups/internal.h"

typedef struct cg_journal_entry
{
  char *dir;
  char *file;
  char *old;     /* what to write to put the file back */
} cg_journal_entry;

struct cg_journal
{
  cg_journal_entry *entries;
  size_t n;
  /* The write the kernel refused last: for the message.  */
  char *failed_file;
  char *failed_value;
  int failed_errno;
};

/* What to write to `file` to undo writing `value` over `current` (the
   file's contents before): the file's one value, or for the files keyed
   by device (io.max, blkio.throttle.*, rdma.max, ...) the old line of the
   key `value` starts with, or the key's "no limit" when it had none.
   NULL when the file cannot be put back (reported by the caller).  */
char *cg_journal_undo_value (const char *file, const char *value,
                             const char *current);

/* Reads dir/file and records it, unless this write's key was recorded
   already (the first old value is the one to return to).  */
int cg_journal_record (cg_journal *j, const char *dir, const char *file,
                       const char *value, berth_error **err);

/* Puts back every recorded value, last first; a write the kernel refuses
   is tried again once the others are back (limits that constrain each
   other).  *restored: the files put back, ", "-separated; *failed the
   ones that could not be, or NULL.  */
void cg_journal_rollback (cg_journal *j, char **restored, char **failed);

void cg_journal_release (cg_journal *j);

#endif
