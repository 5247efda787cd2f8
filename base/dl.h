/* berth: libraries loaded on first use.
 *
 * libsystemd (the systemd cgroup driver) and libcriu (checkpoint and
 * restore) pull in eight shared objects between them (libgcrypt, liblzma,
 * libzstd, liblz4, protobuf-c, ...).  Linked, the dynamic loader maps and
 * relocates them at every start, about 2 ms and 1 MiB of RSS per run, for
 * commands that never use them.  So they are opened only by the code that
 * needs them, and only then.
 *
 * libmnl (netlink: veth, bridge, addresses, qdiscs) and libseccomp
 * likewise: loading each costs every start about 9 calls (open, read,
 * fstat, four mmap, mprotect, close) and its pages, and a container
 * without a network of berth's making (its loopback comes up with one
 * ioctl) or without a seccomp profile (runc's default spec has none)
 * needs none of it.  Unlike the two above they are dependencies of the
 * package (debian/control), not recommendations.
 *
 * libcap too: Debian links it BIND_NOW, so linked it cost every start of
 * every command its mapping (8 calls), ~80 symbol bindings and its
 * constructor's 6 PR_CAPBSET_READ, and `start`, `state`, `kill`,
 * `delete`, `list`, ... never use it.  Every create, run, exec and
 * restore loads it before the clone (libcontainer/process/cap-api.h).
 *
 * Only berth in the host's root may load one: a process inside a
 * container's root (the init after pivot_root, exec's child) would find
 * the container's copy of the library.  Those inherit what their parent
 * loaded before clone (libcontainer/process/scmp-api.h,
 * libcontainer/process/cap-api.h).  */
#ifndef BERTH_DL_H
#define BERTH_DL_H

#include <stddef.h>

#include "base/error.h"

/* Opens `soname` (RTLD_NOW | RTLD_LOCAL; never closed) and resolves each
   of the n `names` into slots[i], all or none.  On failure the error
   names the library, the Debian `package` that ships it and dlerror's
   reason.  Further calls after a success return 0 at once (`*loaded`).  */
int dl_load (const char *soname, const char *package,
             const char *const *names, void **slots, size_t n, int *loaded,
             berth_error **err);

#endif
