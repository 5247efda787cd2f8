/* berth: a --log-format json line, as runc writes it (logrus's JSON
 * formatter): {"level":"error","msg":"...","time":"..."}.  conmon and
 * containerd's shim parse it.  */
#ifndef BERTH_OCI_LOG_LINE_H
#define BERTH_OCI_LOG_LINE_H

/* The line with its newline, malloc'd (a berth_log_format_fn of
   base/log.h, installed by main).  */
char *oci_log_line_json (const char *level, const char *msg,
                         const char *time);

#endif
