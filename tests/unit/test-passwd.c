/* Unit tests of passwd_find_home: the entry of a uid in passwd(5) lines,
 * and the bounds that keep a hostile image's /etc/passwd from costing the
 * runtime time (a size limit, a line limit).  The file is a memfd.  */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "libcontainer/process/passwd.h"

/* A memfd holding `text`, then `pad` bytes of `fill` lines, then `tail`.  */
static int
file_of (const char *text, size_t pad, const char *tail)
{
  int fd = memfd_create ("passwd", MFD_CLOEXEC);
  static const char fill[] = "user:x:5000:5000::/home/user:/bin/sh\n";
  assert_true (fd >= 0);
  assert_int_equal (write (fd, text, strlen (text)), (ssize_t) strlen (text));
  char block[(sizeof fill - 1) * 1024];
  for (size_t i = 0; i < 1024; i++)
    memcpy (block + i * (sizeof fill - 1), fill, sizeof fill - 1);
  for (size_t done = 0; done < pad; done += sizeof block)
    assert_int_equal (write (fd, block, sizeof block), (ssize_t) sizeof block);
  if (tail)
    assert_int_equal (write (fd, tail, strlen (tail)), (ssize_t) strlen (tail));
  assert_int_equal (lseek (fd, 0, SEEK_SET), 0);
  return fd;
}

static char *
home_of (int fd, uid_t uid, size_t max)
{
  berth_error *err = NULL;
  char *home = (char *) 1;
  if (passwd_find_home (fd, "/etc/passwd", uid, max, &home, &err) < 0)
    fail_msg ("%s", err->msg);
  close (fd);
  return home;
}

static berth_error *
lookup_error (int fd, uid_t uid, size_t max)
{
  berth_error *err = NULL;
  char *home = NULL;
  assert_int_equal (passwd_find_home (fd, "/etc/passwd", uid, max, &home,
                                      &err),
                    -1);
  assert_null (home);
  close (fd);
  return err;
}

static void
test_entries (void **state)
{
  static const char text[]
      = "root:x:0:0:root:/root:/bin/sh\n"
        "# not an entry\n"
        "short:x\n"
        "bad:x:12a:0::/bad:/bin/sh\n"
        "nohome:x:7:7:::/bin/sh\n"
        "web:x:1000:1000:Web:/srv/web:/bin/sh\n"
        "last:x:2000:2000::/home/last:/bin/false";
  char *h;
  (void) state;

  h = home_of (file_of (text, 0, NULL), 0, PASSWD_MAX_BYTES);
  assert_string_equal (h, "/root");
  free (h);
  h = home_of (file_of (text, 0, NULL), 1000, PASSWD_MAX_BYTES);
  assert_string_equal (h, "/srv/web");
  free (h);
  /* The last line, without a newline.  */
  h = home_of (file_of (text, 0, NULL), 2000, PASSWD_MAX_BYTES);
  assert_string_equal (h, "/home/last");
  free (h);
  /* An entry with no home, and no entry at all: no HOME, no error.  */
  assert_null (home_of (file_of (text, 0, NULL), 7, PASSWD_MAX_BYTES));
  assert_null (home_of (file_of (text, 0, NULL), 12, PASSWD_MAX_BYTES));
  assert_null (home_of (file_of ("", 0, NULL), 0, PASSWD_MAX_BYTES));
}

static void
test_lines_across_reads (void **state)
{
  /* Lines of ~60 KiB: most of them straddle the 64 KiB reads.  */
  size_t len = 60 << 10;
  char *line = malloc (len + 64);
  int fd = memfd_create ("passwd", MFD_CLOEXEC);
  char *h;
  (void) state;

  for (int i = 0; i < 5; i++)
    {
      int n = snprintf (line, 64, "u%d:x:%d:0:", i, 100 + i);
      memset (line + n, 'g', len - (size_t) n);
      n = (int) len + snprintf (line + len, 64, ":/home/u%d:/bin/sh\n", i);
      assert_int_equal (write (fd, line, (size_t) n), n);
    }
  lseek (fd, 0, SEEK_SET);
  h = home_of (fd, 104, PASSWD_MAX_BYTES);
  assert_string_equal (h, "/home/u4");
  free (h);
  free (line);
}

static void
test_size_bound (void **state)
{
  berth_error *err;
  char *h;
  struct timespec t0, t1;
  (void) state;

  /* The entry after 1 MiB of other users, with a 1 MiB bound: an error
     that names the file and the limit.  */
  err = lookup_error (file_of ("", 1 << 20, "me:x:4242:0::/home/me:/bin/sh\n"),
                      4242, 1 << 20);
  assert_non_null (strstr (err->msg, "/etc/passwd"));
  assert_non_null (strstr (err->msg, "1 MiB"));
  assert_non_null (strstr (err->msg, "uid 4242"));
  berth_error_free (err);

  /* Before the bound, the entry is found however large the file.  */
  h = home_of (file_of ("me:x:4242:0::/home/me:/bin/sh\n", 4 << 20, NULL),
               4242, 1 << 20);
  assert_string_equal (h, "/home/me");
  free (h);

  /* A file of exactly the bound is read whole.  */
  {
    char *exact = malloc (1000 + 1);
    memset (exact, '#', 999);
    exact[999] = '\n';
    exact[1000] = '\0';
    assert_null (home_of (file_of (exact, 0, NULL), 1, 1000));
    err = lookup_error (file_of (exact, 0, "#"), 1, 1000);
    berth_error_free (err);
    free (exact);
  }

  /* The real bound: 20 MiB of users and no entry stops at 16 MiB, fast.  */
  {
    int fd = file_of ("", 20 << 20, NULL);
    clock_gettime (CLOCK_MONOTONIC, &t0);
    err = lookup_error (fd, 4242, PASSWD_MAX_BYTES);
    clock_gettime (CLOCK_MONOTONIC, &t1);
    assert_non_null (strstr (err->msg, "16 MiB"));
    berth_error_free (err);
    assert_true ((t1.tv_sec - t0.tv_sec) * 1000
                     + (t1.tv_nsec - t0.tv_nsec) / 1000000
                 < 2000);
  }
}

static void
test_line_bound (void **state)
{
  size_t len = PASSWD_MAX_LINE + 10;
  char *line = malloc (len + 1);
  berth_error *err;
  (void) state;

  memset (line, 'a', len);
  line[len] = '\0';
  err = lookup_error (file_of (line, 0, "\nroot:x:0:0::/root:/bin/sh\n"), 0,
                      PASSWD_MAX_BYTES);
  assert_non_null (strstr (err->msg, "64 KiB"));
  berth_error_free (err);
  free (line);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_entries),
    cmocka_unit_test (test_lines_across_reads),
    cmocka_unit_test (test_size_bound),
    cmocka_unit_test (test_line_bound),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
