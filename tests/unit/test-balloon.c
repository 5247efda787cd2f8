/* Unit tests of `berth balloon`'s pure parts: the PSI and memory.stat
 * formats, sizes and percentages (cgroups/balloon-parse.c), the inflate
 * and --auto decisions (libcontainer/lifecycle/balloon-policy.c) and the
 * --format json line (oci-spec/balloon-step.c).  */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cgroups/balloon.h"
#include "libcontainer/lifecycle/balloon-policy.h"
#include "oci-spec/balloon-step.h"

#define MIB BALLOON_MIB

/* errp, not *errp: the call in the first argument sets it, and arguments
   are evaluated in no set order.  */
static void
expect_error (int ret, berth_error **errp, const char *needle)
{
  berth_error *err = *errp;

  *errp = NULL;
  assert_int_equal (ret, -1);
  assert_non_null (err);
  if (strstr (err->msg, needle) == NULL)
    fail_msg ("\"%s\" lacks \"%s\"", err->msg, needle);
  berth_error_free (err);
}

static void
test_pressure (void **state)
{
  cg_pressure p;
  berth_error *err = NULL;

  assert_int_equal (cg_pressure_parse ("some avg10=12.34 avg60=0.50 "
                                       "avg300=0.00 total=123456\n"
                                       "full avg10=1.00 avg60=0.00 "
                                       "avg300=0.00 total=99\n",
                                       &p, &err),
                    0);
  assert_true (p.some.avg10 > 12.33 && p.some.avg10 < 12.35);
  assert_true (p.some.avg60 > 0.49 && p.some.avg60 < 0.51);
  assert_int_equal (p.some.total, 123456);
  assert_int_equal (p.full.total, 99);
  /* No "full" line: zeros.  */
  assert_int_equal (cg_pressure_parse ("some avg10=0.00 avg60=0.00 "
                                       "avg300=0.00 total=7\n",
                                       &p, &err),
                    0);
  assert_int_equal (p.some.total, 7);
  assert_int_equal (p.full.total, 0);
  expect_error (cg_pressure_parse ("full avg10=0.00 avg60=0.00 avg300=0.00 "
                                   "total=7\n",
                                   &p, &err),
                &err, "no \"some\" line");
  expect_error (cg_pressure_parse ("some avg10=x avg60=0.00 avg300=0.00 "
                                   "total=7\n",
                                   &p, &err),
                &err, "malformed line");
  expect_error (cg_pressure_parse ("some avg10=0.00 avg60=0.00 total=7\n",
                                   &p, &err),
                &err, "malformed line");
  expect_error (cg_pressure_parse ("", &p, &err), &err, "no \"some\"");
}

static void
test_memory_stat (void **state)
{
  cg_memory_stat s;
  berth_error *err = NULL;

  assert_int_equal (cg_memory_stat_parse ("anon 4096\nfile 8192\n"
                                          "kernel 1\nshmem 12\n"
                                          "file_mapped 5\nactive_file 3\n"
                                          "inactive_file 4\n"
                                          "slab_reclaimable 6",
                                          &s, &err),
                    0);
  assert_int_equal (s.anon, 4096);
  assert_int_equal (s.file, 8192);
  assert_int_equal (s.shmem, 12);
  assert_int_equal (s.active_file, 3);
  assert_int_equal (s.inactive_file, 4);
  assert_int_equal (s.slab_reclaimable, 6);
  /* "file_mapped" is not "file".  */
  assert_int_equal (cg_memory_stat_parse ("file_mapped 5\n", &s, &err), 0);
  assert_int_equal (s.file, 0);
  expect_error (cg_memory_stat_parse ("anon -1\n", &s, &err), &err,
                "malformed line \"anon -1\"");
  expect_error (cg_memory_stat_parse ("file 12x\n", &s, &err), &err,
                "malformed");
}

static void
test_sizes (void **state)
{
  uint64_t v;
  double d;
  berth_error *err = NULL;

  assert_int_equal (cg_size_parse ("64m", false, &v, &err), 0);
  assert_int_equal (v, 64 * MIB);
  assert_int_equal (cg_size_parse ("64MiB", false, &v, &err), 0);
  assert_int_equal (v, 64 * MIB);
  assert_int_equal (cg_size_parse ("1G", false, &v, &err), 0);
  assert_int_equal (v, 1024 * MIB);
  assert_int_equal (cg_size_parse ("512kb", false, &v, &err), 0);
  assert_int_equal (v, 512 * 1024);
  assert_int_equal (cg_size_parse ("4096", false, &v, &err), 0);
  assert_int_equal (v, 4096);
  assert_int_equal (cg_size_parse ("max", true, &v, &err), 0);
  assert_true (v == CG_BALLOON_MAX);
  expect_error (cg_size_parse ("max", false, &v, &err), &err, "a size");
  expect_error (cg_size_parse ("-1", false, &v, &err), &err, "a size");
  expect_error (cg_size_parse ("64q", false, &v, &err), &err, "a size");
  expect_error (cg_size_parse ("", false, &v, &err), &err, "a size");
  expect_error (cg_size_parse ("99999999999t", false, &v, &err), &err,
                "too large");
  assert_int_equal (cg_percent_parse ("10", &d, &err), 0);
  assert_true (d == 10.0);
  assert_int_equal (cg_percent_parse ("0.1%", &d, &err), 0);
  assert_true (d > 0.099 && d < 0.101);
  expect_error (cg_percent_parse ("101", &d, &err), &err, "percentage");
  expect_error (cg_percent_parse ("5%%", &d, &err), &err, "percentage");
  expect_error (cg_percent_parse ("x", &d, &err), &err, "percentage");
}

static void
test_pressure_pct (void **state)
{
  /* 50 ms stalled in 1 s: 5%.  */
  double p = balloon_pressure_pct (1000, 51000, 1000000);
  assert_true (p > 4.99 && p < 5.01);
  assert_true (balloon_pressure_pct (5, 5, 1000) == 0.0);
  assert_true (balloon_pressure_pct (5, 9, 0) == 0.0);
  /* A counter that went back (a new cgroup): nothing.  */
  assert_true (balloon_pressure_pct (9, 5, 1000) == 0.0);
}

static void
test_inflate_next (void **state)
{
  balloon_inflate_in in = { .target = 64 * MIB, .current = 300 * MIB,
                            .file = 280 * MIB, .max_pressure = 10.0 };
  uint64_t ask;

  /* Half of what is left above the target.  */
  assert_int_equal (balloon_inflate_next (&in, &ask), BALLOON_GO);
  assert_int_equal (ask, 118 * MIB);
  /* Near the target: at least 4 MiB, never past it.  */
  in.current = 72 * MIB;
  assert_int_equal (balloon_inflate_next (&in, &ask), BALLOON_GO);
  assert_int_equal (ask, 4 * MIB);
  in.current = 66 * MIB;
  assert_int_equal (balloon_inflate_next (&in, &ask), BALLOON_GO);
  assert_int_equal (ask, 2 * MIB);
  /* Within a MiB: there.  */
  in.current = 64 * MIB + MIB / 2;
  assert_int_equal (balloon_inflate_next (&in, &ask), BALLOON_REACHED);
  assert_int_equal (ask, 0);
  /* Pressure stops it, whatever is left.  */
  in.current = 200 * MIB;
  in.pressure = 10.5;
  assert_int_equal (balloon_inflate_next (&in, &ask), BALLOON_PRESSURE);
  in.pressure = 9.9;
  assert_int_equal (balloon_inflate_next (&in, &ask), BALLOON_GO);
  /* Without swap: no more than the page cache (shmem is not).  */
  in.file = 20 * MIB;
  in.shmem = 4 * MIB;
  assert_int_equal (balloon_inflate_next (&in, &ask), BALLOON_GO);
  assert_int_equal (ask, 16 * MIB);
  in.file = 6 * MIB;
  assert_int_equal (balloon_inflate_next (&in, &ask),
                    BALLOON_ANON_NO_SWAP);
  /* With swap the anon memory counts.  */
  in.swap = true;
  assert_int_equal (balloon_inflate_next (&in, &ask), BALLOON_GO);
  assert_int_equal (ask, 68 * MIB);
  /* Two misses in a row: the kernel has nothing more.  */
  in.misses = 2;
  assert_int_equal (balloon_inflate_next (&in, &ask), BALLOON_STUCK);
  in.swap = false;
  in.file = 100 * MIB;
  assert_int_equal (balloon_inflate_next (&in, &ask),
                    BALLOON_ANON_NO_SWAP);
}

static void
test_hold_limit (void **state)
{
  assert_int_equal (balloon_hold_limit (64 * MIB, 40 * MIB, BALLOON_MAX),
                    64 * MIB);
  /* Stopped above the target: held at the working set.  */
  assert_int_equal (balloon_hold_limit (64 * MIB, 100 * MIB, BALLOON_MAX),
                    100 * MIB);
  /* Never looser than the configured memory.high.  */
  assert_int_equal (balloon_hold_limit (64 * MIB, 100 * MIB, 80 * MIB),
                    80 * MIB);
}

static void
test_auto_next (void **state)
{
  balloon_auto_in in = { .limit = BALLOON_MAX, .current = 300 * MIB,
                         .min = 16 * MIB, .max = BALLOON_MAX,
                         .pressure = 0, .target = 0.1, .step = 0.10 };
  balloon_auto_state st;

  balloon_auto_init (&st, in.step);
  /* No pressure, no limit yet: from what is in use, a full step down.  */
  assert_int_equal (balloon_auto_next (&in, &st), 270 * MIB);
  /* From the limit when the use is near it; half the target: half a
     step.  */
  in.limit = 200 * MIB;
  in.current = 190 * MIB;
  in.pressure = 0.05;
  assert_int_equal (balloon_auto_next (&in, &st), 190 * MIB);
  /* Use far under the limit: from the use.  */
  in.pressure = 0;
  in.current = 100 * MIB;
  assert_int_equal (balloon_auto_next (&in, &st), 90 * MIB);
  /* Past the target: up four steps at once, then three intervals held,
     then steps of half the size.  */
  in.current = 195 * MIB;
  in.pressure = 0.5;
  assert_int_equal (balloon_auto_next (&in, &st), 280 * MIB);
  in.limit = 280 * MIB;
  in.current = 270 * MIB;
  in.pressure = 0;
  assert_int_equal (balloon_auto_next (&in, &st), 280 * MIB);
  assert_int_equal (balloon_auto_next (&in, &st), 280 * MIB);
  assert_int_equal (balloon_auto_next (&in, &st), 280 * MIB);
  assert_int_equal (balloon_auto_next (&in, &st), 266 * MIB);
  /* The step halves at each pressure, down to 0.5%.  */
  for (int i = 0; i < 10; i++)
    {
      in.pressure = 1;
      balloon_auto_next (&in, &st);
    }
  assert_true (st.step > 0.0049 && st.step < 0.0051);
  /* ... at least 8 MiB up.  */
  in.limit = 20 * MIB;
  in.pressure = 0.5;
  assert_int_equal (balloon_auto_next (&in, &st), 28 * MIB);
  /* ... never past memory.max (or the configured memory.high).  */
  in.limit = 200 * MIB;
  in.max = 256 * MIB;
  assert_int_equal (balloon_auto_next (&in, &st), 256 * MIB);
  /* Never below --min.  */
  balloon_auto_init (&st, 0.10);
  in.pressure = 0;
  in.limit = 17 * MIB;
  in.current = 17 * MIB;
  assert_int_equal (balloon_auto_next (&in, &st), 16 * MIB);
  /* A limit above the cap comes down to it.  */
  in.max = 100 * MIB;
  in.limit = BALLOON_MAX;
  in.current = 500 * MIB;
  assert_int_equal (balloon_auto_next (&in, &st), 100 * MIB);
}

static void
test_step_json (void **state)
{
  oci_balloon_step s = { .phase = "hold", .step = 3, .limit = 64 * MIB,
                         .current = 1000, .pressure = 0.125,
                         .reclaimed = 5, .reclaimed_anon = 0,
                         .reclaimed_file = 7, .anon = 1, .file = 2,
                         .oom_kill = 0, .note = "reached the size" };
  char *line = oci_balloon_step_json (&s);

  assert_string_equal (line,
                       "{\"phase\":\"hold\",\"step\":3,\"limit\":67108864,"
                       "\"current\":1000,\"pressure\":0.12,\"reclaimed\":5,"
                       "\"reclaimed_anon\":0,\"reclaimed_file\":7,"
                       "\"anon\":1,\"file\":2,\"oom_kill\":0,"
                       "\"note\":\"reached the size\"}\n");
  free (line);
  s.limit = UINT64_MAX;
  s.note = NULL;
  line = oci_balloon_step_json (&s);
  assert_non_null (strstr (line, "\"limit\":null,"));
  assert_null (strstr (line, "note"));
  free (line);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_pressure),
    cmocka_unit_test (test_memory_stat),
    cmocka_unit_test (test_sizes),
    cmocka_unit_test (test_pressure_pct),
    cmocka_unit_test (test_inflate_next),
    cmocka_unit_test (test_hold_limit),
    cmocka_unit_test (test_auto_next),
    cmocka_unit_test (test_step_json),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
