/* Unit tests of the pure part of the systemd cgroup driver
 * (cgroups/systemd-props.c): runc's cgroupsPath rules and linux.resources
 * as unit properties.  */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/utils.h"
#include "cgroups/systemd-props.h"

static void
expect_slice (const char *slice, const char *path)
{
  berth_error *err = NULL;
  char *out = NULL;
  int r = cg_sd_expand_slice (slice, &out, &err);

  if (path == NULL)
    {
      assert_int_equal (r, -1);
      assert_non_null (err);
      assert_non_null (strstr (err->msg, "invalid slice name"));
      berth_error_free (err);
      return;
    }
  assert_int_equal (r, 0);
  assert_string_equal (out, path);
  free (out);
}

static void
test_expand_slice (void **state)
{
  (void) state;
  expect_slice ("system.slice", "/system.slice");
  expect_slice ("-.slice", "/");
  expect_slice ("a-b-c.slice", "/a.slice/a-b.slice/a-b-c.slice");
  expect_slice ("user-1000.slice", "/user.slice/user-1000.slice");
  expect_slice (".slice", NULL);
  expect_slice ("a.scope", NULL);
  expect_slice ("a/b.slice", NULL);
  expect_slice ("a--b.slice", NULL);
  expect_slice ("-a.slice", NULL);
  expect_slice ("a-.slice", NULL);
}

static void
expect_unit (const char *cgroups_path, const char *slice, const char *unit,
             const char *path)
{
  berth_error *err = NULL;
  sd_unit_path up;
  int r = cg_sd_unit_path (cgroups_path, "ctr", &up, &err);

  if (unit == NULL)
    {
      assert_int_equal (r, -1);
      assert_non_null (err);
      assert_non_null (strstr (err->msg, "linux.cgroupsPath"));
      berth_error_free (err);
      return;
    }
  assert_int_equal (r, 0);
  assert_string_equal (up.slice, slice);
  assert_string_equal (up.unit, unit);
  assert_string_equal (up.path, path);
  cg_sd_unit_path_free (&up);
}

static void
test_unit_path (void **state)
{
  (void) state;
  expect_unit (NULL, "system.slice", "berth-ctr.scope",
               "/system.slice/berth-ctr.scope");
  expect_unit ("", "system.slice", "berth-ctr.scope",
               "/system.slice/berth-ctr.scope");
  expect_unit ("system.slice:docker:abc", "system.slice", "docker-abc.scope",
               "/system.slice/docker-abc.scope");
  expect_unit (":crio:abc", "system.slice", "crio-abc.scope",
               "/system.slice/crio-abc.scope");
  expect_unit ("machine-libpod.slice::x", "machine-libpod.slice", "x.scope",
               "/machine.slice/machine-libpod.slice/x.scope");
  expect_unit ("-.slice:p:x", "-.slice", "p-x.scope", "/p-x.scope");
  expect_unit ("system.slice:p:kube-pod.slice", "system.slice",
               "kube-pod.slice", "/kube.slice/kube-pod.slice");
  expect_unit ("/a/b", NULL, NULL, NULL);
  expect_unit ("a:b", NULL, NULL, NULL);
  expect_unit ("a.slice:b:c:d", NULL, NULL, NULL);
  expect_unit ("system.slice:p:", NULL, NULL, NULL);
  expect_unit ("x.scope:p:n", NULL, NULL, NULL);
  expect_unit ("system.slice:p:a/b", NULL, NULL, NULL);
}

static void
test_cpuset_mask (void **state)
{
  berth_error *err = NULL;
  uint8_t *m;
  size_t n;

  (void) state;
  assert_int_equal (cg_sd_cpuset_mask ("0-3,5", &m, &n, &err), 0);
  assert_int_equal (n, 1);
  assert_int_equal (m[0], 0x2f);
  free (m);
  assert_int_equal (cg_sd_cpuset_mask ("9", &m, &n, &err), 0);
  assert_int_equal (n, 2);
  assert_int_equal (m[0], 0);
  assert_int_equal (m[1], 0x02);
  free (m);
  assert_int_equal (cg_sd_cpuset_mask ("3-1", &m, &n, &err), -1);
  berth_error_free (err);
  err = NULL;
  assert_int_equal (cg_sd_cpuset_mask ("a", &m, &n, &err), -1);
  berth_error_free (err);
}

static void
test_quota (void **state)
{
  (void) state;
  assert_int_equal (cg_sd_quota_per_sec (50000, 100000), 500000);
  assert_int_equal (cg_sd_quota_per_sec (50000, 0), 500000);
  /* 12.345 ms per s rounds up to 20 ms, as runc.  */
  assert_int_equal (cg_sd_quota_per_sec (1234, 100000), 20000);
  assert_true (cg_sd_quota_per_sec (-1, 100000) == UINT64_MAX);
}

static void
test_resources (void **state)
{
  oci_memory mem = { .has_limit = true, .limit = 64 << 20,
                     .has_swap = true, .swap = 96 << 20,
                     .has_reservation = true, .reservation = 1 << 20 };
  oci_cpu cpu = { .has_shares = true, .shares = 1024, .has_quota = true,
                  .quota = 20000, .has_period = true, .period = 100000,
                  .cpus = (char *) "0-1" };
  oci_kv unified[] = { { (char *) "memory.high", (char *) "max" },
                       { (char *) "memory.max", (char *) "33554432" } };
  oci_device_cgroup devs[] = {
    { .allow = false, .type = 'a', .access = (char *) "rwm" },
    { true, 'c', true, 1, true, 3, (char *) "rw" },
    { true, 'c', true, 136, false, 0, (char *) "rwm" },
  };
  oci_resources r = { .memory = &mem, .cpu = &cpu, .has_pids_limit = true,
                      .pids_limit = -1, .unified = unified, .n_unified = 2,
                      .devices = devs, .n_devices = 3 };
  const char *proc_devices = "Character devices:\n  1 mem\n136 pts\n\n"
                             "Block devices:\n  8 sd\n";
  berth_error *err = NULL;
  sd_props p = { 0 };
  const sd_prop *e;

  (void) state;
  assert_int_equal (cg_sd_resources_props (&p, &r, true, proc_devices, &err),
                    0);
  /* The unified key overrides the typed field, as its file would.  */
  assert_int_equal (sd_props_find (&p, "MemoryMax")->u, 32 << 20);
  assert_true (sd_props_find (&p, "MemoryHigh")->u == UINT64_MAX);
  assert_int_equal (sd_props_find (&p, "MemoryLow")->u, 1 << 20);
  assert_int_equal (sd_props_find (&p, "MemorySwapMax")->u, 32 << 20);
  assert_int_equal (sd_props_find (&p, "CPUWeight")->u, 39);
  assert_int_equal (sd_props_find (&p, "CPUQuotaPerSecUSec")->u, 200000);
  assert_int_equal (sd_props_find (&p, "CPUQuotaPeriodUSec")->u, 100000);
  assert_true (sd_props_find (&p, "TasksMax")->u == UINT64_MAX);
  e = sd_props_find (&p, "AllowedCPUs");
  assert_int_equal (e->n_bytes, 1);
  assert_int_equal (e->bytes[0], 3);
  assert_string_equal (sd_props_find (&p, "DevicePolicy")->s, "strict");
  e = sd_props_find (&p, "DeviceAllow");
  assert_int_equal (e->n_items, 2);
  assert_string_equal (e->items[0].s, "/dev/char/1:3");
  assert_string_equal (e->items[0].s2, "rw");
  assert_string_equal (e->items[1].s, "char-pts");
  assert_string_equal (e->items[1].s2, "rwm");
  sd_props_free (&p);

  /* v1: systemd's legacy names, no swap or cpuset properties.  */
  r.n_unified = 0;
  assert_int_equal (cg_sd_resources_props (&p, &r, false, NULL, &err), 0);
  assert_int_equal (sd_props_find (&p, "MemoryLimit")->u, 64 << 20);
  assert_int_equal (sd_props_find (&p, "CPUShares")->u, 1024);
  assert_null (sd_props_find (&p, "MemorySwapMax"));
  assert_null (sd_props_find (&p, "AllowedCPUs"));
  /* Without /proc/devices the wildcard-minor rule is left to the eBPF
     program.  */
  assert_int_equal (sd_props_find (&p, "DeviceAllow")->n_items, 1);
  sd_props_free (&p);

  /* A deny after an allow: nothing systemd can express.  */
  devs[2].allow = false;
  r.memory = NULL;
  r.cpu = NULL;
  assert_int_equal (cg_sd_resources_props (&p, &r, true, NULL, &err), 0);
  assert_null (sd_props_find (&p, "DevicePolicy"));
  sd_props_free (&p);

  mem.swap = 1;
  r.memory = &mem;
  assert_int_equal (cg_sd_resources_props (&p, &r, true, NULL, &err), -1);
  assert_non_null (strstr (err->msg, "linux.resources.memory.swap"));
  berth_error_free (err);
  sd_props_free (&p);
}

/* The values read back from systemd for an update's rollback: a list
   property built item by item, replacing one of the same name, without
   reset unless asked (only the rollback sets it).  */
static void
test_props_readback (void **state)
{
  sd_props p = { 0 };
  sd_prop *e;
  const sd_prop *f;

  sd_props_u64 (&p, "IOReadBandwidthMax", 1);
  e = sd_props_add (&p, "IOReadBandwidthMax", SD_PROP_PAIRS_ST);
  assert_false (e->reset);
  sd_prop_item_add (e, "/dev/block/7:0", NULL, 2097152);
  sd_prop_item_add (e, "/dev/block/7:1", NULL, 1048576);
  e->reset = true;
  e = sd_props_add (&p, "DeviceAllow", SD_PROP_PAIRS_SS);
  sd_prop_item_add (e, "char-pts", "rw", 0);
  assert_int_equal (p.n, 2);
  f = sd_props_find (&p, "IOReadBandwidthMax");
  assert_non_null (f);
  assert_int_equal (f->type, SD_PROP_PAIRS_ST);
  assert_true (f->reset);
  assert_int_equal (f->n_items, 2);
  assert_string_equal (f->items[1].s, "/dev/block/7:1");
  assert_int_equal (f->items[1].u, 1048576);
  f = sd_props_find (&p, "DeviceAllow");
  assert_string_equal (f->items[0].s2, "rw");
  sd_props_free (&p);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_expand_slice),
    cmocka_unit_test (test_unit_path),
    cmocka_unit_test (test_cpuset_mask),
    cmocka_unit_test (test_quota),
    cmocka_unit_test (test_resources),
    cmocka_unit_test (test_props_readback),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
