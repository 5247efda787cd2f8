#!/usr/bin/env bats
# berth list: table, json, quiet.

load helpers

# Two containers: $CTR created, $CTR2 running.
make_two () {
  set_args sleep 1000
  create_ctr "$CTR"
  run_detached "$CTR2"
}

@test "list: table with a header and one line per container" {
  make_two
  run berth list
  expect_status 0
  expect_eq "$(echo "${lines[0]}" | awk '{ print $1, $2, $3, $4, $5, $6 }')" \
    "ID PID STATUS BUNDLE CREATED OWNER" "header"
  expect_eq "${#lines[@]}" 3 "number of lines"

  row=$(printf '%s\n' "${lines[@]}" | awk -v id="$CTR" '$1 == id')
  [ -n "$row" ] || fail "no row for $CTR: $output"
  expect_eq "$(awk '{ print $2, $3, $4 }' <<< "$row")" \
    "$(ctr_pid "$CTR") created $BUNDLE" "row of $CTR"

  row=$(printf '%s\n' "${lines[@]}" | awk -v o="$CTR2" '$1 == o')
  [ -n "$row" ] || fail "no row for $CTR2: $output"
  expect_eq "$(awk '{ print $2, $3, $4 }' <<< "$row")" \
    "$(ctr_pid "$CTR2") running $BUNDLE" "row of other"
}

@test "list: columns are aligned" {
  make_two
  run berth list
  expect_status 0
  # Every line has its STATUS column at the same offset (as displayed).
  mapfile -t lines < <(printf '%s\n' "${lines[@]}" | expand)
  col=$(awk '{ print index($0, "STATUS") }' <<< "${lines[0]}")
  for l in "${lines[@]:1}"; do
    s=$(awk '{ print $3 }' <<< "$l")
    expect_eq "$(awk -v s="$s" '{ print index($0, " " s " ") + 1 }' <<< "$l")" "$col" "STATUS column of: $l"
  done
}

@test "list: --format json" {
  make_two
  run berth list --format json
  expect_status 0
  expect_eq "$(jq -r 'type' <<< "$output")" array "type"
  expect_eq "$(jq -r 'length' <<< "$output")" 2 "length"
  expect_eq "$(jq -r --arg id "$CTR" '.[] | select(.id == $id) | .status' <<< "$output")" created "$CTR"
  expect_eq "$(jq -r --arg o "$CTR2" '.[] | select(.id == $o) | .status' <<< "$output")" running "other"
  expect_eq "$(jq -r --arg o "$CTR2" '.[] | select(.id == $o) | .pid' <<< "$output")" "$(ctr_pid "$CTR2")" "pid"
  expect_eq "$(jq -r --arg o "$CTR2" '.[] | select(.id == $o) | .bundle' <<< "$output")" "$BUNDLE" "bundle"

  run berth list -f json
  expect_status 0
  expect_eq "$(jq -r 'length' <<< "$output")" 2 "length with -f"
}

@test "list: -q prints only the ids" {
  make_two
  run berth list -q
  expect_status 0
  expect_eq "$(printf '%s\n' "${lines[@]}" | sort | tr '\n' ' ')" \
    "$(printf '%s\n' "$CTR" "$CTR2" | sort | tr '\n' ' ')" "ids"

  run berth list --quiet
  expect_status 0
  expect_eq "${#lines[@]}" 2 "lines with --quiet"
}

@test "list: no containers" {
  mkdir -p "$BERTH_ROOT"
  run berth list
  expect_status 0
  expect_eq "${#lines[@]}" 1 "number of lines"
  expect_eq "$(echo "${lines[0]}" | awk '{ print $1, $2, $3 }')" "ID PID STATUS" "header"

  run berth list --format json
  expect_status 0
  expect_eq "$output" null "json"

  run berth list -q
  expect_status 0
  expect_eq "$output" "" "quiet"
}

@test "list: a stopped container is listed as stopped" {
  set_args true
  run_detached "$CTR"
  wait_for_status "$CTR" stopped
  run berth list --format json
  expect_status 0
  expect_eq "$(jq -r --arg id "$CTR" '.[] | select(.id == $id) | .status' <<< "$output")" stopped "status"
}
