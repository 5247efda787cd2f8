/* berth: telling the initial user namespace from any other.  */
#include "base/userns.h"

#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <unistd.h>

#include "base/cleanup.h"

/* One field of a uid_map line: blanks, then decimal digits.  By hand,
   not with sscanf: this runs at every start, and vfscanf's code and
   buffers cost the process four page faults.  */
static bool
map_field (const char **p, unsigned long long *out)
{
  const char *s = *p;
  unsigned long long v = 0;

  while (*s == ' ' || *s == '\t')
    s++;
  if (*s < '0' || *s > '9')
    return false;
  for (; *s >= '0' && *s <= '9'; s++)
    {
      if (v > (ULLONG_MAX - (unsigned) (*s - '0')) / 10)
        return false;
      v = v * 10 + (unsigned) (*s - '0');
    }
  *p = s;
  *out = v;
  return true;
}

bool
uid_map_is_user_namespace (const char *map)
{
  unsigned long long inside, outside, count;
  const char *p = map;

  /* Empty: the namespace exists but nothing is mapped in it yet.  */
  if (map[0] == '\0' || map[0] == '\n')
    return true;
  if (!map_field (&p, &inside) || !map_field (&p, &outside)
      || !map_field (&p, &count))
    return false;
  return !(inside == 0 && outside == 0 && count == 4294967295ULL);
}

bool
in_user_namespace (void)
{
  static int cached = -1;
  cleanup_close int fd = -1;
  char buf[128];
  ssize_t n;

  if (cached >= 0)
    return cached;
  fd = open ("/proc/self/uid_map", O_RDONLY | O_CLOEXEC);
  n = fd < 0 ? -1 : read (fd, buf, sizeof buf - 1);
  if (n < 0)
    cached = 0;
  else
    {
      buf[n] = '\0';
      cached = uid_map_is_user_namespace (buf);
    }
  return cached > 0;
}
