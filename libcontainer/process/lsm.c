#include "libcontainer/process/lsm.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "base/log.h"
#include "libcontainer/rootfs/mount-options.h"
#include "libcontainer/process/procfs.h"
#include "base/utils.h"

#ifndef SELINUX_MAGIC
#define SELINUX_MAGIC 0xf97cff8c
#endif

/* As runc: securityfs shows the module and its parameter says 'Y'.  */
bool
lsm_apparmor_enabled (void)
{
  char buf[4] = "";
  cleanup_close int fd = -1;

  if (access ("/sys/kernel/security/apparmor", F_OK) < 0)
    return false;
  fd = open ("/sys/module/apparmor/parameters/enabled",
             O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return false;
  return read (fd, buf, sizeof buf - 1) > 0 && buf[0] == 'Y';
}

/* selinuxfs mounted where libselinux looks for it.  */
bool
lsm_selinux_enabled (void)
{
  static const char *const mounts[] = { "/sys/fs/selinux", "/selinux" };
  struct statfs sfs;

  for (size_t i = 0; i < sizeof mounts / sizeof mounts[0]; i++)
    if (statfs (mounts[i], &sfs) == 0
        && (unsigned long) sfs.f_type == SELINUX_MAGIC)
      return true;
  return false;
}

bool
lsm_mount_takes_label (const char *type, bool bind)
{
  static const char *const unlabelled[] = { "proc",   "sysfs",  "mqueue",
                                            "cgroup", "cgroup2", "bind" };

  if (bind || type == NULL || *type == '\0')
    return false;
  for (size_t i = 0; i < sizeof unlabelled / sizeof unlabelled[0]; i++)
    if (strcmp (type, unlabelled[i]) == 0)
      return false;
  return true;
}

static bool
is_bind (const oci_mount *m)
{
  mount_options o;
  bool bind;

  mount_options_parse (m->options, m->n_options, &o);
  bind = (o.flags & MS_BIND) != 0 || (m->type && strcmp (m->type, "bind") == 0);
  mount_options_free (&o);
  return bind;
}

int
lsm_validate_process (const oci_process *p, berth_error **err)
{
  if (p && p->apparmor_profile && *p->apparmor_profile
      && !lsm_apparmor_enabled ())
    {
      berth_debug ("AppArmor is not enabled: process.apparmorProfile \"%s\" "
                   "cannot be applied (runc fails the same way)",
                   p->apparmor_profile);
      return berth_error_set (err, 0,
                              "process.apparmorProfile: \"%s\" is set, but "
                              "AppArmor is not enabled on this host",
                              p->apparmor_profile);
    }
  if (p && p->selinux_label && *p->selinux_label && !lsm_selinux_enabled ())
    {
      berth_debug ("SELinux is not enabled: process.selinuxLabel \"%s\" "
                   "cannot be applied (runc refuses it too)",
                   p->selinux_label);
      return berth_error_set (err, 0,
                              "process.selinuxLabel: \"%s\" is set, but "
                              "SELinux is not enabled on this host",
                              p->selinux_label);
    }
  return 0;
}

int
lsm_validate (const oci_config *config, berth_error **err)
{
  const char *mount_label = config->linux_ ? config->linux_->mount_label
                                           : NULL;

  if (lsm_validate_process (config->process, err) < 0)
    return -1;
  if (mount_label && *mount_label && !lsm_selinux_enabled ())
    {
      for (size_t i = 0; i < config->n_mounts; i++)
        {
          const oci_mount *m = &config->mounts[i];
          if (lsm_mount_takes_label (m->type, is_bind (m)))
            {
              berth_debug ("SELinux is not enabled: linux.mountLabel cannot "
                           "label mounts[%zu] (%s) (runc's mount fails)",
                           i, m->destination ? m->destination : "");
              return berth_error_set (err, 0,
                                      "linux.mountLabel: \"%s\" is set, but "
                                      "SELinux is not enabled on this host "
                                      "(mounts[%zu] %s would take it)",
                                      mount_label, i,
                                      m->destination ? m->destination : "");
            }
        }
      berth_debug ("SELinux is not enabled: linux.mountLabel \"%s\" is "
                   "ignored, no mount takes a label",
                   mount_label);
    }
  return 0;
}

static int
write_attr (int proc_fd, const char *attr, const char *value,
            berth_error **err)
{
  cleanup_free char *rel = xasprintf ("thread-self/attr/%s", attr);
  return procfs_write (proc_fd, rel, value, strlen (value), err);
}

static int
apply_apparmor (const char *profile, int proc_fd, berth_error **err)
{
  cleanup_free char *cmd = xasprintf ("exec %s", profile);
  berth_error *e = NULL;

  /* Kernels with LSM stacking have a directory per module; the shared
     attr/exec is the older interface.  */
  if (write_attr (proc_fd, "apparmor/exec", cmd, &e) == 0)
    return 0;
  if (e->errnum != ENOENT)
    {
      *err = e;
      return berth_error_wrap (err, "process.apparmorProfile: %s", profile);
    }
  berth_error_free (e);
  if (write_attr (proc_fd, "exec", cmd, err) < 0)
    return berth_error_wrap (err, "process.apparmorProfile: %s", profile);
  return 0;
}

int
lsm_apply_exec_labels (const oci_process *process, int proc_fd,
                       berth_error **err)
{
  const char *profile = process->apparmor_profile;
  const char *label = process->selinux_label;

  if (profile && *profile && apply_apparmor (profile, proc_fd, err) < 0)
    return -1;
  if (label && *label && write_attr (proc_fd, "exec", label, err) < 0)
    return berth_error_wrap (err, "process.selinuxLabel: %s", label);
  return 0;
}

int
lsm_apply_keyring_label (const oci_process *process, int proc_fd,
                         berth_error **err)
{
  const char *label = process->selinux_label;

  if (label && *label && write_attr (proc_fd, "keycreate", label, err) < 0)
    return berth_error_wrap (err, "process.selinuxLabel: %s (keyring)",
                             label);
  return 0;
}

char *
lsm_mount_data (const char *data, const char *type, const char *mount_label)
{
  if (mount_label == NULL || *mount_label == '\0'
      || !lsm_mount_takes_label (type, false) || !lsm_selinux_enabled ())
    return NULL;
  if (data == NULL || *data == '\0')
    return xasprintf ("context=\"%s\"", mount_label);
  return xasprintf ("%s,context=\"%s\"", data, mount_label);
}
