#!/usr/bin/env bats
# podman (through conmon) with berth as its --runtime: what users of
# `podman run --runtime berth` do.  ENGINE_RUNTIME=/usr/sbin/runc runs the
# same tests against runc.

load helpers

setup_file () {
  requires_engine podman conmon
  engine_podman_up
}

teardown_file () {
  engine_podman_down
}

setup () {
  requires_engine podman conmon
  NAME="berth-e2e-${BATS_TEST_NUMBER}-$$"
}

teardown () {
  p rm -f -t 0 "$NAME" > /dev/null 2>&1 || true
}

# cgroup_file PID V1-CONTROLLER V1-FILE V2-FILE: a file of PID's cgroup, read
# on the host.
cgroup_file () {
  local pid=$1 path
  if [ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ]; then
    path=$(sed -n 's/^0:://p' "/proc/$pid/cgroup")
    cat "/sys/fs/cgroup$path/$4"
  else
    path=$(awk -F: -v c="$2" '{ n = split($2, a, ","); for (i = 1; i <= n; i++) if (a[i] == c) print $3 }' "/proc/$pid/cgroup")
    cat "/sys/fs/cgroup/$2$path/$3"
  fi
}

@test "podman: run --rm echo" {
  run p run --rm "$IMAGE" echo hello from berth
  expect_status 0
  [ "$output" = "hello from berth" ] || fail "output: $output"
}

@test "podman: exit codes pass through (3, and 137 for SIGKILL)" {
  run p run --rm "$IMAGE" sh -c 'exit 3'
  expect_status 3
  # (PID 1 cannot SIGKILL itself: the kill comes from podman.)
  run p run -d --name "$NAME" "$IMAGE" sleep 1000
  expect_status 0
  run p kill -s KILL "$NAME"
  expect_status 0
  run p wait "$NAME"
  expect_status 0
  [ "$output" = 137 ] || fail "podman wait: $output, expected 137"
}

@test "podman: a process that cannot run: 127 when it is not found, 126 when it cannot be executed" {
  # podman reads the runtime's words (libpod/oci_util.go,
  # getOCIRuntimeError): "executable file not found in" or "no such file
  # or directory" is 127, "permission denied" 126 (docs/engines.md).
  # Not with bats's run: it warns about 127 without a minimum version.
  exit_status_of 127 p run --rm "$IMAGE" nosuchcommand
  exit_status_of 126 p run --rm "$IMAGE" /etc
  run p run -d --name "$NAME" "$IMAGE" sleep 1000
  expect_status 0
  exit_status_of 127 p exec "$NAME" nosuchcommand
  exit_status_of 127 p exec "$NAME" /nosuchfile
  exit_status_of 126 p exec "$NAME" /etc
}

@test "podman: run -d, exec, top, stats, pause/unpause, stop, rm" {
  run p run -d --name "$NAME" "$IMAGE" sleep 1000
  expect_status 0
  run p exec "$NAME" sh -c 'echo in; cat /proc/1/cmdline | tr "\0" " "'
  expect_status 0
  expect_contains "$output" "in"
  expect_contains "$output" "sleep 1000"
  run p exec "$NAME" sh -c 'exit 7'
  expect_status 7
  run p top "$NAME"
  expect_status 0
  expect_contains "$output" "sleep 1000"
  run p stats --no-stream --format '{{.Name}} {{.MemUsage}}' "$NAME"
  expect_status 0
  expect_contains "$output" "$NAME"
  run p pause "$NAME"
  expect_status 0
  run p inspect --format '{{.State.Status}}' "$NAME"
  expect_contains "$output" paused
  run p unpause "$NAME"
  expect_status 0
  run p inspect --format '{{.State.Status}}' "$NAME"
  expect_contains "$output" running
  run p stop -t 1 "$NAME"
  expect_status 0
  run p inspect --format '{{.State.Status}}' "$NAME"
  expect_contains "$output" exited
  run p rm "$NAME"
  expect_status 0
}

@test "podman: exec -t gets a terminal" {
  run p run -d --name "$NAME" "$IMAGE" sleep 1000
  expect_status 0
  run script -qec "podman --runtime $ENGINE_RUNTIME exec -t $NAME sh -c 'tty; stty size'" /dev/null
  expect_status 0
  expect_contains "$output" /dev/pts/
}

@test "podman: run -t under script gets a terminal" {
  run script -qec "podman --runtime $ENGINE_RUNTIME run --rm -t $IMAGE sh -c 'tty; test -t 0 && echo stdin-is-a-tty'" /dev/null
  expect_status 0
  expect_contains "$output" stdin-is-a-tty
}

@test "podman: --memory 64m: a 100 MiB allocation is killed (137)" {
  run p run --rm --memory 64m --memory-swap 64m "$IMAGE" dd if=/dev/zero of=/dev/null bs=100M count=1
  expect_status 137
  run p run --rm --memory 64m --memory-swap 64m "$IMAGE" dd if=/dev/zero of=/dev/null bs=16M count=1
  expect_status 0
}

@test "podman: --cpus 0.5 sets the CFS quota" {
  local pid
  run p run -d --name "$NAME" --cpus 0.5 "$IMAGE" sleep 1000
  expect_status 0
  pid=$(p inspect --format '{{.State.Pid}}' "$NAME")
  run cgroup_file "$pid" cpu cpu.cfs_quota_us cpu.max
  expect_status 0
  expect_contains "$output" 50000
}

@test "podman: --pids-limit 10 stops forks" {
  local script='for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do sleep 5 & done; echo started'
  run p run --rm --pids-limit 10 "$IMAGE" sh -c "$script"
  [ "$status" -ne 0 ] || fail "15 forks under --pids-limit 10 succeeded: $output"
  expect_contains "$output" "can't fork"
  run p run --rm --pids-limit 100 "$IMAGE" sh -c "$script"
  expect_status 0
  expect_contains "$output" started
}

@test "podman: --network none has only lo" {
  run p run --rm --network none "$IMAGE" ls /sys/class/net
  expect_status 0
  [ "$output" = lo ] || fail "interfaces: $output"
}

@test "podman: the default bridge network gives eth0 an address" {
  run p run --rm "$IMAGE" ip -4 addr show eth0
  expect_status 0
  expect_contains "$output" "inet "
}
