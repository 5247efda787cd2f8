/* berth: a yajl tree built in one arena, from yajl's event callbacks.
 *
 * yajl_tree_parse makes one malloc per value and grows every array and
 * object by one element at a time (a realloc each): an engine's seccomp
 * profile of 17 KB costs it some 3,000 reallocs, and freeing the tree as
 * many frees, on every create.  Here the children of an open container
 * wait on one shared stack; when the container closes they are copied
 * once into an array of the exact size.  Every node, string and array
 * lives in a chain of arena chunks that json_tree_free releases at once.
 *
 * The nodes are yajl's own (struct yajl_val_s), so the walkers of
 * parse-util.c and YAJL_IS_* work on them unchanged; but never pass them
 * to yajl_tree_free.  A string value also keeps its length, which yajl's
 * node has no room for, just before its bytes (json_tree_string_len).
 *
 * The builder also enforces what yajl does not: the nesting limit (as the
 * containers open, so "[[[[..." stops at the limit) and no NUL in a
 * decoded string ("\u0000" would silently cut the C string there).  */
#include "oci-spec/json-tree.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_parse.h>

#include "base/utils.h"

#define FIRST_CHUNK 16384

struct chunk
{
  struct chunk *next;
  size_t used;
  size_t size;
  /* The document's root node heads the first chunk: json_tree_free finds
     the chain from it.  The data follow the struct (its size is a
     multiple of its alignment, max_align_t's).  */
  alignas (max_align_t) struct yajl_val_s root;
};

/* An open array or object: where its children start on the stacks.  */
struct frame
{
  yajl_val node;
  size_t first_value;
  size_t first_key;
};

struct builder
{
  struct chunk *head; /* the first chunk, that holds the root */
  struct chunk *cur;  /* the one being filled */
  yajl_val *values;   /* children of the open containers */
  size_t n_values, cap_values;
  char **keys; /* keys of the open objects' children */
  size_t n_keys, cap_keys;
  struct frame frames[OCI_JSON_MAX_DEPTH];
  size_t depth;
  bool have_root;
  /* Set by a callback that stops the parse.  */
  enum
  {
    STOP_NONE,
    STOP_DEPTH,
    STOP_NUL
  } stop;
};

/* ---- the arena ----------------------------------------------------------- */

static void *
arena_alloc (struct builder *b, size_t n)
{
  struct chunk *c = b->cur;
  size_t align = alignof (max_align_t);
  size_t at = (c->used + align - 1) & ~(align - 1);

  if (at + n > c->size)
    {
      size_t size = c->size * 2;
      while (size < n)
        size *= 2;
      /* Not zeroed: new_node clears each node, arena_strndup writes
         each string whole.  */
      c = xmalloc (sizeof *c + size);
      memset (c, 0, sizeof *c);
      c->size = size;
      b->cur->next = c;
      b->cur = c;
      at = 0;
    }
  c->used = at + n;
  return (char *) (c + 1) + at;
}

static yajl_val
new_node (struct builder *b, yajl_type type)
{
  yajl_val v = arena_alloc (b, sizeof *v);
  memset (v, 0, sizeof *v);
  v->type = type;
  return v;
}

static char *
arena_strndup (struct builder *b, const unsigned char *s, size_t n)
{
  char *p = arena_alloc (b, n + 1);
  memcpy (p, s, n);
  p[n] = '\0';
  return p;
}

/* A string value's length sits in the arena just before its bytes (see
   json_tree_string_len); keys and numbers' text have none.  */
static char *
arena_string (struct builder *b, const unsigned char *s, size_t n)
{
  size_t *len = arena_alloc (b, sizeof *len + n + 1);
  char *p = (char *) (len + 1);

  *len = n;
  memcpy (p, s, n);
  p[n] = '\0';
  return p;
}

void
json_tree_free (yajl_val root)
{
  struct chunk *c;

  if (root == NULL)
    return;
  c = (struct chunk *) ((char *) root - offsetof (struct chunk, root));
  while (c != NULL)
    {
      struct chunk *next = c->next;
      free (c);
      c = next;
    }
}

/* ---- the stacks ---------------------------------------------------------- */

static void
push_value (struct builder *b, yajl_val v)
{
  if (b->n_values == b->cap_values)
    {
      b->cap_values = b->cap_values ? 2 * b->cap_values : 256;
      b->values = xrealloc (b->values, b->cap_values * sizeof *b->values);
    }
  b->values[b->n_values++] = v;
}

/* A finished value: the root, or the next child of the open container.  */
static int
add_value (struct builder *b, yajl_val v)
{
  if (b->depth > 0)
    {
      push_value (b, v);
      return 1;
    }
  /* Nothing points at the top-level node: it moves into the root slot.  */
  b->head->root = *v;
  b->have_root = true;
  return 1;
}

/* ---- yajl's callbacks ---------------------------------------------------- */

static int
on_null (void *ctx)
{
  struct builder *b = ctx;
  return add_value (b, new_node (b, yajl_t_null));
}

static int
on_boolean (void *ctx, int value)
{
  struct builder *b = ctx;
  return add_value (b, new_node (b, value ? yajl_t_true : yajl_t_false));
}

/* The number's text only.  yajl_tree also fills the integer and double
   views (strtoll and strtod per number); every reader here parses the
   text itself (oci-spec/parse-util.c: number_text, as_unsigned), which
   keeps every digit past INT64_MAX, so the views were two conversions
   per number nobody read, strtod the larger part of the parse's libc
   time.  The flags stay 0: YAJL_IS_INTEGER and YAJL_IS_DOUBLE are false
   on these nodes, and nothing may start using them without filling
   them here first.  */
static int
on_number (void *ctx, const char *s, size_t n)
{
  struct builder *b = ctx;
  yajl_val v = new_node (b, yajl_t_number);

  v->u.number.r = arena_strndup (b, (const unsigned char *) s, n);
  return add_value (b, v);
}

static int
on_string (void *ctx, const unsigned char *s, size_t n)
{
  struct builder *b = ctx;
  yajl_val v;

  if (memchr (s, '\0', n) != NULL)
    {
      b->stop = STOP_NUL;
      return 0;
    }
  v = new_node (b, yajl_t_string);
  v->u.string = arena_string (b, s, n);
  return add_value (b, v);
}

static int
on_key (void *ctx, const unsigned char *s, size_t n)
{
  struct builder *b = ctx;

  if (memchr (s, '\0', n) != NULL)
    {
      b->stop = STOP_NUL;
      return 0;
    }
  if (b->n_keys == b->cap_keys)
    {
      b->cap_keys = b->cap_keys ? 2 * b->cap_keys : 256;
      b->keys = xrealloc (b->keys, b->cap_keys * sizeof *b->keys);
    }
  b->keys[b->n_keys++] = arena_strndup (b, s, n);
  return 1;
}

static int
open_container (struct builder *b, yajl_type type)
{
  struct frame *f;

  if (b->depth == OCI_JSON_MAX_DEPTH)
    {
      b->stop = STOP_DEPTH;
      return 0;
    }
  f = &b->frames[b->depth++];
  f->node = new_node (b, type);
  f->first_value = b->n_values;
  f->first_key = b->n_keys;
  return 1;
}

/* The children pushed since the container opened become its array.  */
static int
close_container (struct builder *b)
{
  struct frame *f = &b->frames[--b->depth];
  size_t n = b->n_values - f->first_value;
  yajl_val *values = NULL;

  if (n > 0)
    {
      values = arena_alloc (b, n * sizeof *values);
      memcpy (values, b->values + f->first_value, n * sizeof *values);
    }
  b->n_values = f->first_value;
  if (f->node->type == yajl_t_object)
    {
      const char **keys = NULL;
      /* yajl calls the key callback once per value.  */
      if (n > 0)
        {
          keys = arena_alloc (b, n * sizeof *keys);
          memcpy (keys, b->keys + f->first_key, n * sizeof *keys);
        }
      b->n_keys = f->first_key;
      f->node->u.object.keys = keys;
      f->node->u.object.values = values;
      f->node->u.object.len = n;
    }
  else
    {
      f->node->u.array.values = values;
      f->node->u.array.len = n;
    }
  return add_value (b, f->node);
}

static int
on_start_map (void *ctx)
{
  return open_container (ctx, yajl_t_object);
}

static int
on_start_array (void *ctx)
{
  return open_container (ctx, yajl_t_array);
}

static int
on_end (void *ctx)
{
  return close_container (ctx);
}

static const yajl_callbacks callbacks = {
  .yajl_null = on_null,
  .yajl_boolean = on_boolean,
  .yajl_number = on_number,
  .yajl_string = on_string,
  .yajl_start_map = on_start_map,
  .yajl_map_key = on_key,
  .yajl_end_map = on_end,
  .yajl_start_array = on_start_array,
  .yajl_end_array = on_end,
};

/* ---- parsing ------------------------------------------------------------- */

/* The line and column of byte `offset`, both from 1.  */
static void
line_column (const char *buf, size_t offset, size_t *line, size_t *col)
{
  *line = 1;
  *col = 1;
  for (size_t i = 0; i < offset; i++)
    {
      if (buf[i] == '\n')
        {
          (*line)++;
          *col = 1;
        }
      else
        (*col)++;
    }
}

yajl_val
json_tree_parse (const char *buf, size_t len, json_tree_error *error)
{
  struct builder b = { 0 };
  yajl_handle h;
  yajl_status st;

  memset (error, 0, sizeof *error);
  b.head = xmalloc (sizeof *b.head + FIRST_CHUNK);
  memset (b.head, 0, sizeof *b.head);
  b.head->size = FIRST_CHUNK;
  b.cur = b.head;

  h = yajl_alloc (&callbacks, NULL, &b);
  if (h == NULL)
    abort ();
  yajl_config (h, yajl_allow_comments, 1);
  st = yajl_parse (h, (const unsigned char *) buf, len);
  /* Where yajl stopped; a document that ends early fails in
     yajl_complete_parse, whose count is of its own one-byte buffer: the
     end of the document then.  */
  error->offset = st == yajl_status_ok ? len : yajl_get_bytes_consumed (h);
  if (st == yajl_status_ok)
    st = yajl_complete_parse (h);

  if (error->offset > len)
    error->offset = len;
  if (st != yajl_status_ok)
    {
      if (b.stop == STOP_DEPTH)
        error->kind = JSON_TREE_TOO_DEEP;
      else if (b.stop == STOP_NUL)
        error->kind = JSON_TREE_NUL_IN_STRING;
      else
        {
          unsigned char *m = yajl_get_error (h, 0, (const unsigned char *) buf,
                                             len);
          error->kind = JSON_TREE_SYNTAX;
          snprintf (error->msg, sizeof error->msg, "%s",
                    m ? (const char *) m : "cannot parse the document");
          if (m)
            yajl_free_error (h, m);
          line_column (buf, error->offset, &error->line, &error->column);
        }
    }
  yajl_free (h);
  free (b.values);
  free (b.keys);
  if (st != yajl_status_ok || !b.have_root)
    {
      if (st == yajl_status_ok)
        {
          /* yajl ends a document without a value with an error; kept as
             a guard.  */
          error->kind = JSON_TREE_SYNTAX;
          snprintf (error->msg, sizeof error->msg, "no value");
          line_column (buf, len, &error->line, &error->column);
        }
      json_tree_free (&b.head->root);
      return NULL;
    }
  return &b.head->root;
}
