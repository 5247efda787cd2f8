/* berth: the table behind cgroups/sd-bus-api.h.  */
#define CG_SD_BUS_API_TABLE
#include "cgroups/sd-bus-api.h"

#include "base/dl.h"

/* The SONAME of libsystemd since 2014 (Debian: libsystemd0).  */
#define LIBSYSTEMD "libsystemd.so.0"

struct cg_sd_bus_api cg_sd_bus_api;

int
cg_sd_bus_api_load (berth_error **err)
{
#define CG_SD_BUS_NAME(f) #f,
  static const char *const names[] = { CG_SD_BUS_FUNCTIONS (CG_SD_BUS_NAME) };
#undef CG_SD_BUS_NAME
  static int loaded;
  void *slots[sizeof names / sizeof names[0]];
  size_t i = 0;

  if (loaded)
    return 0;
  if (dl_load (LIBSYSTEMD, "libsystemd0", names, slots,
               sizeof names / sizeof names[0], &loaded, err) < 0)
    return berth_error_wrap (err, "systemd");
  /* In the list's order, as names[] was built.  */
#define CG_SD_BUS_SET(f) cg_sd_bus_api.f = (__typeof__ (cg_sd_bus_api.f)) slots[i++];
  CG_SD_BUS_FUNCTIONS (CG_SD_BUS_SET)
#undef CG_SD_BUS_SET
  return 0;
}
