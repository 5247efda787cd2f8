/* berth: the text of /proc/<pid>/mountinfo.  */
#ifndef BERTH_MOUNTINFO_H
#define BERTH_MOUNTINFO_H

#include <stddef.h>

/* Decodes the n bytes at src, a path field of mountinfo, into dst: the
   kernel writes a space, tab, newline or backslash of a path as \ooo.
   dst may be src (the text only shrinks) and needs n + 1 bytes; it is
   NUL-terminated.  Returns its length.  A backslash not followed by
   three octal digits, the first at most 3, stays as written.  */
size_t mountinfo_unescape (char *dst, const char *src, size_t n);

#endif
