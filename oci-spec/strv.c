/* berth: string arrays in one block (see strv.h).
 *
 * The parse of a config copies every string out of the document's tree,
 * which is freed right after.  One malloc per string was most of the
 * walk's cost: the default spec has some 140 strings in 20 arrays.  */
#include "oci-spec/strv.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/utils.h"

/* Sizes come from strings already in memory: an overflow is a bug, and
   aborting is the allocation policy.  */
static size_t
add_size (size_t a, size_t b)
{
  if (a > SIZE_MAX - b)
    abort ();
  return a + b;
}

char **
oci_strv_pack (size_t n, oci_strv_get_fn get, const void *src)
{
  size_t bytes, i;
  char **v;
  char *p;

  if (n > SIZE_MAX / sizeof (char *) - 1)
    abort ();
  bytes = (n + 1) * sizeof (char *);
  for (i = 0; i < n; i++)
    {
      size_t len;
      get (src, i, &len);
      bytes = add_size (bytes, len + 1);
    }
  v = xmalloc (bytes);
  p = (char *) (v + n + 1);
  for (i = 0; i < n; i++)
    {
      size_t len;
      const char *s = get (src, i, &len);
      v[i] = memcpy (p, s, len + 1);
      p += len + 1;
    }
  v[n] = NULL;
  return v;
}

static const char *
get_plain (const void *src, size_t i, size_t *len)
{
  const char *s = ((const char *const *) src)[i];
  *len = strlen (s);
  return s;
}

char **
oci_strv_new (const char *const *v, size_t n)
{
  return oci_strv_pack (n, get_plain, v);
}

/* An array with one element replaced or added (at == n).  */
struct edit
{
  char *const *v;
  size_t at;
  const char *s;
};

static const char *
get_edited (const void *src, size_t i, size_t *len)
{
  const struct edit *e = src;
  const char *s = i == e->at ? e->s : e->v[i];
  *len = strlen (s);
  return s;
}

char **
oci_strv_append (char **v, size_t n, const char *s)
{
  struct edit e = { v, n, s };
  char **out = oci_strv_pack (n + 1, get_edited, &e);
  free (v);
  return out;
}

char **
oci_strv_set (char **v, size_t n, size_t i, const char *s)
{
  struct edit e = { v, i, s };
  char **out = oci_strv_pack (n, get_edited, &e);
  free (v);
  return out;
}

void
oci_strv_free (char **v)
{
  free (v);
}
