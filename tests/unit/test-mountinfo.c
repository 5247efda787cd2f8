/* Unit tests of base/mountinfo.c: mountinfo's \ooo escapes decoded.  */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/mountinfo.h"

static void
check (const char *in, const char *want)
{
  char out[128];

  assert_int_equal (mountinfo_unescape (out, in, strlen (in)), strlen (want));
  assert_string_equal (out, want);
}

static void
test_escapes (void **state)
{
  (void) state;
  check ("/plain/path", "/plain/path");
  /* What the kernel writes: space, tab, newline, backslash.  */
  check ("/a\\040b\\011c\\012d\\134e", "/a b\tc\nd\\e");
  /* Not an escape: left as written.  */
  check ("/x\\04", "/x\\04");
  check ("/x\\400", "/x\\400");
  check ("/x\\08a", "/x\\08a");
  check ("\\", "\\");
  check ("", "");
}

static void
test_in_place (void **state)
{
  char s[] = "/mnt/with\\040space";

  (void) state;
  assert_int_equal (mountinfo_unescape (s, s, strlen (s)),
                    strlen ("/mnt/with space"));
  assert_string_equal (s, "/mnt/with space");
}

/* Only the n bytes given: a field of a longer line.  */
static void
test_span (void **state)
{
  const char *line = "/a\\040b rest";
  char out[32];

  (void) state;
  mountinfo_unescape (out, line, 7);
  assert_string_equal (out, "/a b");
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_escapes),
    cmocka_unit_test (test_in_place),
    cmocka_unit_test (test_span),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
