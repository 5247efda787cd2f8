/* berth: parsing JSON into a yajl tree held in one arena (json-tree.c).  */
#ifndef BERTH_OCI_JSON_TREE_H
#define BERTH_OCI_JSON_TREE_H

#include <stddef.h>

#include <yajl/yajl_tree.h>

/* With OCI_JSON_MAX_SIZE (oci-spec/config.h): bounds the recursion of the
   tree walkers on hostile input.  The builder stops a deeper document as
   its containers open.  */
#define OCI_JSON_MAX_DEPTH 64

typedef enum
{
  JSON_TREE_OK,
  JSON_TREE_SYNTAX,        /* msg, offset, line, column */
  JSON_TREE_TOO_DEEP,      /* past OCI_JSON_MAX_DEPTH */
  JSON_TREE_NUL_IN_STRING, /* a "\u0000" escape */
} json_tree_kind;

typedef struct
{
  json_tree_kind kind;
  char msg[256]; /* yajl's short message */
  size_t offset; /* bytes yajl had consumed */
  size_t line, column;
} json_tree_error;

/* The tree of buf[0..len), comments allowed; NULL with *error filled.  The
   caller has checked that buf holds no NUL byte.  Free with
   json_tree_free, never yajl_tree_free.  */
yajl_val json_tree_parse (const char *buf, size_t len, json_tree_error *error);
void json_tree_free (yajl_val root);

/* The length of a string value of such a tree (YAJL_IS_STRING), without
   counting it: the walkers copy every string out of the tree.  */
static inline size_t
json_tree_string_len (yajl_val v)
{
  return ((const size_t *) (const void *) v->u.string)[-1];
}

#endif
