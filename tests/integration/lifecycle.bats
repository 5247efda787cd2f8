#!/usr/bin/env bats
# create / start / run: the lifecycle of runtime.md, seen from outside.

load helpers

cmdline_of () {
  tr '\0' ' ' < "/proc/$1/cmdline"
}

@test "lifecycle: create, start, kill, delete" {
  set_args sh -c 'echo started; exec sleep 987'
  create_ctr "$CTR"

  # create returns once the container is created: no polling needed.
  expect_eq "$(ctr_state "$CTR" status)" created "status after create"
  pid=$(ctr_pid "$CTR")
  [ "$pid" -gt 0 ]
  [ -d "/proc/$pid" ]
  # The process waits for start: the workload has not been run.
  expect_not_contains "$(cmdline_of "$pid")" "sleep" "cmdline before start"
  [ ! -s "$TMP/$CTR.out" ] || fail "the program ran before start: $(cat "$TMP/$CTR.out")"

  berth start "$CTR"
  # start returns once the program was exec'd.
  expect_eq "$(cmdline_of "$pid")" "sleep 987 " "cmdline after start"
  expect_eq "$(ctr_state "$CTR" status)" running "status after start"
  expect_eq "$(ctr_pid "$CTR")" "$pid" "pid after start"
  wait_for_file "$TMP/$CTR.out" started

  berth kill "$CTR" KILL
  wait_for_status "$CTR" stopped
  wait_for_pid_gone "$pid"

  berth delete "$CTR"
  run berth state "$CTR"
  [ "$status" -ne 0 ]
  assert_no_leftovers "$CTR"
}

@test "lifecycle: a program that exits makes the container stopped" {
  set_args sh -c 'echo bye; exit 3'
  create_ctr "$CTR"
  pid=$(ctr_pid "$CTR")
  berth start "$CTR"
  wait_for_status "$CTR" stopped
  wait_for_pid_gone "$pid"
  expect_eq "$(cat "$TMP/$CTR.out")" bye "program output"
  berth delete "$CTR"
  assert_no_leftovers "$CTR"
}

@test "lifecycle: a container whose init is killed from outside is stopped" {
  set_args sleep 1000
  create_ctr "$CTR"
  berth start "$CTR"
  pid=$(ctr_pid "$CTR")
  kill -9 "$pid"
  wait_for_status "$CTR" stopped
  berth delete "$CTR"
  assert_no_leftovers "$CTR"
}

@test "lifecycle: create twice with the same id fails and keeps the first" {
  set_args sleep 1000
  create_ctr "$CTR"
  pid=$(ctr_pid "$CTR")

  run create_ctr "$CTR"
  expect_error "$status" "$(cat "$TMP/$CTR.err")" "$CTR"

  expect_eq "$(ctr_state "$CTR" status)" created "first container status"
  expect_eq "$(ctr_pid "$CTR")" "$pid" "first container pid"
  [ -d "/proc/$pid" ]
  berth start "$CTR"
  expect_eq "$(ctr_state "$CTR" status)" running "first container status"
}

@test "lifecycle: start twice fails, start of a stopped container fails" {
  set_args sh -c 'read x; exit 0'
  # stdin is a pipe we hold open, so the program runs until we close it.
  mkfifo "$TMP/in"
  exec 7<> "$TMP/in"
  berth create --bundle "$BUNDLE" "$CTR" < "$TMP/in" > "$TMP/out" 2>&1
  berth start "$CTR"

  run -1 --separate-stderr berth start "$CTR"
  expect_error "$status" "$stderr" "cannot start an already running container"
  expect_eq "$(ctr_state "$CTR" status)" running "status"

  echo go >&7
  exec 7>&-
  wait_for_status "$CTR" stopped
  run -1 --separate-stderr berth start "$CTR"
  expect_error "$status" "$stderr" "cannot start a container that has stopped"
}

@test "lifecycle: run in the foreground prints the output and deletes the container" {
  run_sh 'echo "hello from $(hostname)"'
  expect_status 0
  expect_eq "$output" "hello from bats"
  run berth state "$CTR"
  [ "$status" -ne 0 ]
  assert_no_leftovers "$CTR"
}

@test "lifecycle: run --keep leaves a stopped container" {
  run_sh 'echo kept; exit 3' --keep
  expect_status 3
  expect_eq "$output" kept
  expect_eq "$(ctr_state "$CTR" status)" stopped "status"
  berth delete "$CTR"
  assert_no_leftovers "$CTR"
}

@test "lifecycle: run --detach returns with the container running" {
  set_args sh -c 'echo detached; exec sleep 1000'
  run_detached "$CTR"
  expect_eq "$(ctr_state "$CTR" status)" running "status"
  pid=$(ctr_pid "$CTR")
  expect_eq "$(cmdline_of "$pid")" "sleep 1000 " "cmdline"
  wait_for_file "$TMP/$CTR.out" detached
  berth kill "$CTR" KILL
  wait_for_status "$CTR" stopped
  berth delete "$CTR"
  assert_no_leftovers "$CTR"
}

@test "lifecycle: a foreground run is created until its workload runs, then running; start from elsewhere is refused" {
  # A startContainer hook holds the init between "state saved" and exec.
  mkdir "$TMP/shared"
  update_config '.mounts += [{"destination": "/shared", "type": "bind", "source": $d, "options": ["rbind", "rw"]}]' \
    --arg d "$TMP/shared"
  update_config '.hooks.startContainer = [{"path": "/bin/busybox", "args": ["busybox", "sh", "-c", "touch /shared/in-hook; while [ ! -e /shared/go ]; do sleep 0.05; done"]}]'
  set_args sh -c 'echo ran; exec sleep 1000'
  berth_bg run --bundle "$BUNDLE" "$CTR"
  wait_for_file "$TMP/shared/in-hook"
  expect_eq "$(ctr_state "$CTR" status)" created "status in startContainer"
  touch "$TMP/shared/go"
  wait_for_status "$CTR" running
  wait_for_file "$TMP/bg.out" ran
  run -1 --separate-stderr berth start "$CTR"
  expect_error "$status" "$stderr" "cannot start an already running container"
  berth kill "$CTR" KILL
  st=0
  wait_bg "$BG_PID" || st=$?
  expect_eq "$st" 137 "run's status"
  assert_no_leftovers "$CTR"
}

@test "lifecycle: a foreground run whose container another delete --force removed exits with its status and leaves nothing" {
  set_args sleep 1000
  berth_bg run --bundle "$BUNDLE" "$CTR"
  wait_for_status "$CTR" running
  berth delete --force "$CTR"
  st=0
  wait_bg "$BG_PID" || st=$?
  expect_eq "$st" 137 "run's status"
  run berth state "$CTR"
  [ "$status" -ne 0 ]
  assert_no_leftovers "$CTR"
}

@test "lifecycle: --pid-file gets the container's pid (create and run -d)" {
  set_args sleep 1000
  create_ctr --pid-file "$TMP/create.pid" "$CTR"
  expect_eq "$(cat "$TMP/create.pid")" "$(ctr_pid "$CTR")" "create --pid-file"

  run_detached --pid-file "$TMP/run.pid" "$CTR2"
  expect_eq "$(cat "$TMP/run.pid")" "$(ctr_pid "$CTR2")" "run --pid-file"
  [ "$(cat "$TMP/run.pid")" != "$(cat "$TMP/create.pid")" ]
}

@test "lifecycle: the bundle defaults to the current directory" {
  set_args sleep 1000
  cd "$BUNDLE"
  berth create "$CTR" < /dev/null > "$TMP/out" 2>&1
  expect_eq "$(ctr_state "$CTR" bundle)" "$BUNDLE" "state.bundle"
  expect_eq "$(ctr_state "$CTR" status)" created "status"
}

@test "lifecycle: two containers from one bundle at once" {
  set_args sh -c 'echo "$(hostname) $$"; exec sleep 1000'
  run_detached "$CTR2"
  run_detached "$CTR3"
  expect_eq "$(ctr_state "$CTR2" status)" running "one"
  expect_eq "$(ctr_state "$CTR3" status)" running "two"
  [ "$(ctr_pid "$CTR2")" != "$(ctr_pid "$CTR3")" ]
  wait_for_file "$TMP/$CTR2.out" "bats 1"
  wait_for_file "$TMP/$CTR3.out" "bats 1"
  berth delete --force "$CTR2"
  expect_eq "$(ctr_state "$CTR3" status)" running "two after deleting one"
  berth delete --force "$CTR3"
  assert_no_leftovers "$CTR2"
  assert_no_leftovers "$CTR3"
}

@test "lifecycle: the created process has the container's namespaces before start" {
  set_args sleep 1000
  create_ctr "$CTR"
  pid=$(ctr_pid "$CTR")
  [ "$(readlink "/proc/$pid/ns/net")" != "$(readlink /proc/$$/ns/net)" ]
  [ "$(readlink "/proc/$pid/ns/mnt")" != "$(readlink /proc/$$/ns/mnt)" ]
  # Its root is the bundle's rootfs (same inode on the same device).
  expect_eq "$(stat -L -c %d:%i "/proc/$pid/root/")" \
    "$(stat -c %d:%i "$BUNDLE/rootfs")" "root of the init"
}
