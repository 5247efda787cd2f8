#!/usr/bin/env bats
# Global options and the command table: --version, --help, unknown
# commands, --log/--log-format, --root, --systemd-cgroup.

load helpers

COMMANDS="create start run state kill delete list spec"

@test "global: --version and -v" {
  run --separate-stderr "$BERTH_BIN" --version
  expect_status 0
  # The release is the Makefile's VERSION (debian/changelog and
  # CHANGELOG.md name the same).
  local version
  version=$(sed -n 's/^VERSION := //p' "$BATS_TEST_DIRNAME/../../Makefile")
  [ -n "$version" ] || fail "no VERSION in the Makefile"
  expect_eq "${lines[0]}" "berth version $version" "first line"
  expect_contains "$output" "spec: 1.3.0"
  [[ "$output" =~ (^|$'\n')commit:\ [^[:space:]]+ ]] || fail "no commit line: $output"
  expect_contains "$output" "libseccomp: "
  # The libcap berth was built against (berth(8) lists it).
  [[ "$output" =~ (^|$'\n')libcap:\ [0-9]+\.[0-9]+($'\n'|$) ]] || fail "no libcap line: $output"
  version_output="$output"

  run --separate-stderr "$BERTH_BIN" -v
  expect_status 0
  expect_eq "$output" "$version_output" "-v"
}

@test "global: --help and -h list the commands" {
  run --separate-stderr "$BERTH_BIN" --help
  expect_status 0
  for c in $COMMANDS; do
    expect_contains "$output" "$c" "--help"
  done
  help_output="$output"
  run --separate-stderr "$BERTH_BIN" -h
  expect_status 0
  expect_eq "$output" "$help_output" "-h"
}

@test "global: COMMAND --help prints the command's usage on stdout" {
  for c in $COMMANDS; do
    run --separate-stderr "$BERTH_BIN" "$c" --help
    expect_status 0 || fail "$c --help"
    expect_contains "$output" "$c" "$c --help"
    [ "${#lines[@]}" -ge 1 ]
  done
}

@test "global: create --help mentions its options" {
  run --separate-stderr "$BERTH_BIN" create --help
  expect_status 0
  for o in --bundle --pid-file --preserve-fds; do
    expect_contains "$output" "$o" "create --help"
  done
}

@test "global: an unknown command exits 3, as runc" {
  run -3 --separate-stderr "$BERTH_BIN" --root "$BERTH_ROOT" frobnicate
  expect_contains "$stderr" 'berth: unknown command "frobnicate"' "stderr"
  expect_eq "$output" "" "stdout"
}

@test "global: an unknown global option" {
  run --separate-stderr "$BERTH_BIN" --frobnicate list
  expect_eq "$status" 1 "exit status"
  expect_contains "$stderr" "berth: " "stderr"
  expect_contains "$stderr" "frobnicate" "stderr"
}

@test "global: an unknown command option" {
  run --separate-stderr berth list --frobnicate
  expect_eq "$status" 1 "exit status"
  expect_contains "$stderr" "frobnicate" "stderr"
}

@test "global: --log with --log-format json writes a JSON error line" {
  run "$BERTH_BIN" --root "$BERTH_ROOT" --log "$TMP/log.json" --log-format json state nosuch
  expect_eq "$status" 1 "exit status"
  [ -s "$TMP/log.json" ] || fail "empty log"
  # Every line is a JSON object.
  while IFS= read -r l; do
    jq -e 'type == "object"' <<< "$l" > /dev/null || fail "not JSON: $l"
  done < "$TMP/log.json"
  line=$(jq -c 'select(.level == "error")' "$TMP/log.json" | tail -1)
  [ -n "$line" ] || fail "no level=error line: $(cat "$TMP/log.json")"
  expect_contains "$(jq -r .msg <<< "$line")" 'nosuch' "msg"
  time=$(jq -r .time <<< "$line")
  [[ "$time" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T ]] || fail "time: $time"
}

@test "global: --log with the default text format" {
  run "$BERTH_BIN" --root "$BERTH_ROOT" --log "$TMP/log.txt" state nosuch
  expect_eq "$status" 1 "exit status"
  expect_contains "$(cat "$TMP/log.txt")" nosuch "log"
  # Text, not JSON.
  if jq -e . "$TMP/log.txt" > /dev/null 2>&1; then fail "text log is JSON"; fi
}

@test "global: --log appends" {
  echo "previous line" > "$TMP/log.json"
  run "$BERTH_BIN" --root "$BERTH_ROOT" --log "$TMP/log.json" --log-format json state nosuch
  expect_eq "$(head -1 "$TMP/log.json")" "previous line" "first line kept"
  [ "$(wc -l < "$TMP/log.json")" -ge 2 ]
}

@test "global: --debug is accepted" {
  mkdir -p "$BERTH_ROOT"
  run --separate-stderr "$BERTH_BIN" --root "$BERTH_ROOT" --debug list -q
  expect_status 0
  expect_eq "$output" "" "stdout"
}

@test "global: --systemd-cgroup without systemd as init is an error, not a fallback" {
  [ ! -d /run/systemd/system ] || skip "systemd is this host's init (tests/systemd covers it)"
  set_args true
  run "$BERTH_BIN" --root "$BERTH_ROOT" --systemd-cgroup create --bundle "$BUNDLE" "$CTR" < /dev/null
  expect_error "$status" "$output" "berth: --systemd-cgroup: systemd is not the init of this host (no /run/systemd/system): run berth without --systemd-cgroup"
  assert_no_leftovers "$CTR"
}

@test "global: --root is created when it does not exist" {
  set_args sleep 1000
  BERTH_ROOT="$TMP/deeper/state"
  [ ! -e "$TMP/deeper" ]
  create_ctr "$CTR"
  [ -d "$BERTH_ROOT/$CTR" ]
  expect_eq "$(ctr_state "$CTR" status)" created "status"
  berth delete --force "$CTR"
  assert_no_leftovers "$CTR"
}

@test "global: containers under different --root are separate" {
  set_args sleep 1000
  create_ctr "$CTR"
  run "$BERTH_BIN" --root "$TMP/other-root" state "$CTR"
  expect_eq "$status" 1 "state under another root"
  mkdir -p "$TMP/other-root"
  run "$BERTH_BIN" --root "$TMP/other-root" list -q
  expect_status 0
  expect_eq "$output" "" "list under another root"
}
