/* berth: the D-Bus calls of the systemd cgroup driver (sd-bus from
 * libsystemd, as crun).  Each call waits for the job systemd queued to end
 * (the JobRemoved signal) before it returns; its errors name the unit and
 * what systemd said about the property.  */
#ifndef BERTH_CGROUP_SYSTEMD_DBUS_H
#define BERTH_CGROUP_SYSTEMD_DBUS_H

#include <sys/types.h>

#include "base/error.h"
#include "cgroups/systemd-props.h"

typedef struct sd_bus sd_bus;

/* The system bus, or systemd's private socket (root, no D-Bus daemon).  */
int cg_sd_bus_open (sd_bus **bus, berth_error **err);
void cg_sd_bus_close (sd_bus *bus);

/* Rootless: the user's own systemd, through the user bus
   ($DBUS_SESSION_BUS_ADDRESS, else $XDG_RUNTIME_DIR/bus), as runc and
   crun.  */
int cg_sd_bus_open_user (sd_bus **bus, berth_error **err);

/* The manager's ControlGroup ("/user.slice/user-1000.slice/
   user@1000.service" for a user's; "" or "/" for the system's), malloc'd.  */
int cg_sd_manager_cgroup (sd_bus *bus, char **out, berth_error **err);

/* StartTransientUnit(unit, "replace", props [+ Slice=slice when not NULL]
   [+ PIDs=[pid] when pid > 0]); waits for the start job.  */
int cg_sd_start_unit (sd_bus *bus, const char *unit, const char *slice,
                      const sd_props *props, pid_t pid, berth_error **err);

/* SetUnitProperties(unit, runtime=true, props); returns once systemd has
   written the unit's cgroup files for them (a round trip after the call:
   systemd writes them after it replied, before its next message).  */
int cg_sd_set_properties (sd_bus *bus, const char *unit,
                          const sd_props *props, berth_error **err);

/* The unit's current values of the properties named in `want` (each
   once), into `old` with the same types: what update puts back when the
   files refuse what systemd took.  List properties come back with reset
   set (the old list replaces, not merges).  */
int cg_sd_get_properties (sd_bus *bus, const char *unit,
                          const sd_props *want, sd_props *old,
                          berth_error **err);

/* StopUnit(unit, "replace") and wait for the stop job, then
   ResetFailedUnit (a scope whose processes were killed ends "failed" and
   would keep its name).  A unit systemd does not know is success.  */
int cg_sd_stop_unit (sd_bus *bus, const char *unit, berth_error **err);

#endif
