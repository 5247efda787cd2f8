/* berth: writes into procfs through a handle berth opened and verified
 * itself.
 *
 * A path such as /proc/self/attr/exec or /proc/sys/kernel/x is only as
 * trustworthy as the mounts along it: a bind mount or a tmpfs over /proc
 * (from the image, a volume, or a racing container on a shared mount)
 * would take the write somewhere else (CVE-2019-16884, CVE-2023-27561,
 * CVE-2025-52881).  So every write starts from the host's procfs fd opened
 * before any mount of the container (container_ctx.host_proc_fd), resolves
 * beneath it without crossing a mount or following a magic link, and checks
 * that the file it got is on procfs.  */
#ifndef BERTH_PROCFS_H
#define BERTH_PROCFS_H

#include <stddef.h>
#include <stdint.h>

#include "base/error.h"

#ifndef PROC_SUPER_MAGIC
#define PROC_SUPER_MAGIC 0x9fa0
#endif

/* Opens `rel` ("thread-self/attr/exec", "sys/kernel/domainname") beneath
   the procfs dirfd `proc_fd` (from procfs_open_root, which checked it
   is procfs): RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV,
   so the result is on that same procfs mount.  Returns an fd
   (O_CLOEXEC added) or -1 with *err naming /proc/<rel>.  */
int procfs_open (int proc_fd, const char *rel, int flags, berth_error **err);

/* procfs_open (O_WRONLY) and one write of `value` (procfs takes a value in
   one write).  */
int procfs_write (int proc_fd, const char *rel, const char *value,
                  size_t len, berth_error **err);

/* The host's /proc as an O_PATH handle, refused unless it is procfs
   (nothing mounted over it): everything written through it (sysctl,
   attr/exec, /proc/self/fd) reaches the real procfs.  */
int procfs_open_root (berth_error **err);

/* The masks of /proc/thread-self/status a start acts on: the signals
   ignored and caught (inherited from berth's caller and berth), the
   bounding, inheritable and permitted sets, and the ids.  One read,
   where asking the kernel took one rt_sigaction per signal, one
   PR_CAPBSET_READ per capability, capget and the get*id calls.  */
typedef struct procfs_status
{
  uint64_t sig_ign;  /* SigIgn: bit n-1 = signal n */
  uint64_t sig_cgt;  /* SigCgt */
  uint64_t cap_bnd;  /* CapBnd: bit n = capability n */
  uint64_t cap_inh;  /* CapInh */
  uint64_t cap_prm;  /* CapPrm */
  unsigned int euid, fsuid; /* Uid: real, effective, saved, filesystem */
  unsigned int egid, fsgid; /* Gid: the same */
  unsigned int umask; /* Umask (octal); PROCFS_NO_UMASK before Linux 4.7 */
} procfs_status;

#define PROCFS_NO_UMASK 0xffffffffu

/* Reads thread-self/status beneath `proc_fd` (procfs_open).  Fails when a
   field is missing or unreadable.  */
int procfs_read_status (int proc_fd, procfs_status *st, berth_error **err);

/* The same from the text of a status file (procfs_read_status's parse).  */
int procfs_parse_status (const char *text, procfs_status *st,
                         berth_error **err);

/* Whether `fd` is on procfs.  */
int procfs_check_fd (int fd, const char *what, berth_error **err);

#endif
