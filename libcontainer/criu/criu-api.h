/* berth: the libcriu functions of checkpoint and restore, from libcriu
 * loaded on first use (base/dl.h says why).
 *
 * Include this instead of <criu/criu.h>: calls keep their documented
 * names, which the #defines below route through the loaded table.  A
 * function not in the list fails to link (berth does not link libcriu),
 * so a new call cannot bypass the loader unnoticed.  */
#ifndef BERTH_CRIU_API_H
#define BERTH_CRIU_API_H

#include <criu/criu.h>

#include "base/error.h"

#define CRIU_API_FUNCTIONS(X) \
  X (criu_get_orphan_pts_master_fd) \
  X (criu_local_add_cg_root) \
  X (criu_local_add_ext_mount) \
  X (criu_local_add_external) \
  X (criu_local_add_inherit_fd) \
  X (criu_local_add_veth_pair) \
  X (criu_local_dump) \
  X (criu_local_free_opts) \
  X (criu_local_init_opts) \
  X (criu_local_join_ns_add) \
  X (criu_local_pre_dump) \
  X (criu_local_restore_child) \
  X (criu_local_set_auto_dedup) \
  X (criu_local_set_ext_unix_sk) \
  X (criu_local_set_file_locks) \
  X (criu_local_set_freeze_cgroup) \
  X (criu_local_set_images_dir_fd) \
  X (criu_local_set_leave_running) \
  X (criu_local_set_log_file) \
  X (criu_local_set_log_level) \
  X (criu_local_set_lsm_mount_context) \
  X (criu_local_set_lsm_profile) \
  X (criu_local_set_manage_cgroups) \
  X (criu_local_set_manage_cgroups_mode) \
  X (criu_local_set_notify_cb) \
  X (criu_local_set_orphan_pts_master) \
  X (criu_local_set_page_server_address_port) \
  X (criu_local_set_parent_images) \
  X (criu_local_set_pid) \
  X (criu_local_set_network_lock) \
  X (criu_local_set_root) \
  X (criu_local_set_service_binary) \
  X (criu_local_set_shell_job) \
  X (criu_local_set_tcp_established) \
  X (criu_local_set_track_mem) \
  X (criu_local_set_work_dir_fd)

#define CRIU_API_SLOT(f) __typeof__ (f) *f;
struct criu_api
{
  CRIU_API_FUNCTIONS (CRIU_API_SLOT)
};
#undef CRIU_API_SLOT

extern struct criu_api criu_api;

/* Loads libcriu.so.2 once; before any other libcriu call.  */
int criu_api_load (berth_error **err);

/* Not in the table's own file, where the names are its members.  */
#ifndef CRIU_API_TABLE
#define criu_get_orphan_pts_master_fd (criu_api.criu_get_orphan_pts_master_fd)
#define criu_local_add_cg_root (criu_api.criu_local_add_cg_root)
#define criu_local_add_ext_mount (criu_api.criu_local_add_ext_mount)
#define criu_local_add_external (criu_api.criu_local_add_external)
#define criu_local_add_inherit_fd (criu_api.criu_local_add_inherit_fd)
#define criu_local_add_veth_pair (criu_api.criu_local_add_veth_pair)
#define criu_local_dump (criu_api.criu_local_dump)
#define criu_local_free_opts (criu_api.criu_local_free_opts)
#define criu_local_init_opts (criu_api.criu_local_init_opts)
#define criu_local_join_ns_add (criu_api.criu_local_join_ns_add)
#define criu_local_pre_dump (criu_api.criu_local_pre_dump)
#define criu_local_restore_child (criu_api.criu_local_restore_child)
#define criu_local_set_auto_dedup (criu_api.criu_local_set_auto_dedup)
#define criu_local_set_ext_unix_sk (criu_api.criu_local_set_ext_unix_sk)
#define criu_local_set_file_locks (criu_api.criu_local_set_file_locks)
#define criu_local_set_freeze_cgroup (criu_api.criu_local_set_freeze_cgroup)
#define criu_local_set_images_dir_fd (criu_api.criu_local_set_images_dir_fd)
#define criu_local_set_leave_running (criu_api.criu_local_set_leave_running)
#define criu_local_set_log_file (criu_api.criu_local_set_log_file)
#define criu_local_set_log_level (criu_api.criu_local_set_log_level)
#define criu_local_set_lsm_mount_context \
  (criu_api.criu_local_set_lsm_mount_context)
#define criu_local_set_lsm_profile (criu_api.criu_local_set_lsm_profile)
#define criu_local_set_manage_cgroups (criu_api.criu_local_set_manage_cgroups)
#define criu_local_set_manage_cgroups_mode \
  (criu_api.criu_local_set_manage_cgroups_mode)
#define criu_local_set_notify_cb (criu_api.criu_local_set_notify_cb)
#define criu_local_set_orphan_pts_master \
  (criu_api.criu_local_set_orphan_pts_master)
#define criu_local_set_page_server_address_port \
  (criu_api.criu_local_set_page_server_address_port)
#define criu_local_set_parent_images (criu_api.criu_local_set_parent_images)
#define criu_local_set_pid (criu_api.criu_local_set_pid)
#define criu_local_set_network_lock (criu_api.criu_local_set_network_lock)
#define criu_local_set_root (criu_api.criu_local_set_root)
#define criu_local_set_service_binary (criu_api.criu_local_set_service_binary)
#define criu_local_set_shell_job (criu_api.criu_local_set_shell_job)
#define criu_local_set_tcp_established \
  (criu_api.criu_local_set_tcp_established)
#define criu_local_set_track_mem (criu_api.criu_local_set_track_mem)
#define criu_local_set_work_dir_fd (criu_api.criu_local_set_work_dir_fd)

#endif /* CRIU_API_TABLE */

#endif
