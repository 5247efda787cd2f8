/* berth: linux.memoryPolicy (runtime-spec 1.3), the NUMA policy the
 * container's processes start with (set_mempolicy(2)).  */
#ifndef BERTH_MEMPOLICY_H
#define BERTH_MEMPOLICY_H

#include <limits.h>
#include <stdbool.h>

#include "base/error.h"
#include "oci-spec/config.h"

/* Node numbers berth accepts: 0 to MEMPOLICY_MAX_NODES - 1, a mask
   sized for the highest one given (runc 1.6 too takes nodes past 1024).
   Far beyond any kernel's MAX_NUMNODES (1024 with CONFIG_NODES_SHIFT 10)
   and within the page of bits set_mempolicy reads at most: a node the
   running kernel does not have is its EINVAL, reported at create.  */
#define MEMPOLICY_MAX_NODES 16384
#define MEMPOLICY_LONG_BITS (sizeof (unsigned long) * CHAR_BIT)

typedef struct mempolicy
{
  int mode;      /* MPOL_* | MPOL_F_* flags, as set_mempolicy takes it */
  bool has_nodes;
  unsigned long *mask; /* n_longs longs; NULL without nodes */
  size_t n_longs;
} mempolicy;

/* Pure: the mode, the flags and the node list ("0-3,7", the kernel's list
   format) of `p` into `out`.  Refuses what no kernel accepts: an unknown
   mode or flag, a malformed list, a node past MEMPOLICY_MAX_NODES, nodes
   with MPOL_DEFAULT or MPOL_LOCAL, no nodes with a mode that needs some,
   both MPOL_F_STATIC_NODES and MPOL_F_RELATIVE_NODES.  Errors name
   linux.memoryPolicy.<field>.  mempolicy_free the result, also after an
   error.  */
int mempolicy_parse (const oci_memory_policy *p, mempolicy *out,
                     berth_error **err);

void mempolicy_free (mempolicy *m);

/* set_mempolicy(2) for the calling thread; kept across fork and execve.  */
int mempolicy_apply (const mempolicy *m, berth_error **err);

/* Parses and applies linux.memoryPolicy when `p` is not NULL.  */
int mempolicy_set (const oci_memory_policy *p, berth_error **err);

#endif
