/* berth: the plan of one container process and the tail the init and
 * `exec` share (see plan.h).  */
#include "libcontainer/process/plan.h"

#include <errno.h>
#include <linux/capability.h>
#include <linux/close_range.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "base/log.h"
#include "base/utils.h"
#include "libcontainer/process/cap-api.h"
#include "libcontainer/process/lsm.h"
#include "libcontainer/process/mempolicy.h"
#include "libcontainer/process/pass-fds.h"
#include "libcontainer/process/process.h"
#include "libcontainer/process/procfs.h"

int
process_plan_init (process_plan *plan, const oci_process *process,
                   const oci_linux *linux_, int preserve_fds,
                   berth_error **err)
{
  memset (plan, 0, sizeof *plan);
  plan->process = process;
  plan->personality = linux_ ? linux_->personality : NULL;
  plan->memory_policy = linux_ ? linux_->memory_policy : NULL;
  plan->preserve_fds = preserve_fds;
  plan->cwd_fd = -1;
  plan->root_fd = -1;
  plan->proc_fd = -1;
  /* The parent, before clone: what the process applies it cannot load
     (cap-api.h).  Already done by process_validate; this keeps the plan
     whole on its own.  */
  if (cap_api_load (err) < 0)
    return -1;
  seccomp_plan_init (&plan->seccomp, linux_ ? linux_->seccomp : NULL);
  return caps_parse (process->capabilities, &plan->caps, err);
}

void
process_plan_release (process_plan *plan)
{
  seccomp_plan_release (&plan->seccomp);
  if (plan->cwd_fd >= 0)
    close (plan->cwd_fd);
  plan->cwd_fd = -1;
  if (plan->root_fd >= 0)
    close (plan->root_fd);
  plan->root_fd = -1;
  free (plan->exe);
  plan->exe = NULL;
  cleanup_strvp (&plan->envp);
  plan->envp = NULL;
}

void
process_plan_listener_state (process_plan *plan, int host_pid,
                             const oci_state *state)
{
  const oci_seccomp *seccomp = plan->seccomp.seccomp;

  if (seccomp == NULL || !seccomp_uses_notify (seccomp))
    return;
  seccomp_plan_set_listener_state (
      &plan->seccomp,
      oci_seccomp_process_state_to_json (host_pid, seccomp->listener_metadata,
                                         state, NULL));
}

/* The labels the process takes at execve.  `exec` reaches them through
   the container's /proc, verified to be procfs (CVE-2019-16884).  */
static int
apply_exec_labels (const process_plan *plan, berth_error **err)
{
  const oci_process *p = plan->process;
  cleanup_close int own = -1;

  if (plan->proc_fd >= 0)
    return lsm_apply_exec_labels (p, plan->proc_fd, err);
  if (p->apparmor_profile == NULL && p->selinux_label == NULL)
    return 0;
  own = procfs_open_root (err);
  if (own < 0)
    return -1;
  return lsm_apply_exec_labels (p, own, err);
}

/* Whether the kernel still shows the ids and capability sets of `st`.  */
static bool
status_holds (const procfs_status *st)
{
  struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
  struct __user_cap_data_struct data[2];
  uid_t ruid, euid, suid;
  gid_t rgid, egid, sgid;
  uint64_t prm, inh;

  /* The fs ids are not asked for (two more syscalls): every set*id call
     sets them to the effective ids, and only setfsuid and setfsgid,
     which berth never calls, set them apart.  */
  if (getresuid (&ruid, &euid, &suid) < 0
      || getresgid (&rgid, &egid, &sgid) < 0 || euid != st->euid
      || egid != st->egid || syscall (SYS_capget, &hdr, data) < 0)
    return false;
  prm = (uint64_t) data[1].permitted << 32 | data[0].permitted;
  inh = (uint64_t) data[1].inheritable << 32 | data[0].inheritable;
  return prm == st->cap_prm && inh == st->cap_inh;
}

const procfs_status *
process_plan_status (process_plan *plan)
{
  if (!plan->status_known)
    return NULL;
  if (!status_holds (&plan->status))
    {
      berth_debug ("the credentials changed since the status was read: "
                   "read from the kernel again");
      plan->status_known = false;
      return NULL;
    }
  return &plan->status;
}

int
process_plan_fs_root (const process_plan *plan)
{
  if (!plan->status_known)
    return -1;
  return plan->status.fsuid == 0 && plan->status.fsgid == 0;
}

void
process_plan_userns_entered (process_plan *plan)
{
  plan->status_known = false;
  plan->userns_entered = true;
}

int
process_plan_prepare (process_plan *plan, berth_error **err)
{
  const oci_process *process = plan->process;
  const procfs_status *known;
  bool in_cwd;

  if (apply_exec_labels (plan, err) < 0)
    return -1;
  /* Before "ready" for the init: a policy the kernel refuses (a node it
     lacks) fails create, not start.  fork and execve keep it.  */
  if (mempolicy_set (plan->memory_policy, err) < 0)
    return -1;
  if (process_apply_privileged (process, plan->personality, err) < 0)
    return -1;
  /* As runc: chdir while still privileged, so that a user may start in a
     directory only root can enter (a 0700 cwd); the process keeps it
     after setresuid.  Where root itself is refused (a directory of an
     unmapped owner in a user namespace), once more as the user.  */
  in_cwd = fchdir (plan->cwd_fd) == 0;
  if (!in_cwd && errno != EACCES && errno != EPERM)
    return berth_error_sys (err, "process.cwd: chdir %s", process->cwd);
  /* Checked here, after the steps above and the caller's (namespaces,
     root, keyring), right before its only use.  */
  known = process_plan_status (plan);
  if (known == NULL)
    {
      /* Only the bounding set is needed again; the rest is read from the
         kernel where it is used.  Entering a user namespace gives the
         full set (the kernel's set_cred_user_ns): known without a read,
         which here has no procfs of the container's to go through and
         would ask one capability at a time.  */
      memset (&plan->status, 0, sizeof plan->status);
      plan->status.cap_bnd = plan->userns_entered
                               ? caps_full_bounding ()
                               : caps_read_bounding (plan->proc_fd);
    }
  if (process_apply_user (process, &plan->status, known != NULL,
                          plan->pdeathsig, &plan->caps, &plan->caps_final,
                          &plan->caps_admin_kept, err)
      < 0)
    return -1;
  if (!in_cwd && fchdir (plan->cwd_fd) < 0)
    return berth_error_sys (err, "process.cwd: chdir %s", process->cwd);
  plan->exe = process_find_executable (process, err);
  if (plan->exe == NULL)
    return -1;
  plan->envp = process_build_env (process, plan->root_fd, err);
  if (plan->envp == NULL)
    return -1;
  /* The cwd and the root handles together: one close_range when their
     numbers are consecutive (the init's are).  */
  {
    int fds[2] = { plan->cwd_fd, plan->root_fd };
    close_fds (fds, 2);
    plan->cwd_fd = plan->root_fd = -1;
  }
  pass_fds_env (&plan->envp, plan->listen_fds);
  return 0;
}

/* Without no_new_privs, loading the filter needed CAP_SYS_ADMIN, which
   process_apply_user kept beyond the configured sets.  */
static void
drop_kept_admin (process_plan *plan)
{
  berth_error *e = NULL;

  if (!plan->caps_admin_kept)
    return;
  /* execve recomputes the permitted and effective sets from the
     bounding, inheritable and ambient ones, none of which has the kept
     CAP_SYS_ADMIN: dropping it now only narrows the window, so a filter
     that denies capset is no reason to fail.  */
  if (caps_set_process (plan->caps_final.effective,
                        plan->caps_final.permitted,
                        plan->caps_final.inheritable, &e)
      < 0)
    {
      berth_debug ("%s: CAP_SYS_ADMIN kept for seccomp goes at execve",
                   e->msg);
      berth_error_free (e);
    }
  plan->caps_admin_kept = false;
}

int
process_plan_exec (process_plan *plan, berth_error **err)
{
  const oci_process *process = plan->process;
  cleanup_free char **argv = NULL;

  /* Nothing of berth's may reach the workload: every fd past stdio and
     the preserved ones is closed at exec.  */
  if (syscall (SYS_close_range, 3 + plan->preserve_fds, ~0U,
               CLOSE_RANGE_CLOEXEC)
      < 0)
    return berth_error_sys (err, "close_range");
  if (process_apply_final_affinity (process, err) < 0)
    return -1;
  if (seccomp_apply (&plan->seccomp, err) < 0)
    return -1;
  if (plan->before_exec != NULL
      && plan->before_exec (plan->before_exec_data, plan->envp, err) < 0)
    return -1;
  drop_kept_admin (plan);

  argv = xmalloc0 ((process->n_args + 1) * sizeof (char *));
  for (size_t i = 0; i < process->n_args; i++)
    argv[i] = process->args[i];
  execve (plan->exe, argv, plan->envp);
  return berth_error_sys (err, "exec %s", plan->exe);
}
