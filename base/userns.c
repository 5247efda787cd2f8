/* berth: telling the initial user namespace from any other.  */
#include "base/userns.h"

#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "base/decimal.h"

bool
uid_map_is_user_namespace (const char *map)
{
  uint64_t inside, outside, count;
  const char *p = map;

  /* Empty: the namespace exists but nothing is mapped in it yet.  */
  if (map[0] == '\0' || map[0] == '\n')
    return true;
  /* By hand, not with sscanf (base/decimal.h).  */
  if (!decimal_scan (&p, &inside) || !decimal_scan (&p, &outside)
      || !decimal_scan (&p, &count))
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
