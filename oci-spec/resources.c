/* berth: a linux.resources document alone (`berth update --resources`).  */
#include "oci-spec/config.h"
#include "oci-spec/parse-util.h"

static void
free_resources (void *r)
{
  oci_free_resources (r);
}

oci_resources *
oci_resources_parse (const char *json, size_t len, const char *name,
                     berth_error **err)
{
  return json_parse_lone_object (json, len, name ? name : "resources",
                                 sizeof (oci_resources), oci_parse_resources,
                                 free_resources, err);
}

void
oci_resources_free (oci_resources *r)
{
  oci_free_resources (r);
}
