/* berth: undoing an update that the kernel refused midway (journal.h).  */
#include "cgroups/journal.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/cleanup.h"
#include "base/utils.h"
#include "cgroups/internal.h"

/* Files holding one line per key (a device, an interface): a write
   changes that key's line only.  `none`: the key's line when it has no
   setting of its own.  */
static const struct
{
  const char *file;
  const char *none;
} keyed[] = {
  { "io.max", "rbps=max wbps=max riops=max wiops=max" },
  { "io.weight", "default" },
  { "io.bfq.weight", "default" },
  { "blkio.throttle.read_bps_device", "0" },
  { "blkio.throttle.write_bps_device", "0" },
  { "blkio.throttle.read_iops_device", "0" },
  { "blkio.throttle.write_iops_device", "0" },
  { "blkio.weight_device", "0" },
  { "blkio.leaf_weight_device", "0" },
  { "blkio.bfq.weight_device", "0" },
  { "rdma.max", "hca_handle=max hca_object=max" },
  { "net_prio.ifpriomap", "0" },
};

static int
keyed_index (const char *file)
{
  for (size_t i = 0; i < sizeof keyed / sizeof keyed[0]; i++)
    if (strcmp (file, keyed[i].file) == 0)
      return (int) i;
  return -1;
}

static char *
dup_n (const char *s, size_t n)
{
  char *out = strndup (s, n);
  if (out == NULL)
    abort ();
  return out;
}

/* The first word of `value`: the key of a keyed write.  */
static char *
key_of (const char *value)
{
  return dup_n (value, strcspn (value, " \t\n"));
}

/* The line of `text` whose first word is `key`, without its newline.  */
static char *
line_of (const char *text, const char *key)
{
  size_t klen = strlen (key);

  for (const char *p = text; p && *p;)
    {
      const char *nl = strchr (p, '\n');
      size_t len = nl ? (size_t) (nl - p) : strlen (p);
      if (len > klen && strncmp (p, key, klen) == 0
          && (p[klen] == ' ' || p[klen] == '\t'))
        return dup_n (p, len);
      p = nl ? nl + 1 : NULL;
    }
  return NULL;
}

char *
cg_journal_undo_value (const char *file, const char *value,
                       const char *current)
{
  int k = keyed_index (file);

  if (k >= 0)
    {
      cleanup_free char *key = key_of (value);
      char *line = line_of (current, key);
      if (line)
        return line;
      /* io.weight and io.bfq.weight list "default N" first and a device
         only once it has a weight of its own.  */
      return xasprintf ("%s %s", key, keyed[k].none);
    }
  if (strcmp (file, "memory.oom_control") == 0)
    {
      uint64_t v;
      if (!cg_kv_get (current, "oom_kill_disable", &v))
        return NULL;
      return xasprintf ("%" PRIu64, v);
    }
  if (strcmp (file, "devices.allow") == 0 || strcmp (file, "devices.deny") == 0)
    return NULL;
  return dup_n (current, strcspn (current, "\n"));
}

static bool
recorded (const cg_journal *j, const char *dir, const char *file,
          const char *value)
{
  cleanup_free char *key = keyed_index (file) >= 0 ? key_of (value) : NULL;

  for (size_t i = 0; i < j->n; i++)
    {
      const cg_journal_entry *e = &j->entries[i];
      if (strcmp (e->dir, dir) != 0 || strcmp (e->file, file) != 0)
        continue;
      if (key == NULL)
        return true;
      {
        cleanup_free char *k = key_of (e->old);
        if (strcmp (k, key) == 0)
          return true;
      }
    }
  return false;
}

int
cg_journal_record (cg_journal *j, const char *dir, const char *file,
                   const char *value, berth_error **err)
{
  cleanup_free char *current = NULL;
  char *old;

  if (recorded (j, dir, file, value))
    return 0;
  if (cg_read (dir, file, &current, err) < 0)
    return berth_error_wrap (err, "read the value to restore on failure");
  old = cg_journal_undo_value (file, value, current);
  if (old == NULL)
    return berth_error_set (err, 0, "%s/%s: cannot be restored if the "
                            "update fails; refused", dir, file);
  j->entries = xrealloc (j->entries, (j->n + 1) * sizeof *j->entries);
  j->entries[j->n++] = (cg_journal_entry){ xstrdup (dir), xstrdup (file),
                                           old };
  return 0;
}

static void
append (char **list, const char *file)
{
  char *next = *list ? xasprintf ("%s, %s", *list, file) : xstrdup (file);
  free (*list);
  *list = next;
}

void
cg_journal_rollback (cg_journal *j, char **restored, char **failed)
{
  cleanup_free bool *again = xmalloc0 ((j->n + 1) * sizeof *again);

  *restored = *failed = NULL;
  for (size_t i = j->n; i-- > 0;)
    {
      berth_error *e = NULL;
      if (cg_write (j->entries[i].dir, j->entries[i].file, j->entries[i].old,
                    &e)
          < 0)
        again[i] = true;
      berth_error_free (e);
    }
  for (size_t i = j->n; i-- > 0;)
    {
      berth_error *e = NULL;
      if (again[i]
          && cg_write (j->entries[i].dir, j->entries[i].file,
                       j->entries[i].old, &e)
                 < 0)
        append (failed, j->entries[i].file);
      else
        append (restored, j->entries[i].file);
      berth_error_free (e);
    }
}

void
cg_journal_release (cg_journal *j)
{
  for (size_t i = 0; i < j->n; i++)
    {
      free (j->entries[i].dir);
      free (j->entries[i].file);
      free (j->entries[i].old);
    }
  free (j->entries);
  free (j->failed_file);
  free (j->failed_value);
  memset (j, 0, sizeof *j);
}

/* A write that the journal records first (internal.h): through *fd
   when `fd` is not NULL (cg_write_fd), else by path.  */
static int
journal_set (const cg_dir *d, int *fd, const char *file, const char *value,
             berth_error **err)
{
  cg_journal *j = d->journal;
  int r;

  if (j && cg_journal_record (j, d->dir, file, value, err) < 0)
    return -1;
  r = fd ? cg_write_fd (fd, d->dir, file, value, err)
         : cg_write (d->dir, file, value, err);
  if (r == 0)
    return 0;
  if (j)
    {
      free (j->failed_file);
      free (j->failed_value);
      j->failed_file = xstrdup (file);
      j->failed_value = xstrdup (value);
      j->failed_errno = (*err)->errnum;
    }
  return -1;
}

int
cg_set (const cg_dir *d, const char *file, const char *value,
        berth_error **err)
{
  return journal_set (d, NULL, file, value, err);
}

int
cg_set_fd (const cg_dir *d, int *fd, const char *file, const char *value,
           berth_error **err)
{
  return journal_set (d, fd, file, value, err);
}

int
cg_setf (const cg_dir *d, const char *file, berth_error **err,
         const char *fmt, ...)
{
  va_list ap;
  cleanup_free char *value = NULL;

  va_start (ap, fmt);
  value = xvasprintf (fmt, ap);
  va_end (ap);
  return cg_set (d, file, value, err);
}
