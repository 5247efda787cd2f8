/* Unit tests of libcontainer/rootfs/mount-options.c: every option string of the
 * runtime spec's "Linux mount options" table into MS_* flags, propagation,
 * mount_setattr attributes or the data string; order (the last of two
 * opposite options wins); and mounts_validate.  */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include <cmocka.h>

#include "libcontainer/rootfs/mount-options.h"

#define N_ELEMS(a) (sizeof (a) / sizeof ((a)[0]))

static mount_options
parse (char **opts, size_t n)
{
  mount_options o;
  mount_options_parse (opts, n, &o);
  return o;
}

static mount_options
parse1 (const char *opt)
{
  char *v[] = { (char *) opt };
  return parse (v, 1);
}

static void
test_flags_set (void **state)
{
  static const struct
  {
    const char *name;
    unsigned long flag;
  } cases[] = {
    { "ro", MS_RDONLY },           { "nosuid", MS_NOSUID },
    { "nodev", MS_NODEV },         { "noexec", MS_NOEXEC },
    { "sync", MS_SYNCHRONOUS },    { "dirsync", MS_DIRSYNC },
    { "remount", MS_REMOUNT },     { "mand", MS_MANDLOCK },
    { "noatime", MS_NOATIME },     { "nodiratime", MS_NODIRATIME },
    { "relatime", MS_RELATIME },   { "strictatime", MS_STRICTATIME },
    { "lazytime", MS_LAZYTIME },   { "iversion", MS_I_VERSION },
    { "silent", MS_SILENT },       { "bind", MS_BIND },
    { "rbind", MS_BIND | MS_REC },
  };
  (void) state;
  for (size_t i = 0; i < N_ELEMS (cases); i++)
    {
      mount_options o = parse1 (cases[i].name);
      if (o.flags != cases[i].flag)
        fail_msg ("%s: flags %#lx, want %#lx", cases[i].name, o.flags,
                  cases[i].flag);
      assert_int_equal (o.clear, 0);
      assert_null (o.data);
      assert_int_equal (o.propagation, 0);
      mount_options_free (&o);
    }
}

static void
test_flags_clear (void **state)
{
  static const struct
  {
    const char *name;
    unsigned long flag;
  } cases[] = {
    { "rw", MS_RDONLY },           { "suid", MS_NOSUID },
    { "dev", MS_NODEV },           { "exec", MS_NOEXEC },
    { "async", MS_SYNCHRONOUS },   { "nomand", MS_MANDLOCK },
    { "atime", MS_NOATIME },       { "diratime", MS_NODIRATIME },
    { "norelatime", MS_RELATIME }, { "nostrictatime", MS_STRICTATIME },
    { "nolazytime", MS_LAZYTIME }, { "noiversion", MS_I_VERSION },
    { "loud", MS_SILENT },
  };
  (void) state;
  for (size_t i = 0; i < N_ELEMS (cases); i++)
    {
      mount_options o = parse1 (cases[i].name);
      assert_int_equal (o.flags, 0);
      if (o.clear != cases[i].flag)
        fail_msg ("%s: clear %#lx, want %#lx", cases[i].name, o.clear,
                  cases[i].flag);
      assert_null (o.data);
      mount_options_free (&o);
    }
}

static void
test_defaults (void **state)
{
  char *a[] = { "ro", "nosuid", "defaults" };
  char *b[] = { "defaults", "ro" };
  mount_options o;
  (void) state;

  /* mount(8): defaults = rw,suid,dev,exec,async; later options win.  */
  o = parse (a, N_ELEMS (a));
  assert_int_equal (o.flags, 0);
  assert_true (o.clear & MS_RDONLY);
  assert_true (o.clear & MS_NOSUID);
  assert_true (o.clear & MS_NODEV);
  assert_true (o.clear & MS_NOEXEC);
  assert_true (o.clear & MS_SYNCHRONOUS);
  mount_options_free (&o);

  o = parse (b, N_ELEMS (b));
  assert_int_equal (o.flags, MS_RDONLY);
  assert_false (o.clear & MS_RDONLY);
  mount_options_free (&o);
}

static void
test_last_wins (void **state)
{
  char *a[] = { "ro", "rw" };
  char *b[] = { "rw", "ro" };
  char *c[] = { "noatime", "strictatime" };
  char *d[] = { "relatime", "noatime" };
  char *e[] = { "nosuid", "suid", "nosuid" };
  mount_options o;
  (void) state;

  o = parse (a, 2);
  assert_int_equal (o.flags, 0);
  assert_int_equal (o.clear, MS_RDONLY);
  o = parse (b, 2);
  assert_int_equal (o.flags, MS_RDONLY);
  assert_int_equal (o.clear, 0);
  /* The three atime modes exclude each other.  */
  o = parse (c, 2);
  assert_int_equal (o.flags, MS_STRICTATIME);
  o = parse (d, 2);
  assert_int_equal (o.flags, MS_NOATIME);
  o = parse (e, 3);
  assert_int_equal (o.flags, MS_NOSUID);
  assert_int_equal (o.clear, 0);
}

static void
test_propagation (void **state)
{
  static const struct
  {
    const char *name;
    unsigned long flag;
  } cases[] = {
    { "private", MS_PRIVATE },
    { "rprivate", MS_PRIVATE | MS_REC },
    { "shared", MS_SHARED },
    { "rshared", MS_SHARED | MS_REC },
    { "slave", MS_SLAVE },
    { "rslave", MS_SLAVE | MS_REC },
    { "unbindable", MS_UNBINDABLE },
    { "runbindable", MS_UNBINDABLE | MS_REC },
  };
  char *two[] = { "rshared", "rprivate" };
  mount_options o;
  (void) state;

  for (size_t i = 0; i < N_ELEMS (cases); i++)
    {
      o = parse1 (cases[i].name);
      assert_int_equal (o.propagation, cases[i].flag);
      assert_int_equal (o.flags, 0);
      assert_null (o.data);
      assert_int_equal (mount_propagation_flag (cases[i].name),
                        cases[i].flag);
    }
  o = parse (two, 2);
  assert_int_equal (o.propagation, MS_PRIVATE | MS_REC);
  assert_int_equal (mount_propagation_flag ("ro"), 0);
  assert_int_equal (mount_propagation_flag ("bogus"), 0);
  assert_int_equal (mount_propagation_flag (NULL), 0);
}

static void
test_recursive (void **state)
{
  static const struct
  {
    const char *name;
    uint64_t set, clr;
  } cases[] = {
    { "rro", MOUNT_ATTR_RDONLY, 0 },
    { "rrw", 0, MOUNT_ATTR_RDONLY },
    { "rnosuid", MOUNT_ATTR_NOSUID, 0 },
    { "rsuid", 0, MOUNT_ATTR_NOSUID },
    { "rnodev", MOUNT_ATTR_NODEV, 0 },
    { "rdev", 0, MOUNT_ATTR_NODEV },
    { "rnoexec", MOUNT_ATTR_NOEXEC, 0 },
    { "rexec", 0, MOUNT_ATTR_NOEXEC },
    { "rnodiratime", MOUNT_ATTR_NODIRATIME, 0 },
    { "rdiratime", 0, MOUNT_ATTR_NODIRATIME },
    { "rnosymfollow", MOUNT_ATTR_NOSYMFOLLOW, 0 },
    { "rsymfollow", 0, MOUNT_ATTR_NOSYMFOLLOW },
    { "rnoatime", MOUNT_ATTR_NOATIME, MOUNT_ATTR__ATIME },
    { "ratime", MOUNT_ATTR_RELATIME, MOUNT_ATTR__ATIME },
    { "rrelatime", MOUNT_ATTR_RELATIME, MOUNT_ATTR__ATIME },
    { "rnorelatime", MOUNT_ATTR_STRICTATIME, MOUNT_ATTR__ATIME },
    { "rstrictatime", MOUNT_ATTR_STRICTATIME, MOUNT_ATTR__ATIME },
    { "rnostrictatime", MOUNT_ATTR_RELATIME, MOUNT_ATTR__ATIME },
  };
  char *order[] = { "rro", "rrw" };
  char *atimes[] = { "rnoatime", "rstrictatime" };
  mount_options o;
  (void) state;

  for (size_t i = 0; i < N_ELEMS (cases); i++)
    {
      o = parse1 (cases[i].name);
      if (o.rec_attr_set != cases[i].set || o.rec_attr_clr != cases[i].clr)
        fail_msg ("%s: set %#llx clr %#llx", cases[i].name,
                  (unsigned long long) o.rec_attr_set,
                  (unsigned long long) o.rec_attr_clr);
      assert_int_equal (o.flags, 0);
      assert_int_equal (o.attr_set, 0);
      assert_null (o.data);
    }
  o = parse (order, 2);
  assert_int_equal (o.rec_attr_set, 0);
  assert_int_equal (o.rec_attr_clr, MOUNT_ATTR_RDONLY);
  o = parse (atimes, 2);
  assert_int_equal (o.rec_attr_set, MOUNT_ATTR_STRICTATIME);
  assert_int_equal (o.rec_attr_clr, MOUNT_ATTR__ATIME);
}

static void
test_symfollow_idmap_copyup (void **state)
{
  mount_options o;
  (void) state;

  o = parse1 ("nosymfollow");
  assert_int_equal (o.attr_set, MOUNT_ATTR_NOSYMFOLLOW);
  assert_int_equal (o.rec_attr_set, 0);
  assert_int_equal (o.flags, 0);
  o = parse1 ("symfollow");
  assert_int_equal (o.attr_clr, MOUNT_ATTR_NOSYMFOLLOW);

  o = parse1 ("idmap");
  assert_true (o.idmap);
  assert_false (o.idmap_rec);
  assert_null (o.data);
  o = parse1 ("ridmap");
  assert_true (o.idmap);
  assert_true (o.idmap_rec);
  assert_null (o.data);

  o = parse1 ("tmpcopyup");
  assert_true (o.tmpcopyup);
  assert_null (o.data);
}

static void
test_data (void **state)
{
  char *tmpfs[] = { "nosuid", "strictatime", "mode=755", "size=65536k" };
  char *devpts[] = { "nosuid", "noexec", "newinstance", "ptmxmode=0666",
                     "mode=0620", "gid=5" };
  char *skipped[] = { "", "x-systemd.automount", "noauto", "mode=1777",
                      "nofail", "_netdev", "auto", "nouser" };
  char *user[] = { "user", "exec" };
  char *ctx[] = { "context=\"system_u:object_r:foo_t:s0:c1,c2\"" };
  mount_options o;
  (void) state;

  o = parse (tmpfs, N_ELEMS (tmpfs));
  assert_int_equal (o.flags, MS_NOSUID | MS_STRICTATIME);
  assert_string_equal (o.data, "mode=755,size=65536k");
  mount_options_free (&o);
  assert_null (o.data);

  o = parse (devpts, N_ELEMS (devpts));
  assert_int_equal (o.flags, MS_NOSUID | MS_NOEXEC);
  assert_string_equal (o.data, "newinstance,ptmxmode=0666,mode=0620,gid=5");
  mount_options_free (&o);

  /* mount(8)'s userspace-only options never reach the kernel.  */
  o = parse (skipped, N_ELEMS (skipped));
  assert_int_equal (o.flags, 0);
  assert_string_equal (o.data, "mode=1777");
  mount_options_free (&o);

  o = parse (user, N_ELEMS (user));
  assert_int_equal (o.flags, MS_NOSUID | MS_NODEV);
  assert_int_equal (o.clear, MS_NOEXEC);
  assert_null (o.data);

  /* A comma inside one option is the filesystem's business.  */
  o = parse (ctx, 1);
  assert_string_equal (o.data, ctx[0]);
  mount_options_free (&o);

  o = parse (NULL, 0);
  assert_int_equal (o.flags, 0);
  assert_null (o.data);
}

/* ---- mounts_validate ----------------------------------------------------- */

static oci_id_mapping one_map[] = { { 0, 1000, 10 } };

static void
expect_invalid (const oci_config *c, bool userns, const char *needle)
{
  berth_error *err = NULL;
  assert_int_equal (mounts_validate (c, userns, &err), -1);
  assert_non_null (err);
  if (strstr (err->msg, needle) == NULL)
    fail_msg ("message \"%s\" lacks \"%s\"", err->msg, needle);
  berth_error_free (err);
}

static void
expect_valid (const oci_config *c, bool userns)
{
  berth_error *err = NULL;
  if (mounts_validate (c, userns, &err) < 0)
    fail_msg ("unexpected error: %s", err->msg);
}

static void
test_validate (void **state)
{
  char *bind_idmap[] = { "rbind", "idmap" };
  char *bind_only[] = { "bind" };
  char *copyup[] = { "tmpcopyup" };
  char *remount[] = { "remount", "ro" };
  oci_mount m[2];
  oci_linux lx = { 0 };
  oci_config c = { 0 };
  (void) state;

  memset (m, 0, sizeof m);
  c.mounts = m;
  c.n_mounts = 1;

  m[0] = (oci_mount){ .destination = "/proc", .type = "proc",
                      .source = "proc" };
  expect_valid (&c, false);

  m[0].destination = NULL;
  expect_invalid (&c, false, "mounts[0]: no destination");

  m[0] = (oci_mount){ .destination = "/data", .type = "none",
                      .options = bind_only, .n_options = 1 };
  expect_invalid (&c, false,
                  "mounts[0] (/data): a bind mount needs a source");
  m[0].source = "/src";
  expect_valid (&c, false);
  /* type "bind" alone is a bind mount.  */
  m[0] = (oci_mount){ .destination = "/data", .type = "bind" };
  expect_invalid (&c, false, "a bind mount needs a source");

  m[0] = (oci_mount){ .destination = "/x" };
  expect_invalid (&c, false, "mounts[0] (/x): no type");
  m[0].options = remount;
  m[0].n_options = 2;
  expect_valid (&c, false);

  m[0] = (oci_mount){ .destination = "/x", .type = "proc",
                      .options = copyup, .n_options = 1 };
  expect_invalid (&c, false, "tmpcopyup is only supported on tmpfs");
  m[0].type = "tmpfs";
  expect_valid (&c, false);

  /* idmap */
  m[1] = (oci_mount){ .destination = "/proc", .type = "proc" };
  m[0] = (oci_mount){ .destination = "/id", .type = "tmpfs",
                      .options = bind_idmap + 1, .n_options = 1 };
  c.n_mounts = 2;
  expect_invalid (&c, false, "idmap is only supported on bind mounts");
  m[0] = (oci_mount){ .destination = "/id", .source = "/src",
                      .options = bind_idmap, .n_options = 2 };
  expect_invalid (&c, false, "idmap needs uidMappings and gidMappings");
  expect_invalid (&c, true, "idmap needs uidMappings and gidMappings");
  c.linux_ = &lx;
  lx.uid_mappings = lx.gid_mappings = one_map;
  lx.n_uid_mappings = lx.n_gid_mappings = 1;
  expect_valid (&c, true);
  expect_invalid (&c, false, "idmap needs");
  m[0].uid_mappings = one_map;
  m[0].n_uid_mappings = 1;
  expect_invalid (&c, false, "must be given together");
  m[0].gid_mappings = one_map;
  m[0].n_gid_mappings = 1;
  expect_valid (&c, false);
  m[0].options = bind_only;
  m[0].n_options = 1;
  expect_invalid (&c, false, "mounts[0] (/id): uidMappings need the idmap");
}

/* Only procfs on /proc, nothing inside /proc but lxcfs's files, however
   the destination is spelled (CVE-2019-16884).  */
static void
test_proc_destinations (void **state)
{
  char *bind_only[] = { "rbind" };
  char *remount[] = { "remount", "ro" };
  oci_mount m[1];
  oci_config c = { 0 };
  (void) state;

  assert_int_equal (mount_proc_place ("/proc"), MOUNT_PROC_ROOT);
  assert_int_equal (mount_proc_place ("//proc/"), MOUNT_PROC_ROOT);
  assert_int_equal (mount_proc_place ("/x/../proc/."), MOUNT_PROC_ROOT);
  assert_int_equal (mount_proc_place ("/../../proc"), MOUNT_PROC_ROOT);
  assert_int_equal (mount_proc_place ("proc"), MOUNT_PROC_ROOT);
  assert_int_equal (mount_proc_place ("/proc/meminfo"),
                    MOUNT_PROC_ALLOWED_FILE);
  assert_int_equal (mount_proc_place ("/proc//sys/kernel/ns_last_pid"),
                    MOUNT_PROC_ALLOWED_FILE);
  assert_int_equal (mount_proc_place ("/proc/self/attr/exec"),
                    MOUNT_PROC_INSIDE);
  assert_int_equal (mount_proc_place ("/proc/sys/../sys"),
                    MOUNT_PROC_INSIDE);
  assert_int_equal (mount_proc_place ("/proc/meminfo/.."), MOUNT_PROC_ROOT);
  assert_int_equal (mount_proc_place ("/procfs"), MOUNT_PROC_OUTSIDE);
  assert_int_equal (mount_proc_place ("/proc/../etc"), MOUNT_PROC_OUTSIDE);
  assert_int_equal (mount_proc_place ("/"), MOUNT_PROC_OUTSIDE);
  assert_int_equal (mount_proc_place (""), MOUNT_PROC_OUTSIDE);

  c.mounts = m;
  c.n_mounts = 1;
  m[0] = (oci_mount){ .destination = "/proc", .type = "tmpfs",
                      .source = "tmpfs" };
  expect_invalid (&c, false,
                  "mounts[0] (/proc): only a procfs can be mounted on /proc");
  m[0].destination = "/x/../proc/";
  expect_invalid (&c, false, "only a procfs");
  /* A bind mount's source is checked when it is mounted.  */
  m[0] = (oci_mount){ .destination = "/proc", .type = "bind",
                      .source = "/proc", .options = bind_only,
                      .n_options = 1 };
  expect_valid (&c, false);
  m[0].destination = "/proc/self/attr";
  expect_invalid (&c, false,
                  "mounts[0] (/proc/self/attr): cannot be mounted inside "
                  "/proc");
  m[0].destination = "/proc/meminfo";
  expect_valid (&c, false);
  m[0] = (oci_mount){ .destination = "/proc/sys", .type = "tmpfs",
                      .source = "tmpfs" };
  expect_invalid (&c, false, "cannot be mounted inside /proc");
  /* Changing the flags of what is there mounts nothing new.  */
  m[0] = (oci_mount){ .destination = "/proc/sys", .options = remount,
                      .n_options = 2 };
  expect_valid (&c, false);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_flags_set),
    cmocka_unit_test (test_flags_clear),
    cmocka_unit_test (test_defaults),
    cmocka_unit_test (test_last_wins),
    cmocka_unit_test (test_propagation),
    cmocka_unit_test (test_recursive),
    cmocka_unit_test (test_symfollow_idmap_copyup),
    cmocka_unit_test (test_data),
    cmocka_unit_test (test_validate),
    cmocka_unit_test (test_proc_destinations),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
