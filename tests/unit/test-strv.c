/* Unit tests of oci-spec/strv.c: string arrays in one block, built from
 * a parse, the command line or an edit, always released by one free.  */
#include <malloc.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/error.h"
#include "oci-spec/config.h"
#include "oci-spec/strv.h"

/* Every string lies inside the array's own allocation, after the NULL:
   nothing else for oci_strv_free to release.  */
static void
assert_one_block (char **v, size_t n)
{
  const char *start = (const char *) (v + n + 1);
  const char *end = (const char *) v + malloc_usable_size (v);

  assert_null (v[n]);
  for (size_t i = 0; i < n; i++)
    {
      assert_true (v[i] >= start);
      assert_true (v[i] + strlen (v[i]) < end);
      if (i > 0)
        assert_true (v[i] > v[i - 1]);
    }
}

static void
test_new (void **state)
{
  const char *src[] = { "PATH=/bin", "", "HOME=/root" };
  char **v = oci_strv_new (src, 3);

  assert_one_block (v, 3);
  assert_string_equal (v[0], "PATH=/bin");
  assert_string_equal (v[1], "");
  assert_string_equal (v[2], "HOME=/root");
  assert_ptr_not_equal (v[0], src[0]);
  oci_strv_free (v);

  v = oci_strv_new (NULL, 0);
  assert_null (v[0]);
  oci_strv_free (v);
  oci_strv_free (NULL);
}

static void
test_edit (void **state)
{
  const char *src[] = { "A=1", "B=2" };
  char **v = oci_strv_append (NULL, 0, "CAP_KILL");

  assert_one_block (v, 1);
  assert_string_equal (v[0], "CAP_KILL");
  oci_strv_free (v);

  v = oci_strv_new (src, 2);
  v = oci_strv_append (v, 2, "C=3");
  assert_one_block (v, 3);
  assert_string_equal (v[0], "A=1");
  assert_string_equal (v[2], "C=3");
  /* A replacement longer than the string it replaces.  */
  v = oci_strv_set (v, 3, 1, "B=a much longer value");
  assert_one_block (v, 3);
  assert_string_equal (v[0], "A=1");
  assert_string_equal (v[1], "B=a much longer value");
  assert_string_equal (v[2], "C=3");
  /* The new string may be one of the array's own.  */
  v = oci_strv_set (v, 3, 0, v[2]);
  assert_string_equal (v[0], "C=3");
  v = oci_strv_append (v, 3, v[1]);
  assert_one_block (v, 4);
  assert_string_equal (v[3], "B=a much longer value");
  oci_strv_free (v);
}

/* The parser's arrays are blocks too: oci_config_free frees each with
   one free.  */
static void
test_parsed (void **state)
{
  static const char doc[]
      = "{\"ociVersion\": \"1.3.0\", \"process\": {\"cwd\": \"/\", "
        "\"args\": [\"sh\", \"-c\", \"echo \\\"hi\\\"\"], \"env\": []}, "
        "\"mounts\": [{\"destination\": \"/x\", \"options\": [\"ro\", "
        "\"nosuid\"]}]}";
  berth_error *err = NULL;
  oci_config *c = oci_config_parse (doc, strlen (doc), NULL, &err);

  assert_non_null (c);
  assert_one_block (c->process->args, 3);
  assert_string_equal (c->process->args[2], "echo \"hi\"");
  assert_int_equal (c->process->n_env, 0);
  assert_null (c->process->env);
  assert_one_block (c->mounts[0].options, 2);
  assert_string_equal (c->mounts[0].options[1], "nosuid");
  oci_config_free (c);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_new),
    cmocka_unit_test (test_edit),
    cmocka_unit_test (test_parsed),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
