/* Unit tests of base/utils.c xasprintf: formats of text and %s only are
 * joined by berth itself (no vfprintf), and must give what vasprintf
 * gives; any other conversion still goes to vasprintf.  */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/utils.h"

/* xasprintf and glibc's vasprintf of the same arguments.  */
static void __attribute__ ((format (printf, 1, 2)))
same (const char *fmt, ...)
{
  va_list ap, ap2;
  char *want = NULL, *got;

  va_start (ap, fmt);
  va_copy (ap2, ap);
  assert_true (vasprintf (&want, fmt, ap) >= 0);
  got = xvasprintf (fmt, ap2);
  va_end (ap2);
  va_end (ap);
  assert_string_equal (got, want);
  free (got);
  free (want);
}

static void
test_strings (void **state)
{
  (void) state;
  same ("%s%s", "/sys/fs/cgroup/memory", "/berth/x");
  same ("%s/%s", "/run/berth", "id");
  same (".%s.tmp", "state.json");
  same ("%s", "");
  same ("no conversion");
  same ("100%% %s%%", "done");
  same ("%s:%s:%s", "a", "", "c");
}

static void
test_null_string (void **state)
{
  const char *volatile null = NULL;
  char *got;

  (void) state;
  /* What glibc prints for a NULL %s (the compiler would warn on a
     literal NULL).  */
  got = xasprintf ("[%s]", null);
  assert_string_equal (got, "[(null)]");
  free (got);
}

/* Widths, precisions and numbers take vasprintf.  */
static void
test_other_conversions (void **state)
{
  (void) state;
  same ("%d/%s", 42, "x");
  same ("%-8s|", "ab");
  same ("%.3s", "abcdef");
  same ("%c %s:%s %s", 'c', "1", "3", "rwm");
  same ("%" PRId64, (int64_t) -7);
  same ("%s %lu", "a", 18446744073709551615UL);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_strings),
    cmocka_unit_test (test_null_string),
    cmocka_unit_test (test_other_conversions),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
