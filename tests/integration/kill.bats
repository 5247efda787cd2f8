#!/usr/bin/env bats
# berth kill: signal names, numbers, errors.

load helpers

# A container whose pid 1 reports the signals it gets on stdout
# ($TMP/$CTR.out).  pid 1 of a pid namespace ignores signals it has no
# handler for, hence the traps.
start_trapper () {
  set_args sh -c '
    for s in TERM USR1 USR2 HUP INT; do trap "echo got $s" $s; done
    echo ready
    while :; do sleep 0.05; done'
  run_detached "$CTR"
  wait_for_file "$TMP/$CTR.out" ready
}

# send_and_expect N [kill args...]: kill, then wait for the Nth "got" line
# and print it.
send_and_expect () {
  local n="$1" i
  shift
  berth kill "$@"
  for ((i = 0; i < 100; i++)); do
    [ "$(grep -c '^got ' "$TMP/$CTR.out")" -ge "$n" ] && break
    sleep 0.05
  done
  grep '^got ' "$TMP/$CTR.out" | sed -n "${n}p"
}

@test "kill: the default signal is SIGTERM" {
  start_trapper
  expect_eq "$(send_and_expect 1 "$CTR")" "got TERM"
  expect_eq "$(ctr_state "$CTR" status)" running "status"
}

@test "kill: signal names with and without SIG, any case, and numbers" {
  start_trapper
  expect_eq "$(send_and_expect 1 "$CTR" USR1)" "got USR1" "USR1"
  expect_eq "$(send_and_expect 2 "$CTR" SIGUSR2)" "got USR2" "SIGUSR2"
  expect_eq "$(send_and_expect 3 "$CTR" hup)" "got HUP" "hup"
  expect_eq "$(send_and_expect 4 "$CTR" sigint)" "got INT" "sigint"
  expect_eq "$(send_and_expect 5 "$CTR" 15)" "got TERM" "15"
  expect_eq "$(send_and_expect 6 "$CTR" 10)" "got USR1" "10"
}

@test "kill: --signal and -s" {
  start_trapper
  expect_eq "$(send_and_expect 1 --signal USR1 "$CTR")" "got USR1" "--signal USR1"
  expect_eq "$(send_and_expect 2 -s SIGHUP "$CTR")" "got HUP" "-s SIGHUP"
}

@test "kill: KILL stops the container" {
  set_args sleep 1000
  run_detached "$CTR"
  pid=$(ctr_pid "$CTR")
  berth kill "$CTR" KILL
  wait_for_status "$CTR" stopped
  wait_for_pid_gone "$pid"
}

@test "kill: a created container can be killed" {
  set_args sh -c 'echo ran'
  create_ctr "$CTR"
  pid=$(ctr_pid "$CTR")
  berth kill "$CTR" SIGKILL
  wait_for_status "$CTR" stopped
  wait_for_pid_gone "$pid"
  [ ! -s "$TMP/$CTR.out" ] || fail "the program ran: $(cat "$TMP/$CTR.out")"
}

@test "kill: --all kills every process of the container" {
  set_args sh -c 'sleep 1000 & echo $! > /dev/shm/child; echo ready; wait'
  run_detached "$CTR"
  wait_for_file "$TMP/$CTR.out" ready
  pid=$(ctr_pid "$CTR")
  child=$(cat "/proc/$pid/task/$pid/children")
  [ -n "$child" ]
  berth kill --all "$CTR" KILL
  wait_for_status "$CTR" stopped
  for p in $pid $child; do wait_for_pid_gone "$p"; done
}

@test "kill: an invalid signal is rejected and nothing is sent" {
  start_trapper
  run -1 --separate-stderr berth kill "$CTR" FOO
  expect_error "$status" "$stderr" 'invalid signal "FOO"'
  run -1 --separate-stderr berth kill "$CTR" SIGFOO
  expect_error "$status" "$stderr" 'invalid signal "SIGFOO"'
  expect_eq "$(ctr_state "$CTR" status)" running "status"
  sleep 0.2
  run grep -c '^got ' "$TMP/$CTR.out"
  expect_eq "$output" 0 "signals received"
}

@test "kill: a stopped container is not running; kill --all on it succeeds" {
  set_args true
  run_detached "$CTR"
  wait_for_status "$CTR" stopped
  run -1 --separate-stderr berth kill "$CTR" KILL
  # runc's words too: containerd's shim matches them (docs/engines.md).
  expect_error "$status" "$stderr" "container \"$CTR\" is not running" \
    "container not running"
  # kill --all has nothing left to signal: success, as runc.
  run -0 berth kill --all "$CTR" KILL
}

@test "kill: unknown container" {
  run -1 --separate-stderr berth kill nosuch KILL
  expect_error "$status" "$stderr" 'container "nosuch" does not exist'
}
