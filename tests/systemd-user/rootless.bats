#!/usr/bin/env bats
# Rootless --systemd-cgroup in the guest with systemd as PID 1: a user the
# file creates (and removes), with its own systemd (user@UID.service,
# started as `loginctl enable-linger` would start it), runs berth with
# --systemd-cgroup.  The kernel's word is checked: the container's cgroup
# is a scope under user@UID.service, and its memory.max is the limit.

load helpers

setup_file () {
  user_manager_up brlsd
}

teardown_file () {
  user_manager_down
}

setup () {
  needs_user_bus
  common_setup
  BERTH_ROOT="/run/user/$RL_UID/berth"
  make_bundle_reachable
  chmod o+rx "$TMP"
  mkdir -m 0700 "$TMP/spec"
  chown "$RL_UID:$RL_GID" "$TMP/spec"
  as_user "$BERTH_BIN" spec --rootless -b "$TMP/spec"
  mv "$TMP/spec/config.json" "$BUNDLE/config.json"
  update_config '.process.terminal = false'
}

teardown () {
  ub delete -f "$CTR" > /dev/null 2>&1 || true
  common_teardown
}

as_user () {
  setpriv --reuid "$RL_UID" --regid "$RL_GID" --clear-groups \
    env XDG_RUNTIME_DIR="/run/user/$RL_UID" HOME=/ "$@" 3>&-
}

ub () {
  as_user timeout -k 5 "${BERTH_TIMEOUT:-120}" "$BERTH_BIN" "$@" < /dev/null
}

@test "rootless systemd: the scope is in the user's own systemd, and its memory limit holds" {
  update_config '.linux.resources = {memory: {limit: 67108864}, pids: {limit: 30}}'
  set_args sleep 600
  ub --systemd-cgroup run -d -b "$BUNDLE" "$CTR" > /dev/null 2> "$TMP/run.err" \
    || fail "run -d: $(cat "$TMP/run.err")"
  pid=$(ub state "$CTR" | jq -r .pid)
  [ "$pid" -gt 0 ]
  cg=$(sed -n 's/^0:://p' "/proc/$pid/cgroup")
  expect_eq "$cg" "/user.slice/user-$RL_UID.slice/user@$RL_UID.service/user.slice/berth-$CTR.scope" "the container's cgroup"
  expect_eq "$(cat "/sys/fs/cgroup$cg/memory.max")" 67108864 "memory.max"
  expect_eq "$(cat "/sys/fs/cgroup$cg/pids.max")" 30 "pids.max"
  run ub delete -f "$CTR"
  expect_status 0
  wait_for_pid_gone "$pid"
  [ ! -d "/sys/fs/cgroup$cg" ] || fail "the scope's cgroup is left: $cg"
}

@test "rootless systemd: without a user bus berth says what is missing, and makes nothing" {
  set_args true
  run setpriv --reuid "$RL_UID" --regid "$RL_GID" --clear-groups \
    env -u XDG_RUNTIME_DIR -u DBUS_SESSION_BUS_ADDRESS HOME=/ \
    "$BERTH_BIN" --root "$BERTH_ROOT" --systemd-cgroup run -b "$BUNDLE" "$CTR" < /dev/null
  expect_status 1
  expect_contains "$output" 'neither DBUS_SESSION_BUS_ADDRESS nor XDG_RUNTIME_DIR'
  [ ! -e "$BERTH_ROOT/$CTR" ] || fail "state dir made"
}
