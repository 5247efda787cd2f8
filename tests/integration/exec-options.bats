#!/usr/bin/env bats
# runc 1.1/1.2 process options: --pidfd-socket (create, run, exec),
# exec --cgroup and exec --ignore-paused.

load helpers

setup () {
  common_setup
  RECV=$(helper_bin pidfd-recv)
}

teardown () {
  common_teardown
}

# expect_exec_error STDERR NEEDLE...: a failed exec exits 255 (as runc)
# with a "berth: ..." message.
expect_exec_error () {
  local err="$1" n
  shift
  expect_eq "$status" 255 "exit status" || { echo "$err" >&2; return 1; }
  for n in "$@"; do
    expect_contains "$err" "$n" "stderr" || return 1
  done
}

# recv_pidfd [SIGNAL]: pidfd-recv on $TMP/pidfd.sock in the background,
# output in $TMP/pidfd.out; waits until the socket exists.
recv_pidfd () {
  "$RECV" "$TMP/pidfd.sock" "$@" > "$TMP/pidfd.out" 2>&1 3>&- &
  RECV_PID=$!
  BG_PIDS+=("$RECV_PID")
  wait_for_file "$TMP/pidfd.sock"
}

@test "pidfd-socket: create sends a pidfd of the init, with runc's payload" {
  set_args sleep 1000
  recv_pidfd 9
  create_ctr --pid-file "$TMP/init.pid" --pidfd-socket "$TMP/pidfd.sock" "$CTR"
  pid=$(cat "$TMP/init.pid")
  # The caller kills the init through the fd it got, and sees it exit.
  wait_bg "$RECV_PID" || fail "pidfd-recv: $(cat "$TMP/pidfd.out")"
  expect_eq "$(head -1 "$TMP/pidfd.out")" "payload=standard pid=$pid" "received"
  expect_eq "$(tail -1 "$TMP/pidfd.out")" exited "pidfd poll"
  wait_for_status "$CTR" stopped
}

@test "pidfd-socket: run -d sends the init's pidfd" {
  set_args sleep 1000
  recv_pidfd
  run_detached --pidfd-socket "$TMP/pidfd.sock" "$CTR"
  wait_bg "$RECV_PID" || fail "pidfd-recv: $(cat "$TMP/pidfd.out")"
  expect_eq "$(cat "$TMP/pidfd.out")" "payload=standard pid=$(ctr_pid "$CTR")" "received"
}

@test "pidfd-socket: exec sends the exec'd process's pidfd (\"setns\")" {
  set_args sleep 1000
  run_detached "$CTR"
  recv_pidfd 15
  berth exec -d --pid-file "$TMP/exec.pid" --pidfd-socket "$TMP/pidfd.sock" "$CTR" sleep 999
  wait_bg "$RECV_PID" || fail "pidfd-recv: $(cat "$TMP/pidfd.out")"
  expect_eq "$(head -1 "$TMP/pidfd.out")" "payload=setns pid=$(cat "$TMP/exec.pid")" "received"
  expect_eq "$(tail -1 "$TMP/pidfd.out")" exited "pidfd poll"
  expect_eq "$(ctr_state "$CTR" status)" running "the init is untouched"
}

@test "pidfd-socket: no listener is an error and nothing is left" {
  set_args sleep 1000
  run -1 --separate-stderr berth create --bundle "$BUNDLE" --pidfd-socket "$TMP/none.sock" "$CTR"
  expect_error "$status" "$stderr" "--pidfd-socket" "none.sock"
  run -1 --separate-stderr berth state "$CTR"
}

@test "exec --ignore-paused: the process runs once the container is resumed" {
  set_args sleep 1000
  run_detached "$CTR"
  berth pause "$CTR"
  run -255 --separate-stderr berth exec "$CTR" true
  expect_exec_error "$stderr" "paused"
  berth_bg exec --ignore-paused "$CTR" echo ran
  sleep 0.5
  [ -d "/proc/$BG_PID" ] || fail "exec returned while paused: $(cat "$TMP/bg.out")"
  berth resume "$CTR"
  wait_bg "$BG_PID" || fail "exec: $(cat "$TMP/bg.out")"
  expect_eq "$(cat "$TMP/bg.out")" ran "the exec'd process's output"
}

# cg_of PID CONTROLLER: the process's cgroup in that v1 hierarchy (the
# host's view).
cg_of () {
  awk -F: -v c="$2" '{ n = split($2, a, ","); for (i = 1; i <= n; i++) if (a[i] == c) print $3 }' "/proc/$1/cgroup"
}

@test "exec --cgroup (v1): controller:path pairs, several controllers" {
  requires cgroup_v1
  set_args sleep 1000
  run_detached "$CTR"
  pid=$(ctr_pid "$CTR")
  mem=$(cg_of "$pid" memory)
  cpu=$(cg_of "$pid" cpu)
  pids=$(cg_of "$pid" pids)
  mkdir "/sys/fs/cgroup/memory$mem/sub" "/sys/fs/cgroup/pids$pids/sub2"
  berth exec -d --pid-file "$TMP/e.pid" --cgroup memory:sub --cgroup pids:/sub2 "$CTR" sleep 999
  e=$(cat "$TMP/e.pid")
  expect_eq "$(cg_of "$e" memory)" "$mem/sub" "memory cgroup"
  expect_eq "$(cg_of "$e" pids)" "$pids/sub2" "pids cgroup"
  expect_eq "$(cg_of "$e" cpu)" "$cpu" "cpu cgroup (not named: the container's)"
  # Comma-separated controllers sharing one path.
  mkdir "/sys/fs/cgroup/memory$mem/x" "/sys/fs/cgroup/pids$pids/x"
  berth exec -d --pid-file "$TMP/f.pid" --cgroup memory,pids:x "$CTR" sleep 999
  f=$(cat "$TMP/f.pid")
  expect_eq "$(cg_of "$f" memory)" "$mem/x" "memory cgroup (memory,pids:x)"
  expect_eq "$(cg_of "$f" pids)" "$pids/x" "pids cgroup (memory,pids:x)"
  # A missing sub-cgroup is an error, and nothing runs.
  run -255 --separate-stderr berth exec --cgroup memory,pids:sub "$CTR" echo ran
  expect_exec_error "$stderr" "sub-cgroup" "sub"
  expect_eq "$output" "" "the process of a failed exec ran"
}

@test "exec --cgroup: bad arguments are refused before anything runs" {
  set_args sleep 1000
  run_detached "$CTR"
  run -255 --separate-stderr berth exec --cgroup ../escape "$CTR" true
  expect_exec_error "$stderr" "--cgroup" ".."
  run -255 --separate-stderr berth exec --cgroup a --cgroup b "$CTR" true
  expect_exec_error "$stderr" "CONTROLLER: prefix"
  run -255 --separate-stderr berth exec --cgroup a:b:c "$CTR" true
  expect_exec_error "$stderr" "a:b:c"
}

@test "exec --cgroup (v2): a sub-cgroup of the container's" {
  requires cgroup_v2
  set_args sleep 1000
  run_detached "$CTR"
  pid=$(ctr_pid "$CTR")
  cg=$(awk -F: '$1 == "0" { print $3 }' "/proc/$pid/cgroup")
  # The container's own processes must live in a leaf once the cgroup has
  # children with controllers: a plain sub-cgroup without any suffices.
  mkdir "/sys/fs/cgroup$cg/sub"
  berth exec -d --pid-file "$TMP/e.pid" --cgroup sub "$CTR" sleep 999
  e=$(cat "$TMP/e.pid")
  expect_eq "$(awk -F: '$1 == "0" { print $3 }' "/proc/$e/cgroup")" "$cg/sub" "cgroup"
  run -255 --separate-stderr berth exec --cgroup memory:sub "$CTR" true
  expect_exec_error "$stderr" "without a controller"
}
