/* Unit tests of oci-spec/state.c: runc's `state` and `list` JSON shapes,
 * berth's private fields, and parsing them back.  */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/utils.h"
#include "oci-spec/state.h"

static oci_kv annotations[] = { { (char *) "org.example.a", (char *) "1" },
                                { (char *) "b", (char *) "two \"quoted\"" } };

static oci_state sample = {
  .oci_version = (char *) "1.3.0",
  .id = (char *) "c1",
  .status = OCI_STATUS_RUNNING,
  .pid = 1234,
  .bundle = (char *) "/srv/bundle",
  .rootfs = (char *) "/srv/bundle/rootfs",
  .created = (char *) "2024-01-02T03:04:05.123456789Z",
  .owner = (char *) "",
  .pid_start_time = UINT64_MAX,
  .overlay = true,
  .pid_ns_new = false,
};

static void
test_public_compact (void **state)
{
  oci_state s = sample;
  size_t len;
  char *json = oci_state_to_json (&s, false, false, &len);

  assert_string_equal (json,
                       "{\"ociVersion\":\"1.3.0\",\"id\":\"c1\",\"pid\":1234,"
                       "\"status\":\"running\",\"bundle\":\"/srv/bundle\","
                       "\"rootfs\":\"/srv/bundle/rootfs\",\"created\":"
                       "\"2024-01-02T03:04:05.123456789Z\",\"owner\":\"\"}");
  assert_int_equal (len, strlen (json));
  free (json);

  /* Stopped: pid is still printed, as 0.  */
  s.pid = 0;
  s.status = OCI_STATUS_STOPPED;
  json = oci_state_to_json (&s, false, false, NULL);
  assert_non_null (strstr (json, "\"pid\":0,\"status\":\"stopped\""));
  free (json);
}

static void
test_public_pretty (void **state)
{
  oci_state s = sample;
  size_t len;
  char *json;

  s.annotations = annotations;
  s.n_annotations = 2;
  json = oci_state_to_json (&s, false, true, &len);
  assert_string_equal (json, "{\n"
                             "  \"ociVersion\": \"1.3.0\",\n"
                             "  \"id\": \"c1\",\n"
                             "  \"pid\": 1234,\n"
                             "  \"status\": \"running\",\n"
                             "  \"bundle\": \"/srv/bundle\",\n"
                             "  \"rootfs\": \"/srv/bundle/rootfs\",\n"
                             "  \"created\": "
                             "\"2024-01-02T03:04:05.123456789Z\",\n"
                             "  \"annotations\": {\n"
                             "    \"org.example.a\": \"1\",\n"
                             "    \"b\": \"two \\\"quoted\\\"\"\n"
                             "  },\n"
                             "  \"owner\": \"\"\n"
                             "}");
  assert_int_equal (len, strlen (json));
  free (json);
}

static void
test_internal_round_trip (void **state)
{
  oci_state s = sample;
  berth_error *err = NULL;
  oci_state *back;
  size_t len;
  char *json;

  s.annotations = annotations;
  s.n_annotations = 2;
  json = oci_state_to_json (&s, true, false, &len);
  assert_non_null (strstr (json, ",\"berth\":{\"pidStartTime\":"
                                 "18446744073709551615,\"overlay\":true,"
                                 "\"pidNsNew\":false}}"));
  back = oci_state_parse (json, len, "state.json", &err);
  if (back == NULL)
    fail_msg ("%s", err->msg);
  assert_string_equal (back->oci_version, "1.3.0");
  assert_string_equal (back->id, "c1");
  assert_int_equal (back->status, OCI_STATUS_RUNNING);
  assert_int_equal (back->pid, 1234);
  assert_string_equal (back->bundle, "/srv/bundle");
  assert_string_equal (back->rootfs, "/srv/bundle/rootfs");
  assert_string_equal (back->created, "2024-01-02T03:04:05.123456789Z");
  assert_string_equal (back->owner, "");
  assert_int_equal (back->n_annotations, 2);
  assert_string_equal (back->annotations[1].key, "b");
  assert_string_equal (back->annotations[1].value, "two \"quoted\"");
  assert_true (back->pid_start_time == UINT64_MAX);
  assert_true (back->overlay);
  assert_false (back->pid_ns_new);
  free (json);

  /* Serializing what was parsed gives the same text.  */
  json = oci_state_to_json (back, true, true, &len);
  {
    oci_state *again = oci_state_parse (json, len, "state.json", &err);
    char *a = oci_state_to_json (back, true, false, NULL);
    char *b = oci_state_to_json (again, true, false, NULL);
    assert_string_equal (a, b);
    free (a);
    free (b);
    oci_state_free (again);
  }
  free (json);
  oci_state_free (back);
}

static void
test_parse_public (void **state)
{
  /* runc's own output, without berth's object, parses with defaults.  */
  static const char runc_state[]
      = "{\n  \"ociVersion\": \"1.0.2-dev\",\n  \"id\": \"x\",\n  \"pid\": 0,"
        "\n  \"status\": \"stopped\",\n  \"bundle\": \"/b\",\n  \"rootfs\": "
        "\"/b/rootfs\",\n  \"created\": \"2023-01-01T00:00:00Z\",\n  "
        "\"owner\": \"\",\n  \"future\": [1]\n}";
  berth_error *err = NULL;
  oci_state *s = oci_state_parse (runc_state, strlen (runc_state),
                                  "state.json", &err);
  if (s == NULL)
    fail_msg ("%s", err->msg);
  assert_int_equal (s->pid, 0);
  assert_int_equal (s->status, OCI_STATUS_STOPPED);
  assert_int_equal (s->n_annotations, 0);
  assert_true (s->pid_start_time == 0);
  assert_false (s->overlay);
  assert_false (s->pid_ns_new);
  oci_state_free (s);
  oci_state_free (NULL);
}

static void
expect_state_error (const char *json, const char *msg)
{
  berth_error *err = NULL;
  oci_state *s = oci_state_parse (json, strlen (json), "state.json", &err);
  if (s != NULL)
    fail_msg ("parsed: %s", json);
  assert_string_equal (err->msg, msg);
  berth_error_free (err);
}

#define BASE "{\"ociVersion\": \"1.3.0\", \"status\": \"created\", "

static void
test_parse_errors (void **state)
{
  expect_state_error ("", "state.json: invalid JSON: parse error: premature "
                          "EOF (line 1, column 1)");
  expect_state_error ("[]", "state.json: expected a JSON object");
  expect_state_error (BASE "\"bundle\": \"/b\"}",
                      "state.json: id: missing (required)");
  expect_state_error (BASE "\"id\": \"x\"}",
                      "state.json: bundle: missing (required)");
  expect_state_error (BASE "\"id\": \"x\", \"bundle\": \"/b\", \"pid\": -1}",
                      "state.json: pid: expected a non-negative integer");
  expect_state_error (BASE "\"id\": \"x\", \"bundle\": \"/b\", \"pid\": "
                           "\"1\"}",
                      "state.json: pid: expected a signed 32-bit integer");
  expect_state_error (BASE "\"id\": \"x\", \"bundle\": \"/b\", \"berth\": "
                           "{\"pidStartTime\": -5}}",
                      "state.json: berth.pidStartTime: expected an unsigned "
                      "64-bit integer");
  expect_state_error (BASE "\"id\": \"x\", \"bundle\": \"/b\", \"berth\": "
                           "[]}",
                      "state.json: berth: expected an object");
  expect_state_error (BASE "\"id\": \"x\", \"bundle\": \"/b\", "
                           "\"annotations\": {\"a\": 1}}",
                      "state.json: annotations[\"a\"]: expected a string");
  expect_state_error ("{\"ociVersion\": \"1.3.0\", \"status\": \"frozen\", "
                      "\"id\": \"x\", \"bundle\": \"/b\"}",
                      "state.json: status: unknown status \"frozen\"");
  /* status is read in place from the tree, not copied.  */
  expect_state_error ("{\"ociVersion\": \"1.3.0\", \"status\": 3, "
                      "\"id\": \"x\", \"bundle\": \"/b\"}",
                      "state.json: status: expected a string");
  expect_state_error ("{\"ociVersion\": \"1.3.0\", \"id\": \"x\", "
                      "\"bundle\": \"/b\"}",
                      "state.json: status: missing (required)");
  expect_state_error (BASE "\"id\": \"x\", \"bundle\": \"/b\", \"berth\": "
                           "{\"net\": {\"devices\": [{\"hostName\": \"a\", "
                           "\"name\": \"b\"}, {\"hostName\": 1}]}}}",
                      "state.json: berth.net.devices[1].hostName: expected a "
                      "string");
}

/* Every status reads back as the enum it was written from.  */
static void
test_status_round_trip (void **state)
{
  for (int st = OCI_STATUS_CREATING; st <= OCI_STATUS_STOPPED; st++)
    {
      oci_state s = sample;
      berth_error *err = NULL;
      char *json;
      oci_state *back;

      s.status = (oci_status) st;
      json = oci_state_to_json (&s, true, false, NULL);
      back = oci_state_parse (json, strlen (json), "state.json", &err);
      assert_non_null (back);
      assert_int_equal (back->status, st);
      free (json);
      oci_state_free (back);
    }
  assert_string_equal (oci_status_name (OCI_STATUS_PAUSED), "paused");
}

static void
test_list (void **state)
{
  oci_state a = sample, b = sample;
  oci_state *list[] = { &a, &b };
  size_t len;
  char *json = oci_state_list_to_json (NULL, 0, &len);

  assert_string_equal (json, "null");
  assert_int_equal (len, 4);
  free (json);

  b.id = (char *) "c2";
  b.pid = 0;
  b.status = OCI_STATUS_STOPPED;
  b.annotations = annotations;
  b.n_annotations = 1;
  json = oci_state_list_to_json (list, 2, &len);
  assert_string_equal (
      json,
      "[{\"ociVersion\":\"1.3.0\",\"id\":\"c1\",\"pid\":1234,\"status\":"
      "\"running\",\"bundle\":\"/srv/bundle\",\"rootfs\":"
      "\"/srv/bundle/rootfs\",\"created\":"
      "\"2024-01-02T03:04:05.123456789Z\",\"owner\":\"\"},"
      "{\"ociVersion\":\"1.3.0\",\"id\":\"c2\",\"pid\":0,\"status\":"
      "\"stopped\",\"bundle\":\"/srv/bundle\",\"rootfs\":"
      "\"/srv/bundle/rootfs\",\"created\":"
      "\"2024-01-02T03:04:05.123456789Z\",\"annotations\":"
      "{\"org.example.a\":\"1\"},\"owner\":\"\"}]");
  assert_int_equal (len, strlen (json));
  assert_null (strstr (json, "berth"));
  free (json);
}

static void
test_missing_strings (void **state)
{
  /* NULL strings print as "" rather than crash or produce null.  */
  oci_state s = { 0 };
  char *json = oci_state_to_json (&s, false, false, NULL);
  assert_string_equal (json, "{\"ociVersion\":\"\",\"id\":\"\",\"pid\":0,"
                             "\"status\":\"creating\",\"bundle\":\"\",\"rootfs\":"
                             "\"\",\"created\":\"\",\"owner\":\"\"}");
  free (json);
}

int
main (int argc, char **argv)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_public_compact),
    cmocka_unit_test (test_public_pretty),
    cmocka_unit_test (test_internal_round_trip),
    cmocka_unit_test (test_parse_public),
    cmocka_unit_test (test_parse_errors),
    cmocka_unit_test (test_status_round_trip),
    cmocka_unit_test (test_list),
    cmocka_unit_test (test_missing_strings),
  };
  if (argc > 1)
    cmocka_set_test_filter (argv[1]);
  return cmocka_run_group_tests (tests, NULL, NULL);
}
