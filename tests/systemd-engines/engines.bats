#!/usr/bin/env bats
# Docker and containerd at their systemd-host defaults, driving berth with
# --systemd-cgroup, in the guest with systemd as PID 1
# (make check-systemd-engines: BERTH_VM_INIT=systemd contrib/vm/run bats
# tests/systemd-engines; not in make check, the daemons take minutes to
# start under TCG).  Each runs a container with a 64 MiB memory limit that
# reads the limit back from inside, and the container's cgroup is the scope
# systemd made for it.

load ../engines/helpers

setup () {
  [ -d /run/systemd/system ] || skip "systemd is not this host's init (run in BERTH_VM_INIT=systemd contrib/vm/run)"
}

teardown () {
  case "${ENGINE_UP:-}" in
    docker) engine_docker_down ;;
    containerd) engine_containerd_down ;;
  esac
  ENGINE_UP=""
}

LIMIT=$((64 * 1024 * 1024))
# The memory limit of the cgroup the shell is in, as the container sees
# it, then that cgroup (with a cgroup namespace, Docker's, "/").
READ_LIMIT='p=$(sed -n "s/^0:://p" /proc/self/cgroup); cat "/sys/fs/cgroup$p/memory.max"; echo "$p"'

# expect_scope UNIT: systemd knows UNIT, active, with MemoryMax=$LIMIT.
expect_scope () {
  local state max
  state=$(systemctl show -P ActiveState "$1")
  max=$(systemctl show -P MemoryMax "$1")
  [ "$state" = active ] || fail "$1: ActiveState $state"
  [ "$max" = "$LIMIT" ] || fail "$1: MemoryMax $max"
}

@test "systemd engines: Docker with native.cgroupdriver=systemd" {
  requires_engine dockerd docker
  engine_docker_up "$ENGINE_RUNTIME" systemd
  ENGINE_UP=docker
  local name="berth-sd-docker-$$" id pid
  run d run -d --runtime berth --memory 64m --network none --name "$name" "$IMAGE" sleep 1000
  expect_status 0
  id=$(d inspect -f '{{.Id}}' "$name")
  pid=$(d inspect -f '{{.State.Pid}}' "$name")
  # Docker's systemd form "system.slice:docker:<id>": the scope
  # docker-<id>.scope in system.slice, with the init in it.
  expect_scope "docker-$id.scope"
  run sed -n 's/^0:://p' "/proc/$pid/cgroup"
  [ "$output" = "/system.slice/docker-$id.scope" ] || fail "the init's cgroup: $output"
  run d exec "$name" sh -c "$READ_LIMIT"
  expect_status 0
  [ "${lines[0]}" = "$LIMIT" ] || fail "memory.max in the container: $output"
  run d rm -f "$name"
  expect_status 0
  run systemctl show -P LoadState "docker-$id.scope"
  [ "$output" = not-found ] || fail "docker-$id.scope after rm: $output"
}

@test "systemd engines: containerd with SystemdCgroup (ctr run --runc-systemd-cgroup)" {
  requires_engine containerd ctr containerd-shim-runc-v2 podman
  engine_containerd_up
  ENGINE_UP=containerd
  local id="berth-sd-ctr-$$" unit i
  unit="berth-ctr-$id.scope"
  # ctr passes --cgroup as the spec's cgroupsPath and SystemdCgroup=true to
  # the runc v2 shim, which runs berth --systemd-cgroup (the CRI plugin
  # with SystemdCgroup = true sends the same "slice:prefix:name" form,
  # kubepods slices and "cri-containerd" as the prefix).
  # ctr's spec mounts no cgroupfs: the host's, read-only, for the limit.
  run c run -d --runc-binary "$ENGINE_RUNTIME" --runc-systemd-cgroup \
    --cgroup "system.slice:berth-ctr:$id" --memory-limit "$LIMIT" \
    --mount type=bind,src=/sys/fs/cgroup,dst=/sys/fs/cgroup,options=rbind:ro \
    "$IMAGE" "$id" sleep 1000
  expect_status 0
  expect_scope "$unit"
  run c task exec --exec-id e1 "$id" sh -c "$READ_LIMIT"
  expect_status 0
  [ "${lines[0]}" = "$LIMIT" ] || fail "memory.max in the container: $output"
  [ "${lines[1]}" = "/system.slice/$unit" ] || fail "cgroup: $output"
  run c task kill -s SIGKILL "$id"
  expect_status 0
  for ((i = 0; i < 100; i++)); do
    [ "$(c task ls | awk -v id="$id" '$1 == id { print $3 }')" = STOPPED ] && break
    sleep 0.2
  done
  run c task rm "$id"
  expect_status 0
  run c container rm "$id"
  expect_status 0
  run systemctl show -P LoadState "$unit"
  [ "$output" = not-found ] || fail "$unit after the container went: $output"
}
