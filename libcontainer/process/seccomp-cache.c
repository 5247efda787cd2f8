/* Compiled seccomp filters, cached: an engine's default profile costs
   libseccomp about 14 ms of CPU to compile, every container, for the same
   few hundred rules.

   One file per program, named by the hex key, in <root>/.seccomp-cache
   (root-owned, 0700):
     magic "BERTHSF1" | key (32) | n (u32) | 0 (u32) | SHA-256 of insns (32)
     | insns (n * 8)
   Written to a temp file and renamed, so a reader sees a whole entry or
   none.  Read with O_NOFOLLOW; an entry not ours (owner, mode, type), of
   the wrong size, another key or a program whose hash does not match is
   ignored and replaced by a fresh compile, never loaded.  */
#include "libcontainer/process/scmp-api.h"
#include "libcontainer/process/seccomp-cache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "base/log.h"
#include "base/sha256.h"
#include "base/utils.h"
#include "libcontainer/process/seccomp.h"

#ifndef BERTH_VERSION
#define BERTH_VERSION "unknown"
#endif
#ifndef BERTH_COMMIT
#define BERTH_COMMIT "unknown"
#endif

#define MAGIC "BERTHSF1"
/* Temp files left by a berth that died mid-write go after this long.  */
#define STALE_TMP_SECONDS 60
/* A hit refreshes the entry's mtime (the eviction's age) at most this
   often.  */
#define TOUCH_SECONDS 60

struct entry_header
{
  char magic[8];
  unsigned char key[SHA256_DIGEST_LEN];
  uint32_t n;
  uint32_t zero;
  unsigned char sum[SHA256_DIGEST_LEN];
};

/* ---- the key ------------------------------------------------------------- */

static void
put_u64 (sha256_ctx *c, uint64_t v)
{
  unsigned char b[8];
  for (int i = 0; i < 8; i++)
    b[i] = (unsigned char) (v >> (8 * i));
  sha256_update (c, b, sizeof b);
}

/* Length-prefixed, NULL apart from "": no two sections encode alike.  */
static void
put_str (sha256_ctx *c, const char *s)
{
  if (s == NULL)
    {
      put_u64 (c, UINT64_MAX);
      return;
    }
  put_u64 (c, strlen (s));
  sha256_update (c, s, strlen (s));
}

static void
put_strv (sha256_ctx *c, char *const *v, size_t n)
{
  put_u64 (c, n);
  for (size_t i = 0; i < n; i++)
    put_str (c, v[i]);
}

void
seccomp_cache_key (const oci_seccomp *s, unsigned char key[32])
{
  const struct scmp_version *v = seccomp_version ();
  sha256_ctx c;

  sha256_init (&c);
  put_str (&c, "berth seccomp cache 1");
  put_str (&c, BERTH_VERSION);
  put_str (&c, BERTH_COMMIT);
  put_u64 (&c, v->major);
  put_u64 (&c, v->minor);
  put_u64 (&c, v->micro);
  /* libseccomp picks actions and flags by what the kernel supports.  */
  put_u64 (&c, seccomp_api_get ());
  put_u64 (&c, seccomp_arch_native ());

  put_str (&c, s->default_action);
  put_u64 (&c, s->has_default_errno_ret);
  put_u64 (&c, s->default_errno_ret);
  put_strv (&c, s->architectures, s->n_architectures);
  put_strv (&c, s->flags, s->n_flags);
  put_u64 (&c, s->n_syscalls);
  for (size_t i = 0; i < s->n_syscalls; i++)
    {
      const oci_seccomp_syscall *sc = &s->syscalls[i];
      put_strv (&c, sc->names, sc->n_names);
      put_str (&c, sc->action);
      put_u64 (&c, sc->has_errno_ret);
      put_u64 (&c, sc->errno_ret);
      put_u64 (&c, sc->n_args);
      for (size_t a = 0; a < sc->n_args; a++)
        {
          put_u64 (&c, sc->args[a].index);
          put_u64 (&c, sc->args[a].value);
          put_u64 (&c, sc->args[a].has_value_two);
          put_u64 (&c, sc->args[a].value_two);
          put_str (&c, sc->args[a].op);
        }
    }
  sha256_final (&c, key);
}

/* ---- the directory ------------------------------------------------------- */

static bool
cache_enabled (void)
{
  const char *e = getenv (SECCOMP_CACHE_ENV);
  return e == NULL || strcmp (e, "0") != 0;
}

/* Ours only: root's (berth's euid), 0700, a real directory.  */
static int
open_cache_dir (int root_fd)
{
  cleanup_close int fd = -1;
  struct stat st;

  if (mkdirat (root_fd, SECCOMP_CACHE_DIR, 0700) < 0 && errno != EEXIST)
    {
      berth_debug ("seccomp cache: mkdir %s: %s", SECCOMP_CACHE_DIR,
                   strerror (errno));
      return -1;
    }
  fd = openat (root_fd, SECCOMP_CACHE_DIR,
               O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0 || fstat (fd, &st) < 0)
    {
      berth_debug ("seccomp cache: open %s: %s", SECCOMP_CACHE_DIR,
                   strerror (errno));
      return -1;
    }
  if (st.st_uid != geteuid () || (st.st_mode & 077) != 0)
    {
      berth_debug ("seccomp cache: %s is not a 0700 directory of uid %d: "
                   "not used",
                   SECCOMP_CACHE_DIR, (int) geteuid ());
      return -1;
    }
  return steal_fd (&fd);
}

/* ---- one entry ----------------------------------------------------------- */

static bool
touched_lately (const struct stat *st)
{
  struct timespec now;
  if (clock_gettime (CLOCK_REALTIME_COARSE, &now) < 0)
    return false;
  return now.tv_sec >= st->st_mtim.tv_sec
         && now.tv_sec - st->st_mtim.tv_sec < TOUCH_SECONDS;
}

/* 0 with the program on a valid entry; -1 with why not in *why.  */
static int
load_entry (int dir_fd, const char *name, const unsigned char key[32],
            struct sock_filter **insns, size_t *n, const char **why)
{
  cleanup_close int fd = openat (dir_fd, name,
                                 O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  cleanup_free struct sock_filter *prog = NULL;
  struct entry_header h;
  unsigned char sum[SHA256_DIGEST_LEN];
  struct stat st;
  size_t size;

  if (fd < 0)
    {
      *why = errno == ENOENT ? NULL : "cannot be opened";
      return -1;
    }
  if (fstat (fd, &st) < 0 || !S_ISREG (st.st_mode)
      || st.st_uid != geteuid () || (st.st_mode & 022) != 0)
    {
      *why = "is not a regular file of ours";
      return -1;
    }
  if (pread (fd, &h, sizeof h, 0) != (ssize_t) sizeof h
      || memcmp (h.magic, MAGIC, sizeof h.magic) != 0
      || memcmp (h.key, key, SHA256_DIGEST_LEN) != 0 || h.zero != 0
      || h.n == 0 || h.n > BPF_MAXINSNS)
    {
      *why = "has a foreign or damaged header";
      return -1;
    }
  size = (size_t) h.n * sizeof *prog;
  if ((uint64_t) st.st_size != sizeof h + size)
    {
      *why = "has the wrong size";
      return -1;
    }
  prog = xmalloc0 (size);
  if (pread (fd, prog, size, sizeof h) != (ssize_t) size)
    {
      *why = "cannot be read";
      return -1;
    }
  sha256 (prog, size, sum);
  if (memcmp (sum, h.sum, sizeof sum) != 0)
    {
      *why = "does not match its hash";
      return -1;
    }
  /* Used now: the eviction keeps it longest.  An entry touched in the last
     minute is recent enough for that; not writing its inode again spares
     a start of back-to-back containers a metadata write.  */
  if (!touched_lately (&st))
    (void) futimens (fd, NULL);
  *insns = steal_pointer (&prog);
  *n = h.n;
  return 0;
}

static void
store_entry (int dir_fd, const char *name, const unsigned char key[32],
             const struct sock_filter *insns, size_t n)
{
  char tmp[128];
  struct entry_header h = { .n = (uint32_t) n };
  cleanup_close int fd = -1;

  memcpy (h.magic, MAGIC, sizeof h.magic);
  memcpy (h.key, key, SHA256_DIGEST_LEN);
  sha256 (insns, n * sizeof *insns, h.sum);
  snprintf (tmp, sizeof tmp, ".tmp-%.16s-%d", name, (int) getpid ());
  fd = openat (dir_fd, tmp,
               O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0
      || write_all (fd, &h, sizeof h) < 0
      || write_all (fd, insns, n * sizeof *insns) < 0)
    {
      berth_debug ("seccomp cache: write %s: %s", tmp, strerror (errno));
      if (fd >= 0)
        unlinkat (dir_fd, tmp, 0);
      return;
    }
  if (renameat (dir_fd, tmp, dir_fd, name) < 0)
    {
      berth_debug ("seccomp cache: rename %s: %s", tmp, strerror (errno));
      unlinkat (dir_fd, tmp, 0);
    }
}

/* ---- the bound ----------------------------------------------------------- */

struct aged
{
  char name[80];
  struct timespec mtime;
};

static int
older_first (const void *a, const void *b)
{
  const struct timespec *x = &((const struct aged *) a)->mtime;
  const struct timespec *y = &((const struct aged *) b)->mtime;
  if (x->tv_sec != y->tv_sec)
    return x->tv_sec < y->tv_sec ? -1 : 1;
  if (x->tv_nsec != y->tv_nsec)
    return x->tv_nsec < y->tv_nsec ? -1 : 1;
  return 0;
}

/* After a store: keeps the SECCOMP_CACHE_MAX most recently used entries,
   and drops temp files a dead berth left.  Races with another berth
   doing the same only make one of the unlinks fail.  */
static void
evict (int dir_fd)
{
  cleanup_free struct aged *all = NULL;
  size_t n = 0, cap = 0;
  int fd = dup (dir_fd);
  cleanup_dir DIR *d = fd >= 0 ? fdopendir (fd) : NULL;
  struct dirent *e;
  struct timespec now;

  if (d == NULL)
    {
      if (fd >= 0)
        close (fd);
      return;
    }
  clock_gettime (CLOCK_REALTIME, &now);
  while ((e = readdir (d)))
    {
      struct stat st;
      if (strcmp (e->d_name, ".") == 0 || strcmp (e->d_name, "..") == 0
          || fstatat (dir_fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
        continue;
      if (strncmp (e->d_name, ".tmp-", 5) == 0)
        {
          if (now.tv_sec - st.st_mtim.tv_sec > STALE_TMP_SECONDS)
            unlinkat (dir_fd, e->d_name, 0);
          continue;
        }
      if (strlen (e->d_name) >= sizeof all[0].name)
        continue;
      if (n == cap)
        {
          cap = cap ? 2 * cap : 64;
          all = xrealloc (all, cap * sizeof *all);
        }
      strcpy (all[n].name, e->d_name);
      all[n++].mtime = st.st_mtim;
    }
  if (n <= SECCOMP_CACHE_MAX)
    return;
  qsort (all, n, sizeof *all, older_first);
  for (size_t i = 0; i < n - SECCOMP_CACHE_MAX; i++)
    unlinkat (dir_fd, all[i].name, 0);
}

/* ---- prepare ------------------------------------------------------------- */

int
seccomp_prepare (seccomp_plan *plan, int root_fd, berth_error **err)
{
  const oci_seccomp *seccomp = plan->seccomp;
  unsigned char key[SHA256_DIGEST_LEN];
  char name[65];
  cleanup_close int dir_fd = -1;
  struct sock_filter *insns = NULL;
  size_t n = 0;
  bool notify = false;
  const char *why = NULL;

  free (plan->insns);
  plan->insns = NULL;
  if (seccomp == NULL)
    return 0;
  /* Loaded here, in the parent, before clone: a listener's filter is
     compiled by the init or exec's child once inside the container's
     root, where a dlopen would find the container's libseccomp (they
     inherit this one, and never load it: scmp_api_require).  */
  if (scmp_api_load (err) < 0)
    return -1;
  if (seccomp_uses_notify (seccomp))
    return 0;

  seccomp_cache_key (seccomp, key);
  sha256_hex (key, name);
  if (cache_enabled () && root_fd >= 0)
    dir_fd = open_cache_dir (root_fd);
  if (dir_fd >= 0 && load_entry (dir_fd, name, key, &insns, &n, &why) == 0)
    berth_debug ("seccomp cache: %s: hit", name);
  else
    {
      if (why != NULL)
        berth_debug ("seccomp cache: entry %s %s: ignored, rebuilt", name,
                     why);
      if (seccomp_generate (seccomp, &insns, &n, &notify, err) < 0)
        return -1;
      if (dir_fd >= 0)
        {
          store_entry (dir_fd, name, key, insns, n);
          evict (dir_fd);
        }
    }
  plan->insns = insns;
  plan->n = n;
  return 0;
}
