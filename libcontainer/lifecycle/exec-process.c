#include "libcontainer/lifecycle/exec-process.h"

#include <stdlib.h>
#include <string.h>

#include "base/cleanup.h"
#include "base/utils.h"
#include "oci-spec/strv.h"

#define TAKE(dst, src)                                                        \
  do                                                                          \
    {                                                                         \
      if ((dst) == NULL)                                                      \
        (dst) = steal_pointer (&(src));                                       \
    }                                                                         \
  while (0)

/* Fills what the --process file left out from the container's process.  */
static void
fill_from_container (oci_process *p, oci_process *c)
{
  if (!p->has_user)
    {
      p->user = c->user;
      memset (&c->user, 0, sizeof c->user);
      p->has_user = true;
    }
  if (!p->has_env)
    {
      oci_strv_free (p->env);
      p->env = steal_pointer (&c->env);
      p->n_env = c->n_env;
      c->n_env = 0;
      p->has_env = true;
    }
  if (p->n_rlimits == 0)
    {
      free (p->rlimits);
      p->rlimits = steal_pointer (&c->rlimits);
      p->n_rlimits = c->n_rlimits;
      c->n_rlimits = 0;
    }
  if (!p->has_no_new_privileges)
    p->no_new_privileges = c->no_new_privileges;
  if (!p->has_oom_score_adj && c->has_oom_score_adj)
    {
      p->has_oom_score_adj = true;
      p->oom_score_adj = c->oom_score_adj;
    }
  TAKE (p->capabilities, c->capabilities);
  TAKE (p->apparmor_profile, c->apparmor_profile);
  TAKE (p->selinux_label, c->selinux_label);
  TAKE (p->scheduler, c->scheduler);
  TAKE (p->io_priority, c->io_priority);
  TAKE (p->exec_cpu_affinity, c->exec_cpu_affinity);
}

/* Appends `s` to an array of n entries (one block: oci-spec/strv.h).  */
static void
strv_append (char ***v, size_t *n, const char *s)
{
  *v = oci_strv_append (*v, *n, s);
  (*n)++;
}

static int
set_env (oci_process *p, const char *kv, berth_error **err)
{
  const char *eq = strchr (kv, '=');
  size_t klen;

  if (eq == NULL || eq == kv)
    return berth_error_set (err, 0, "--env: \"%s\" is not KEY=VALUE", kv);
  klen = (size_t) (eq - kv) + 1;
  /* Replaced in place: with the key twice, getenv would find the first.  */
  for (size_t i = 0; i < p->n_env; i++)
    if (strncmp (p->env[i], kv, klen) == 0)
      {
        p->env = oci_strv_set (p->env, p->n_env, i, kv);
        return 0;
      }
  strv_append (&p->env, &p->n_env, kv);
  return 0;
}

static void
add_cap (char ***set, size_t *n, const char *cap)
{
  for (size_t i = 0; i < *n; i++)
    if (strcasecmp ((*set)[i], cap) == 0)
      return;
  strv_append (set, n, cap);
}

static int
apply_overrides (oci_process *p, const exec_overrides *o, berth_error **err)
{
  if (o->n_args)
    {
      oci_strv_free (p->args);
      p->args = oci_strv_new ((const char *const *) o->args, o->n_args);
      p->n_args = o->n_args;
    }
  if (o->cwd)
    {
      free (p->cwd);
      p->cwd = xstrdup (o->cwd);
    }
  for (size_t i = 0; i < o->n_env; i++)
    if (set_env (p, o->env[i], err) < 0)
      return -1;
  if (o->has_uid)
    p->user.uid = o->uid;
  if (o->has_gid)
    p->user.gid = o->gid;
  if (o->n_additional_gids)
    {
      oci_user *u = &p->user;
      u->additional_gids
          = xrealloc (u->additional_gids,
                      (u->n_additional_gids + o->n_additional_gids)
                          * sizeof (uint32_t));
      memcpy (u->additional_gids + u->n_additional_gids, o->additional_gids,
              o->n_additional_gids * sizeof (uint32_t));
      u->n_additional_gids += o->n_additional_gids;
    }
  if (o->n_caps)
    {
      oci_capabilities *c = p->capabilities;
      if (c == NULL)
        c = p->capabilities = xmalloc0 (sizeof *c);
      /* Not inheritable nor ambient: what an exec'd program passes on to
         its own children stays what the container's config says.  */
      for (size_t i = 0; i < o->n_caps; i++)
        {
          add_cap (&c->bounding, &c->n_bounding, o->caps[i]);
          add_cap (&c->effective, &c->n_effective, o->caps[i]);
          add_cap (&c->permitted, &c->n_permitted, o->caps[i]);
        }
    }
  if (o->no_new_privs)
    p->no_new_privileges = true;
  if (o->apparmor)
    {
      free (p->apparmor_profile);
      p->apparmor_profile = xstrdup (o->apparmor);
    }
  if (o->process_label)
    {
      free (p->selinux_label);
      p->selinux_label = xstrdup (o->process_label);
    }
  if (o->tty)
    p->terminal = true;
  return 0;
}

oci_process *
exec_process_build (oci_process **file, oci_process **container,
                    const exec_overrides *o, berth_error **err)
{
  oci_process *p;

  if (*file)
    {
      p = steal_pointer (file);
      if (*container)
        fill_from_container (p, *container);
    }
  else
    {
      if (*container == NULL)
        {
          berth_error_set (err, 0, "the container's config.json has no "
                                   "process to take defaults from: use "
                                   "--process");
          return NULL;
        }
      p = steal_pointer (container);
      /* The container's command is not a default for exec (as runc).  */
      oci_strv_free (p->args);
      p->args = NULL;
      p->n_args = 0;
      free (p->command_line);
      p->command_line = NULL;
      p->terminal = false;
    }
  if (apply_overrides (p, o, err) < 0)
    {
      oci_process_free (p);
      return NULL;
    }
  return p;
}
