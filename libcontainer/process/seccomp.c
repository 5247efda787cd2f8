#include "libcontainer/process/seccomp.h"

#include <ctype.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "base/log.h"
#include "base/utils.h"
#include "libcontainer/process/scmp-api.h"
#include "libcontainer/process/seccomp-enosys.h"

#ifndef BERTH_SPEC_VERSION
#define BERTH_SPEC_VERSION "1.3.0"
#endif

#ifndef SECCOMP_FILTER_FLAG_TSYNC_ESRCH
#define SECCOMP_FILTER_FLAG_TSYNC_ESRCH (1UL << 4)
#endif
#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif

struct action_name
{
  const char *name;
  uint32_t action;
  bool takes_errno;   /* SCMP_ACT_ERRNO, SCMP_ACT_TRACE: errnoRet allowed */
  unsigned min_api;   /* seccomp_api_get() level the action needs */
};

static const struct action_name actions[] = {
  { "SCMP_ACT_KILL", SCMP_ACT_KILL, false, 1 },
  { "SCMP_ACT_KILL_PROCESS", SCMP_ACT_KILL_PROCESS, false, 3 },
  { "SCMP_ACT_KILL_THREAD", SCMP_ACT_KILL_THREAD, false, 1 },
  { "SCMP_ACT_TRAP", SCMP_ACT_TRAP, false, 1 },
  { "SCMP_ACT_ERRNO", SCMP_ACT_ERRNO (0), true, 1 },
  { "SCMP_ACT_TRACE", SCMP_ACT_TRACE (0), true, 1 },
  { "SCMP_ACT_ALLOW", SCMP_ACT_ALLOW, false, 1 },
  { "SCMP_ACT_LOG", SCMP_ACT_LOG, false, 3 },
  { "SCMP_ACT_NOTIFY", SCMP_ACT_NOTIFY, false, 5 },
};

static const struct
{
  const char *name;
  enum scmp_compare op;
} ops[] = {
  { "SCMP_CMP_NE", SCMP_CMP_NE },
  { "SCMP_CMP_LT", SCMP_CMP_LT },
  { "SCMP_CMP_LE", SCMP_CMP_LE },
  { "SCMP_CMP_EQ", SCMP_CMP_EQ },
  { "SCMP_CMP_GE", SCMP_CMP_GE },
  { "SCMP_CMP_GT", SCMP_CMP_GT },
  { "SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ },
};

/* The architectures runtime-spec 1.3 lists: one libseccomp does not know
   gets "not supported by libseccomp x.y.z" rather than "unknown".  */
static const char *const spec_archs[] = {
  "SCMP_ARCH_X86",       "SCMP_ARCH_X86_64",    "SCMP_ARCH_X32",
  "SCMP_ARCH_ARM",       "SCMP_ARCH_AARCH64",   "SCMP_ARCH_MIPS",
  "SCMP_ARCH_MIPS64",    "SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPSEL",
  "SCMP_ARCH_MIPSEL64",  "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC",
  "SCMP_ARCH_PPC64",     "SCMP_ARCH_PPC64LE",   "SCMP_ARCH_S390",
  "SCMP_ARCH_S390X",     "SCMP_ARCH_PARISC",    "SCMP_ARCH_PARISC64",
  "SCMP_ARCH_RISCV64",   "SCMP_ARCH_LOONGARCH64", "SCMP_ARCH_M68K",
  "SCMP_ARCH_SH",        "SCMP_ARCH_SHEB",
};

/* berth builds the filter with libseccomp and loads it with seccomp(2)
   itself, so every flag the running kernel has works, whatever the
   libseccomp version (2.5 has no WAIT_KILLABLE_RECV).  */
static const struct
{
  const char *name;
  unsigned long flag;
} flags[] = {
  { "SECCOMP_FILTER_FLAG_TSYNC", SECCOMP_FILTER_FLAG_TSYNC },
  { "SECCOMP_FILTER_FLAG_LOG", SECCOMP_FILTER_FLAG_LOG },
  { "SECCOMP_FILTER_FLAG_SPEC_ALLOW", SECCOMP_FILTER_FLAG_SPEC_ALLOW },
  { "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
    SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV },
};

#define N_ELEMS(a) (sizeof (a) / sizeof ((a)[0]))

static const char *
libseccomp_version (char buf[32])
{
  const struct scmp_version *v = seccomp_version ();
  snprintf (buf, 32, "%u.%u.%u", v->major, v->minor, v->micro);
  return buf;
}

/* `what` is the JSON path of the action, "linux.seccomp.defaultAction" or
   "linux.seccomp.syscalls[3]"; `errno_key` the key of its errno.  */
static int
resolve_action (const char *name, bool has_errno, uint32_t errno_ret,
                const char *what, const char *action_key,
                const char *errno_key, uint32_t *out, berth_error **err)
{
  const struct action_name *a = NULL;
  unsigned api;

  for (size_t i = 0; i < N_ELEMS (actions); i++)
    if (name != NULL && strcmp (actions[i].name, name) == 0)
      a = &actions[i];
  if (a == NULL)
    return berth_error_set (err, 0, "%s%s: unknown action \"%s\"", what,
                            action_key, name ? name : "");
  api = seccomp_api_get ();
  if (api < a->min_api)
    return berth_error_set (err, 0,
                            "%s%s: %s is not supported by this kernel and "
                            "libseccomp (API level %u)",
                            what, action_key, name, api);
  if (has_errno && !a->takes_errno)
    return berth_error_set (err, 0, "%s%s: not valid with action %s", what,
                            errno_key, name);
  if (has_errno && errno_ret > 0xffff)
    return berth_error_set (err, 0, "%s%s: %u is out of range [0, 65535]",
                            what, errno_key, errno_ret);
  if (a->takes_errno)
    {
      uint32_t e = has_errno ? errno_ret : EPERM;
      *out = a->action == SCMP_ACT_TRACE (0) ? SCMP_ACT_TRACE (e)
                                             : SCMP_ACT_ERRNO (e);
    }
  else
    *out = a->action;
  return 0;
}

static int
resolve_arch (const char *name, size_t idx, uint32_t *out, berth_error **err)
{
  char lower[64];
  size_t len;
  char ver[32];

  if (name == NULL || strncmp (name, "SCMP_ARCH_", 10) != 0
      || (len = strlen (name + 10)) == 0 || len >= sizeof lower)
    return berth_error_set (err, 0,
                            "linux.seccomp.architectures[%zu]: unknown "
                            "architecture \"%s\"",
                            idx, name ? name : "");
  for (size_t i = 0; i <= len; i++)
    lower[i] = (char) tolower ((unsigned char) name[10 + i]);
  *out = seccomp_arch_resolve_name (lower);
  if (*out != 0)
    return 0;
  for (size_t i = 0; i < N_ELEMS (spec_archs); i++)
    if (strcmp (spec_archs[i], name) == 0)
      return berth_error_set (err, 0,
                              "linux.seccomp.architectures[%zu]: %s is not "
                              "supported by libseccomp %s",
                              idx, name, libseccomp_version (ver));
  return berth_error_set (err, 0,
                          "linux.seccomp.architectures[%zu]: unknown "
                          "architecture \"%s\"",
                          idx, name);
}

/* seccomp(2) checks the flags before it reads the program: EFAULT for a
   NULL program means the kernel knows the flag, EINVAL that it does not.
   WAIT_KILLABLE_RECV is only valid with NEW_LISTENER.  */
static bool
kernel_has_flag (unsigned long flag)
{
  if (flag == SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV)
    flag |= SECCOMP_FILTER_FLAG_NEW_LISTENER;
  return syscall (SYS_seccomp, SECCOMP_SET_MODE_FILTER, flag, NULL) < 0
         && errno == EFAULT;
}

static int
resolve_flag (const char *name, size_t idx, unsigned long *out,
              berth_error **err)
{
  for (size_t i = 0; i < N_ELEMS (flags); i++)
    if (name != NULL && strcmp (flags[i].name, name) == 0)
      {
        *out = flags[i].flag;
        if (!kernel_has_flag (*out))
          return berth_error_set (err, 0,
                                  "linux.seccomp.flags[%zu]: %s is not "
                                  "supported by this kernel",
                                  idx, name);
        return 0;
      }
  return berth_error_set (err, 0, "linux.seccomp.flags[%zu]: unknown flag "
                          "\"%s\"", idx, name ? name : "");
}

static int
resolve_op (const char *name, size_t sc, size_t arg, enum scmp_compare *out,
            berth_error **err)
{
  for (size_t i = 0; i < N_ELEMS (ops); i++)
    if (name != NULL && strcmp (ops[i].name, name) == 0)
      {
        *out = ops[i].op;
        return 0;
      }
  return berth_error_set (err, 0,
                          "linux.seccomp.syscalls[%zu].args[%zu].op: unknown "
                          "operator \"%s\"",
                          sc, arg, name ? name : "");
}

static bool
is_notify (const char *action)
{
  return action != NULL && strcmp (action, "SCMP_ACT_NOTIFY") == 0;
}

bool
seccomp_uses_notify (const oci_seccomp *seccomp)
{
  if (seccomp == NULL)
    return false;
  for (size_t i = 0; i < seccomp->n_syscalls; i++)
    if (is_notify (seccomp->syscalls[i].action))
      return true;
  return false;
}

int
seccomp_validate (const oci_seccomp *seccomp, berth_error **err)
{
  uint32_t action;

  if (seccomp == NULL)
    return 0;
  if (scmp_api_load (err) < 0)
    return -1;
  if (resolve_action (seccomp->default_action,
                      seccomp->has_default_errno_ret,
                      seccomp->default_errno_ret, "linux.seccomp",
                      ".defaultAction", ".defaultErrnoRet", &action, err)
      < 0)
    return -1;
  /* The kernel has no listener without a rule that returns NOTIFY, and
     libseccomp refuses it as the default action.  */
  if (is_notify (seccomp->default_action))
    return berth_error_set (err, 0,
                            "linux.seccomp.defaultAction: SCMP_ACT_NOTIFY "
                            "cannot be the default action");
  for (size_t i = 0; i < seccomp->n_architectures; i++)
    {
      uint32_t arch;
      if (resolve_arch (seccomp->architectures[i], i, &arch, err) < 0)
        return -1;
    }
  for (size_t i = 0; i < seccomp->n_flags; i++)
    {
      unsigned long f;
      if (resolve_flag (seccomp->flags[i], i, &f, err) < 0)
        return -1;
    }
  if (seccomp->listener_metadata != NULL && seccomp->listener_path == NULL)
    return berth_error_set (err, 0,
                            "linux.seccomp.listenerMetadata: set without "
                            "linux.seccomp.listenerPath");
  for (size_t i = 0; i < seccomp->n_syscalls; i++)
    {
      const oci_seccomp_syscall *sc = &seccomp->syscalls[i];
      char what[64];

      snprintf (what, sizeof what, "linux.seccomp.syscalls[%zu]", i);
      if (sc->n_names == 0)
        return berth_error_set (err, 0,
                                "%s.names: must contain at least one entry",
                                what);
      if (resolve_action (sc->action, sc->has_errno_ret, sc->errno_ret, what,
                          ".action", ".errnoRet", &action, err)
          < 0)
        return -1;
      if (is_notify (sc->action) && seccomp->listener_path == NULL)
        return berth_error_set (err, 0,
                                "%s.action: SCMP_ACT_NOTIFY needs "
                                "linux.seccomp.listenerPath",
                                what);
      for (size_t a = 0; a < sc->n_args; a++)
        {
          enum scmp_compare op;
          if (sc->args[a].index > 5)
            return berth_error_set (err, 0,
                                    "%s.args[%zu].index: %u is out of range "
                                    "[0, 5]",
                                    what, a, sc->args[a].index);
          if (resolve_op (sc->args[a].op, i, a, &op, err) < 0)
            return -1;
        }
    }
  return 0;
}

/* ---- the tables, for `berth features` ------------------------------------ */

const char *
seccomp_action_name (size_t i)
{
  return i < N_ELEMS (actions) ? actions[i].name : NULL;
}

const char *
seccomp_operator_name (size_t i)
{
  return i < N_ELEMS (ops) ? ops[i].name : NULL;
}

const char *
seccomp_arch_name (size_t i, bool *known)
{
  uint32_t arch;
  berth_error *e = NULL;

  if (i >= N_ELEMS (spec_archs))
    return NULL;
  *known = resolve_arch (spec_archs[i], i, &arch, &e) == 0;
  berth_error_free (e);
  return spec_archs[i];
}

const char *
seccomp_flag_name (size_t i, bool *supported)
{
  if (i >= N_ELEMS (flags))
    return NULL;
  *supported = kernel_has_flag (flags[i].flag);
  return flags[i].name;
}

/* ---- the listener (SCMP_ACT_NOTIFY) ------------------------------------- */

void
seccomp_plan_init (seccomp_plan *plan, const oci_seccomp *seccomp)
{
  memset (plan, 0, sizeof *plan);
  plan->seccomp = seccomp;
  plan->listener_fd = -1;
}

void
seccomp_plan_release (seccomp_plan *plan)
{
  free (plan->insns);
  plan->insns = NULL;
  free (plan->listener_state);
  plan->listener_state = NULL;
  if (plan->listener_fd >= 0)
    close (plan->listener_fd);
  plan->listener_fd = -1;
}

static int
connect_listener (const char *path, berth_error **err)
{
  int fd = unix_connect (path);

  if (fd < 0)
    return berth_error_sys (err, "connect to seccomp listener %s", path);
  return fd;
}

int
seccomp_listener_connect (seccomp_plan *plan, berth_error **err)
{
  const oci_seccomp *seccomp = plan->seccomp;

  if (seccomp == NULL || !seccomp_uses_notify (seccomp))
    return 0;
  if (seccomp->listener_path == NULL)
    return berth_error_set (err, 0,
                            "linux.seccomp: SCMP_ACT_NOTIFY needs "
                            "listenerPath");
  if (plan->listener_fd >= 0)
    close (plan->listener_fd);
  plan->listener_fd = connect_listener (seccomp->listener_path, err);
  return plan->listener_fd < 0 ? -1 : 0;
}

void
seccomp_plan_set_listener_state (seccomp_plan *plan, char *json)
{
  free (plan->listener_state);
  plan->listener_state = json;
}

static int
send_notify_fd (seccomp_plan *plan, int notify_fd, berth_error **err)
{
  const oci_seccomp *seccomp = plan->seccomp;
  cleanup_close int sock = steal_fd (&plan->listener_fd);
  cleanup_free char *payload = NULL;
  size_t len = 0, sent = 0;
  ssize_t r;

  len = strlen (plan->listener_state);
  payload = xstrdup (plan->listener_state);
  r = send_with_fd (sock, payload, len, notify_fd);
  if (r < 0)
    return berth_error_sys (err, "send to seccomp listener %s",
                            seccomp->listener_path);
  /* A stream socket may take part of the state; the fd went with the first
     byte, the rest follows as plain data.  */
  for (sent = (size_t) r; sent < len; sent += (size_t) r)
    {
      r = send (sock, payload + sent, len - sent, MSG_NOSIGNAL);
      if (r < 0 && errno == EINTR)
        {
          r = 0;
          continue;
        }
      if (r < 0)
        return berth_error_sys (err, "send to seccomp listener %s",
                                seccomp->listener_path);
    }
  return 0;
}

/* ---- building and loading ------------------------------------------------ */

static int
filter_flags (const oci_seccomp *seccomp, bool notify, unsigned long *out,
              berth_error **err)
{
  unsigned long f = notify ? SECCOMP_FILTER_FLAG_NEW_LISTENER : 0;

  for (size_t i = 0; i < seccomp->n_flags; i++)
    {
      unsigned long one;
      if (resolve_flag (seccomp->flags[i], i, &one, err) < 0)
        return -1;
      /* It changes how a listener's wait is interrupted: without a
         listener the kernel refuses it, and it has nothing to do.  */
      if (one == SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV && !notify)
        {
          berth_debug ("seccomp: %s without a SCMP_ACT_NOTIFY rule: not "
                       "needed, not set",
                       seccomp->flags[i]);
          continue;
        }
      f |= one;
    }
  /* With a listener, TSYNC must report a thread it cannot sync as ESRCH:
     its usual return value would be the listener fd.  */
  if ((f & SECCOMP_FILTER_FLAG_TSYNC) && notify)
    f |= SECCOMP_FILTER_FLAG_TSYNC_ESRCH;
  *out = f;
  return 0;
}

/* The BPF program libseccomp generated for ctx, in *insns (malloc'd).  */
static int
export_filter (scmp_filter_ctx ctx, struct sock_filter **insns, size_t *n,
               berth_error **err)
{
  cleanup_close int mfd = memfd_create ("berth-seccomp", MFD_CLOEXEC);
  off_t size;
  int rc;

  if (mfd < 0)
    return berth_error_sys (err, "seccomp: memfd_create");
  rc = seccomp_export_bpf (ctx, mfd);
  if (rc < 0)
    return berth_error_set (err, -rc, "seccomp: generate the filter");
  size = lseek (mfd, 0, SEEK_END);
  if (size <= 0 || size % (off_t) sizeof (struct sock_filter) != 0
      || size / (off_t) sizeof (struct sock_filter) > BPF_MAXINSNS)
    return berth_error_set (err, E2BIG,
                            "seccomp: the filter has %lld bytes, not a "
                            "program the kernel takes",
                            (long long) size);
  *insns = xmalloc0 ((size_t) size);
  if (pread (mfd, *insns, (size_t) size, 0) != size)
    {
      free (*insns);
      *insns = NULL;
      return berth_error_sys (err, "seccomp: read the filter");
    }
  *n = (size_t) size / sizeof (struct sock_filter);
  return 0;
}

/* Loads a BPF program with seccomp(2).  Returns the listener fd with
   SECCOMP_FILTER_FLAG_NEW_LISTENER, else 0.  */
static int
load_filter (const struct sock_filter *insns, size_t n, unsigned long flags,
             berth_error **err)
{
  struct sock_fprog prog;
  int rc;

  prog.len = (unsigned short) n;
  prog.filter = (struct sock_filter *) insns;
  rc = (int) syscall (SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
  if (rc < 0 && errno == EACCES)
    return berth_error_sys (err, "seccomp: load the filter (without "
                                 "process.noNewPrivileges it needs "
                                 "CAP_SYS_ADMIN)");
  if (rc < 0)
    return berth_error_sys (err, "seccomp: load the filter (flags %#lx)",
                            flags);
  return rc;
}

/* Several comparisons on one argument cannot be ANDed in one rule
   (libseccomp refuses it); as runc, they then each become a rule of their
   own, i.e. they are ORed.  */
static bool
args_repeat_index (const oci_seccomp_syscall *sc)
{
  unsigned seen = 0;
  for (size_t a = 0; a < sc->n_args; a++)
    {
      if (seen & (1u << sc->args[a].index))
        return true;
      seen |= 1u << sc->args[a].index;
    }
  return false;
}

static int
add_syscall (scmp_filter_ctx ctx, uint32_t action,
             const oci_seccomp_syscall *sc, size_t idx, const char *name,
             bool *added, berth_error **err)
{
  struct scmp_arg_cmp *cmp = NULL;
  int nr = seccomp_syscall_resolve_name (name);
  bool separate;
  int rc = 0;

  if (nr == __NR_SCMP_ERROR)
    {
      berth_debug ("seccomp: unknown syscall \"%s\": skipped", name);
      return 0;
    }
  cmp = xmalloc0 ((sc->n_args + 1) * sizeof *cmp);
  for (size_t a = 0; a < sc->n_args; a++)
    {
      enum scmp_compare op;
      if (sc->args[a].index > 5)
        {
          free (cmp);
          return berth_error_set (err, 0,
                                  "linux.seccomp.syscalls[%zu].args[%zu]."
                                  "index: %u is out of range [0, 5]",
                                  idx, a, sc->args[a].index);
        }
      if (resolve_op (sc->args[a].op, idx, a, &op, err) < 0)
        {
          free (cmp);
          return -1;
        }
      cmp[a] = (struct scmp_arg_cmp){ .arg = sc->args[a].index,
                                      .op = op,
                                      .datum_a = sc->args[a].value,
                                      .datum_b = sc->args[a].value_two };
    }
  separate = args_repeat_index (sc);
  if (!separate)
    rc = seccomp_rule_add_array (ctx, action, nr, (unsigned) sc->n_args, cmp);
  for (size_t a = 0; separate && rc == 0 && a < sc->n_args; a++)
    rc = seccomp_rule_add_array (ctx, action, nr, 1, &cmp[a]);
  free (cmp);
  if (rc < 0)
    return berth_error_set (err, -rc,
                            "linux.seccomp.syscalls[%zu]: add rule for %s",
                            idx, name);
  *added = true;
  return 0;
}

static int
build_filter (scmp_filter_ctx ctx, const oci_seccomp *seccomp,
              uint32_t default_action, bool *notify, berth_error **err)
{
  for (size_t i = 0; i < seccomp->n_architectures; i++)
    {
      uint32_t arch;
      int rc;

      if (resolve_arch (seccomp->architectures[i], i, &arch, err) < 0)
        return -1;
      rc = seccomp_arch_add (ctx, arch);
      if (rc < 0 && rc != -EEXIST)
        return berth_error_set (err, -rc, "seccomp: add architecture %s",
                                seccomp->architectures[i]);
    }

  *notify = false;
  for (size_t i = 0; i < seccomp->n_syscalls; i++)
    {
      const oci_seccomp_syscall *sc = &seccomp->syscalls[i];
      char what[64];
      uint32_t action;
      bool added = false;

      snprintf (what, sizeof what, "linux.seccomp.syscalls[%zu]", i);
      if (resolve_action (sc->action, sc->has_errno_ret, sc->errno_ret, what,
                          ".action", ".errnoRet", &action, err)
          < 0)
        return -1;
      /* libseccomp refuses a rule that does what the default does.  */
      if (action == default_action)
        {
          berth_debug ("seccomp: %s has the default action: skipped", what);
          continue;
        }
      for (size_t n = 0; n < sc->n_names; n++)
        if (add_syscall (ctx, action, sc, i, sc->names[n], &added, err) < 0)
          return -1;
      if (added && action == SCMP_ACT_NOTIFY)
        *notify = true;
    }
  return 0;
}

static int
default_action_of (const oci_seccomp *seccomp, uint32_t *out,
                   berth_error **err)
{
  return resolve_action (seccomp->default_action,
                         seccomp->has_default_errno_ret,
                         seccomp->default_errno_ret, "linux.seccomp",
                         ".defaultAction", ".defaultErrnoRet", out, err);
}

int
seccomp_generate (const oci_seccomp *seccomp, struct sock_filter **insns,
                  size_t *n, bool *notify, berth_error **err)
{
  cleanup_free uint32_t *archs = NULL;
  size_t n_archs = 0;
  scmp_filter_ctx ctx;
  uint32_t default_action;
  int rc, ret = -1;

  *insns = NULL;
  *n = 0;
  if (scmp_api_require (err) < 0
      || default_action_of (seccomp, &default_action, err) < 0)
    return -1;
  ctx = seccomp_init (default_action);
  if (ctx == NULL)
    return berth_error_set (err, 0,
                            "seccomp: cannot make a filter with default "
                            "action %s",
                            seccomp->default_action);
  if (build_filter (ctx, seccomp, default_action, notify, err) < 0)
    goto out;
  /* A binary tree of syscall numbers rather than a list: a few compares
     per syscall instead of up to one per rule (libseccomp >= 2.5).  */
#if SCMP_VER_MAJOR > 2 || (SCMP_VER_MAJOR == 2 && SCMP_VER_MINOR >= 5)
  rc = seccomp_attr_set (ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
  if (rc < 0)
    berth_debug ("seccomp: binary tree optimization refused (%s)",
                 strerror (-rc));
#endif
  if (export_filter (ctx, insns, n, err) < 0)
    goto out;
  /* The filter's architectures: the native one (seccomp_init's) and the
     configured ones, all resolved by build_filter already.  */
  archs = xmalloc0 ((seccomp->n_architectures + 1) * sizeof *archs);
  archs[n_archs++] = seccomp_arch_native ();
  for (size_t i = 0; i < seccomp->n_architectures; i++)
    if (resolve_arch (seccomp->architectures[i], i, &archs[n_archs], err)
        == 0)
      n_archs++;
    else
      goto out;
  if (seccomp_enosys_patch (seccomp, default_action, archs, n_archs, insns,
                            n, err)
      < 0)
    goto out;
  ret = 0;
out:
  if (ret < 0)
    {
      free (*insns);
      *insns = NULL;
    }
  seccomp_release (ctx);
  return ret;
}

int
seccomp_apply (seccomp_plan *plan, berth_error **err)
{
  const oci_seccomp *seccomp = plan->seccomp;
  cleanup_free struct sock_filter *own = NULL;
  const struct sock_filter *insns = NULL;
  size_t n = 0;
  unsigned long kflags = 0;
  bool notify = false;
  int rc, ret = -1;

  if (seccomp == NULL)
    return 0;
  /* Before the filter exists: it could catch socket or connect.  */
  if (seccomp_uses_notify (seccomp))
    {
      if (plan->listener_state == NULL)
        return berth_error_set (err, 0,
                                "seccomp listener: the container state is "
                                "not known (seccomp_plan_set_listener_"
                                "state)");
      if (plan->listener_fd < 0 && seccomp_listener_connect (plan, err) < 0)
        return -1;
    }
  /* The program the parent compiled or found in the cache before clone
     (never with a listener); else built here.  */
  if (plan->insns != NULL)
    {
      insns = plan->insns;
      n = plan->n;
    }
  else
    {
      if (seccomp_generate (seccomp, &own, &n, &notify, err) < 0)
        goto out;
      insns = own;
    }

  if (filter_flags (seccomp, notify, &kflags, err) < 0)
    goto out;
  /* From here on every syscall of berth's is filtered.  */
  rc = load_filter (insns, n, kflags, err);
  if (rc < 0)
    goto out;
  if (notify)
    {
      int fd = rc;
      rc = send_notify_fd (plan, fd, err);
      /* The listener has its copy; the workload must not get one (it is
         close-on-exec anyway).  */
      close (fd);
      if (rc < 0)
        goto out;
    }
  else if (seccomp_uses_notify (seccomp))
    berth_debug ("seccomp: no SCMP_ACT_NOTIFY rule applies on this "
                 "architecture: nothing sent to the listener");
  ret = 0;
out:
  if (plan->listener_fd >= 0)
    {
      close (plan->listener_fd);
      plan->listener_fd = -1;
    }
  return ret;
}
