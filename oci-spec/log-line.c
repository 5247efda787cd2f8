#include "oci-spec/log-line.h"

#include <stdlib.h>
#include <string.h>

#include "base/utils.h"
#include "oci-spec/json-gen.h"

char *
oci_log_line_json (const char *level, const char *msg, const char *time)
{
  yajl_gen g = json_gen_new (NULL);

  yajl_gen_map_open (g);
  json_gen_str (g, "level");
  json_gen_str (g, level);
  json_gen_str (g, "msg");
  json_gen_str (g, msg);
  json_gen_str (g, "time");
  json_gen_str (g, time);
  yajl_gen_map_close (g);
  return json_gen_finish_line (g);
}
