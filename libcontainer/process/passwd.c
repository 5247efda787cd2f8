/* berth: the bounded lookup in the container's /etc/passwd.  */
#include "libcontainer/process/passwd.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "base/decimal.h"
#include "base/utils.h"

/* One line, NUL-terminated, in place: name:password:uid:gid:gecos:home:shell.
   True when it is `uid`'s entry; *home then gets its home directory.  */
static bool
line_is_uid (char *line, uid_t uid, char **home)
{
  char *fields[7] = { NULL };
  char *s = line;
  const char *p;
  size_t n = 0;
  uint64_t id;

  while (n < 7)
    {
      fields[n++] = s;
      s = strchr (s, ':');
      if (s == NULL)
        break;
      *s++ = '\0';
    }
  if (n < 6 || fields[2][0] == '\0')
    return false;
  /* Digits only, by hand (base/decimal.h): the init reads this.  */
  p = fields[2];
  if (!decimal_scan (&p, &id) || *p != '\0' || id != (uint64_t) uid)
    return false;
  *home = fields[5][0] != '\0' ? xstrdup (fields[5]) : NULL;
  return true;
}

int
passwd_find_home (int fd, const char *name, uid_t uid, size_t max_bytes,
                  char **home, berth_error **err)
{
  cleanup_free char *buf = xmalloc0 (PASSWD_MAX_LINE + 1);
  size_t have = 0, total = 0;

  *home = NULL;
  for (;;)
    {
      /* One byte beyond the limit tells a file of exactly max_bytes from
         a larger one.  */
      size_t want = PASSWD_MAX_LINE - have;
      char *start = buf, *nl;
      ssize_t r;

      if (want > max_bytes + 1 - total)
        want = max_bytes + 1 - total;
      do
        r = read (fd, buf + have, want);
      while (r < 0 && errno == EINTR);
      if (r < 0)
        return berth_error_sys (err, "read %s", name);
      have += (size_t) r;
      total += (size_t) r;
      while ((nl = memchr (start, '\n', (size_t) (buf + have - start))))
        {
          *nl = '\0';
          if (line_is_uid (start, uid, home))
            return 0;
          start = nl + 1;
        }
      if (r == 0)
        {
          /* The last line without a newline.  */
          buf[have] = '\0';
          line_is_uid (start, uid, home);
          return 0;
        }
      if (total > max_bytes)
        {
          bool mib = max_bytes % ((size_t) 1 << 20) == 0;
          return berth_error_set (err, 0,
                                  "%s: no entry for uid %u in its first %zu "
                                  "%s: berth reads no more of it (a bound "
                                  "against a hostile image); set HOME in "
                                  "process.env, or trim the file",
                                  name, (unsigned) uid,
                                  mib ? max_bytes >> 20 : max_bytes,
                                  mib ? "MiB" : "bytes");
        }
      have = (size_t) (buf + have - start);
      memmove (buf, start, have);
      if (have == PASSWD_MAX_LINE)
        return berth_error_set (err, 0,
                                "%s: a line longer than %zu KiB is no "
                                "passwd entry",
                                name, PASSWD_MAX_LINE >> 10);
    }
}
