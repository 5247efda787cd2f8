#include "base/log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int log_fd = STDERR_FILENO;
static berth_log_format_fn log_format;
static bool log_debug;

int
berth_log_init (const char *path, berth_log_format_fn format, bool debug,
                berth_error **err)
{
  log_format = format;
  log_debug = debug;
  if (path != NULL && path[0] != '\0')
    {
      int fd = open (path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
      if (fd < 0)
        return berth_error_sys (err, "open log file %s", path);
      log_fd = fd;
    }
  return 0;
}

static const char *
level_name (enum berth_log_level level)
{
  switch (level)
    {
    case BERTH_LOG_ERROR:
      return "error";
    case BERTH_LOG_WARN:
      return "warning";
    case BERTH_LOG_INFO:
      return "info";
    default:
      return "debug";
    }
}

static void
emit (enum berth_log_level level, const char *msg)
{
  char *line = NULL;
  int len = -1;

  if (log_format)
    {
      struct timespec ts;
      struct tm tm;
      char when[64], stamp[96];

      clock_gettime (CLOCK_REALTIME, &ts);
      gmtime_r (&ts.tv_sec, &tm);
      strftime (when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);
      snprintf (stamp, sizeof stamp, "%s.%09ldZ", when, ts.tv_nsec);
      line = log_format (level_name (level), msg, stamp);
      len = line ? (int) strlen (line) : -1;
    }
  else if (level == BERTH_LOG_ERROR)
    len = asprintf (&line, "berth: %s\n", msg);
  else
    len = asprintf (&line, "berth: %s: %s\n", level_name (level), msg);
  if (len < 0)
    line = NULL;
  /* One write per line, so lines from the init and the parent never
     interleave within a line.  */
  if (line != NULL && len > 0)
    {
      ssize_t r = write (log_fd, line, (size_t) len);
      (void) r;
    }
  free (line);
}

void
berth_log (enum berth_log_level level, const char *fmt, ...)
{
  va_list ap;
  char *msg = NULL;
  int saved = errno;

  if (level == BERTH_LOG_DEBUG && !log_debug)
    return;
  va_start (ap, fmt);
  if (vasprintf (&msg, fmt, ap) >= 0)
    {
      emit (level, msg);
      free (msg);
    }
  va_end (ap);
  errno = saved;
}

void
berth_log_error (const berth_error *err)
{
  if (err == NULL)
    return;
  emit (BERTH_LOG_ERROR, err->msg);
  /* With --log the caller (conmon, the shim) reads the file; stderr gets
     the error too, as runc's fatal() does.  */
  if (log_fd != STDERR_FILENO)
    dprintf (STDERR_FILENO, "berth: %s\n", err->msg);
}
