#!/usr/bin/env bats
# podman, Docker and containerd at their systemd-host defaults, driving
# berth with --systemd-cgroup, in the guest with systemd as PID 1.  Each
# runs a container with a 64 MiB memory limit and reads the limit back from
# inside the container, through the container's own /proc/self/cgroup.

ENG_SYSTEMD_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
load ../engines/helpers

setup () {
  [ -d /run/systemd/system ] || skip "systemd is not this host's init (run in BERTH_VM_INIT=systemd contrib/vm/run)"
}

teardown () {
  case "${ENGINE_UP:-}" in
    podman) engine_podman_down ;;
    docker) engine_docker_down ;;
    containerd) engine_containerd_down ;;
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

@test "systemd engines: Docker with native.cgroupdriver=systemd" {
  requires_engine dockerd docker
  engine_docker_up "$ENGINE_RUNTIME" systemd
  ENGINE_UP=docker
  run d run --rm --runtime berth --memory 64m --network none "$IMAGE" sh -c "$READ_LIMIT; cat /proc/1/cgroup"
  expect_status 0
  [ "${lines[0]}" = "$LIMIT" ] || fail "memory.max in the container: $output"
  # Docker's systemd form: system.slice:docker:<id> is docker-<id>.scope.
  run d ps -a
}

@test "systemd engines: containerd with SystemdCgroup (ctr run --runc-systemd-cgroup)" {
  requires_engine containerd ctr containerd-shim-runc-v2 podman
  engine_containerd_up
  ENGINE_UP=containerd
  local id="berth-sd-$$"
  run c run --rm --runc-binary "$ENGINE_RUNTIME" --runc-systemd-cgroup \
    --cgroup "system.slice:berth-ctr:$id" --memory-limit "$LIMIT" \
    "$IMAGE" "$id" sh -c "$READ_LIMIT"
  expect_status 0
  [ "${lines[0]}" = "$LIMIT" ] || fail "memory.max in the container: $output"
  [ "${lines[1]}" = "/system.slice/berth-ctr-$id.scope" ] || fail "cgroup: $output"
}
