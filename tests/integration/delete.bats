#!/usr/bin/env bats
# berth delete: stopped, created, running (with and without --force).

load helpers

@test "delete: a stopped container" {
  set_args true
  run_detached "$CTR"
  wait_for_status "$CTR" stopped
  berth delete "$CTR"
  run berth state "$CTR"
  [ "$status" -ne 0 ]
  assert_no_leftovers "$CTR"
}

@test "delete: a created container kills its process" {
  set_args sh -c 'echo ran'
  create_ctr "$CTR"
  pid=$(ctr_pid "$CTR")
  berth delete "$CTR"
  wait_for_pid_gone "$pid"
  run berth state "$CTR"
  [ "$status" -ne 0 ]
  [ ! -s "$TMP/$CTR.out" ] || fail "the program ran: $(cat "$TMP/$CTR.out")"
  assert_no_leftovers "$CTR"
}

@test "delete: a running container needs --force" {
  set_args sleep 1000
  run_detached "$CTR"
  pid=$(ctr_pid "$CTR")
  run -1 --separate-stderr berth delete "$CTR"
  expect_error "$status" "$stderr" "cannot delete container \"$CTR\" that is not stopped: running"
  expect_eq "$(ctr_state "$CTR" status)" running "status"
  [ -d "/proc/$pid" ]
}

@test "delete: --force kills and deletes a running container" {
  set_args sleep 1000
  run_detached "$CTR"
  pid=$(ctr_pid "$CTR")
  berth delete --force "$CTR"
  wait_for_pid_gone "$pid"
  run berth state "$CTR"
  [ "$status" -ne 0 ]
  assert_no_leftovers "$CTR"
}

@test "delete: -f kills a process that ignores SIGTERM" {
  set_args sh -c 'trap "" TERM INT HUP; while :; do sleep 0.05; done'
  run_detached "$CTR"
  pid=$(ctr_pid "$CTR")
  berth delete -f "$CTR"
  wait_for_pid_gone "$pid"
  assert_no_leftovers "$CTR"
}

@test "delete: a container whose process was killed from outside" {
  set_args sleep 1000
  run_detached "$CTR"
  kill -9 "$(ctr_pid "$CTR")"
  wait_for_status "$CTR" stopped
  berth delete "$CTR"
  assert_no_leftovers "$CTR"
}

@test "delete: unknown container fails, with --force succeeds" {
  run -1 --separate-stderr berth delete nosuch
  expect_error "$status" "$stderr" 'container "nosuch" does not exist'
  run -0 berth delete --force nosuch
}

@test "delete: twice" {
  set_args true
  run_detached "$CTR"
  wait_for_status "$CTR" stopped
  berth delete "$CTR"
  run -1 --separate-stderr berth delete "$CTR"
  expect_error "$status" "$stderr" "container \"$CTR\" does not exist"
}

@test "delete: only the named container goes" {
  set_args sleep 1000
  run_detached "$CTR2"
  run_detached "$CTR3"
  berth delete --force "$CTR2"
  expect_eq "$(ctr_state "$CTR3" status)" running "two"
  [ -d "$BERTH_ROOT/$CTR3" ]
}

# A restore killed half way (a migration's target failing) leaves the
# rootfs it bind-mounted for CRIU in the state dir: delete --force detaches
# that one, and only that one; the files under a bind stay.
@test "delete: --force detaches a restore's criu-root and criu-masks left mounted, and no other mount" {
  set_args sleep 1000
  run_detached "$CTR"
  mkdir -p "$TMP/src"
  echo keep > "$TMP/src/file"
  mkdir "$BERTH_ROOT/$CTR/criu-root"
  mount --bind "$TMP/src" "$BERTH_ROOT/$CTR/criu-root"
  run -0 berth delete --force "$CTR"
  mountpoint -q "$BERTH_ROOT/$CTR/criu-root" && fail "criu-root is still mounted"
  [ ! -e "$BERTH_ROOT/$CTR" ] || fail "the state dir is left"
  expect_eq "$(cat "$TMP/src/file")" keep "the bind's source"

  # The masks' tmpfs of a restore killed half way, with its rootfs bind.
  run_detached "$CTR"
  mkdir "$BERTH_ROOT/$CTR/criu-root" "$BERTH_ROOT/$CTR/criu-masks"
  mount --bind "$TMP/src" "$BERTH_ROOT/$CTR/criu-root"
  mount -t tmpfs -o ro tmpfs "$BERTH_ROOT/$CTR/criu-masks"
  run -0 berth delete --force "$CTR"
  mountpoint -q "$BERTH_ROOT/$CTR/criu-masks" && fail "criu-masks is still mounted"
  [ ! -e "$BERTH_ROOT/$CTR" ] || fail "the state dir is left"
  expect_eq "$(cat "$TMP/src/file")" keep "the bind's source"

  run_detached "$CTR2"
  mkdir "$BERTH_ROOT/$CTR2/other"
  mount --bind "$TMP/src" "$BERTH_ROOT/$CTR2/other"
  run -1 --separate-stderr berth delete --force "$CTR2"
  expect_contains "$stderr" "a mount point"
  mountpoint -q "$BERTH_ROOT/$CTR2/other" || fail "another mount was detached"
  expect_eq "$(cat "$TMP/src/file")" keep "the bind's source"
  umount "$BERTH_ROOT/$CTR2/other"
  berth delete --force "$CTR2"
}
