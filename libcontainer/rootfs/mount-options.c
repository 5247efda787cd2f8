/* berth: mount option strings into MS_* flags, propagation, mount_setattr
 * attributes and the filesystem data string; the checks of config.mounts
 * that need no kernel.  */
#include "libcontainer/rootfs/mount-options.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include "oci-spec/config.h"

enum opt_kind
{
  OPT_SET,        /* MS_* flag on */
  OPT_CLEAR,      /* MS_* flag off */
  OPT_ATIME,      /* one of the three exclusive atime modes on */
  OPT_PROPAGATION,
  OPT_REC_SET,    /* MOUNT_ATTR_* on, recursively */
  OPT_REC_CLEAR,
  OPT_REC_ATIME,  /* recursive atime mode (MOUNT_ATTR__ATIME field) */
  OPT_ATTR_SET,   /* MOUNT_ATTR_* on, this mount only */
  OPT_ATTR_CLEAR,
  OPT_IDMAP,
  OPT_RIDMAP,
  OPT_TMPCOPYUP,
  OPT_DROP,       /* mount(8) userspace-only: never reaches the kernel */
};

struct opt
{
  const char *name;
  enum opt_kind kind;
  unsigned long value;
  /* mount(8)'s fstab options whose meaning is userspace (who may mount):
     taken for the flags they imply, but not a feature of berth.  */
  bool fstab_only;
};

#define MS_ATIME_MODES (MS_NOATIME | MS_RELATIME | MS_STRICTATIME)

static const struct opt opts[] = {
  { "defaults", OPT_CLEAR,
    MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_SYNCHRONOUS },
  { "ro", OPT_SET, MS_RDONLY },
  { "rw", OPT_CLEAR, MS_RDONLY },
  { "nosuid", OPT_SET, MS_NOSUID },
  { "suid", OPT_CLEAR, MS_NOSUID },
  { "nodev", OPT_SET, MS_NODEV },
  { "dev", OPT_CLEAR, MS_NODEV },
  { "noexec", OPT_SET, MS_NOEXEC },
  { "exec", OPT_CLEAR, MS_NOEXEC },
  { "sync", OPT_SET, MS_SYNCHRONOUS },
  { "async", OPT_CLEAR, MS_SYNCHRONOUS },
  { "dirsync", OPT_SET, MS_DIRSYNC },
  { "remount", OPT_SET, MS_REMOUNT },
  { "mand", OPT_SET, MS_MANDLOCK },
  { "nomand", OPT_CLEAR, MS_MANDLOCK },
  { "atime", OPT_CLEAR, MS_NOATIME },
  { "noatime", OPT_ATIME, MS_NOATIME },
  { "diratime", OPT_CLEAR, MS_NODIRATIME },
  { "nodiratime", OPT_SET, MS_NODIRATIME },
  { "relatime", OPT_ATIME, MS_RELATIME },
  { "norelatime", OPT_CLEAR, MS_RELATIME },
  { "strictatime", OPT_ATIME, MS_STRICTATIME },
  { "nostrictatime", OPT_CLEAR, MS_STRICTATIME },
  { "lazytime", OPT_SET, MS_LAZYTIME },
  { "nolazytime", OPT_CLEAR, MS_LAZYTIME },
  { "iversion", OPT_SET, MS_I_VERSION },
  { "noiversion", OPT_CLEAR, MS_I_VERSION },
  { "silent", OPT_SET, MS_SILENT },
  { "loud", OPT_CLEAR, MS_SILENT },
  { "bind", OPT_SET, MS_BIND },
  { "rbind", OPT_SET, MS_BIND | MS_REC },
  /* mount(8): "user" and "users" imply noexec,nosuid,nodev, "owner" and
     "group" nosuid,nodev; the permission part is userspace-only.  */
  { "user", OPT_SET, MS_NOEXEC | MS_NOSUID | MS_NODEV, true },
  { "users", OPT_SET, MS_NOEXEC | MS_NOSUID | MS_NODEV, true },
  { "owner", OPT_SET, MS_NOSUID | MS_NODEV, true },
  { "group", OPT_SET, MS_NOSUID | MS_NODEV, true },
  { "nouser", OPT_DROP, 0 },
  { "auto", OPT_DROP, 0 },
  { "noauto", OPT_DROP, 0 },
  { "nofail", OPT_DROP, 0 },
  { "_netdev", OPT_DROP, 0 },

  { "shared", OPT_PROPAGATION, MS_SHARED },
  { "rshared", OPT_PROPAGATION, MS_SHARED | MS_REC },
  { "slave", OPT_PROPAGATION, MS_SLAVE },
  { "rslave", OPT_PROPAGATION, MS_SLAVE | MS_REC },
  { "private", OPT_PROPAGATION, MS_PRIVATE },
  { "rprivate", OPT_PROPAGATION, MS_PRIVATE | MS_REC },
  { "unbindable", OPT_PROPAGATION, MS_UNBINDABLE },
  { "runbindable", OPT_PROPAGATION, MS_UNBINDABLE | MS_REC },

  { "rro", OPT_REC_SET, MOUNT_ATTR_RDONLY },
  { "rrw", OPT_REC_CLEAR, MOUNT_ATTR_RDONLY },
  { "rnosuid", OPT_REC_SET, MOUNT_ATTR_NOSUID },
  { "rsuid", OPT_REC_CLEAR, MOUNT_ATTR_NOSUID },
  { "rnodev", OPT_REC_SET, MOUNT_ATTR_NODEV },
  { "rdev", OPT_REC_CLEAR, MOUNT_ATTR_NODEV },
  { "rnoexec", OPT_REC_SET, MOUNT_ATTR_NOEXEC },
  { "rexec", OPT_REC_CLEAR, MOUNT_ATTR_NOEXEC },
  { "rnodiratime", OPT_REC_SET, MOUNT_ATTR_NODIRATIME },
  { "rdiratime", OPT_REC_CLEAR, MOUNT_ATTR_NODIRATIME },
  { "rnosymfollow", OPT_REC_SET, MOUNT_ATTR_NOSYMFOLLOW },
  { "rsymfollow", OPT_REC_CLEAR, MOUNT_ATTR_NOSYMFOLLOW },
  /* The atime mode is one field of mount_attr: "not noatime" and "not
     strictatime" mean the kernel default, relatime; "not relatime" can only
     mean full atime updates, strictatime.  */
  { "rnoatime", OPT_REC_ATIME, MOUNT_ATTR_NOATIME },
  { "ratime", OPT_REC_ATIME, MOUNT_ATTR_RELATIME },
  { "rrelatime", OPT_REC_ATIME, MOUNT_ATTR_RELATIME },
  { "rnorelatime", OPT_REC_ATIME, MOUNT_ATTR_STRICTATIME },
  { "rstrictatime", OPT_REC_ATIME, MOUNT_ATTR_STRICTATIME },
  { "rnostrictatime", OPT_REC_ATIME, MOUNT_ATTR_RELATIME },

  { "nosymfollow", OPT_ATTR_SET, MOUNT_ATTR_NOSYMFOLLOW },
  { "symfollow", OPT_ATTR_CLEAR, MOUNT_ATTR_NOSYMFOLLOW },

  { "idmap", OPT_IDMAP, 0 },
  { "ridmap", OPT_RIDMAP, 0 },
  { "tmpcopyup", OPT_TMPCOPYUP, 0 },
};

/* The first byte before strcmp: the table has some seventy names, a start
   looks up some forty options (in the runtime and again in the init).  */
static const struct opt *
find_opt (const char *name)
{
  for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++)
    if (opts[i].name[0] == name[0] && strcmp (opts[i].name, name) == 0)
      return &opts[i];
  return NULL;
}

/* The buffer is sized for all options up front (see mount_options_parse),
   so appending never reallocates.  */
static void
append_data (char *data, size_t *len, const char *s)
{
  size_t n = strlen (s);
  if (*len)
    data[(*len)++] = ',';
  memcpy (data + *len, s, n + 1);
  *len += n;
}

void
mount_options_parse (char *const *options, size_t n, mount_options *out)
{
  size_t data_len = 0, data_cap = 1;

  memset (out, 0, sizeof *out);
  for (size_t i = 0; i < n; i++)
    if (options[i])
      data_cap += strlen (options[i]) + 1;
  for (size_t i = 0; i < n; i++)
    {
      const char *o = options[i];
      const struct opt *opt;

      if (o == NULL || *o == '\0')
        continue;
      if (strncmp (o, "x-", 2) == 0)
        continue;
      opt = find_opt (o);
      if (opt == NULL)
        {
          if (out->data == NULL)
            {
              out->data = malloc (data_cap);
              if (out->data == NULL)
                abort ();
              out->data[0] = '\0';
            }
          append_data (out->data, &data_len, o);
          continue;
        }
      switch (opt->kind)
        {
        case OPT_SET:
          out->flags |= opt->value;
          out->clear &= ~opt->value;
          break;
        case OPT_CLEAR:
          out->clear |= opt->value;
          out->flags &= ~opt->value;
          break;
        case OPT_ATIME:
          out->flags &= ~MS_ATIME_MODES;
          out->flags |= opt->value;
          out->clear &= ~opt->value;
          break;
        case OPT_PROPAGATION:
          out->propagation = opt->value;
          break;
        case OPT_REC_SET:
          out->rec_attr_set |= opt->value;
          out->rec_attr_clr &= ~(uint64_t) opt->value;
          break;
        case OPT_REC_CLEAR:
          out->rec_attr_clr |= opt->value;
          out->rec_attr_set &= ~(uint64_t) opt->value;
          break;
        case OPT_REC_ATIME:
          out->rec_attr_set &= ~(uint64_t) MOUNT_ATTR__ATIME;
          out->rec_attr_set |= opt->value;
          out->rec_attr_clr |= MOUNT_ATTR__ATIME;
          break;
        case OPT_ATTR_SET:
          out->attr_set |= opt->value;
          out->attr_clr &= ~(uint64_t) opt->value;
          break;
        case OPT_ATTR_CLEAR:
          out->attr_clr |= opt->value;
          out->attr_set &= ~(uint64_t) opt->value;
          break;
        case OPT_IDMAP:
          out->idmap = true;
          break;
        case OPT_RIDMAP:
          out->idmap = true;
          out->idmap_rec = true;
          break;
        case OPT_TMPCOPYUP:
          out->tmpcopyup = true;
          break;
        case OPT_DROP:
          break;
        }
    }
}

const char *
mount_option_name (size_t i)
{
  /* mount(8)'s userspace-only options are accepted only to be ignored:
     not features.  */
  for (size_t j = 0; j < sizeof opts / sizeof opts[0]; j++)
    if (opts[j].kind != OPT_DROP && !opts[j].fstab_only && i-- == 0)
      return opts[j].name;
  return NULL;
}

void
mount_options_free (mount_options *opts)
{
  free (opts->data);
  opts->data = NULL;
}

unsigned long
mount_propagation_flag (const char *name)
{
  const struct opt *opt = name ? find_opt (name) : NULL;
  if (opt == NULL || opt->kind != OPT_PROPAGATION)
    return 0;
  return opt->value;
}

/* ---- /proc -------------------------------------------------------------- */

/* The files lxcfs emulates: the only mounts runc lets into /proc.  */
static const char *const proc_files_allowed[] = {
  "/proc/cpuinfo", "/proc/diskstats", "/proc/meminfo",
  "/proc/stat",    "/proc/swaps",     "/proc/uptime",
  "/proc/loadavg", "/proc/slabinfo",  "/proc/net/dev",
  "/proc/sys/kernel/ns_last_pid",
};

/* `path` made absolute and lexically clean ("//", ".", ".." resolved, ".."
   stopping at "/"), as the destination is taken in the rootfs.  */
static char *
clean_path (const char *path)
{
  size_t len = strlen (path);
  char *out = malloc (len + 2);
  size_t o = 0;
  const char *p = path;

  if (out == NULL)
    abort ();
  while (*p)
    {
      const char *end;
      size_t n;

      while (*p == '/')
        p++;
      end = strchrnul (p, '/');
      n = (size_t) (end - p);
      if (n == 0 || (n == 1 && p[0] == '.'))
        ;
      else if (n == 2 && p[0] == '.' && p[1] == '.')
        {
          while (o > 0 && out[o - 1] != '/')
            o--;
          if (o > 0)
            o--;
        }
      else
        {
          out[o++] = '/';
          memcpy (out + o, p, n);
          o += n;
        }
      p = end;
    }
  if (o == 0)
    out[o++] = '/';
  out[o] = '\0';
  return out;
}

enum mount_proc_place
mount_proc_place (const char *dest)
{
  char *clean = clean_path (dest ? dest : "");
  enum mount_proc_place place = MOUNT_PROC_OUTSIDE;

  if (strcmp (clean, "/proc") == 0)
    place = MOUNT_PROC_ROOT;
  else if (strncmp (clean, "/proc/", 6) == 0)
    {
      place = MOUNT_PROC_INSIDE;
      for (size_t i = 0;
           i < sizeof proc_files_allowed / sizeof proc_files_allowed[0]; i++)
        if (strcmp (clean, proc_files_allowed[i]) == 0)
          place = MOUNT_PROC_ALLOWED_FILE;
    }
  free (clean);
  return place;
}

/* ---- validation before clone -------------------------------------------- */

int
mounts_validate (const oci_config *config, bool userns, berth_error **err)
{
  const oci_linux *lx = config->linux_;

  for (size_t i = 0; i < config->n_mounts; i++)
    {
      const oci_mount *m = &config->mounts[i];
      const char *dest = m->destination ? m->destination : "";
      mount_options o;
      const char *problem = NULL;

      if (m->destination == NULL || *m->destination == '\0')
        return berth_error_set (err, 0, "mounts[%zu]: no destination", i);
      mount_options_parse (m->options, m->n_options, &o);
      if (m->type && strcmp (m->type, "bind") == 0)
        o.flags |= MS_BIND;
      if ((m->n_uid_mappings == 0) != (m->n_gid_mappings == 0))
        problem = "uidMappings and gidMappings must be given together";
      else if (o.idmap && !(o.flags & MS_BIND))
        problem = "idmap is only supported on bind mounts";
      else if (o.idmap && m->n_uid_mappings == 0
               && !(userns && lx && lx->n_uid_mappings
                    && lx->n_gid_mappings))
        problem = "idmap needs uidMappings and gidMappings, in the mount or "
                  "in linux with a user namespace";
      else if (m->n_uid_mappings && !o.idmap)
        problem = "uidMappings need the idmap or ridmap option";
      else if (o.tmpcopyup && !(m->type && strcmp (m->type, "tmpfs") == 0))
        problem = "tmpcopyup is only supported on tmpfs";
      else if ((o.flags & MS_BIND) && (m->source == NULL || !*m->source))
        problem = "a bind mount needs a source";
      else if (!(o.flags & (MS_BIND | MS_REMOUNT))
               && (m->type == NULL || !*m->type))
        problem = "no type";
      else if (!(o.flags & (MS_BIND | MS_REMOUNT))
               && mount_proc_place (dest) == MOUNT_PROC_ROOT
               && strcmp (m->type, "proc") != 0)
        problem = "only a procfs can be mounted on /proc";
      else if (!(o.flags & MS_REMOUNT)
               && mount_proc_place (dest) == MOUNT_PROC_INSIDE)
        problem = "cannot be mounted inside /proc (only over the files lxcfs "
                  "emulates, such as /proc/meminfo)";
      mount_options_free (&o);
      if (problem)
        return berth_error_set (err, 0, "mounts[%zu] (%s): %s", i, dest,
                                problem);
    }
  return 0;
}
