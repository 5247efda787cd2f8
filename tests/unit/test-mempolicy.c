/* Unit tests of mempolicy_parse (linux.memoryPolicy): every mode and flag
 * of runtime-spec 1.3, the kernel's node list format, and the errors the
 * validation pass reports before anything is made.  Nothing here calls
 * set_mempolicy.  */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <linux/mempolicy.h>

#include "libcontainer/process/mempolicy.h"

static bool
has_node (const mempolicy *m, unsigned n)
{
  if (n / MEMPOLICY_LONG_BITS >= m->n_longs)
    return false;
  return (m->mask[n / MEMPOLICY_LONG_BITS] >> (n % MEMPOLICY_LONG_BITS)) & 1;
}

static void
parse_ok (const char *mode, const char *nodes, char **flags, size_t n_flags,
          mempolicy *m)
{
  oci_memory_policy p = { (char *) mode, (char *) nodes, flags, n_flags };
  berth_error *err = NULL;
  if (mempolicy_parse (&p, m, &err) < 0)
    fail_msg ("%s %s: unexpected error: %s", mode, nodes ? nodes : "-",
              err->msg);
}

static void
parse_err (const char *mode, const char *nodes, char **flags, size_t n_flags,
           const char *msg)
{
  oci_memory_policy p = { (char *) mode, (char *) nodes, flags, n_flags };
  berth_error *err = NULL;
  mempolicy m;
  assert_int_equal (mempolicy_parse (&p, &m, &err), -1);
  assert_non_null (err);
  assert_string_equal (err->msg, msg);
  berth_error_free (err);
  mempolicy_free (&m);
}

static void
test_modes (void **state)
{
  mempolicy m;

  parse_ok ("MPOL_DEFAULT", NULL, NULL, 0, &m);
  assert_int_equal (m.mode, MPOL_DEFAULT);
  assert_false (m.has_nodes);
  parse_ok ("MPOL_LOCAL", NULL, NULL, 0, &m);
  assert_int_equal (m.mode, MPOL_LOCAL);
  parse_ok ("MPOL_PREFERRED", NULL, NULL, 0, &m);
  assert_int_equal (m.mode, MPOL_PREFERRED);
  parse_ok ("MPOL_PREFERRED", "1", NULL, 0, &m);
  assert_true (has_node (&m, 1));
  parse_ok ("MPOL_BIND", "0", NULL, 0, &m);
  assert_int_equal (m.mode, MPOL_BIND);
  parse_ok ("MPOL_INTERLEAVE", "0", NULL, 0, &m);
  assert_int_equal (m.mode, MPOL_INTERLEAVE);
  parse_ok ("MPOL_WEIGHTED_INTERLEAVE", "0", NULL, 0, &m);
  assert_int_equal (m.mode, 6);
  parse_ok ("MPOL_PREFERRED_MANY", "0", NULL, 0, &m);
  assert_int_equal (m.mode, MPOL_PREFERRED_MANY);
}

static void
test_nodes (void **state)
{
  mempolicy m;

  parse_ok ("MPOL_BIND", "0-3,7,64-65,1023", NULL, 0, &m);
  for (unsigned n = 0; n < MEMPOLICY_MAX_NODES; n++)
    assert_int_equal (has_node (&m, n),
                      n <= 3 || n == 7 || n == 64 || n == 65 || n == 1023);
  parse_ok ("MPOL_BIND", "5-5", NULL, 0, &m);
  assert_true (has_node (&m, 5));
  assert_false (has_node (&m, 4));
  /* An empty list is no nodes.  */
  parse_ok ("MPOL_DEFAULT", "", NULL, 0, &m);
  assert_false (m.has_nodes);

  static const char *const bad[] = { "0-", "-1", "1,,2", "1,", ",1", "3-1",
                                     "x", "0 1", "1;2", "0x1", " 1", "1-2-3" };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    {
      char msg[128];
      snprintf (msg, sizeof msg, "linux.memoryPolicy.nodes: \"%s\" is not a "
                "node list (such as \"0-3,7\")", bad[i]);
      parse_err ("MPOL_BIND", bad[i], NULL, 0, msg);
    }
  /* Past 1024: a mask as long as the highest node needs (runc 1.6); the
     kernel judges the nodes.  */
  parse_ok ("MPOL_BIND", "1024", NULL, 0, &m);
  assert_true (has_node (&m, 1024));
  assert_false (has_node (&m, 1023));
  assert_int_equal (m.n_longs, 1024 / MEMPOLICY_LONG_BITS + 1);
  mempolicy_free (&m);
  parse_ok ("MPOL_INTERLEAVE", "2,4000-4002,16383", NULL, 0, &m);
  assert_int_equal (m.n_longs, 16384 / MEMPOLICY_LONG_BITS);
  for (unsigned n = 0; n < MEMPOLICY_MAX_NODES; n++)
    assert_int_equal (has_node (&m, n),
                      n == 2 || (n >= 4000 && n <= 4002) || n == 16383);
  mempolicy_free (&m);
  parse_err ("MPOL_BIND", "16384", NULL, 0,
             "linux.memoryPolicy.nodes: node 16384 is past the largest node "
             "number berth takes (16383)");
  parse_err ("MPOL_BIND", "0-4294967296", NULL, 0,
             "linux.memoryPolicy.nodes: node 4294967296 is past the largest "
             "node number berth takes (16383)");
  parse_err ("MPOL_BIND", "0-99999999999999999999999", NULL, 0,
             "linux.memoryPolicy.nodes: \"0-99999999999999999999999\" is "
             "not a node list (such as \"0-3,7\")");
}

static void
test_nodes_per_mode (void **state)
{
  parse_err ("MPOL_BIND", NULL, NULL, 0,
             "linux.memoryPolicy.nodes: MPOL_BIND needs at least one node");
  parse_err ("MPOL_INTERLEAVE", "", NULL, 0,
             "linux.memoryPolicy.nodes: MPOL_INTERLEAVE needs at least one "
             "node");
  parse_err ("MPOL_PREFERRED_MANY", NULL, NULL, 0,
             "linux.memoryPolicy.nodes: MPOL_PREFERRED_MANY needs at least "
             "one node");
  parse_err ("MPOL_LOCAL", "0", NULL, 0,
             "linux.memoryPolicy.nodes: MPOL_LOCAL takes no nodes");
  parse_err ("MPOL_DEFAULT", "0-1", NULL, 0,
             "linux.memoryPolicy.nodes: MPOL_DEFAULT takes no nodes");
  parse_err ("MPOL_NOPE", NULL, NULL, 0,
             "linux.memoryPolicy.mode: unknown mode \"MPOL_NOPE\"");
}

static void
test_flags (void **state)
{
  char *st[] = { "MPOL_F_STATIC_NODES" };
  char *rel[] = { "MPOL_F_RELATIVE_NODES" };
  char *bal[] = { "MPOL_F_NUMA_BALANCING" };
  char *both[] = { "MPOL_F_STATIC_NODES", "MPOL_F_RELATIVE_NODES" };
  char *bad[] = { "MPOL_F_NUMA_BALANCING", "MPOL_F_NOPE" };
  mempolicy m;

  parse_ok ("MPOL_BIND", "0", st, 1, &m);
  assert_int_equal (m.mode, MPOL_BIND | MPOL_F_STATIC_NODES);
  parse_ok ("MPOL_INTERLEAVE", "0", rel, 1, &m);
  assert_int_equal (m.mode, MPOL_INTERLEAVE | MPOL_F_RELATIVE_NODES);
  parse_ok ("MPOL_BIND", "0", bal, 1, &m);
  assert_int_equal (m.mode, MPOL_BIND | MPOL_F_NUMA_BALANCING);
  parse_err ("MPOL_BIND", "0", both, 2,
             "linux.memoryPolicy.flags: MPOL_F_STATIC_NODES and "
             "MPOL_F_RELATIVE_NODES exclude each other");
  parse_err ("MPOL_BIND", "0", bad, 2,
             "linux.memoryPolicy.flags[1]: unknown flag \"MPOL_F_NOPE\"");
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_modes),
    cmocka_unit_test (test_nodes),
    cmocka_unit_test (test_nodes_per_mode),
    cmocka_unit_test (test_flags),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
