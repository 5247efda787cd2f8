/* Unit tests of the pure part of the cgroup managers (cgroups/convert.c,
 * cgroups/hierarchies.c) and of the device eBPF program builder (cgroups/devices-bpf.c), whose
 * output is run here through a small interpreter of the instructions it
 * uses and compared with cg_dev_check for every device and access.  */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdbool.h>
#include <unistd.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cgroups/convert.h"
#include "cgroups/devices-bpf.h"
#include "cgroups/hierarchies.h"
#include "cgroups/join.h"
#include "base/utils.h"

#define N_ELEMS(a) (sizeof (a) / sizeof ((a)[0]))

/* ---- the self-join (join.c) ---------------------------------------------- */

static bool
fd_open (int fd)
{
  return fcntl (fd, F_GETFD) >= 0;
}

/* Each file gets "0" (the caller's own thread), and every fd is closed. */
static void
test_join_self_writes (void **state)
{
  cgroup_join j;
  int p[2][2], dir;
  char buf[8];
  berth_error *err = NULL;

  (void) state;
  cgroup_join_init (&j);
  for (int i = 0; i < 2; i++)
    {
      assert_int_equal (pipe2 (p[i], O_CLOEXEC), 0);
      j.paths[i] = i ? "/b" : "/a";
      j.fds[j.n_fds++] = p[i][1];
    }
  dir = open ("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
  j.clone_fd = dir;
  assert_int_equal (cgroup_join_self (&j, &err), 0);
  assert_null (err);
  for (int i = 0; i < 2; i++)
    {
      assert_false (fd_open (p[i][1]));
      assert_int_equal (read (p[i][0], buf, sizeof buf), 1);
      assert_int_equal (buf[0], '0');
      close (p[i][0]);
    }
  assert_false (fd_open (dir));
  assert_int_equal (j.n_fds, 0);
  assert_int_equal (j.clone_fd, -1);
}

/* The first refusal is the error (naming that cgroup); nothing after it
   is written, and nothing stays open either.  */
static void
test_join_self_failure (void **state)
{
  cgroup_join j;
  int full, p[2];
  char buf[8];
  berth_error *err = NULL;

  (void) state;
  cgroup_join_init (&j);
  full = open ("/dev/full", O_WRONLY | O_CLOEXEC);
  assert_true (full >= 0);
  assert_int_equal (pipe2 (p, O_CLOEXEC | O_NONBLOCK), 0);
  j.paths[0] = "/ctr";
  j.fds[j.n_fds++] = full;
  j.paths[1] = "/after";
  j.fds[j.n_fds++] = p[1];
  assert_int_equal (cgroup_join_self (&j, &err), -1);
  assert_non_null (err);
  assert_non_null (strstr (err->msg, "move into cgroup /ctr"));
  assert_int_equal (err->errnum, ENOSPC);
  berth_error_free (err);
  assert_false (fd_open (full));
  assert_false (fd_open (p[1]));
  assert_int_equal (read (p[0], buf, sizeof buf), 0);   /* EOF: unwritten */
  close (p[0]);
}

/* ---- values ---------------------------------------------------------- */

static void
test_shares_to_weight (void **state)
{
  (void) state;
  assert_int_equal (cg_shares_to_weight (0), 0);
  assert_int_equal (cg_shares_to_weight (1), 1);   /* clamped to 2 */
  assert_int_equal (cg_shares_to_weight (2), 1);
  assert_int_equal (cg_shares_to_weight (1024), 39);
  assert_int_equal (cg_shares_to_weight (262144), 10000);
  assert_int_equal (cg_shares_to_weight (1000000), 10000);
}

static void
test_blkio_to_io_weight (void **state)
{
  (void) state;
  assert_int_equal (cg_blkio_to_io_weight (0), 0);
  assert_int_equal (cg_blkio_to_io_weight (5), 1);
  assert_int_equal (cg_blkio_to_io_weight (10), 1);
  assert_int_equal (cg_blkio_to_io_weight (500), 4950);
  assert_int_equal (cg_blkio_to_io_weight (1000), 10000);
  assert_int_equal (cg_blkio_to_io_weight (65535), 10000);
}

static char *
swap_ok (bool has_limit, int64_t limit, bool has_swap, int64_t swap)
{
  oci_memory m = { .has_limit = has_limit, .limit = limit,
                   .has_swap = has_swap, .swap = swap };
  berth_error *err = NULL;
  char *out = (char *) 1;
  if (cg_swap_v2 (&m, &out, &err) < 0)
    fail_msg ("unexpected error: %s", err->msg);
  return out;
}

static void
swap_err (bool has_limit, int64_t limit, int64_t swap, const char *needle)
{
  oci_memory m = { .has_limit = has_limit, .limit = limit, .has_swap = true,
                   .swap = swap };
  berth_error *err = NULL;
  char *out = NULL;
  assert_int_equal (cg_swap_v2 (&m, &out, &err), -1);
  assert_non_null (err);
  if (strstr (err->msg, needle) == NULL)
    fail_msg ("\"%s\" lacks \"%s\"", err->msg, needle);
  assert_non_null (strstr (err->msg, "linux.resources.memory."));
  berth_error_free (err);
}

static void
test_swap_v2 (void **state)
{
  char *s;
  (void) state;
  assert_null (swap_ok (false, 0, false, 0));
  assert_null (swap_ok (true, 1000, false, 0));
  assert_null (swap_ok (true, 1000, true, 0));
  s = swap_ok (true, -1, false, 0);
  assert_string_equal (s, "max");
  free (s);
  s = swap_ok (true, 1000, true, -1);
  assert_string_equal (s, "max");
  free (s);
  s = swap_ok (true, 1000, true, 3000);
  assert_string_equal (s, "2000");
  free (s);
  /* memory == memory+swap: no swap; the caller writes "0".  */
  s = swap_ok (true, 1000, true, 1000);
  assert_string_equal (s, "0");
  free (s);
  swap_err (false, 0, 1000, "needs a memory limit");
  swap_err (true, -1, 1000, "needs a memory limit");
  swap_err (true, 2000, 1000, "below memory.limit");
  swap_err (true, 2000, -5, "invalid value");
}

static void
test_limit_and_numbers (void **state)
{
  char *s;
  uint64_t v;
  (void) state;
  s = cg_limit_str (-1);
  assert_string_equal (s, "max");
  free (s);
  s = cg_limit_str (0);
  assert_string_equal (s, "0");
  free (s);
  s = cg_limit_str (12345);
  assert_string_equal (s, "12345");
  free (s);
  assert_int_equal (cg_parse_u64_max ("123\n", &v), 0);
  assert_int_equal (v, 123);
  assert_int_equal (cg_parse_u64_max ("max\n", &v), 0);
  assert_true (v == UINT64_MAX);
  assert_int_equal (cg_parse_u64_max (" 9223372036854771712", &v), 0);
  assert_true (v == 9223372036854771712ULL);
  assert_int_equal (cg_parse_u64_max ("", &v), -1);
  assert_int_equal (cg_parse_u64_max ("-1", &v), -1);
  assert_int_equal (cg_parse_u64_max ("12 34", &v), -1);
  assert_int_equal (cg_parse_u64_max ("maxi", &v), -1);
  assert_int_equal (cg_parse_u64_max ("99999999999999999999999", &v), -1);
}

static void
test_cpu_max (void **state)
{
  static const struct
  {
    bool hq;
    int64_t q;
    bool hp;
    uint64_t p;
    const char *current;
    const char *want; /* NULL: nothing to write */
  } cases[] = {
    { false, 0, false, 0, "max 100000\n", NULL },
    { true, 0, false, 0, "max 100000\n", NULL },       /* 0 is unset */
    { true, 20000, true, 100000, "max 100000\n", "20000 100000" },
    { true, 20000, false, 0, "max 50000\n", "20000 50000" },
    { false, 0, true, 50000, "20000 100000\n", "20000 50000" },
    { true, -1, false, 0, "20000 100000\n", "max 100000" },
    { true, -5, true, 10000, NULL, "max 10000" },
    { true, 30000, false, 0, NULL, "30000" },
    { false, 0, true, 1000, NULL, "max 1000" },
  };
  (void) state;
  for (size_t i = 0; i < N_ELEMS (cases); i++)
    {
      oci_cpu c = { .has_quota = cases[i].hq, .quota = cases[i].q,
                    .has_period = cases[i].hp, .period = cases[i].p };
      char *s = cg_cpu_max (&c, cases[i].current);
      if (cases[i].want == NULL)
        assert_null (s);
      else
        {
          if (s == NULL || strcmp (s, cases[i].want) != 0)
            fail_msg ("case %zu: got \"%s\", want \"%s\"", i, s ? s : "(null)",
                      cases[i].want);
        }
      free (s);
    }
}

static void
test_page_size (void **state)
{
  static const struct
  {
    const char *in;
    uint64_t bytes;
    const char *name;
  } good[] = {
    { "2MB", 2ULL << 20, "2MB" },   { "1GB", 1ULL << 30, "1GB" },
    { "64KB", 64ULL << 10, "64KB" }, { "2048KB", 2ULL << 20, "2MB" },
    { "1024MB", 1ULL << 30, "1GB" }, { "16GB", 16ULL << 30, "16GB" },
    { "1024B", 1024, "1KB" },        { "1TB", 1ULL << 40, "1024GB" },
  };
  static const char *bad[] = { "",     "MB",    "2mb",  "2M",   "2 MB",
                               "0MB",  "3MB",   "2MBB", "2XB",  "512B",
                               "-2MB", "99999999999999999999MB",
                               "16777216TB" };
  (void) state;
  for (size_t i = 0; i < N_ELEMS (good); i++)
    {
      berth_error *err = NULL;
      uint64_t b = 0;
      char *name = NULL;
      if (cg_page_size_parse (good[i].in, &b, &name, &err) < 0)
        fail_msg ("%s: %s", good[i].in, err->msg);
      assert_true (b == good[i].bytes);
      assert_string_equal (name, good[i].name);
      free (name);
    }
  for (size_t i = 0; i < N_ELEMS (bad); i++)
    {
      berth_error *err = NULL;
      uint64_t b;
      char *name = NULL;
      if (cg_page_size_parse (bad[i], &b, &name, &err) == 0)
        fail_msg ("\"%s\" accepted", bad[i]);
      assert_non_null (err);
      assert_null (name);
      berth_error_free (err);
    }
}

/* ---- paths ----------------------------------------------------------- */

static void
test_path_parent (void **state)
{
  static const char *cases[][2] = {
    { "/a/b/c", "/a/b" }, { "/a", "/" }, { "/", "/" }, { "", "/" },
  };
  (void) state;
  for (size_t i = 0; i < N_ELEMS (cases); i++)
    {
      char *p = cg_path_parent (cases[i][0]);
      assert_string_equal (p, cases[i][1]);
      free (p);
    }
}

static void
test_resolve_path (void **state)
{
  static const struct
  {
    const char *path, *id, *base, *want;
  } good[] = {
    { NULL, "ctr", "/user.slice", "/user.slice/ctr" },
    { "", "ctr", "/", "/ctr" },
    { "/abs/x", "ctr", "/ignored", "/abs/x" },
    { "rel/x", "ctr", "/own/proc", "/own/proc/rel/x" },
    { "./a//b/", "ctr", "/", "/a/b" },
    { "//a/./b", "ctr", "/base", "/a/b" },
    { "a:b", "ctr", "/", "/a:b" },            /* one colon: a cgroupfs path */
    { "/a:b:c", "ctr", "/", "/a:b:c" },       /* has a slash: not systemd */
    { NULL, "c", "/x/", "/x/c" },
    { "x", "c", NULL, "/x" },
  };
  static const struct
  {
    const char *path, *needle;
  } bad[] = {
    { "a/../b", "\"..\" components are not allowed" },
    { "/..", "\"..\"" },
    { "..", "\"..\"" },
    { "system.slice:docker:abc", "--systemd-cgroup" },
    { "machine.slice::x", "--systemd-cgroup" },
    { "/", "root cgroup" },
    { "/./", "root cgroup" },
    { "a;b", "';'" },
    { "a\nb", "newlines" },
  };
  (void) state;
  for (size_t i = 0; i < N_ELEMS (good); i++)
    {
      berth_error *err = NULL;
      char *out = NULL;
      if (cg_resolve_path (good[i].path, good[i].id, good[i].base, &out, &err)
          < 0)
        fail_msg ("case %zu: %s", i, err->msg);
      if (strcmp (out, good[i].want) != 0)
        fail_msg ("case %zu: got %s, want %s", i, out, good[i].want);
      free (out);
    }
  for (size_t i = 0; i < N_ELEMS (bad); i++)
    {
      berth_error *err = NULL;
      char *out = NULL;
      assert_int_equal (cg_resolve_path (bad[i].path, "id", "/", &out, &err),
                        -1);
      assert_null (out);
      if (strstr (err->msg, bad[i].needle) == NULL
          || strstr (err->msg, "linux.cgroupsPath") == NULL)
        fail_msg ("case %zu: \"%s\" lacks \"%s\"", i, err->msg, bad[i].needle);
      berth_error_free (err);
    }
  {
    berth_error *err = NULL;
    char *out = NULL;
    assert_int_equal (cg_resolve_path (NULL, NULL, "/", &out, &err), -1);
    berth_error_free (err);
  }
}

/* ---- files ------------------------------------------------------------ */

static void
test_kv_get (void **state)
{
  const char *events = "populated 1\nfrozen 0\n";
  const char *stat = "usage_usec 1234\nuser_usec 1000\nsystem_usec 234\n"
                     "nr_periods 5\nnr_throttled 2\nthrottled_usec 77";
  uint64_t v;
  (void) state;
  assert_true (cg_kv_get (events, "populated", &v));
  assert_int_equal (v, 1);
  assert_true (cg_kv_get (events, "frozen", &v));
  assert_int_equal (v, 0);
  assert_false (cg_kv_get (events, "froze", &v));
  assert_false (cg_kv_get (events, "pop", &v));
  assert_true (cg_kv_get (stat, "throttled_usec", &v));
  assert_int_equal (v, 77);
  assert_true (cg_kv_get (stat, "nr_throttled", &v));
  assert_int_equal (v, 2);
  assert_false (cg_kv_get ("", "x", &v));
  assert_false (cg_kv_get ("x max\n", "x", &v));
  /* oom_control has a key that is a prefix of another.  */
  assert_true (cg_kv_get ("oom_kill_disable 0\nunder_oom 0\noom_kill 3\n",
                          "oom_kill", &v));
  assert_int_equal (v, 3);
}

static void
test_io_stats (void **state)
{
  cgroup_stats s = { 0 };
  (void) state;
  cg_io_stat_parse ("8:0 rbytes=100 wbytes=200 rios=1 wios=2 dbytes=0 dios=0\n"
                    "8:16 rbytes=1 wbytes=2 rios=3 wios=4\n",
                    &s);
  assert_int_equal (s.n_io, 2);
  assert_int_equal (s.io[0].major, 8);
  assert_int_equal (s.io[0].minor, 0);
  assert_int_equal (s.io[0].read_bytes, 100);
  assert_int_equal (s.io[0].write_bytes, 200);
  assert_int_equal (s.io[0].read_ios, 1);
  assert_int_equal (s.io[0].write_ios, 2);
  assert_int_equal (s.io[1].minor, 16);
  assert_int_equal (s.io[1].write_ios, 4);

  memset (&s, 0, sizeof s);
  cg_io_stat_parse ("", &s);
  assert_int_equal (s.n_io, 0);

  /* v1: two files fill the same entries; Sync, Async, Total are not
     runc's Read/Write entries.  */
  cg_blkio_parse ("8:0 Read 10\n8:0 Write 20\n8:0 Sync 5\n8:0 Async 25\n"
                  "8:0 Total 30\n8:16 Read 1\n8:16 Write 2\nTotal 33\n",
                  true, &s);
  cg_blkio_parse ("8:16 Read 7\nTotal 7\n", false, &s);
  assert_int_equal (s.n_io, 2);
  assert_int_equal (s.io[0].read_bytes, 10);
  assert_int_equal (s.io[0].write_bytes, 20);
  assert_int_equal (s.io[1].read_bytes, 1);
  assert_int_equal (s.io[1].read_ios, 7);

  memset (&s, 0, sizeof s);
  cg_blkio_parse ("Total 0\n", true, &s);
  assert_int_equal (s.n_io, 0);
}

static void
test_words (void **state)
{
  (void) state;
  assert_true (cg_words_has ("cpuset cpu io memory\n", "cpu"));
  assert_true (cg_words_has ("cpuset cpu io memory\n", "memory"));
  assert_false (cg_words_has ("cpuset io memory\n", "cpu"));
  assert_false (cg_words_has ("", "cpu"));
  assert_true (cg_controllers_has ("cpu,cpuacct", "cpuacct"));
  assert_true (cg_controllers_has ("cpu,cpuacct", "cpu"));
  assert_false (cg_controllers_has ("cpuacct", "cpu"));
  assert_true (cg_controllers_has ("name=systemd", "name=systemd"));
  assert_false (cg_controllers_has ("", "cpu"));
}

static void
test_unified_key (void **state)
{
  static const char *good[][2] = {
    { "memory.high", "memory" },
    { "io.max", "io" },
    { "hugetlb.1GB.max", "hugetlb" },
    { "cgroup.max.descendants", "cgroup" },
  };
  static const char *bad[] = { "",         "memory",         "../x",
                               "a/b",      ".",              "..",
                               ".max",     "memory.",        "cgroup.procs",
                               "cgroup.threads", "cgroup.subtree_control",
                               "cgroup.kill", "cgroup.freeze", "cgroup.type" };
  (void) state;
  for (size_t i = 0; i < N_ELEMS (good); i++)
    {
      berth_error *err = NULL;
      char *c = NULL;
      if (cg_unified_key_check (good[i][0], &c, &err) < 0)
        fail_msg ("%s: %s", good[i][0], err->msg);
      assert_string_equal (c, good[i][1]);
      free (c);
    }
  for (size_t i = 0; i < N_ELEMS (bad); i++)
    {
      berth_error *err = NULL;
      char *c = NULL;
      if (cg_unified_key_check (bad[i], &c, &err) == 0)
        fail_msg ("\"%s\" accepted", bad[i]);
      assert_non_null (strstr (err->msg, "linux.resources.unified"));
      berth_error_free (err);
    }
}

/* This host's (hybrid, cpu and cpuacct apart, a nested memory cgroup).  */
static const char hybrid_mountinfo[]
    = "22 1 8:1 / / rw,relatime - ext4 /dev/sda1 rw\n"
      "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
      "32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n"
      "33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup "
      "rw,cpuacct\n"
      "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup "
      "rw,memory\n"
      "37 31 0:34 / /sys/fs/cgroup/freezer rw,relatime - cgroup cgroup "
      "rw,freezer\n"
      "40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup "
      "rw,xattr,name=systemd\n"
      "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n";
static const char hybrid_self[] = "9:name=systemd:/\n"
                                  "6:freezer:/\n"
                                  "4:memory:/process_api/abc\n"
                                  "2:cpuacct:/\n"
                                  "1:cpu:/\n"
                                  "10:net_cls,net_prio:/\n"
                                  "11:name=other:/\n"
                                  "0::/user.slice/x.scope\n";

static const cg_hierarchy *
find (const cg_hierarchy *h, size_t n, const char *controllers)
{
  for (size_t i = 0; i < n; i++)
    if (strcmp (h[i].controllers, controllers) == 0)
      return &h[i];
  return NULL;
}

static void
test_hierarchies_hybrid (void **state)
{
  berth_error *err = NULL;
  cg_hierarchy *h = NULL;
  size_t n = 0;
  const cg_hierarchy *e;
  (void) state;

  if (cg_hierarchies_parse (hybrid_mountinfo, hybrid_self, true, &h, &n, &err)
      < 0)
    fail_msg ("%s", err->msg);
  /* name=systemd, freezer, memory, cpuacct, cpu; net_cls is not mounted,
     name=other is not wanted; the cgroup2 one last.  */
  assert_int_equal (n, 6);
  e = find (h, n, "memory");
  assert_non_null (e);
  assert_string_equal (e->mountpoint, "/sys/fs/cgroup/memory");
  assert_string_equal (e->own_path, "/process_api/abc");
  assert_string_equal (e->mount_root, "/");
  e = find (h, n, "name=systemd");
  assert_non_null (e);
  assert_string_equal (e->mountpoint, "/sys/fs/cgroup/systemd");
  assert_null (find (h, n, "net_cls,net_prio"));
  assert_null (find (h, n, "name=other"));
  assert_string_equal (h[n - 1].controllers, "");
  assert_string_equal (h[n - 1].mountpoint, "/sys/fs/cgroup/unified");
  assert_string_equal (h[n - 1].own_path, "/user.slice/x.scope");
  cg_hierarchies_free (h, n);

  /* Legacy: no cgroup2 entry wanted.  */
  assert_int_equal (cg_hierarchies_parse (hybrid_mountinfo, hybrid_self, false,
                                          &h, &n, &err),
                    0);
  assert_int_equal (n, 5);
  cg_hierarchies_free (h, n);
}

/* The init's own cgroups on the hierarchies its runtime read: each
   own_path from the line naming the same controllers.  */
static void
test_hierarchies_own_paths (void **state)
{
  static const char init_self[]
      = "12:name=systemd:/c1\n5:memory:/process_api/abc/c1\n"
        "4:freezer:/c1\n2:cpuacct:/c1\n1:cpu:/c1\n0::/c1\n"
        "2:net_cls,net_prio:/\n";
  berth_error *err = NULL;
  cg_hierarchy *h = NULL;
  size_t n = 0;
  const cg_hierarchy *e;
  (void) state;

  if (cg_hierarchies_parse (hybrid_mountinfo, hybrid_self, true, &h, &n, &err)
      < 0)
    fail_msg ("%s", err->msg);
  assert_int_equal (cg_hierarchies_set_own_paths (&h, n, init_self, &err), 0);
  e = find (h, n, "memory");
  assert_string_equal (e->own_path, "/process_api/abc/c1");
  e = find (h, n, "name=systemd");
  assert_string_equal (e->own_path, "/c1");
  assert_string_equal (h[n - 1].own_path, "/c1");
  /* A hierarchy the other process has no line for: an error, nothing
     guessed.  */
  assert_int_equal (cg_hierarchies_set_own_paths (&h, n, "0::/c1\n", &err),
                    -1);
  assert_non_null (strstr (err->msg, "no entry"));
  berth_error_free (err);
  cg_hierarchies_free (h, n);
}

static void
test_hierarchies_comount (void **state)
{
  /* cpu,cpuacct co-mounted at an escaped path, a subtree mount (root not
     "/") beside the full one, and no cgroup2 mount.  */
  static const char mi[]
      = "30 25 0:26 /docker/x /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup "
        "rw,cpuacct,cpu\n"
        "31 25 0:26 / /mnt/my\\040cg rw - cgroup cgroup rw,cpuacct,cpu\n";
  static const char self[] = "3:cpu,cpuacct:/docker/x\n0::/\n";
  berth_error *err = NULL;
  cg_hierarchy *h = NULL;
  size_t n = 0;
  char *dir;
  (void) state;

  assert_int_equal (cg_hierarchies_parse (mi, self, false, &h, &n, &err), 0);
  assert_int_equal (n, 1);
  assert_string_equal (h[0].controllers, "cpu,cpuacct");
  assert_string_equal (h[0].mountpoint, "/mnt/my cg");  /* the root "/" one */
  cg_hierarchies_free (h, n);
  assert_int_equal (cg_hierarchies_parse (mi, self, true, &h, &n, &err), -1);
  assert_non_null (strstr (err->msg, "cgroup2"));
  berth_error_free (err);
  err = NULL;

  /* A subtree mount only: the directory strips the mount root.  */
  assert_int_equal (cg_hierarchies_parse (mi, self, false, &h, &n, &err), 0);
  cg_hierarchies_free (h, n);
  dir = cg_hierarchy_dir ("/sys/fs/cgroup/cpu", "/docker/x", "/docker/x/ctr");
  assert_string_equal (dir, "/sys/fs/cgroup/cpu/ctr");
  free (dir);
  dir = cg_hierarchy_dir ("/sys/fs/cgroup/cpu", "/docker/x", "/other/ctr");
  assert_string_equal (dir, "/sys/fs/cgroup/cpu/other/ctr");
  free (dir);
  dir = cg_hierarchy_dir ("/sys/fs/cgroup/cpu", "/docker/x", "/docker/xy");
  assert_string_equal (dir, "/sys/fs/cgroup/cpu/docker/xy");
  free (dir);
  dir = cg_hierarchy_dir ("/sys/fs/cgroup", "/", "/a/b");
  assert_string_equal (dir, "/sys/fs/cgroup/a/b");
  free (dir);
}

/* A host's table of a few hundred mounts, the cgroup ones among the
   others (escaped names, optional fields, a last line without its
   newline): each hierarchy's mount and path come from its own line, the
   cgroup2 one from the mount showing its whole tree.  */
static void
test_hierarchies_long_table (void **state)
{
  static const char self[]
      = "12:pids:/user.slice/my app:1\n"
        "\n"
        "4:cpu,cpuacct:/c\n"
        "1:name=systemd:/init.scope\n"
        "0::/user.slice\n";
  char *mi = xstrdup ("");
  berth_error *err = NULL;
  cg_hierarchy *h = NULL, *c;
  size_t n = 0;
  (void) state;

  for (int i = 0; i < 300; i++)
    {
      char *next = xasprintf (
          "%s%d 27 0:%d / /run/user/%d/a\\040b\\134c rw,relatime shared:%d "
          "master:1 - tmpfs tmpfs rw,size=4k,mode=700\n",
          mi, 100 + i, 100 + i, i, i);
      free (mi);
      mi = next;
      /* Subtrees (a container's view) before and after the whole
         trees.  */
      if (i == 10)
        next = xasprintf ("%s%s", mi,
                          "60 31 0:38 /user.slice /mnt/u2 rw - cgroup2 "
                          "cgroup2 rw\n"
                          "61 31 0:29 / /sys/fs/cgroup/cpu,cpuacct "
                          "rw,relatime shared:5 - cgroup cgroup "
                          "rw,cpuacct,cpu\n");
      else if (i == 150)
        next = xasprintf ("%s%s", mi,
                          "62 31 0:38 / /sys/fs/cgroup/unified rw - cgroup2 "
                          "cgroup2 rw,nsdelegate\n"
                          "63 31 0:40 / /sys/fs/cgroup/p\\011ids rw - "
                          "cgroup cgroup rw,pids\n");
      else if (i == 250)
        next = xasprintf ("%s%s", mi,
                          "65 31 0:38 /user.slice /mnt/u3 rw - cgroup2 "
                          "cgroup2 rw\n"
                          "66 31 0:29 /c /mnt/c rw - cgroup cgroup "
                          "rw,cpu,cpuacct\n");
      else
        continue;
      free (mi);
      mi = next;
    }
  {
    char *next = xasprintf ("%s64 31 0:37 / /sys/fs/cgroup/systemd rw - "
                            "cgroup cgroup rw,xattr,name=systemd",
                            mi);
    free (mi);
    mi = next;
  }

  if (cg_hierarchies_parse (mi, self, true, &h, &n, &err) < 0)
    fail_msg ("%s", err->msg);
  assert_int_equal (n, 4);
  assert_string_equal (h[0].controllers, "pids");
  assert_string_equal (h[0].mountpoint, "/sys/fs/cgroup/p\tids");
  assert_string_equal (h[0].own_path, "/user.slice/my app:1");
  assert_string_equal (h[1].controllers, "cpu,cpuacct");
  assert_string_equal (h[1].mountpoint, "/sys/fs/cgroup/cpu,cpuacct");
  assert_string_equal (h[1].own_path, "/c");
  assert_string_equal (h[2].controllers, "name=systemd");
  assert_string_equal (h[2].mountpoint, "/sys/fs/cgroup/systemd");
  assert_string_equal (h[2].own_path, "/init.scope");
  assert_string_equal (h[3].controllers, "");
  assert_string_equal (h[3].mountpoint, "/sys/fs/cgroup/unified");
  assert_string_equal (h[3].mount_root, "/");
  assert_string_equal (h[3].own_path, "/user.slice");

  /* A copy is a list of its own: the same strings, elsewhere.  */
  c = cg_hierarchies_copy (h, n);
  for (size_t i = 0; i < n; i++)
    {
      assert_string_equal (c[i].controllers, h[i].controllers);
      assert_string_equal (c[i].mountpoint, h[i].mountpoint);
      assert_string_equal (c[i].mount_root, h[i].mount_root);
      assert_string_equal (c[i].own_path, h[i].own_path);
      assert_ptr_not_equal (c[i].own_path, h[i].own_path);
    }
  cg_hierarchies_free (h, n);
  assert_string_equal (c[3].mountpoint, "/sys/fs/cgroup/unified");
  cg_hierarchies_free (c, n);
  free (mi);
}

/* Lines that are not whole cgroup mounts are passed over; the escapes
   the kernel writes are decoded, anything else kept as it is.  */
static void
test_hierarchies_odd_lines (void **state)
{
  static const char mi[]
      = "1 2 3:4 / - cgroup cgroup rw,memory\n"           /* no point */
        "1 2 3:4 / /m rw - cgroup cgroup\n"               /* no options */
        "1 2 3:4 / /mf rw - cgroupfs cgroup rw,memory\n"  /* other type */
        "1 2 3:4 / /v2 rw - cgroup2 cgroup2 rw,memory\n"  /* not v1 */
        "1  2 3:4 / /sys/fs/cgroup/m\\134e\\04 rw - cgroup  cgroup "
        "rw,memory\n";
  static const char self[] = "3:memory:/a\n0::/\n";
  berth_error *err = NULL;
  cg_hierarchy *h = NULL;
  size_t n = 0;
  (void) state;

  if (cg_hierarchies_parse (mi, self, false, &h, &n, &err) < 0)
    fail_msg ("%s", err->msg);
  assert_int_equal (n, 1);
  assert_string_equal (h[0].controllers, "memory");
  assert_string_equal (h[0].mountpoint, "/sys/fs/cgroup/m\\e\\04");
  cg_hierarchies_free (h, n);

  /* A line of /proc/self/cgroup without its two colons: the error names
     it, wherever it is.  */
  assert_int_equal (cg_hierarchies_parse (mi, "3:memory:/a\n5:cpu\n", false,
                                          &h, &n, &err),
                    -1);
  assert_string_equal (err->msg,
                       "/proc/self/cgroup: malformed line \"5:cpu\"");
  berth_error_free (err);
  err = NULL;

  /* set_own_paths refusing keeps the list as it was.  */
  assert_int_equal (cg_hierarchies_parse (mi, self, true, &h, &n, &err), 0);
  assert_int_equal (n, 2);
  assert_string_equal (h[1].mountpoint, "/v2");
  {
    cg_hierarchy *before = h;
    assert_int_equal (
        cg_hierarchies_set_own_paths (&h, n, "3:memory:/b\nbad\n0::/b\n",
                                      &err),
        -1);
    assert_ptr_equal (h, before);
    assert_string_equal (h[0].own_path, "/a");
    berth_error_free (err);
    err = NULL;
  }
  assert_int_equal (
      cg_hierarchies_set_own_paths (&h, n, "0::/b c\n3:memory:/b\n", &err),
      0);
  assert_string_equal (h[0].own_path, "/b");
  assert_string_equal (h[0].mountpoint, "/sys/fs/cgroup/m\\e\\04");
  assert_string_equal (h[1].own_path, "/b c");
  cg_hierarchies_free (h, n);
}

/* The v1 state's entries with and without the hierarchy's mount (one a
   subtree mount); malformed ones are refused.  */
static void
test_state_entries (void **state)
{
  const char *st = "name=systemd:/c;cpu:/c;memory:/pod/c;:/c;"
                   "+name=systemd@/sys/fs/cgroup/systemd@/:/;"
                   "+memory@/sys/fs/cgroup/memory@/pod:/;"
                   "+@/sys/fs/cgroup/unified@/:/";
  const char *bad[] = {
    "memory:x", "memory:/../x", "memory:/a;+memory@/m:/",
    "memory:/a;+memory@m@/:/", "memory:/a;+memory@/m/..@/:/",
    "memory:/a;+memory@/m@/:/x",
  };
  berth_error *err = NULL;
  cg_state_entry *e = NULL;
  size_t n = 0;
  char *dir;
  (void) state;

  assert_int_equal (cg_state_parse (st, &e, &n, &err), 0);
  assert_int_equal (n, 4);
  assert_string_equal (e[0].controllers, "name=systemd");
  assert_string_equal (e[0].mountpoint, "/sys/fs/cgroup/systemd");
  assert_string_equal (e[0].mount_root, "/");
  assert_string_equal (e[1].controllers, "cpu");
  assert_null (e[1].mountpoint);
  assert_string_equal (e[1].path, "/c");
  assert_string_equal (e[2].mount_root, "/pod");
  assert_string_equal (e[3].controllers, "");
  assert_string_equal (e[3].mountpoint, "/sys/fs/cgroup/unified");
  cg_state_entries_free (e, n);
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    {
      assert_int_equal (cg_state_parse (bad[i], &e, &n, &err), -1);
      assert_non_null (err);
      berth_error_free (err);
      err = NULL;
    }
  dir = cg_state_dir (st, "memory", "/unused");
  assert_string_equal (dir, "/sys/fs/cgroup/memory/c");
  free (dir);
  dir = cg_state_dir (st, "cpu", "/sys/fs/cgroup/cpu");
  assert_string_equal (dir, "/sys/fs/cgroup/cpu/c");
  free (dir);
  dir = cg_state_dir (st, "", "/unused");
  assert_string_equal (dir, "/sys/fs/cgroup/unified/c");
  free (dir);
  assert_null (cg_state_dir (st, "freezer", "/sys/fs/cgroup/freezer"));
  /* The systemd driver's state: its unit entries are not hierarchies.  */
  dir = cg_state_dir ("systemd;x.scope;freezer:/s/x;+freezer@/f@/:/",
                      "freezer", "/u");
  assert_string_equal (dir, "/f/s/x");
  free (dir);
}

static void
test_proc_cgroup_v2 (void **state)
{
  berth_error *err = NULL;
  char *p = NULL;
  (void) state;
  assert_int_equal (cg_proc_cgroup_v2_path ("0::/system.slice/a b:c\n", &p,
                                            &err),
                    0);
  assert_string_equal (p, "/system.slice/a b:c");
  free (p);
  assert_int_equal (cg_proc_cgroup_v2_path ("1:cpu:/\n", &p, &err), -1);
  berth_error_free (err);
  err = NULL;
  assert_int_equal (cg_proc_cgroup_v2_path ("garbage\n", &p, &err), -1);
  berth_error_free (err);
}

/* ---- devices ------------------------------------------------------------ */

#define ALL (CG_DEV_READ | CG_DEV_WRITE | CG_DEV_MKNOD)

static cg_dev_program
compile_ok (const oci_device_cgroup *d, size_t n)
{
  berth_error *err = NULL;
  cg_dev_program p;
  if (cg_dev_compile (d, n, &p, &err) < 0)
    fail_msg ("%s", err->msg);
  return p;
}

static void
test_dev_compile (void **state)
{
  oci_device_cgroup runc_like[] = {
    { .allow = false, .access = "rwm" },
    { .allow = true, .type = 'c', .access = "m" },
    { .allow = true, .type = 'b', .access = "m" },
    { .allow = true, .type = 'c', .has_major = true, .major = 1,
      .has_minor = true, .minor = 3, .access = "rwm" },
    { .allow = true, .type = 'c', .has_major = true, .major = 136,
      .access = "rwm" },
    { .allow = false, .type = 'c', .has_major = true, .major = 1,
      .has_minor = true, .minor = 3, .access = "w" },
  };
  cg_dev_program p = compile_ok (runc_like, N_ELEMS (runc_like));
  char *line;
  (void) state;

  assert_true (p.has_reset);
  assert_false (p.default_allow);
  assert_int_equal (p.n_rules, 5);
  line = cg_dev_rule_v1 (&p.rules[0]);
  assert_string_equal (line, "c *:* m");
  free (line);
  line = cg_dev_rule_v1 (&p.rules[3]);
  assert_string_equal (line, "c 136:* rwm");
  free (line);
  line = cg_dev_rule_v1 (&p.rules[4]);
  assert_string_equal (line, "c 1:3 w");
  free (line);
  /* /dev/null: read yes, write no (the last rule), mknod yes.  */
  assert_true (cg_dev_check (&p, 'c', 1, 3, CG_DEV_READ));
  assert_false (cg_dev_check (&p, 'c', 1, 3, CG_DEV_WRITE));
  assert_false (cg_dev_check (&p, 'c', 1, 3, CG_DEV_READ | CG_DEV_WRITE));
  assert_true (cg_dev_check (&p, 'c', 1, 3, CG_DEV_MKNOD));
  assert_true (cg_dev_check (&p, 'c', 136, 9, CG_DEV_READ | CG_DEV_WRITE));
  assert_false (cg_dev_check (&p, 'c', 1, 5, CG_DEV_READ));
  assert_true (cg_dev_check (&p, 'b', 8, 0, CG_DEV_MKNOD));
  assert_false (cg_dev_check (&p, 'b', 8, 0, CG_DEV_READ));
  assert_true (cg_dev_check (&p, 'b', 8, 0, 0));
  cg_dev_program_free (&p);
}

static void
test_dev_compile_resets (void **state)
{
  /* Rules before the last "a *:* rwm" do not matter; a type "a" rule with
     a number becomes b and c rules; partial access on "a" is no reset.  */
  oci_device_cgroup d[] = {
    { .allow = true, .type = 'c', .has_major = true, .major = 1,
      .access = "rwm" },
    { .allow = false, .type = 'a', .access = "rwm" },
    { .allow = true, .type = 'a', .has_major = true, .major = 7 },
    { .allow = true, .type = 'a', .access = "r" },
  };
  cg_dev_program p = compile_ok (d, N_ELEMS (d));
  (void) state;
  assert_true (p.has_reset);
  assert_false (p.default_allow);
  assert_int_equal (p.n_rules, 4);
  assert_int_equal (p.rules[0].type, 'b');
  assert_int_equal (p.rules[1].type, 'c');
  assert_int_equal (p.rules[0].major, 7);
  assert_int_equal (p.rules[0].minor, -1);
  assert_int_equal (p.rules[0].access, ALL);  /* absent access: rwm */
  assert_false (cg_dev_check (&p, 'c', 1, 1, CG_DEV_WRITE));
  assert_true (cg_dev_check (&p, 'c', 1, 1, CG_DEV_READ));
  assert_true (cg_dev_check (&p, 'b', 7, 1, ALL));
  cg_dev_program_free (&p);

  /* No reset: default allow, deny one.  */
  {
    oci_device_cgroup d2[] = { { .allow = false, .type = 'c', .has_major = true,
                                 .major = 1, .has_minor = true, .minor = 5,
                                 .access = "rwm" } };
    p = compile_ok (d2, 1);
    assert_false (p.has_reset);
    assert_true (p.default_allow);
    assert_false (cg_dev_check (&p, 'c', 1, 5, CG_DEV_READ));
    assert_true (cg_dev_check (&p, 'c', 1, 3, ALL));
    assert_true (cg_dev_check (&p, 'b', 1, 5, ALL));
    cg_dev_program_free (&p);
  }
  /* major -1 is a wildcard too (runc's).  */
  {
    oci_device_cgroup d3[] = { { .allow = false, .type = 'a', .has_major = true,
                                 .major = -1, .has_minor = true, .minor = -1,
                                 .access = "rwm" } };
    p = compile_ok (d3, 1);
    assert_true (p.has_reset);
    assert_int_equal (p.n_rules, 0);
    cg_dev_program_free (&p);
  }
}

static void
test_dev_compile_errors (void **state)
{
  static const struct
  {
    oci_device_cgroup d;
    const char *needle;
  } bad[] = {
    { { .allow = true, .type = 'x' }, "devices[0].type" },
    /* Letters beyond r, w and m are skipped; none of them left is an
       error.  */
    { { .allow = true, .type = 'c', .access = "xz" }, "has none of r, w" },
    { { .allow = true, .type = 'c', .has_major = true, .major = -2 },
      "devices[0].major" },
    { { .allow = true, .type = 'c', .has_minor = true,
        .minor = 1LL << 33 },
      "devices[0].minor" },
  };
  (void) state;
  for (size_t i = 0; i < N_ELEMS (bad); i++)
    {
      berth_error *err = NULL;
      cg_dev_program p;
      assert_int_equal (cg_dev_compile (&bad[i].d, 1, &p, &err), -1);
      if (strstr (err->msg, bad[i].needle) == NULL)
        fail_msg ("\"%s\" lacks \"%s\"", err->msg, bad[i].needle);
      berth_error_free (err);
    }
}

static void
test_dev_access_unknown_letters (void **state)
{
  /* As runc: "rwx" is "rw", "mxr" is "rm", the rest skipped.  */
  oci_device_cgroup d[] = {
    { .allow = true, .type = 'c', .has_major = true, .major = 1,
      .has_minor = true, .minor = 11, .access = "rwx" },
    { .allow = true, .type = 'b', .has_major = true, .major = 8,
      .access = "mxr" },
  };
  cg_dev_program p = compile_ok (d, N_ELEMS (d));
  bool unknown;
  char *line;
  (void) state;

  assert_int_equal (p.n_rules, 2);
  line = cg_dev_rule_v1 (&p.rules[0]);
  assert_string_equal (line, "c 1:11 rw");
  free (line);
  line = cg_dev_rule_v1 (&p.rules[1]);
  assert_string_equal (line, "b 8:* rm");
  free (line);
  cg_dev_program_free (&p);

  assert_int_equal (cg_dev_access_bits ("rwm", &unknown), ALL);
  assert_false (unknown);
  assert_int_equal (cg_dev_access_bits ("w z", &unknown), CG_DEV_WRITE);
  assert_true (unknown);
  assert_int_equal (cg_dev_access_bits ("q", &unknown), 0);
  assert_true (unknown);
  assert_int_equal (cg_dev_access_bits ("mm", NULL), CG_DEV_MKNOD);
}

/* ---- the eBPF program, interpreted ---------------------------------- */

/* Runs the subset of eBPF the builder emits; fails the test on anything
   else, on a jump out of the program and on falling off its end.  */
static int
bpf_run (const struct bpf_insn *p, size_t n, uint32_t access_type,
         uint32_t major, uint32_t minor)
{
  uint64_t r[11] = { 0 };
  uint32_t ctx[3] = { access_type, major, minor };
  size_t pc = 0, steps = 0;

  while (pc < n)
    {
      const struct bpf_insn *i = &p[pc];
      uint64_t imm = (uint64_t) (int64_t) i->imm;
      bool jump = false;

      assert_true (++steps < 100000);
      switch (i->code)
        {
        case BPF_LDX | BPF_MEM | BPF_W:
          assert_int_equal (i->src_reg, BPF_REG_1);
          assert_true (i->off >= 0 && i->off <= 8 && i->off % 4 == 0);
          r[i->dst_reg] = ctx[i->off / 4];
          break;
        case BPF_ALU64 | BPF_MOV | BPF_X:
          r[i->dst_reg] = r[i->src_reg];
          break;
        case BPF_ALU64 | BPF_MOV | BPF_K:
          r[i->dst_reg] = imm;
          break;
        case BPF_ALU64 | BPF_AND | BPF_K:
          r[i->dst_reg] &= imm;
          break;
        case BPF_ALU64 | BPF_RSH | BPF_K:
          r[i->dst_reg] >>= i->imm;
          break;
        case BPF_JMP | BPF_JEQ | BPF_K:
          jump = r[i->dst_reg] == imm;
          break;
        case BPF_JMP | BPF_JNE | BPF_K:
          jump = r[i->dst_reg] != imm;
          break;
        case BPF_JMP | BPF_JSET | BPF_K:
          jump = (r[i->dst_reg] & imm) != 0;
          break;
        case BPF_JMP32 | BPF_JNE | BPF_K:
          jump = (uint32_t) r[i->dst_reg] != (uint32_t) i->imm;
          break;
        case BPF_JMP | BPF_JA:
          jump = true;
          break;
        case BPF_JMP | BPF_EXIT:
          return (int) r[0];
        default:
          fail_msg ("unexpected opcode %#x at %zu", i->code, pc);
        }
      if (jump)
        {
          assert_true (i->off >= 0);
          pc += (size_t) i->off;
        }
      pc++;
    }
  fail_msg ("fell off the end of the program");
  return -1;
}

/* Every instruction is reachable (the verifier insists).  */
static void
assert_all_reachable (const struct bpf_insn *p, size_t n)
{
  bool *seen = calloc (n, 1);
  size_t *stack = calloc (n + 1, sizeof *stack), sp = 0;
  stack[sp++] = 0;
  while (sp)
    {
      size_t pc = stack[--sp];
      if (pc >= n || seen[pc])
        continue;
      seen[pc] = true;
      if (p[pc].code == (BPF_JMP | BPF_EXIT))
        continue;
      if ((p[pc].code & 0x07) == BPF_JMP || (p[pc].code & 0x07) == BPF_JMP32)
        stack[sp++] = pc + 1 + (size_t) p[pc].off;
      if (p[pc].code != (BPF_JMP | BPF_JA))
        stack[sp++] = pc + 1;
    }
  for (size_t i = 0; i < n; i++)
    if (!seen[i])
      fail_msg ("instruction %zu is unreachable", i);
  free (seen);
  free (stack);
}

static void
compare_program (const cg_dev_program *prog)
{
  static const uint32_t numbers[] = { 0, 1, 3, 5, 7, 136, 0x7fffffff,
                                      0xffffffff };
  struct bpf_insn *insns = NULL;
  size_t n = 0;
  berth_error *err = NULL;

  if (cg_bpf_dev_build (prog, &insns, &n, &err) < 0)
    fail_msg ("%s", err->msg);
  assert_true (n > 0);
  assert_all_reachable (insns, n);
  for (int t = 0; t < 2; t++)
    for (size_t a = 0; a < N_ELEMS (numbers); a++)
      for (size_t b = 0; b < N_ELEMS (numbers); b++)
        for (unsigned acc = 0; acc <= ALL; acc++)
          {
            /* CG_DEV_* bits equal BPF_DEVCG_ACC_*; check that too.  */
            uint32_t kacc = ((acc & CG_DEV_MKNOD) ? BPF_DEVCG_ACC_MKNOD : 0)
                            | ((acc & CG_DEV_READ) ? BPF_DEVCG_ACC_READ : 0)
                            | ((acc & CG_DEV_WRITE) ? BPF_DEVCG_ACC_WRITE : 0);
            uint32_t ktype = t ? BPF_DEVCG_DEV_CHAR : BPF_DEVCG_DEV_BLOCK;
            int got = bpf_run (insns, n, (kacc << 16) | ktype, numbers[a],
                               numbers[b]);
            bool want = cg_dev_check (prog, t ? 'c' : 'b', numbers[a],
                                      numbers[b], acc);
            if (got != (want ? 1 : 0))
              fail_msg ("%c %u:%u access %u: program says %d, rules say %d",
                        t ? 'c' : 'b', numbers[a], numbers[b], acc, got,
                        want);
          }
  free (insns);
}

static void
test_bpf_matches_rules (void **state)
{
  oci_device_cgroup runc_like[] = {
    { .allow = false, .access = "rwm" },
    { .allow = true, .type = 'c', .access = "m" },
    { .allow = true, .type = 'b', .access = "m" },
    { .allow = true, .type = 'c', .has_major = true, .major = 1,
      .has_minor = true, .minor = 3, .access = "rwm" },
    { .allow = true, .type = 'c', .has_major = true, .major = 136,
      .access = "rwm" },
    { .allow = false, .type = 'c', .has_major = true, .major = 1,
      .has_minor = true, .minor = 3, .access = "w" },
    { .allow = true, .type = 'b', .has_major = true, .major = 0xffffffffLL,
      .has_minor = true, .minor = 0x7fffffff, .access = "r" },
  };
  oci_device_cgroup deny_one[] = { { .allow = false, .type = 'c',
                                     .has_major = true, .major = 1,
                                     .has_minor = true, .minor = 5 } };
  oci_device_cgroup allow_all[] = { { .allow = false }, { .allow = true } };
  oci_device_cgroup deny_all[] = { { .allow = false } };
  cg_dev_program p;
  (void) state;

  p = compile_ok (runc_like, N_ELEMS (runc_like));
  compare_program (&p);
  cg_dev_program_free (&p);
  p = compile_ok (deny_one, 1);
  compare_program (&p);
  cg_dev_program_free (&p);
  p = compile_ok (allow_all, 2);
  compare_program (&p);
  cg_dev_program_free (&p);
  p = compile_ok (deny_all, 1);
  compare_program (&p);
  cg_dev_program_free (&p);
  p = compile_ok (NULL, 0);
  compare_program (&p);
  cg_dev_program_free (&p);
}

static void
test_bpf_random_rules (void **state)
{
  static const char *accesses[] = { "r", "w", "m", "rw", "rm", "wm", "rwm",
                                    NULL };
  static const char types[] = { 'a', 'b', 'c' };
  static const int64_t numbers[] = { 1, 3, 5, 136, 0x7fffffff, 0xffffffffLL };
  unsigned seed = 12345;
  (void) state;

  for (int round = 0; round < 300; round++)
    {
      oci_device_cgroup d[12];
      size_t n = (size_t) (rand_r (&seed) % 12);
      cg_dev_program p;
      for (size_t i = 0; i < n; i++)
        {
          d[i] = (oci_device_cgroup){ 0 };
          d[i].allow = rand_r (&seed) % 2;
          d[i].type = types[rand_r (&seed) % 3];
          d[i].has_major = rand_r (&seed) % 3 != 0;
          d[i].major = numbers[rand_r (&seed) % N_ELEMS (numbers)];
          d[i].has_minor = rand_r (&seed) % 3 != 0;
          d[i].minor = numbers[rand_r (&seed) % N_ELEMS (numbers)];
          d[i].access = (char *) accesses[rand_r (&seed) % N_ELEMS (accesses)];
        }
      p = compile_ok (d, n);
      compare_program (&p);
      cg_dev_program_free (&p);
    }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_shares_to_weight),
    cmocka_unit_test (test_blkio_to_io_weight),
    cmocka_unit_test (test_swap_v2),
    cmocka_unit_test (test_limit_and_numbers),
    cmocka_unit_test (test_cpu_max),
    cmocka_unit_test (test_join_self_writes),
    cmocka_unit_test (test_join_self_failure),
    cmocka_unit_test (test_page_size),
    cmocka_unit_test (test_path_parent),
    cmocka_unit_test (test_resolve_path),
    cmocka_unit_test (test_kv_get),
    cmocka_unit_test (test_io_stats),
    cmocka_unit_test (test_words),
    cmocka_unit_test (test_unified_key),
    cmocka_unit_test (test_hierarchies_hybrid),
    cmocka_unit_test (test_hierarchies_comount),
    cmocka_unit_test (test_hierarchies_own_paths),
    cmocka_unit_test (test_hierarchies_long_table),
    cmocka_unit_test (test_hierarchies_odd_lines),
    cmocka_unit_test (test_proc_cgroup_v2),
    cmocka_unit_test (test_dev_compile),
    cmocka_unit_test (test_dev_compile_resets),
    cmocka_unit_test (test_dev_compile_errors),
    cmocka_unit_test (test_dev_access_unknown_letters),
    cmocka_unit_test (test_bpf_matches_rules),
    cmocka_unit_test (test_bpf_random_rules),
    cmocka_unit_test (test_state_entries),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
