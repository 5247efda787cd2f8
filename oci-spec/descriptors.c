/* berth: descriptors.json in and out (oci-spec/descriptors.h).  */
#include "oci-spec/descriptors.h"

#include "base/cleanup.h"
#include "base/utils.h"
#include "oci-spec/json-gen.h"
#include "oci-spec/json-tree.h"
#include "oci-spec/parse-util.h"

char *
oci_descriptors_to_json (char *const *fds, size_t n, size_t *len)
{
  yajl_gen g = json_gen_new (NULL);

  yajl_gen_array_open (g);
  for (size_t i = 0; i < n; i++)
    json_gen_str (g, fds[i]);
  yajl_gen_array_close (g);
  return json_gen_finish (g, len);
}

int
oci_descriptors_parse (const char *json, size_t len, char ***out,
                       berth_error **err)
{
  json_ctx c;
  yajl_val tree;
  cleanup_strv char **v = NULL;
  int ret = -1;

  json_ctx_init (&c, "descriptors.json", err);
  tree = json_load (&c, json, len);
  if (tree == NULL)
    goto out;
  if (!YAJL_IS_ARRAY (tree))
    {
      json_fail (&c, "expected an array of strings");
      goto out;
    }
  v = xmalloc0 (sizeof (char *) * (tree->u.array.len + 1));
  for (size_t i = 0; i < tree->u.array.len; i++)
    {
      size_t mark = json_push_index (&c, i);
      if (json_as_string (&c, tree->u.array.values[i], &v[i]) < 0)
        goto out;
      json_pop (&c, mark);
    }
  *out = steal_pointer (&v);
  ret = 0;
out:
  if (tree)
    json_tree_free (tree);
  json_ctx_fini (&c);
  return ret;
}
