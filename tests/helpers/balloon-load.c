/* A workload for tests/integration/balloon.bats, run in the container
 * (static, for the busybox rootfs):
 *
 *   balloon-load files COLD HOT RATE CTL
 *     reads the file COLD once, then reads the first N MiB of the file
 *     HOT again and again, N from the file CTL (read every second; 32 when
 *     it is missing): page cache used once, and a hot working set.
 *   balloon-load anon COLD_MIB HOT_MIB RATE
 *     writes COLD_MIB of anonymous memory once, then keeps HOT_MIB of it
 *     hot in a loop.
 *
 * Every second it appends to RATE the MiB its loop went through in that
 * second: the loop rate the tests compare before and after a balloon.  */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define MIB (1024L * 1024)

static double
now (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

static void
die (const char *what)
{
  perror (what);
  exit (1);
}

static void
report (const char *rate, double mib)
{
  FILE *f = fopen (rate, "ae");
  if (f == NULL)
    die (rate);
  fprintf (f, "%.1f\n", mib);
  fclose (f);
}

static long
hot_mib (const char *ctl, long fallback)
{
  FILE *f = fopen (ctl, "re");
  long v = fallback;
  if (f)
    {
      if (fscanf (f, "%ld", &v) != 1 || v <= 0)
        v = fallback;
      fclose (f);
    }
  return v;
}

static _Noreturn void
files (const char *cold, const char *hot, const char *rate, const char *ctl)
{
  static char buf[MIB];
  int fd = open (cold, O_RDONLY | O_CLOEXEC);
  long n = 32;
  double t0, done = 0;
  ssize_t r;

  if (fd < 0)
    die (cold);
  while ((r = read (fd, buf, sizeof buf)) > 0)
    ;
  if (r < 0)
    die (cold);
  close (fd);
  fd = open (hot, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    die (hot);
  t0 = now ();
  for (;;)
    {
      for (long i = 0; i < n; i++)
        {
          if (pread (fd, buf, MIB, i * MIB) < 0)
            die (hot);
          done += 1;
          if (now () - t0 >= 1.0)
            {
              report (rate, done);
              done = 0;
              t0 += 1.0;
              n = hot_mib (ctl, n);
            }
        }
    }
}

static _Noreturn void
anon (long cold_mib, long hot_mib_, const char *rate)
{
  char *cold = mmap (NULL, cold_mib * MIB, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  char *hot = mmap (NULL, hot_mib_ * MIB, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  double t0, done = 0;
  long page = sysconf (_SC_PAGESIZE);

  if (cold == MAP_FAILED || hot == MAP_FAILED)
    die ("mmap");
  /* Not zero: a page of zeros may stay the shared zero page.  */
  for (long i = 0; i < cold_mib * MIB; i += page)
    cold[i] = (char) (i / page + 1);
  t0 = now ();
  for (unsigned char v = 1;; v++)
    for (long m = 0; m < hot_mib_; m++)
      {
        for (long i = 0; i < MIB; i += page)
          hot[m * MIB + i] = (char) v;
        done += 1;
        if (now () - t0 >= 1.0)
          {
            report (rate, done);
            done = 0;
            t0 += 1.0;
          }
      }
}

int
main (int argc, char **argv)
{
  if (argc == 6 && strcmp (argv[1], "files") == 0)
    files (argv[2], argv[3], argv[4], argv[5]);
  if (argc == 5 && strcmp (argv[1], "anon") == 0)
    anon (atol (argv[2]), atol (argv[3]), argv[4]);
  fprintf (stderr, "usage: balloon-load files COLD HOT RATE CTL | "
                   "anon COLD_MIB HOT_MIB RATE\n");
  return 2;
}
