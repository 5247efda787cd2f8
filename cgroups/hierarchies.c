/* berth: the cgroup hierarchies of a process (see hierarchies.h).
 *
 * Every run, create and exec on a v1 or hybrid host parses these two
 * texts, so the parse works on them in place: a field is a span of the
 * text, the cgroup mounts are found by their type without splitting the
 * rest of the mount table, and the answer is built in one allocation once
 * its size is known.  */
#include "cgroups/hierarchies.h"

#include <stdlib.h>
#include <string.h>

#include "base/cleanup.h"
#include "base/mountinfo.h"
#include "base/utils.h"

/* Bytes of a text being parsed, not NUL-terminated.  */
typedef struct span
{
  const char *s;
  size_t n;
} span;

static span
span_of (const char *s)
{
  return (span){ s, strlen (s) };
}

static bool
span_eq (span a, span b)
{
  return a.n == b.n && memcmp (a.s, b.s, a.n) == 0;
}

static bool
span_is (span a, const char *s)
{
  return span_eq (a, span_of (s));
}

/* ---- comma-separated lists ("rw,cpu,cpuacct") ------------------------ */

/* The first item of *rest into *item, *rest moved past it and its comma:
   false when nothing is left.  An item may be empty (",," or a leading
   comma); the callers pass over those.  */
static bool
next_item (span *rest, span *item)
{
  const char *comma;
  size_t used;

  if (rest->n == 0)
    return false;
  comma = memchr (rest->s, ',', rest->n);
  item->s = rest->s;
  item->n = comma ? (size_t) (comma - rest->s) : rest->n;
  used = item->n + (comma ? 1 : 0);
  rest->s += used;
  rest->n -= used;
  return true;
}

static bool
list_has (span list, span name)
{
  span item;

  while (next_item (&list, &item))
    if (span_eq (item, name))
      return true;
  return false;
}

/* Every controller of "cpu,cpuacct" is among a mount's super options.  */
static bool
super_holds (span super, span controllers)
{
  span c;

  while (next_item (&controllers, &c))
    if (c.n > 0 && !list_has (super, c))
      return false;
  return true;
}

/* A hierarchy berth joins: one with a real controller, or name=systemd
   (as runc, so that systemd tools see the container).  */
static bool
wanted_v1 (span controllers)
{
  span c;

  while (next_item (&controllers, &c))
    if (c.n > 0
        && (c.n < 5 || memcmp (c.s, "name=", 5) != 0
            || span_is (c, "name=systemd")))
      return true;
  return false;
}

/* ---- /proc/<pid>/cgroup ---------------------------------------------- */

/* One line: "id:controllers:path" (the path may hold colons and
   spaces).  */
typedef struct proc_line
{
  span controllers;  /* "" on the cgroup2 line */
  span path;
} proc_line;

/* The next non-empty line of the text at *p into *l, *p moved past it:
   1, or 0 at the end of the text, or -1 for a line without its two
   colons.  */
static int
proc_line_next (const char **p, proc_line *l, berth_error **err)
{
  for (;;)
    {
      const char *line = *p, *end, *c1, *c2 = NULL;

      if (*line == '\0')
        return 0;
      end = strchrnul (line, '\n');
      *p = *end ? end + 1 : end;
      if (end == line)
        continue;
      c1 = memchr (line, ':', (size_t) (end - line));
      if (c1)
        c2 = memchr (c1 + 1, ':', (size_t) (end - c1 - 1));
      if (c2 == NULL)
        return berth_error_set (err, 0,
                                "/proc/self/cgroup: malformed line \"%.*s\"",
                                (int) (end - line), line);
      l->controllers = (span){ c1 + 1, (size_t) (c2 - c1 - 1) };
      l->path = (span){ c2 + 1, (size_t) (end - c2 - 1) };
      return 1;
    }
}

/* ---- /proc/<pid>/mountinfo ------------------------------------------- */

/* A cgroup or cgroup2 mount.  root and point are as the kernel writes
   them, \ooo escapes and all; they are decoded when copied out.  */
typedef struct cg_mount
{
  span root, point;
  span super;  /* the super options: "rw,cpu,cpuacct" */
  bool v2;
} cg_mount;

/* The next field of [*p, end), *p moved past it: fields are split at
   spaces, a run of them counting as one.  false when none is left.  */
static bool
next_field (const char **p, const char *end, span *f)
{
  const char *s = *p;

  while (s < end && *s == ' ')
    s++;
  if (s == end)
    return false;
  f->s = s;
  while (s < end && *s != ' ')
    s++;
  f->n = (size_t) (s - f->s);
  *p = s;
  return true;
}

/* The fields of the line [line, end) whose " - " separator is at `sep`:
   "id parent major:minor root point options [optional...] - fstype
   source super".  false for a type other than cgroup and cgroup2, or
   for too few fields.  */
static bool
mount_fields (const char *line, const char *sep, const char *end,
              cg_mount *m)
{
  const char *p = line;
  span skip, fstype;

  if (!next_field (&p, sep, &skip) || !next_field (&p, sep, &skip)
      || !next_field (&p, sep, &skip) || !next_field (&p, sep, &m->root)
      || !next_field (&p, sep, &m->point))
    return false;
  p = sep + 3;
  if (!next_field (&p, end, &fstype) || !next_field (&p, end, &skip)
      || !next_field (&p, end, &m->super))
    return false;
  m->v2 = span_is (fstype, "cgroup2");
  return m->v2 || span_is (fstype, "cgroup");
}

/* The next cgroup or cgroup2 mount of a mountinfo text from *p (a line's
   start), *p moved past its line.  The kernel writes " - " once per line,
   just before the filesystem type (spaces in paths are escaped): one
   search for " - cgroup" passes over the other mounts, most of a host's
   table, without looking at their lines one by one.  */
static bool
next_cgroup_mount (const char **p, cg_mount *m)
{
  const char *sep;

  while ((sep = strstr (*p, " - cgroup")) != NULL)
    {
      const char *nl = memrchr (*p, '\n', (size_t) (sep - *p));
      const char *line = nl ? nl + 1 : *p;
      const char *end = strchrnul (sep, '\n');

      *p = *end ? end + 1 : end;
      if (mount_fields (line, sep, end, m))
        return true;
    }
  return false;
}

/* ---- matching the two ------------------------------------------------ */

/* A hierarchy of /proc/self/cgroup and the mount found for it so far.  */
typedef struct pick
{
  proc_line line;
  cg_mount mount;
  bool mounted;
} pick;

/* Whether p's mount shows the whole hierarchy: no later one is better.  */
static bool
pick_settled (const pick *p)
{
  return p->mounted && span_is (p->mount.root, "/");
}

/* The first mount showing the whole hierarchy (root "/"), else the first
   at all (a subtree, as a container sees its own).  */
static void
pick_offer (pick *p, const cg_mount *m)
{
  if (!p->mounted || (!pick_settled (p) && span_is (m->root, "/")))
    {
      p->mount = *m;
      p->mounted = true;
    }
}

/* Offers mount m to the hierarchies it holds: a v1 one to the v1 lines
   whose every controller it has, a cgroup2 one to `unified` (NULL when
   not wanted).  */
static void
offer_mount (pick *v1, size_t n, pick *unified, const cg_mount *m)
{
  if (m->v2)
    {
      if (unified)
        pick_offer (unified, m);
      return;
    }
  for (size_t i = 0; i < n; i++)
    if (!pick_settled (&v1[i])
        && super_holds (m->super, v1[i].line.controllers))
      pick_offer (&v1[i], m);
}

static size_t
count_lines (const char *text)
{
  size_t n = 1;

  for (const char *p = text; (p = strchr (p, '\n')) != NULL; p++)
    n++;
  return n;
}

/* The v1 lines of /proc/self/cgroup text berth joins, in its order, into
   *v1 (malloc'd), and its cgroup2 line (the last one naming no
   controller) into *unified, *has_unified telling whether there is one.  */
static int
read_picks (const char *text, pick **v1, size_t *n, pick *unified,
            bool *has_unified, berth_error **err)
{
  const char *p = text;
  proc_line l;
  int r;

  *v1 = xmalloc (count_lines (text) * sizeof **v1);
  *n = 0;
  while ((r = proc_line_next (&p, &l, err)) > 0)
    {
      if (l.controllers.n == 0)
        {
          unified->line = l;
          *has_unified = true;
        }
      else if (wanted_v1 (l.controllers))
        (*v1)[(*n)++] = (pick){ .line = l };
    }
  if (r < 0)
    {
      free (*v1);
      *v1 = NULL;
      *n = 0;
      return -1;
    }
  return 0;
}

/* ---- the list: one block ---------------------------------------------- */

/* A list of n entries, then the zeroed one, then `text` bytes for their
   strings, *w at the first.  */
static cg_hierarchy *
block_alloc (size_t n, size_t text, char **w)
{
  size_t head = (n + 1) * sizeof (cg_hierarchy);
  cg_hierarchy *h = xmalloc (head + text);

  memset (&h[n], 0, sizeof h[n]);
  *w = (char *) h + head;
  return h;
}

/* Copies s to *w as a string, *w moved past it.  */
static char *
put_text (char **w, span s)
{
  char *r = *w;

  memcpy (r, s.s, s.n);
  r[s.n] = '\0';
  *w += s.n + 1;
  return r;
}

/* As put_text, decoding mountinfo's escapes on the way (never longer
   decoded, so put_text's room is enough).  */
static char *
put_unescaped (char **w, span s)
{
  char *r = *w;

  if (memchr (s.s, '\\', s.n) == NULL)
    return put_text (w, s);
  mountinfo_unescape (r, s.s, s.n);
  *w += s.n + 1;
  return r;
}

static size_t
pick_text_size (const pick *p)
{
  return p->line.controllers.n + p->mount.point.n + p->mount.root.n
         + p->line.path.n + 4;
}

static void
put_pick (cg_hierarchy *h, char **w, const pick *p)
{
  h->controllers = put_text (w, p->line.controllers);
  h->mountpoint = put_unescaped (w, p->mount.point);
  h->mount_root = put_unescaped (w, p->mount.root);
  h->own_path = put_text (w, p->line.path);
}

/* The list of the mounted v1 picks, then `unified` (NULL: none).  */
static cg_hierarchy *
picks_list (const pick *v1, size_t n_v1, const pick *unified, size_t *n)
{
  size_t count = 0, text = 0;
  cg_hierarchy *h;
  char *w;

  for (size_t i = 0; i < n_v1; i++)
    if (v1[i].mounted)
      {
        count++;
        text += pick_text_size (&v1[i]);
      }
  if (unified)
    {
      count++;
      text += pick_text_size (unified);
    }
  h = block_alloc (count, text, &w);
  *n = 0;
  for (size_t i = 0; i < n_v1; i++)
    if (v1[i].mounted)
      put_pick (&h[(*n)++], &w, &v1[i]);
  if (unified)
    put_pick (&h[(*n)++], &w, unified);
  return h;
}

/* A new list of h's entries, each own_path from own[i] when `own`.  */
static cg_hierarchy *
list_copy (const cg_hierarchy *h, size_t n, const span *own)
{
  size_t text = 0;
  cg_hierarchy *c;
  char *w;

  for (size_t i = 0; i < n; i++)
    text += strlen (h[i].controllers) + strlen (h[i].mountpoint)
            + strlen (h[i].mount_root)
            + (own ? own[i].n : strlen (h[i].own_path)) + 4;
  c = block_alloc (n, text, &w);
  for (size_t i = 0; i < n; i++)
    {
      c[i].controllers = put_text (&w, span_of (h[i].controllers));
      c[i].mountpoint = put_text (&w, span_of (h[i].mountpoint));
      c[i].mount_root = put_text (&w, span_of (h[i].mount_root));
      c[i].own_path = put_text (&w, own ? own[i] : span_of (h[i].own_path));
    }
  return c;
}

/* ---- the interface ---------------------------------------------------- */

void
cg_hierarchies_free (cg_hierarchy *h, size_t n)
{
  (void) n;
  free (h);
}

cg_hierarchy *
cg_hierarchies_copy (const cg_hierarchy *h, size_t n)
{
  return list_copy (h, n, NULL);
}

int
cg_hierarchies_parse (const char *mountinfo, const char *proc_cgroup,
                      bool want_unified, cg_hierarchy **out, size_t *n,
                      berth_error **err)
{
  cleanup_free pick *v1 = NULL;
  size_t n_v1 = 0;
  pick unified = { 0 };
  bool has_unified = false;
  const char *p = mountinfo;
  cg_mount m;

  if (read_picks (proc_cgroup, &v1, &n_v1, &unified, &has_unified, err) < 0)
    return -1;
  while (next_cgroup_mount (&p, &m))
    offer_mount (v1, n_v1, want_unified ? &unified : NULL, &m);
  if (want_unified && !(has_unified && unified.mounted))
    return berth_error_set (err, 0,
                            "no cgroup2 hierarchy in /proc/self/mountinfo "
                            "and /proc/self/cgroup");
  *out = picks_list (v1, n_v1, want_unified ? &unified : NULL, n);
  return 0;
}

int
cg_hierarchies_set_own_paths (cg_hierarchy **h, size_t n,
                              const char *proc_cgroup, berth_error **err)
{
  cleanup_free span *own = xmalloc0 ((n + 1) * sizeof *own);
  const char *p = proc_cgroup;
  cg_hierarchy *c;
  proc_line l;
  int r;

  while ((r = proc_line_next (&p, &l, err)) > 0)
    for (size_t i = 0; i < n; i++)
      if (own[i].s == NULL && span_is (l.controllers, (*h)[i].controllers))
        own[i] = l.path;
  if (r < 0)
    return -1;
  for (size_t i = 0; i < n; i++)
    if (own[i].s == NULL)
      return berth_error_set (err, 0,
                              "/proc/self/cgroup: no entry for the "
                              "hierarchy \"%s\"",
                              (*h)[i].controllers);
  c = list_copy (*h, n, own);
  cg_hierarchies_free (*h, n);
  *h = c;
  return 0;
}

int
cg_proc_cgroup_v2_path (const char *proc_cgroup, char **out,
                        berth_error **err)
{
  const char *p = proc_cgroup;
  span path = { NULL, 0 };
  proc_line l;
  int r;

  /* The cgroup2 line is the only one without controllers ("0::/x"); the
     whole text is read all the same, so that a malformed line is an
     error wherever it is.  */
  while ((r = proc_line_next (&p, &l, err)) > 0)
    if (l.controllers.n == 0 && path.s == NULL)
      path = l.path;
  if (r < 0)
    return -1;
  if (path.s == NULL)
    return berth_error_set (err, 0,
                            "/proc/self/cgroup: no cgroup2 (\"0::\") entry");
  *out = xmalloc (path.n + 1);
  memcpy (*out, path.s, path.n);
  (*out)[path.n] = '\0';
  return 0;
}
