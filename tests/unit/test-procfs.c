/* Unit tests of the /proc/<pid>/status parse (libcontainer/process/procfs.c):
 * the signal and capability masks and the ids a process's plan reads.  */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "libcontainer/process/procfs.h"

/* A status as Linux 6.x writes it, trimmed of lines the parse skips.  */
static const char status[]
    = "Name:\tberth\n"
      "Umask:\t0022\n"
      "State:\tR (running)\n"
      "Uid:\t1000\t0\t1000\t4294967294\n"
      "Gid:\t100\t7\t100\t8\n"
      "FDSize:\t64\n"
      "SigQ:\t0/94651\n"
      "SigPnd:\t0000000000000000\n"
      "SigBlk:\tfffffffe7ffbfeff\n"
      "SigIgn:\t0000000000001000\n"
      "SigCgt:\t0000000180004a03\n"
      "CapInh:\t0000000000000000\n"
      "CapPrm:\t000001ffffffffff\n"
      "CapEff:\t000001ffffffffff\n"
      "CapBnd:\t000001FFFFFFFFFF\n"
      "CapAmb:\t0000000000000000\n";

static void
test_status_fields (void **state)
{
  procfs_status st = { 0 };
  berth_error *err = NULL;

  (void) state;
  assert_int_equal (procfs_parse_status (status, &st, &err), 0);
  assert_true (st.sig_ign == 0x1000);
  assert_true (st.sig_cgt == 0x180004a03ULL);
  assert_true (st.cap_inh == 0);
  assert_true (st.cap_prm == 0x1ffffffffffULL);
  assert_true (st.cap_bnd == 0x1ffffffffffULL);
  assert_int_equal (st.euid, 0);
  assert_true (st.fsuid == 4294967294u);
  assert_int_equal (st.egid, 7);
  assert_int_equal (st.fsgid, 8);
  assert_int_equal (st.umask, 022);
}

/* Umask is optional (Linux 4.7): missing or malformed, it is unknown and
   the rest still parses.  */
static void
test_status_umask (void **state)
{
  static const char base[] = "SigIgn:\t0\nSigCgt:\t0\nCapBnd:\t0\n"
                             "CapInh:\t0\nCapPrm:\t0\nUid:\t0\t0\t0\t0\n"
                             "Gid:\t0\t0\t0\t0\n";
  static const struct
  {
    const char *line;
    unsigned int want;
  } cases[] = {
    { "", PROCFS_NO_UMASK },
    { "Umask:\t0077\n", 077 },
    { "Umask:\t0000\n", 0 },
    { "Umask:\t0777\n", 0777 },
    { "Umask:\t0778\n", PROCFS_NO_UMASK },
    { "Umask:\t\n", PROCFS_NO_UMASK },
    { "Umask:\t01000\n", PROCFS_NO_UMASK },
    { "Umask:\t0022x\n", PROCFS_NO_UMASK },
  };
  char text[512];

  (void) state;
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    {
      procfs_status st = { 0 };
      berth_error *err = NULL;

      snprintf (text, sizeof text, "Name:\tx\n%s%s", cases[i].line, base);
      assert_int_equal (procfs_parse_status (text, &st, &err), 0);
      assert_int_equal (st.umask, cases[i].want);
    }
}

static void
test_status_refused (void **state)
{
  procfs_status st = { 0 };
  berth_error *err = NULL;
  /* No Gid line; a mask of 17 digits; a mask with a stray character;
     three ids; the key only inside another line.  */
  static const char *const bad[] = {
    "SigIgn:\t0\nSigCgt:\t0\nCapBnd:\t0\nCapInh:\t0\nCapPrm:\t0\n"
    "Uid:\t0\t0\t0\t0\n",
    "SigIgn:\t00000000000000000\nSigCgt:\t0\nCapBnd:\t0\nCapInh:\t0\n"
    "CapPrm:\t0\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\n",
    "SigIgn:\t12x4\nSigCgt:\t0\nCapBnd:\t0\nCapInh:\t0\nCapPrm:\t0\n"
    "Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\n",
    "SigIgn:\t0\nSigCgt:\t0\nCapBnd:\t0\nCapInh:\t0\nCapPrm:\t0\n"
    "Uid:\t0\t0\t0\nGid:\t0\t0\t0\t0\n",
    "SigIgn:\t0\nSigCgt:\t0\nCapBnd:\t0\nCapInh:\t0\nCapPrm:\t0\n"
    "Uid:\t0\t0\t0\t0\nXGid:\t0\t0\t0\t0\n",
  };

  (void) state;
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    {
      assert_int_equal (procfs_parse_status (bad[i], &st, &err), -1);
      assert_non_null (err);
      berth_error_free (err);
      err = NULL;
    }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_status_fields),
    cmocka_unit_test (test_status_refused),
    cmocka_unit_test (test_status_umask),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
