/* berth migrate: when pre-copy stops (libcontainer/criu/migrate.h); pure,
 * unit-tested.  */
#include "libcontainer/criu/migrate.h"

bool
migrate_more_rounds (const unsigned long long *bytes, int n, int max_rounds)
{
  if (n >= max_rounds)
    return false;
  if (n < 2)
    return true;
  if (bytes[n - 1] == 0)
    return false;
  if (bytes[n - 1] * 100 < bytes[0] * MIGRATE_SMALL_PERCENT)
    return false;
  /* Still shrinking: the last round wrote well under the one before.  */
  return bytes[n - 1] * 100 < bytes[n - 2] * MIGRATE_SHRINK_PERCENT;
}
