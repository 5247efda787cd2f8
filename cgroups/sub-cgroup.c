/* berth: `exec --cgroup`, runc 1.1's sub-cgroups of a container.
 *
 * Each argument is [CONTROLLER[,CONTROLLER...]:]PATH, PATH relative to the
 * container's cgroup.  Without a controller it must be the only argument
 * and names the sub-cgroup in every hierarchy; cgroup v2 takes only that
 * form (one hierarchy).  A controller may be named once.  The sub-cgroup
 * must exist: berth joins it, it never makes one.  */
#include "cgroups/sub-cgroup.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/cleanup.h"
#include "base/utils.h"
#include "cgroups/internal.h"

/* PATH without leading slashes; no "." or ".." component, so the
   sub-cgroup stays below the container's.  */
static int
check_sub_path (const char *arg, const char *path, const char **out,
                berth_error **err)
{
  while (*path == '/')
    path++;
  if (*path == '\0')
    return berth_error_set (err, 0, "exec --cgroup \"%s\": empty path",
                            arg);
  for (const char *p = path; *p;)
    {
      size_t len = strcspn (p, "/");
      if ((len == 1 && p[0] == '.')
          || (len == 2 && p[0] == '.' && p[1] == '.'))
        return berth_error_set (err, 0, "exec --cgroup \"%s\": \".\" and "
                                        "\"..\" are not allowed: the path "
                                        "is below the container's cgroup",
                                arg);
      p += len;
      while (*p == '/')
        p++;
    }
  *out = path;
  return 0;
}

static void
dir_copy (cg_dir *to, const cg_dir *from, const char *sub)
{
  to->controllers = xstrdup (from->controllers);
  to->mountpoint = xstrdup (from->mountpoint);
  to->unified = from->unified;
  if (sub)
    to->path = xasprintf ("%s/%s",
                          strcmp (from->path, "/") == 0 ? "" : from->path,
                          sub);
  else
    to->path = xstrdup (from->path);
  to->dir = xasprintf ("%s%s", to->mountpoint, to->path);
}

typedef struct sub_plan
{
  const char **subs; /* per hierarchy of m: the sub path, or NULL */
  char **names;      /* controllers given so far */
  size_t n_names;
} sub_plan;

static void
sub_plan_release (sub_plan *p)
{
  for (size_t k = 0; k < p->n_names; k++)
    free (p->names[k]);
  free (p->names);
  free (p->subs);
}

/* One CONTROLLER[,CONTROLLER...]:PATH argument (v1).  */
static int
plan_controllers (const cg_manager *m, const char *arg, const char *colon,
                  sub_plan *plan, berth_error **err)
{
  cleanup_free char *ctrls = NULL;
  const char *path;
  char *save = NULL;

  if (strchr (colon + 1, ':'))
    return berth_error_set (err, 0, "exec --cgroup \"%s\": expected "
                                    "[CONTROLLER[,CONTROLLER...]:]PATH",
                            arg);
  if (m->base.mode == CGROUP_MODE_UNIFIED)
    return berth_error_set (err, 0, "exec --cgroup \"%s\": cgroup v2 has "
                                    "one hierarchy: give the path without "
                                    "a controller",
                            arg);
  if (check_sub_path (arg, colon + 1, &path, err) < 0)
    return -1;
  ctrls = xasprintf ("%.*s", (int) (colon - arg), arg);
  if (ctrls[0] == '\0' || ctrls[0] == ',' || ctrls[strlen (ctrls) - 1] == ','
      || strstr (ctrls, ",,"))
    return berth_error_set (err, 0, "exec --cgroup \"%s\": empty controller "
                                    "name",
                            arg);
  for (char *c = strtok_r (ctrls, ",", &save); c;
       c = strtok_r (NULL, ",", &save))
    {
      const cg_dir *d = cg_v1_dir (m, c);
      size_t h;

      for (size_t k = 0; k < plan->n_names; k++)
        if (strcmp (plan->names[k], c) == 0)
          return berth_error_set (err, 0, "exec --cgroup: controller \"%s\" "
                                          "is given more than once",
                                  c);
      if (d == NULL)
        return berth_error_set (err, 0, "exec --cgroup \"%s\": no cgroup "
                                        "hierarchy has the controller "
                                        "\"%s\"",
                                arg, c);
      h = (size_t) (d - m->dirs);
      /* Co-mounted controllers (cpu,cpuacct) share one directory: they
         cannot go to two places.  */
      if (plan->subs[h] && strcmp (plan->subs[h], path) != 0)
        return berth_error_set (err, 0, "exec --cgroup: \"%s\" shares its "
                                        "hierarchy (%s) with a controller "
                                        "given another path",
                                c, d->controllers);
      plan->subs[h] = path;
      plan->names = xrealloc (plan->names,
                              (plan->n_names + 1) * sizeof (char *));
      plan->names[plan->n_names++] = xstrdup (c);
    }
  return 0;
}

static int
plan_build (const cg_manager *m, char *const *args, size_t n,
            sub_plan *plan, berth_error **err)
{
  for (size_t i = 0; i < n; i++)
    {
      const char *colon = strchr (args[i], ':');
      const char *path;

      if (colon)
        {
          if (plan_controllers (m, args[i], colon, plan, err) < 0)
            return -1;
          continue;
        }
      /* As runc: the form without a controller goes alone.  */
      if (n != 1)
        return berth_error_set (err, 0, "exec --cgroup \"%s\": a "
                                        "CONTROLLER: prefix is needed when "
                                        "--cgroup is given more than once",
                                args[i]);
      if (check_sub_path (args[i], args[i], &path, err) < 0)
        return -1;
      for (size_t d = 0; d < m->n_dirs; d++)
        plan->subs[d] = path;
    }
  return 0;
}

cgroup_manager *
cgroup_manager_sub (const cgroup_manager *base, char *const *args, size_t n,
                    berth_error **err)
{
  const cg_manager *m = (const cg_manager *) base;
  sub_plan plan = { .subs = xmalloc0 ((m->n_dirs + 1) * sizeof (char *)) };
  cg_manager *out;

  if (plan_build (m, args, n, &plan, err) < 0)
    {
      sub_plan_release (&plan);
      return NULL;
    }
  out = xmalloc0 (sizeof *out);
  out->base.ops = base->ops;
  out->base.mode = base->mode;
  out->dirs = xmalloc0 ((m->n_dirs + 1) * sizeof (cg_dir));
  out->n_dirs = m->n_dirs;
  for (size_t d = 0; d < m->n_dirs; d++)
    dir_copy (&out->dirs[d], &m->dirs[d], plan.subs[d]);
  for (size_t d = 0; d < out->n_dirs; d++)
    {
      struct stat st;
      if (plan.subs[d] == NULL)
        continue;
      if (stat (out->dirs[d].dir, &st) < 0 || !S_ISDIR (st.st_mode))
        {
          if (errno == 0)
            errno = ENOTDIR;
          berth_error_sys (err, "exec --cgroup: sub-cgroup %s",
                           out->dirs[d].dir);
          cg_manager_release (&out->base);
          out = NULL;
          break;
        }
    }
  sub_plan_release (&plan);
  return out ? &out->base : NULL;
}
