/* berth: config.json "linux.seccomp".  Action, architecture, flag and
 * operator names stay strings: libcontainer/process/seccomp.c resolves them with
 * libseccomp, which knows what this machine supports.  */
#include <stdlib.h>

#include "base/utils.h"
#include "oci-spec/parse-util.h"

static int
parse_arg (json_ctx *c, yajl_val obj, void *out)
{
  oci_seccomp_arg *a = out;
  if (json_field_u32 (c, obj, "index", &a->index, NULL) < 0
      || json_field_u64 (c, obj, "value", &a->value, NULL) < 0
      || json_field_u64 (c, obj, "valueTwo", &a->value_two,
                         &a->has_value_two) < 0
      || json_field_string (c, obj, "op", true, &a->op) < 0)
    return -1;
  return 0;
}

static int
parse_syscall (json_ctx *c, yajl_val obj, void *out)
{
  oci_seccomp_syscall *s = out;

  if (json_get (obj, "names") == NULL)
    return json_field_missing (c, "names");
  if (json_field_string_array (c, obj, "names", &s->names, &s->n_names) < 0)
    return -1;
  if (s->n_names == 0)
    {
      json_push_field (c, "names");
      return json_fail (c, "expected at least one syscall name");
    }
  if (json_field_string (c, obj, "action", true, &s->action) < 0
      || json_field_u32 (c, obj, "errnoRet", &s->errno_ret,
                         &s->has_errno_ret) < 0
      || json_field_object_array (c, obj, "args", &s->args, &s->n_args,
                                  parse_arg) < 0)
    return -1;
  return 0;
}

int
oci_parse_seccomp (json_ctx *c, yajl_val obj, void *out)
{
  oci_seccomp *s = out;
  if (json_field_string (c, obj, "defaultAction", true, &s->default_action)
          < 0
      || json_field_u32 (c, obj, "defaultErrnoRet", &s->default_errno_ret,
                         &s->has_default_errno_ret) < 0
      || json_field_string_array (c, obj, "architectures",
                                  &s->architectures, &s->n_architectures) < 0
      || json_field_string_array (c, obj, "flags", &s->flags, &s->n_flags)
             < 0
      || json_field_string (c, obj, "listenerPath", false, &s->listener_path)
             < 0
      || json_field_string (c, obj, "listenerMetadata", false,
                            &s->listener_metadata) < 0
      || json_field_object_array (c, obj, "syscalls", &s->syscalls,
                                  &s->n_syscalls, parse_syscall) < 0)
    return -1;
  return 0;
}

void
oci_free_seccomp (oci_seccomp *s)
{
  size_t i, j;

  if (s == NULL)
    return;
  free (s->default_action);
  oci_strv_free (s->architectures);
  oci_strv_free (s->flags);
  free (s->listener_path);
  free (s->listener_metadata);
  for (i = 0; i < s->n_syscalls; i++)
    {
      oci_seccomp_syscall *sc = &s->syscalls[i];
      oci_strv_free (sc->names);
      free (sc->action);
      for (j = 0; j < sc->n_args; j++)
        free (sc->args[j].op);
      free (sc->args);
    }
  free (s->syscalls);
  free (s);
}
