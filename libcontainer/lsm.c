#include "libcontainer/lsm.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "libcontainer/cleanup.h"
#include "libcontainer/utils.h"

#ifndef PROC_SUPER_MAGIC
#define PROC_SUPER_MAGIC 0x9fa0
#endif
#ifndef SELINUX_MAGIC
#define SELINUX_MAGIC 0xf97cff8c
#endif

static bool
apparmor_enabled (void)
{
  char c = 0;
  cleanup_close int fd = open ("/sys/module/apparmor/parameters/enabled",
                               O_RDONLY | O_CLOEXEC);

  return fd >= 0 && read (fd, &c, 1) == 1 && c == 'Y';
}

static bool
selinux_enabled (void)
{
  struct statfs sfs;

  return statfs ("/sys/fs/selinux", &sfs) == 0
         && (unsigned long) sfs.f_type == SELINUX_MAGIC;
}

static bool
is_set (const char *s)
{
  return s != NULL && s[0] != '\0';
}

int
lsm_validate (const oci_process *process, berth_error **err)
{
  if (is_set (process->apparmor_profile) && !apparmor_enabled ())
    return berth_error_set (err, 0,
                            "process.apparmorProfile: \"%s\" cannot be "
                            "applied: AppArmor is not enabled on this host",
                            process->apparmor_profile);
  if (is_set (process->selinux_label) && !selinux_enabled ())
    return berth_error_set (err, 0,
                            "process.selinuxLabel: \"%s\" cannot be applied: "
                            "SELinux is not enabled on this host",
                            process->selinux_label);
  return 0;
}

/* Writes `value` to the first of `names` under /proc/self/attr that
   exists; the file must be on procfs (the container mounted /proc).  */
static int
write_attr (const char *const *names, const char *value, berth_error **err)
{
  cleanup_close int fd = -1;
  struct statfs sfs;
  const char *name = NULL;

  for (; *names && fd < 0; names++)
    {
      name = *names;
      fd = open (name, O_WRONLY | O_CLOEXEC);
      if (fd < 0 && errno != ENOENT)
        break;
    }
  if (fd < 0)
    return berth_error_sys (err, "open %s", name);
  if (fstatfs (fd, &sfs) < 0)
    return berth_error_sys (err, "fstatfs %s", name);
  if (sfs.f_type != PROC_SUPER_MAGIC)
    return berth_error_set (err, 0, "%s: not on procfs", name);
  if (write_all (fd, value, strlen (value)) < 0)
    return berth_error_sys (err, "write %s", name);
  return 0;
}

int
lsm_apply_exec (const oci_process *process, berth_error **err)
{
  if (is_set (process->apparmor_profile))
    {
      /* The AppArmor-specific file first: with stacked LSMs the generic
         one may belong to another module.  */
      static const char *const names[] = { "/proc/self/attr/apparmor/exec",
                                           "/proc/self/attr/exec", NULL };
      cleanup_free char *cmd
          = xasprintf ("exec %s", process->apparmor_profile);
      if (write_attr (names, cmd, err) < 0)
        return berth_error_wrap (err, "process.apparmorProfile \"%s\"",
                                 process->apparmor_profile);
    }
  if (is_set (process->selinux_label))
    {
      static const char *const names[] = { "/proc/self/attr/exec", NULL };
      if (write_attr (names, process->selinux_label, err) < 0)
        return berth_error_wrap (err, "process.selinuxLabel \"%s\"",
                                 process->selinux_label);
    }
  return 0;
}
