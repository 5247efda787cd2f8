#!/usr/bin/env bats
# berth exec: a new process in the namespaces, cgroup and seccomp filter of
# a created or running container; runc's options, exit codes and errors.

load helpers

# A running container whose init sleeps; $INIT is its pid on the host.
start_sleeper () {
  set_args sleep 1000
  run_detached "$CTR" || fail "run -d: $(cat "$TMP/$CTR.err")"
  INIT=$(ctr_pid "$CTR")
}

# exec_detached PIDFILE ARGS...: a detached exec of ARGS in $CTR.
exec_detached () {
  local pidfile="$1"
  shift
  berth exec -d --pid-file "$pidfile" "$CTR" "$@" < /dev/null \
    > "$TMP/exec.out" 2>&1 || fail "exec -d: $(cat "$TMP/exec.out")"
}

# expect_exec_error NEEDLE...: after `run berth exec ...`: as runc, a
# failed exec exits with 255; the message is berth's.
expect_exec_error () {
  local n
  expect_status 255 || return 1
  expect_contains "$output" "berth: " || return 1
  for n in "$@"; do
    expect_contains "$output" "$n" || return 1
  done
}

# only_init_in_cgroup: nothing that exec started is left in the container.
only_init_in_cgroup () {
  run berth ps --format json "$CTR"
  expect_status 0
  expect_eq "$output" "[$INIT]" "pids of the container"
}

@test "exec: the process is in every namespace of the init" {
  requires userns timens
  make_bundle_reachable
  update_config '.linux.namespaces += [{"type": "user"}, {"type": "cgroup"}, {"type": "time"}]
    | .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
    | .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
    | .linux.timeOffsets = {"boottime": {"secs": 1000000, "nanosecs": 0}}'
  start_sleeper
  exec_detached "$TMP/pid" sleep 1000
  pid=$(cat "$TMP/pid")
  for n in pid mnt net ipc uts user cgroup time; do
    expect_eq "$(readlink "/proc/$pid/ns/$n")" "$(readlink "/proc/$INIT/ns/$n")" "$n namespace" || return 1
    [ "$(readlink "/proc/$pid/ns/$n")" != "$(readlink "/proc/$$/ns/$n")" ] \
      || fail "$n namespace is the host's"
  done
  # The mapping is the container's: uid 0 inside is 100000 outside.
  expect_eq "$(stat -c %u "/proc/$pid")" 100000 "owner on the host"
  # The boottime offset of the container's time namespace.
  run berth exec "$CTR" cat /proc/uptime
  expect_status 0
  [ "${output%%.*}" -ge 1000000 ] || fail "uptime inside: $output"
}

@test "exec: namespaces the container shares with the host stay shared" {
  update_config 'del(.hostname) | .linux.namespaces |= map(select(.type != "network" and .type != "uts"))'
  start_sleeper
  run berth exec "$CTR" sh -c 'readlink /proc/self/ns/net; readlink /proc/self/ns/uts; readlink /proc/self/ns/mnt'
  expect_status 0
  expect_eq "${lines[0]}" "$(readlink /proc/$$/ns/net)" "net namespace"
  expect_eq "${lines[1]}" "$(readlink /proc/$$/ns/uts)" "uts namespace"
  expect_eq "${lines[2]}" "$(readlink "/proc/$INIT/ns/mnt")" "mount namespace"
}

@test "exec: the process is in the container's cgroup, not pid 1, sees the rootfs" {
  start_sleeper
  exec_detached "$TMP/pid" sleep 1000
  pid=$(cat "$TMP/pid")
  expect_eq "$(cat "/proc/$pid/cgroup")" "$(cat "/proc/$INIT/cgroup")" "cgroups"
  run berth exec "$CTR" sh -c 'echo $$; cat /etc/marker; cat /proc/1/cmdline | tr "\0" " "'
  expect_status 0
  [ "${lines[0]}" -gt 1 ] || fail "pid inside: ${lines[0]}"
  expect_eq "${lines[1]}" original "a file of the rootfs"
  expect_eq "${lines[2]}" "sleep 1000 " "pid 1"
}

@test "exec: the exit status passes through, 128+N for signal N" {
  start_sleeper
  run berth exec "$CTR" sh -c 'exit 3'
  expect_status 3
  run berth exec "$CTR" sh -c 'kill -9 $$'
  expect_status 137
  run berth exec "$CTR" true
  expect_status 0
  only_init_in_cgroup
}

@test "exec: berth forwards signals to the process" {
  start_sleeper
  berth_bg exec "$CTR" sh -c 'trap "echo got TERM; exit 7" TERM; echo ready; while :; do sleep 0.05; done'
  wait_for_file "$TMP/bg.out" ready
  kill -TERM "$BG_PID"
  st=0
  wait_bg "$BG_PID" || st=$?
  expect_eq "$st" 7 "exit status of exec"
  expect_contains "$(cat "$TMP/bg.out")" "got TERM"
}

@test "exec: env, cwd and user come from the container, the options override them" {
  update_config '.process.env += ["FROM_CONFIG=1"] | .process.cwd = "/etc"
    | .process.user = {"uid": 1, "gid": 2, "additionalGids": [3]}'
  set_args sleep 1000
  run_detached "$CTR"
  run berth exec "$CTR" sh -c 'echo "$FROM_CONFIG $TERM"; pwd; id -u; id -G'
  expect_status 0
  expect_eq "${lines[0]}" "1 xterm" "env"
  expect_eq "${lines[1]}" /etc "cwd"
  expect_eq "${lines[2]}" 1 "uid"
  expect_eq "${lines[3]}" "2 3" "groups"
  run berth exec --env FROM_CONFIG=2 -e NEW=x --cwd /tmp --user 1000:1001 \
    --additional-gids 20 -g 21 "$CTR" sh -c 'echo "$FROM_CONFIG $NEW"; env | grep -c "^FROM_CONFIG="; pwd; id -u; id -G'
  expect_status 0
  expect_eq "${lines[0]}" "2 x" "env"
  expect_eq "${lines[1]}" 1 "FROM_CONFIG set once"
  expect_eq "${lines[2]}" /tmp "cwd"
  expect_eq "${lines[3]}" 1000 "uid"
  expect_eq "${lines[4]}" "1001 3 20 21" "groups"
  # --user UID alone keeps the container's gid.
  run berth exec -u 7 "$CTR" sh -c 'id -u; id -g'
  expect_status 0
  expect_eq "${lines[0]}" 7 "uid"
  expect_eq "${lines[1]}" 2 "gid"
}

@test "exec: --user 42 --cwd a root-only 0700 directory works (as runc)" {
  mkdir -m 0700 "$BUNDLE/rootfs/secret"
  set_args sleep 1000
  run_detached "$CTR"
  run berth exec --user 42:42 --cwd /secret "$CTR" sh -c 'pwd; id -u'
  expect_status 0
  expect_eq "${lines[0]}" /secret "cwd"
  expect_eq "${lines[1]}" 42 "uid"
}

@test "exec: rlimits and noNewPrivileges come from the container, --no-new-privs sets it" {
  update_config '.process.noNewPrivileges = false'
  start_sleeper
  run berth exec "$CTR" sh -c 'ulimit -n; grep NoNewPrivs /proc/self/status'
  expect_status 0
  expect_eq "${lines[0]}" 1024 "RLIMIT_NOFILE"
  expect_eq "$(echo ${lines[1]})" "NoNewPrivs: 0" "no_new_privs"
  run berth exec --no-new-privs "$CTR" grep NoNewPrivs /proc/self/status
  expect_status 0
  expect_eq "$(echo $output)" "NoNewPrivs: 1" "--no-new-privs"
}

@test "exec: capabilities as the container's, --cap adds to bounding, effective, permitted only" {
  start_sleeper
  run berth exec "$CTR" grep ^Cap /proc/self/status
  expect_status 0
  want=$(cap_mask CAP_AUDIT_WRITE CAP_KILL CAP_NET_BIND_SERVICE)
  expect_contains "$output" "CapEff:	$want"
  expect_contains "$output" "CapBnd:	$want"
  # Nothing inheritable, so no ambient either: no capability leaks into
  # what the process execs.
  expect_contains "$output" "CapInh:	0000000000000000"
  expect_contains "$output" "CapAmb:	0000000000000000"
  run berth exec --cap CAP_SYS_ADMIN -c CAP_CHOWN "$CTR" grep ^Cap /proc/self/status
  expect_status 0
  want=$(cap_mask CAP_AUDIT_WRITE CAP_KILL CAP_NET_BIND_SERVICE CAP_SYS_ADMIN CAP_CHOWN)
  expect_contains "$output" "CapPrm:	$want"
  expect_contains "$output" "CapEff:	$want"
  expect_contains "$output" "CapBnd:	$want"
  expect_contains "$output" "CapInh:	0000000000000000"
  run berth exec --cap CAP_NOPE "$CTR" true
  expect_exec_error 'unknown capability "CAP_NOPE"'
}

@test "exec: --user and additional gids into a user namespace: the kernel's ids, groups and capability sets" {
  requires userns
  make_bundle_reachable
  update_config '.linux.namespaces += [{"type": "user"}]
    | .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
    | .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
    | .process.capabilities.inheritable = ["CAP_KILL"]
    | .process.capabilities.ambient = ["CAP_KILL"]'
  start_sleeper
  # Joining the user namespace changes the credentials the child read
  # before (ids seen through the mapping, a full bounding set); then
  # setgroups, setresgid, setresuid and capset change them again.
  run berth exec --user 1000:1001 --additional-gids 20 -g 21 --cap CAP_CHOWN \
    "$CTR" grep -E '^(Uid|Gid|Groups|Cap[A-Za-z]+):' /proc/self/status
  expect_status 0
  expect_contains "$output" "Uid:	1000	1000	1000	1000"
  expect_contains "$output" "Gid:	1001	1001	1001	1001"
  expect_contains "$output" "Groups:	20 21"
  expect_contains "$output" "CapBnd:	$(cap_mask CAP_AUDIT_WRITE CAP_KILL CAP_NET_BIND_SERVICE CAP_CHOWN)"
  # A uid other than 0 keeps through execve only the ambient set: it
  # reaches it only if capset, after setresuid, gave the permitted and
  # inheritable sets that hold it.
  want=$(cap_mask CAP_KILL)
  expect_contains "$output" "CapAmb:	$want"
  expect_contains "$output" "CapInh:	$want"
  expect_contains "$output" "CapPrm:	$want"
  expect_contains "$output" "CapEff:	$want"
  # As the namespace's root: the full bounding set the namespace gave is
  # cut to the container's.
  run berth exec "$CTR" grep -E '^(Uid|CapBnd|CapEff):' /proc/self/status
  expect_status 0
  want=$(cap_mask CAP_AUDIT_WRITE CAP_KILL CAP_NET_BIND_SERVICE)
  expect_contains "$output" "Uid:	0	0	0	0"
  expect_contains "$output" "CapBnd:	$want"
  expect_contains "$output" "CapEff:	$want"
}

@test "exec: --process FILE, with the container's values for what it leaves out" {
  start_sleeper
  cat > "$TMP/process.json" << 'EOF2'
{ "args": ["sh", "-c", "echo $A; pwd; id -u; ulimit -n; grep CapEff /proc/self/status"],
  "cwd": "/etc", "env": ["A=from-file"], "user": {"uid": 5, "gid": 5} }
EOF2
  run berth exec --process "$TMP/process.json" "$CTR"
  expect_status 0
  expect_eq "${lines[0]}" from-file "env"
  expect_eq "${lines[1]}" /etc "cwd"
  expect_eq "${lines[2]}" 5 "uid"
  expect_eq "${lines[3]}" 1024 "rlimit from the container"
  # A non-root user keeps no effective capability without ambient ones.
  expect_eq "$(echo ${lines[4]})" "CapEff: 0000000000000000" "capabilities"
  # The options override the file.
  run berth exec -p "$TMP/process.json" --cwd / -u 0 "$CTR"
  expect_status 0
  expect_eq "${lines[1]}" / "cwd"
  expect_eq "${lines[2]}" 0 "uid"
  echo '{"args": ["true"], "cwd": "/", "user": {"uid": "x"}}' > "$TMP/bad.json"
  run berth exec -p "$TMP/bad.json" "$CTR"
  expect_exec_error "user.uid"
}

@test "exec: the container's seccomp filter applies" {
  update_config '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW",
    "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1}]}'
  start_sleeper
  run berth exec "$CTR" sh -c 'mkdir /dev/shm/d && echo MADE; grep ^Seccomp: /proc/self/status'
  expect_status 0
  expect_not_contains "$output" MADE
  expect_contains "$output" "Operation not permitted"
  expect_eq "$(echo ${lines[1]})" "Seccomp: 2" "filter mode"
}

@test "exec: SCMP_ACT_NOTIFY: the listener gets the exec'd process's notify fd and state" {
  command -v gcc > /dev/null || skip "needs gcc for the test agent"
  gcc -o "$TMP/agent" "$HELPERS_DIR/helpers/seccomp-agent.c"
  "$TMP/agent" "$TMP/agent.sock" "$TMP/agent.out" 3>&- &
  BG_PIDS+=("$!")
  wait_for_file "$TMP/agent.sock"
  update_config '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW",
    "listenerPath": $s, "listenerMetadata": "exec-test",
    "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_NOTIFY"}]}' \
    --arg s "$TMP/agent.sock"
  start_sleeper
  # The init's connection is the first.
  wait_for_file "$TMP/agent.out.1"
  exec_detached "$TMP/pid" sh -c 'mkdir /dev/shm/d 2> /dev/shm/err; sleep 1000'
  wait_for_file "$TMP/agent.out.2"
  pid=$(cat "$TMP/pid")
  expect_eq "$(jq -r .pid "$TMP/agent.out.2")" "$pid" "pid sent to the listener"
  expect_eq "$(jq -r .metadata "$TMP/agent.out.2")" exec-test "metadata"
  expect_eq "$(jq -r .state.id "$TMP/agent.out.2")" "$CTR" "state.id"
  expect_eq "$(jq -r .state.pid "$TMP/agent.out.2")" "$INIT" "state.pid"
  run berth exec "$CTR" cat /dev/shm/err
  expect_status 0
  # The agent answered the notification.
  expect_contains "$output" "Host is down"
}

@test "exec: no fd of berth reaches the process; --preserve-fds passes fd 3 and up" {
  start_sleeper
  run berth exec "$CTR" sh -c 'ls /proc/self/fd | sort -n | tr "\n" " "'
  expect_status 0
  # 3 is ls's own directory fd.
  expect_eq "$output" "0 1 2 3 " "fds"
  echo "preserved content" > "$TMP/fd3"
  run "$BERTH_BIN" --root "$BERTH_ROOT" exec --preserve-fds 1 "$CTR" \
    sh -c 'cat <&3; ls /proc/self/fd | sort -n | tr "\n" " "' 3< "$TMP/fd3" < /dev/null
  expect_status 0
  expect_eq "${lines[0]}" "preserved content" "read from fd 3"
  expect_eq "${lines[1]}" "0 1 2 3 4 " "fds"
}

@test "exec: --detach writes the pid file and leaves the process running in the container" {
  start_sleeper
  exec_detached "$TMP/pid" sleep 1000
  pid=$(cat "$TMP/pid")
  [[ "$pid" =~ ^[0-9]+$ ]] || fail "pid file: \"$pid\""
  [ -d "/proc/$pid" ] || fail "process $pid is gone"
  expect_eq "$(tr '\0' ' ' < "/proc/$pid/cmdline")" "sleep 1000 " "cmdline"
  expect_eq "$(readlink "/proc/$pid/ns/pid")" "$(readlink "/proc/$INIT/ns/pid")" "pid namespace"
  run berth ps --format json "$CTR"
  expect_status 0
  expect_eq "$(echo "$output" | jq -c 'sort')" "$(jq -nc --argjson a "$INIT" --argjson b "$pid" '[$a, $b] | sort')" "pids"
  # delete takes it along.
  berth delete --force "$CTR"
  wait_for_pid_gone "$pid"
}

@test "exec: into a created container; it stays created" {
  set_args sleep 1000
  create_ctr "$CTR"
  run berth exec "$CTR" sh -c 'echo $$; cat /proc/1/cmdline | tr "\0" " "'
  expect_status 0
  [ "${lines[0]}" -gt 1 ] || fail "pid inside: ${lines[0]}"
  expect_contains "${lines[1]}" "berth"
  expect_eq "$(ctr_state "$CTR" status)" created "status"
}

@test "exec: a stopped, paused or unknown container is refused" {
  run berth exec nosuch true
  expect_exec_error 'container "nosuch" does not exist'
  start_sleeper
  berth pause "$CTR"
  run berth exec "$CTR" true
  expect_exec_error "cannot exec in a paused container"
  berth resume "$CTR"
  berth kill "$CTR" KILL
  wait_for_status "$CTR" stopped
  run berth exec "$CTR" true
  expect_exec_error "cannot exec in a stopped container"
}

@test "exec: failures before the workload runs: 255, a message, no process left" {
  start_sleeper
  run berth exec "$CTR" nosuch-command
  expect_exec_error 'exec: "nosuch-command": executable file not found in $PATH'
  run berth exec --cwd /nonexistent "$CTR" true
  expect_exec_error "process.cwd" "/nonexistent" "No such file or directory"
  run berth exec -u 1000 "$CTR" /etc/marker
  expect_exec_error "/etc/marker"
  run berth exec "$CTR"
  expect_exec_error "expected a command"
  run berth exec -e NOVALUE "$CTR" true
  expect_exec_error '--env: "NOVALUE" is not KEY=VALUE'
  only_init_in_cgroup
}

# The far end of a pty (tests/helpers/ttyhelper.c), built when missing.
ttyhelper () {
  local t="$REPO_ROOT/tests/helpers/ttyhelper"
  if [ ! -x "$t" ] || [ "$t.c" -nt "$t" ]; then
    make -s -C "$REPO_ROOT" tests/helpers/ttyhelper >&2 || return 1
  fi
  "$t" "$@"
}

@test "exec: -d -t sends a new pty's master over --console-socket" {
  local pid
  start_sleeper
  ttyhelper recv "$TMP/tty.sock" 'wait:ready' 'send:hello\n' > "$TMP/recv.out" 2>&1 3>&- &
  BG_PIDS+=("$!")
  local recv=$!
  wait_for_file "$TMP/tty.sock"
  run berth exec -d -t --console-socket "$TMP/tty.sock" --pid-file "$TMP/exec.pid" "$CTR" \
    sh -c 'tty; test -t 0 && echo stdin-tty; echo ready; read x; echo got:$x'
  expect_status 0
  pid=$(cat "$TMP/exec.pid")
  wait_bg "$recv" || { cat "$TMP/recv.out" >&2; fail "receiver failed"; }
  output=$(tr -d '\r' < "$TMP/recv.out")
  expect_contains "$output" "ttyhelper: name=/dev/ptmx master=ok"
  # A pty of the container's own devpts: its /dev/pts, not the host's.
  expect_contains "$output" /dev/pts/0
  expect_contains "$output" stdin-tty
  expect_contains "$output" got:hello
  only_init_in_cgroup
}

@test "exec: -t in the foreground proxies berth's terminal" {
  start_sleeper
  run ttyhelper pty 30 100 'wait:ready' 'send:abc\r' -- \
    "$BERTH_BIN" --root "$BERTH_ROOT" exec -t "$CTR" \
    sh -c 'stty size; echo ready; read x; echo got:$x; exit 6' 3>&-
  expect_status 6
  output=$(echo "$output" | tr -d '\r')
  expect_contains "$output" "30 100"
  expect_contains "$output" "got:abc"
  expect_contains "$output" "ttyhelper: termios restored"
  only_init_in_cgroup
}

@test "exec: a terminal needs someone to hold it (runc's rules)" {
  start_sleeper
  run berth exec -d -t "$CTR" true
  expect_exec_error "cannot allocate tty if berth will detach without setting console socket"
  run berth exec -d --console-socket "$TMP/sock" "$CTR" true
  expect_exec_error "cannot use console socket if berth will not detach or allocate tty"
  run berth exec -t --console-socket "$TMP/sock" "$CTR" true
  expect_exec_error "cannot use console socket if berth will not detach or allocate tty"
  run berth exec -d -t --console-socket "$TMP/no-such.sock" "$CTR" true
  expect_exec_error "--console-socket" "no-such.sock"
  only_init_in_cgroup
}

@test "exec: an AppArmor profile or SELinux label the host cannot apply is refused" {
  start_sleeper
  if [ "$(cat /sys/module/apparmor/parameters/enabled 2> /dev/null)" != Y ]; then
    run berth exec --apparmor some-profile "$CTR" true
    expect_exec_error "AppArmor is not enabled"
  fi
  if [ "$(stat -f -c %T /sys/fs/selinux 2> /dev/null)" != selinuxfs ]; then
    run berth exec --process-label "system_u:system_r:container_t:s0" "$CTR" true
    expect_exec_error "SELinux is not enabled"
  fi
  only_init_in_cgroup
}
