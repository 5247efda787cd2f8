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

@test "seccomp: an unknown operator is an error naming the field" {
  update_config '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW",
    "syscalls": [{"names": ["personality"], "action": "SCMP_ACT_ERRNO",
      "args": [{"index": 0, "value": 8, "op": "SCMP_CMP_SIMILAR"}]}]}'
  set_args true
  run create_ctr "$CTR"
  expect_error "$status" "$(cat "$TMP/$CTR.err")" \
    "linux.seccomp.syscalls[0].args[0].op" SCMP_CMP_SIMILAR
  assert_no_leftovers "$CTR"
}

@test "seccomp: an unknown flag or architecture is an error naming the field" {
  set_args true
  update_config '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW",
    "flags": ["SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_FAST"]}'
  run create_ctr "$CTR"
  expect_error "$status" "$(cat "$TMP/$CTR.err")" "linux.seccomp.flags[1]" SECCOMP_FILTER_FLAG_FAST
  assert_no_leftovers "$CTR"
  update_config '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW",
    "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_PDP11"]}'
  run create_ctr "$CTR"
  expect_error "$status" "$(cat "$TMP/$CTR.err")" "linux.seccomp.architectures[1]" SCMP_ARCH_PDP11
  assert_no_leftovers "$CTR"
}

@test "seccomp: KILL_PROCESS, KILL_THREAD, KILL and TRAP end the caller with SIGSYS" {
  for action in SCMP_ACT_KILL_PROCESS SCMP_ACT_KILL_THREAD SCMP_ACT_KILL SCMP_ACT_TRAP; do
    update_config '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW",
      "syscalls": [{"names": ["mkdir", "mkdirat"], "action": $a}]}' --arg a "$action"
    run_sh 'mkdir /dev/shm/d; echo "status $?"; [ -d /dev/shm/d ] && echo MADE; true'
    expect_status 0
    # 128 + SIGSYS (31)
    expect_contains "$output" "status 159" "$action"
    expect_not_contains "$output" MADE "$action"
  done
  # The workload itself is killed too when it makes the call.
  update_config '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW",
    "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_KILL_PROCESS"}]}'
  set_args mkdir /dev/shm/d
  run berth run --bundle "$BUNDLE" "$CTR" < /dev/null
  expect_status 159
}

# run_to_end: creates $CTR, starts it and waits until its process is gone;
# sets $pid, the host's pid, which the kernel's audit records name.
run_to_end () {
  create_ctr "$CTR"
  pid=$(ctr_pid "$CTR")
  berth start "$CTR"
  wait_for_pid_gone "$pid"
}

# seccomp_logged CODE: the kernel logged a seccomp record with action CODE
# for $pid (within ~5 s: the audit record may come a little later).
seccomp_logged () {
  local i
  for ((i = 0; i < 50; i++)); do
    dmesg | grep -q "pid=$pid .*code=$1" && return 0
    sleep 0.1
  done
  return 1
}

@test "seccomp: SCMP_ACT_LOG lets the call through and logs it" {
  grep -qw log /proc/sys/kernel/seccomp/actions_logged || skip "the kernel does not log SCMP_ACT_LOG"
  dmesg > /dev/null 2>&1 || skip "cannot read the kernel log"
  update_config '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW",
    "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_LOG"}]}'
  set_args sh -c 'exec mkdir /dev/shm/logged'
  run_to_end
  # SECCOMP_RET_LOG
  seccomp_logged 0x7ffc0000 || fail "no seccomp log record for pid $pid"
}

@test "seccomp: SECCOMP_FILTER_FLAG_LOG logs the calls an ERRNO action refuses" {
  grep -qw errno /proc/sys/kernel/seccomp/actions_logged || skip "the kernel does not log SCMP_ACT_ERRNO"
  dmesg > /dev/null 2>&1 || skip "cannot read the kernel log"
  update_config '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW", "flags": ["SECCOMP_FILTER_FLAG_LOG"],
    "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13}]}'
  set_args sh -c 'exec mkdir /dev/shm/refused'
  run_to_end
  # SECCOMP_RET_ERRNO (the record has the action without its data)
  seccomp_logged 0x50000 || fail "no seccomp log record for pid $pid"

  # Control: without the flag the kernel does not log ERRNO.
  berth delete "$CTR"
  update_config 'del(.linux.seccomp.flags)'
  run_to_end
  ! seccomp_logged 0x50000 || fail "logged without SECCOMP_FILTER_FLAG_LOG"
}

@test "seccomp: the startContainer hook runs under the filter, as with runc" {
  # runc loads the filter before it waits for start, so its startContainer
  # hooks meet it; engines' hooks are written for that.
  update_config '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW",
      "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO"}]}
    | .hooks.startContainer = [{"path": "/bin/sh", "args": ["sh", "-c",
        "mkdir /dev/shm/by-hook || touch /dev/shm/hook-refused"]}]'
  run_sh '[ -d /dev/shm/by-hook ] && echo HOOK-MADE; [ -e /dev/shm/hook-refused ] && echo HOOK-REFUSED
    mkdir /dev/shm/by-workload && echo MADE; true'
  expect_status 0
  expect_not_contains "$output" HOOK-MADE
  expect_contains "$output" HOOK-REFUSED
  expect_not_contains "$output" "
MADE"
  expect_contains "$output" "Operation not permitted"
}

@test "seccomp: without noNewPrivileges, with CAP_SYS_ADMIN kept only for the load" {
  update_config '.process.noNewPrivileges = false
    | .linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW",
      "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO"}]}'
  run_sh 'mkdir /dev/shm/d && echo MADE; grep -E "^(NoNewPrivs|Seccomp|CapPrm|CapEff|CapBnd):" /proc/self/status'
  expect_status 0
  expect_not_contains "$output" MADE
  field () { printf '%s\n' "${lines[@]}" | awk -v f="$1:" '$1 == f { print $2 }'; }
  expect_eq "$(field NoNewPrivs)" 0 "NoNewPrivs"
  expect_eq "$(field Seccomp)" 2 "Seccomp"
  want=$(cap_mask CAP_AUDIT_WRITE CAP_KILL CAP_NET_BIND_SERVICE)
  expect_eq "$(field CapPrm)" "$want" "CapPrm (no CAP_SYS_ADMIN left)"
  expect_eq "$(field CapEff)" "$want" "CapEff"
}

@test "seccomp: SCMP_ACT_NOTIFY sends the fd and the state to listenerPath; the agent answers" {
  agent=$(helper_bin seccomp-agent)
  sock="$TMP/agent.sock"
  "$agent" "$sock" "$TMP/agent" 2> "$TMP/agent.err" 3>&- &
  BG_PIDS+=($!)
  agent_pid=$!
  wait_for_file "$sock"
  update_config '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW",
    "listenerPath": $s, "listenerMetadata": "bats metadata",
    "flags": ["SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"],
    "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_NOTIFY"}]}' --arg s "$sock"
  run_sh 'mkdir /dev/shm/d && echo MKDIR-OK; [ -d /dev/shm/d ] && echo EXISTS || echo ABSENT'
  expect_status 0
  # The agent's fake success: mkdir "worked", yet nothing was created.
  expect_eq "$output" "MKDIR-OK
ABSENT"
  wait_bg "$agent_pid" || fail "agent failed: $(cat "$TMP/agent.err")"
  grep -q '^mkdir .* faked$' "$TMP/agent.log" || fail "agent log: $(cat "$TMP/agent.log")"
  j="$TMP/agent.json"
  expect_eq "$(jq -r .ociVersion "$j")" 1.3.0 ociVersion
  expect_eq "$(jq -c .fds "$j")" '["seccompFd"]' fds
  expect_eq "$(jq -r .metadata "$j")" "bats metadata" metadata
  expect_eq "$(jq -r .state.id "$j")" "$CTR" state.id
  expect_eq "$(jq -r .state.bundle "$j")" "$BUNDLE" state.bundle
  [ "$(jq -r .pid "$j")" -gt 1 ] || fail "pid: $(jq .pid "$j")"
  expect_eq "$(jq -r .state.pid "$j")" "$(jq -r .pid "$j")" "state.pid"
}

@test "seccomp: SCMP_ACT_NOTIFY without a listener is an error, nothing left" {
  update_config '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW",
    "listenerPath": $s,
    "syscalls": [{"names": ["mkdirat"], "action": "SCMP_ACT_NOTIFY"}]}' --arg s "$TMP/nobody.sock"
  set_args true
  run create_ctr "$CTR"
  expect_error "$status" "$(cat "$TMP/$CTR.err")" "$TMP/nobody.sock"
  assert_no_leftovers "$CTR"
}

# An allow-list profile in the style of container engines' defaults
# (written here, not copied): default ERRNO, three x86 ABIs, clone without
# namespace flags (SCMP_CMP_MASKED_EQ), clone3 answered ENOSYS so libc falls
# back to clone, personality with a few values only.
docker_like_profile () {
  local allow
  allow=$(json_array accept accept4 access adjtimex alarm arch_prctl bind brk \
    capget capset chdir chmod chown clock_getres clock_gettime clock_nanosleep \
    close close_range connect copy_file_range creat dup dup2 dup3 epoll_create \
    epoll_create1 epoll_ctl epoll_pwait epoll_wait eventfd eventfd2 execve \
    execveat exit exit_group faccessat faccessat2 fadvise64 fallocate fchdir \
    fchmod fchmodat fchown fchownat fcntl fcntl64 fdatasync fgetxattr flistxattr \
    flock fork fstat fstat64 fstatat64 fstatfs fsync ftruncate futex getcpu getcwd \
    getdents getdents64 getegid geteuid getgid getgroups getitimer getpeername \
    getpgid getpgrp getpid getppid getpriority getrandom getresgid getresuid \
    getrlimit get_robust_list getrusage getsid getsockname getsockopt gettid \
    gettimeofday getuid getxattr inotify_add_watch inotify_init1 inotify_rm_watch \
    ioctl ioprio_get kill lchown lgetxattr link linkat listen listxattr lseek \
    _llseek lstat lstat64 madvise membarrier memfd_create mincore mkdir mkdirat \
    mknodat mlock mmap mmap2 mprotect mremap msync munlock munmap nanosleep \
    newfstatat _newselect open openat openat2 pause pidfd_open pidfd_send_signal \
    pipe pipe2 poll ppoll prctl pread64 preadv prlimit64 pselect6 pwrite64 \
    pwritev read readahead readlink readlinkat readv recvfrom recvmsg rename \
    renameat renameat2 restart_syscall rmdir rseq rt_sigaction rt_sigpending \
    rt_sigprocmask rt_sigqueueinfo rt_sigreturn rt_sigsuspend rt_sigtimedwait \
    sched_getaffinity sched_getparam sched_getscheduler sched_yield select \
    sendfile sendmsg sendto set_robust_list set_thread_area set_tid_address \
    setgid setgroups setitimer setpgid setpriority setregid setresgid setresuid \
    setreuid setrlimit setsid setsockopt setuid sigaltstack sigreturn socket \
    socketcall socketpair stat stat64 statfs statfs64 statx symlink symlinkat \
    sync sysinfo tgkill time timer_create timer_delete timer_settime \
    timerfd_create times tkill truncate ugetrlimit umask uname unlink unlinkat \
    utimensat vfork wait4 waitid waitpid write writev)
  update_config '.linux.seccomp = {
    "defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 1,
    "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
    "syscalls": [
      {"names": $allow, "action": "SCMP_ACT_ALLOW"},
      {"names": ["clone"], "action": "SCMP_ACT_ALLOW",
       "args": [{"index": 0, "value": 2114060288, "valueTwo": 0, "op": "SCMP_CMP_MASKED_EQ"}]},
      {"names": ["clone3"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38},
      {"names": ["personality"], "action": "SCMP_ACT_ALLOW",
       "args": [{"index": 0, "value": 0, "op": "SCMP_CMP_EQ"}]},
      {"names": ["personality"], "action": "SCMP_ACT_ALLOW",
       "args": [{"index": 0, "value": 8, "op": "SCMP_CMP_EQ"}]},
      {"names": ["personality"], "action": "SCMP_ACT_ALLOW",
       "args": [{"index": 0, "value": 4294967295, "op": "SCMP_CMP_EQ"}]}]}' \
    --argjson allow "$allow"
}

@test "seccomp: an engine-style default profile runs a shell normally and refuses the rest" {
  [ "$(uname -m)" = x86_64 ] || skip "the profile lists x86 ABIs"
  script='echo hello > /dev/shm/f && cat /dev/shm/f
    sort /etc/passwd | wc -l
    ls / > /dev/null && echo listed
    ps > /dev/null && echo ps
    (exit 3); echo "subshell $?"
    sleep 0.01 && echo slept
    linux32 uname -m
    unshare -U true && echo UNSHARED || echo "unshare refused"
    mount -t tmpfs none /mnt 2> /dev/null && echo MOUNTED || echo "mount refused"'
  run_sh "$script"
  expect_status 0
  # The same script without the profile: namespaces can be made there.
  control="$output"
  [[ "$control" == *UNSHARED* ]] || skip "unprivileged user namespaces are not available: $control"

  docker_like_profile
  run_sh "$script"
  expect_status 0
  expect_eq "${lines[0]}" hello "echo + cat"
  expect_eq "${lines[1]}" 2 "sort | wc"
  expect_eq "${lines[2]}" listed "ls"
  expect_eq "${lines[3]}" ps "ps"
  expect_eq "${lines[4]}" "subshell 3" "fork + wait"
  expect_eq "${lines[5]}" slept "sleep"
  expect_eq "${lines[6]}" i686 "personality(PER_LINUX32) allowed by its argument"
  expect_contains "$output" "unshare refused"
  expect_contains "$output" "mount refused"
  expect_not_contains "$output" UNSHARED
}

@test "seccomp: run reports a failed execve under a profile that refuses sendto" {
  # The init reports it over the sync socket after the filter is loaded:
  # a profile that refuses sendto and sendmsg must not turn it into a
  # silent failure.
  printf 'not a program\n' > "$BUNDLE/rootfs/bad"
  chmod 755 "$BUNDLE/rootfs/bad"
  update_config '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW",
    "syscalls": [{"names": ["sendto", "sendmsg"], "action": "SCMP_ACT_ERRNO"}]}'
  set_args /bad
  run -1 --separate-stderr berth run --bundle "$BUNDLE" "$CTR" < /dev/null
  expect_contains "$stderr" "Exec format error"
  assert_no_leftovers "$CTR"
}
