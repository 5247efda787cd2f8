#!/usr/bin/env bats
# linux.seccomp through libseccomp: actions seen as errno from the kernel.

load helpers

@test "seccomp: a syscall rule with SCMP_ACT_ERRNO and errnoRet" {
  update_config '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW",
    "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_AARCH64"],
    "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1}]}'
  run_sh 'mkdir /dev/shm/d && echo MADE; touch /dev/shm/f && echo touched; true'
  expect_status 0
  expect_not_contains "$output" MADE
  expect_contains "$output" "Operation not permitted"
  expect_contains "$output" touched
}

@test "seccomp: the default errno is EPERM when errnoRet is absent" {
  update_config '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW",
    "syscalls": [{"names": ["mkdirat", "mkdir"], "action": "SCMP_ACT_ERRNO"}]}'
  run_sh 'mkdir /dev/shm/d && echo MADE; true'
  expect_status 0
  expect_not_contains "$output" MADE
  expect_contains "$output" "Operation not permitted"
}

@test "seccomp: another errno" {
  # ENOSPC (28): a message no real mkdir on tmpfs would give here.
  update_config '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW",
    "syscalls": [{"names": ["mkdirat", "mkdir"], "action": "SCMP_ACT_ERRNO", "errnoRet": 28}]}'
  run_sh 'mkdir /dev/shm/d && echo MADE; true'
  expect_status 0
  expect_contains "$output" "No space left on device"
}

@test "seccomp: argument conditions" {
  # personality(0xffffffff) queries; personality(PER_LINUX32 = 8) is refused.
  update_config '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW",
    "syscalls": [{"names": ["personality"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1,
      "args": [{"index": 0, "value": 8, "op": "SCMP_CMP_EQ"}]}]}'
  run_sh 'linux32 uname -m || echo refused; uname -m'
  expect_status 0
  expect_contains "$output" refused
  expect_contains "$output" "Operation not permitted"
}

@test "seccomp: an unknown syscall name is skipped, the other names still apply" {
  # Engines' profiles name syscalls newer than the host's libseccomp; runc
  # and crun skip those, so must berth.
  update_config '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW",
    "syscalls": [{"names": ["no_such_syscall_xyz", "mkdirat", "mkdir"], "action": "SCMP_ACT_ERRNO"}]}'
  run_sh 'mkdir /dev/shm/d && echo MADE; echo ran'
  expect_status 0
  expect_not_contains "$output" MADE
  expect_contains "$output" ran
}

@test "seccomp: an unknown action is an error" {
  update_config '.linux.seccomp = {"defaultAction": "SCMP_ACT_FROBNICATE"}'
  set_args true
  run create_ctr "$CTR"
  expect_error "$status" "$(cat "$TMP/$CTR.err")" SCMP_ACT_FROBNICATE
  assert_no_leftovers "$CTR"
}

@test "seccomp: the filter is in place (Seccomp: 2 in /proc/self/status)" {
  update_config '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW",
    "syscalls": [{"names": ["mkdirat"], "action": "SCMP_ACT_ERRNO"}]}'
  run_sh 'grep ^Seccomp: /proc/self/status'
  expect_status 0
  expect_eq "$(echo $output)" "Seccomp: 2" "Seccomp"
}
