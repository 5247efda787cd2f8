/* berth: private to oci-spec/: the network part of the state (what create
 * made in the network) in and out of JSON, shared by state.json and the
 * lifecycle record.  */
#ifndef BERTH_OCI_NET_STATE_JSON_H
#define BERTH_OCI_NET_STATE_JSON_H

#include <yajl/yajl_gen.h>

#include "oci-spec/parse-util.h"
#include "oci-spec/state.h"

void oci_net_state_gen (yajl_gen g, const oci_net_state *n);

/* A json_object_fn: parses one object into the oci_net_state at `out`.  */
int oci_net_state_parse_obj (json_ctx *c, yajl_val obj, void *out);

#endif
