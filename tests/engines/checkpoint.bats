#!/usr/bin/env bats
# podman `container checkpoint` and `container restore` with berth as the
# runtime (podman drives `berth checkpoint` and, through conmon, `berth
# restore`).  CRIU must work on this kernel: the test skips with CRIU's
# own message where `criu check` fails (this host); `make check-criu` runs
# it in the cgroup-v2 guest.
#
# conmon gives the container the host's /dev/null as stdin, a file on a
# mount outside the container's mount namespace: CRIU stops with "Can't
# lookup mount=N for fd=0 path=/dev/null" unless berth names it as an
# external file at checkpoint and hands its own fd 0 at restore.

load helpers

setup () {
  requires_engine podman conmon criu
  local out
  out=$(criu check 2>&1) || skip "criu check: $(echo "$out" | grep -m1 Error || echo "$out" | tail -n 1)"
  # vfs: an overlay root is something berth's checkpoint refuses (its
  # writes live in the state dir).
  engine_podman_up vfs
  ENGINE_UP=podman
}

teardown () {
  [ "${ENGINE_UP:-}" = podman ] && engine_podman_down
  ENGINE_UP=""
}

@test "podman: container checkpoint and restore with berth; the counter goes on from where it was" {
  local name="berth-cr-$$" before after
  run p run -d --name "$name" --network none "$IMAGE" \
    sh -c 'i=0; while true; do i=$((i + 1)); echo $i > /tmp/count; sleep 0.2; done'
  expect_status 0
  sleep 2
  run p container checkpoint "$name"
  expect_status 0
  # Checkpointed: podman says the container has exited, no process is left.
  run p inspect -f '{{.State.Status}}' "$name"
  expect_status 0
  [ "$output" = exited ] || fail "after checkpoint: $output"
  run p container restore "$name"
  expect_status 0
  run p exec "$name" cat /tmp/count
  expect_status 0
  before=$output
  [ "$before" -gt 5 ] || fail "the count after restore started again: $before"
  sleep 1
  run p exec "$name" cat /tmp/count
  expect_status 0
  after=$output
  [ "$after" -gt "$before" ] || fail "the restored counter does not run: $before, then $after"
  run p rm -f -t 0 "$name"
  expect_status 0
}
