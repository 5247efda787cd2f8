/* Unit tests of the judging before anything is made: linux.resources
 * against a made-up host (cgroups/validate.c), the values an update puts
 * back (cgroups/journal.c) and linux.sysctl by namespace
 * (libcontainer/lifecycle/validate-sysctl.c).  */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/cleanup.h"
#include "base/utils.h"
#include "cgroups/journal.h"
#include "cgroups/validate.h"
#include "libcontainer/lifecycle/validate.h"

static const cg_host host = {
  .cpus_online = "0-3",
  .mems_online = "0",
  .page_sizes = { 2097152, 1073741824 },
  .n_page_sizes = 2,
};

/* Checks `r` against `on`; on refusal, the message must contain
   `needle`.  */
static void
expect_resources_on (const cg_host *on, cgroup_mode mode,
                     const oci_resources *r, const char *needle)
{
  berth_error *err = NULL;
  int ret = cg_resources_check (mode, on, r, &err);

  if (needle == NULL)
    {
      if (ret < 0)
        fail_msg ("refused: %s", err->msg);
      return;
    }
  assert_int_equal (ret, -1);
  assert_non_null (err);
  if (strstr (err->msg, needle) == NULL)
    fail_msg ("\"%s\" does not mention \"%s\"", err->msg, needle);
  berth_error_free (err);
}

static void
expect_resources (cgroup_mode mode, const oci_resources *r, const char *needle)
{
  expect_resources_on (&host, mode, r, needle);
}

/* A knob the kernel lacks is refused by the check, not by the writer;
   where runc ignores a value (swap -1, zeros), it stays accepted.  */
static void
test_knobs_the_kernel_lacks (void **state)
{
  cg_host bare = host;
  oci_memory mem = { 0 };
  oci_cpu cpu = { 0 };
  oci_hugepage_limit hp = { .page_size = "2MB", .limit = 2097152 };
  oci_resources r = { .memory = &mem };
  (void) state;

  bare.lacks = CG_LACKS_MEMSW | CG_LACKS_CFS_BURST | CG_LACKS_RT
               | CG_LACKS_IDLE | CG_LACKS_HUGETLB;
  mem.has_limit = true;
  mem.limit = 1 << 26;
  mem.has_swap = true;
  mem.swap = 1 << 27;
  expect_resources (CGROUP_MODE_HYBRID, &r, NULL);
  expect_resources_on (&bare, CGROUP_MODE_HYBRID, &r,
                       "memory.swap: this kernel has no memory.memsw");
  expect_resources_on (&bare, CGROUP_MODE_LEGACY, &r, "memory.memsw");
  mem.swap = -1;
  expect_resources_on (&bare, CGROUP_MODE_HYBRID, &r, NULL);
  mem.swap = 0;
  expect_resources_on (&bare, CGROUP_MODE_HYBRID, &r, NULL);

  r.memory = NULL;
  r.cpu = &cpu;
  cpu.has_realtime_runtime = true;
  cpu.realtime_runtime = 0;
  cpu.has_realtime_period = true;
  cpu.realtime_period = 0;
  expect_resources_on (&bare, CGROUP_MODE_HYBRID, &r, NULL);
  cpu.realtime_period = 1000000;
  expect_resources_on (&bare, CGROUP_MODE_HYBRID, &r,
                       "cpu.realtimePeriod: this kernel has no real-time");
  cpu.realtime_runtime = 1000;
  expect_resources_on (&bare, CGROUP_MODE_LEGACY, &r, "cpu.realtimeRuntime");
  expect_resources (CGROUP_MODE_HYBRID, &r, NULL);
  cpu.has_realtime_runtime = cpu.has_realtime_period = false;
  cpu.has_burst = true;
  expect_resources_on (&bare, CGROUP_MODE_HYBRID, &r, "cpu.burst");
  cpu.has_burst = false;
  cpu.has_idle = true;
  expect_resources_on (&bare, CGROUP_MODE_HYBRID, &r, "cpu.idle: this");
  /* v2 has its own files; these v1 knobs say nothing about it.  */
  expect_resources_on (&bare, CGROUP_MODE_UNIFIED, &r, NULL);

  r.cpu = NULL;
  r.hugepage_limits = &hp;
  r.n_hugepage_limits = 1;
  expect_resources (CGROUP_MODE_HYBRID, &r, NULL);
  expect_resources_on (&bare, CGROUP_MODE_HYBRID, &r,
                       "no hugetlb cgroup hierarchy");
}

static void
test_cpu_list (void **state)
{
  uint8_t bits[16];
  (void) state;
  assert_int_equal (cg_cpu_list_parse ("0-3,7", bits, 128), 0);
  assert_int_equal (bits[0], 0x8f);
  assert_int_equal (cg_cpu_list_parse ("5\n", bits, 128), 0);
  assert_int_equal (bits[0], 0x20);
  assert_int_equal (cg_cpu_list_parse ("", bits, 128), 0);
  assert_int_equal (cg_cpu_list_parse ("3-1", bits, 128), -1);
  assert_int_equal (cg_cpu_list_parse ("1,", bits, 128), -1);
  assert_int_equal (cg_cpu_list_parse ("a", bits, 128), -1);
  assert_int_equal (cg_cpu_list_parse ("1-", bits, 128), -1);
  assert_int_equal (cg_cpu_list_parse ("128", bits, 128), -1);
  assert_int_equal (cg_cpu_list_parse ("-1", bits, 128), -1);
}

static void
test_cpuset_against_host (void **state)
{
  oci_cpu cpu = { 0 };
  oci_resources r = { .cpu = &cpu };
  (void) state;

  cpu.cpus = "0-3";
  cpu.mems = "0";
  expect_resources (CGROUP_MODE_HYBRID, &r, NULL);
  cpu.cpus = "9999";
  expect_resources (CGROUP_MODE_HYBRID, &r, "CPU 9999 is not online");
  cpu.cpus = "2-5";
  expect_resources (CGROUP_MODE_UNIFIED, &r, "CPU 4 is not online");
  cpu.cpus = "0-";
  expect_resources (CGROUP_MODE_UNIFIED, &r, "cpu.cpus");
  cpu.cpus = NULL;
  cpu.mems = "1";
  expect_resources (CGROUP_MODE_UNIFIED, &r, "memory node 1");
}

static void
test_cpu_ranges (void **state)
{
  oci_cpu cpu = { 0 };
  oci_resources r = { .cpu = &cpu };
  (void) state;

  cpu.has_shares = true;
  cpu.shares = 1;
  expect_resources (CGROUP_MODE_HYBRID, &r, "cpu.shares");
  cpu.shares = 262145;
  expect_resources (CGROUP_MODE_HYBRID, &r, "cpu.shares");
  cpu.shares = 1024;
  expect_resources (CGROUP_MODE_HYBRID, &r, NULL);
  cpu.has_period = true;
  cpu.period = 999;
  expect_resources (CGROUP_MODE_UNIFIED, &r, "cpu.period");
  cpu.period = 100000;
  cpu.has_quota = true;
  cpu.quota = 500;
  expect_resources (CGROUP_MODE_UNIFIED, &r, "cpu.quota");
  cpu.quota = -1;
  expect_resources (CGROUP_MODE_UNIFIED, &r, NULL);
  cpu.has_realtime_runtime = true;
  cpu.realtime_runtime = 1000;
  expect_resources (CGROUP_MODE_UNIFIED, &r, "realtimeRuntime");
  expect_resources (CGROUP_MODE_HYBRID, &r, NULL);
  cpu.has_idle = true;
  cpu.idle = 2;
  expect_resources (CGROUP_MODE_HYBRID, &r, "cpu.idle");
}

static void
test_memory_pids (void **state)
{
  oci_memory mem = { 0 };
  oci_resources r = { .memory = &mem };
  (void) state;

  mem.has_limit = true;
  mem.limit = -2;
  expect_resources (CGROUP_MODE_HYBRID, &r, "memory.limit");
  mem.limit = 64 << 20;
  mem.has_swap = true;
  mem.swap = 32 << 20;
  expect_resources (CGROUP_MODE_UNIFIED, &r, "below memory.limit");
  mem.swap = -1;
  mem.has_swappiness = true;
  mem.swappiness = 101;
  expect_resources (CGROUP_MODE_HYBRID, &r, "swappiness");
  mem.swappiness = 60;
  expect_resources (CGROUP_MODE_HYBRID, &r, NULL);
  r.has_pids_limit = true;
  r.pids_limit = -5;
  expect_resources (CGROUP_MODE_HYBRID, &r, "pids.limit");
  r.pids_limit = 0;
  expect_resources (CGROUP_MODE_HYBRID, &r, NULL);
}

static void
test_block_io_hugetlb_network (void **state)
{
  oci_block_io b = { 0 };
  oci_block_io_device_throttle t = { .major = -1, .minor = 0, .rate = 1 };
  oci_hugepage_limit h = { .page_size = "2MB", .limit = 0 };
  oci_network n = { .has_class_id = true, .class_id = 1 };
  oci_resources r = { .block_io = &b };
  (void) state;

  b.has_weight = true;
  b.weight = 5;
  expect_resources (CGROUP_MODE_HYBRID, &r, "blockIO.weight");
  b.weight = 500;
  b.has_leaf_weight = true;
  b.leaf_weight = 500;
  expect_resources (CGROUP_MODE_HYBRID, &r, NULL);
  expect_resources (CGROUP_MODE_UNIFIED, &r, "leafWeight");
  b.has_leaf_weight = false;
  b.throttle_read_bps_device = &t;
  b.n_throttle_read_bps_device = 1;
  expect_resources (CGROUP_MODE_UNIFIED, &r, "throttleReadBpsDevice[0]");
  b.n_throttle_read_bps_device = 0;

  r.hugepage_limits = &h;
  r.n_hugepage_limits = 1;
  expect_resources (CGROUP_MODE_UNIFIED, &r, NULL);
  h.page_size = "64KB";
  expect_resources (CGROUP_MODE_UNIFIED, &r, "no 64KB huge pages");
  h.page_size = "2XB";
  expect_resources (CGROUP_MODE_UNIFIED, &r, "pageSize");
  r.n_hugepage_limits = 0;

  r.network = &n;
  expect_resources (CGROUP_MODE_HYBRID, &r, NULL);
  expect_resources (CGROUP_MODE_UNIFIED, &r, "net_cls");
}

static void
test_undo_values (void **state)
{
  char *v;
  (void) state;

  v = cg_journal_undo_value ("memory.limit_in_bytes", "67108864",
                             "134217728\n");
  assert_string_equal (v, "134217728");
  free (v);
  v = cg_journal_undo_value ("cpu.max", "10000 100000", "max 100000\n");
  assert_string_equal (v, "max 100000");
  free (v);
  /* Keyed: the device's old line, or its "no limit".  */
  v = cg_journal_undo_value ("io.max", "8:0 rbps=1024",
                             "8:16 rbps=1 wbps=max riops=max wiops=max\n"
                             "8:0 rbps=max wbps=2048 riops=max wiops=max\n");
  assert_string_equal (v, "8:0 rbps=max wbps=2048 riops=max wiops=max");
  free (v);
  v = cg_journal_undo_value ("io.max", "8:0 rbps=1024", "");
  assert_string_equal (v, "8:0 rbps=max wbps=max riops=max wiops=max");
  free (v);
  v = cg_journal_undo_value ("blkio.throttle.read_bps_device", "8:0 100",
                             "8:16 5\n");
  assert_string_equal (v, "8:0 0");
  free (v);
  v = cg_journal_undo_value ("io.weight", "default 50", "default 100\n");
  assert_string_equal (v, "default 100");
  free (v);
  v = cg_journal_undo_value ("memory.oom_control", "1",
                             "oom_kill_disable 0\nunder_oom 0\n");
  assert_string_equal (v, "0");
  free (v);
  assert_null (cg_journal_undo_value ("devices.deny", "a", "a *:* rwm\n"));
}

/* ---- sysctl --------------------------------------------------------------- */

static int
sysctl_check (const char *key, const ns_owner *owners, const char *hostname,
              char **msg)
{
  oci_kv kv = { (char *) key, (char *) "1" };
  oci_linux lx = { 0 };
  oci_config c = { 0 };
  berth_error *err = NULL;
  int ret;

  lx.sysctl = &kv;
  lx.n_sysctl = 1;
  c.linux_ = &lx;
  c.hostname = (char *) hostname;
  ret = validate_sysctls (&c, owners, &err);
  *msg = err ? xstrdup (err->msg) : NULL;
  berth_error_free (err);
  return ret;
}

static void
expect_sysctl (const char *key, const ns_owner *owners, const char *needle)
{
  cleanup_free char *msg = NULL;
  int ret = sysctl_check (key, owners, NULL, &msg);

  if (needle == NULL)
    {
      if (ret < 0)
        fail_msg ("%s refused: %s", key, msg);
      return;
    }
  assert_int_equal (ret, -1);
  if (strstr (msg, needle) == NULL || strstr (msg, key) == NULL)
    fail_msg ("\"%s\" does not name %s and \"%s\"", msg, key, needle);
}

static void
test_sysctl_rules (void **state)
{
  ns_owner host_all[OCI_NS_TYPES] = { NS_OWNER_HOST };
  ns_owner own_all[OCI_NS_TYPES];
  ns_owner joined_net[OCI_NS_TYPES] = { NS_OWNER_HOST };
  cleanup_free char *msg = NULL;
  (void) state;

  for (int i = 0; i < OCI_NS_TYPES; i++)
    own_all[i] = NS_OWNER_NEW;
  joined_net[OCI_NS_NETWORK] = NS_OWNER_JOINED;

  expect_sysctl ("vm.swappiness", own_all, "is not namespaced");
  expect_sysctl ("kernel.pid_max", own_all, "is not namespaced");
  expect_sysctl ("net.ipv4.ip_forward", host_all, "network namespace");
  expect_sysctl ("net.ipv4.ip_forward", joined_net, NULL);
  expect_sysctl ("net.ipv4.ip_forward", own_all, NULL);
  expect_sysctl ("kernel.msgmax", host_all, "ipc namespace");
  expect_sysctl ("kernel.msgmax", joined_net, "ipc namespace");
  expect_sysctl ("kernel.shm_rmid_forced", own_all, NULL);
  expect_sysctl ("fs.mqueue.msg_max", host_all, "ipc");
  expect_sysctl ("fs.mqueue.msg_max", own_all, NULL);
  expect_sysctl ("fs.file-max", own_all, "is not namespaced");
  expect_sysctl ("kernel.domainname", host_all, "uts namespace");
  expect_sysctl ("kernel.domainname", own_all, NULL);
  expect_sysctl ("kernel.hostname", own_all, NULL);
  expect_sysctl ("../../etc", own_all, "invalid key");
  expect_sysctl ("net/ipv4", own_all, "invalid key");
  assert_int_equal (sysctl_check ("kernel.hostname", own_all, "h", &msg), -1);
  assert_non_null (strstr (msg, "conflicts"));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_cpu_list),
    cmocka_unit_test (test_knobs_the_kernel_lacks),
    cmocka_unit_test (test_cpuset_against_host),
    cmocka_unit_test (test_cpu_ranges),
    cmocka_unit_test (test_memory_pids),
    cmocka_unit_test (test_block_io_hugetlb_network),
    cmocka_unit_test (test_undo_values),
    cmocka_unit_test (test_sysctl_rules),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
