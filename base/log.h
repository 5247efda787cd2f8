/* berth: diagnostics.  Text to stderr by default; with --log FILE to that
 * file; with --log-format json one line per message,
 * {"level":"error","msg":"...","time":"2026-01-02T03:04:05Z"}, as runc
 * writes it (conmon and containerd's shim read it).  */
#ifndef BERTH_LOG_H
#define BERTH_LOG_H

#include <stdbool.h>

#include "base/error.h"

enum berth_log_level
{
  BERTH_LOG_ERROR = 0,
  BERTH_LOG_WARN,
  BERTH_LOG_INFO,
  BERTH_LOG_DEBUG,
};

/* A structured line for one message (--log-format json): `level` "error",
   "warning", "info" or "debug", `time` RFC 3339 UTC.  Returns the malloc'd
   line with its newline.  base/ writes no JSON itself: main installs
   oci-spec's writer (oci_log_line_json).  */
typedef char *(*berth_log_format_fn) (const char *level, const char *msg,
                                      const char *time);

/* Called once by main.  `path` NULL: stderr.  `format` NULL: text lines.
   Returns -1 with *err set when the file cannot be opened.  */
int berth_log_init (const char *path, berth_log_format_fn format, bool debug,
                    berth_error **err);

void berth_log (enum berth_log_level level, const char *fmt, ...)
    __attribute__ ((format (printf, 2, 3)));

#define berth_warn(...) berth_log (BERTH_LOG_WARN, __VA_ARGS__)
#define berth_debug(...) berth_log (BERTH_LOG_DEBUG, __VA_ARGS__)

/* Prints an error once, as "berth: <msg>" (text) or a JSON error line.  */
void berth_log_error (const berth_error *err);

#endif
