/* Unit tests of base/utils.c utc_time: the UTC date berth writes into
 * state.json ("created"), against glibc's gmtime_r, which it replaces to
 * keep /etc/localtime unread at every start.  */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include <cmocka.h>

#include "base/utils.h"

static void
same_as_gmtime (long long t)
{
  time_t tt = (time_t) t;
  struct tm want, got;

  gmtime_r (&tt, &want);
  utc_time (tt, &got);
  assert_int_equal (got.tm_year, want.tm_year);
  assert_int_equal (got.tm_mon, want.tm_mon);
  assert_int_equal (got.tm_mday, want.tm_mday);
  assert_int_equal (got.tm_hour, want.tm_hour);
  assert_int_equal (got.tm_min, want.tm_min);
  assert_int_equal (got.tm_sec, want.tm_sec);
  assert_int_equal (got.tm_wday, want.tm_wday);
}

/* The epoch, day and leap-day edges, before 1970, far ahead.  */
static void
test_edges (void **state)
{
  static const long long t[] = {
    0, 1, 86399, 86400, -1, -86400, -86401, 951782400 /* 2000-02-29 */,
    951868800, 4107542400LL /* 2100-03-01 */, 1709164800 /* 2024-02-29 */,
    253402300799LL /* 9999-12-31T23:59:59 */, -2208988800LL /* 1900 */,
  };

  (void) state;
  for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
    same_as_gmtime (t[i]);
}

/* Every day boundary of 1999-2101 and a spread of times in between.  */
static void
test_sweep (void **state)
{
  (void) state;
  for (long long t = 915148800LL; t < 4133980800LL; t += 86400 - 1)
    same_as_gmtime (t);
  for (long long t = -2000000000LL; t < 8000000000LL; t += 999983)
    same_as_gmtime (t);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_edges),
    cmocka_unit_test (test_sweep),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
