/* Prints the calling thread's NUMA memory policy as the kernel has it
 * (get_mempolicy(2)): "MODE FLAGS NODES", such as "bind static 0" or
 * "local - -".  Built static, to run inside a busybox container.
 *
 *   mempolicy
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <linux/mempolicy.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAX_NODES 1024
#define LONG_BITS (sizeof (unsigned long) * CHAR_BIT)

int
main (void)
{
  static const char *const names[] = { "default", "preferred", "bind",
                                       "interleave", "local",
                                       "preferred_many",
                                       "weighted_interleave" };
  unsigned long mask[MAX_NODES / LONG_BITS] = { 0 };
  int mode = 0, m, printed = 0;

  if (syscall (SYS_get_mempolicy, &mode, mask, MAX_NODES + 1UL, NULL, 0UL)
      < 0)
    {
      fprintf (stderr, "get_mempolicy: %s\n", strerror (errno));
      return 1;
    }
  m = mode & ~MPOL_MODE_FLAGS;
  if (m >= 0 && m < (int) (sizeof names / sizeof names[0]))
    printf ("%s ", names[m]);
  else
    printf ("mode%d ", m);
  if (mode & MPOL_F_STATIC_NODES)
    printed += printf ("%sstatic", printed ? "," : "");
  if (mode & MPOL_F_RELATIVE_NODES)
    printed += printf ("%srelative", printed ? "," : "");
  if (mode & MPOL_F_NUMA_BALANCING)
    printed += printf ("%sbalancing", printed ? "," : "");
  printf ("%s ", printed ? "" : "-");
  printed = 0;
  for (unsigned n = 0; n < MAX_NODES; n++)
    if (mask[n / LONG_BITS] & (1UL << (n % LONG_BITS)))
      printed += printf ("%s%u", printed ? "," : "", n);
  printf ("%s\n", printed ? "" : "-");
  return 0;
}
