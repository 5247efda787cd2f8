/* berth migrate --to: the ssh connection to the target host.  The
 * system's ssh client runs the target side (berth on that host) with its
 * stdin and stdout as the wire (migrate-wire.h): everything between the
 * hosts, the images' pages included, is authenticated and encrypted by
 * ssh, and nothing listens on either host.  The user's ssh config, keys
 * and agent apply; BatchMode: a password prompt fails instead of hanging.  */
#ifndef BERTH_SSH_TRANSPORT_H
#define BERTH_SSH_TRANSPORT_H

#include <sys/types.h>

#include "base/error.h"
#include "libcontainer/criu/migrate-wire.h"

typedef struct ssh_link
{
  pid_t pid;         /* ssh; -1 when not running */
  migrate_wire wire; /* ssh's stdout and stdin */
} ssh_link;

/* Starts `ssh DEST -- ARGV...` (each word quoted for the far side's
   shell).  DEST is [USER@]HOST and must not start with '-'.  */
int ssh_link_open (ssh_link *l, const char *dest, char *const *argv,
                   berth_error **err);

/* Closes our ends and waits for ssh: its exit status (255: ssh's own
   failure), -1 when it died of a signal.  `kill_first`: SIGTERM first,
   for a target that must go now.  */
int ssh_link_close (ssh_link *l, int kill_first);

/* Pure (unit-tested): `s` quoted for a POSIX shell ('...', with ' as
   '\'').  */
char *shell_quote (const char *s);

#endif
