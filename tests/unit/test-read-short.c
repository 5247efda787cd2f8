/* Unit tests of base/utils.c read_file_at_short: a file read without the
 * read() that returns 0 must still be read whole.  A regular file of
 * several pages, one whose size is exactly what the first read asks for
 * (so the short read comes only at its end), and kernel seq_files of one
 * record, against the same files read to EOF.  */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/utils.h"

static void
regular_file_of (size_t size)
{
  char path[] = "/tmp/berth-read-short-XXXXXX";
  int fd = mkstemp (path);
  char *want = malloc (size), *got = NULL;
  size_t len = 0;
  berth_error *err = NULL;

  assert_true (fd >= 0);
  for (size_t i = 0; i < size; i++)
    want[i] = (char) ('a' + i % 26);
  assert_int_equal (write (fd, want, size), (ssize_t) size);
  close (fd);
  assert_int_equal (read_file_at_short (AT_FDCWD, path, READ_SHORT_REGULAR,
                                        &got, &len, &err),
                    0);
  unlink (path);
  assert_int_equal (len, size);
  assert_memory_equal (got, want, size);
  assert_int_equal (got[len], '\0');
  free (got);
  free (want);
}

static void
test_regular (void **state)
{
  (void) state;
  regular_file_of (0);
  regular_file_of (10);
  /* The first read asks for 4095: a file of exactly that many bytes is
     read whole by it, and only the next read, short, ends it.  */
  regular_file_of (4095);
  regular_file_of (4096);
  regular_file_of (3 * 4096 + 17);
}

static void
same_as_to_eof (const char *path)
{
  char *a = NULL, *b = NULL;
  size_t la = 0, lb = 0;
  berth_error *err = NULL;

  assert_int_equal (read_file_at (AT_FDCWD, path, &a, &la, &err), 0);
  assert_int_equal (read_file_at_short (AT_FDCWD, path, READ_SHORT_SEQ_FILE,
                                        &b, &lb, &err),
                    0);
  assert_int_equal (la, lb);
  assert_string_equal (a, b);
  free (a);
  free (b);
}

static void
test_seq_files (void **state)
{
  (void) state;
  same_as_to_eof ("/proc/self/cgroup");
  same_as_to_eof ("/proc/self/uid_map");
  same_as_to_eof ("/proc/self/limits");
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_regular),
    cmocka_unit_test (test_seq_files),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
