#!/usr/bin/env bats
# The command line as runc's callers use it: options after the id, the
# signal 0 liveness probe, ps on a stopped container, exit codes, the
# list owner, id limits.

load helpers

setup () {
  common_setup
}

teardown () {
  common_teardown
}

start_sleeper () {
  set_args sleep 1000
  run_detached "$CTR"
}

@test "cli: options after the id (kill ID --all SIGNAL, delete ID --force)" {
  start_sleeper
  pid=$(ctr_pid "$CTR")
  berth kill "$CTR" --all KILL
  wait_for_pid_gone "$pid"
  wait_for_status "$CTR" stopped
  run_detached "$CTR2"
  pid=$(ctr_pid "$CTR2")
  berth delete "$CTR2" --force
  wait_for_pid_gone "$pid"
  run -1 --separate-stderr berth state "$CTR2"
  expect_contains "$stderr" "does not exist" "state after delete"
}

@test "cli: update ID --memory: the limit reaches the cgroup" {
  requires cgroup_v1
  start_sleeper
  pid=$(ctr_pid "$CTR")
  berth update "$CTR" --memory 64m
  cg=$(awk -F: '$2 == "memory" { print $3 }' "/proc/$pid/cgroup")
  expect_eq "$(cat "/sys/fs/cgroup/memory$cg/memory.limit_in_bytes")" \
    $((64 * 1024 * 1024)) "memory.limit_in_bytes"
}

@test "cli: kill ID 0 is the liveness probe" {
  start_sleeper
  pid=$(ctr_pid "$CTR")
  berth kill "$CTR" 0
  # Signal 0 delivered nothing: the process still runs.
  expect_eq "$(ctr_state "$CTR" status)" running "status after kill 0"
  [ -d "/proc/$pid" ] || fail "kill 0 killed the process"
  berth kill "$CTR" KILL
  wait_for_status "$CTR" stopped
  run -1 --separate-stderr berth kill "$CTR" 0
  expect_error "$status" "$stderr" "is not running"
}

@test "cli: ps on a stopped container prints the header only and exits 0" {
  set_args true
  run_detached "$CTR"
  wait_for_status "$CTR" stopped
  run --separate-stderr berth ps "$CTR"
  expect_status 0
  expect_eq "${#lines[@]}" 1 "lines"
  expect_contains "${lines[0]}" "PID" "header"
  run --separate-stderr berth ps -f json "$CTR"
  expect_status 0
  expect_eq "$output" "[]" "json"
}

@test "cli: an unknown command exits 3" {
  run -3 --separate-stderr berth frobnicate "$CTR"
  expect_contains "$stderr" 'unknown command "frobnicate"' "stderr"
}

@test "cli: list shows the owner of the state directory" {
  start_sleeper
  run --separate-stderr berth list -f json
  expect_status 0
  expect_eq "$(jq -r '.[0].owner' <<< "$output")" root "owner (json)"
  chown 12345 "$BERTH_ROOT/$CTR"
  run --separate-stderr berth list
  expect_status 0
  expect_contains "${lines[1]}" "#12345" "owner of an unknown uid (table)"
}

@test "cli: an id longer than 255 characters is refused up front, not echoed" {
  long=$(printf 'a%.0s' $(seq 256))
  run -1 --separate-stderr berth create --bundle "$BUNDLE" "$long"
  expect_error "$status" "$stderr" "256 characters" "at most 255"
  expect_not_contains "$stderr" "$long" "stderr"
  [ ! -e "$BERTH_ROOT/$long" ] || fail "state dir made"
  # 255 is fine.
  # 255 is fine (unique on the host: cgroups are named after ids).
  ok=$CTR$(printf 'b%.0s' $(seq $((255 - ${#CTR}))))
  set_args true
  berth run --bundle "$BUNDLE" "$ok" < /dev/null
}

@test "cli: --debug logs create, start and exec, one JSON line each" {
  set_args sleep 1000
  log="$TMP/debug.json"
  "$BERTH_BIN" --root "$BERTH_ROOT" --debug --log "$log" --log-format json \
    create --bundle "$BUNDLE" "$CTR" < /dev/null > /dev/null 2>&1 3>&-
  "$BERTH_BIN" --root "$BERTH_ROOT" --debug --log "$log" --log-format json \
    start "$CTR" 3>&-
  "$BERTH_BIN" --root "$BERTH_ROOT" --debug --log "$log" --log-format json \
    exec "$CTR" true < /dev/null 3>&-
  pid=$(ctr_pid "$CTR")
  while IFS= read -r l; do
    jq -e 'type == "object" and (.level | type) == "string" and (.msg | type) == "string" and (.time | type) == "string"' \
      <<< "$l" > /dev/null || fail "not runc's shape: $l"
  done < "$log"
  for step in "create $CTR: init $pid" "start $CTR: init $pid" "exec $CTR: process"; do
    run jq -r "select(.level == \"debug\") | .msg" "$log"
    expect_contains "$output" "$step" "debug log"
  done
  # Without --debug, none of it.
  "$BERTH_BIN" --root "$BERTH_ROOT" --log "$TMP/quiet.json" --log-format json \
    exec "$CTR" true < /dev/null 3>&-
  [ ! -s "$TMP/quiet.json" ] || fail "logged without --debug: $(cat "$TMP/quiet.json")"
}

@test "cli: the README's \"Using berth\" example works as written" {
  # The block after "## Using berth", without its make line, in a temp
  # dir, with this berth (and its --root) as `berth`.
  script=$(awk '/^## Using berth/ { on = 1; next }
    on && /^```sh/ { inblock = 1; next }
    inblock && /^```/ { exit }
    inblock && !/^make / { print }' "$REPO_ROOT/README.md")
  expect_contains "$script" "berth exec c1 ps" "README block"
  cd "$TMP"
  BERTH_ROOT=$BERTH_ROOT REPO_ROOT=$REPO_ROOT run --separate-stderr bash -euc '
    berth () { "$BERTH_BIN" --root "$BERTH_ROOT" "$@" < /dev/null; }
    PATH=$REPO_ROOT/contrib:$PATH
    export BERTH=$BERTH_BIN
    contrib_mkbundle () { "$REPO_ROOT/contrib/mkbundle" "$@"; }
    '"${script//contrib\/mkbundle/contrib_mkbundle}" 3>&-
  expect_status 0
  expect_contains "$output" "hello from" "run's output"
  expect_contains "$output" '"status": "created"' "state"
  expect_contains "$output" "sleep 1000" "exec ps"
}
