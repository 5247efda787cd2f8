/* berth: the device rules of a cgroup v2 cgroup, an eBPF program
 * (BPF_PROG_TYPE_CGROUP_DEVICE) written by hand from the compiled rules.  */
#ifndef BERTH_CGROUP_DEVICES_BPF_H
#define BERTH_CGROUP_DEVICES_BPF_H

#include <stddef.h>

#include <linux/bpf.h>

#include "cgroups/convert.h"
#include "base/error.h"

/* The program for `p`: returns 1 (allow) when cg_dev_check() would, else
   0.  Registers: r1 the context, r3 the device type, r4 the requested
   access, r5 major, r6 minor; one block per access bit, each rule of it
   tested from the last to the first, the first match deciding.  *insns is
   malloc'd.  Pure (no syscalls).  */
int cg_bpf_dev_build (const cg_dev_program *p, struct bpf_insn **insns,
                      size_t *n, berth_error **err);

/* Loads the program and attaches it to the cgroup directory `dir` with
   BPF_F_ALLOW_MULTI, then detaches the device programs attached there
   before (an update replaces the rules; for the moment both are attached,
   the stricter result applies).  */
int cg_bpf_dev_apply (const char *dir, const cg_dev_program *p,
                      berth_error **err);

#endif
