/* berth: config.json, the document level: ociVersion, root, mounts,
 * hostname, hooks, annotations; process and linux have their own files.  */
#include "oci-spec/config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "base/utils.h"
#include "oci-spec/json-tree.h"
#include "oci-spec/parse-util.h"

static const char *const hook_kind_names[OCI_HOOK_KINDS] = {
  [OCI_HOOK_PRESTART] = "prestart",
  [OCI_HOOK_CREATE_RUNTIME] = "createRuntime",
  [OCI_HOOK_CREATE_CONTAINER] = "createContainer",
  [OCI_HOOK_START_CONTAINER] = "startContainer",
  [OCI_HOOK_POSTSTART] = "poststart",
  [OCI_HOOK_POSTSTOP] = "poststop",
};

const char *
oci_hook_kind_name (oci_hook_kind kind)
{
  if ((unsigned) kind >= OCI_HOOK_KINDS)
    return NULL;
  return hook_kind_names[kind];
}

static int
check_version (json_ctx *c, const char *v)
{
  /* Any 1.x: "1.0.0", "1.2.1", "1.0.2-dev".  */
  if (v[0] == '1' && v[1] == '.' && v[2] >= '0' && v[2] <= '9')
    return 0;
  cleanup_free char *q = json_quote (v);
  json_push_field (c, "ociVersion");
  return json_fail (c, "unsupported version %s (berth supports 1.x)", q);
}

static int
parse_root (json_ctx *c, yajl_val obj, oci_root *root)
{
  bool has_readonly;
  if (json_field_string (c, obj, "path", true, &root->path) < 0
      || json_field_bool (c, obj, "readonly", &root->readonly, &has_readonly)
             < 0)
    return -1;
  return 0;
}

static int
parse_mount (json_ctx *c, yajl_val obj, void *out)
{
  oci_mount *m = out;
  if (json_field_string (c, obj, "destination", true, &m->destination) < 0
      || json_field_string (c, obj, "type", false, &m->type) < 0
      || json_field_string (c, obj, "source", false, &m->source) < 0
      || json_field_string_array (c, obj, "options", &m->options,
                                  &m->n_options) < 0
      || json_field_id_mappings (c, obj, "uidMappings", &m->uid_mappings,
                                 &m->n_uid_mappings) < 0
      || json_field_id_mappings (c, obj, "gidMappings", &m->gid_mappings,
                                 &m->n_gid_mappings) < 0)
    return -1;
  return 0;
}

static int
parse_hook (json_ctx *c, yajl_val obj, void *out)
{
  oci_hook *h = out;
  if (json_field_string (c, obj, "path", true, &h->path) < 0
      || json_field_string_array (c, obj, "args", &h->args, &h->n_args) < 0
      || json_field_string_array (c, obj, "env", &h->env, &h->n_env) < 0
      || json_field_i32 (c, obj, "timeout", &h->timeout, &h->has_timeout)
             < 0)
    return -1;
  if (h->has_timeout && h->timeout <= 0)
    {
      json_push_field (c, "timeout");
      return json_fail (c, "must be greater than zero");
    }
  return 0;
}

static int
parse_hooks (json_ctx *c, yajl_val obj, oci_hooks *hooks)
{
  int k;
  for (k = 0; k < OCI_HOOK_KINDS; k++)
    if (json_field_object_array (c, obj, hook_kind_names[k], &hooks->hooks[k],
                                 &hooks->n_hooks[k], parse_hook)
        < 0)
      return -1;
  return 0;
}

static int
parse_document (json_ctx *c, yajl_val doc, oci_config *cfg)
{
  yajl_val v;

  if (!YAJL_IS_OBJECT (doc))
    return json_fail (c, "expected a JSON object");

  if (json_field_string (c, doc, "ociVersion", true, &cfg->oci_version) < 0
      || check_version (c, cfg->oci_version) < 0)
    return -1;

  v = json_get (doc, "root");
  if (v)
    {
      size_t mark = json_push_field (c, "root");
      if (json_as_object (c, v) < 0 || parse_root (c, v, &cfg->root) < 0)
        return -1;
      json_pop (c, mark);
      cfg->has_root = true;
    }

  if (json_field_object_array (c, doc, "mounts", &cfg->mounts,
                               &cfg->n_mounts, parse_mount) < 0
      || json_field_object_new (c, doc, "process", &cfg->process,
                                oci_parse_process) < 0
      || json_field_string (c, doc, "hostname", false, &cfg->hostname) < 0
      || json_field_string (c, doc, "domainname", false, &cfg->domainname)
             < 0)
    return -1;

  v = json_get (doc, "hooks");
  if (v)
    {
      size_t mark = json_push_field (c, "hooks");
      if (json_as_object (c, v) < 0 || parse_hooks (c, v, &cfg->hooks) < 0)
        return -1;
      json_pop (c, mark);
    }

  if (json_field_string_map (c, doc, "annotations", &cfg->annotations,
                             &cfg->n_annotations) < 0
      || json_field_object_new (c, doc, "linux", &cfg->linux_,
                                oci_parse_linux) < 0)
    return -1;
  return 0;
}

oci_config *
oci_config_parse (const char *json, size_t len, const char *name,
                  berth_error **err)
{
  json_ctx c;
  yajl_val doc;
  oci_config *cfg;
  int r;

  json_ctx_init (&c, name ? name : "config.json", err);
  doc = json_load (&c, json, len);
  if (doc == NULL)
    {
      json_ctx_fini (&c);
      return NULL;
    }
  cfg = xmalloc0 (sizeof (*cfg));
  r = parse_document (&c, doc, cfg);
  json_tree_free (doc);
  json_ctx_fini (&c);
  if (r < 0)
    {
      oci_config_free (cfg);
      return NULL;
    }
  return cfg;
}

oci_config *
oci_config_parse_file (const char *path, berth_error **err)
{
  cleanup_free char *data = NULL;
  const char *base;
  size_t len = 0;

  if (path == NULL || *path == '\0')
    {
      berth_error_set (err, ENOENT, "open \"\"");
      return NULL;
    }
  /* At most one byte past the cap: enough to tell "too large" without
     reading /dev/zero forever.  */
  if (read_file_at_max (AT_FDCWD, path, OCI_JSON_MAX_SIZE, &data, &len, err)
      < 0)
    return NULL;
  base = strrchr (path, '/');
  base = base && base[1] ? base + 1 : path;
  return oci_config_parse (data, len, base, err);
}

static void
free_mount (oci_mount *m)
{
  free (m->destination);
  free (m->type);
  free (m->source);
  oci_strv_free (m->options);
  free (m->uid_mappings);
  free (m->gid_mappings);
}

static void
free_hook (oci_hook *h)
{
  free (h->path);
  oci_strv_free (h->args);
  oci_strv_free (h->env);
}

void
oci_config_free (oci_config *cfg)
{
  size_t i;
  int k;

  if (cfg == NULL)
    return;
  free (cfg->oci_version);
  free (cfg->root.path);
  for (i = 0; i < cfg->n_mounts; i++)
    free_mount (&cfg->mounts[i]);
  free (cfg->mounts);
  oci_free_process (cfg->process);
  free (cfg->hostname);
  free (cfg->domainname);
  for (k = 0; k < OCI_HOOK_KINDS; k++)
    {
      for (i = 0; i < cfg->hooks.n_hooks[k]; i++)
        free_hook (&cfg->hooks.hooks[k][i]);
      free (cfg->hooks.hooks[k]);
    }
  json_free_kv (cfg->annotations, cfg->n_annotations);
  oci_free_linux (cfg->linux_);
  free (cfg);
}

const char *
oci_config_annotation (const oci_config *cfg, const char *key)
{
  size_t i;
  if (cfg == NULL || key == NULL)
    return NULL;
  for (i = 0; i < cfg->n_annotations; i++)
    if (strcmp (cfg->annotations[i].key, key) == 0)
      return cfg->annotations[i].value;
  return NULL;
}

const oci_namespace *
oci_config_namespace (const oci_config *cfg, oci_ns_type type)
{
  size_t i;
  if (cfg == NULL || cfg->linux_ == NULL)
    return NULL;
  for (i = 0; i < cfg->linux_->n_namespaces; i++)
    if (cfg->linux_->namespaces[i].type == type)
      return &cfg->linux_->namespaces[i];
  return NULL;
}
