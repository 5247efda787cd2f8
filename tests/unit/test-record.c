/* Unit tests of oci-spec/record.c: the lifecycle record in and out of
 * JSON, and that a damaged record is refused whole.  */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/error.h"
#include "base/utils.h"
#include "oci-spec/record.h"

static void
test_round_trip (void **state)
{
  oci_net_state net = { .veth = (char *) "bth0", .name = (char *) "eth0",
                        .peer_netns = (char *) "/run/netns/x" };
  oci_record r = { .id = (char *) "c1", .cgroup_mode = 1,
                   .cgroup_state = (char *) "pids:/c1;memory:/c1",
                   .systemd_unit = (char *) "berth-c1.scope", .pid = 4242,
                   .pid_start_time = UINT64_MAX, .net = &net };
  berth_error *err = NULL;
  size_t len;
  char *json = oci_record_to_json (&r, &len);
  oci_record *back = oci_record_parse (json, len, NULL, &err);

  assert_non_null (back);
  assert_string_equal (back->id, "c1");
  assert_int_equal (back->cgroup_mode, 1);
  assert_string_equal (back->cgroup_state, "pids:/c1;memory:/c1");
  assert_string_equal (back->systemd_unit, "berth-c1.scope");
  assert_int_equal (back->pid, 4242);
  assert_true (back->pid_start_time == UINT64_MAX);
  assert_non_null (back->net);
  assert_string_equal (back->net->veth, "bth0");
  assert_string_equal (back->net->peer_netns, "/run/netns/x");
  oci_record_free (back);
  free (json);
}

/* Before anything was made: only the id.  */
static void
test_nothing_made (void **state)
{
  oci_record r = { .id = (char *) "c2" };
  berth_error *err = NULL;
  size_t len;
  char *json = oci_record_to_json (&r, &len);
  oci_record *back;

  assert_string_equal (json, "{\"version\":1,\"id\":\"c2\"}");
  back = oci_record_parse (json, len, NULL, &err);
  assert_non_null (back);
  assert_null (back->cgroup_state);
  assert_null (back->systemd_unit);
  assert_int_equal (back->pid, 0);
  assert_null (back->net);
  oci_record_free (back);
  free (json);
}

static void
refused (const char *json, const char *want)
{
  berth_error *err = NULL;
  oci_record *r = oci_record_parse (json, strlen (json), NULL, &err);

  assert_null (r);
  assert_non_null (err);
  if (strstr (err->msg, want) == NULL)
    fail_msg ("\"%s\": message \"%s\" lacks \"%s\"", json, err->msg, want);
  assert_non_null (strstr (err->msg, "record.json"));
  berth_error_free (err);
}

static void
test_damaged (void **state)
{
  refused ("", "");
  refused ("\x01\x02garbage", "");
  refused ("{\"version\":1,\"id\":\"c1\",\"cgro", "");
  refused ("{}", "version: missing");
  refused ("[]", "expected a JSON object");
  refused ("{\"version\":2,\"id\":\"c1\"}", "not a version");
  refused ("{\"version\":1}", "id: missing");
  refused ("{\"version\":1,\"id\":\"c\",\"pid\":-4}", "pid");
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_round_trip),
    cmocka_unit_test (test_nothing_made),
    cmocka_unit_test (test_damaged),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
