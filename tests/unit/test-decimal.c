/* Unit tests of base/decimal.c: numbers read and written without scanf
 * and printf, checked against what those give.  */
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/decimal.h"
#include "oci-spec/json-gen.h"

static void
test_scan (void **state)
{
  const char *p = "  \t42\t7 x";
  uint64_t v;

  (void) state;
  assert_true (decimal_scan (&p, &v));
  assert_int_equal (v, 42);
  assert_true (decimal_scan (&p, &v));
  assert_int_equal (v, 7);
  assert_string_equal (p, " x");
  /* No digit first: false, *p unchanged.  */
  assert_false (decimal_scan (&p, &v));
  assert_string_equal (p, " x");
  p = "-1";
  assert_false (decimal_scan (&p, &v));
  p = "";
  assert_false (decimal_scan (&p, &v));
  p = "18446744073709551615";
  assert_true (decimal_scan (&p, &v));
  assert_true (v == UINT64_MAX);
  p = "18446744073709551616";
  assert_false (decimal_scan (&p, &v));
  assert_string_equal (p, "18446744073709551616");
  /* A newline is not a blank: a line's fields, not the next line's.  */
  p = "\n5";
  assert_false (decimal_scan (&p, &v));
}

static void
check_format (uint64_t v)
{
  char mine[DECIMAL_U64_DIGITS + 1], theirs[32];
  size_t n = decimal_format (mine, v);

  snprintf (theirs, sizeof theirs, "%" PRIu64, v);
  assert_string_equal (mine, theirs);
  assert_int_equal (n, strlen (theirs));
}

static void
check_signed (int64_t v)
{
  char mine[DECIMAL_U64_DIGITS + 2], theirs[32];
  size_t n = decimal_format_signed (mine, v);

  snprintf (theirs, sizeof theirs, "%" PRId64, v);
  assert_string_equal (mine, theirs);
  assert_int_equal (n, strlen (theirs));
}

static void
test_format (void **state)
{
  (void) state;
  check_format (0);
  check_format (9);
  check_format (10);
  check_format (4294967295u);
  check_format (UINT64_MAX);
  check_signed (0);
  check_signed (-1);
  check_signed (12345);
  check_signed (INT64_MAX);
  check_signed (INT64_MIN);
}

static void
test_fixed (void **state)
{
  char buf[16];
  char *end;

  (void) state;
  memset (buf, 'x', sizeof buf);
  end = decimal_format_fixed (buf, 7, 2);
  assert_ptr_equal (end, buf + 2);
  assert_memory_equal (buf, "07x", 3);
  end = decimal_format_fixed (buf, 123456789, 9);
  assert_memory_equal (buf, "123456789", 9);
  end = decimal_format_fixed (buf, 5, 9);
  assert_memory_equal (buf, "000000005", 9);
}

/* json_gen_int writes what yajl_gen_integer wrote (its "%lld").  */
static void
test_json_int (void **state)
{
  const long long values[] = { 0, -1, 1, 2147483648LL, INT64_MAX, INT64_MIN };

  (void) state;
  for (size_t i = 0; i < sizeof values / sizeof values[0]; i++)
    {
      yajl_gen a = json_gen_new (NULL), b = json_gen_new (NULL);
      char *x, *y;

      json_gen_int (a, values[i]);
      yajl_gen_integer (b, values[i]);
      x = json_gen_finish (a, NULL);
      y = json_gen_finish (b, NULL);
      assert_string_equal (x, y);
      free (x);
      free (y);
    }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_scan),
    cmocka_unit_test (test_format),
    cmocka_unit_test (test_fixed),
    cmocka_unit_test (test_json_int),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
