#!/usr/bin/env bats
# Hostile input: oversized or deeply nested JSON, non-UTF-8 strings, ids
# that try to walk out of the state root, huge argument lists.  Each gets
# a clear error (exit 1, "berth: ..."), no crash, nothing left behind.
# (errors.bats has the everyday mistakes; the config parser also has a
# fuzz target, tests/fuzz/.)

load helpers

# create_refused NEEDLE...: create $CTR fails cleanly, mentioning each
# NEEDLE, and leaves nothing.
create_refused () {
  run create_ctr "$CTR"
  expect_error "$status" "$(cat "$TMP/$CTR.err")" "$@"
  assert_no_leftovers "$CTR"
}

@test "hostile input: a config.json over the size cap" {
  # 5 MiB of valid JSON: refused for its size before it is parsed.
  { printf '{"ociVersion": "1.0.2", "annotations": {"pad": "'
    printf '%*s' 5242880 '' | tr ' ' a
    printf '"}}'; } > "$BUNDLE/config.json"
  create_refused config.json "too large"
}

@test "hostile input: a config.json that never ends" {
  ln -sf /dev/zero "$BUNDLE/config.json"
  create_refused config.json
}

@test "hostile input: deeply nested JSON" {
  for open in '[' '{"a":'; do
    # (yes | head: a few writes, not 100000: the v2 guest runs under TCG.)
    { printf '{"ociVersion": "1.0.2", "annotations": '
      yes "$open" | head -n 100000 | tr -d '\n'; } > "$BUNDLE/config.json"
    create_refused config.json "nested too deeply"
  done
}

@test "hostile input: non-UTF-8 bytes in a string" {
  jq -c '.process.args = ["true", "ARG"]' "$BUNDLE/config.json" \
    | sed 's/ARG/a\xff\xfeb/' > "$TMP/c.json"
  mv "$TMP/c.json" "$BUNDLE/config.json"
  create_refused config.json "UTF8"
}

@test "hostile input: NUL bytes, in the file or escaped" {
  printf '{"ociVersion": "1.0.2",\0 "process": {}}' > "$BUNDLE/config.json"
  create_refused config.json "NUL"
  jq '.process.args = ["tr\u0000ue"]' "$BUNDLE/config.json" > "$TMP/c.json" 2> /dev/null \
    || { cp "$BUNDLE_TEMPLATE/config.json" "$TMP/c.json"; sed -i 's/"sh"/"tr\\u0000ue"/' "$TMP/c.json"; }
  mv "$TMP/c.json" "$BUNDLE/config.json"
  create_refused config.json "\\u0000"
}

@test "hostile input: ids with path separators never reach outside the state root" {
  mkdir -p "$BERTH_ROOT" "$TMP/escape"
  echo keep > "$TMP/escape/state.json"
  set_args true
  for id in ../escape ../../etc /etc/passwd a/b ./x "x/../../escape" ".." $'\xff/..' "a\\b" ""; do
    for cmd in create state start kill delete; do
      if [ "$cmd" = create ]; then
        run berth create --bundle "$BUNDLE" -- "$id" < /dev/null
      else
        run berth "$cmd" -- "$id"
      fi
      [ "$status" -eq 1 ] || fail "$cmd $id: status $status: $output"
      expect_contains "$output" "berth: " "$cmd $id"
    done
  done
  expect_eq "$(cat "$TMP/escape/state.json")" keep "a file next to the state root"
  [ -z "$(ls -A "$BERTH_ROOT")" ] || fail "left in the state root: $(ls -A "$BERTH_ROOT")"
}

@test "hostile input: an id of unprintable bytes is shown escaped" {
  run berth create --bundle "$BUNDLE" $'a\x1b[31mb\xff' < /dev/null
  expect_error "$status" "$output" 'invalid container id "a\x1b[31mb\xff"'
}

@test "hostile input: a hostname the kernel cannot take" {
  update_config '.hostname = $h' --arg h "$(printf 'h%.0s' {1..5000})"
  create_refused hostname "5000 bytes"
  [ ${#output} -lt 1000 ] || fail "the message repeats the hostname"
}

@test "hostile input: an argument list over the kernel's limit" {
  # With an 8 MiB stack execve takes 2 MiB of arguments: 25000 of 100
  # bytes (a config of 2.6 MB) are more.  (Few long ones rather than many
  # short ones: yajl grows an array one element at a time.)
  update_config '.process.rlimits += [{"type": "RLIMIT_STACK", "soft": 8388608, "hard": 8388608}]
    | .process.args = ["echo"] + [range(25000) | "a" * 100]'
  run berth run --bundle "$BUNDLE" "$CTR" < /dev/null
  expect_error "$status" "$output" "exec" "Argument list too long"
  assert_no_leftovers "$CTR"
  # One argument over the kernel's 128 KiB per string.
  update_config '.process.args = ["echo", "x" * 200000]'
  run berth run --bundle "$BUNDLE" "$CTR" < /dev/null
  expect_error "$status" "$output" "Argument list too long"
  assert_no_leftovers "$CTR"
}

@test "hostile input: a long argument list within the limit runs" {
  update_config '.process.args = ["sh", "-c", "echo $#", "sh"] + [range(20000) | tostring]'
  run berth run --bundle "$BUNDLE" "$CTR" < /dev/null
  expect_status 0
  expect_eq "$output" 20000
}

@test "hostile input: thousands of mounts, env entries and masked paths" {
  update_config '.process.env += [range(5000) | "V\(.)=x"]
    | .linux.maskedPaths += [range(2000) | "/nonexistent/\(.)"]
    | .mounts += [range(200) | {"destination": "/mnt/m\(.)", "type": "tmpfs", "source": "tmpfs"}]'
  run_sh 'env | grep -c "^V"; grep -c " /mnt/m" /proc/self/mounts'
  expect_status 0
  expect_eq "${lines[0]}" 5000 "env entries"
  expect_eq "${lines[1]}" 200 "mounts"
}
