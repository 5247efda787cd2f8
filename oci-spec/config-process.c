/* berth: config.json "process".  Capability names, rlimit types and CPU
 * lists stay strings: libcontainer checks them against the real libraries
 * and the running kernel.  */
#include <stdlib.h>

#include "base/utils.h"
#include "oci-spec/parse-util.h"

static const char *const sched_policies[]
    = { "SCHED_OTHER", "SCHED_FIFO",  "SCHED_RR",       "SCHED_BATCH",
        "SCHED_ISO",   "SCHED_IDLE",  "SCHED_DEADLINE", NULL };

static const char *const sched_flags[]
    = { "SCHED_FLAG_RESET_ON_FORK",  "SCHED_FLAG_RECLAIM",
        "SCHED_FLAG_DL_OVERRUN",     "SCHED_FLAG_KEEP_POLICY",
        "SCHED_FLAG_KEEP_PARAMS",    "SCHED_FLAG_UTIL_CLAMP_MIN",
        "SCHED_FLAG_UTIL_CLAMP_MAX", NULL };

static const char *const ioprio_classes[]
    = { "IOPRIO_CLASS_RT", "IOPRIO_CLASS_BE", "IOPRIO_CLASS_IDLE", NULL };

static int
parse_console_size (json_ctx *c, yajl_val obj, oci_process *p)
{
  if (json_field_u32 (c, obj, "height", &p->console_height, NULL) < 0
      || json_field_u32 (c, obj, "width", &p->console_width, NULL) < 0)
    return -1;
  p->has_console_size = true;
  return 0;
}

static int
parse_user (json_ctx *c, yajl_val obj, oci_user *u)
{
  if (json_field_u32 (c, obj, "uid", &u->uid, NULL) < 0
      || json_field_u32 (c, obj, "gid", &u->gid, NULL) < 0
      || json_field_u32 (c, obj, "umask", &u->umask, &u->has_umask) < 0
      || json_field_u32_array (c, obj, "additionalGids", &u->additional_gids,
                               &u->n_additional_gids) < 0
      || json_field_string (c, obj, "username", false, &u->username) < 0)
    return -1;
  return 0;
}

static int
parse_capabilities (json_ctx *c, yajl_val obj, void *out)
{
  oci_capabilities *caps = out;
  if (json_field_string_array (c, obj, "bounding", &caps->bounding,
                               &caps->n_bounding) < 0
      || json_field_string_array (c, obj, "effective", &caps->effective,
                                  &caps->n_effective) < 0
      || json_field_string_array (c, obj, "inheritable", &caps->inheritable,
                                  &caps->n_inheritable) < 0
      || json_field_string_array (c, obj, "permitted", &caps->permitted,
                                  &caps->n_permitted) < 0
      || json_field_string_array (c, obj, "ambient", &caps->ambient,
                                  &caps->n_ambient) < 0)
    return -1;
  return 0;
}

static int
parse_rlimit (json_ctx *c, yajl_val obj, void *out)
{
  oci_rlimit *r = out;
  if (json_field_string (c, obj, "type", true, &r->type) < 0
      || json_field_u64 (c, obj, "soft", &r->soft, NULL) < 0
      || json_field_u64 (c, obj, "hard", &r->hard, NULL) < 0)
    return -1;
  return 0;
}

static int
parse_scheduler (json_ctx *c, yajl_val obj, void *out)
{
  oci_scheduler *s = out;
  if (json_field_enum (c, obj, "policy", true, sched_policies,
                       "scheduler policy", &s->policy) < 0
      || json_field_i32 (c, obj, "nice", &s->nice, &s->has_nice) < 0
      || json_field_i32 (c, obj, "priority", &s->priority, &s->has_priority)
             < 0
      || json_field_enum_array (c, obj, "flags", sched_flags,
                                "scheduler flag", &s->flags, &s->n_flags) < 0
      || json_field_u64 (c, obj, "runtime", &s->runtime, &s->has_runtime) < 0
      || json_field_u64 (c, obj, "deadline", &s->deadline, &s->has_deadline)
             < 0
      || json_field_u64 (c, obj, "period", &s->period, &s->has_period) < 0)
    return -1;
  return 0;
}

static int
parse_io_priority (json_ctx *c, yajl_val obj, void *out)
{
  oci_io_priority *io = out;
  if (json_field_enum (c, obj, "class", true, ioprio_classes,
                       "I/O priority class", &io->class) < 0
      || json_field_i32 (c, obj, "priority", &io->priority, NULL) < 0)
    return -1;
  return 0;
}

static int
parse_cpu_affinity (json_ctx *c, yajl_val obj, void *out)
{
  oci_exec_cpu_affinity *a = out;
  if (json_field_string (c, obj, "initial", false, &a->initial) < 0
      || json_field_string (c, obj, "final", false, &a->final) < 0)
    return -1;
  return 0;
}

int
oci_parse_process (json_ctx *c, yajl_val obj, void *out)
{
  oci_process *p = out;
  yajl_val v;
  bool has;

  if (json_field_bool (c, obj, "terminal", &p->terminal, &has) < 0)
    return -1;

  v = json_get (obj, "consoleSize");
  if (v)
    {
      size_t mark = json_push_field (c, "consoleSize");
      if (json_as_object (c, v) < 0 || parse_console_size (c, v, p) < 0)
        return -1;
      json_pop (c, mark);
    }

  v = json_get (obj, "user");
  if (v)
    {
      size_t mark = json_push_field (c, "user");
      if (json_as_object (c, v) < 0 || parse_user (c, v, &p->user) < 0)
        return -1;
      json_pop (c, mark);
      p->has_user = true;
    }
  p->has_env = json_get (obj, "env") != NULL;

  if (json_field_string_array (c, obj, "args", &p->args, &p->n_args) < 0
      || json_field_string (c, obj, "commandLine", false, &p->command_line)
             < 0
      || json_field_string_array (c, obj, "env", &p->env, &p->n_env) < 0
      || json_field_string (c, obj, "cwd", true, &p->cwd) < 0
      || json_field_object_new (c, obj, "capabilities", &p->capabilities,
                                parse_capabilities) < 0
      || json_field_object_array (c, obj, "rlimits", &p->rlimits,
                                  &p->n_rlimits, parse_rlimit) < 0
      || json_field_bool (c, obj, "noNewPrivileges", &p->no_new_privileges,
                          &p->has_no_new_privileges) < 0
      || json_field_string (c, obj, "apparmorProfile", false,
                            &p->apparmor_profile) < 0
      || json_field_i32 (c, obj, "oomScoreAdj", &p->oom_score_adj,
                         &p->has_oom_score_adj) < 0
      || json_field_string (c, obj, "selinuxLabel", false, &p->selinux_label)
             < 0
      || json_field_object_new (c, obj, "scheduler", &p->scheduler,
                                parse_scheduler) < 0
      || json_field_object_new (c, obj, "ioPriority", &p->io_priority,
                                parse_io_priority) < 0
      || json_field_object_new (c, obj, "execCPUAffinity",
                                &p->exec_cpu_affinity, parse_cpu_affinity)
             < 0)
    return -1;
  return 0;
}

void
oci_free_process (oci_process *p)
{
  size_t i;

  if (p == NULL)
    return;
  free (p->user.additional_gids);
  free (p->user.username);
  oci_strv_free (p->args);
  free (p->command_line);
  oci_strv_free (p->env);
  free (p->cwd);
  if (p->capabilities)
    {
      oci_capabilities *caps = p->capabilities;
      oci_strv_free (caps->bounding);
      oci_strv_free (caps->effective);
      oci_strv_free (caps->inheritable);
      oci_strv_free (caps->permitted);
      oci_strv_free (caps->ambient);
      free (caps);
    }
  for (i = 0; i < p->n_rlimits; i++)
    free (p->rlimits[i].type);
  free (p->rlimits);
  free (p->apparmor_profile);
  free (p->selinux_label);
  if (p->scheduler)
    {
      free (p->scheduler->policy);
      oci_strv_free (p->scheduler->flags);
      free (p->scheduler);
    }
  if (p->io_priority)
    {
      free (p->io_priority->class);
      free (p->io_priority);
    }
  if (p->exec_cpu_affinity)
    {
      free (p->exec_cpu_affinity->initial);
      free (p->exec_cpu_affinity->final);
      free (p->exec_cpu_affinity);
    }
  free (p);
}

static void
free_process (void *p)
{
  oci_free_process (p);
}

oci_process *
oci_process_parse (const char *json, size_t len, const char *name,
                   berth_error **err)
{
  return json_parse_lone_object (json, len, name ? name : "process",
                                 sizeof (oci_process), oci_parse_process,
                                 free_process, err);
}

void
oci_process_free (oci_process *p)
{
  oci_free_process (p);
}
