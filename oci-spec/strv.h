/* berth: the string arrays of the oci-spec structs, each in one block.
 *
 * Every `char **` of config.h and record.h (process.args and env, the
 * capability sets, mount options, maskedPaths, ...) is one allocation:
 * the n pointers and a NULL, then the n strings they point to.  free()
 * releases an array whole, strings included.  Never free or realloc an
 * element: change an array by building a new one with these functions,
 * which free the old one.  */
#ifndef BERTH_OCI_STRV_H
#define BERTH_OCI_STRV_H

#include <stddef.h>

/* The i-th string of `src` and its length, for oci_strv_pack.  */
typedef const char *(*oci_strv_get_fn) (const void *src, size_t i,
                                        size_t *len);

/* A new array of the n strings get(src, 0..n-1), each got twice.  */
char **oci_strv_pack (size_t n, oci_strv_get_fn get, const void *src);

/* A copy of v[0..n).  */
char **oci_strv_new (const char *const *v, size_t n);

/* v[0..n) then s: a new array; v is freed.  */
char **oci_strv_append (char **v, size_t n, const char *s);

/* v[0..n) with v[i] replaced by s: a new array; v is freed.  */
char **oci_strv_set (char **v, size_t n, size_t i, const char *s);

void oci_strv_free (char **v);

#endif
