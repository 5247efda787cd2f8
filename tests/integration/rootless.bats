#!/usr/bin/env bats
# Rootless: berth run by an unprivileged user the file creates (and
# removes).  What is checked is what the kernel shows: the uid a process
# has on the host, the owner a chown inside gives a file on the host, the
# errors that come back, and that nothing is left once it is over.

load helpers

RL_PREFIX=brl

setup_file () {
  common_setup_file
  command -v useradd > /dev/null || skip "needs useradd"
  [ "$(cat /proc/sys/user/max_user_namespaces 2> /dev/null || echo 0)" -gt 0 ] \
    || skip "user namespaces are disabled"
  rootless_user_add "$RL_PREFIX"
}

teardown_file () {
  [ -n "${RL_USER:-}" ] || return 0
  pkill -9 -u "$RL_UID" 2> /dev/null || true
  userdel "$RL_USER" 2> /dev/null || true
}

setup () {
  common_setup
  RL_XDG="$TMP/xdg"
  mkdir -m 0700 "$RL_XDG"
  chown "$RL_UID:$RL_GID" "$RL_XDG"
  # root's teardown sweeps the user's state root too.
  BERTH_ROOT="$RL_XDG/berth"
  make_bundle_reachable
  chmod o+rx "$TMP"
  # The config the user's own `berth spec --rootless` writes.
  as_user "$BERTH_BIN" spec --rootless -b "$RL_XDG"
  mv "$RL_XDG/config.json" "$BUNDLE/config.json"
  update_config '.process.terminal = false'
}

teardown () {
  local left
  common_teardown
  left=$(pgrep -u "$RL_UID" 2> /dev/null || true)
  [ -z "$left" ] || fail "processes of $RL_USER left: $left"
}

# as_user CMD...: CMD as the test's user, with its runtime dir.
as_user () {
  setpriv --reuid "$RL_UID" --regid "$RL_GID" --clear-groups \
    env XDG_RUNTIME_DIR="$RL_XDG" HOME=/ USER="$RL_USER" "$@" 3>&-
}

# ub ARGS...: berth as the user, its state root from $XDG_RUNTIME_DIR.
ub () {
  as_user timeout -k 5 "${BERTH_TIMEOUT:-60}" "$BERTH_BIN" "$@" < /dev/null
}

# ub_detached ID: `run -d` of $BUNDLE as the user, with the container's
# stdio on files (a pipe of bats's would keep it waiting).
ub_detached () {
  ub run -d -b "$BUNDLE" "$1" > "$TMP/$1.out" 2> "$TMP/$1.err" \
    || fail "run -d $1: $(cat "$TMP/$1.err")"
}

subid_start () {
  awk -F: -v u="$RL_USER" '$1 == u { print $2; exit }' "$1"
}

# assert_nothing_made ID: no state dir, no process of the user (a killed
# init's zombie is given up to ~5 s to be reaped by the host's init).
assert_nothing_made () {
  local i
  [ ! -e "$RL_XDG/berth/$1" ] || fail "state dir of $1 was made"
  for ((i = 0; i < 100; i++)); do
    [ -n "$(pgrep -u "$RL_UID")" ] || return 0
    sleep 0.05
  done
  fail "a process of $RL_USER runs: $(pgrep -a -u "$RL_UID")"
}

@test "rootless: spec --rootless maps the caller to 0, no host network, no limits" {
  run jq -c '[.linux.uidMappings, .linux.gidMappings, ([.linux.namespaces[].type] | index("network")), .linux.resources, ([.mounts[] | select(.destination == "/sys")][0].options | index("rbind") != null), ([.mounts[] | select(.destination == "/dev/pts")][0].options | map(select(startswith("gid="))) | length)]' "$BUNDLE/config.json"
  expect_status 0
  expect_eq "$output" "[[{\"containerID\":0,\"hostID\":$RL_UID,\"size\":1}],[{\"containerID\":0,\"hostID\":$RL_GID,\"size\":1}],null,null,true,0]" "rootless spec"
}

@test "rootless: one's own id as root: on the host the process is the user" {
  set_args sleep 600
  ub_detached "$CTR"
  pid=$(ub state "$CTR" | jq -r .pid)
  [ "$pid" -gt 0 ]
  # The kernel's view from outside: the user's uid and gid.
  expect_eq "$(awk '/^Uid:/ { print $2 }' "/proc/$pid/status")" "$RL_UID" "host uid"
  expect_eq "$(awk '/^Gid:/ { print $2 }' "/proc/$pid/status")" "$RL_GID" "host gid"
  expect_eq "$(cat "/proc/$pid/setgroups")" "deny" "setgroups"
  run ub exec "$CTR" sh -c 'id -u; cat /proc/self/uid_map'
  expect_status 0
  expect_eq "${lines[0]}" 0 "uid inside"
  expect_eq "$(echo ${lines[1]})" "0 $RL_UID 1" "uid_map"
  run ub delete -f "$CTR"
  expect_status 0
  wait_for_pid_gone "$pid"
  assert_nothing_made "$CTR"
}

@test "rootless: state lives in \$XDG_RUNTIME_DIR/berth, and without it berth says so" {
  set_args sleep 600
  ub_detached "$CTR"
  [ -d "$RL_XDG/berth/$CTR" ] || fail "no state dir under \$XDG_RUNTIME_DIR/berth"
  expect_eq "$(stat -c %u "$RL_XDG/berth/$CTR")" "$RL_UID" "state dir owner"
  run ub list -q
  expect_eq "$output" "$CTR" "list"
  run ub delete -f "$CTR"
  expect_status 0
  assert_nothing_made "$CTR"
  run setpriv --reuid "$RL_UID" --regid "$RL_GID" --clear-groups \
    env -u XDG_RUNTIME_DIR "$BERTH_BIN" run -d -b "$BUNDLE" "$CTR" < /dev/null
  expect_status 1
  expect_contains "$output" 'XDG_RUNTIME_DIR is not set'
  assert_nothing_made "$CTR"
}

@test "rootless: subordinate ranges go through newuidmap: chown to 1000 inside" {
  command -v newuidmap > /dev/null || skip "needs newuidmap (uidmap)"
  su_start=$(subid_start /etc/subuid)
  sg_start=$(subid_start /etc/subgid)
  [ -n "$su_start" ] && [ -n "$sg_start" ] || skip "useradd gave $RL_USER no subordinate ids"
  update_config '.root.readonly = false
    | .linux.uidMappings = [{containerID: 0, hostID: $u, size: 1}, {containerID: 1, hostID: $su, size: 65536}]
    | .linux.gidMappings = [{containerID: 0, hostID: $g, size: 1}, {containerID: 1, hostID: $sg, size: 65536}]
    | .process.capabilities.bounding += ["CAP_CHOWN"]
    | .process.capabilities.effective += ["CAP_CHOWN"]
    | .process.capabilities.permitted += ["CAP_CHOWN"]' \
    --argjson u "$RL_UID" --argjson g "$RL_GID" \
    --argjson su "$su_start" --argjson sg "$sg_start"
  set_args sh -c "touch /tmp/$CTR && chown 1000:1000 /tmp/$CTR && cat /proc/self/uid_map"
  run ub run -b "$BUNDLE" "$CTR"
  expect_status 0
  # The kernel stored the subordinate id: start + 1000 - 1.
  expect_eq "$(stat -c %u:%g "$BUNDLE/rootfs/tmp/$CTR")" \
    "$((su_start + 999)):$((sg_start + 999))" "owner on the host"
  rm -f "$BUNDLE/rootfs/tmp/$CTR"
  assert_nothing_made "$CTR"
}

@test "rootless: ids outside one's /etc/subuid range are refused, nothing is made" {
  command -v newuidmap > /dev/null || skip "needs newuidmap (uidmap)"
  # Root's own ids are nobody's subordinate range.
  update_config '.linux.uidMappings = [{containerID: 0, hostID: $u, size: 1}, {containerID: 1, hostID: 1, size: 100}]' \
    --argjson u "$RL_UID"
  set_args true
  run ub run -b "$BUNDLE" "$CTR"
  expect_status 1
  expect_contains "$output" 'linux.uidMappings: newuidmap refused the ranges'
  expect_contains "$output" '1 1 100'
  expect_contains "$output" '/etc/subuid'
  assert_nothing_made "$CTR"
}

@test "rootless: joining a namespace the user does not own is refused, nothing is made" {
  unshare --net sleep 60 &
  holder=$!
  BG_PIDS+=("$holder")
  wait_for_file "/proc/$holder/ns/net"
  for ((i = 0; i < 50; i++)); do
    [ "$(readlink /proc/$holder/ns/net)" != "$(readlink /proc/self/ns/net)" ] && break
    sleep 0.05
  done
  update_config '.linux.namespaces += [{type: "network", path: $p}]' \
    --arg p "/proc/$holder/ns/net"
  set_args true
  run ub run -b "$BUNDLE" "$CTR"
  expect_status 1
  expect_contains "$output" "linux.namespaces"
  expect_contains "$output" "/proc/$holder/ns/net"
  assert_nothing_made "$CTR"
}

@test "rootless: --root at another user's state is refused, and it is left as it was" {
  other="$TMP/root-state"
  mkdir -m 0700 "$other"
  before=$(ls -la "$other")
  run ub --root "$other" run -b "$BUNDLE" "$CTR"
  expect_status 1
  expect_contains "$output" 'Permission denied'
  expect_eq "$(ls -la "$other")" "$before" "the other state root"
  assert_nothing_made "$CTR"
}

@test "rootless: without a delegated cgroup, a limit is refused naming it; none runs free" {
  if [ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ] \
    && setpriv --reuid "$RL_UID" --regid "$RL_GID" --clear-groups \
      test -w "/sys/fs/cgroup$(sed -n 's/^0:://p' /proc/self/cgroup | xargs dirname)"; then
    skip "this user has a writable cgroup here"
  fi
  update_config '.linux.resources = {memory: {limit: 67108864}}'
  set_args true
  run ub run -b "$BUNDLE" "$CTR"
  expect_status 1
  expect_contains "$output" 'linux.resources.memory: cannot set the limit'
  assert_nothing_made "$CTR"
  update_config 'del(.linux.resources)'
  set_args sh -c 'sleep 600 & sleep 600'
  ub_detached "$CTR"
  # No cgroup: ps and kill --all go by the pid namespace; pause cannot.
  run ub ps "$CTR"
  expect_status 0
  expect_eq "$(printf '%s\n' "${lines[@]}" | grep -c sleep)" 2 "sleeps in ps"
  run ub pause "$CTR"
  expect_status 1
  expect_contains "$output" 'no cgroup'
  run ub kill --all "$CTR" KILL
  expect_status 0
  wait_for_status "$CTR" stopped
  run ub delete "$CTR"
  expect_status 0
  assert_nothing_made "$CTR"
}

@test "rootless: the network annotations need root" {
  update_config '.annotations["run.oci.berth.net.veth"] = "bth-rl0"
    | .linux.namespaces += [{type: "network"}]'
  set_args true
  run ub run -b "$BUNDLE" "$CTR"
  expect_status 1
  expect_contains "$output" 'needs root'
  assert_nothing_made "$CTR"
}

@test "rootless: a delegated cgroup v2 subtree is used, and its limit holds" {
  requires cgroup_v2
  # A subtree handed to the user as systemd's user@.service hands one: the
  # directory and its cgroup.procs, cgroup.subtree_control and
  # cgroup.threads are the user's, the controllers enabled above it.
  deleg="/sys/fs/cgroup/$RL_USER-$BATS_TEST_NUMBER"
  mkdir "$deleg"
  echo "+memory +pids" > /sys/fs/cgroup/cgroup.subtree_control
  chown "$RL_UID:$RL_GID" "$deleg" "$deleg/cgroup.procs" \
    "$deleg/cgroup.subtree_control" "$deleg/cgroup.threads"
  mkdir "$deleg/shell"
  chown -R "$RL_UID:$RL_GID" "$deleg/shell"
  update_config '.linux.resources = {memory: {limit: 67108864}, pids: {limit: 20}}'
  set_args sleep 600
  # berth itself runs in the delegated subtree (its own cgroup is
  # $deleg/shell; the container's goes beside it, as with runc).  Root
  # moves the shell there: moving a process needs write access to the
  # cgroup.procs of the common ancestor, which is not the user's.
  run bash -c 'echo $$ > "$1/shell/cgroup.procs" && exec setpriv --reuid "$2" --regid "$3" --clear-groups env XDG_RUNTIME_DIR="$4" "$5" run -d -b "$6" "$7" < /dev/null > /dev/null 2> "$8"' \
    _ "$deleg" "$RL_UID" "$RL_GID" "$RL_XDG" "$BERTH_BIN" "$BUNDLE" "$CTR" \
    "$TMP/run.err"
  status_run=$status
  output+=$(cat "$TMP/run.err")
  if [ "$status_run" = 0 ]; then
    pid=$(ub state "$CTR" | jq -r .pid)
    cg=$(sed -n 's/^0:://p' "/proc/$pid/cgroup")
    mem=$(cat "/sys/fs/cgroup$cg/memory.max")
    pids=$(cat "/sys/fs/cgroup$cg/pids.max")
    ub delete -f "$CTR"
  fi
  rmdir "$deleg/shell" "$deleg"/* "$deleg" 2> /dev/null || true
  [ "$status_run" = 0 ] || fail "run -d in the delegated subtree failed: $output"
  expect_eq "$cg" "/$RL_USER-$BATS_TEST_NUMBER/$CTR" "the container's cgroup"
  expect_eq "$mem" 67108864 "memory.max"
  expect_eq "$pids" 20 "pids.max"
  [ ! -d "$deleg" ] || fail "delegated subtree left"
}

# ro_cgroups CMD...: CMD as root in a mount namespace of its own where
# every cgroup hierarchy is mounted read-only (the host's mounts are left
# as they are): root may then make no cgroup, as a user may not.
ro_cgroups () {
  unshare --mount --propagation private sh -c '
    for m in $(findmnt -rn -R -o TARGET /sys/fs/cgroup); do
      mount -o remount,bind,ro "$m" || exit 99
    done
    exec "$@"' _ "$@"
}

@test "rootless: --rootless true as root: no cgroup where none can be made, a limit is refused naming it" {
  update_config '.linux.resources = {memory: {limit: 67108864}}'
  set_args true
  # The normal handling (auto, as root) tries the cgroup and the kernel
  # refuses it.
  run ro_cgroups "$BERTH_BIN" --root "$BERTH_ROOT" run -b "$BUNDLE" "$CTR"
  expect_status 1
  expect_contains "$output" 'Read-only file system'
  assert_nothing_made "$CTR"
  run ro_cgroups "$BERTH_BIN" --root "$BERTH_ROOT" --rootless true run -b "$BUNDLE" "$CTR"
  expect_status 1
  expect_contains "$output" 'linux.resources.memory: cannot set the limit'
  assert_nothing_made "$CTR"
  # Without the limit the container runs, in berth's own cgroups.
  update_config 'del(.linux.resources)'
  set_args sleep 600
  ro_cgroups "$BERTH_BIN" --root "$BERTH_ROOT" --rootless true run -d \
    -b "$BUNDLE" "$CTR" < /dev/null > /dev/null 2> "$TMP/run.err" \
    || fail "run -d: $(cat "$TMP/run.err")"
  pid=$(berth state "$CTR" | jq -r .pid)
  expect_eq "$(sort "/proc/$pid/cgroup")" "$(sort /proc/$BASHPID/cgroup)" "the container's cgroups"
  run berth delete -f "$CTR"
  expect_status 0
  wait_for_pid_gone "$pid"
  assert_nothing_made "$CTR"
}

@test "rootless: --rootless false as a user: the cgroup is tried, and the kernel's refusal is the error" {
  set_args true
  run ub --rootless false run -b "$BUNDLE" "$CTR"
  expect_status 1
  expect_contains "$output" '/sys/fs/cgroup/'
  expect_contains "$output" 'Permission denied'
  assert_nothing_made "$CTR"
  run ub --rootless maybe run -b "$BUNDLE" "$CTR"
  expect_status 1
  expect_contains "$output" '--rootless: "maybe" is not true, false or auto'
  assert_nothing_made "$CTR"
}

@test "rootless: root in a user namespace is rootless in auto: a limit is refused, none runs free" {
  # berth as uid 0 of a user namespace the user made, as rootless podman
  # runs it; 0 there is the user on the host.
  update_config '.linux.uidMappings = [{containerID: 0, hostID: 0, size: 1}]
    | .linux.gidMappings = [{containerID: 0, hostID: 0, size: 1}]
    | .linux.resources = {memory: {limit: 67108864}}'
  set_args true
  run as_user unshare --user --map-root-user "$BERTH_BIN" run -b "$BUNDLE" "$CTR" < /dev/null
  expect_status 1
  expect_contains "$output" 'linux.resources.memory: cannot set the limit'
  assert_nothing_made "$CTR"
  # --rootless false: the cgroup is tried, and refused.
  run as_user unshare --user --map-root-user "$BERTH_BIN" --rootless false run -b "$BUNDLE" "$CTR" < /dev/null
  expect_status 1
  expect_contains "$output" 'Permission denied'
  assert_nothing_made "$CTR"
  update_config 'del(.linux.resources)'
  set_args sleep 600
  as_user unshare --user --map-root-user "$BERTH_BIN" run -d -b "$BUNDLE" \
    "$CTR" < /dev/null > /dev/null 2> "$TMP/run.err" \
    || fail "run -d: $(cat "$TMP/run.err")"
  # The state went to \$XDG_RUNTIME_DIR, as runc's for a namespace's root.
  pid=$(ub state "$CTR" | jq -r .pid)
  [ "$pid" -gt 0 ]
  # The container's 0 is the namespace's 0, which is the user on the host;
  # and it is in no cgroup of its own.
  expect_eq "$(awk '/^Uid:/ { print $2 }' "/proc/$pid/status")" "$RL_UID" "host uid"
  expect_eq "$(sort "/proc/$pid/cgroup")" "$(sort /proc/$BASHPID/cgroup)" "the container's cgroups"
  run as_user unshare --user --map-root-user "$BERTH_BIN" delete -f "$CTR"
  expect_status 0
  wait_for_pid_gone "$pid"
  assert_nothing_made "$CTR"
}

@test "rootless: --overlay in the user's namespace: writes land in the state dir, the rootfs is untouched" {
  update_config '.root.readonly = false'
  set_args sh -c "echo rl-over > /$CTR && cat /$CTR"
  run ub run --overlay -b "$BUNDLE" "$CTR"
  expect_status 0
  expect_eq "${lines[-1]}" rl-over "read back inside"
  [ ! -e "$BUNDLE/rootfs/$CTR" ] || fail "the write reached the rootfs"
  assert_nothing_made "$CTR"
  expect_eq "$(mounts_under "$RL_XDG")" "" "mounts left"
}
