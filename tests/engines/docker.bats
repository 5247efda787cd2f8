#!/usr/bin/env bats
# Docker (Debian's docker.io 20.10, dockerd with --add-runtime berth) with
# the cgroupfs driver.  dockerd runs from this file's temp dir (data-root,
# exec-root, pidfile, socket; no bridge and no iptables rules) and is
# stopped by its pid at the end.  ENGINE_RUNTIME=/usr/sbin/runc runs the
# same tests against runc.

load helpers

setup_file () {
  requires_engine dockerd docker
  engine_docker_up "$ENGINE_RUNTIME" cgroupfs
}

teardown_file () {
  engine_docker_down
}

setup () {
  requires_engine dockerd docker
  NAME="berth-e2e-docker-${BATS_TEST_NUMBER}-$$"
}

teardown () {
  d rm -f "$NAME" > /dev/null 2>&1 || true
}

@test "docker: run --rm echo, and the exit code passes through" {
  run d run --rm --runtime berth --network none "$IMAGE" echo hello from berth
  expect_status 0
  [ "$output" = "hello from berth" ] || fail "output: $output"
  run d run --rm --runtime berth --network none "$IMAGE" sh -c 'exit 3'
  expect_status 3
}

@test "docker: a process that cannot run: 127 when it is not found, 126 when it cannot be executed" {
  # dockerd reads the words of the runtime's error that containerd passes
  # on, lowercased (daemon/errors.go, translateContainerdStartErr): "executable
  # file not found", "no such file or directory" are 127, "permission
  # denied" 126 (docs/engines.md).  `docker exec` exits 126 for any exec
  # that fails to start, with runc too.  Not with bats's run, which warns
  # about 127.
  exit_status_of 127 d run --rm --runtime berth --network none "$IMAGE" nosuchcommand
  exit_status_of 126 d run --rm --runtime berth --network none "$IMAGE" /etc
  run d run -d --runtime berth --network none --name "$NAME" "$IMAGE" sleep 1000
  expect_status 0
  exit_status_of 126 d exec "$NAME" nosuchcommand
  exit_status_of 126 d exec "$NAME" /etc
}

@test "docker: run -d, exec, pause/unpause, kill, rm" {
  run d run -d --runtime berth --network none --name "$NAME" "$IMAGE" sleep 1000
  expect_status 0
  run d exec "$NAME" sh -c 'echo in-exec; exit 4'
  expect_status 4
  expect_contains "$output" in-exec
  run d pause "$NAME"
  expect_status 0
  run d inspect -f '{{.State.Status}}' "$NAME"
  [ "$output" = paused ] || fail "state after pause: $output"
  run d unpause "$NAME"
  expect_status 0
  run d kill "$NAME"
  expect_status 0
  run d wait "$NAME"
  [ "$output" = 137 ] || fail "docker wait: $output, expected 137"
  run d rm "$NAME"
  expect_status 0
}

@test "docker: --memory 64m is the kernel's limit, under --cgroup-parent" {
  local pid path limit
  run d run -d --runtime berth --network none --memory 64m --name "$NAME" "$IMAGE" sleep 1000
  expect_status 0
  pid=$(d inspect -f '{{.State.Pid}}' "$NAME")
  if [ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ]; then
    path=$(sed -n 's/^0:://p' "/proc/$pid/cgroup")
    limit=$(cat "/sys/fs/cgroup$path/memory.max")
  else
    path=$(awk -F: '{ n = split($2, a, ","); for (i = 1; i <= n; i++) if (a[i] == "memory") print $3 }' "/proc/$pid/cgroup")
    limit=$(cat "/sys/fs/cgroup/memory$path/memory.limit_in_bytes")
  fi
  [ "$limit" = $((64 * 1024 * 1024)) ] || fail "memory limit: $limit"
  expect_contains "$path" "$DOCKER_CGROUP_PARENT/"
}
