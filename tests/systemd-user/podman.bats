#!/usr/bin/env bats
# Rootless podman with berth as its runtime, in the guest with systemd as
# PID 1: a user the file creates (and removes), with its own systemd
# (user@UID.service) and subordinate ids from useradd, runs `podman
# --runtime berth run` with the systemd cgroup manager through its user
# session and vfs storage.  podman runs berth as root in the user
# namespace it made, so berth is rootless by `--rootless auto` and goes
# through the user's bus.  The kernel's word is checked: the memory limit
# read from inside, and the container's cgroup under user@UID.service.

load helpers

# shellcheck source=../../contrib/engines/env.bash
. "$BATS_TEST_DIRNAME/../../contrib/engines/env.bash"

LIMIT=$((64 * 1024 * 1024))
# The memory limit of the cgroup the shell is in, as the container sees it
# (with or without a cgroup namespace), then that cgroup's path.
READ_LIMIT='cat "/sys/fs/cgroup$(sed -n "s/^0:://p" /proc/self/cgroup)/memory.max"; sed -n "s/^0:://p" /proc/self/cgroup'

setup_file () {
  user_manager_up brlpd
}

teardown_file () {
  user_manager_down
}

setup () {
  needs_user_bus
  command -v podman > /dev/null && command -v conmon > /dev/null \
    || skip "podman and conmon are not installed (contrib/install-deps)"
  command -v newuidmap > /dev/null || skip "newuidmap is not installed (uidmap)"
  grep -q "^$RL_USER:" /etc/subuid || skip "useradd gave $RL_USER no range in /etc/subuid"
  common_setup
  # podman's storage and configuration, the user's; its runtime state in
  # the user's runtime dir.
  PH=$(mktemp -d /tmp/berth-rlpodman.XXXXXX)
  chmod 0755 "$PH"
  ENG=$PH
  make_rootfs_tar "$PH/rootfs.tar"
  chmod 0644 "$PH/rootfs.tar"
  mkdir -p "$PH/home"
  cat > "$PH/home/storage.conf" << CONF
[storage]
driver = "vfs"
graphroot = "$PH/home/graph"
runroot = "/run/user/$RL_UID/berth-podman-run"
CONF
  cat > "$PH/home/containers.conf" << CONF
[engine]
cgroup_manager = "systemd"
events_logger = "file"
events_logfile_path = "$PH/home/events.log"
CONF
  chown -R "$RL_UID:$RL_GID" "$PH/home"
}

teardown () {
  up rm -a -f -t 0 > /dev/null 2>&1 || true
  # The vfs layers belong to the user's subordinate ids: root removes them.
  [ -n "${PH:-}" ] && rm -rf "$PH"
  common_teardown
}

# up ARGS...: rootless podman as the user, with berth as its runtime.
up () {
  setpriv --reuid "$RL_UID" --regid "$RL_GID" --clear-groups \
    env HOME="$PH/home" XDG_RUNTIME_DIR="/run/user/$RL_UID" \
    DBUS_SESSION_BUS_ADDRESS="unix:path=/run/user/$RL_UID/bus" \
    CONTAINERS_STORAGE_CONF="$PH/home/storage.conf" \
    CONTAINERS_CONF="$PH/home/containers.conf" \
    timeout -k 5 "${BERTH_TIMEOUT:-300}" \
    podman --runtime "$BERTH_BIN" "$@" < /dev/null 3>&-
}

@test "rootless podman: berth runs the container in the user's systemd, and its memory limit holds" {
  run up import -q "$PH/rootfs.tar" "$IMAGE"
  expect_status 0
  run up run --rm --memory 64m --network none "$IMAGE" sh -c "$READ_LIMIT"
  expect_status 0
  expect_eq "${lines[0]}" "$LIMIT" "memory.max in the container ($output)"
  # The container's cgroup as it sees it: / inside a cgroup namespace (the
  # host's view is the next test's), else the path under the user's manager.
  if [ "${lines[1]}" != / ]; then
    expect_contains "${lines[1]}" "user@$RL_UID.service"
  fi
}

@test "rootless podman: the container's processes run as the user's ids on the host" {
  run up import -q "$PH/rootfs.tar" "$IMAGE"
  expect_status 0
  run up run -d --network none "$IMAGE" sleep 600
  expect_status 0
  id=${lines[-1]}
  run up inspect -f '{{.State.Pid}}' "$id"
  expect_status 0
  pid=${lines[-1]}
  [ "$pid" -gt 0 ] || fail "no pid: $output"
  # Root in the container is the user on the host.
  expect_eq "$(stat -c %u "/proc/$pid")" "$RL_UID" "the host uid of the container's init"
  cg=$(sed -n 's/^0:://p' "/proc/$pid/cgroup")
  expect_contains "$cg" "/user.slice/user-$RL_UID.slice/user@$RL_UID.service/"
  run up rm -f -t 0 "$id"
  expect_status 0
  wait_for_pid_gone "$pid"
  [ ! -d "/sys/fs/cgroup$cg" ] || fail "the container's cgroup is left: $cg"
}
