/* berth: descriptors.json of a checkpoint image: where the container
 * process's fds 0, 1 and 2 pointed when it was dumped ("pipe:[1234]",
 * "/dev/null", ...), as runc writes it, so restore can hand CRIU its own
 * stdio in place of the pipes.  */
#ifndef BERTH_OCI_DESCRIPTORS_H
#define BERTH_OCI_DESCRIPTORS_H

#include <stddef.h>

#include "base/error.h"

/* A JSON array of `n` strings (NULL written as "").  Malloc'd.  */
char *oci_descriptors_to_json (char *const *fds, size_t n, size_t *len);

/* Parses the array into a NULL-terminated strv (*out).  */
int oci_descriptors_parse (const char *json, size_t len, char ***out,
                           berth_error **err);

#endif
