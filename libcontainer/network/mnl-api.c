/* berth: the table behind libcontainer/network/mnl-api.h.  */
#define MNL_API_TABLE
#include "libcontainer/network/mnl-api.h"

#include "base/dl.h"

/* libmnl's SONAME (Debian: libmnl0).  */
#define LIBMNL "libmnl.so.0"

struct mnl_api mnl_api;

int
mnl_api_load (berth_error **err)
{
#define MNL_API_NAME(f) #f,
  static const char *const names[] = { MNL_API_FUNCTIONS (MNL_API_NAME) };
#undef MNL_API_NAME
  static int loaded;
  void *slots[sizeof names / sizeof names[0]];
  size_t i = 0;

  if (loaded)
    return 0;
  if (dl_load (LIBMNL, "libmnl0", names, slots, sizeof names / sizeof names[0],
               &loaded, err) < 0)
    return berth_error_wrap (err, "netlink");
  /* In the list's order, as names[] was built.  */
#define MNL_API_SET(f) mnl_api.f = (__typeof__ (mnl_api.f)) slots[i++];
  MNL_API_FUNCTIONS (MNL_API_SET)
#undef MNL_API_SET
  return 0;
}
