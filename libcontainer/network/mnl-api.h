/* berth: the libmnl functions of the network code, from libmnl loaded on
 * first use (base/dl.h says why; here: a `run` of the default spec needs
 * only its loopback up, done with one ioctl, and never netlink).
 *
 * Include this instead of <libmnl/libmnl.h>: calls keep libmnl's names,
 * which the #defines below route through the loaded table.  A function
 * not in the list fails to link (berth does not link libmnl), so a new
 * call cannot bypass the loader unnoticed.  Every call comes after
 * nl_open (netlink.h), which loads the library.  */
#ifndef BERTH_NETWORK_MNL_API_H
#define BERTH_NETWORK_MNL_API_H

#include <libmnl/libmnl.h>

#include "base/error.h"

#define MNL_API_FUNCTIONS(X) \
  X (mnl_attr_get_payload) \
  X (mnl_attr_get_payload_len) \
  X (mnl_attr_get_str) \
  X (mnl_attr_get_type) \
  X (mnl_attr_get_u32) \
  X (mnl_attr_nest_end) \
  X (mnl_attr_nest_start) \
  X (mnl_attr_parse) \
  X (mnl_attr_parse_nested) \
  X (mnl_attr_put) \
  X (mnl_attr_put_strz) \
  X (mnl_attr_put_u32) \
  X (mnl_attr_put_u64) \
  X (mnl_attr_validate) \
  X (mnl_nlmsg_get_payload) \
  X (mnl_nlmsg_next) \
  X (mnl_nlmsg_ok) \
  X (mnl_nlmsg_put_extra_header) \
  X (mnl_nlmsg_put_header) \
  X (mnl_nlmsg_size) \
  X (mnl_socket_bind) \
  X (mnl_socket_close) \
  X (mnl_socket_get_portid) \
  X (mnl_socket_open2) \
  X (mnl_socket_recvfrom) \
  X (mnl_socket_sendto) \
  X (mnl_socket_setsockopt)

#define MNL_API_SLOT(f) __typeof__ (f) *f;
struct mnl_api
{
  MNL_API_FUNCTIONS (MNL_API_SLOT)
};
#undef MNL_API_SLOT

extern struct mnl_api mnl_api;

/* Loads libmnl.so.0 once; before any other mnl_ call.  */
int mnl_api_load (berth_error **err);

/* Not in the table's own file, where the names are its members.  */
#ifndef MNL_API_TABLE
#define mnl_attr_get_payload (mnl_api.mnl_attr_get_payload)
#define mnl_attr_get_payload_len (mnl_api.mnl_attr_get_payload_len)
#define mnl_attr_get_str (mnl_api.mnl_attr_get_str)
#define mnl_attr_get_type (mnl_api.mnl_attr_get_type)
#define mnl_attr_get_u32 (mnl_api.mnl_attr_get_u32)
#define mnl_attr_nest_end (mnl_api.mnl_attr_nest_end)
#define mnl_attr_nest_start (mnl_api.mnl_attr_nest_start)
#define mnl_attr_parse (mnl_api.mnl_attr_parse)
#define mnl_attr_parse_nested (mnl_api.mnl_attr_parse_nested)
#define mnl_attr_put (mnl_api.mnl_attr_put)
#define mnl_attr_put_strz (mnl_api.mnl_attr_put_strz)
#define mnl_attr_put_u32 (mnl_api.mnl_attr_put_u32)
#define mnl_attr_put_u64 (mnl_api.mnl_attr_put_u64)
#define mnl_attr_validate (mnl_api.mnl_attr_validate)
#define mnl_nlmsg_get_payload (mnl_api.mnl_nlmsg_get_payload)
#define mnl_nlmsg_next (mnl_api.mnl_nlmsg_next)
#define mnl_nlmsg_ok (mnl_api.mnl_nlmsg_ok)
#define mnl_nlmsg_put_extra_header (mnl_api.mnl_nlmsg_put_extra_header)
#define mnl_nlmsg_put_header (mnl_api.mnl_nlmsg_put_header)
#define mnl_nlmsg_size (mnl_api.mnl_nlmsg_size)
#define mnl_socket_bind (mnl_api.mnl_socket_bind)
#define mnl_socket_close (mnl_api.mnl_socket_close)
#define mnl_socket_get_portid (mnl_api.mnl_socket_get_portid)
#define mnl_socket_open2 (mnl_api.mnl_socket_open2)
#define mnl_socket_recvfrom (mnl_api.mnl_socket_recvfrom)
#define mnl_socket_sendto (mnl_api.mnl_socket_sendto)
#define mnl_socket_setsockopt (mnl_api.mnl_socket_setsockopt)
#endif /* MNL_API_TABLE */

#endif
