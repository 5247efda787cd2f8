/* berth: decimal numbers in and out of text (base/decimal.h).  */
#include "base/decimal.h"

bool
decimal_scan (const char **p, uint64_t *out)
{
  const char *s = *p;
  uint64_t v = 0;

  while (*s == ' ' || *s == '\t')
    s++;
  if (*s < '0' || *s > '9')
    return false;
  for (; *s >= '0' && *s <= '9'; s++)
    {
      unsigned d = (unsigned) (*s - '0');
      if (v > (UINT64_MAX - d) / 10)
        return false;
      v = v * 10 + d;
    }
  *p = s;
  *out = v;
  return true;
}

size_t
decimal_format (char *buf, uint64_t v)
{
  char tmp[DECIMAL_U64_DIGITS];
  size_t n = 0;

  do
    {
      tmp[n++] = (char) ('0' + v % 10);
      v /= 10;
    }
  while (v != 0);
  for (size_t i = 0; i < n; i++)
    buf[i] = tmp[n - 1 - i];
  buf[n] = '\0';
  return n;
}

size_t
decimal_format_signed (char *buf, int64_t v)
{
  if (v >= 0)
    return decimal_format (buf, (uint64_t) v);
  buf[0] = '-';
  /* -(v + 1) + 1: INT64_MIN has no positive int64_t.  */
  return 1 + decimal_format (buf + 1, (uint64_t) (-(v + 1)) + 1);
}

char *
decimal_format_fixed (char *buf, uint64_t v, unsigned width)
{
  for (unsigned i = width; i > 0; i--)
    {
      buf[i - 1] = (char) ('0' + v % 10);
      v /= 10;
    }
  return buf + width;
}
