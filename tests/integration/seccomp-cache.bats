#!/usr/bin/env bats
# The compiled-filter cache (<root>/.seccomp-cache) and the ENOSYS stub for
# syscalls newer than the profile, judged by the errnos the kernel returns
# to tests/helpers/sysprobe inside the container.

load helpers

# The syscalls a static probe, and berth between loading the filter and
# execve, need; every other one gets the default action.  The highest
# number named is openat2's (437): faccessat2 (439) is "newer".
ALLOW='["read","write","close","fstat","newfstatat","mmap","mprotect",
  "munmap","brk","rt_sigaction","rt_sigprocmask","rt_sigreturn","ioctl",
  "execve","exit","exit_group","arch_prctl","set_tid_address",
  "set_robust_list","rseq","prlimit64","getrandom","uname","readlink",
  "readlinkat","futex","getpid","capget","capset","prctl","openat2","fcntl",
  "close_range","setresuid","setresgid","setgroups"]'

PROBES=(getpid getppid getuid mkdirat clone3 faccessat2 nr:439 nr:500 unshare
  socket personality mount sethostname chroot)

setup_file () {
  common_setup_file
  # Static: it runs in the busybox rootfs.
  mkdir -p "$BATS_FILE_TMPDIR/helpers"
  "${CC:-cc}" -O2 -Wall -static -o "$BATS_FILE_TMPDIR/helpers/sysprobe" \
    "$REPO_ROOT/tests/helpers/sysprobe.c"
}

setup () {
  # The syscall numbers below (437, 439, 500) are x86_64's.
  [ "$(uname -m)" = x86_64 ] || skip "x86_64 syscall numbers"
  common_setup
  cp "$BATS_FILE_TMPDIR/helpers/sysprobe" "$BUNDLE/rootfs/sysprobe"
  set_args /sysprobe "${PROBES[@]}"
  CACHE="$BERTH_ROOT/.seccomp-cache"
}

teardown () {
  common_teardown
}

# profile DEFAULT: the strict profile with default action DEFAULT (an
# SCMP_ACT_* name), getppid refused with EACCES, unshare and socket with
# EPERM by rule.
profile () {
  update_config '.linux.seccomp = {"defaultAction": $d,
    "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
    "syscalls": [{"names": $allow, "action": "SCMP_ACT_ALLOW"},
      {"names": ["getppid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13},
      {"names": ["unshare", "socket"], "action": "SCMP_ACT_ERRNO"}]}' \
    --arg d "$1" --argjson allow "$ALLOW"
}

# probe ID [env...]: runs the container, its output in $output.
probe () {
  local id="$1"
  shift
  run env "$@" "$BERTH_BIN" --root "$BERTH_ROOT" run --bundle "$BUNDLE" "$id" \
    < /dev/null 3>&-
  expect_status 0
}

entries () {
  find "$CACHE" -mindepth 1 -maxdepth 1 "$@" | wc -l
}

@test "seccomp enosys: a syscall newer than the profile gets ENOSYS, a listed or older one the profile's errno" {
  profile SCMP_ACT_ERRNO
  probe "$CTR"
  expect_contains "$output" "getpid 0"
  expect_contains "$output" "getppid 13"   # listed: its errnoRet
  expect_contains "$output" "unshare 1"    # listed: EPERM
  expect_contains "$output" "getuid 1"     # older, not listed: the default
  expect_contains "$output" "clone3 1"     # 435 < 437: the default
  expect_contains "$output" "faccessat2 38"  # 439 > 437: ENOSYS
  expect_contains "$output" "nr:500 38"
}

@test "seccomp enosys: not with SCMP_ACT_ALLOW as the default" {
  profile SCMP_ACT_ALLOW
  probe "$CTR"
  expect_contains "$output" "getppid 13"
  expect_contains "$output" "faccessat2 0"  # allowed, and "/" exists
}

@test "seccomp enosys: with SCMP_ACT_KILL_PROCESS as the default, a newer syscall still gets ENOSYS" {
  profile SCMP_ACT_KILL_PROCESS
  set_args /sysprobe getpid faccessat2 nr:500
  probe "$CTR"
  expect_eq "$(echo $output)" "getpid 0 faccessat2 38 nr:500 38"
}

@test "seccomp cache: a hit loads the same program as a miss and as no cache" {
  profile SCMP_ACT_ERRNO
  probe "$CTR" BERTH_SECCOMP_CACHE=0
  local uncached="$output"
  [ ! -e "$CACHE" ] || expect_eq "$(entries)" 0 "entries without the cache"
  probe "$CTR"
  expect_eq "$output" "$uncached" "miss"
  expect_eq "$(entries)" 1 "entries after a miss"
  probe "$CTR"
  expect_eq "$output" "$uncached" "hit"
  # Root's, 0700: nobody else may plant a program.
  expect_eq "$(stat -c %u:%a "$CACHE")" 0:700 "cache directory"
}

@test "seccomp cache: another profile is another entry" {
  profile SCMP_ACT_ERRNO
  probe "$CTR"
  local eperm="$output"
  update_config '.linux.seccomp.syscalls[2].errnoRet = 28'
  probe "$CTR"
  expect_contains "$output" "unshare 28"
  expect_eq "$(entries)" 2 "entries"
}

@test "seccomp cache: a tampered entry is not loaded and is rebuilt" {
  profile SCMP_ACT_ERRNO
  probe "$CTR"
  local good="$output" entry
  entry=$(find "$CACHE" -mindepth 1 -maxdepth 1 -type f)
  # The first instruction (after the 80-byte header) becomes "return
  # ALLOW": loaded, it would let mkdirat and getppid through.
  printf '\x06\x00\x00\x00\x00\x00\xff\x7f' |
    dd of="$entry" bs=1 seek=80 conv=notrunc status=none
  probe "$CTR"
  expect_eq "$output" "$good" "after tampering"
  expect_contains "$output" "getppid 13"
  # Rebuilt: the next run is a hit on a sound entry.
  probe "$CTR"
  expect_eq "$output" "$good" "after the rebuild"
  run cmp -s -n 88 "$entry" <(printf '%80s\x06\x00\x00\x00\x00\x00\xff\x7f' '')
  [ "$status" -ne 0 ]
}

@test "seccomp cache: a truncated entry or a symlink in its place is not loaded" {
  profile SCMP_ACT_ERRNO
  probe "$CTR"
  local good="$output" entry
  entry=$(find "$CACHE" -mindepth 1 -maxdepth 1 -type f)
  truncate -s -8 "$entry"
  probe "$CTR"
  expect_eq "$output" "$good" "after truncation"
  # A symlink to a copy of the sound entry: O_NOFOLLOW refuses it, and the
  # rename of the rebuilt entry replaces it.
  cp "$entry" "$TMP/copy"
  ln -sf "$TMP/copy" "$entry"
  probe "$CTR"
  expect_eq "$output" "$good" "through a symlink"
  [ ! -L "$entry" ] || fail "the symlink is still there"
}

@test "seccomp cache: a directory others can write is not used" {
  profile SCMP_ACT_ERRNO
  mkdir -p "$CACHE"
  chmod 0777 "$CACHE"
  probe "$CTR"
  expect_contains "$output" "getppid 13"
  expect_eq "$(entries)" 0 "entries in a 0777 directory"
}

@test "seccomp cache: concurrent creates with one profile share one sound entry" {
  profile SCMP_ACT_ERRNO
  local i pids=() want
  probe "${CTR}_ref" BERTH_SECCOMP_CACHE=0
  want="$output"
  for i in 1 2 3 4 5 6; do
    "$BERTH_BIN" --root "$BERTH_ROOT" run --bundle "$BUNDLE" "${CTR}_$i" \
      < /dev/null > "$TMP/out.$i" 2>&1 3>&- &
    pids+=($!)
  done
  for i in "${!pids[@]}"; do
    wait "${pids[$i]}" || fail "run $((i + 1)) failed: $(cat "$TMP/out.$((i + 1))")"
    expect_eq "$(cat "$TMP/out.$((i + 1))")" "$want" "run $((i + 1))"
  done
  expect_eq "$(entries -type f)" 1 "entries"
  expect_eq "$(entries -name '.tmp-*')" 0 "temp files left"
  probe "$CTR"
  expect_eq "$output" "$want" "the hit after"
}

@test "seccomp cache: bounded to 256 entries, the least recently used go first" {
  profile SCMP_ACT_ERRNO
  local i
  mkdir -m 0700 -p "$CACHE"
  # 300 stale entries (they are never valid, only counted), an hour old,
  # and a stale temp file of a berth that died mid-write.
  for ((i = 0; i < 300; i++)); do
    printf 'x' > "$CACHE/$(printf '%064x' "$i")"
  done
  touch -d '1 hour ago' "$CACHE"/*
  : > "$CACHE/.tmp-0123456789abcdef-1"
  touch -d '1 hour ago' "$CACHE/.tmp-0123456789abcdef-1"
  probe "$CTR"
  expect_contains "$output" "getppid 13"
  expect_eq "$(entries -type f ! -name '.tmp-*')" 256 "entries"
  expect_eq "$(entries -name '.tmp-*')" 0 "stale temp files"
  # The entry just made is among those kept: the next run is a hit.
  run env "$BERTH_BIN" --debug --root "$BERTH_ROOT" run --bundle "$BUNDLE" "$CTR" < /dev/null 3>&-
  expect_contains "$output" ": hit"
}

@test "seccomp cache: a hit makes an old entry the most recently used, a recent one is left alone" {
  profile SCMP_ACT_ERRNO
  probe "$CTR"
  local entry
  entry=$(find "$CACHE" -maxdepth 1 -type f ! -name '.tmp-*')
  expect_eq "$(wc -l <<< "$entry")" 1 "entries"
  # An hour old: the hit (the same file, not a rebuilt one) refreshes its
  # age for the eviction.
  local ino
  ino=$(stat -c %i "$entry")
  touch -d '1 hour ago' "$entry"
  probe "$CTR"
  expect_eq "$(stat -c %i "$entry")" "$ino" "inode after the hit"
  local age=$(($(date +%s) - $(stat -c %Y "$entry")))
  [ "$age" -lt 60 ] || fail "the hit left the entry ${age} s old"
  # Ten seconds old is recent: not written again.
  touch -d '10 seconds ago' "$entry"
  local before
  before=$(stat -c %Y "$entry")
  probe "$CTR"
  expect_eq "$(stat -c %Y "$entry")" "$before" "mtime of a recent entry"
}
