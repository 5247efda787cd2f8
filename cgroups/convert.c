/* berth: pure conversions and parsers of the cgroup managers (no
 * syscalls; see convert.h).  */
#include "cgroups/convert.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/cleanup.h"
#include "base/decimal.h"
#include "base/utils.h"

/* ---- values ---------------------------------------------------------- */

uint64_t
cg_shares_to_weight (uint64_t shares)
{
  if (shares == 0)
    return 0;
  if (shares < 2)
    shares = 2;
  if (shares > 262144)
    shares = 262144;
  return 1 + ((shares - 2) * 9999) / 262142;
}

uint64_t
cg_blkio_to_io_weight (uint64_t weight)
{
  if (weight == 0)
    return 0;
  if (weight < 10)
    weight = 10;
  if (weight > 1000)
    weight = 1000;
  return 1 + ((weight - 10) * 9999) / 990;
}

char *
cg_limit_str (int64_t v)
{
  if (v == -1)
    return xstrdup ("max");
  return xasprintf ("%" PRId64, v);
}

int
cg_swap_v2 (const oci_memory *mem, char **out, berth_error **err)
{
  int64_t swap = mem->has_swap ? mem->swap : 0;
  int64_t limit = mem->has_limit ? mem->limit : 0;

  *out = NULL;
  if (swap == 0)
    {
      /* Unlimited memory with no word on swap: swap unlimited too, or the
         container could not use the swap its memory no longer bounds.  */
      if (limit == -1)
        *out = xstrdup ("max");
      return 0;
    }
  if (swap == -1)
    {
      *out = xstrdup ("max");
      return 0;
    }
  if (swap < -1)
    return berth_error_set (err, 0,
                            "linux.resources.memory.swap: invalid value "
                            "%" PRId64 " (bytes, or -1 for unlimited)",
                            swap);
  if (limit == 0 || limit == -1)
    return berth_error_set (err, 0,
                            "linux.resources.memory.swap: a swap limit "
                            "needs a memory limit (swap is memory+swap)");
  if (limit < -1)
    return berth_error_set (err, 0,
                            "linux.resources.memory.limit: invalid value "
                            "%" PRId64 " (bytes, or -1 for unlimited)",
                            limit);
  if (swap < limit)
    return berth_error_set (err, 0,
                            "linux.resources.memory.swap: %" PRId64
                            " is below memory.limit %" PRId64
                            " (swap is memory+swap)",
                            swap, limit);
  *out = xasprintf ("%" PRId64, swap - limit);
  return 0;
}

int
cg_parse_u64_max (const char *s, uint64_t *out)
{
  char *end;
  unsigned long long v;

  while (*s == ' ' || *s == '\t' || *s == '\n')
    s++;
  if (strncmp (s, "max", 3) == 0)
    {
      end = (char *) s + 3;
      v = UINT64_MAX;
    }
  else
    {
      if (!isdigit ((unsigned char) *s))
        return -1;
      errno = 0;
      v = strtoull (s, &end, 10);
      if (errno != 0)
        return -1;
    }
  while (*end == ' ' || *end == '\t' || *end == '\n')
    end++;
  if (*end != '\0')
    return -1;
  *out = v;
  return 0;
}

char *
cg_cpu_max (const oci_cpu *cpu, const char *current)
{
  bool has_quota = cpu->has_quota && cpu->quota != 0;
  bool has_period = cpu->has_period && cpu->period != 0;
  char cur_quota[32] = "max", cur_period[32] = "";
  cleanup_free char *quota = NULL;

  if (!has_quota && !has_period)
    return NULL;
  if (current)
    sscanf (current, "%31s %31s", cur_quota, cur_period);
  if (has_quota)
    quota = cpu->quota < 0 ? xstrdup ("max")
                           : xasprintf ("%" PRId64, cpu->quota);
  else
    quota = xstrdup (cur_quota);
  if (has_period)
    return xasprintf ("%s %" PRIu64, quota, cpu->period);
  if (cur_period[0])
    return xasprintf ("%s %s", quota, cur_period);
  return steal_pointer (&quota);
}

int
cg_page_size_parse (const char *s, uint64_t *bytes, char **name,
                    berth_error **err)
{
  static const char units[] = "KMGTP";
  const char *p = s, *u;
  uint64_t n = 0;
  unsigned shift = 0;

  if (s == NULL || !isdigit ((unsigned char) *s))
    goto bad;
  for (; isdigit ((unsigned char) *p); p++)
    {
      if (n > (UINT64_MAX - 9) / 10)
        goto bad;
      n = n * 10 + (uint64_t) (*p - '0');
    }
  if (*p != 'B' && *p != '\0')
    {
      u = strchr (units, *p);
      if (u == NULL || *p == '\0')
        goto bad;
      shift = 10 * (unsigned) (u - units + 1);
      p++;
    }
  if (strcmp (p, "B") != 0 || n == 0)
    goto bad;
  if (n > (UINT64_MAX >> shift))
    goto bad;
  n <<= shift;
  if ((n & (n - 1)) != 0 || n < 1024)
    return berth_error_set (err, 0,
                            "\"%s\" is not a huge page size (a power of two "
                            "of at least 1KB)",
                            s);
  *bytes = n;
  if (name)
    {
      if (n >= (1ULL << 30))
        *name = xasprintf ("%" PRIu64 "GB", n >> 30);
      else if (n >= (1ULL << 20))
        *name = xasprintf ("%" PRIu64 "MB", n >> 20);
      else
        *name = xasprintf ("%" PRIu64 "KB", n >> 10);
    }
  return 0;
bad:
  return berth_error_set (err, 0,
                          "\"%s\" is not a page size of the form "
                          "<size><unit-prefix>B (64KB, 2MB, 1GB)",
                          s ? s : "");
}

/* ---- paths ----------------------------------------------------------- */

char *
cg_path_parent (const char *path)
{
  const char *slash = strrchr (path, '/');
  char *r;
  if (slash == NULL || slash == path)
    return xstrdup ("/");
  r = strndup (path, (size_t) (slash - path));
  if (r == NULL)
    abort ();
  return r;
}

/* "slice:prefix:name": two colons and no slash.  */
static bool
is_systemd_form (const char *p)
{
  const char *c1 = strchr (p, ':');
  const char *c2 = c1 ? strchr (c1 + 1, ':') : NULL;
  return c2 && strchr (c2 + 1, ':') == NULL && strchr (p, '/') == NULL;
}

static void
append (char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
  if (*len + n + 1 > *cap)
    {
      *cap = (*len + n + 1) * 2;
      *buf = xrealloc (*buf, *cap);
    }
  memcpy (*buf + *len, s, n);
  *len += n;
  (*buf)[*len] = '\0';
}

/* Appends the components of `path` to buf ("/c" each), rejecting "..".  */
static int
append_components (char **buf, size_t *len, size_t *cap, const char *path,
                   const char *what, berth_error **err)
{
  const char *p = path;
  while (*p)
    {
      const char *e = strchrnul (p, '/');
      size_t n = (size_t) (e - p);
      if (n == 2 && p[0] == '.' && p[1] == '.')
        return berth_error_set (err, 0,
                                "%s \"%s\": \"..\" components are not allowed",
                                what, path);
      if (n > 0 && !(n == 1 && p[0] == '.'))
        {
          append (buf, len, cap, "/", 1);
          append (buf, len, cap, p, n);
        }
      p = *e ? e + 1 : e;
    }
  return 0;
}

int
cg_resolve_path (const char *cgroups_path, const char *id, const char *base,
                 char **out, berth_error **err)
{
  const char *p = cgroups_path;
  cleanup_free char *buf = NULL;
  size_t len = 0, cap = 0;

  if (p == NULL || *p == '\0')
    {
      if (id == NULL || *id == '\0')
        return berth_error_set (err, 0, "cgroup path: no container id");
      p = id;
    }
  if (strchr (p, ';') || strchr (p, '\n'))
    return berth_error_set (err, 0,
                            "linux.cgroupsPath \"%s\": ';' and newlines are "
                            "not allowed",
                            p);
  if (is_systemd_form (p))
    return berth_error_set (err, 0,
                            "linux.cgroupsPath: systemd cgroup paths need "
                            "--systemd-cgroup");
  append (&buf, &len, &cap, "", 0);
  if (*p != '/' && base
      && append_components (&buf, &len, &cap, base, "cgroup base", err) < 0)
    return -1;
  if (append_components (&buf, &len, &cap, p, "linux.cgroupsPath", err) < 0)
    return -1;
  if (len == 0)
    return berth_error_set (err, 0,
                            "linux.cgroupsPath \"%s\": resolves to the root "
                            "cgroup",
                            p);
  *out = steal_pointer (&buf);
  return 0;
}

/* ---- the kernel's files ---------------------------------------------- */

bool
cg_kv_get (const char *text, const char *key, uint64_t *out)
{
  size_t klen = strlen (key);
  const char *l = text;

  while (l && *l)
    {
      if (strncmp (l, key, klen) == 0 && (l[klen] == ' ' || l[klen] == '\t'))
        {
          char *end;
          const char *v = l + klen;
          while (*v == ' ' || *v == '\t')
            v++;
          if (!isdigit ((unsigned char) *v))
            return false;
          errno = 0;
          *out = strtoull (v, &end, 10);
          return errno == 0;
        }
      l = strchr (l, '\n');
      if (l)
        l++;
    }
  return false;
}

void
cg_kv_all (const char *text, cgroup_stats *s)
{
  for (const char *l = text; l && *l && s->n_memory_raw < CG_STATS_MAX_RAW;)
    {
      size_t klen = strcspn (l, " \t\n");
      const char *v = l + klen;
      char *end;

      while (*v == ' ' || *v == '\t')
        v++;
      if (klen > 0 && klen < sizeof s->memory_raw[0].key
          && isdigit ((unsigned char) *v))
        {
          uint64_t n;
          errno = 0;
          n = strtoull (v, &end, 10);
          if (errno == 0)
            {
              memcpy (s->memory_raw[s->n_memory_raw].key, l, klen);
              s->memory_raw[s->n_memory_raw].key[klen] = '\0';
              s->memory_raw[s->n_memory_raw++].value = n;
            }
        }
      l = strchr (l, '\n');
      if (l)
        l++;
    }
}

/* The entry of device major:minor in s, added when new; NULL when the
   table is full.  */
static cgroup_io_stats *
io_entry (cgroup_stats *s, unsigned major, unsigned minor)
{
  for (size_t i = 0; i < s->n_io; i++)
    if (s->io[i].major == major && s->io[i].minor == minor)
      return &s->io[i];
  if (s->n_io == CG_STATS_MAX_DEVICES)
    return NULL;
  s->io[s->n_io] = (cgroup_io_stats){ .major = major, .minor = minor };
  return &s->io[s->n_io++];
}

void
cg_io_stat_parse (const char *text, cgroup_stats *s)
{
  const char *l = text;

  while (l && *l)
    {
      unsigned major, minor;
      int n = 0;
      cgroup_io_stats *e;

      if (sscanf (l, "%u:%u%n", &major, &minor, &n) == 2
          && (e = io_entry (s, major, minor)) != NULL)
        {
          const char *p = l + n;
          const char *end = strchr (p, '\n');
          while (p && *p && *p != '\n')
            {
              char key[16];
              unsigned long long v;
              int used = 0;
              if (sscanf (p, " %15[a-z]=%llu%n", key, &v, &used) != 2
                  || used == 0)
                break;
              if (strcmp (key, "rbytes") == 0)
                e->read_bytes = v;
              else if (strcmp (key, "wbytes") == 0)
                e->write_bytes = v;
              else if (strcmp (key, "rios") == 0)
                e->read_ios = v;
              else if (strcmp (key, "wios") == 0)
                e->write_ios = v;
              p += used;
              if (end && p > end)
                break;
            }
        }
      l = strchr (l, '\n');
      if (l)
        l++;
    }
}

void
cg_blkio_parse (const char *text, bool bytes, cgroup_stats *s)
{
  const char *l = text;

  while (l && *l)
    {
      unsigned major, minor;
      char op[16];
      unsigned long long v;
      cgroup_io_stats *e;

      /* The last line, "Total N", has no device and does not match.  */
      if (sscanf (l, "%u:%u %15s %llu", &major, &minor, op, &v) == 4
          && (strcmp (op, "Read") == 0 || strcmp (op, "Write") == 0)
          && (e = io_entry (s, major, minor)) != NULL)
        {
          bool rd = strcmp (op, "Read") == 0;
          if (bytes)
            *(rd ? &e->read_bytes : &e->write_bytes) = v;
          else
            *(rd ? &e->read_ios : &e->write_ios) = v;
        }
      l = strchr (l, '\n');
      if (l)
        l++;
    }
}

bool
cg_words_has (const char *list, const char *word)
{
  size_t n = strlen (word);
  const char *p = list;

  while (p && *p)
    {
      while (*p == ' ' || *p == '\n' || *p == '\t')
        p++;
      if (strncmp (p, word, n) == 0
          && (p[n] == '\0' || p[n] == ' ' || p[n] == '\n' || p[n] == '\t'))
        return true;
      p = strpbrk (p, " \n\t");
    }
  return false;
}

bool
cg_controllers_has (const char *controllers, const char *name)
{
  size_t n = strlen (name);
  const char *p = controllers;

  while (p && *p)
    {
      if (strncmp (p, name, n) == 0 && (p[n] == '\0' || p[n] == ','))
        return true;
      p = strchr (p, ',');
      if (p)
        p++;
    }
  return false;
}

int
cg_unified_key_check (const char *key, char **controller, berth_error **err)
{
  static const char *const owned[] = {
    "cgroup.procs",  "cgroup.threads", "cgroup.subtree_control",
    "cgroup.kill",   "cgroup.freeze",  "cgroup.type",
  };
  const char *dot;

  if (key == NULL || *key == '\0' || strchr (key, '/')
      || strcmp (key, ".") == 0 || strcmp (key, "..") == 0)
    return berth_error_set (err, 0,
                            "linux.resources.unified: \"%s\" is not a file "
                            "name of the cgroup",
                            key ? key : "");
  dot = strchr (key, '.');
  if (dot == NULL || dot == key || dot[1] == '\0')
    return berth_error_set (err, 0,
                            "linux.resources.unified: \"%s\" is not a cgroup "
                            "file name (<controller>.<name>)",
                            key);
  for (size_t i = 0; i < sizeof owned / sizeof owned[0]; i++)
    if (strcmp (key, owned[i]) == 0)
      return berth_error_set (err, 0,
                              "linux.resources.unified: \"%s\" is managed by "
                              "the runtime and cannot be set",
                              key);
  *controller = strndup (key, (size_t) (dot - key));
  if (*controller == NULL)
    abort ();
  return 0;
}

typedef struct cg_state_mount
{
  char *controllers, *mountpoint, *mount_root;
} cg_state_mount;

/* One entry of a state string, split in place.  A mount entry goes to
   *mount (its *path NULL), a hierarchy's to *path.  false: malformed.  */
static bool
state_entry_split (char *e, cg_state_mount *mount, char **controllers,
                   char **path)
{
  char *colon = strchr (e, ':');

  *path = NULL;
  if (colon == NULL || colon[1] != '/' || strstr (colon, "/.."))
    return false;
  *colon = '\0';
  if (e[0] != '+')
    {
      *controllers = e;
      *path = colon + 1;
      return true;
    }
  mount->controllers = e + 1;
  mount->mountpoint = strchr (mount->controllers, '@');
  if (mount->mountpoint == NULL || strcmp (colon + 1, "/") != 0)
    return false;
  *mount->mountpoint++ = '\0';
  mount->mount_root = strchr (mount->mountpoint, '@');
  if (mount->mount_root == NULL)
    return false;
  *mount->mount_root++ = '\0';
  return mount->mountpoint[0] == '/' && mount->mount_root[0] == '/'
         && !strstr (mount->mountpoint, "/..")
         && !strstr (mount->mount_root, "/..");
}

/* Both passes of cg_state_parse and cg_state_dir: the hierarchies' and
   the mounts' entries of `copy` (split in place); `strict`: a malformed
   entry is an error, else skipped (the systemd driver's unit entries).  */
static int
state_split_all (char *copy, const char *state, bool strict,
                 cg_state_entry **out, size_t *n, berth_error **err)
{
  cg_state_mount *mounts = NULL;
  size_t n_mounts = 0;
  char *save = NULL;

  *out = NULL;
  *n = 0;
  for (char *e = strtok_r (copy, ";", &save); e;
       e = strtok_r (NULL, ";", &save))
    {
      cg_state_mount m = { 0 };
      char *controllers = NULL, *path;
      if (!state_entry_split (e, &m, &controllers, &path))
        {
          if (!strict)
            continue;
          free (mounts);
          free (*out);
          *out = NULL;
          *n = 0;
          return berth_error_set (err, 0, "cgroup state \"%s\": malformed "
                                  "entry \"%s\"", state, e);
        }
      if (path == NULL)
        {
          mounts = xrealloc (mounts, (n_mounts + 1) * sizeof *mounts);
          mounts[n_mounts++] = m;
          continue;
        }
      *out = xrealloc (*out, (*n + 1) * sizeof **out);
      (*out)[(*n)++] = (cg_state_entry){ .controllers = controllers,
                                         .path = path };
    }
  for (size_t i = 0; i < *n; i++)
    for (size_t j = 0; j < n_mounts; j++)
      if (strcmp ((*out)[i].controllers, mounts[j].controllers) == 0)
        {
          (*out)[i].mountpoint = mounts[j].mountpoint;
          (*out)[i].mount_root = mounts[j].mount_root;
        }
  free (mounts);
  return 0;
}

int
cg_state_parse (const char *state, cg_state_entry **out, size_t *n,
                berth_error **err)
{
  cleanup_free char *copy = xstrdup (state);
  cg_state_entry *e;

  if (state_split_all (copy, state, true, &e, n, err) < 0)
    return -1;
  /* Owned copies: `copy` goes.  */
  for (size_t i = 0; i < *n; i++)
    {
      e[i].controllers = xstrdup (e[i].controllers);
      e[i].path = xstrdup (e[i].path);
      e[i].mountpoint = e[i].mountpoint ? xstrdup (e[i].mountpoint) : NULL;
      e[i].mount_root = e[i].mount_root ? xstrdup (e[i].mount_root) : NULL;
    }
  *out = e;
  return 0;
}

void
cg_state_entries_free (cg_state_entry *e, size_t n)
{
  for (size_t i = 0; i < n; i++)
    {
      free (e[i].controllers);
      free (e[i].path);
      free (e[i].mountpoint);
      free (e[i].mount_root);
    }
  free (e);
}

char *
cg_state_dir (const char *state, const char *controllers,
              const char *fallback_mount)
{
  cleanup_free char *copy = xstrdup (state);
  cleanup_free cg_state_entry *e = NULL;
  size_t n = 0;

  state_split_all (copy, state, false, &e, &n, NULL);
  for (size_t i = 0; i < n; i++)
    if (strcmp (e[i].controllers, controllers) == 0)
      return e[i].mountpoint ? cg_hierarchy_dir (e[i].mountpoint,
                                                 e[i].mount_root, e[i].path)
                             : xasprintf ("%s%s", fallback_mount, e[i].path);
  return NULL;
}

char *
cg_hierarchy_dir (const char *mountpoint, const char *mount_root,
                  const char *path)
{
  size_t rl;
  if (mount_root && strcmp (mount_root, "/") != 0)
    {
      rl = strlen (mount_root);
      if (strncmp (path, mount_root, rl) == 0
          && (path[rl] == '/' || path[rl] == '\0'))
        path += rl;
    }
  if (strcmp (path, "/") == 0)
    path = "";
  return xasprintf ("%s%s", mountpoint, path);
}

/* ---- devices ------------------------------------------------------------ */

static void
push_rule (cg_dev_program *p, char type, int64_t major, int64_t minor,
           unsigned access, bool allow)
{
  p->rules = xrealloc (p->rules, (p->n_rules + 1) * sizeof *p->rules);
  p->rules[p->n_rules++] = (cg_dev_rule){ .type = type,
                                          .major = major,
                                          .minor = minor,
                                          .access = access,
                                          .allow = allow };
}

static int
dev_number (bool has, int64_t v, size_t i, const char *what, int64_t *out,
            berth_error **err)
{
  if (!has || v == -1)
    {
      *out = -1;
      return 0;
    }
  if (v < 0 || v > UINT32_MAX)
    return berth_error_set (err, 0,
                            "linux.resources.devices[%zu].%s: invalid device "
                            "number %" PRId64,
                            i, what, v);
  *out = v;
  return 0;
}

unsigned
cg_dev_access_bits (const char *access, bool *unknown)
{
  unsigned bits = 0;

  if (unknown)
    *unknown = false;
  for (const char *a = access; *a; a++)
    switch (*a)
      {
      case 'r': bits |= CG_DEV_READ; break;
      case 'w': bits |= CG_DEV_WRITE; break;
      case 'm': bits |= CG_DEV_MKNOD; break;
      default:
        if (unknown)
          *unknown = true;
      }
  return bits;
}

int
cg_dev_compile (const oci_device_cgroup *devs, size_t n, cg_dev_program *out,
                berth_error **err)
{
  cg_dev_program p = { .has_reset = false, .default_allow = true };

  for (size_t i = 0; i < n; i++)
    {
      const oci_device_cgroup *d = &devs[i];
      char type = d->type ? d->type : 'a';
      unsigned access = 0;
      int64_t major = -1, minor = -1;

      if (type != 'a' && type != 'b' && type != 'c')
        {
          cg_dev_program_free (&p);
          return berth_error_set (err, 0,
                                  "linux.resources.devices[%zu].type: \"%c\" "
                                  "is not a, b or c",
                                  i, type);
        }
      if (d->access == NULL || d->access[0] == '\0')
        access = CG_DEV_READ | CG_DEV_WRITE | CG_DEV_MKNOD;
      else if ((access = cg_dev_access_bits (d->access, NULL)) == 0)
        {
          /* runc takes such a rule too, and then fails to apply it ("the
             resulting devices cgroup doesn't precisely match").  */
          cg_dev_program_free (&p);
          return berth_error_set (err, 0,
                                  "linux.resources.devices[%zu].access: "
                                  "\"%s\" has none of r, w and m",
                                  i, d->access);
        }
      if (dev_number (d->has_major, d->major, i, "major", &major, err) < 0
          || dev_number (d->has_minor, d->minor, i, "minor", &minor, err) < 0)
        {
          cg_dev_program_free (&p);
          return -1;
        }
      if (type == 'a' && major == -1 && minor == -1
          && access == (CG_DEV_READ | CG_DEV_WRITE | CG_DEV_MKNOD))
        {
          /* Everything before an "all devices, all access" rule is moot.  */
          free (p.rules);
          p.rules = NULL;
          p.n_rules = 0;
          p.has_reset = true;
          p.default_allow = d->allow;
          continue;
        }
      if (type == 'a')
        {
          push_rule (&p, 'b', major, minor, access, d->allow);
          push_rule (&p, 'c', major, minor, access, d->allow);
        }
      else
        push_rule (&p, type, major, minor, access, d->allow);
    }
  *out = p;
  return 0;
}

void
cg_dev_program_free (cg_dev_program *p)
{
  free (p->rules);
  p->rules = NULL;
  p->n_rules = 0;
}

bool
cg_dev_check (const cg_dev_program *p, char type, uint32_t major,
              uint32_t minor, unsigned access)
{
  for (unsigned bit = 1; bit <= CG_DEV_WRITE; bit <<= 1)
    {
      bool verdict = p->default_allow;
      if (!(access & bit))
        continue;
      for (size_t i = p->n_rules; i-- > 0;)
        {
          const cg_dev_rule *r = &p->rules[i];
          if (r->type == type && (r->major == -1 || r->major == major)
              && (r->minor == -1 || r->minor == minor) && (r->access & bit))
            {
              verdict = r->allow;
              break;
            }
        }
      if (!verdict)
        return false;
    }
  return true;
}

char *
cg_dev_rule_v1 (const cg_dev_rule *r)
{
  /* "c 4294967295:4294967295 rwm", at most two 20-digit numbers, each
     written by hand (base/decimal.h: a start writes some ten rules);
     decimal_format's NUL lands where the next character goes.  */
  char rule[2 + 20 + 1 + 20 + 1 + 3 + 1], *o = rule;

  *o++ = r->type;
  *o++ = ' ';
  if (r->major >= 0)
    o += decimal_format (o, (uint64_t) r->major);
  else
    *o++ = '*';
  *o++ = ':';
  if (r->minor >= 0)
    o += decimal_format (o, (uint64_t) r->minor);
  else
    *o++ = '*';
  *o++ = ' ';
  if (r->access & CG_DEV_READ)
    *o++ = 'r';
  if (r->access & CG_DEV_WRITE)
    *o++ = 'w';
  if (r->access & CG_DEV_MKNOD)
    *o++ = 'm';
  *o = '\0';
  return xstrdup (rule);
}
