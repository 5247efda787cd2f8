#!/usr/bin/env bats
# containerd (its runc v2 shim, `ctr run --runc-binary`) with berth as the
# runc binary.  containerd runs from this file's temp dir with the CRI
# plugin disabled, and is stopped by its pid at the end.

load helpers

setup_file () {
  requires_engine containerd ctr containerd-shim-runc-v2 podman
  engine_containerd_up
}

teardown_file () {
  engine_containerd_down
}

setup () {
  requires_engine containerd ctr containerd-shim-runc-v2 podman
  ID="berth-e2e-${BATS_TEST_NUMBER}-$$"
}

teardown () {
  local id
  for id in "$ID-b" "$ID"; do
    c task kill -s SIGKILL "$id" > /dev/null 2>&1 || true
    c task delete -f "$id" > /dev/null 2>&1 || true
    c container delete "$id" > /dev/null 2>&1 || true
  done
}

# task_status: the status of task $ID (RUNNING, PAUSED, STOPPED...).
task_status () {
  c task ls | awk -v id="$ID" '$1 == id { print $3 }'
}

# wait_task_status STATUS: up to 10 s.
wait_task_status () {
  local i
  for ((i = 0; i < 200; i++)); do
    [ "$(task_status)" = "$1" ] && return 0
    sleep 0.05
  done
  fail "task $ID is $(task_status), not $1"
}

@test "containerd: ctr run --rm echo" {
  run ctr_run --rm "$IMAGE" "$ID" echo hello from berth
  expect_status 0
  [ "$output" = "hello from berth" ] || fail "output: $output"
}

@test "containerd: the exit code passes through" {
  run ctr_run --rm "$IMAGE" "$ID" sh -c 'exit 5'
  expect_status 5
}

@test "containerd: run -t gets a terminal" {
  run script -qec "ctr --address $ENG/containerd.sock run --runc-binary $ENGINE_RUNTIME --rm -t $IMAGE $ID sh -c 'test -t 0 && echo stdin-is-a-tty'" /dev/null
  expect_status 0
  expect_contains "$output" stdin-is-a-tty
}

@test "containerd: run -d, task exec, ps, pause/resume, kill, rm" {
  local pid
  run ctr_run -d "$IMAGE" "$ID" sleep 1000
  expect_status 0
  wait_task_status RUNNING
  run c task exec --exec-id e1 "$ID" sh -c 'echo in-exec; exit 4'
  expect_status 4
  expect_contains "$output" in-exec
  run c task ps "$ID"
  expect_status 0
  pid=$(c task ls | awk -v id="$ID" '$1 == id { print $2 }')
  expect_contains "$output" "$pid"
  run c task pause "$ID"
  expect_status 0
  wait_task_status PAUSED
  run c task resume "$ID"
  expect_status 0
  wait_task_status RUNNING
  run c task kill -s SIGKILL "$ID"
  expect_status 0
  wait_task_status STOPPED
  run c task rm "$ID"
  expect_status 0
  run c container rm "$ID"
  expect_status 0
  [ -z "$(c container ls -q | grep -x "$ID")" ] || fail "container $ID still listed"
}

@test "containerd: a container in another's pid namespace: its init's exit takes its children along" {
  local pid_a pid_b p orphan="" i
  # A pod sharing one pid namespace: B joins A's.  When B's init exits,
  # the shim calls `kill --all B 9` for what B's init left behind in B's
  # cgroup (runtime/v2/runc/task/service.go, checkProcesses); the runtime
  # must kill the orphan and exit 0 on the now stopped container.
  run ctr_run -d "$IMAGE" "$ID" sleep 1000
  expect_status 0
  pid_a=$(c task ls | awk -v id="$ID" '$1 == id { print $2 }')
  run ctr_run -d --with-ns "pid:/proc/$pid_a/ns/pid" "$IMAGE" "$ID-b" \
    sh -c 'sleep 1001 & while [ ! -e /tmp/go ]; do sleep 0.05; done'
  expect_status 0
  pid_b=$(c task ls | awk -v id="$ID-b" '$1 == id { print $2 }')
  for ((i = 0; i < 100; i++)); do
    for p in $(c task ps "$ID-b" | awk 'NR > 1 { print $1 }'); do
      [ "$({ tr '\0' ' ' < "/proc/$p/cmdline"; } 2> /dev/null)" = "sleep 1001 " ] && orphan=$p
    done
    [ -n "$orphan" ] && break
    sleep 0.05
  done
  [ -n "$orphan" ] || fail "no sleep 1001 in task $ID-b"
  touch "/proc/$pid_b/root/tmp/go"
  ID="$ID-b" wait_task_status STOPPED
  for ((i = 0; i < 100; i++)); do
    { [ ! -d "/proc/$orphan" ] || grep -q '^State:.*Z' "/proc/$orphan/status"; } && break
    sleep 0.05
  done
  { [ ! -d "/proc/$orphan" ] || grep -q '^State:.*Z' "/proc/$orphan/status"; } \
    || fail "the orphan $orphan of $ID-b's init still runs"
  ! grep -F "failed to kill init's children" "$ENG/containerd.log" \
    || fail "the shim's kill --all failed (containerd.log above)"
  run c task rm "$ID-b"
  expect_status 0
}

@test "containerd: --memory-limit: a 100 MiB allocation is killed (137)" {
  run ctr_run --rm --memory-limit $((64 * 1024 * 1024)) "$IMAGE" "$ID" dd if=/dev/zero of=/dev/null bs=100M count=1
  expect_status 137
}

@test "containerd: --cpus 0.5 sets the CFS quota" {
  local pid path q
  run ctr_run -d --cpus 0.5 "$IMAGE" "$ID" sleep 1000
  expect_status 0
  wait_task_status RUNNING
  pid=$(c task ls | awk -v id="$ID" '$1 == id { print $2 }')
  if [ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ]; then
    path=$(sed -n 's/^0:://p' "/proc/$pid/cgroup")
    q=$(cat "/sys/fs/cgroup$path/cpu.max")
  else
    path=$(awk -F: '{ n = split($2, a, ","); for (i = 1; i <= n; i++) if (a[i] == "cpu") print $3 }' "/proc/$pid/cgroup")
    q=$(cat "/sys/fs/cgroup/cpu$path/cpu.cfs_quota_us")
  fi
  expect_contains "$q" 50000
}
