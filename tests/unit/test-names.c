/* Unit tests of the name tables behind process_validate (capabilities,
 * rlimits, scheduler, ioPriority, personality, CPU lists) and
 * seccomp_validate (actions, operators, architectures, flags): every name
 * the runtime spec lists is accepted, anything else is refused with its
 * JSON path.  Nothing here touches the calling process.  */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "libcontainer/process/cap-api.h"
#include "libcontainer/process/caps.h"
#include "libcontainer/process/process.h"
#include "libcontainer/process/seccomp.h"

#define N_ELEMS(a) (sizeof (a) / sizeof ((a)[0]))

static char *default_args[] = { "/bin/sh" };

static oci_process
base_process (void)
{
  oci_process p = { 0 };
  p.args = default_args;
  p.n_args = 1;
  p.cwd = "/";
  return p;
}

static void
expect_valid (const oci_process *p, const oci_personality *pers)
{
  berth_error *err = NULL;
  if (process_validate (p, pers, &err) < 0)
    fail_msg ("unexpected error: %s", err->msg);
  assert_null (err);
}

static void
expect_error (const oci_process *p, const oci_personality *pers,
              const char *msg)
{
  berth_error *err = NULL;
  assert_int_equal (process_validate (p, pers, &err), -1);
  assert_non_null (err);
  assert_string_equal (err->msg, msg);
  berth_error_free (err);
}

static void
expect_seccomp_valid (const oci_seccomp *s)
{
  berth_error *err = NULL;
  if (seccomp_validate (s, &err) < 0)
    fail_msg ("unexpected error: %s", err->msg);
}

static void
expect_seccomp_error (const oci_seccomp *s, const char *msg)
{
  berth_error *err = NULL;
  assert_int_equal (seccomp_validate (s, &err), -1);
  assert_non_null (err);
  assert_string_equal (err->msg, msg);
  berth_error_free (err);
}

/* ---- capabilities ----------------------------------------------------- */

static void
test_cap_names (void **state)
{
  cap_value_t v;
  char buf[32];

  assert_int_equal (caps_from_name ("CAP_CHOWN", &v), 0);
  assert_int_equal (v, CAP_CHOWN);
  assert_int_equal (caps_from_name ("cap_net_admin", &v), 0);
  assert_int_equal (v, CAP_NET_ADMIN);
  assert_int_equal (caps_from_name ("Cap_Sys_Admin", &v), 0);
  assert_int_equal (v, CAP_SYS_ADMIN);
  assert_int_equal (caps_from_name ("CAP_FOO", &v), -1);
  assert_int_equal (caps_from_name ("12", &v), -1);
  assert_int_equal (caps_from_name ("CHOWN", &v), -1);
  assert_int_equal (caps_from_name ("CAP_", &v), -1);
  assert_int_equal (caps_from_name ("", &v), -1);
  assert_int_equal (caps_from_name (NULL, &v), -1);

  assert_string_equal (caps_name (CAP_NET_BIND_SERVICE, buf),
                       "CAP_NET_BIND_SERVICE");
  assert_string_equal (caps_name (CAP_CHOWN, buf), "CAP_CHOWN");
}

static void
test_caps_every_known_name (void **state)
{
  /* Every capability libcap can name round-trips through the
     config.json spelling.  */
  for (cap_value_t c = 0; c <= CAP_LAST_CAP; c++)
    {
      char buf[32];
      cap_value_t back;
      caps_name (c, buf);
      assert_int_equal (caps_from_name (buf, &back), 0);
      assert_int_equal (back, c);
    }
}

static void
test_caps_validate_paths (void **state)
{
  char *good[] = { "CAP_CHOWN", "CAP_KILL" };
  char *bad[] = { "CAP_CHOWN", "CAP_KILL", "CAP_FOO" };
  oci_capabilities caps = { 0 };
  oci_process p = base_process ();

  p.capabilities = &caps;
  expect_valid (&p, NULL);

  caps.bounding = good;
  caps.n_bounding = 2;
  caps.ambient = good;
  caps.n_ambient = 2;
  expect_valid (&p, NULL);

  caps.bounding = bad;
  caps.n_bounding = 3;
  expect_error (&p, NULL,
                "process.capabilities.bounding[2]: unknown capability "
                "\"CAP_FOO\"");
  caps.bounding = good;
  caps.n_bounding = 2;

  caps.effective = bad;
  caps.n_effective = 3;
  expect_error (&p, NULL,
                "process.capabilities.effective[2]: unknown capability "
                "\"CAP_FOO\"");
  caps.effective = NULL;
  caps.n_effective = 0;

  caps.inheritable = bad;
  caps.n_inheritable = 3;
  expect_error (&p, NULL,
                "process.capabilities.inheritable[2]: unknown capability "
                "\"CAP_FOO\"");
  caps.inheritable = NULL;
  caps.n_inheritable = 0;

  caps.permitted = bad + 2;
  caps.n_permitted = 1;
  expect_error (&p, NULL,
                "process.capabilities.permitted[0]: unknown capability "
                "\"CAP_FOO\"");
  caps.permitted = NULL;
  caps.n_permitted = 0;

  caps.ambient = bad;
  caps.n_ambient = 3;
  expect_error (&p, NULL,
                "process.capabilities.ambient[2]: unknown capability "
                "\"CAP_FOO\"");
}

/* ---- process ---------------------------------------------------------- */

static void
test_process_basics (void **state)
{
  oci_process p = base_process ();
  char *empty_arg[] = { "" };
  char *env[] = { "PATH=/bin", "EMPTY=", "NOEQ" };
  char *env_nokey[] = { "=x" };

  expect_valid (&p, NULL);
  expect_error (NULL, NULL, "process: must be set");

  p.n_args = 0;
  expect_error (&p, NULL, "process.args: must not be empty");
  p.args = empty_arg;
  p.n_args = 1;
  expect_error (&p, NULL, "process.args[0]: must not be empty");
  p = base_process ();

  p.cwd = "tmp";
  expect_error (&p, NULL, "process.cwd: must be an absolute path");
  p.cwd = NULL;
  expect_error (&p, NULL, "process.cwd: must be an absolute path");
  p.cwd = "/";

  p.env = env;
  p.n_env = 2;
  expect_valid (&p, NULL);
  p.n_env = 3;
  expect_error (&p, NULL, "process.env[2]: \"NOEQ\" is not KEY=VALUE");
  p.env = env_nokey;
  p.n_env = 1;
  expect_error (&p, NULL, "process.env[0]: \"=x\" is not KEY=VALUE");
  p.n_env = 0;

  p.user.uid = UINT32_MAX;
  expect_error (&p, NULL,
                "process.user.uid: 4294967295 is not a valid uid");
  p.user.uid = 1000;
  p.user.gid = UINT32_MAX;
  expect_error (&p, NULL,
                "process.user.gid: 4294967295 is not a valid gid");
  p.user.gid = 1000;

  p.has_oom_score_adj = true;
  p.oom_score_adj = -1000;
  expect_valid (&p, NULL);
  p.oom_score_adj = 1000;
  expect_valid (&p, NULL);
  p.oom_score_adj = 1001;
  expect_error (&p, NULL,
                "process.oomScoreAdj: 1001 is out of range [-1000, 1000]");
}

static void
test_rlimits (void **state)
{
  static const char *const names[]
      = { "RLIMIT_AS",       "RLIMIT_CORE",     "RLIMIT_CPU",
          "RLIMIT_DATA",     "RLIMIT_FSIZE",    "RLIMIT_LOCKS",
          "RLIMIT_MEMLOCK",  "RLIMIT_MSGQUEUE", "RLIMIT_NICE",
          "RLIMIT_NOFILE",   "RLIMIT_NPROC",    "RLIMIT_RSS",
          "RLIMIT_RTPRIO",   "RLIMIT_RTTIME",   "RLIMIT_SIGPENDING",
          "RLIMIT_STACK" };
  oci_rlimit all[N_ELEMS (names)];
  oci_rlimit r[2];
  oci_process p = base_process ();

  for (size_t i = 0; i < N_ELEMS (names); i++)
    all[i] = (oci_rlimit){ (char *) names[i], 1, 2 };
  p.rlimits = all;
  p.n_rlimits = N_ELEMS (all);
  expect_valid (&p, NULL);

  p.rlimits = r;
  p.n_rlimits = 1;
  r[0] = (oci_rlimit){ "RLIMIT_FOO", 1, 2 };
  expect_error (&p, NULL,
                "process.rlimits[0].type: unknown rlimit \"RLIMIT_FOO\"");
  r[0] = (oci_rlimit){ "rlimit_nofile", 1, 2 };
  expect_error (&p, NULL,
                "process.rlimits[0].type: unknown rlimit \"rlimit_nofile\"");
  r[0] = (oci_rlimit){ "RLIMIT_NOFILE", 3, 2 };
  expect_error (&p, NULL,
                "process.rlimits[0]: soft limit 3 is above hard limit 2");
  r[0] = (oci_rlimit){ "RLIMIT_NOFILE", UINT64_MAX, UINT64_MAX };
  expect_valid (&p, NULL);

  r[1] = (oci_rlimit){ "RLIMIT_NOFILE", 1, 2 };
  p.n_rlimits = 2;
  expect_error (&p, NULL, "process.rlimits[1]: duplicate RLIMIT_NOFILE");
}

static void
test_scheduler (void **state)
{
  static const char *const policies[]
      = { "SCHED_OTHER", "SCHED_BATCH", "SCHED_ISO", "SCHED_IDLE" };
  char *flags[] = { "SCHED_FLAG_RESET_ON_FORK", "SCHED_FLAG_RECLAIM",
                    "SCHED_FLAG_DL_OVERRUN", "SCHED_FLAG_KEEP_POLICY",
                    "SCHED_FLAG_KEEP_PARAMS", "SCHED_FLAG_UTIL_CLAMP_MIN",
                    "SCHED_FLAG_UTIL_CLAMP_MAX" };
  char *bad_flag[] = { "SCHED_FLAG_RESET_ON_FORK", "SCHED_FLAG_FOO" };
  oci_scheduler s = { 0 };
  oci_process p = base_process ();

  p.scheduler = &s;
  for (size_t i = 0; i < N_ELEMS (policies); i++)
    {
      s.policy = (char *) policies[i];
      expect_valid (&p, NULL);
    }
  s.policy = "SCHED_OTHER";
  s.flags = flags;
  s.n_flags = N_ELEMS (flags);
  expect_valid (&p, NULL);
  s.flags = bad_flag;
  s.n_flags = 2;
  expect_error (&p, NULL,
                "process.scheduler.flags[1]: unknown flag "
                "\"SCHED_FLAG_FOO\"");
  s.n_flags = 0;

  s.policy = "SCHED_FOO";
  expect_error (&p, NULL,
                "process.scheduler.policy: unknown policy \"SCHED_FOO\"");

  /* nice: SCHED_OTHER and SCHED_BATCH only, -20..19.  */
  s.policy = "SCHED_BATCH";
  s.has_nice = true;
  s.nice = -20;
  expect_valid (&p, NULL);
  s.nice = 20;
  expect_error (&p, NULL,
                "process.scheduler.nice: 20 is out of range [-20, 19]");
  s.nice = 5;
  s.policy = "SCHED_IDLE";
  expect_error (&p, NULL,
                "process.scheduler.nice: only valid with SCHED_OTHER and "
                "SCHED_BATCH, not SCHED_IDLE");
  s.has_nice = false;

  /* priority: SCHED_FIFO and SCHED_RR only, 1..99.  */
  s.policy = "SCHED_FIFO";
  expect_error (&p, NULL,
                "process.scheduler.priority: SCHED_FIFO needs a priority in "
                "[1, 99]");
  s.has_priority = true;
  s.priority = 99;
  expect_valid (&p, NULL);
  s.policy = "SCHED_RR";
  s.priority = 100;
  expect_error (&p, NULL,
                "process.scheduler.priority: SCHED_RR needs a priority in "
                "[1, 99]");
  s.priority = 1;
  expect_valid (&p, NULL);
  s.policy = "SCHED_OTHER";
  expect_error (&p, NULL,
                "process.scheduler.priority: only valid with SCHED_FIFO and "
                "SCHED_RR, not SCHED_OTHER");
  s.priority = 0;
  expect_valid (&p, NULL);
  s.has_priority = false;

  /* runtime, deadline, period: SCHED_DEADLINE only.  */
  s.has_runtime = true;
  s.runtime = 1000000;
  expect_error (&p, NULL,
                "process.scheduler: runtime, deadline and period are only "
                "valid with SCHED_DEADLINE, not SCHED_OTHER");
  s.policy = "SCHED_DEADLINE";
  expect_error (&p, NULL,
                "process.scheduler: SCHED_DEADLINE needs a non-zero runtime "
                "and deadline");
  s.has_deadline = true;
  s.deadline = 10000000;
  expect_valid (&p, NULL);
  s.has_period = true;
  s.period = 5000000;
  expect_error (&p, NULL,
                "process.scheduler: SCHED_DEADLINE needs runtime <= deadline "
                "<= period");
  s.period = 20000000;
  expect_valid (&p, NULL);
}

static void
test_io_priority (void **state)
{
  static const char *const classes[]
      = { "IOPRIO_CLASS_RT", "IOPRIO_CLASS_BE", "IOPRIO_CLASS_IDLE" };
  oci_io_priority io = { 0 };
  oci_process p = base_process ();

  p.io_priority = &io;
  for (size_t i = 0; i < N_ELEMS (classes); i++)
    for (int prio = 0; prio <= 7; prio++)
      {
        io.class = (char *) classes[i];
        io.priority = prio;
        expect_valid (&p, NULL);
      }
  io.priority = 8;
  expect_error (&p, NULL,
                "process.ioPriority.priority: 8 is out of range [0, 7]");
  io.priority = -1;
  expect_error (&p, NULL,
                "process.ioPriority.priority: -1 is out of range [0, 7]");
  io.priority = 0;
  io.class = "IOPRIO_CLASS_NONE";
  expect_error (&p, NULL,
                "process.ioPriority.class: unknown class "
                "\"IOPRIO_CLASS_NONE\"");
}

static void
test_personality (void **state)
{
  char *flags[] = { "ADDR_NO_RANDOMIZE" };
  oci_personality pers = { 0 };
  oci_process p = base_process ();

  pers.domain = "LINUX";
  expect_valid (&p, &pers);
  pers.domain = "LINUX32";
  expect_valid (&p, &pers);
  pers.domain = "linux";
  expect_error (&p, &pers,
                "linux.personality.domain: unknown domain \"linux\"");
  pers.domain = "LINUX";
  pers.flags = flags;
  pers.n_flags = 1;
  expect_error (&p, &pers,
                "linux.personality.flags[0]: unsupported flag "
                "\"ADDR_NO_RANDOMIZE\" (the runtime spec defines none)");
}

static void
test_cpu_affinity (void **state)
{
  oci_exec_cpu_affinity a = { 0 };
  oci_process p = base_process ();

  p.exec_cpu_affinity = &a;
  expect_valid (&p, NULL);
  a.initial = "0-3,7";
  a.final = "";
  expect_valid (&p, NULL);
  a.final = "1,x";
  expect_error (&p, NULL,
                "process.execCPUAffinity.final: invalid CPU list \"1,x\"");
  a.final = NULL;
  a.initial = "3-1";
  expect_error (&p, NULL,
                "process.execCPUAffinity.initial: invalid CPU list \"3-1\"");
}

/* ---- seccomp ------------------------------------------------------------ */

static char *one_name[] = { "mkdir" };

static void
test_seccomp_actions (void **state)
{
  static const char *const actions[]
      = { "SCMP_ACT_KILL",  "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD",
          "SCMP_ACT_TRAP",  "SCMP_ACT_ERRNO",        "SCMP_ACT_TRACE",
          "SCMP_ACT_ALLOW", "SCMP_ACT_LOG",          "SCMP_ACT_NOTIFY" };
  oci_seccomp_syscall sc[4] = { 0 };
  oci_seccomp s = { 0 };

  s.default_action = "SCMP_ACT_ALLOW";
  expect_seccomp_valid (&s);
  expect_seccomp_valid (NULL);
  s.listener_path = "/run/agent.sock";
  s.syscalls = sc;
  s.n_syscalls = 1;
  sc[0].names = one_name;
  sc[0].n_names = 1;
  for (size_t i = 0; i < N_ELEMS (actions); i++)
    {
      sc[0].action = (char *) actions[i];
      expect_seccomp_valid (&s);
      if (strcmp (actions[i], "SCMP_ACT_NOTIFY") != 0)
        {
          s.default_action = (char *) actions[i];
          expect_seccomp_valid (&s);
          s.default_action = "SCMP_ACT_ALLOW";
        }
    }
  for (size_t i = 1; i < 4; i++)
    sc[i] = (oci_seccomp_syscall){ .names = one_name, .n_names = 1,
                                   .action = "SCMP_ACT_ERRNO" };
  sc[3].action = "SCMP_ACT_FOO";
  s.n_syscalls = 4;
  expect_seccomp_error (&s, "linux.seccomp.syscalls[3].action: unknown "
                            "action \"SCMP_ACT_FOO\"");
  s.n_syscalls = 1;
  s.default_action = "SCMP_ACT_FOO";
  expect_seccomp_error (&s, "linux.seccomp.defaultAction: unknown action "
                            "\"SCMP_ACT_FOO\"");
  s.default_action = "SCMP_ACT_NOTIFY";
  expect_seccomp_error (&s, "linux.seccomp.defaultAction: SCMP_ACT_NOTIFY "
                            "cannot be the default action");
  s.default_action = "SCMP_ACT_ALLOW";

  /* errnoRet only with SCMP_ACT_ERRNO and SCMP_ACT_TRACE.  */
  sc[0].action = "SCMP_ACT_ERRNO";
  sc[0].has_errno_ret = true;
  sc[0].errno_ret = 1;
  expect_seccomp_valid (&s);
  sc[0].action = "SCMP_ACT_TRACE";
  expect_seccomp_valid (&s);
  sc[0].action = "SCMP_ACT_KILL";
  expect_seccomp_error (&s, "linux.seccomp.syscalls[0].errnoRet: not valid "
                            "with action SCMP_ACT_KILL");
  sc[0].action = "SCMP_ACT_ERRNO";
  sc[0].errno_ret = 65536;
  expect_seccomp_error (&s, "linux.seccomp.syscalls[0].errnoRet: 65536 is "
                            "out of range [0, 65535]");
  sc[0].has_errno_ret = false;
  s.has_default_errno_ret = true;
  s.default_errno_ret = 38;
  expect_seccomp_error (&s, "linux.seccomp.defaultErrnoRet: not valid with "
                            "action SCMP_ACT_ALLOW");
  s.default_action = "SCMP_ACT_ERRNO";
  expect_seccomp_valid (&s);
}

static void
test_seccomp_notify (void **state)
{
  oci_seccomp_syscall sc = { .names = one_name, .n_names = 1,
                             .action = "SCMP_ACT_NOTIFY" };
  oci_seccomp s = { .default_action = "SCMP_ACT_ALLOW", .syscalls = &sc,
                    .n_syscalls = 1 };

  assert_true (seccomp_uses_notify (&s));
  expect_seccomp_error (&s, "linux.seccomp.syscalls[0].action: "
                            "SCMP_ACT_NOTIFY needs "
                            "linux.seccomp.listenerPath");
  s.listener_path = "/run/agent.sock";
  s.listener_metadata = "x";
  expect_seccomp_valid (&s);
  s.listener_path = NULL;
  sc.action = "SCMP_ACT_ERRNO";
  assert_false (seccomp_uses_notify (&s));
  expect_seccomp_error (&s, "linux.seccomp.listenerMetadata: set without "
                            "linux.seccomp.listenerPath");
}

static void
test_seccomp_args (void **state)
{
  static const char *const ops[]
      = { "SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE",       "SCMP_CMP_EQ",
          "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ" };
  oci_seccomp_arg args[2] = { 0 };
  oci_seccomp_syscall sc = { .names = one_name, .n_names = 1,
                             .action = "SCMP_ACT_ERRNO", .args = args,
                             .n_args = 2 };
  oci_seccomp s = { .default_action = "SCMP_ACT_ALLOW", .syscalls = &sc,
                    .n_syscalls = 1 };

  for (size_t i = 0; i < N_ELEMS (ops); i++)
    {
      args[0] = (oci_seccomp_arg){ .index = 0, .value = 1, .op = "SCMP_CMP_EQ" };
      args[1] = (oci_seccomp_arg){ .index = 5, .value = 1,
                                   .op = (char *) ops[i] };
      expect_seccomp_valid (&s);
    }
  args[1].op = "SCMP_CMP_FOO";
  expect_seccomp_error (&s, "linux.seccomp.syscalls[0].args[1].op: unknown "
                            "operator \"SCMP_CMP_FOO\"");
  args[1].op = "SCMP_CMP_EQ";
  args[1].index = 6;
  expect_seccomp_error (&s, "linux.seccomp.syscalls[0].args[1].index: 6 is "
                            "out of range [0, 5]");
  sc.n_args = 0;
  sc.n_names = 0;
  expect_seccomp_error (&s, "linux.seccomp.syscalls[0].names: must contain "
                            "at least one entry");
}

static void
test_seccomp_arches_flags (void **state)
{
  /* Those libseccomp 2.5 knows; the spec lists a few newer ones.  */
  static const char *const arches[]
      = { "SCMP_ARCH_X86",       "SCMP_ARCH_X86_64",    "SCMP_ARCH_X32",
          "SCMP_ARCH_ARM",       "SCMP_ARCH_AARCH64",   "SCMP_ARCH_MIPS",
          "SCMP_ARCH_MIPS64",    "SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPSEL",
          "SCMP_ARCH_MIPSEL64",  "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC",
          "SCMP_ARCH_PPC64",     "SCMP_ARCH_PPC64LE",   "SCMP_ARCH_S390",
          "SCMP_ARCH_S390X",     "SCMP_ARCH_PARISC",    "SCMP_ARCH_PARISC64",
          "SCMP_ARCH_RISCV64" };
  char *arch[1];
  /* Checked against the running kernel; berth loads the filter itself, so
     the libseccomp version does not matter.  */
  char *flags[] = { "SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG",
                    "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
                    "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV" };
  char *bad_flag[] = { "SECCOMP_FILTER_FLAG_FOO" };
  oci_seccomp s = { .default_action = "SCMP_ACT_ALLOW",
                    .architectures = arch, .n_architectures = 1 };

  for (size_t i = 0; i < N_ELEMS (arches); i++)
    {
      arch[0] = (char *) arches[i];
      expect_seccomp_valid (&s);
    }
  arch[0] = "SCMP_ARCH_VAX";
  expect_seccomp_error (&s, "linux.seccomp.architectures[0]: unknown "
                            "architecture \"SCMP_ARCH_VAX\"");
  arch[0] = "x86_64";
  expect_seccomp_error (&s, "linux.seccomp.architectures[0]: unknown "
                            "architecture \"x86_64\"");
  s.n_architectures = 0;

  s.flags = flags;
  s.n_flags = N_ELEMS (flags);
  expect_seccomp_valid (&s);
  s.flags = bad_flag;
  s.n_flags = 1;
  expect_seccomp_error (&s, "linux.seccomp.flags[0]: unknown flag "
                            "\"SECCOMP_FILTER_FLAG_FOO\"");
}

/* berth loads libcap before it parses a name (cap-api.h).  */
static int
load_libcap (void **state)
{
  berth_error *err = NULL;

  (void) state;
  if (cap_api_load (&err) < 0)
    {
      fprintf (stderr, "%s\n", err->msg);
      berth_error_free (err);
      return -1;
    }
  return 0;
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_cap_names),
    cmocka_unit_test (test_caps_every_known_name),
    cmocka_unit_test (test_caps_validate_paths),
    cmocka_unit_test (test_process_basics),
    cmocka_unit_test (test_rlimits),
    cmocka_unit_test (test_scheduler),
    cmocka_unit_test (test_io_priority),
    cmocka_unit_test (test_personality),
    cmocka_unit_test (test_cpu_affinity),
    cmocka_unit_test (test_seccomp_actions),
    cmocka_unit_test (test_seccomp_notify),
    cmocka_unit_test (test_seccomp_args),
    cmocka_unit_test (test_seccomp_arches_flags),
  };
  return cmocka_run_group_tests (tests, load_libcap, NULL);
}
