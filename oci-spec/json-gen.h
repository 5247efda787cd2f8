/* berth: the few yajl_gen helpers the JSON writers of oci-spec share
 * (state, default spec, features).  */
#ifndef BERTH_OCI_JSON_GEN_H
#define BERTH_OCI_JSON_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <yajl/yajl_gen.h>

/* A generator; `indent` NULL for compact output, else pretty-printed with
   that indentation.  Aborts when out of memory.  */
yajl_gen json_gen_new (const char *indent);

/* Copies the text out without yajl's final newline (runc prints none),
   frees the generator; *len (when not NULL) gets the length.  */
char *json_gen_finish (yajl_gen g, size_t *len);

/* The same, ending in one newline: a line of a JSON-lines stream (the
   --log-format json log, balloon's --format json steps).  */
char *json_gen_finish_line (yajl_gen g);

/* A string; NULL is written as "".  */
void json_gen_str (yajl_gen g, const char *s);

/* "key": v */
void json_gen_key_bool (yajl_gen g, const char *key, bool v);

/* An integer: yajl_gen_integer's digits, without its sprintf
   (base/decimal.h).  */
void json_gen_int (yajl_gen g, int64_t v);

/* "key": v, exact for every uint64.  */
void json_gen_key_u64 (yajl_gen g, const char *key, uint64_t v);

#endif
