#include "libcontainer/process/caps.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "base/log.h"
#include "libcontainer/process/procfs.h"

/* Linux's names, by number (linux/capability.h of 6.1).  */
static const char *const cap_names[] = {
  "CHOWN",           "DAC_OVERRIDE",   "DAC_READ_SEARCH", "FOWNER",
  "FSETID",          "KILL",           "SETGID",          "SETUID",
  "SETPCAP",         "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST",
  "NET_ADMIN",       "NET_RAW",        "IPC_LOCK",        "IPC_OWNER",
  "SYS_MODULE",      "SYS_RAWIO",      "SYS_CHROOT",      "SYS_PTRACE",
  "SYS_PACCT",       "SYS_ADMIN",      "SYS_BOOT",        "SYS_NICE",
  "SYS_RESOURCE",    "SYS_TIME",       "SYS_TTY_CONFIG",  "MKNOD",
  "LEASE",           "AUDIT_WRITE",    "AUDIT_CONTROL",   "SETFCAP",
  "MAC_OVERRIDE",    "MAC_ADMIN",      "SYSLOG",          "WAKE_ALARM",
  "BLOCK_SUSPEND",   "AUDIT_READ",     "PERFMON",         "BPF",
  "CHECKPOINT_RESTORE",
};

#define N_CAP_NAMES ((int) (sizeof cap_names / sizeof cap_names[0]))

int
caps_from_name (const char *name, cap_value_t *value)
{
  if (name == NULL || strncasecmp (name, "CAP_", 4) != 0 || name[4] == '\0')
    return -1;
  for (int c = 0; c < N_CAP_NAMES; c++)
    if (strcasecmp (name + 4, cap_names[c]) == 0)
      {
        *value = c;
        return 0;
      }
  return -1;
}

const char *
caps_name (cap_value_t cap, char buf[32])
{
  if (cap >= 0 && cap < N_CAP_NAMES)
    snprintf (buf, 32, "CAP_%s", cap_names[cap]);
  else
    snprintf (buf, 32, "CAP_%d", (int) cap);
  return buf;
}

/* capget and capset of the calling thread, version 3 (two 32-bit words
   per set).  */
static int
caps_get (struct __user_cap_data_struct data[2])
{
  struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };

  memset (data, 0, 2 * sizeof data[0]);
  return (int) syscall (SYS_capget, &hdr, data);
}

static uint64_t
caps_word (uint32_t lo, uint32_t hi)
{
  return (uint64_t) lo | ((uint64_t) hi << 32);
}

/* Whether the running kernel knows capability `c` (what libcap probed
   for all of them at load): PR_CAPBSET_READ answers EINVAL past the
   last one.  */
static bool
kernel_knows_cap (int c)
{
  return prctl (PR_CAPBSET_READ, c, 0, 0, 0) >= 0 || errno != EINVAL;
}

struct named_set
{
  const char *key;
  char **names;
  size_t n;
  uint64_t *mask;
};

static void
list_sets (const oci_capabilities *caps, caps_sets *out,
           struct named_set sets[5])
{
  sets[0] = (struct named_set){ "bounding", caps->bounding, caps->n_bounding,
                                &out->bounding };
  sets[1] = (struct named_set){ "effective", caps->effective,
                                caps->n_effective, &out->effective };
  sets[2] = (struct named_set){ "inheritable", caps->inheritable,
                                caps->n_inheritable, &out->inheritable };
  sets[3] = (struct named_set){ "permitted", caps->permitted,
                                caps->n_permitted, &out->permitted };
  sets[4] = (struct named_set){ "ambient", caps->ambient, caps->n_ambient,
                                &out->ambient };
}

int
caps_parse (const oci_capabilities *caps, caps_sets *out, berth_error **err)
{
  struct named_set sets[5];

  memset (out, 0, sizeof *out);
  if (caps == NULL)
    return 0;
  list_sets (caps, out, sets);
  for (size_t s = 0; s < 5; s++)
    for (size_t i = 0; i < sets[s].n; i++)
      {
        cap_value_t v;
        if (caps_from_name (sets[s].names[i], &v) < 0)
          return berth_error_set (err, 0,
                                  "process.capabilities.%s[%zu]: unknown "
                                  "capability \"%s\"",
                                  sets[s].key, i,
                                  sets[s].names[i] ? sets[s].names[i] : "");
        /* The kernel's capset ABI has 64 bits: nothing past them can be
           set.  */
        if (v >= 64)
          berth_warn ("capability %s is not supported by the running "
                      "kernel: ignored",
                      sets[s].names[i]);
        else
          *sets[s].mask |= CAPS_BIT (v);
      }
  return 0;
}

int
caps_validate (const oci_capabilities *caps, berth_error **err)
{
  caps_sets unused;

  return caps_parse (caps, &unused, err);
}

uint64_t
caps_read_bounding (int proc_fd)
{
  uint64_t bnd = 0;
  procfs_status st;

  if (proc_fd >= 0)
    {
      berth_error *e = NULL;
      if (procfs_read_status (proc_fd, &st, &e) == 0)
        return st.cap_bnd;
      berth_debug ("%s: the bounding set asked per capability", e->msg);
      berth_error_free (e);
    }
  for (int c = 0; c < 64; c++)
    {
      int r = prctl (PR_CAPBSET_READ, c, 0, 0, 0);
      if (r < 0)
        break; /* EINVAL: past the kernel's last capability */
      if (r == 1)
        bnd |= CAPS_BIT (c);
    }
  return bnd;
}

/* The capabilities berth can hand out: those it holds in its permitted set
   and that its bounding set `bnd` still has (a cap outside the bounding set
   can be neither inherited nor gained on execve).  */
static int
grantable_caps (uint64_t bnd, uint64_t *mask, uint64_t *inheritable,
                berth_error **err)
{
  struct __user_cap_data_struct d[2];

  *mask = *inheritable = 0;
  if (caps_get (d) < 0)
    return berth_error_sys (err, "read the process capabilities");
  *mask = caps_word (d[0].permitted, d[1].permitted) & bnd;
  *inheritable = caps_word (d[0].inheritable, d[1].inheritable);
  return 0;
}

int
caps_resolve (const caps_sets *requested, uint64_t bnd, caps_sets *out,
              berth_error **err)
{
  uint64_t grantable, cur_inheritable, dropped, wanted, unknown;
  uint64_t *masks[5] = { &out->bounding, &out->effective, &out->permitted,
                         &out->inheritable, &out->ambient };
  char buf[32];

  *out = *requested;
  wanted = out->bounding | out->effective | out->permitted
           | out->inheritable | out->ambient;
  if (wanted == 0)
    return 0;
  if (grantable_caps (bnd, &grantable, &cur_inheritable, err) < 0)
    return -1;
  /* The permitted set holds only capabilities the kernel knows: only one
     that cannot be granted is asked about, to say why.  */
  unknown = 0;
  for (int c = 0; c < 64; c++)
    if ((wanted & ~grantable & CAPS_BIT (c)) && !kernel_knows_cap (c))
      unknown |= CAPS_BIT (c);
  for (int c = 0; c < 64; c++)
    {
      if (!(wanted & CAPS_BIT (c)))
        continue;
      if (unknown & CAPS_BIT (c))
        berth_warn ("capability %s is not supported by the running "
                    "kernel: ignored",
                    caps_name (c, buf));
      else if (!(grantable & CAPS_BIT (c)))
        berth_warn ("capability %s cannot be granted (berth does not "
                    "hold it): ignored",
                    caps_name (c, buf));
    }
  for (size_t s = 0; s < 5; s++)
    *masks[s] &= grantable & ~unknown;

  /* capset(2) takes no inheritable capability that is in neither the
     bounding set nor the inheritable set already.  */
  dropped = out->inheritable & ~out->bounding & ~cur_inheritable;
  for (int c = 0; c < 64; c++)
    if (dropped & CAPS_BIT (c))
      berth_warn ("capability %s cannot be inheritable without being in the "
                  "bounding set: ignored",
                  caps_name (c, buf));
  out->inheritable &= ~dropped;

  dropped = out->ambient & ~(out->permitted & out->inheritable);
  for (int c = 0; c < 64; c++)
    if (dropped & CAPS_BIT (c))
      berth_debug ("ambient capability %s is not in both the permitted and "
                   "inheritable sets: not raised",
                   caps_name (c, buf));
  out->ambient &= ~dropped;
  return 0;
}

int
caps_drop_bounding (uint64_t keep, uint64_t bnd, berth_error **err)
{
  char buf[32];

  /* One PR_CAPBSET_DROP per capability is all the kernel offers; those
     already out of the set need none.  */
  for (int c = 0; c < 64; c++)
    {
      if (!(bnd & CAPS_BIT (c)) || (keep & CAPS_BIT (c)))
        continue;
      if (prctl (PR_CAPBSET_DROP, c, 0, 0, 0) < 0)
        return berth_error_sys (err, "drop %s from the bounding set",
                                caps_name (c, buf));
    }
  return 0;
}

int
caps_set_process (uint64_t effective, uint64_t permitted,
                  uint64_t inheritable, berth_error **err)
{
  struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
  struct __user_cap_data_struct d[2] = {
    { (uint32_t) effective, (uint32_t) permitted, (uint32_t) inheritable },
    { (uint32_t) (effective >> 32), (uint32_t) (permitted >> 32),
      (uint32_t) (inheritable >> 32) },
  };

  if (syscall (SYS_capset, &hdr, d) < 0)
    return berth_error_sys (err,
                            "set capabilities (effective %#llx, permitted "
                            "%#llx, inheritable %#llx)",
                            (unsigned long long) effective,
                            (unsigned long long) permitted,
                            (unsigned long long) inheritable);
  return 0;
}

int
caps_set_ambient (uint64_t ambient, berth_error **err)
{
  char buf[32];

  if (prctl (PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
    {
      /* A kernel without ambient capabilities (< 4.3) has nothing to
         clear.  */
      if (errno == EINVAL && ambient == 0)
        return 0;
      return berth_error_sys (err, "clear the ambient capabilities");
    }
  for (int c = 0; c < 64; c++)
    if ((ambient & CAPS_BIT (c))
        && prctl (PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, c, 0, 0) < 0)
      return berth_error_sys (err, "raise ambient capability %s",
                              caps_name (c, buf));
  return 0;
}

bool
caps_have_effective (cap_value_t cap)
{
  struct __user_cap_data_struct d[2];

  if (cap < 0 || cap >= 64 || caps_get (d) < 0)
    return false;
  return (caps_word (d[0].effective, d[1].effective) & CAPS_BIT (cap)) != 0;
}
