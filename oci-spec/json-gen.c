/* berth: yajl_gen helpers.  */
#include "oci-spec/json-gen.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/decimal.h"
#include "base/utils.h"

yajl_gen
json_gen_new (const char *indent)
{
  yajl_gen g = yajl_gen_alloc (NULL);
  if (g == NULL)
    abort ();
  if (indent)
    {
      yajl_gen_config (g, yajl_gen_beautify, 1);
      yajl_gen_config (g, yajl_gen_indent_string, indent);
    }
  return g;
}

char *
json_gen_finish (yajl_gen g, size_t *len)
{
  const unsigned char *buf = NULL;
  size_t n = 0;
  char *out;

  yajl_gen_get_buf (g, &buf, &n);
  while (n > 0 && buf[n - 1] == '\n')
    n--;
  out = xmalloc0 (n + 1);
  if (n)
    memcpy (out, buf, n);
  yajl_gen_free (g);
  if (len)
    *len = n;
  return out;
}

char *
json_gen_finish_line (yajl_gen g)
{
  size_t len;
  char *line = json_gen_finish (g, &len);

  line = xrealloc (line, len + 2);
  line[len] = '\n';
  line[len + 1] = '\0';
  return line;
}

void
json_gen_str (yajl_gen g, const char *s)
{
  if (s == NULL)
    s = "";
  yajl_gen_string (g, (const unsigned char *) s, strlen (s));
}

void
json_gen_key_bool (yajl_gen g, const char *key, bool v)
{
  json_gen_str (g, key);
  yajl_gen_bool (g, v);
}

/* Through its text, so a uint64 above INT64_MAX survives.  */
void
json_gen_int (yajl_gen g, int64_t v)
{
  char buf[DECIMAL_U64_DIGITS + 2];
  size_t n = decimal_format_signed (buf, v);

  yajl_gen_number (g, buf, n);
}

void
json_gen_key_u64 (yajl_gen g, const char *key, uint64_t v)
{
  char buf[DECIMAL_U64_DIGITS + 1];
  size_t n = decimal_format (buf, v);

  json_gen_str (g, key);
  yajl_gen_number (g, buf, n);
}
