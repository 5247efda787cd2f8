/* Unit tests of the pieces behind the seccomp filter cache: SHA-256 on
 * the FIPS 180-4 vectors, the cache key (the same section gives the same
 * key, any change of a field another), and the ENOSYS stub's shape.  */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <errno.h>
#include <linux/audit.h>

#include "libcontainer/process/scmp-api.h"
#include "base/sha256.h"
#include "libcontainer/process/seccomp-cache.h"
#include "libcontainer/process/seccomp-enosys.h"

static void
hex_of (const void *data, size_t len, char out[65])
{
  unsigned char d[SHA256_DIGEST_LEN];
  sha256 (data, len, d);
  sha256_hex (d, out);
}

static void
check_sha256_vectors (void)
{
  char h[65];
  static char million[1000000];
  sha256_ctx c;
  unsigned char d[SHA256_DIGEST_LEN];

  hex_of ("", 0, h);
  assert_string_equal (h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  hex_of ("abc", 3, h);
  assert_string_equal (h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  hex_of ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, h);
  assert_string_equal (h, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  /* A million 'a' in uneven pieces: the buffering across blocks.  */
  memset (million, 'a', sizeof million);
  sha256_init (&c);
  for (size_t off = 0, step = 1; off < sizeof million; off += step, step = step % 97 + 1)
    sha256_update (&c, million + off,
                   off + step > sizeof million ? sizeof million - off : step);
  sha256_final (&c, d);
  sha256_hex (d, h);
  assert_string_equal (h, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/* The vectors through the portable code and through the CPU's SHA
   extensions (where it has them), and both agree on 4 KB of every length
   of pseudo-random data.  */
static void
test_sha256_vectors (void **state)
{
  static unsigned char data[4096];
  uint32_t x = 12345;

  sha256_force_portable (true);
  check_sha256_vectors ();
  sha256_force_portable (false);
  check_sha256_vectors ();

  for (size_t i = 0; i < sizeof data; i++)
    data[i] = (unsigned char) ((x = x * 1103515245 + 12345) >> 16);
  for (size_t len = 0; len <= sizeof data; len += 61)
    {
      unsigned char a[SHA256_DIGEST_LEN], b[SHA256_DIGEST_LEN];
      sha256_force_portable (true);
      sha256 (data, len, a);
      sha256_force_portable (false);
      sha256 (data, len, b);
      assert_memory_equal (a, b, SHA256_DIGEST_LEN);
    }
}

static char *names_a[] = { "read", "write" };
static char *names_b[] = { "readwrite" };
static char *names_c[] = { "read", "" };

static void
test_cache_key (void **state)
{
  oci_seccomp_syscall sc = { .names = names_a, .n_names = 2,
                             .action = "SCMP_ACT_ALLOW" };
  oci_seccomp s = { .default_action = "SCMP_ACT_ERRNO", .syscalls = &sc,
                    .n_syscalls = 1 };
  unsigned char k1[32], k2[32];

  seccomp_cache_key (&s, k1);
  seccomp_cache_key (&s, k2);
  assert_memory_equal (k1, k2, 32);

  /* Names run together must not collide with the list.  */
  sc.names = names_b;
  sc.n_names = 1;
  seccomp_cache_key (&s, k2);
  assert_memory_not_equal (k1, k2, 32);
  sc.names = names_c;
  sc.n_names = 2;
  seccomp_cache_key (&s, k2);
  assert_memory_not_equal (k1, k2, 32);
  sc.names = names_a;

  sc.has_errno_ret = true;
  sc.errno_ret = 1;
  seccomp_cache_key (&s, k2);
  assert_memory_not_equal (k1, k2, 32);
  sc.has_errno_ret = false;
  sc.errno_ret = 0;

  s.default_action = "SCMP_ACT_KILL";
  seccomp_cache_key (&s, k2);
  assert_memory_not_equal (k1, k2, 32);
  s.default_action = "SCMP_ACT_ERRNO";

  /* The listener's fields do not make another program.  */
  s.listener_metadata = "x";
  seccomp_cache_key (&s, k2);
  assert_memory_equal (k1, k2, 32);
}

static char *allow_names[] = { "read", "openat2" };

static void
test_enosys_stub (void **state)
{
  oci_seccomp_syscall sc = { .names = allow_names, .n_names = 2,
                             .action = "SCMP_ACT_ALLOW" };
  oci_seccomp s = { .default_action = "SCMP_ACT_ERRNO", .syscalls = &sc,
                    .n_syscalls = 1 };
  uint32_t archs[] = { AUDIT_ARCH_X86_64, AUDIT_ARCH_I386 };
  struct sock_filter *prog = calloc (1, sizeof *prog);
  size_t n = 1;
  berth_error *err = NULL;
  int nr_x86_64 = seccomp_syscall_resolve_name_arch (SCMP_ARCH_X86_64, "openat2");

  prog[0] = (struct sock_filter){ .code = BPF_RET | BPF_K, .k = 0x12345678 };
  assert_int_equal (seccomp_enosys_patch (&s, SCMP_ACT_ERRNO (EPERM), archs, 2,
                                          &prog, &n, &err),
                    0);
  /* x86_64: 5 instructions, i386: 4, then "ja 1; ret ENOSYS", then the
     program unchanged.  */
  assert_int_equal (n, 5 + 4 + 2 + 1);
  assert_int_equal (prog[n - 1].k, 0x12345678);
  assert_int_equal (prog[n - 2].k, SECCOMP_RET_ERRNO | ENOSYS);
  assert_int_equal (prog[1].k, AUDIT_ARCH_X86_64);
  assert_int_equal (prog[4].k, (uint32_t) nr_x86_64);
  /* "above openat2" jumps to the ENOSYS return, else to the program.  */
  assert_int_equal (4 + 1 + prog[4].jt, n - 2);
  assert_int_equal (4 + 1 + prog[4].jf, n - 1);
  free (prog);

  /* SCMP_ACT_ALLOW as the default: nothing added.  */
  prog = calloc (1, sizeof *prog);
  n = 1;
  assert_int_equal (seccomp_enosys_patch (&s, SCMP_ACT_ALLOW, archs, 2, &prog,
                                          &n, &err),
                    0);
  assert_int_equal (n, 1);
  free (prog);
}

int
main (void)
{
  berth_error *err = NULL;
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_sha256_vectors),
    cmocka_unit_test (test_cache_key),
    cmocka_unit_test (test_enosys_stub),
  };
  /* As seccomp_prepare does before the key and the compile.  */
  if (scmp_api_load (&err) < 0)
    {
      fprintf (stderr, "%s\n", err->msg);
      return 1;
    }
  return cmocka_run_group_tests (tests, NULL, NULL);
}
