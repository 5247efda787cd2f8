/* Unit tests of parse_cpu_list (process.execCPUAffinity): the kernel's
 * list format into a mask sized for its highest CPU, past the 1024 of a
 * cpu_set_t, and the errors the validation pass reports.  */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/utils.h"

static cpu_set_t *
parse_ok (const char *list, size_t *size)
{
  berth_error *err = NULL;
  cpu_set_t *set = NULL;
  if (parse_cpu_list (list, &set, size, &err) < 0)
    fail_msg ("\"%s\": %s", list, err->msg);
  assert_non_null (set);
  return set;
}

static void
test_small (void **state)
{
  size_t size;
  cpu_set_t *set = parse_ok ("0-3,7,9-10", &size);
  (void) state;

  assert_int_equal (size, CPU_ALLOC_SIZE (11));
  assert_int_equal (CPU_COUNT_S (size, set), 7);
  for (int c = 0; c < 11; c++)
    assert_int_equal (CPU_ISSET_S (c, size, set) != 0,
                      c <= 3 || c == 7 || c == 9 || c == 10);
  CPU_FREE (set);
}

static void
test_past_1024 (void **state)
{
  size_t size;
  cpu_set_t *set;
  (void) state;

  /* One CPU past a cpu_set_t: the mask grows to hold it.  */
  set = parse_ok ("1024", &size);
  assert_true (size >= CPU_ALLOC_SIZE (1025));
  assert_true (size > sizeof (cpu_set_t));
  assert_true (CPU_ISSET_S (1024, size, set));
  assert_int_equal (CPU_COUNT_S (size, set), 1);
  CPU_FREE (set);

  set = parse_ok ("0,2047-2050,8191", &size);
  assert_int_equal (size, CPU_ALLOC_SIZE (8192));
  assert_int_equal (CPU_COUNT_S (size, set), 6);
  assert_true (CPU_ISSET_S (0, size, set));
  assert_false (CPU_ISSET_S (1, size, set));
  assert_true (CPU_ISSET_S (2049, size, set));
  assert_true (CPU_ISSET_S (8191, size, set));
  CPU_FREE (set);

  /* The largest berth takes.  */
  set = parse_ok ("65535", &size);
  assert_true (CPU_ISSET_S (65535, size, set));
  CPU_FREE (set);
}

static void
test_errors (void **state)
{
  static const struct
  {
    const char *list, *needle;
  } bad[] = {
    { "", "empty CPU list" },
    { "65536", "CPU 65536 out of range" },
    { "0-18446744073709551615", "CPU 18446744073709551615 out of range" },
    { "0-99999999999999999999999", "invalid CPU list" },
    { "3-1", "invalid CPU list" },
    { "-1", "invalid CPU list" },
    { "1-", "invalid CPU list" },
    { "1,x", "invalid CPU list" },
    { "1;2", "invalid CPU list" },
  };
  (void) state;

  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    {
      berth_error *err = NULL;
      cpu_set_t *set = (cpu_set_t *) 1;
      size_t size = 1;
      assert_int_equal (parse_cpu_list (bad[i].list, &set, &size, &err), -1);
      assert_null (set);
      if (strstr (err->msg, bad[i].needle) == NULL)
        fail_msg ("\"%s\": \"%s\" lacks \"%s\"", bad[i].list, err->msg,
                  bad[i].needle);
      berth_error_free (err);
    }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_small),
    cmocka_unit_test (test_past_1024),
    cmocka_unit_test (test_errors),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
