/* berth: the text of /proc/<pid>/mountinfo (base/mountinfo.h).  */
#include "base/mountinfo.h"

#include <stdbool.h>

static bool
is_escape_digits (const char *d)
{
  return d[0] >= '0' && d[0] <= '3' && d[1] >= '0' && d[1] <= '7'
         && d[2] >= '0' && d[2] <= '7';
}

size_t
mountinfo_unescape (char *dst, const char *src, size_t n)
{
  const char *i = src, *end = src + n;
  char *o = dst;

  while (i < end)
    {
      if (*i == '\\' && end - i >= 4 && is_escape_digits (i + 1))
        {
          *o++ = (char) (((i[1] - '0') << 6) | ((i[2] - '0') << 3)
                         | (i[3] - '0'));
          i += 4;
        }
      else
        *o++ = *i++;
    }
  *o = '\0';
  return (size_t) (o - dst);
}
