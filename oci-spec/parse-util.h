/* berth: private helpers of oci-spec/ for walking a yajl tree with a JSON
 * path, so every error names the exact place in the document:
 *     config.json: linux.namespaces[2].type: unknown namespace "foo"
 *
 * A json_ctx carries the document name and the path of the value being
 * looked at.  json_push_* extend the path and return a mark; json_pop
 * goes back to it.  json_fail formats "<name>: <path>: <msg>": the path's
 * text exists only then.
 *
 * Field helpers take the enclosing object and a key.  A key that is absent
 * or JSON null is "absent": a required field then fails with
 * "<path>: missing (required)"; an optional one leaves *out untouched and
 * sets *has to false.  Arrays and maps are allocated zeroed with their
 * count set before their elements are parsed, so a partly parsed struct is
 * always safe to free.  String arrays are NULL-terminated and in one block
 * each (oci-spec/strv.h).  */
#ifndef BERTH_OCI_PARSE_UTIL_H
#define BERTH_OCI_PARSE_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <yajl/yajl_tree.h>

#include "base/error.h"
#include "oci-spec/config.h"
#include "oci-spec/json-tree.h"
#include "oci-spec/strv.h"


/* One step of the path: ".key", "[index]" or "[\"map key\"]".  The keys
   are not copied: they are the walkers' string literals or the tree's own
   keys, which outlive every json_fail of the walk.  */
typedef struct json_path_step
{
  enum
  {
    JSON_STEP_FIELD,
    JSON_STEP_INDEX,
    JSON_STEP_MAP_KEY
  } kind;
  union
  {
    const char *key;
    size_t index;
  };
} json_path_step;

/* A walker descends one step per level of the document (at most
   OCI_JSON_MAX_DEPTH), and an error adds at most two below the last.  */
#define JSON_PATH_MAX_STEPS (OCI_JSON_MAX_DEPTH + 4)

/* The path is kept as steps and written out only by json_fail: building
   the text on every field was most of the walk's cost, for a string read
   only when something is wrong.  */
typedef struct json_ctx
{
  const char *name;
  berth_error **err;
  size_t depth;
  json_path_step steps[JSON_PATH_MAX_STEPS];
} json_ctx;

void json_ctx_init (json_ctx *c, const char *name, berth_error **err);
void json_ctx_fini (json_ctx *c);

/* Checks the size, NUL bytes and nesting limits while it parses with yajl.
   NULL with the error set on failure; free the tree with json_tree_free
   (oci-spec/json-tree.h), never yajl_tree_free.  */
yajl_val json_load (json_ctx *c, const char *json, size_t len);

size_t json_push_field (json_ctx *c, const char *key);
size_t json_push_index (json_ctx *c, size_t index);
size_t json_push_map_key (json_ctx *c, const char *key);
void json_pop (json_ctx *c, size_t mark);

int json_fail (json_ctx *c, const char *fmt, ...)
    __attribute__ ((format (printf, 2, 3)));

/* A string made safe and short for an error message, with its quotes.  */
char *json_quote (const char *s);

/* The value of `key` in `obj` (the last one when repeated, as Go does);
   NULL when absent or null.  */
yajl_val json_get (yajl_val obj, const char *key);

/* Converters of the value at the current path.  */
int json_as_string (json_ctx *c, yajl_val v, char **out);
int json_as_bool (json_ctx *c, yajl_val v, bool *out);
int json_as_u16 (json_ctx *c, yajl_val v, uint16_t *out);
int json_as_u32 (json_ctx *c, yajl_val v, uint32_t *out);
int json_as_u64 (json_ctx *c, yajl_val v, uint64_t *out);
int json_as_i32 (json_ctx *c, yajl_val v, int32_t *out);
int json_as_i64 (json_ctx *c, yajl_val v, int64_t *out);
int json_as_object (json_ctx *c, yajl_val v);

/* Field helpers.  For the scalar ones, `has` NULL means required.  */
int json_field_missing (json_ctx *c, const char *key);
int json_field_string (json_ctx *c, yajl_val obj, const char *key,
                       bool required, char **out);
int json_field_bool (json_ctx *c, yajl_val obj, const char *key, bool *out,
                     bool *has);
int json_field_u16 (json_ctx *c, yajl_val obj, const char *key,
                    uint16_t *out, bool *has);
int json_field_u32 (json_ctx *c, yajl_val obj, const char *key,
                    uint32_t *out, bool *has);
int json_field_u64 (json_ctx *c, yajl_val obj, const char *key,
                    uint64_t *out, bool *has);
int json_field_i32 (json_ctx *c, yajl_val obj, const char *key,
                    int32_t *out, bool *has);
int json_field_i64 (json_ctx *c, yajl_val obj, const char *key,
                    int64_t *out, bool *has);
/* A string field read in place, not copied: *out points into the tree and
   lives as long as it.  For a value only checked or converted.  */
int json_field_string_ref (json_ctx *c, yajl_val obj, const char *key,
                           bool required, const char **out);
/* A string field that must be one of `allowed` (NULL-terminated); the
   error reads `unknown <what> "<value>"`.  */
int json_field_enum (json_ctx *c, yajl_val obj, const char *key,
                     bool required, const char *const *allowed,
                     const char *what, char **out);
int json_field_enum_array (json_ctx *c, yajl_val obj, const char *key,
                           const char *const *allowed, const char *what,
                           char ***out, size_t *n);
int json_field_string_array (json_ctx *c, yajl_val obj, const char *key,
                             char ***out, size_t *n);
int json_field_u32_array (json_ctx *c, yajl_val obj, const char *key,
                          uint32_t **out, size_t *n);
int json_field_string_map (json_ctx *c, yajl_val obj, const char *key,
                           oci_kv **out, size_t *n);

typedef int (*json_object_fn) (json_ctx *c, yajl_val obj, void *out);
typedef int (*json_map_entry_fn) (json_ctx *c, const char *key, yajl_val obj,
                                  void *out);

/* An optional object field parsed into a new zeroed struct stored at
   *slot (a pointer to the struct pointer).  */
int json_field_object_new_ (json_ctx *c, yajl_val obj, const char *key,
                            size_t size, json_object_fn fn, void *slot);
#define json_field_object_new(c, obj, key, pptr, fn)                        \
  json_field_object_new_ ((c), (obj), (key), sizeof (**(pptr)), (fn), (pptr))

/* An optional array of objects into a new zeroed array of structs.  */
int json_field_object_array_ (json_ctx *c, yajl_val obj, const char *key,
                              size_t size, json_object_fn fn, void *slot,
                              size_t *n);
#define json_field_object_array(c, obj, key, pptr, n, fn)                   \
  json_field_object_array_ ((c), (obj), (key), sizeof (**(pptr)), (fn),     \
                            (pptr), (n))

/* An optional map of objects (netDevices, rdma) into a new array of
   structs, in document order, a repeated key keeping its last value.  */
int json_field_object_map_ (json_ctx *c, yajl_val obj, const char *key,
                            size_t size, json_map_entry_fn fn, void *slot,
                            size_t *n);
#define json_field_object_map(c, obj, key, pptr, n, fn)                     \
  json_field_object_map_ ((c), (obj), (key), sizeof (**(pptr)), (fn),       \
                          (pptr), (n))

/* A document that is one part of config.json on its own (`update
   --resources`, `exec --process`): an object parsed by `fn` into a new
   zeroed struct of `size` bytes; `free_fn` frees a partly parsed one on
   error.  `name` prefixes the error messages.  */
void *json_parse_lone_object (const char *json, size_t len, const char *name,
                              size_t size, json_object_fn fn,
                              void (*free_fn) (void *), berth_error **err);

int json_field_id_mappings (json_ctx *c, yajl_val obj, const char *key,
                            oci_id_mapping **out, size_t *n);

void json_free_kv (oci_kv *kv, size_t n);

/* The parts of config.json, one file each (config-*.c).  */
int oci_parse_process (json_ctx *c, yajl_val obj, void *out);
void oci_free_process (oci_process *p);
int oci_parse_linux (json_ctx *c, yajl_val obj, void *out);
void oci_free_linux (oci_linux *l);
int oci_parse_resources (json_ctx *c, yajl_val obj, void *out);
void oci_free_resources (oci_resources *r);
int oci_parse_seccomp (json_ctx *c, yajl_val obj, void *out);
void oci_free_seccomp (oci_seccomp *s);

#endif
