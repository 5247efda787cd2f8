#!/usr/bin/env bats
# berth run's exit status and signal forwarding.

load helpers

@test "exit codes: run exits with the program's status" {
  for code in 0 1 42 255; do
    run_sh "exit $code"
    expect_status "$code"
    assert_no_leftovers "$CTR"
  done
}

@test "exit codes: run --detach exits 0 whatever the program does later" {
  set_args sh -c 'sleep 0.2; exit 9'
  run_detached "$CTR"
  wait_for_status "$CTR" stopped
}

@test "exit codes: start exits 0, not with the program's status" {
  set_args sh -c 'exit 5'
  create_ctr "$CTR"
  run berth start "$CTR"
  expect_status 0
}

@test "exit codes: a program killed by SIGKILL gives 137" {
  # Without a pid namespace the shell can kill itself.
  update_config '.linux.namespaces |= map(select(.type != "pid"))'
  run_sh 'kill -KILL $$; sleep 5'
  expect_status 137
  assert_no_leftovers "$CTR"
}

@test "exit codes: a program killed by SIGTERM gives 143" {
  update_config '.linux.namespaces |= map(select(.type != "pid"))'
  run_sh 'kill -TERM $$; sleep 5'
  expect_status 143
}

@test "exit codes: berth kill KILL of a foreground run gives 137" {
  set_args sh -c 'echo ready; exec sleep 1000'
  berth_bg run --bundle "$BUNDLE" "$CTR"
  wait_for_file "$TMP/bg.out" ready
  berth kill "$CTR" KILL
  st=0
  wait_bg "$BG_PID" || st=$?
  expect_eq "$st" 137 "exit status of run"
  assert_no_leftovers "$CTR"
}

@test "exit codes: SIGTERM to berth run is forwarded to the program" {
  set_args sh -c 'trap "exit 7" TERM; echo ready; while :; do sleep 0.05; done'
  berth_bg run --bundle "$BUNDLE" "$CTR"
  wait_for_file "$TMP/bg.out" ready
  kill -TERM "$BG_PID"
  st=0
  wait_bg "$BG_PID" || st=$?
  expect_eq "$st" 7 "exit status of run"
  assert_no_leftovers "$CTR"
}

@test "exit codes: SIGINT, SIGHUP, SIGUSR1 are forwarded too" {
  set_args sh -c 'trap "echo got-INT" INT; trap "echo got-HUP" HUP; trap "exit 8" USR1
    echo ready; while :; do sleep 0.05; done'
  berth_bg run --bundle "$BUNDLE" "$CTR"
  wait_for_file "$TMP/bg.out" ready
  kill -INT "$BG_PID"
  wait_for_file "$TMP/bg.out" got-INT
  kill -HUP "$BG_PID"
  wait_for_file "$TMP/bg.out" got-HUP
  kill -USR1 "$BG_PID"
  st=0
  wait_bg "$BG_PID" || st=$?
  expect_eq "$st" 8 "exit status of run"
}

@test "exit codes: a forwarded signal the program does not handle gives 128+N" {
  # No pid namespace: an unhandled TERM kills a non-init process.
  update_config '.linux.namespaces |= map(select(.type != "pid"))'
  set_args sh -c 'echo ready; exec sleep 1000'
  berth_bg run --bundle "$BUNDLE" "$CTR"
  wait_for_file "$TMP/bg.out" ready
  kill -TERM "$BG_PID"
  st=0
  wait_bg "$BG_PID" || st=$?
  expect_eq "$st" 143 "exit status of run"
}
