/* berth: the formats of the balloon's cgroup files (balloon.h): PSI lines,
 * memory.stat, sizes and percentages.  Pure: no syscalls, unit-tested in
 * tests/unit/test-balloon.c.  */
#include <ctype.h>
#include <stddef.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cgroups/balloon.h"

/* "avg10=0.12 avg60=0.00 avg300=0.00 total=1234" after the kind.  */
static int
parse_pressure_fields (const char *p, cg_pressure_line *l)
{
  bool avg10 = false, avg60 = false, avg300 = false, total = false;

  while (*p && *p != '\n')
    {
      const char *eq;
      char *end;
      size_t klen;

      while (*p == ' ')
        p++;
      if (*p == '\n' || *p == '\0')
        break;
      eq = strchr (p, '=');
      if (eq == NULL)
        return -1;
      klen = (size_t) (eq - p);
      errno = 0;
      if (klen == 5 && strncmp (p, "total", 5) == 0)
        {
          if (!isdigit ((unsigned char) eq[1]))
            return -1;
          l->total = strtoull (eq + 1, &end, 10);
          total = true;
        }
      else
        {
          double v = strtod (eq + 1, &end);
          if (end == eq + 1 || !isfinite (v) || v < 0)
            return -1;
          if (klen == 5 && strncmp (p, "avg10", 5) == 0)
            l->avg10 = v, avg10 = true;
          else if (klen == 5 && strncmp (p, "avg60", 5) == 0)
            l->avg60 = v, avg60 = true;
          else if (klen == 6 && strncmp (p, "avg300", 6) == 0)
            l->avg300 = v, avg300 = true;
        }
      if (errno != 0 || (*end != ' ' && *end != '\n' && *end != '\0'))
        return -1;
      p = end;
    }
  return avg10 && avg60 && avg300 && total ? 0 : -1;
}

int
cg_pressure_parse (const char *text, cg_pressure *out, berth_error **err)
{
  bool some = false;
  const char *line = text;

  memset (out, 0, sizeof *out);
  while (line && *line)
    {
      cg_pressure_line *l = NULL;
      size_t skip = 0;

      if (strncmp (line, "some ", 5) == 0)
        l = &out->some, skip = 5, some = true;
      else if (strncmp (line, "full ", 5) == 0)
        l = &out->full, skip = 5;
      if (l && parse_pressure_fields (line + skip, l) < 0)
        return berth_error_set (err, 0, "memory.pressure: malformed line "
                                "\"%.*s\"",
                                (int) strcspn (line, "\n"), line);
      line = strchr (line, '\n');
      if (line)
        line++;
    }
  if (!some)
    return berth_error_set (err, 0, "memory.pressure: no \"some\" line");
  return 0;
}

int
cg_memory_stat_parse (const char *text, cg_memory_stat *out,
                      berth_error **err)
{
  static const struct
  {
    const char *key;
    size_t off;
  } keys[] = {
    { "anon", offsetof (cg_memory_stat, anon) },
    { "file", offsetof (cg_memory_stat, file) },
    { "shmem", offsetof (cg_memory_stat, shmem) },
    { "active_file", offsetof (cg_memory_stat, active_file) },
    { "inactive_file", offsetof (cg_memory_stat, inactive_file) },
    { "active_anon", offsetof (cg_memory_stat, active_anon) },
    { "inactive_anon", offsetof (cg_memory_stat, inactive_anon) },
    { "slab_reclaimable", offsetof (cg_memory_stat, slab_reclaimable) },
  };
  const char *line = text;

  memset (out, 0, sizeof *out);
  while (line && *line)
    {
      size_t klen = strcspn (line, " \n");
      const char *v = line + klen;

      if (*v == ' ')
        for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
          if (strlen (keys[i].key) == klen
              && strncmp (line, keys[i].key, klen) == 0)
            {
              char *end;
              unsigned long long n;

              errno = 0;
              n = strtoull (v + 1, &end, 10);
              if (errno != 0 || end == v + 1 || !isdigit ((unsigned char) v[1])
                  || (*end != '\n' && *end != '\0'))
                return berth_error_set (err, 0, "memory.stat: malformed "
                                        "line \"%.*s\"",
                                        (int) strcspn (line, "\n"), line);
              *(uint64_t *) ((char *) out + keys[i].off) = n;
              break;
            }
      line = strchr (line, '\n');
      if (line)
        line++;
    }
  return 0;
}

int
cg_size_parse (const char *s, bool allow_max, uint64_t *out,
               berth_error **err)
{
  static const char units[] = "kmgt";
  const char *p = s;
  unsigned long long v;
  uint64_t mult = 1;
  char *end;

  if (allow_max && strcmp (s, "max") == 0)
    {
      *out = CG_BALLOON_MAX;
      return 0;
    }
  if (!isdigit ((unsigned char) *p))
    goto bad;
  errno = 0;
  v = strtoull (p, &end, 10);
  if (errno != 0)
    goto bad;
  p = end;
  if (*p && strchr (units, tolower ((unsigned char) *p)))
    {
      const char *u = units;
      for (;;)
        {
          mult *= 1024;
          if (*u == tolower ((unsigned char) *p))
            break;
          u++;
        }
      p++;
      if (*p == 'i' && (p[1] == 'B' || p[1] == 'b'))
        p += 2;
      else if (*p == 'b' || *p == 'B')
        p++;
    }
  else if (*p == 'b' || *p == 'B')
    p++;
  if (*p != '\0')
    goto bad;
  if (v > UINT64_MAX / mult)
    return berth_error_set (err, 0, "\"%s\": too large", s);
  *out = v * mult;
  return 0;
bad:
  return berth_error_set (err, 0, "\"%s\": expected a size such as 64m "
                          "(bytes, or k, m, g, t)%s", s,
                          allow_max ? " or max" : "");
}

int
cg_percent_parse (const char *s, double *out, berth_error **err)
{
  char *end;
  double v;

  errno = 0;
  v = strtod (s, &end);
  if (end == s || errno != 0 || !isfinite (v) || (*end == '%' && end[1])
      || (*end && *end != '%') || v < 0 || v > 100 || isspace ((unsigned char) *s))
    return berth_error_set (err, 0, "\"%s\": expected a percentage from 0 "
                            "to 100, such as 10 or 0.1%%", s);
  *out = v;
  return 0;
}
