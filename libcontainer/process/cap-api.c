/* berth: the table behind libcontainer/process/cap-api.h.  */
#define CAP_API_TABLE
#include "libcontainer/process/cap-api.h"

#include "base/dl.h"

/* libcap's SONAME (Debian: libcap2).  */
#define LIBCAP "libcap.so.2"

struct cap_api cap_api;
static int loaded;

int
cap_api_load (berth_error **err)
{
#define CAP_API_NAME(f) #f,
  static const char *const names[] = { CAP_API_FUNCTIONS (CAP_API_NAME) };
#undef CAP_API_NAME
  void *slots[sizeof names / sizeof names[0]];
  size_t i = 0;

  if (loaded)
    return 0;
  if (dl_load (LIBCAP, "libcap2", names, slots,
               sizeof names / sizeof names[0], &loaded, err)
      < 0)
    return berth_error_wrap (err, "capabilities");
  /* In the list's order, as names[] was built.  */
#define CAP_API_SET(f) cap_api.f = (__typeof__ (cap_api.f)) slots[i++];
  CAP_API_FUNCTIONS (CAP_API_SET)
#undef CAP_API_SET
  return 0;
}

int
cap_api_require (berth_error **err)
{
  if (!loaded)
    return berth_error_set (err, 0, "capabilities: libcap was not loaded "
                                    "before the container's root was "
                                    "entered");
  return 0;
}

bool
cap_api_loaded (void)
{
  return loaded != 0;
}
