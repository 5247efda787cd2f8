/* berth migrate --to: the wire's names, a round trip through a pipe, the
 * refusals of the receiving side; ssh's quoting; the report as JSON.  */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/utils.h"
#include "libcontainer/criu/migrate-wire.h"
#include "libcontainer/criu/ssh-transport.h"
#include "oci-spec/migrate-report.h"

static void
names (void **state)
{
  (void) state;
  assert_true (wire_dir_name_ok ("final"));
  assert_true (wire_dir_name_ok ("pre-1"));
  assert_true (wire_dir_name_ok ("pre-64"));
  assert_false (wire_dir_name_ok ("pre-65"));
  assert_false (wire_dir_name_ok ("pre-0"));
  assert_false (wire_dir_name_ok ("pre-01"));
  assert_false (wire_dir_name_ok ("pre-1x"));
  assert_false (wire_dir_name_ok (".."));
  assert_false (wire_dir_name_ok (""));
  assert_true (wire_file_name_ok ("pages-1.img"));
  assert_false (wire_file_name_ok (".."));
  assert_false (wire_file_name_ok ("."));
  assert_false (wire_file_name_ok ("a/b"));
  assert_false (wire_file_name_ok (""));
}

static void
quoting (void **state)
{
  char *q;

  (void) state;
  q = shell_quote ("plain");
  assert_string_equal (q, "'plain'");
  free (q);
  q = shell_quote ("it's $HOME `x`");
  assert_string_equal (q, "'it'\\''s $HOME `x`'");
  free (q);
  q = shell_quote ("");
  assert_string_equal (q, "''");
  free (q);
}

static char *
make_dir (void)
{
  char *d = xstrdup ("/tmp/berth-wire-test-XXXXXX");
  assert_non_null (mkdtemp (d));
  return d;
}

static void
put (const char *path, const char *data)
{
  FILE *f = fopen (path, "w");
  assert_non_null (f);
  fputs (data, f);
  fclose (f);
}

static void
rm_tree (const char *d)
{
  wire_remove_images (d);
}

/* pre-2 (a file and its parent link) sent through a pipe and received
   into another dir: the same bytes, the same link.  */
static void
round_trip (void **state)
{
  char *src = make_dir (), *dst = make_dir ();
  char *round = xasprintf ("%s/pre-2", src);
  char *path, line[MIGRATE_WIRE_LINE_MAX], link[64];
  char *text = NULL;
  size_t len;
  int p[2], dst_fd;
  unsigned long long bytes = 0;
  berth_error *err = NULL;
  migrate_wire out, in;
  ssize_t n;

  (void) state;
  assert_int_equal (mkdir (round, 0700), 0);
  path = xasprintf ("%s/pages-1.img", round);
  put (path, "0123456789");
  free (path);
  path = xasprintf ("%s/parent", round);
  assert_int_equal (symlink ("../pre-1", path), 0);
  free (path);
  path = xasprintf ("%s/dump.log", round);
  put (path, "log");
  free (path);

  assert_int_equal (pipe (p), 0);
  out = (migrate_wire){ .in = -1, .out = p[1] };
  in = (migrate_wire){ .in = p[0], .out = -1 };
  if (wire_send_dir (&out, round, "pre-2", &bytes, &err) < 0)
    fail_msg ("%s", err->msg);
  assert_int_equal (bytes, 10);
  close (p[1]);

  dst_fd = open (dst, O_RDONLY | O_DIRECTORY);
  assert_true (dst_fd >= 0);
  while (wire_read_line (&in, line, sizeof line, &err) == 0)
    if (wire_receive_entry (&in, dst_fd, line, &err) < 0)
      fail_msg ("%s", err->msg);
  berth_error_free (err);
  err = NULL;
  assert_int_equal (in.received, out.sent);

  path = xasprintf ("%s/pre-2/pages-1.img", dst);
  assert_int_equal (read_file_at (AT_FDCWD, path, &text, &len, &err), 0);
  assert_int_equal (len, 10);
  assert_memory_equal (text, "0123456789", 10);
  free (text);
  free (path);
  path = xasprintf ("%s/pre-2/parent", dst);
  n = readlink (path, link, sizeof link - 1);
  assert_true (n > 0);
  link[n] = '\0';
  assert_string_equal (link, "../pre-1");
  free (path);
  /* Logs stay at home.  */
  path = xasprintf ("%s/pre-2/dump.log", dst);
  assert_int_not_equal (access (path, F_OK), 0);
  free (path);

  close (p[0]);
  close (dst_fd);
  rm_tree (src);
  rm_tree (dst);
  assert_int_not_equal (access (src, F_OK), 0);
  free (src);
  free (dst);
  free (round);
}

/* What a source could send to escape the images dir: refused.  */
static void
refusals (void **state)
{
  static const char *const bad[] = {
    "file ../x 0",  "file pre-1/../../x 0", "file /etc/x 0",
    "file final/a/b 0", "link pre-2/parent /etc", "link pre-2/parent ../final",
    "link pre-2/parent ../../x", "rm -rf /", "file final/x -1",
  };
  char *dst = make_dir ();
  int dst_fd = open (dst, O_RDONLY | O_DIRECTORY);
  migrate_wire w = { .in = -1, .out = -1 };

  (void) state;
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    {
      berth_error *err = NULL;
      if (wire_receive_entry (&w, dst_fd, bad[i], &err) == 0)
        fail_msg ("accepted: %s", bad[i]);
      berth_error_free (err);
    }
  close (dst_fd);
  rm_tree (dst);
  free (dst);
}

static void
report_json (void **state)
{
  migrate_report r = { .mode = "pre-copy", .to = "hostb", .n = 2,
                       .pre_rounds = 1, .downtime_ms = 180.4,
                       .total_ms = 2100.6, .wire_bytes = 4300000,
                       .dump_ms = 90.2, .transfer_ms = 10,
                       .restore_ms = 80.2, .commit_ms = 30 };
  char *j;

  (void) state;
  snprintf (r.round[0].name, sizeof r.round[0].name, "1");
  r.round[0].kind = "pre-dump";
  r.round[0].bytes = 8192;
  r.round[0].ms = 12;
  snprintf (r.round[1].name, sizeof r.round[1].name, "final");
  r.round[1].kind = "dump";
  r.round[1].bytes = 4096;
  r.round[1].ms = 99.5;
  j = migrate_report_json (&r);
  assert_string_equal (
      j, "{\"mode\":\"pre-copy\",\"to\":\"hostb\",\"rounds\":[{\"name\":\"1\","
         "\"kind\":\"pre-dump\",\"pages\":2,\"bytes\":8192,\"ms\":12},"
         "{\"name\":\"final\",\"kind\":\"dump\",\"pages\":1,\"bytes\":4096,"
         "\"ms\":100}],\"downtime_ms\":180,\"total_ms\":2101,"
         "\"wire_bytes\":4300000,\"phases\":{\"dump_ms\":90,"
         "\"transfer_ms\":10,\"restore_ms\":80,\"commit_ms\":30}}");
  free (j);
  r.net = "dump";
  snprintf (r.net_why, sizeof r.net_why, "--net-dump");
  j = migrate_report_json (&r);
  assert_non_null (strstr (j, "\"commit_ms\":30},\"net\":\"dump\","
                              "\"net_why\":\"--net-dump\"}"));
  free (j);
  r.to = NULL;
  r.net = NULL;
  r.n = 0;
  j = migrate_report_json (&r);
  assert_non_null (strstr (j, "\"to\":null,\"rounds\":[]"));
  assert_null (strstr (j, "\"net\""));
  free (j);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (names),      cmocka_unit_test (quoting),
    cmocka_unit_test (round_trip), cmocka_unit_test (refusals),
    cmocka_unit_test (report_json),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
