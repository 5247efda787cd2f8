#!/usr/bin/env bats
# process: user, groups, umask, capabilities, rlimits, env, cwd, args,
# stdio, file descriptors, noNewPrivileges, oomScoreAdj, scheduler,
# ioPriority, linux.personality.

load helpers

# set_caps CAP...: the same list in every capability set.
set_caps () {
  local caps
  caps=$(json_array "$@")
  update_config '.process.capabilities = {"bounding": $c, "effective": $c,
    "inheritable": $c, "permitted": $c, "ambient": $c}' --argjson c "$caps"
}

# status_field NAME: the value of NAME: in the /proc/self/status the
# container printed.
status_field () {
  printf '%s\n' "${lines[@]}" | awk -v f="$1:" '$1 == f { print $2 }'
}

@test "process: uid, gid and additional gids" {
  update_config '.process.user = {"uid": 1000, "gid": 1001, "additionalGids": [10, 20]}'
  run_sh 'id -u; id -g; id -G | tr " " "\n" | sort -n | tr "\n" " "; echo; grep -E "^(Uid|Gid):" /proc/self/status'
  expect_status 0
  expect_eq "${lines[0]}" 1000 "uid"
  expect_eq "${lines[1]}" 1001 "gid"
  expect_eq "${lines[2]}" "10 20 1001 " "groups"
  # real, effective, saved and fs ids all changed.
  expect_eq "$(echo ${lines[3]})" "Uid: 1000 1000 1000 1000" "Uid line"
  expect_eq "$(echo ${lines[4]})" "Gid: 1001 1001 1001 1001" "Gid line"
}

@test "process: root's supplementary groups are only the configured ones" {
  update_config '.process.user = {"uid": 0, "gid": 0}'
  run_sh 'grep "^Groups:" /proc/self/status'
  expect_status 0
  groups=$(echo "$output" | cut -d: -f2 | xargs)
  [[ "$groups" == "" || "$groups" == 0 ]] || fail "groups: $groups"
}

# with_umask MASK COMMAND...: COMMAND (a shell function too) under MASK.
with_umask () {
  local mask="$1"
  shift
  (umask "$mask" && "$@")
}

@test "process: without process.user.umask the init gets 0022, not the caller's; exec keeps the caller's (runc)" {
  set_args sh -c 'umask; touch /dev/shm/f; stat -c %a /dev/shm/f; exec sleep 1000'
  with_umask 077 run_detached "$CTR" || fail "$(cat "$TMP/$CTR.err")"
  wait_for_file "$TMP/$CTR.out" 644
  expect_eq "$(sed -n 1p "$TMP/$CTR.out")" 0022 "the init's umask"
  expect_eq "$(sed -n 2p "$TMP/$CTR.out")" 644 "a file the init made"
  run with_umask 077 berth exec "$CTR" sh -c umask
  expect_status 0
  expect_eq "$output" 0077 "exec's umask"
}

@test "process: a huge /etc/passwd in the image: the HOME lookup stops at 16 MiB with a clear error" {
  # 40 MB of other users, then the process's own: berth reads no further
  # than 16 MiB and says why, instead of spending the CPU on it.
  yes 'user:x:5000:5000::/home/user:/bin/sh' | head -c 40000000 > "$BUNDLE/rootfs/etc/passwd"
  echo 'me:x:4242:4242::/home/me:/bin/sh' >> "$BUNDLE/rootfs/etc/passwd"
  update_config '.process.user = {"uid": 4242, "gid": 4242}'
  set_args sh -c 'echo "HOME=$HOME"'
  run --separate-stderr berth run --bundle "$BUNDLE" "$CTR" < /dev/null
  expect_error "$status" "$stderr" "/etc/passwd" "16 MiB" "uid 4242"
  assert_no_leftovers "$CTR"

  # HOME in process.env: no lookup, the container runs.
  update_config '.process.env += ["HOME=/home/me"]'
  run berth run --bundle "$BUNDLE" "$CTR" < /dev/null
  expect_status 0
  expect_eq "$output" "HOME=/home/me"

  # An entry in the first 16 MiB is found however large the file is.
  update_config '.process.env -= ["HOME=/home/me"]'
  { echo 'me:x:4242:4242::/home/first:/bin/sh'; cat "$BUNDLE/rootfs/etc/passwd"; } > "$TMP/passwd"
  mv "$TMP/passwd" "$BUNDLE/rootfs/etc/passwd"
  run berth run --bundle "$BUNDLE" "$CTR" < /dev/null
  expect_status 0
  expect_eq "$output" "HOME=/home/first"
}

@test "process: umask" {
  update_config '.process.user.umask = 23'
  run_sh 'umask; touch /dev/shm/f; mkdir /dev/shm/d; stat -c %a /dev/shm/f /dev/shm/d'
  expect_status 0
  expect_eq "${lines[0]}" 0027 "umask"
  expect_eq "${lines[1]}" 640 "file mode"
  expect_eq "${lines[2]}" 750 "directory mode"
}

@test "process: the default capabilities of runc's spec" {
  run_sh 'cat /proc/self/status'
  expect_status 0
  want=$(cap_mask CAP_AUDIT_WRITE CAP_KILL CAP_NET_BIND_SERVICE)
  expect_eq "$(status_field CapBnd)" "$want" "CapBnd"
  expect_eq "$(status_field CapPrm)" "$want" "CapPrm"
  expect_eq "$(status_field CapEff)" "$want" "CapEff"
}

@test "process: without process.capabilities the init holds none (libcap loaded before the clone)" {
  update_config 'del(.process.capabilities)'
  run_sh 'cat /proc/self/status'
  expect_status 0
  for f in CapInh CapPrm CapEff CapBnd CapAmb; do
    expect_eq "$(status_field "$f")" 0000000000000000 "$f"
  done
}

@test "process: every capability set as configured, for root" {
  set_caps CAP_CHOWN CAP_KILL CAP_NET_RAW CAP_SYS_TIME
  run_sh 'cat /proc/self/status'
  expect_status 0
  want=$(cap_mask CAP_CHOWN CAP_KILL CAP_NET_RAW CAP_SYS_TIME)
  for f in CapInh CapPrm CapEff CapBnd CapAmb; do
    expect_eq "$(status_field "$f")" "$want" "$f"
  done
}

@test "process: capability sets for a non-root user, ambient carries over exec" {
  update_config '.process.user = {"uid": 1000, "gid": 1000}
    | .process.capabilities = {
        "bounding": ["CAP_CHOWN", "CAP_KILL", "CAP_NET_RAW", "CAP_SYS_TIME"],
        "effective": ["CAP_KILL", "CAP_NET_RAW"],
        "permitted": ["CAP_KILL", "CAP_NET_RAW"],
        "inheritable": ["CAP_KILL", "CAP_NET_RAW"],
        "ambient": ["CAP_KILL"]}'
  run_sh 'cat /proc/self/status'
  expect_status 0
  expect_eq "$(status_field CapBnd)" "$(cap_mask CAP_CHOWN CAP_KILL CAP_NET_RAW CAP_SYS_TIME)" "CapBnd"
  expect_eq "$(status_field CapInh)" "$(cap_mask CAP_KILL CAP_NET_RAW)" "CapInh"
  # cat is a new exec as uid 1000: only the ambient set survives.
  expect_eq "$(status_field CapAmb)" "$(cap_mask CAP_KILL)" "CapAmb"
  expect_eq "$(status_field CapPrm)" "$(cap_mask CAP_KILL)" "CapPrm"
  expect_eq "$(status_field CapEff)" "$(cap_mask CAP_KILL)" "CapEff"
}

@test "process: without CAP_CHOWN root cannot chown, with it can" {
  set_caps CAP_KILL
  run_sh 'touch /dev/shm/f; chown 1 /dev/shm/f && echo CHOWNED; stat -c %u /dev/shm/f'
  expect_status 0
  expect_not_contains "$output" CHOWNED
  expect_contains "$output" "Operation not permitted"
  expect_eq "${lines[${#lines[@]} - 1]}" 0 "owner"

  set_caps CAP_KILL CAP_CHOWN
  run_sh 'touch /dev/shm/f; chown 1 /dev/shm/f && stat -c %u /dev/shm/f'
  expect_status 0
  expect_eq "$output" 1 "owner"
}

@test "process: no capabilities at all" {
  update_config '.process.capabilities = {}'
  run_sh 'cat /proc/self/status'
  expect_status 0
  for f in CapInh CapPrm CapEff CapBnd CapAmb; do
    expect_eq "$(status_field "$f")" 0000000000000000 "$f"
  done
}

@test "process: rlimits" {
  update_config '.process.rlimits = [
    {"type": "RLIMIT_NOFILE", "soft": 100, "hard": 200},
    {"type": "RLIMIT_NPROC", "soft": 300, "hard": 400},
    {"type": "RLIMIT_CORE", "soft": 0, "hard": 0}]'
  run_sh 'ulimit -n; ulimit -Hn; cat /proc/self/limits'
  expect_status 0
  expect_eq "${lines[0]}" 100 "ulimit -n"
  expect_eq "${lines[1]}" 200 "ulimit -Hn"
  expect_eq "$(printf '%s\n' "${lines[@]}" | awk '/^Max open files/ { print $4, $5 }')" "100 200" "Max open files"
  expect_eq "$(printf '%s\n' "${lines[@]}" | awk '/^Max processes/ { print $3, $4 }')" "300 400" "Max processes"
  expect_eq "$(printf '%s\n' "${lines[@]}" | awk '/^Max core file size/ { print $5, $6 }')" "0 0" "Max core file size"
}

@test "process: rlimit above the runtime's own hard limit" {
  update_config '.process.rlimits = [{"type": "RLIMIT_NOFILE", "soft": 4096, "hard": 8192}]'
  set_args sh -c 'ulimit -n; ulimit -Hn'
  run bash -c 'ulimit -Sn 1024 && ulimit -Hn 2048 && exec "$@" 3>&-' _ \
    "$BERTH_BIN" --root "$BERTH_ROOT" run --bundle "$BUNDLE" "$CTR" < /dev/null
  # Raising a hard limit needs CAP_SYS_RESOURCE; some hosts' root lacks it
  # (this VM's bounding set does), and then the kernel must refuse it and
  # berth must say which limit.
  if (( ($(awk '/^CapEff/ {print "0x" $2}' /proc/self/status) >> 24) & 1 )); then
    expect_status 0
    expect_eq "$output" "4096
8192"
  else
    expect_error "$status" "$output" "setrlimit RLIMIT_NOFILE"
    expect_contains "$output" "Operation not permitted" "rlimit error"
  fi
}

@test "process: env is exactly the configured one, nothing from the runtime" {
  export LEAKY_HOST_VAR=leaked
  update_config '.process.env = ["PATH=/bin", "FOO=bar baz", "EMPTY=", "MULTI=a=b"]'
  run_sh 'env'
  expect_status 0
  for kv in "PATH=/bin" "FOO=bar baz" "EMPTY=" "MULTI=a=b"; do
    printf '%s\n' "${lines[@]}" | grep -qxF -- "$kv" || fail "missing $kv in: $output"
  done
  expect_not_contains "$output" LEAKY_HOST_VAR
  expect_not_contains "$output" BATS_
}

@test "process: cwd" {
  mkdir -p "$BUNDLE/rootfs/home/work"
  update_config '.process.cwd = "/home/work"'
  run_sh 'pwd; ls -d "$PWD"'
  expect_status 0
  expect_eq "${lines[0]}" /home/work "pwd"
}

@test "process: uid 42 starts in a root-only 0700 cwd (chdir before the user change, as runc)" {
  mkdir -m 0700 "$BUNDLE/rootfs/secret"
  update_config '.process.cwd = "/secret" | .process.user = {"uid": 42, "gid": 42}'
  run_sh 'pwd; id -u; ls . 2>&1 || echo ls-refused'
  expect_status 0
  expect_eq "${lines[0]}" /secret "pwd"
  expect_eq "${lines[1]}" 42 "uid"
  # In it, but the directory still refuses uid 42 what its mode refuses.
  expect_contains "$output" ls-refused
}

@test "process: args are passed as they are, the executable is looked up in PATH" {
  set_args printf '[%s]\n' 'a b' '' 'c"d' '$HOME'
  run berth run --bundle "$BUNDLE" "$CTR" < /dev/null
  expect_status 0
  expect_eq "$output" '[a b]
[]
[c"d]
[$HOME]'
}

@test "process: an absolute executable path outside PATH" {
  mkdir -p "$BUNDLE/rootfs/opt/tools"
  cp "$BUSYBOX" "$BUNDLE/rootfs/opt/tools/echo"
  update_config '.process.cwd = "/opt"'
  set_args /opt/tools/echo absolute
  run berth run --bundle "$BUNDLE" "$CTR" < /dev/null
  expect_status 0
  expect_eq "$output" absolute
}

@test "process: stdin, stdout and stderr are berth's" {
  printf 'line one\nline two\n' > "$TMP/in"
  set_args sh -c 'cat; echo to-stderr >&2'
  berth run --bundle "$BUNDLE" "$CTR" < "$TMP/in" > "$TMP/out" 2> "$TMP/err"
  expect_eq "$(cat "$TMP/out")" "line one
line two" "stdout"
  expect_eq "$(cat "$TMP/err")" to-stderr "stderr"
}

@test "process: no file descriptor of the runtime leaks into the container" {
  exec 5> "$TMP/extra" 6< /dev/null
  run_sh 'ls /proc/self/fd | sort -n | tr "\n" " "'
  exec 5>&- 6<&-
  expect_status 0
  # 3 is ls's own directory fd.
  expect_eq "$output" "0 1 2 3 " "fds"
}

@test "process: --preserve-fds passes fd 3 and up" {
  echo "preserved content" > "$TMP/in"
  set_args sh -c 'cat <&3; ls /proc/self/fd | sort -n | tr "\n" " "'
  run "$BERTH_BIN" --root "$BERTH_ROOT" run --preserve-fds 1 --bundle "$BUNDLE" "$CTR" \
    3< "$TMP/in" 4< /dev/null < /dev/null
  expect_status 0
  expect_eq "${lines[0]}" "preserved content" "read from fd 3"
  # 4 is ls's directory fd: berth's fd 4 was not passed.
  expect_eq "${lines[1]}" "0 1 2 3 4 " "fds"
}

@test "process: noNewPrivileges" {
  grep -q '^NoNewPrivs:[[:space:]]*0' /proc/self/status || skip "the test runs with no_new_privs"
  update_config '.process.noNewPrivileges = true'
  run_sh 'grep ^NoNewPrivs: /proc/self/status'
  expect_status 0
  expect_eq "$(echo $output)" "NoNewPrivs: 1" "noNewPrivileges true"

  update_config '.process.noNewPrivileges = false'
  run_sh 'grep ^NoNewPrivs: /proc/self/status'
  expect_status 0
  expect_eq "$(echo $output)" "NoNewPrivs: 0" "noNewPrivileges false"
}

@test "process: oomScoreAdj" {
  update_config '.process.oomScoreAdj = 123'
  run_sh 'cat /proc/self/oom_score_adj'
  expect_status 0
  expect_eq "$output" 123
}

@test "process: scheduler policy and nice" {
  update_config '.process.scheduler = {"policy": "SCHED_BATCH", "nice": 7}'
  run_sh 'awk "/^policy/ { print \$3 }" /proc/self/sched; cut -d" " -f19 /proc/self/stat'
  expect_status 0
  # SCHED_BATCH is 3.
  expect_eq "${lines[0]}" 3 "policy"
  expect_eq "${lines[1]}" 7 "nice"
}

@test "process: ioPriority" {
  update_config '.process.ioPriority = {"class": "IOPRIO_CLASS_IDLE", "priority": 0}'
  run_sh 'ionice'
  expect_status 0
  expect_contains "$output" idle "ionice"
}

@test "process: personality LINUX32" {
  [ "$(uname -m)" = x86_64 ] || skip "needs x86_64"
  update_config '.linux.personality = {"domain": "LINUX32"}'
  run_sh 'uname -m'
  expect_status 0
  expect_eq "$output" i686 "uname -m"
}

@test "process: an apparmorProfile or selinuxLabel the host cannot apply is refused" {
  if [ "$(cat /sys/module/apparmor/parameters/enabled 2> /dev/null)" = Y ] \
    && [ "$(stat -f -c %T /sys/fs/selinux 2> /dev/null)" = selinuxfs ]; then
    skip "this host has AppArmor and SELinux"
  fi
  if [ "$(cat /sys/module/apparmor/parameters/enabled 2> /dev/null)" != Y ]; then
    update_config '.process.apparmorProfile = "some-profile"'
  else
    update_config '.process.selinuxLabel = "system_u:system_r:container_t:s0"'
  fi
  run -1 --separate-stderr berth run --bundle "$BUNDLE" "$CTR" < /dev/null
  expect_error "$status" "$stderr" "is not enabled on this host"
  assert_no_leftovers "$CTR"
}
