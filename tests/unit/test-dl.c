/* Unit tests of the libraries loaded on first use (base/dl.c): all of a
 * table or none of it, errors that name the package, and the real
 * tables (sd-bus, libcriu, libmnl, libseccomp) resolving every function they list.  */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/dl.h"
#include "cgroups/sd-bus-api.h"
#include "libcontainer/criu/criu-api.h"
#include "libcontainer/network/mnl-api.h"
#include "libcontainer/process/cap-api.h"
#include "libcontainer/process/caps.h"
#include "libcontainer/process/scmp-api.h"

#define N_ELEMS(a) (sizeof (a) / sizeof ((a)[0]))

static void
test_missing_library (void **state)
{
  static const char *const names[] = { "f" };
  void *slots[1] = { (void *) 1 };
  int loaded = 0;
  berth_error *err = NULL;

  (void) state;
  assert_int_equal (dl_load ("libberth-none.so.9", "berth-none-pkg", names,
                             slots, 1, &loaded, &err), -1);
  assert_non_null (strstr (err->msg, "libberth-none.so.9"));
  assert_non_null (strstr (err->msg,
                           "apt-get install berth-none-pkg"));
  assert_int_equal (loaded, 0);
  berth_error_free (err);
}

static void
test_missing_symbol_leaves_no_slot (void **state)
{
  /* The first resolves, the second does not: neither is kept.  */
  static const char *const names[] = { "yajl_alloc", "yajl_no_such_fn" };
  void *slots[2] = { NULL, NULL };
  int loaded = 0;
  berth_error *err = NULL;

  (void) state;
  assert_int_equal (dl_load ("libyajl.so.2", "libyajl2", names, slots, 2,
                             &loaded, &err), -1);
  assert_non_null (strstr (err->msg, "yajl_no_such_fn"));
  assert_null (slots[0]);
  assert_null (slots[1]);
  assert_int_equal (loaded, 0);
  berth_error_free (err);
}

static void
test_loaded_once (void **state)
{
  static const char *const names[] = { "yajl_alloc" };
  void *slots[1] = { NULL };
  int loaded = 0;
  berth_error *err = NULL;

  (void) state;
  assert_int_equal (dl_load ("libyajl.so.2", "libyajl2", names, slots, 1,
                             &loaded, &err), 0);
  assert_non_null (slots[0]);
  assert_int_equal (loaded, 1);
  /* A second call does not touch the slots.  */
  slots[0] = NULL;
  assert_int_equal (dl_load ("libyajl.so.2", "libyajl2", names, slots, 1,
                             &loaded, &err), 0);
  assert_null (slots[0]);
}

/* Every function the driver's list names exists in Debian's library.  */
static void
test_sd_bus_table_complete (void **state)
{
  berth_error *err = NULL;
  void *const *p = (void *const *) &cg_sd_bus_api;

  (void) state;
  assert_int_equal (cg_sd_bus_api_load (&err), 0);
  for (size_t i = 0; i < sizeof cg_sd_bus_api / sizeof (void *); i++)
    assert_non_null (p[i]);
}

static void
test_criu_table_complete (void **state)
{
  berth_error *err = NULL;
  void *const *p = (void *const *) &criu_api;

  (void) state;
  assert_int_equal (criu_api_load (&err), 0);
  for (size_t i = 0; i < sizeof criu_api / sizeof (void *); i++)
    assert_non_null (p[i]);
}

static void
test_mnl_table_complete (void **state)
{
  berth_error *err = NULL;
  void *const *p = (void *const *) &mnl_api;

  (void) state;
  assert_int_equal (mnl_api_load (&err), 0);
  for (size_t i = 0; i < sizeof mnl_api / sizeof (void *); i++)
    assert_non_null (p[i]);
}

static void
test_scmp_table_complete (void **state)
{
  berth_error *err = NULL;
  void *const *p = (void *const *) &scmp_api;

  (void) state;
  assert_int_equal (scmp_api_load (&err), 0);
  for (size_t i = 0; i < sizeof scmp_api / sizeof (void *); i++)
    assert_non_null (p[i]);
  assert_int_equal (scmp_api_require (&err), 0);
}

/* Before the load (the init or exec's child of a parent that did not
   load it): every entry point fails or falls back, none calls through
   the empty table.  */
static void
test_cap_unloaded_fails_cleanly (void **state)
{
  berth_error *err = NULL;
  oci_capabilities oc = { 0 };
  char *names[] = { "CAP_CHOWN" };
  caps_sets in = { 0 }, out;
  cap_value_t v;
  char buf[32];

  (void) state;
  assert_false (cap_api_loaded ());
  assert_int_equal (cap_api_require (&err), -1);
  assert_non_null (strstr (err->msg, "libcap was not loaded"));
  berth_error_free (err);
  err = NULL;
  assert_int_equal (caps_from_name ("CAP_CHOWN", &v), -1);
  assert_string_equal (caps_name (CAP_CHOWN, buf), "CAP_0");
  assert_false (caps_have_effective (CAP_CHOWN));
  oc.bounding = names;
  oc.n_bounding = 1;
  assert_int_equal (caps_parse (&oc, &in, &err), -1);
  berth_error_free (err);
  err = NULL;
  in.bounding = CAPS_BIT (CAP_CHOWN);
  assert_int_equal (caps_resolve (&in, ~UINT64_C (0), NULL, &out, &err), -1);
  berth_error_free (err);
  err = NULL;
  assert_int_equal (caps_set_process (0, 0, 0, &err), -1);
  berth_error_free (err);
}

static void
test_cap_table_complete (void **state)
{
  berth_error *err = NULL;
  void *const *p = (void *const *) &cap_api;
  cap_value_t v;

  (void) state;
  assert_int_equal (cap_api_load (&err), 0);
  for (size_t i = 0; i < sizeof cap_api / sizeof (void *); i++)
    assert_non_null (p[i]);
  assert_int_equal (cap_api_require (&err), 0);
  assert_int_equal (caps_from_name ("CAP_NET_ADMIN", &v), 0);
  assert_int_equal (v, CAP_NET_ADMIN);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_missing_library),
    cmocka_unit_test (test_missing_symbol_leaves_no_slot),
    cmocka_unit_test (test_loaded_once),
    cmocka_unit_test (test_sd_bus_table_complete),
    cmocka_unit_test (test_criu_table_complete),
    cmocka_unit_test (test_mnl_table_complete),
    cmocka_unit_test (test_scmp_table_complete),
    /* In this order: the first needs libcap not yet loaded.  */
    cmocka_unit_test (test_cap_unloaded_fails_cleanly),
    cmocka_unit_test (test_cap_table_complete),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
