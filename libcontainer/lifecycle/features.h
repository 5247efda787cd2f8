/* berth: what `berth features` reports (runtime-spec features.md), built
 * from the tables berth itself works from: hook kinds and namespace types
 * (oci-spec), mount options (mount-options.c), capabilities known to
 * libcap (caps.c), seccomp actions, operators, architectures and flags
 * (seccomp.c).  */
#ifndef BERTH_FEATURES_H
#define BERTH_FEATURES_H

#include <stddef.h>

#include "base/error.h"

/* The Features JSON, pretty-printed, without a final newline; NULL when
   libseccomp cannot be loaded (its versions and tables are in it).  */
char *container_features_json (size_t *len, berth_error **err);

#endif
