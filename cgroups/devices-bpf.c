/* berth: cgroup v2 device control: the eBPF program, its loading and its
 * attachment (see devices-bpf.h).  */
#include "cgroups/devices-bpf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cgroups/internal.h"
#include "base/cleanup.h"
#include "base/utils.h"

/* ---- building ------------------------------------------------------------ */

typedef struct emitter
{
  struct bpf_insn *v;
  size_t n, cap;
  /* Jumps to the final "deny" block, patched when it is placed.  */
  size_t *to_deny;
  size_t n_to_deny;
} emitter;

static size_t
emit (emitter *e, uint8_t code, uint8_t dst, uint8_t src, int16_t off,
      int32_t imm)
{
  if (e->n == e->cap)
    {
      e->cap = e->cap ? e->cap * 2 : 64;
      e->v = xrealloc (e->v, e->cap * sizeof *e->v);
    }
  e->v[e->n] = (struct bpf_insn){ .code = code,
                                  .dst_reg = dst,
                                  .src_reg = src,
                                  .off = off,
                                  .imm = imm };
  return e->n++;
}

static void
jump_to_deny (emitter *e, size_t at)
{
  e->to_deny = xrealloc (e->to_deny, (e->n_to_deny + 1) * sizeof *e->to_deny);
  e->to_deny[e->n_to_deny++] = at;
}

/* Points the jump at `at` to instruction `target`.  */
static int
patch (emitter *e, size_t at, size_t target, berth_error **err)
{
  long off = (long) target - (long) at - 1;
  if (off < 0 || off > INT16_MAX)
    return berth_error_set (err, 0,
                            "linux.resources.devices: too many rules for one "
                            "device program");
  e->v[at].off = (int16_t) off;
  return 0;
}

#define R0 BPF_REG_0
#define R1 BPF_REG_1
#define R2 BPF_REG_2
#define R3 BPF_REG_3
#define R4 BPF_REG_4
#define R5 BPF_REG_5
#define R6 BPF_REG_6

static const struct
{
  unsigned ours;
  int32_t kernel;
} access_bits[] = {
  { CG_DEV_MKNOD, BPF_DEVCG_ACC_MKNOD },
  { CG_DEV_READ, BPF_DEVCG_ACC_READ },
  { CG_DEV_WRITE, BPF_DEVCG_ACC_WRITE },
};

/* A rule's CG_DEV_* bits as the kernel's BPF_DEVCG_ACC_* bits.  */
static int32_t
kernel_access (unsigned ours)
{
  int32_t k = 0;

  for (size_t b = 0; b < sizeof access_bits / sizeof access_bits[0]; b++)
    if (ours & access_bits[b].ours)
      k |= access_bits[b].kernel;
  return k;
}

/* One rule, read from the last: when the device matches, a deny rule
   ends in "deny" if it holds a requested bit not yet decided, an allow
   rule decides its bits, and "allow" follows once none is left.  r4
   holds the bits still undecided.  */
static int
emit_rule (emitter *e, const cg_dev_rule *r, size_t *allow_jumps[],
           size_t *n_allow, berth_error **err)
{
  int32_t bits = kernel_access (r->access);
  size_t skips[3], n_skips = 0;

  if (bits == 0)
    return 0;
  /* 32-bit compares (BPF_JMP32, Linux 5.1): the context fields are u32,
     and a 64-bit compare would sign-extend the immediate.  */
  skips[n_skips++] = emit (e, BPF_JMP32 | BPF_JNE | BPF_K, R3, 0, 0,
                           r->type == 'b' ? BPF_DEVCG_DEV_BLOCK
                                          : BPF_DEVCG_DEV_CHAR);
  if (r->major >= 0)
    skips[n_skips++] = emit (e, BPF_JMP32 | BPF_JNE | BPF_K, R5, 0, 0,
                             (int32_t) (uint32_t) r->major);
  if (r->minor >= 0)
    skips[n_skips++] = emit (e, BPF_JMP32 | BPF_JNE | BPF_K, R6, 0, 0,
                             (int32_t) (uint32_t) r->minor);
  if (!r->allow)
    /* if (undecided & bits) goto deny;  */
    jump_to_deny (e, emit (e, BPF_JMP | BPF_JSET | BPF_K, R4, 0, 0, bits));
  else
    {
      /* undecided &= ~bits; if (!undecided) goto allow;  */
      emit (e, BPF_ALU64 | BPF_AND | BPF_K, R4, 0, 0, ~bits);
      *allow_jumps = xrealloc (*allow_jumps, (*n_allow + 1) * sizeof **allow_jumps);
      (*allow_jumps)[(*n_allow)++]
          = emit (e, BPF_JMP | BPF_JEQ | BPF_K, R4, 0, 0, 0);
    }
  for (size_t k = 0; k < n_skips; k++)
    if (patch (e, skips[k], e->n, err) < 0)
      return -1;
  return 0;
}

/* One pass over the rules, not one per access bit: each requested bit is
   decided by the last rule that matches the device and holds it, as
   cg_dev_check says, by clearing the bits an allow rule decides.  With
   the default spec's devices this is 64 instructions where a pass per
   bit was 132, and the verifier's work at every create fell with it:
   1,157 instructions processed and 136 states before, 263 and 30 now;
   BPF_PROG_LOAD 386 to 92 us on the host, about 4.5 to 1 ms in the
   emulated v2 guest (docs/performance-floor.md).  */
int
cg_bpf_dev_build (const cg_dev_program *p, struct bpf_insn **insns,
                  size_t *n, berth_error **err)
{
  emitter e = { 0 };
  size_t *to_allow = NULL, n_to_allow = 0;

  /* r2 = ctx->access_type; r3 = type (low 16 bits); r4 = access (high):
     the bits still to decide; r5 = major; r6 = minor.  */
  emit (&e, BPF_LDX | BPF_MEM | BPF_W, R2, R1,
        offsetof (struct bpf_cgroup_dev_ctx, access_type), 0);
  emit (&e, BPF_ALU64 | BPF_MOV | BPF_X, R3, R2, 0, 0);
  emit (&e, BPF_ALU64 | BPF_AND | BPF_K, R3, 0, 0, 0xffff);
  emit (&e, BPF_ALU64 | BPF_MOV | BPF_X, R4, R2, 0, 0);
  emit (&e, BPF_ALU64 | BPF_RSH | BPF_K, R4, 0, 0, 16);
  emit (&e, BPF_LDX | BPF_MEM | BPF_W, R5, R1,
        offsetof (struct bpf_cgroup_dev_ctx, major), 0);
  emit (&e, BPF_LDX | BPF_MEM | BPF_W, R6, R1,
        offsetof (struct bpf_cgroup_dev_ctx, minor), 0);
  /* Only the bits berth knows; nothing asked: allowed (no bit denied).  */
  emit (&e, BPF_ALU64 | BPF_AND | BPF_K, R4, 0, 0,
        kernel_access (CG_DEV_MKNOD | CG_DEV_READ | CG_DEV_WRITE));
  to_allow = xrealloc (to_allow, sizeof *to_allow);
  to_allow[n_to_allow++] = emit (&e, BPF_JMP | BPF_JEQ | BPF_K, R4, 0, 0, 0);

  for (size_t i = p->n_rules; i-- > 0;)
    if (emit_rule (&e, &p->rules[i], &to_allow, &n_to_allow, err) < 0)
      goto fail;
  /* Bits no rule decided: the default.  */
  if (!p->default_allow)
    jump_to_deny (&e, emit (&e, BPF_JMP | BPF_JA, 0, 0, 0, 0));
  for (size_t k = 0; k < n_to_allow; k++)
    if (patch (&e, to_allow[k], e.n, err) < 0)
      goto fail;
  emit (&e, BPF_ALU64 | BPF_MOV | BPF_K, R0, 0, 0, 1);
  emit (&e, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
  /* The verifier rejects unreachable code: the deny block only when
     something jumps to it.  */
  if (e.n_to_deny > 0)
    {
      size_t deny = emit (&e, BPF_ALU64 | BPF_MOV | BPF_K, R0, 0, 0, 0);
      emit (&e, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
      for (size_t k = 0; k < e.n_to_deny; k++)
        if (patch (&e, e.to_deny[k], deny, err) < 0)
          goto fail;
    }
  free (to_allow);
  free (e.to_deny);
  *insns = e.v;
  *n = e.n;
  return 0;
fail:
  free (to_allow);
  free (e.to_deny);
  free (e.v);
  return -1;
}

/* ---- loading and attaching -------------------------------------------- */

static long
sys_bpf (int cmd, union bpf_attr *attr)
{
  return syscall (SYS_bpf, cmd, attr, sizeof *attr);
}

static int
prog_load (const struct bpf_insn *insns, size_t n, berth_error **err)
{
  static const char license[] = "Apache-2.0";
  union bpf_attr attr;
  int fd, saved;
  cleanup_free char *log = NULL;

  memset (&attr, 0, sizeof attr);
  attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
  attr.expected_attach_type = BPF_CGROUP_DEVICE;
  attr.insns = (uintptr_t) insns;
  attr.insn_cnt = (uint32_t) n;
  attr.license = (uintptr_t) license;
  fd = (int) sys_bpf (BPF_PROG_LOAD, &attr);
  if (fd >= 0)
    return fd;
  saved = errno;
  if (saved != EINVAL && saved != EACCES)
    {
      errno = saved;
      return berth_error_sys (err, "load the device eBPF program");
    }
  /* Load again for the verifier's explanation.  */
  log = xmalloc0 (65536);
  attr.log_buf = (uintptr_t) log;
  attr.log_size = 65536;
  attr.log_level = 1;
  fd = (int) sys_bpf (BPF_PROG_LOAD, &attr);
  if (fd >= 0)
    return fd;
  {
    size_t l = strlen (log);
    char *last;
    while (l > 0 && log[l - 1] == '\n')
      log[--l] = '\0';
    last = strrchr (log, '\n');
    return berth_error_set (err, saved,
                            "load the device eBPF program (verifier: %s)",
                            last ? last + 1 : log);
  }
}

/* The ids of the device programs attached to the cgroup itself.  */
static int
query_attached (int cgfd, uint32_t **ids, uint32_t *count, berth_error **err)
{
  uint32_t cap = 64;

  for (;;)
    {
      union bpf_attr attr;
      uint32_t *v = xmalloc0 (cap * sizeof *v);

      memset (&attr, 0, sizeof attr);
      attr.query.target_fd = (uint32_t) cgfd;
      attr.query.attach_type = BPF_CGROUP_DEVICE;
      attr.query.prog_ids = (uintptr_t) v;
      attr.query.prog_cnt = cap;
      if (sys_bpf (BPF_PROG_QUERY, &attr) == 0)
        {
          *ids = v;
          *count = attr.query.prog_cnt;
          return 0;
        }
      free (v);
      if (errno == ENOSPC && attr.query.prog_cnt > cap)
        {
          cap = attr.query.prog_cnt;
          continue;
        }
      return berth_error_sys (err, "query the device programs of the cgroup");
    }
}

static int
prog_id (int fd, uint32_t *id, berth_error **err)
{
  struct bpf_prog_info info;
  union bpf_attr attr;

  memset (&info, 0, sizeof info);
  memset (&attr, 0, sizeof attr);
  attr.info.bpf_fd = (uint32_t) fd;
  attr.info.info_len = sizeof info;
  attr.info.info = (uintptr_t) &info;
  if (sys_bpf (BPF_OBJ_GET_INFO_BY_FD, &attr) < 0)
    return berth_error_sys (err, "read the id of the device program");
  *id = info.id;
  return 0;
}

static int
detach_id (int cgfd, uint32_t id, berth_error **err)
{
  union bpf_attr attr;
  cleanup_close int fd = -1;

  memset (&attr, 0, sizeof attr);
  attr.prog_id = id;
  fd = (int) sys_bpf (BPF_PROG_GET_FD_BY_ID, &attr);
  if (fd < 0)
    {
      if (errno == ENOENT)
        return 0;
      return berth_error_sys (err, "open device program %u", id);
    }
  memset (&attr, 0, sizeof attr);
  attr.target_fd = (uint32_t) cgfd;
  attr.attach_bpf_fd = (uint32_t) fd;
  attr.attach_type = BPF_CGROUP_DEVICE;
  if (sys_bpf (BPF_PROG_DETACH, &attr) < 0 && errno != ENOENT)
    return berth_error_sys (err, "detach device program %u", id);
  return 0;
}

int
cg_bpf_dev_apply (const char *dir, const cg_dev_program *p, berth_error **err)
{
  cleanup_free struct bpf_insn *insns = NULL;
  cleanup_free uint32_t *old = NULL;
  cleanup_close int cgfd = -1;
  cleanup_close int progfd = -1;
  uint32_t n_old = 0, new_id = 0;
  size_t n = 0;
  union bpf_attr attr;

  if (cg_bpf_dev_build (p, &insns, &n, err) < 0)
    return -1;
  cgfd = cg_open (dir, O_RDONLY | O_DIRECTORY);
  if (cgfd < 0)
    return berth_error_sys (err, "open %s", dir);
  progfd = prog_load (insns, n, err);
  if (progfd < 0)
    return -1;
  if (query_attached (cgfd, &old, &n_old, err) < 0)
    return -1;
  memset (&attr, 0, sizeof attr);
  attr.target_fd = (uint32_t) cgfd;
  attr.attach_bpf_fd = (uint32_t) progfd;
  attr.attach_type = BPF_CGROUP_DEVICE;
  attr.attach_flags = BPF_F_ALLOW_MULTI;
  if (sys_bpf (BPF_PROG_ATTACH, &attr) < 0)
    return berth_error_sys (err, "attach the device program to %s", dir);
  if (prog_id (progfd, &new_id, err) < 0)
    return -1;
  for (uint32_t i = 0; i < n_old; i++)
    if (old[i] != new_id && detach_id (cgfd, old[i], err) < 0)
      return berth_error_wrap (err, "replace the device rules of %s", dir);
  return 0;
}
