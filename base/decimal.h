/* berth: decimal numbers in and out of text, without scanf and printf.
 *
 * A start reads and writes a few dozen small numbers: the ids in
 * /proc/thread-self/status, uid_map, the state's pid and creation time,
 * /proc/self/fd/N paths.  scanf's and printf's engines cost a start
 * their code's pages, and in an emulated guest far more: QEMU's TCG
 * translates the code of each new process again (ASLR moves it), so
 * there every large library function a start calls is paid for once
 * per start.  vfscanf was the largest libc function of a `run` in the
 * cgroup v2 guest (perf record), strftime and strtod next.  */
#ifndef BERTH_DECIMAL_H
#define BERTH_DECIMAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Digits of UINT64_MAX.  */
#define DECIMAL_U64_DIGITS 20

/* Skips blanks (spaces and tabs) at *p, then reads decimal digits into
   *out and moves *p past them.  False, with *p unchanged, when no digit
   comes first or the value does not fit in 64 bits.  */
bool decimal_scan (const char **p, uint64_t *out);

/* v in decimal at buf, NUL-terminated (DECIMAL_U64_DIGITS + 1 bytes at
   most); returns the number of digits.  */
size_t decimal_format (char *buf, uint64_t v);

/* The same for a signed value (DECIMAL_U64_DIGITS + 2 bytes at most).  */
size_t decimal_format_signed (char *buf, int64_t v);

/* v in exactly `width` digits, zeros in front (the fields of a time), no
   NUL; returns buf + width.  */
char *decimal_format_fixed (char *buf, uint64_t v, unsigned width);

#endif
