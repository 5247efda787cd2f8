/* Unit tests: what checkpoint/restore/migrate decide without CRIU:
 * descriptors.json, the error line quoted from a CRIU log, the cgroup
 * modes, when pre-copy stops.  */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/cleanup.h"
#include "libcontainer/criu/criu-common.h"
#include "libcontainer/criu/migrate.h"
#include "oci-spec/descriptors.h"

static void
descriptors_round_trip (void **state)
{
  char *in[3] = { "pipe:[1234]", "/dev/null", "socket:[9]" };
  cleanup_free char *json = NULL;
  cleanup_strv char **out = NULL;
  berth_error *err = NULL;
  size_t len;

  (void) state;
  json = oci_descriptors_to_json (in, 3, &len);
  assert_string_equal (json, "[\"pipe:[1234]\",\"/dev/null\",\"socket:[9]\"]");
  assert_int_equal (oci_descriptors_parse (json, len, &out, &err), 0);
  assert_string_equal (out[0], "pipe:[1234]");
  assert_string_equal (out[2], "socket:[9]");
  assert_null (out[3]);
}

static void
descriptors_refused (void **state)
{
  cleanup_strv char **out = NULL;
  berth_error *err = NULL;

  (void) state;
  assert_int_equal (oci_descriptors_parse ("{\"a\":1}", 7, &out, &err), -1);
  assert_non_null (strstr (err->msg, "descriptors.json"));
  berth_error_free (err);
  err = NULL;
  assert_int_equal (oci_descriptors_parse ("[1]", 3, &out, &err), -1);
  berth_error_free (err);
}

static void
log_first_error (void **state)
{
  char path[] = "/tmp/berth-test-criu-XXXXXX";
  int fd = mkstemp (path);
  const char *text
      = "(00.000100) Version: 3.17.1\n"
        "(00.010000) Warn  (criu/x.c:1): not this\n"
        "(08.103381) Error (criu/tun.c:85): tun: Unable to create tun: No "
        "such file or directory\n"
        "(00.020000) Error (criu/sk-inet.c:191): inet: Connected TCP socket, "
        "consider using --tcp-established option.\n"
        "(00.030000) Error (criu/cr-dump.c:1): second\n";
  cleanup_free char *line = NULL;

  (void) state;
  assert_true (fd >= 0);
  assert_int_equal (write (fd, text, strlen (text)), (int) strlen (text));
  close (fd);
  line = criu_log_first_error (path);
  unlink (path);
  assert_string_equal (line, "Error (criu/sk-inet.c:191): inet: Connected "
                             "TCP socket, consider using --tcp-established "
                             "option.");
  assert_null (criu_log_first_error ("/nonexistent/dump.log"));
}

static void
cgroups_modes (void **state)
{
  berth_error *err = NULL;
  int mode = -1;

  (void) state;
  assert_int_equal (criu_parse_cgroups_mode ("soft", &mode, &err), 0);
  assert_int_equal (mode, CRIU_CG_MODE_SOFT);
  assert_int_equal (criu_parse_cgroups_mode ("strict", &mode, &err), 0);
  assert_int_equal (mode, CRIU_CG_MODE_STRICT);
  assert_int_equal (criu_parse_cgroups_mode ("props", &mode, &err), -1);
  assert_non_null (strstr (err->msg, "--manage-cgroups-mode"));
  berth_error_free (err);
}

static void
precopy_rounds (void **state)
{
  unsigned long long shrinking[] = { 64 << 20, 8 << 20, 2 << 20 };
  unsigned long long small[] = { 64 << 20, 1 << 20, 100 << 10 };
  unsigned long long flat[] = { 64 << 20, 8 << 20, 7 << 20 };
  unsigned long long clean[] = { 64 << 20, 0 };

  (void) state;
  /* Always a first round, and a second to compare with.  */
  assert_true (migrate_more_rounds (shrinking, 0, 8));
  assert_true (migrate_more_rounds (shrinking, 1, 8));
  assert_true (migrate_more_rounds (shrinking, 2, 8));
  assert_true (migrate_more_rounds (shrinking, 3, 8));
  /* 1 MiB is 1.6% of the first round: on; 100 KiB is under 1%: done.  */
  assert_true (migrate_more_rounds (small, 2, 8));
  assert_false (migrate_more_rounds (small, 3, 8));
  /* 7 MiB after 8: not shrinking by a fifth any more.  */
  assert_false (migrate_more_rounds (flat, 3, 8));
  assert_true (migrate_more_rounds (flat, 2, 8));
  /* Nothing dirty: done.  */
  assert_false (migrate_more_rounds (clean, 2, 8));
  /* The round limit wins.  */
  assert_false (migrate_more_rounds (shrinking, 2, 2));
  assert_false (migrate_more_rounds (shrinking, 1, 1));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (descriptors_round_trip),
    cmocka_unit_test (descriptors_refused),
    cmocka_unit_test (log_first_error),
    cmocka_unit_test (cgroups_modes),
    cmocka_unit_test (precopy_rounds),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
