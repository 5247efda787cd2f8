/* berth: the table behind libcontainer/criu/criu-api.h.  */
#define CRIU_API_TABLE
#include "libcontainer/criu/criu-api.h"

#include "base/dl.h"

/* libcriu's SONAME (Debian: in the criu package).  */
#define LIBCRIU "libcriu.so.2"

struct criu_api criu_api;

int
criu_api_load (berth_error **err)
{
#define CRIU_API_NAME(f) #f,
  static const char *const names[] = { CRIU_API_FUNCTIONS (CRIU_API_NAME) };
#undef CRIU_API_NAME
  static int loaded;
  void *slots[sizeof names / sizeof names[0]];
  size_t i = 0;

  if (loaded)
    return 0;
  if (dl_load (LIBCRIU, "criu", names, slots, sizeof names / sizeof names[0],
               &loaded, err) < 0)
    return berth_error_wrap (err, "checkpoint/restore");
  /* In the list's order, as names[] was built.  */
#define CRIU_API_SET(f) criu_api.f = (__typeof__ (criu_api.f)) slots[i++];
  CRIU_API_FUNCTIONS (CRIU_API_SET)
#undef CRIU_API_SET
  return 0;
}
