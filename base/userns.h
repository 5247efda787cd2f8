/* berth: is this process in a user namespace other than the host's?  */
#ifndef BERTH_USERNS_H
#define BERTH_USERNS_H

#include <stdbool.h>

/* true when /proc/self/uid_map is not the initial user namespace's
   identity map "0 0 4294967295" (user_namespaces(7)): berth runs inside
   a user namespace, as under rootless podman, whose root is an
   unprivileged user of the host.  An empty map (a namespace whose map is
   not written yet) counts as inside; an unreadable one (no user
   namespaces in this kernel) as outside.  */
bool in_user_namespace (void);

/* The same decision on the text of a uid_map (its first line counts):
   for unit tests.  */
bool uid_map_is_user_namespace (const char *map);

#endif
