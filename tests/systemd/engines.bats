#!/usr/bin/env bats
# podman at its systemd-host default (cgroup_manager = "systemd"), driving
# berth with --systemd-cgroup, in the guest with systemd as PID 1: a
# container with a 64 MiB memory limit reads the limit back from inside,
# through its own /proc/self/cgroup.  Docker and containerd with systemd
# cgroups: tests/systemd-engines (make check-systemd-engines; their daemons
# take minutes to start under TCG, so not in make check).

load ../engines/helpers

setup () {
  [ -d /run/systemd/system ] || skip "systemd is not this host's init (run in BERTH_VM_INIT=systemd contrib/vm/run)"
}

teardown () {
  case "${ENGINE_UP:-}" in
    podman) engine_podman_down ;;
  esac
  ENGINE_UP=""
}

LIMIT=$((64 * 1024 * 1024))
# The memory limit of the cgroup the shell is in, as the container sees it
# (with or without a cgroup namespace).
READ_LIMIT='cat "/sys/fs/cgroup$(sed -n "s/^0:://p" /proc/self/cgroup)/memory.max"; sed -n "s/^0:://p" /proc/self/cgroup'

@test "systemd engines: podman --cgroup-manager systemd" {
  requires_engine podman conmon
  engine_podman_up vfs systemd
  ENGINE_UP=podman
  run p --cgroup-manager systemd run --rm --memory 64m --network none "$IMAGE" sh -c "$READ_LIMIT"
  expect_status 0
  [ "${lines[0]}" = "$LIMIT" ] || fail "memory.max in the container: $output"
}
