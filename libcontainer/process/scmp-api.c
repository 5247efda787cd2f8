/* berth: the table behind libcontainer/process/scmp-api.h.  */
#define SCMP_API_TABLE
#include "libcontainer/process/scmp-api.h"

#include "base/dl.h"

/* libseccomp's SONAME (Debian: libseccomp2).  */
#define LIBSECCOMP "libseccomp.so.2"

struct scmp_api scmp_api;
static int loaded;

int
scmp_api_load (berth_error **err)
{
#define SCMP_API_NAME(f) #f,
  static const char *const names[] = { SCMP_API_FUNCTIONS (SCMP_API_NAME) };
#undef SCMP_API_NAME
  void *slots[sizeof names / sizeof names[0]];
  size_t i = 0;

  if (loaded)
    return 0;
  if (dl_load (LIBSECCOMP, "libseccomp2", names, slots,
               sizeof names / sizeof names[0], &loaded, err)
      < 0)
    return berth_error_wrap (err, "seccomp");
  /* In the list's order, as names[] was built.  */
#define SCMP_API_SET(f) scmp_api.f = (__typeof__ (scmp_api.f)) slots[i++];
  SCMP_API_FUNCTIONS (SCMP_API_SET)
#undef SCMP_API_SET
  return 0;
}

int
scmp_api_require (berth_error **err)
{
  if (!loaded)
    return berth_error_set (err, 0, "seccomp: libseccomp was not loaded "
                                    "before the container's root was "
                                    "entered");
  return 0;
}
