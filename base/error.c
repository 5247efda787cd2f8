#include "base/error.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *
vformat (const char *fmt, va_list ap)
{
  char *s = NULL;
  if (vasprintf (&s, fmt, ap) < 0)
    return NULL;
  return s;
}

static int
set_error (berth_error **err, int errnum, const char *fmt, va_list ap)
{
  berth_error *e;
  char *base;

  if (err == NULL)
    return -1;
  /* Keep the first error: a cleanup path must not hide the real cause.  */
  if (*err != NULL)
    return -1;
  e = calloc (1, sizeof (*e));
  if (e == NULL)
    abort ();
  base = vformat (fmt, ap);
  if (base == NULL)
    abort ();
  e->errnum = errnum;
  if (errnum != 0)
    {
      if (asprintf (&e->msg, "%s: %s", base, strerror (errnum)) < 0)
        abort ();
      free (base);
    }
  else
    e->msg = base;
  *err = e;
  return -1;
}

int
berth_error_set (berth_error **err, int errnum, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  set_error (err, errnum, fmt, ap);
  va_end (ap);
  return -1;
}

int
berth_error_set_kind (berth_error **err, berth_error_kind kind,
                      const char *fmt, ...)
{
  bool fresh = err != NULL && *err == NULL;
  va_list ap;

  va_start (ap, fmt);
  set_error (err, 0, fmt, ap);
  va_end (ap);
  if (fresh)
    (*err)->kind = kind;
  return -1;
}

int
berth_error_as (berth_error **err, berth_error_kind kind)
{
  if (err != NULL && *err != NULL)
    (*err)->kind = kind;
  return -1;
}

berth_error_kind
berth_error_kind_of (const berth_error *err)
{
  return err ? err->kind : BERTH_ERROR_GENERIC;
}

int
berth_error_sys (berth_error **err, const char *fmt, ...)
{
  int saved = errno;
  va_list ap;
  va_start (ap, fmt);
  set_error (err, saved, fmt, ap);
  va_end (ap);
  errno = saved;
  return -1;
}

int
berth_error_wrap (berth_error **err, const char *fmt, ...)
{
  va_list ap;
  char *prefix, *msg;

  if (err == NULL || *err == NULL)
    return -1;
  va_start (ap, fmt);
  prefix = vformat (fmt, ap);
  va_end (ap);
  if (prefix == NULL)
    abort ();
  if (asprintf (&msg, "%s: %s", prefix, (*err)->msg) < 0)
    abort ();
  free (prefix);
  free ((*err)->msg);
  (*err)->msg = msg;
  return -1;
}

void
berth_error_free (berth_error *err)
{
  if (err == NULL)
    return;
  free (err->msg);
  free (err);
}

void
berth_error_clear (berth_error **err)
{
  if (err == NULL)
    return;
  berth_error_free (*err);
  *err = NULL;
}
