/* berth: a linux.resources document alone (`berth update --resources`).  */
#include <stdlib.h>

#include <yajl/yajl_tree.h>

#include "libcontainer/utils.h"
#include "oci-spec/config.h"
#include "oci-spec/parse-util.h"

oci_resources *
oci_resources_parse (const char *json, size_t len, const char *name,
                     berth_error **err)
{
  json_ctx c;
  yajl_val doc;
  oci_resources *r;
  int ret;

  json_ctx_init (&c, name ? name : "resources", err);
  doc = json_load (&c, json, len);
  if (doc == NULL)
    {
      json_ctx_fini (&c);
      return NULL;
    }
  r = xmalloc0 (sizeof (*r));
  ret = json_as_object (&c, doc);
  if (ret == 0)
    ret = oci_parse_resources (&c, doc, r);
  yajl_tree_free (doc);
  json_ctx_fini (&c);
  if (ret < 0)
    {
      oci_free_resources (r);
      return NULL;
    }
  return r;
}

void
oci_resources_free (oci_resources *r)
{
  oci_free_resources (r);
}
