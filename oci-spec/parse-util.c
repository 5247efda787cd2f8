/* berth: walking a yajl tree with the JSON path of every value.  */
#include "oci-spec/parse-util.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/cleanup.h"
#include "base/decimal.h"
#include "base/utils.h"
#include "oci-spec/json-tree.h"
#include "oci-spec/strv.h"


void
json_ctx_init (json_ctx *c, const char *name, berth_error **err)
{
  c->name = name ? name : "JSON";
  c->err = err;
  c->depth = 0;
}

/* Nothing to free since the path became steps; kept so every parse ends
   its context the same way.  */
void
json_ctx_fini (json_ctx *c)
{
  c->depth = 0;
}

/* A walker deeper than the document is a bug in the walker, not bad
   input: the document's depth is bounded as it is parsed.  */
static json_path_step *
push_step (json_ctx *c)
{
  if (c->depth == JSON_PATH_MAX_STEPS)
    abort ();
  return &c->steps[c->depth++];
}

size_t
json_push_field (json_ctx *c, const char *key)
{
  size_t mark = c->depth;
  json_path_step *s = push_step (c);
  s->kind = JSON_STEP_FIELD;
  s->key = key;
  return mark;
}

size_t
json_push_index (json_ctx *c, size_t index)
{
  size_t mark = c->depth;
  json_path_step *s = push_step (c);
  s->kind = JSON_STEP_INDEX;
  s->index = index;
  return mark;
}

size_t
json_push_map_key (json_ctx *c, const char *key)
{
  size_t mark = c->depth;
  json_path_step *s = push_step (c);
  s->kind = JSON_STEP_MAP_KEY;
  s->key = key;
  return mark;
}

void
json_pop (json_ctx *c, size_t mark)
{
  if (mark <= c->depth)
    c->depth = mark;
}

/* "[12]".  */
static void
put_index (FILE *f, size_t index)
{
  char buf[DECIMAL_U64_DIGITS + 1];
  size_t n = decimal_format (buf, index);

  fputc ('[', f);
  fwrite (buf, 1, n, f);
  fputc (']', f);
}

/* The path as the user reads it: process.capabilities.bounding[2],
   linux.sysctl["net.ipv4.ip_forward"].  Error path only.  */
static char *
path_text (const json_ctx *c)
{
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream (&text, &len);

  if (f == NULL)
    abort ();
  for (size_t i = 0; i < c->depth; i++)
    {
      const json_path_step *s = &c->steps[i];
      switch (s->kind)
        {
        case JSON_STEP_FIELD:
          /* After anything at all: a path never starts with a dot.  */
          if (ftell (f) > 0)
            fputc ('.', f);
          fputs (s->key, f);
          break;
        case JSON_STEP_INDEX:
          put_index (f, s->index);
          break;
        case JSON_STEP_MAP_KEY:
          {
            cleanup_free char *q = json_quote (s->key);
            fprintf (f, "[%s]", q);
          }
          break;
        }
    }
  if (fclose (f) != 0)
    abort ();
  return text;
}

int
json_fail (json_ctx *c, const char *fmt, ...)
{
  va_list ap;
  cleanup_free char *msg = NULL;
  cleanup_free char *path = path_text (c);

  va_start (ap, fmt);
  if (vasprintf (&msg, fmt, ap) < 0)
    abort ();
  va_end (ap);
  if (path[0] != '\0')
    return berth_error_set (c->err, 0, "%s: %s: %s", c->name, path, msg);
  return berth_error_set (c->err, 0, "%s: %s", c->name, msg);
}

char *
json_quote (const char *s)
{
  const size_t max = 80;
  size_t i, o = 0;
  /* Each input byte takes at most 4 output bytes ("\xNN").  */
  char *out = xmalloc0 (max * 4 + 8);

  out[o++] = '"';
  for (i = 0; s && s[i] && i < max; i++)
    {
      unsigned char ch = (unsigned char) s[i];
      if (ch == '"' || ch == '\\')
        {
          out[o++] = '\\';
          out[o++] = (char) ch;
        }
      else if (ch < 0x20 || ch == 0x7f)
        o += (size_t) sprintf (out + o, "\\x%02x", ch);
      else
        out[o++] = (char) ch;
    }
  if (s && s[i])
    {
      memcpy (out + o, "...", 3);
      o += 3;
    }
  out[o++] = '"';
  out[o] = '\0';
  return out;
}

/* Where the first "\u0000" escape of a string starts: the tree builder
   only knows the string it was in.  Error path only.  */
static size_t
escaped_nul_offset (const char *s, size_t len)
{
  bool in_string = false;

  for (size_t i = 0; i < len; i++)
    {
      if (in_string)
        {
          if (s[i] == '"')
            in_string = false;
          else if (s[i] == '\\' && i + 1 < len)
            {
              if (len - i >= 6 && memcmp (s + i + 1, "u0000", 5) == 0)
                return i;
              i++;
            }
        }
      else if (s[i] == '"')
        in_string = true;
      else if (s[i] == '/' && i + 1 < len && s[i + 1] == '/')
        {
          const char *nl = memchr (s + i, '\n', len - i);
          i = nl ? (size_t) (nl - s) : len;
        }
      else if (s[i] == '/' && i + 1 < len && s[i + 1] == '*')
        {
          const char *e = memmem (s + i + 2, len - i - 2, "*/", 2);
          i = e ? (size_t) (e - s) + 1 : len;
        }
    }
  return len;
}

/* yajl's messages may end with a newline; keep them on one line.  */
static void
one_line (char *s)
{
  char *o = s;
  bool space = false;
  for (char *p = s; *p; p++)
    {
      if (*p == '\n' || *p == '\r' || *p == '\t' || *p == ' ')
        {
          space = o != s;
          continue;
        }
      if (space)
        *o++ = ' ';
      space = false;
      *o++ = *p;
    }
  *o = '\0';
}

yajl_val
json_load (json_ctx *c, const char *json, size_t len)
{
  json_tree_error e;
  const char *nul;
  yajl_val tree;

  if (json == NULL)
    {
      json = "";
      len = 0;
    }
  if (len > OCI_JSON_MAX_SIZE)
    {
      json_fail (c, "file too large");
      return NULL;
    }
  /* A NUL anywhere, in a comment too: the C strings made of it would
     end there.  */
  nul = memchr (json, '\0', len);
  if (nul != NULL)
    {
      json_fail (c, "invalid JSON: NUL byte at offset %zu",
                 (size_t) (nul - json));
      return NULL;
    }
  tree = json_tree_parse (json, len, &e);
  if (tree != NULL)
    return tree;
  switch (e.kind)
    {
    case JSON_TREE_TOO_DEEP:
      json_fail (c, "JSON nested too deeply");
      break;
    case JSON_TREE_NUL_IN_STRING:
      json_fail (c, "invalid JSON: \\u0000 in a string at offset %zu",
                 escaped_nul_offset (json, len));
      break;
    default:
      one_line (e.msg);
      json_fail (c, "invalid JSON: %s (line %zu, column %zu)", e.msg, e.line,
                 e.column);
      break;
    }
  return NULL;
}

/* Every field of every struct is looked up in its object's keys, most of
   them absent: the first byte rules out nearly every key without a call
   to strcmp.  */
static inline bool
key_is (const char *k, const char *key)
{
  return k != NULL && k[0] == key[0] && strcmp (k, key) == 0;
}

yajl_val
json_get (yajl_val obj, const char *key)
{
  size_t i;
  if (!YAJL_IS_OBJECT (obj))
    return NULL;
  for (i = obj->u.object.len; i > 0; i--)
    {
      const char *k = obj->u.object.keys[i - 1];
      if (key_is (k, key))
        {
          yajl_val v = obj->u.object.values[i - 1];
          return YAJL_IS_NULL (v) ? NULL : v;
        }
    }
  return NULL;
}

/* ---- scalars ---------------------------------------------------------- */

int
json_as_string (json_ctx *c, yajl_val v, char **out)
{
  size_t len;

  if (!YAJL_IS_STRING (v))
    return json_fail (c, "expected a string");
  free (*out);
  len = json_tree_string_len (v);
  *out = memcpy (xmalloc (len + 1), v->u.string, len + 1);
  return 0;
}

int
json_as_bool (json_ctx *c, yajl_val v, bool *out)
{
  if (YAJL_IS_TRUE (v))
    *out = true;
  else if (YAJL_IS_FALSE (v))
    *out = false;
  else
    return json_fail (c, "expected a boolean");
  return 0;
}

/* The number's own text, so values past INT64_MAX keep every digit.  */
static const char *
number_text (yajl_val v)
{
  if (!YAJL_IS_NUMBER (v) || v->u.number.r == NULL)
    return NULL;
  return v->u.number.r;
}

/* `s` is one or more decimal digits and nothing else, at most UINT64_MAX.
   By hand (base/decimal.h), not strtoull: yajl has already checked the
   syntax (an optional '-', digits, then an optional fraction and
   exponent, whose '.', 'e' or 'E' is no digit, so a non-integer fails
   here), and its text has no blanks for decimal_scan to pass over.  */
static bool
decimal_u64 (const char *s, uint64_t *out)
{
  return decimal_scan (&s, out) && *s == '\0';
}

static int
as_unsigned (json_ctx *c, yajl_val v, uint64_t max, const char *what,
             uint64_t *out)
{
  const char *s = number_text (v);
  uint64_t x;

  if (s == NULL)
    return json_fail (c, "expected %s", what);
  if (*s == '-')
    {
      /* "-0" is zero; anything else negative is out of range.  */
      const char *p = s + 1;
      while (*p == '0')
        p++;
      if (*p != '\0')
        return json_fail (c, "expected %s", what);
      *out = 0;
      return 0;
    }
  if (!decimal_u64 (s, &x) || x > max)
    return json_fail (c, "expected %s", what);
  *out = x;
  return 0;
}

static int
as_signed (json_ctx *c, yajl_val v, int64_t min, int64_t max,
           const char *what, int64_t *out)
{
  const char *s = number_text (v);
  const uint64_t min_magnitude = (uint64_t) INT64_MAX + 1;
  uint64_t mag;
  int64_t x;
  bool neg;

  if (s == NULL)
    return json_fail (c, "expected %s", what);
  neg = *s == '-';
  if (!decimal_u64 (s + neg, &mag)
      || mag > (neg ? min_magnitude : (uint64_t) INT64_MAX))
    return json_fail (c, "expected %s", what);
  if (!neg)
    x = (int64_t) mag;
  else if (mag == min_magnitude)
    x = INT64_MIN;
  else
    x = -(int64_t) mag;
  if (x < min || x > max)
    return json_fail (c, "expected %s", what);
  *out = x;
  return 0;
}

int
json_as_u16 (json_ctx *c, yajl_val v, uint16_t *out)
{
  uint64_t x;
  if (as_unsigned (c, v, UINT16_MAX, "an unsigned 16-bit integer", &x) < 0)
    return -1;
  *out = (uint16_t) x;
  return 0;
}

int
json_as_u32 (json_ctx *c, yajl_val v, uint32_t *out)
{
  uint64_t x;
  if (as_unsigned (c, v, UINT32_MAX, "an unsigned 32-bit integer", &x) < 0)
    return -1;
  *out = (uint32_t) x;
  return 0;
}

int
json_as_u64 (json_ctx *c, yajl_val v, uint64_t *out)
{
  return as_unsigned (c, v, UINT64_MAX, "an unsigned 64-bit integer", out);
}

int
json_as_i32 (json_ctx *c, yajl_val v, int32_t *out)
{
  int64_t x;
  if (as_signed (c, v, INT32_MIN, INT32_MAX, "a signed 32-bit integer", &x)
      < 0)
    return -1;
  *out = (int32_t) x;
  return 0;
}

int
json_as_i64 (json_ctx *c, yajl_val v, int64_t *out)
{
  return as_signed (c, v, INT64_MIN, INT64_MAX, "a signed 64-bit integer",
                    out);
}

int
json_as_object (json_ctx *c, yajl_val v)
{
  if (!YAJL_IS_OBJECT (v))
    return json_fail (c, "expected an object");
  return 0;
}

/* ---- fields ------------------------------------------------------------ */

int
json_field_missing (json_ctx *c, const char *key)
{
  json_push_field (c, key);
  return json_fail (c, "missing (required)");
}

/* Pushes the key's path and converts; pops only on success, so a failure
   leaves the path as the message printed it.  */
#define FIELD_SCALAR(NAME, TYPE, CONV)                                      \
  int NAME (json_ctx *c, yajl_val obj, const char *key, TYPE *out,          \
            bool *has)                                                      \
  {                                                                         \
    yajl_val v = json_get (obj, key);                                       \
    size_t mark;                                                            \
    if (v == NULL)                                                          \
      {                                                                     \
        if (has == NULL)                                                    \
          return json_field_missing (c, key);                               \
        *has = false;                                                       \
        return 0;                                                           \
      }                                                                     \
    mark = json_push_field (c, key);                                        \
    if (CONV (c, v, out) < 0)                                               \
      return -1;                                                            \
    json_pop (c, mark);                                                     \
    if (has)                                                                \
      *has = true;                                                          \
    return 0;                                                               \
  }

FIELD_SCALAR (json_field_bool, bool, json_as_bool)
FIELD_SCALAR (json_field_u16, uint16_t, json_as_u16)
FIELD_SCALAR (json_field_u32, uint32_t, json_as_u32)
FIELD_SCALAR (json_field_u64, uint64_t, json_as_u64)
FIELD_SCALAR (json_field_i32, int32_t, json_as_i32)
FIELD_SCALAR (json_field_i64, int64_t, json_as_i64)

int
json_field_string_ref (json_ctx *c, yajl_val obj, const char *key,
                       bool required, const char **out)
{
  yajl_val v = json_get (obj, key);

  if (v == NULL)
    return required ? json_field_missing (c, key) : 0;
  if (!YAJL_IS_STRING (v))
    {
      json_push_field (c, key);
      return json_fail (c, "expected a string");
    }
  *out = v->u.string;
  return 0;
}

int
json_field_string (json_ctx *c, yajl_val obj, const char *key, bool required,
                   char **out)
{
  yajl_val v = json_get (obj, key);
  size_t mark;

  if (v == NULL)
    return required ? json_field_missing (c, key) : 0;
  mark = json_push_field (c, key);
  if (json_as_string (c, v, out) < 0)
    return -1;
  json_pop (c, mark);
  return 0;
}

static bool
in_list (const char *s, const char *const *allowed)
{
  for (; *allowed; allowed++)
    if (strcmp (s, *allowed) == 0)
      return true;
  return false;
}

int
json_field_enum (json_ctx *c, yajl_val obj, const char *key, bool required,
                 const char *const *allowed, const char *what, char **out)
{
  if (json_field_string (c, obj, key, required, out) < 0)
    return -1;
  if (*out && !in_list (*out, allowed))
    {
      cleanup_free char *q = json_quote (*out);
      json_push_field (c, key);
      return json_fail (c, "unknown %s %s", what, q);
    }
  return 0;
}

int
json_field_enum_array (json_ctx *c, yajl_val obj, const char *key,
                       const char *const *allowed, const char *what,
                       char ***out, size_t *n)
{
  size_t i;
  if (json_field_string_array (c, obj, key, out, n) < 0)
    return -1;
  for (i = 0; i < *n; i++)
    if (!in_list ((*out)[i], allowed))
      {
        cleanup_free char *q = json_quote ((*out)[i]);
        json_push_field (c, key);
        json_push_index (c, i);
        return json_fail (c, "unknown %s %s", what, q);
      }
  return 0;
}

/* Overflow-checked zeroed array; the count is bounded by the input size,
   so failure here means a bug, and aborting is the allocation policy.  */
static void *
alloc_array (size_t n, size_t size)
{
  if (size != 0 && n > SIZE_MAX / size)
    abort ();
  return xmalloc0 (n * size);
}

static const char *
get_tree_string (const void *src, size_t i, size_t *len)
{
  yajl_val v = ((const yajl_val *) src)[i];
  *len = json_tree_string_len (v);
  return v->u.string;
}

/* Every element checked before the array is built: the one block holds
   only what it can fully fill.  */
int
json_field_string_array (json_ctx *c, yajl_val obj, const char *key,
                         char ***out, size_t *n)
{
  yajl_val v = json_get (obj, key);
  size_t mark, i, len;

  if (v == NULL)
    return 0;
  mark = json_push_field (c, key);
  if (!YAJL_IS_ARRAY (v))
    return json_fail (c, "expected an array of strings");
  len = v->u.array.len;
  oci_strv_free (*out);
  *out = NULL;
  *n = 0;
  for (i = 0; i < len; i++)
    if (!YAJL_IS_STRING (v->u.array.values[i]))
      {
        json_push_index (c, i);
        return json_fail (c, "expected a string");
      }
  if (len > 0)
    {
      *out = oci_strv_pack (len, get_tree_string, v->u.array.values);
      *n = len;
    }
  json_pop (c, mark);
  return 0;
}

int
json_field_u32_array (json_ctx *c, yajl_val obj, const char *key,
                      uint32_t **out, size_t *n)
{
  yajl_val v = json_get (obj, key);
  size_t mark, i, len;
  uint32_t *arr;

  if (v == NULL)
    return 0;
  mark = json_push_field (c, key);
  if (!YAJL_IS_ARRAY (v))
    return json_fail (c, "expected an array of unsigned 32-bit integers");
  len = v->u.array.len;
  free (*out);
  *out = NULL;
  *n = 0;
  if (len == 0)
    {
      json_pop (c, mark);
      return 0;
    }
  arr = alloc_array (len, sizeof (uint32_t));
  *out = arr;
  *n = len;
  for (i = 0; i < len; i++)
    {
      size_t m = json_push_index (c, i);
      if (json_as_u32 (c, v->u.array.values[i], &arr[i]) < 0)
        return -1;
      json_pop (c, m);
    }
  json_pop (c, mark);
  return 0;
}

/* Indices of the entries of a JSON object to keep, in document order: a
   repeated key keeps only its last occurrence (as Go's decoder does).
   Sorting keeps this O(n log n) on hostile input.  */
static const char *
key_at (char *const *keys, size_t i)
{
  return keys[i] ? keys[i] : "";
}

static int
cmp_key_then_index (const void *a, const void *b, void *keys)
{
  size_t ia = *(const size_t *) a, ib = *(const size_t *) b;
  int r = strcmp (key_at (keys, ia), key_at (keys, ib));
  if (r != 0)
    return r;
  return ia < ib ? -1 : ia > ib;
}

static int
cmp_index (const void *a, const void *b)
{
  size_t ia = *(const size_t *) a, ib = *(const size_t *) b;
  return ia < ib ? -1 : ia > ib;
}

static size_t *
unique_keys (yajl_val obj, size_t *n_out)
{
  size_t len = obj->u.object.len, i, n = 0;
  char *const *keys = (char *const *) obj->u.object.keys;
  size_t *idx = alloc_array (len ? len : 1, sizeof (size_t));

  for (i = 0; i < len; i++)
    idx[i] = i;
  qsort_r (idx, len, sizeof (size_t), cmp_key_then_index, (void *) keys);
  for (i = 0; i < len; i++)
    if (i + 1 == len
        || strcmp (key_at (keys, idx[i]), key_at (keys, idx[i + 1])) != 0)
      idx[n++] = idx[i];
  qsort (idx, n, sizeof (size_t), cmp_index);
  *n_out = n;
  return idx;
}

int
json_field_string_map (json_ctx *c, yajl_val obj, const char *key,
                       oci_kv **out, size_t *n)
{
  yajl_val v = json_get (obj, key);
  cleanup_free size_t *idx = NULL;
  size_t mark, i, len;
  oci_kv *kv;

  if (v == NULL)
    return 0;
  mark = json_push_field (c, key);
  if (!YAJL_IS_OBJECT (v))
    return json_fail (c, "expected an object");
  json_free_kv (*out, *n);
  *out = NULL;
  *n = 0;
  idx = unique_keys (v, &len);
  if (len == 0)
    {
      json_pop (c, mark);
      return 0;
    }
  kv = alloc_array (len, sizeof (oci_kv));
  *out = kv;
  *n = len;
  for (i = 0; i < len; i++)
    {
      const char *k = v->u.object.keys[idx[i]] ? v->u.object.keys[idx[i]] : "";
      size_t m = json_push_map_key (c, k);
      kv[i].key = xstrdup (k);
      if (json_as_string (c, v->u.object.values[idx[i]], &kv[i].value) < 0)
        return -1;
      json_pop (c, m);
    }
  json_pop (c, mark);
  return 0;
}

int
json_field_object_new_ (json_ctx *c, yajl_val obj, const char *key,
                        size_t size, json_object_fn fn, void *slot)
{
  yajl_val v = json_get (obj, key);
  size_t mark;
  void *p;

  if (v == NULL)
    return 0;
  mark = json_push_field (c, key);
  if (json_as_object (c, v) < 0)
    return -1;
  p = xmalloc0 (size);
  /* Stored before parsing so the caller's free releases a partial one.  */
  memcpy (slot, &p, sizeof p);
  if (fn (c, v, p) < 0)
    return -1;
  json_pop (c, mark);
  return 0;
}

int
json_field_object_array_ (json_ctx *c, yajl_val obj, const char *key,
                          size_t size, json_object_fn fn, void *slot,
                          size_t *n)
{
  yajl_val v = json_get (obj, key);
  size_t mark, i, len;
  char *arr;

  if (v == NULL)
    return 0;
  mark = json_push_field (c, key);
  if (!YAJL_IS_ARRAY (v))
    return json_fail (c, "expected an array");
  len = v->u.array.len;
  if (len == 0)
    {
      json_pop (c, mark);
      return 0;
    }
  arr = alloc_array (len, size);
  memcpy (slot, &arr, sizeof arr);
  *n = len;
  for (i = 0; i < len; i++)
    {
      size_t m = json_push_index (c, i);
      yajl_val e = v->u.array.values[i];
      if (json_as_object (c, e) < 0)
        return -1;
      if (fn (c, e, arr + i * size) < 0)
        return -1;
      json_pop (c, m);
    }
  json_pop (c, mark);
  return 0;
}

int
json_field_object_map_ (json_ctx *c, yajl_val obj, const char *key,
                        size_t size, json_map_entry_fn fn, void *slot,
                        size_t *n)
{
  yajl_val v = json_get (obj, key);
  cleanup_free size_t *idx = NULL;
  size_t mark, i, len;
  char *arr;

  if (v == NULL)
    return 0;
  mark = json_push_field (c, key);
  if (!YAJL_IS_OBJECT (v))
    return json_fail (c, "expected an object");
  idx = unique_keys (v, &len);
  if (len == 0)
    {
      json_pop (c, mark);
      return 0;
    }
  arr = alloc_array (len, size);
  memcpy (slot, &arr, sizeof arr);
  *n = len;
  for (i = 0; i < len; i++)
    {
      const char *k = v->u.object.keys[idx[i]] ? v->u.object.keys[idx[i]] : "";
      yajl_val e = v->u.object.values[idx[i]];
      size_t m = json_push_map_key (c, k);
      if (json_as_object (c, e) < 0)
        return -1;
      if (fn (c, k, e, arr + i * size) < 0)
        return -1;
      json_pop (c, m);
    }
  json_pop (c, mark);
  return 0;
}

static int
parse_id_mapping (json_ctx *c, yajl_val obj, void *out)
{
  oci_id_mapping *m = out;
  if (json_field_u32 (c, obj, "containerID", &m->container_id, NULL) < 0
      || json_field_u32 (c, obj, "hostID", &m->host_id, NULL) < 0
      || json_field_u32 (c, obj, "size", &m->size, NULL) < 0)
    return -1;
  return 0;
}

int
json_field_id_mappings (json_ctx *c, yajl_val obj, const char *key,
                        oci_id_mapping **out, size_t *n)
{
  return json_field_object_array (c, obj, key, out, n, parse_id_mapping);
}

void
json_free_kv (oci_kv *kv, size_t n)
{
  size_t i;
  if (kv == NULL)
    return;
  for (i = 0; i < n; i++)
    {
      free (kv[i].key);
      free (kv[i].value);
    }
  free (kv);
}

void *
json_parse_lone_object (const char *json, size_t len, const char *name,
                        size_t size, json_object_fn fn,
                        void (*free_fn) (void *), berth_error **err)
{
  json_ctx c;
  yajl_val doc;
  void *out;
  int ret;

  json_ctx_init (&c, name, err);
  doc = json_load (&c, json, len);
  if (doc == NULL)
    {
      json_ctx_fini (&c);
      return NULL;
    }
  out = xmalloc0 (size);
  ret = json_as_object (&c, doc);
  if (ret == 0)
    ret = fn (&c, doc, out);
  json_tree_free (doc);
  json_ctx_fini (&c);
  if (ret < 0)
    {
      free_fn (out);
      return NULL;
    }
  return out;
}
