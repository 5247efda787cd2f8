/* The ENOSYS stub: a few BPF instructions in front of libseccomp's program.

   For each architecture whose syscalls the profile names:
       A = arch;  if A != ARCH goto next
       A = nr;    (x86_64: if A >= X32_SYSCALL_BIT goto program)
       if A > HIGHEST goto enosys else goto program
   next: ...
       goto program
   enosys:
       return ERRNO(ENOSYS)
   program: libseccomp's filter, unchanged.  */
#include "libcontainer/process/scmp-api.h"
#include "libcontainer/process/seccomp-enosys.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "base/cleanup.h"
#include "base/utils.h"

/* x32 syscalls come in with AUDIT_ARCH_X86_64 and this bit in the number:
   libseccomp's program judges them itself.  */
#define X32_SYSCALL_BIT 0x40000000u

/* Instructions per architecture at most, and the stub's epilogue.  */
#define BLOCK_MAX 5
#define EPILOGUE 2

/* The highest syscall number the profile names on arch, -1 if none.
   Every rule counts, whatever its action: the profile knows the syscall.
   libseccomp's negative pseudo-numbers (multiplexed calls) do not.  */
static long
highest_nr (const oci_seccomp *seccomp, uint32_t arch)
{
  long max = -1;

  for (size_t i = 0; i < seccomp->n_syscalls; i++)
    for (size_t j = 0; j < seccomp->syscalls[i].n_names; j++)
      {
        int nr = seccomp_syscall_resolve_name_arch (
            arch, seccomp->syscalls[i].names[j]);
        if (nr >= 0 && nr != __NR_SCMP_ERROR && nr > max)
          max = nr;
      }
  return max;
}

static struct sock_filter
stmt (uint16_t code, uint32_t k)
{
  return (struct sock_filter){ .code = code, .jt = 0, .jf = 0, .k = k };
}

static struct sock_filter
jump (uint16_t code, uint32_t k, uint8_t jt, uint8_t jf)
{
  return (struct sock_filter){ .code = code, .jt = jt, .jf = jf, .k = k };
}

int
seccomp_enosys_patch (const oci_seccomp *seccomp, uint32_t default_action,
                      const uint32_t *archs, size_t n_archs,
                      struct sock_filter **insns, size_t *n,
                      berth_error **err)
{
  cleanup_free struct sock_filter *stub = NULL;
  struct sock_filter *out;
  size_t len = 0, stub_len, enosys;
  /* Per block: where its jumps to "enosys" and "program" sit, fixed once
     the stub's length is known.  */
  cleanup_free size_t *to_program = NULL;
  size_t n_fix = 0;

  if (default_action == SCMP_ACT_ALLOW || default_action == SCMP_ACT_LOG
      || default_action == SCMP_ACT_ERRNO (ENOSYS))
    return 0;
  if (scmp_api_require (err) < 0)
    return -1;
  stub = xmalloc0 ((n_archs * BLOCK_MAX + EPILOGUE) * sizeof *stub);
  to_program = xmalloc0 (n_archs * 2 * sizeof *to_program);
  for (size_t a = 0; a < n_archs; a++)
    {
      long max;
      bool x86_64 = archs[a] == AUDIT_ARCH_X86_64;
      bool seen = false;
      size_t block = x86_64 ? 5 : 4;

      for (size_t b = 0; b < a; b++)
        seen |= archs[b] == archs[a];
      max = seen ? -1 : highest_nr (seccomp, archs[a]);
      if (max < 0)
        continue;
      stub[len++] = stmt (BPF_LD | BPF_W | BPF_ABS,
                          offsetof (struct seccomp_data, arch));
      stub[len++] = jump (BPF_JMP | BPF_JEQ | BPF_K, archs[a], 0,
                          (uint8_t) (block - 2));
      stub[len++] = stmt (BPF_LD | BPF_W | BPF_ABS,
                          offsetof (struct seccomp_data, nr));
      if (x86_64)
        {
          to_program[n_fix++] = len;
          stub[len++] = jump (BPF_JMP | BPF_JGE | BPF_K, X32_SYSCALL_BIT, 0,
                              0);
        }
      to_program[n_fix++] = len;
      stub[len++] = jump (BPF_JMP | BPF_JGT | BPF_K, (uint32_t) max, 0, 0);
    }
  if (len == 0)
    return 0;
  stub[len++] = stmt (BPF_JMP | BPF_JA, 1);
  enosys = len;
  stub[len++] = stmt (BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS);
  stub_len = len;
  if (stub_len > 255 || *n + stub_len > BPF_MAXINSNS)
    return berth_error_set (err, E2BIG,
                            "seccomp: the filter has %zu instructions with "
                            "the ENOSYS stub, more than the kernel's %d",
                            *n + stub_len, BPF_MAXINSNS);
  for (size_t i = 0; i < n_fix; i++)
    {
      size_t at = to_program[i];
      uint8_t program = (uint8_t) (stub_len - at - 1);
      if (stub[at].code == (BPF_JMP | BPF_JGE | BPF_K))
        stub[at].jt = program;           /* x32: libseccomp decides */
      else
        {
          stub[at].jt = (uint8_t) (enosys - at - 1);
          stub[at].jf = program;
        }
    }
  out = xmalloc0 ((stub_len + *n) * sizeof *out);
  memcpy (out, stub, stub_len * sizeof *out);
  memcpy (out + stub_len, *insns, *n * sizeof *out);
  free (*insns);
  *insns = out;
  *n += stub_len;
  return 0;
}
