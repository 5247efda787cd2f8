/* berth: the one error type carried up every call.
 *
 * A function that can fail has the shape
 *     int f (..., berth_error **err);
 * and returns < 0 with *err set on failure, >= 0 on success.  Callers add
 * context with berth_error_wrap() on the way up; the CLI prints it once.  */
#ifndef BERTH_ERROR_H
#define BERTH_ERROR_H

#include <stdarg.h>

/* What a caller may need to act on besides the message.  */
typedef enum berth_error_kind
{
  BERTH_ERROR_GENERIC = 0,
  BERTH_ERROR_NOT_FOUND,   /* the container does not exist (delete --force
                              is then done) */
  BERTH_ERROR_HOOK,        /* a create-phase hook failed: runtime.md says
                              the lifecycle goes on at poststop */
} berth_error_kind;

typedef struct berth_error
{
  int errnum;  /* errno of the failing syscall, 0 when not a syscall error */
  berth_error_kind kind;
  char *msg;   /* "context: context: what failed" */
} berth_error;

/* Sets *err to "<fmt>: strerror(errnum)" (or just "<fmt>" when errnum is 0).
   Always returns -1 so it can end a statement: return berth_error_set (...).  */
int berth_error_set (berth_error **err, int errnum, const char *fmt, ...)
    __attribute__ ((format (printf, 3, 4)));

/* berth_error_set with a kind other than BERTH_ERROR_GENERIC.  */
int berth_error_set_kind (berth_error **err, berth_error_kind kind,
                          const char *fmt, ...)
    __attribute__ ((format (printf, 3, 4)));

/* Gives the error already in *err the kind `kind`.  Returns -1, so a
   failing site can end with: return berth_error_as (err, kind).  */
int berth_error_as (berth_error **err, berth_error_kind kind);

/* The kind of err (BERTH_ERROR_GENERIC for NULL).  */
berth_error_kind berth_error_kind_of (const berth_error *err);

/* Same as berth_error_set with errnum = errno.  */
int berth_error_sys (berth_error **err, const char *fmt, ...)
    __attribute__ ((format (printf, 2, 3)));

/* Prefixes an existing error with "<fmt>: ".  Returns -1.  */
int berth_error_wrap (berth_error **err, const char *fmt, ...)
    __attribute__ ((format (printf, 2, 3)));

void berth_error_free (berth_error *err);

/* Releases *err and sets it to NULL (for recoverable errors).  */
void berth_error_clear (berth_error **err);

#endif
