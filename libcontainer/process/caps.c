#include "libcontainer/process/caps.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>

#include "base/log.h"
#include "libcontainer/process/cap-api.h"
#include "libcontainer/process/procfs.h"

int
caps_from_name (const char *name, cap_value_t *value)
{
  if (!cap_api_loaded () || name == NULL || strncasecmp (name, "CAP_", 4) != 0
      || name[4] == '\0')
    return -1;
  if (cap_from_name (name, value) < 0)
    return -1;
  return 0;
}

const char *
caps_name (cap_value_t cap, char buf[32])
{
  char *name;
  size_t i;

  /* Only a message's name: without libcap, the number.  */
  if (!cap_api_loaded ())
    {
      snprintf (buf, 32, "CAP_%d", (int) cap);
      return buf;
    }
  name = cap_to_name (cap);

  /* libcap names the capabilities it knows "cap_chown" and the others by
     number.  */
  if (name == NULL || strncmp (name, "cap_", 4) != 0
      || strlen (name) >= 32)
    snprintf (buf, 32, "CAP_%d", (int) cap);
  else
    {
      for (i = 0; name[i]; i++)
        buf[i] = (char) toupper ((unsigned char) name[i]);
      buf[i] = '\0';
    }
  cap_free (name);
  return buf;
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
  if (cap_api_require (err) < 0)
    return -1;
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
           set, whatever libcap knows.  */
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

/* The number of capabilities the running kernel knows (libcap asked it
   once, at load); without libcap (the caller did not check
   cap_api_require), the ones berth was built with.  */
static int
kernel_cap_bits (void)
{
  return cap_api_loaded () ? (int) cap_max_bits () : CAP_LAST_CAP + 1;
}

uint64_t
caps_read_bounding (int proc_fd)
{
  int max = kernel_cap_bits ();
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
  for (int c = 0; c < max && c < 64; c++)
    if (prctl (PR_CAPBSET_READ, c, 0, 0, 0) == 1)
      bnd |= CAPS_BIT (c);
  return bnd;
}

uint64_t
caps_full_bounding (void)
{
  int max = kernel_cap_bits ();

  return max >= 64 ? ~UINT64_C (0) : (UINT64_C (1) << max) - 1;
}

/* The capabilities berth can hand out: those it holds in its permitted set
   and that its bounding set `bnd` still has (a cap outside the bounding set
   can be neither inherited nor gained on execve).  */
static int
grantable_caps (int max, uint64_t bnd, const procfs_status *known,
                uint64_t *mask, uint64_t *inheritable, berth_error **err)
{
  cap_t cur;

  *mask = *inheritable = 0;
  if (known)
    {
      uint64_t kernel = max >= 64 ? ~UINT64_C (0)
                                  : ~(~UINT64_C (0) << max);
      *mask = known->cap_prm & bnd & kernel;
      *inheritable = known->cap_inh & kernel;
      return 0;
    }
  cur = cap_get_proc ();
  if (cur == NULL)
    return berth_error_sys (err, "read the process capabilities");
  for (int c = 0; c < max && c < 64; c++)
    {
      cap_flag_value_t v = CAP_CLEAR;
      if (cap_get_flag (cur, c, CAP_PERMITTED, &v) == 0 && v == CAP_SET
          && (bnd & CAPS_BIT (c)))
        *mask |= CAPS_BIT (c);
      if (cap_get_flag (cur, c, CAP_INHERITABLE, &v) == 0 && v == CAP_SET)
        *inheritable |= CAPS_BIT (c);
    }
  cap_free (cur);
  return 0;
}

int
caps_resolve (const caps_sets *requested, uint64_t bnd,
              const procfs_status *known, caps_sets *out, berth_error **err)
{
  uint64_t grantable, cur_inheritable, dropped, wanted, unknown;
  uint64_t *masks[5] = { &out->bounding, &out->effective, &out->permitted,
                         &out->inheritable, &out->ambient };
  int max;
  char buf[32];

  *out = *requested;
  wanted = out->bounding | out->effective | out->permitted
           | out->inheritable | out->ambient;
  if (wanted == 0)
    return 0;
  if (cap_api_require (err) < 0)
    return -1;
  max = cap_max_bits ();
  if (grantable_caps (max, bnd, known, &grantable, &cur_inheritable, err)
      < 0)
    return -1;
  unknown = max >= 64 ? 0 : ~UINT64_C (0) << max;
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

static int
add_flags (cap_t c, cap_flag_t flag, uint64_t mask)
{
  for (int v = 0; v < 64; v++)
    if (mask & CAPS_BIT (v))
      {
        cap_value_t val = v;
        if (cap_set_flag (c, flag, 1, &val, CAP_SET) < 0)
          return -1;
      }
  return 0;
}

int
caps_set_process (uint64_t effective, uint64_t permitted,
                  uint64_t inheritable, berth_error **err)
{
  cap_t c;
  int ret = 0;

  if (cap_api_require (err) < 0)
    return -1;
  c = cap_init ();
  if (c == NULL)
    return berth_error_sys (err, "cap_init");
  if (add_flags (c, CAP_EFFECTIVE, effective) < 0
      || add_flags (c, CAP_PERMITTED, permitted) < 0
      || add_flags (c, CAP_INHERITABLE, inheritable) < 0)
    ret = berth_error_sys (err, "cap_set_flag");
  else if (cap_set_proc (c) < 0)
    ret = berth_error_sys (err,
                           "set capabilities (effective %#llx, permitted "
                           "%#llx, inheritable %#llx)",
                           (unsigned long long) effective,
                           (unsigned long long) permitted,
                           (unsigned long long) inheritable);
  cap_free (c);
  return ret;
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
  cap_flag_value_t v = CAP_CLEAR;
  cap_t cur;

  if (!cap_api_loaded ())
    return false;
  cur = cap_get_proc ();
  if (cur == NULL)
    return false;
  if (cap_get_flag (cur, cap, CAP_EFFECTIVE, &v) < 0)
    v = CAP_CLEAR;
  cap_free (cur);
  return v == CAP_SET;
}
