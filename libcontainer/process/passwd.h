/* berth: the lookup in the container's /etc/passwd (HOME for a process
 * without one), bounded: the file comes from the image, and a huge one
 * must not cost the runtime seconds of CPU (runc 1.6 bounds its lookup
 * for the same reason, CVE-2026-135844).  */
#ifndef BERTH_PASSWD_H
#define BERTH_PASSWD_H

#include <stddef.h>
#include <sys/types.h>

#include "base/error.h"

/* How much of the file is read before giving up: far beyond any real
   /etc/passwd (100000 users are ~10 MiB), far below what costs time.  */
#define PASSWD_MAX_BYTES ((size_t) 16 << 20)
/* The longest line: a longer one is no passwd entry.  */
#define PASSWD_MAX_LINE ((size_t) 64 << 10)

/* Reads passwd(5) lines from `fd` until the entry of `uid`: *home is its
   home directory (malloc'd; NULL when the entry has none, or there is no
   entry).  Stops with an error naming `name` and the limit after
   `max_bytes` without the entry, or at a line longer than
   PASSWD_MAX_LINE.  Pure apart from read(2).  */
int passwd_find_home (int fd, const char *name, uid_t uid, size_t max_bytes,
                      char **home, berth_error **err);

#endif
