/* berth: the Linux security modules a container's process is labelled
 * with: process.apparmorProfile, process.selinuxLabel, linux.mountLabel.
 *
 * Written through the verified procfs handle (libcontainer/process/procfs.h).
 * When the module is not enabled, berth does what runc 1.1 does: an
 * AppArmor profile or an SELinux process label is an error (runc fails
 * writing attr/exec, resp. refuses the label at validation), and so is a
 * mount label on a mount that would carry it (runc passes context= to the
 * kernel, which refuses it); a mount label no mount takes is ignored.  Each
 * case says so at debug level.  */
#ifndef BERTH_LSM_H
#define BERTH_LSM_H

#include <stdbool.h>

#include "base/error.h"
#include "oci-spec/config.h"

bool lsm_apparmor_enabled (void);
bool lsm_selinux_enabled (void);

/* Before clone: refuses what the host cannot apply (see above).  */
int lsm_validate (const oci_config *config, berth_error **err);

/* The process's part of lsm_validate (apparmorProfile, selinuxLabel), for
   `exec` too.  */
int lsm_validate_process (const oci_process *process, berth_error **err);

/* In the init, before the capabilities are dropped: the AppArmor profile
   ("exec <profile>" to attr/apparmor/exec, or attr/exec on kernels without
   the per-module directory) and the SELinux label (attr/exec) the process
   takes at execve.  Does nothing for an empty or absent profile or label.  */
int lsm_apply_exec_labels (const oci_process *process, int proc_fd,
                           berth_error **err);

/* In the init, before it joins its session keyring: the SELinux label
   (attr/keycreate) the keyring is created with.  */
int lsm_apply_keyring_label (const oci_process *process, int proc_fd,
                             berth_error **err);

/* Whether a mount of `type` (NULL: a remount) takes linux.mountLabel as
   its context= option, as runc labels them: not bind mounts, nor proc,
   sysfs, mqueue, cgroup, cgroup2.  */
bool lsm_mount_takes_label (const char *type, bool bind);

/* `data` with context="<label>" appended, or NULL when nothing is to be
   added (no label, SELinux not enabled, or a type that takes none).  */
char *lsm_mount_data (const char *data, const char *type,
                      const char *mount_label);

#endif
