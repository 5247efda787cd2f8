#!/usr/bin/env bats
# berth state: the state JSON of runtime.md.

load helpers

@test "state: all the fields of a created container" {
  update_config '.annotations = {"org.example.key": "value", "other": ""}'
  set_args sleep 1000
  create_ctr "$CTR"
  run berth state "$CTR"
  expect_status 0
  json="$output"
  echo "$json" | jq . > /dev/null

  expect_eq "$(jq -r .ociVersion <<< "$json")" 1.3.0 "ociVersion"
  expect_eq "$(jq -r .id <<< "$json")" "$CTR" "id"
  expect_eq "$(jq -r .status <<< "$json")" created "status"
  expect_eq "$(jq -r .bundle <<< "$json")" "$BUNDLE" "bundle"
  expect_eq "$(jq -r .rootfs <<< "$json")" "$BUNDLE/rootfs" "rootfs"
  expect_eq "$(jq -r .owner <<< "$json")" "" "owner"
  expect_eq "$(jq -r '.annotations["org.example.key"]' <<< "$json")" value "annotation"
  expect_eq "$(jq -r '.annotations.other' <<< "$json")" "" "empty annotation"
  created=$(jq -r .created <<< "$json")
  [[ "$created" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$ ]] \
    || fail "created is not RFC 3339: $created"
  # created is now, give or take a minute.
  now=$(date +%s)
  then=$(date -d "$created" +%s)
  [ $((now - then)) -ge -60 ] && [ $((now - then)) -le 60 ] || fail "created: $created, now $(date -u)"

  # pid is the host pid of the container's process.
  pid=$(jq -r .pid <<< "$json")
  [ "$pid" -gt 0 ]
  [ "$(readlink "/proc/$pid/ns/pid")" != "$(readlink /proc/$$/ns/pid)" ] \
    || fail "pid $pid is not in the container's pid namespace"
}

@test "state: pretty printed with two-space indentation" {
  set_args sleep 1000
  create_ctr "$CTR"
  run berth state "$CTR"
  expect_status 0
  expect_eq "${lines[0]}" "{" "first line"
  [[ "${lines[1]}" =~ ^\ \ \"[a-zA-Z]+\":\  ]] || fail "second line: ${lines[1]}"
  expect_eq "${lines[${#lines[@]} - 1]}" "}" "last line"
}

@test "state: status follows the process: created, running, stopped" {
  set_args sh -c 'read x; exit 0'
  mkfifo "$TMP/in"
  exec 7<> "$TMP/in"
  berth create --bundle "$BUNDLE" "$CTR" < "$TMP/in" > "$TMP/out" 2>&1
  expect_eq "$(ctr_state "$CTR" status)" created "after create"
  berth start "$CTR"
  expect_eq "$(ctr_state "$CTR" status)" running "after start"
  echo go >&7
  exec 7>&-
  wait_for_status "$CTR" stopped
}

@test "state: a relative --bundle is recorded as an absolute path" {
  set_args sleep 1000
  cd "$TMP"
  berth create --bundle bundle "$CTR" < /dev/null > "$TMP/out" 2>&1
  expect_eq "$(ctr_state "$CTR" bundle)" "$BUNDLE" "bundle"
  expect_eq "$(ctr_state "$CTR" rootfs)" "$BUNDLE/rootfs" "rootfs"
}

@test "state: without annotations in config.json" {
  update_config 'del(.annotations)'
  set_args sleep 1000
  create_ctr "$CTR"
  run berth state "$CTR"
  expect_status 0
  jq -e '(.annotations // {}) == {}' <<< "$output" > /dev/null
}

@test "state: unknown container" {
  run -1 --separate-stderr berth state nosuch
  expect_error "$status" "$stderr" 'container "nosuch" does not exist'
}

@test "state: an invalid id is rejected" {
  run -1 --separate-stderr berth state 'a/b'
  expect_error "$status" "$stderr" 'invalid container id "a/b"'
}

@test "state: a config.json changed after create does not affect the container" {
  update_config '.annotations = {"v": "1"}'
  set_args sleep 1000
  create_ctr "$CTR"
  update_config '.annotations = {"v": "2"} | .process.args = ["false"]'
  expect_eq "$(ctr_state "$CTR" 'annotations.v')" 1 "annotation"
  berth start "$CTR"
  expect_eq "$(ctr_state "$CTR" status)" running "status"
}
