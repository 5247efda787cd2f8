/* berth: the sd-bus functions of the systemd driver, from libsystemd
 * loaded on first use (base/dl.h says why).
 *
 * Include this instead of <systemd/sd-bus.h>: calls keep their documented
 * names, which the #defines below route through the loaded table.  A
 * function not in the list fails to link (berth does not link
 * libsystemd), so a new call cannot bypass the loader unnoticed.  */
#ifndef BERTH_CGROUPS_SD_BUS_API_H
#define BERTH_CGROUPS_SD_BUS_API_H

#include <systemd/sd-bus.h>

#include "base/error.h"

#define CG_SD_BUS_FUNCTIONS(X) \
  X (sd_bus_call) \
  X (sd_bus_call_method) \
  X (sd_bus_error_free) \
  X (sd_bus_error_has_name) \
  X (sd_bus_flush_close_unref) \
  X (sd_bus_get_property_string) \
  X (sd_bus_match_signal) \
  X (sd_bus_message_append) \
  X (sd_bus_message_append_array) \
  X (sd_bus_message_close_container) \
  X (sd_bus_message_enter_container) \
  X (sd_bus_message_exit_container) \
  X (sd_bus_message_new_method_call) \
  X (sd_bus_message_open_container) \
  X (sd_bus_message_read) \
  X (sd_bus_message_read_array) \
  X (sd_bus_message_unref) \
  X (sd_bus_new) \
  X (sd_bus_open_system) \
  X (sd_bus_open_user) \
  X (sd_bus_process) \
  X (sd_bus_set_address) \
  X (sd_bus_slot_unref) \
  X (sd_bus_start) \
  X (sd_bus_unref) \
  X (sd_bus_wait)

#define CG_SD_BUS_SLOT(f) __typeof__ (f) *f;
struct cg_sd_bus_api
{
  CG_SD_BUS_FUNCTIONS (CG_SD_BUS_SLOT)
};
#undef CG_SD_BUS_SLOT

extern struct cg_sd_bus_api cg_sd_bus_api;

/* Loads libsystemd.so.0 once; before any other sd_bus call.  */
int cg_sd_bus_api_load (berth_error **err);

/* Not in the table's own file, where the names are its members.  */
#ifndef CG_SD_BUS_API_TABLE
#define sd_bus_call (cg_sd_bus_api.sd_bus_call)
#define sd_bus_call_method (cg_sd_bus_api.sd_bus_call_method)
#define sd_bus_error_free (cg_sd_bus_api.sd_bus_error_free)
#define sd_bus_error_has_name (cg_sd_bus_api.sd_bus_error_has_name)
#define sd_bus_flush_close_unref (cg_sd_bus_api.sd_bus_flush_close_unref)
#define sd_bus_get_property_string \
  (cg_sd_bus_api.sd_bus_get_property_string)
#define sd_bus_match_signal (cg_sd_bus_api.sd_bus_match_signal)
#define sd_bus_message_append (cg_sd_bus_api.sd_bus_message_append)
#define sd_bus_message_append_array \
  (cg_sd_bus_api.sd_bus_message_append_array)
#define sd_bus_message_close_container \
  (cg_sd_bus_api.sd_bus_message_close_container)
#define sd_bus_message_enter_container \
  (cg_sd_bus_api.sd_bus_message_enter_container)
#define sd_bus_message_exit_container \
  (cg_sd_bus_api.sd_bus_message_exit_container)
#define sd_bus_message_new_method_call \
  (cg_sd_bus_api.sd_bus_message_new_method_call)
#define sd_bus_message_open_container \
  (cg_sd_bus_api.sd_bus_message_open_container)
#define sd_bus_message_read (cg_sd_bus_api.sd_bus_message_read)
#define sd_bus_message_read_array (cg_sd_bus_api.sd_bus_message_read_array)
#define sd_bus_message_unref (cg_sd_bus_api.sd_bus_message_unref)
#define sd_bus_new (cg_sd_bus_api.sd_bus_new)
#define sd_bus_open_system (cg_sd_bus_api.sd_bus_open_system)
#define sd_bus_open_user (cg_sd_bus_api.sd_bus_open_user)
#define sd_bus_process (cg_sd_bus_api.sd_bus_process)
#define sd_bus_set_address (cg_sd_bus_api.sd_bus_set_address)
#define sd_bus_slot_unref (cg_sd_bus_api.sd_bus_slot_unref)
#define sd_bus_start (cg_sd_bus_api.sd_bus_start)
#define sd_bus_unref (cg_sd_bus_api.sd_bus_unref)
#define sd_bus_wait (cg_sd_bus_api.sd_bus_wait)

#endif /* CG_SD_BUS_API_TABLE */

#endif
