/* berth migrate --to: what the source and the target say to each other
 * over the ssh connection (the remote command's stdin and stdout).
 *
 * Lines of text, each a verb and its words; a file's bytes follow its
 * line.  Source to target: "file DIR/NAME SIZE" then SIZE bytes, "link
 * DIR/NAME TARGET" (a pre-dump's parent link), "restore final", then
 * "commit" once the target said "running".  Target to source: "ready",
 * "running", "committed", "error MESSAGE".  Image dirs are
 * "pre-N" and "final"; the receiving side accepts no other name, no
 * other link target than "../pre-N", so nothing lands outside its images
 * dir.  */
#ifndef BERTH_MIGRATE_WIRE_H
#define BERTH_MIGRATE_WIRE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/error.h"

#define MIGRATE_WIRE_LINE_MAX 4096

typedef struct migrate_wire
{
  int in;                       /* what the far side says */
  int out;                      /* what we say */
  unsigned long long sent;      /* bytes written on `out` */
  unsigned long long received;  /* bytes read from `in` */
} migrate_wire;

/* One line (without its \n).  */
int wire_send_line (migrate_wire *w, berth_error **err, const char *fmt, ...)
    __attribute__ ((format (printf, 3, 4)));

/* The next line into buf (its \n dropped).  The far side gone before a
   whole line: -1 with "the connection closed".  */
int wire_read_line (migrate_wire *w, char *buf, size_t size,
                    berth_error **err);

/* Every regular file and symlink of `dir` (an images dir) as DIR_NAME/...;
   *bytes: what their contents weighed.  */
int wire_send_dir (migrate_wire *w, const char *dir, const char *dir_name,
                   unsigned long long *bytes, berth_error **err);

/* The receiving side of "file" and "link" lines (`line` the whole line):
   into images_fd's subdir, made on first use.  */
int wire_receive_entry (migrate_wire *w, int images_fd, const char *line,
                        berth_error **err);

/* Removes an images dir made for a migration (remove_tree_at: no symlink
   followed, no mount crossed); a failure is a warning.  */
void wire_remove_images (const char *dir);

/* Pure (unit-tested): an image dir name the wire accepts ("pre-N", N
   1..64, or "final").  */
bool wire_dir_name_ok (const char *name);

/* Pure: a file name inside an image dir: no '/', not "." or "..", not
   empty, under 256 bytes.  */
bool wire_file_name_ok (const char *name);

#endif
