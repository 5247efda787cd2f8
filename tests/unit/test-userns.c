/* Unit tests of base/userns.c: the initial user namespace's uid_map
 * (user_namespaces(7)) against any other.  */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "base/userns.h"

static void
test_initial_namespace (void **state)
{
  (void) state;
  assert_false (uid_map_is_user_namespace ("         0          0 4294967295\n"));
  assert_false (uid_map_is_user_namespace ("0 0 4294967295"));
}

static void
test_other_namespaces (void **state)
{
  (void) state;
  /* unshare --map-root-user by uid 1000; a podman-style map; the root's
     own map that is not the whole range.  */
  assert_true (uid_map_is_user_namespace ("         0       1000          1\n"));
  assert_true (uid_map_is_user_namespace ("0 1000 1\n1 100000 65536\n"));
  assert_true (uid_map_is_user_namespace ("0 0 65536\n"));
  /* Not written yet.  */
  assert_true (uid_map_is_user_namespace (""));
}

static void
test_unreadable_text (void **state)
{
  (void) state;
  assert_false (uid_map_is_user_namespace ("garbage"));
  /* Short or out of range, as sscanf's "%llu %llu %llu" refused them.  */
  assert_false (uid_map_is_user_namespace ("0 0\n"));
  assert_false (uid_map_is_user_namespace ("0 0 -1\n"));
  assert_false (uid_map_is_user_namespace ("0 0 99999999999999999999\n"));
  /* Tabs are blanks too.  */
  assert_false (uid_map_is_user_namespace ("0\t0\t4294967295\n"));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_initial_namespace),
    cmocka_unit_test (test_other_namespaces),
    cmocka_unit_test (test_unreadable_text),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
