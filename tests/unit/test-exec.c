/* Unit tests of `exec`'s process: oci-spec's lone process parser and
 * libcontainer/lifecycle/exec-process.c (what comes from --process, the container
 * and the command line).  */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "libcontainer/lifecycle/exec-process.h"
#include "base/utils.h"
#include "oci-spec/config.h"

static const char container_json[]
    = "{\"terminal\": true, \"user\": {\"uid\": 5, \"gid\": 6, "
      "\"additionalGids\": [7]}, \"args\": [\"init\", \"x\"], "
      "\"env\": [\"PATH=/bin\", \"A=1\"], \"cwd\": \"/srv\", "
      "\"capabilities\": {\"bounding\": [\"CAP_KILL\"], "
      "\"effective\": [\"CAP_KILL\"], \"permitted\": [\"CAP_KILL\"]}, "
      "\"rlimits\": [{\"type\": \"RLIMIT_NOFILE\", \"soft\": 10, "
      "\"hard\": 20}], \"noNewPrivileges\": true, "
      "\"apparmorProfile\": \"ctr\", \"oomScoreAdj\": 100}";

static oci_process *
parse (const char *json)
{
  berth_error *err = NULL;
  oci_process *p = oci_process_parse (json, strlen (json), "p.json", &err);
  if (p == NULL)
    fail_msg ("unexpected error: %s", err->msg);
  return p;
}

static oci_process *
build (oci_process *file, const exec_overrides *o)
{
  oci_process *container = parse (container_json);
  berth_error *err = NULL;
  oci_process *p = exec_process_build (&file, &container, o, &err);

  if (p == NULL)
    fail_msg ("unexpected error: %s", err->msg);
  assert_null (file);
  oci_process_free (container);
  return p;
}

static void
test_parse_errors (void **state)
{
  berth_error *err = NULL;
  const char *bad = "{\"cwd\": \"/\", \"user\": {\"uid\": \"x\"}}";

  assert_null (oci_process_parse (bad, strlen (bad), "p.json", &err));
  assert_non_null (strstr (err->msg, "p.json: user.uid"));
  berth_error_clear (&err);
  assert_null (oci_process_parse ("[]", 2, "p.json", &err));
  berth_error_clear (&err);
  /* cwd is REQUIRED (config.md), as runc's exec -p checks.  */
  assert_null (oci_process_parse ("{\"args\": [\"a\"]}", 15, "p.json", &err));
  assert_non_null (strstr (err->msg, "cwd"));
  berth_error_clear (&err);
}

static void
test_from_container (void **state)
{
  char *args[] = { "ls", "-l" };
  exec_overrides o = { .args = args, .n_args = 2 };
  oci_process *p = build (NULL, &o);

  assert_int_equal (p->n_args, 2);
  assert_string_equal (p->args[0], "ls");
  assert_string_equal (p->args[1], "-l");
  assert_null (p->args[2]);
  /* A terminal only with --tty.  */
  assert_false (p->terminal);
  assert_string_equal (p->cwd, "/srv");
  assert_int_equal (p->user.uid, 5);
  assert_int_equal (p->n_env, 2);
  assert_int_equal (p->n_rlimits, 1);
  assert_true (p->no_new_privileges);
  assert_string_equal (p->apparmor_profile, "ctr");
  oci_process_free (p);
}

static void
test_overrides (void **state)
{
  char *args[] = { "sh" };
  char *env[] = { "A=2", "B=3" };
  uint32_t gids[] = { 10, 20 };
  char *caps[] = { "CAP_SYS_ADMIN", "cap_kill" };
  exec_overrides o = {
    .args = args, .n_args = 1, .cwd = "/tmp", .env = env, .n_env = 2,
    .has_uid = true, .uid = 1000, .additional_gids = gids,
    .n_additional_gids = 2, .caps = caps, .n_caps = 2,
    .process_label = "l", .tty = true,
  };
  oci_process *p = build (NULL, &o);

  assert_string_equal (p->cwd, "/tmp");
  /* Replaced in place, then added.  */
  assert_int_equal (p->n_env, 3);
  assert_string_equal (p->env[0], "PATH=/bin");
  assert_string_equal (p->env[1], "A=2");
  assert_string_equal (p->env[2], "B=3");
  assert_null (p->env[3]);
  /* Only the uid: the gid stays the container's.  */
  assert_int_equal (p->user.uid, 1000);
  assert_int_equal (p->user.gid, 6);
  assert_int_equal (p->user.n_additional_gids, 3);
  assert_int_equal (p->user.additional_gids[0], 7);
  assert_int_equal (p->user.additional_gids[2], 20);
  /* Added once (CAP_KILL is there already), never inheritable/ambient.  */
  assert_int_equal (p->capabilities->n_bounding, 2);
  assert_string_equal (p->capabilities->bounding[1], "CAP_SYS_ADMIN");
  assert_int_equal (p->capabilities->n_effective, 2);
  assert_int_equal (p->capabilities->n_permitted, 2);
  assert_int_equal (p->capabilities->n_inheritable, 0);
  assert_int_equal (p->capabilities->n_ambient, 0);
  assert_string_equal (p->selinux_label, "l");
  assert_true (p->terminal);
  oci_process_free (p);
}

static void
test_file_with_defaults (void **state)
{
  oci_process *file = parse ("{\"args\": [\"id\"], \"cwd\": \"/\"}");
  exec_overrides o = { 0 };
  oci_process *p = build (file, &o);

  assert_string_equal (p->args[0], "id");
  assert_string_equal (p->cwd, "/");
  /* Left out of the file: the container's.  */
  assert_int_equal (p->user.uid, 5);
  assert_int_equal (p->user.n_additional_gids, 1);
  assert_int_equal (p->n_env, 2);
  assert_non_null (p->capabilities);
  assert_int_equal (p->n_rlimits, 1);
  assert_true (p->no_new_privileges);
  assert_true (p->has_oom_score_adj);
  assert_int_equal (p->oom_score_adj, 100);
  assert_string_equal (p->apparmor_profile, "ctr");
  oci_process_free (p);
}

static void
test_file_wins (void **state)
{
  oci_process *file = parse (
      "{\"args\": [\"id\"], \"cwd\": \"/\", \"user\": {\"uid\": 0, "
      "\"gid\": 0}, \"env\": [], \"noNewPrivileges\": false, "
      "\"capabilities\": {}, \"terminal\": true}");
  char *args[] = { "other" };
  exec_overrides o = { .args = args, .n_args = 1, .no_new_privs = false };
  oci_process *p = build (file, &o);

  assert_string_equal (p->args[0], "other");
  assert_int_equal (p->user.uid, 0);
  assert_int_equal (p->user.n_additional_gids, 0);
  /* An empty env in the file is the file's.  */
  assert_int_equal (p->n_env, 0);
  assert_false (p->no_new_privileges);
  assert_int_equal (p->capabilities->n_bounding, 0);
  assert_true (p->terminal);
  oci_process_free (p);
}

static void
test_bad_env (void **state)
{
  oci_process *container = parse (container_json);
  oci_process *file = NULL;
  char *env[] = { "NOVALUE" };
  exec_overrides o = { .env = env, .n_env = 1 };
  berth_error *err = NULL;

  assert_null (exec_process_build (&file, &container, &o, &err));
  assert_non_null (strstr (err->msg, "--env: \"NOVALUE\""));
  berth_error_clear (&err);
  oci_process_free (container);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_parse_errors),
    cmocka_unit_test (test_from_container),
    cmocka_unit_test (test_overrides),
    cmocka_unit_test (test_file_with_defaults),
    cmocka_unit_test (test_file_wins),
    cmocka_unit_test (test_bad_env),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
