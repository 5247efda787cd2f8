#!/usr/bin/env bats
# Failing create: exit 1, a message naming the problem, nothing left.

load helpers

# create_fails NEEDLE...: create $CTR must fail as berth's contract says,
# with every NEEDLE in the message, and leave nothing behind.
create_fails () {
  run create_ctr "$CTR"
  expect_error "$status" "$(cat "$TMP/$CTR.err")" "$@"
  assert_no_leftovers "$CTR"
  run berth state "$CTR"
  [ "$status" -ne 0 ] || fail "the container exists after a failed create"
}

@test "errors: missing bundle directory" {
  run berth create --bundle "$TMP/nope" "$CTR" < /dev/null
  expect_error "$status" "$output" "$TMP/nope"
  assert_no_leftovers "$CTR"
}

@test "errors: bundle without config.json" {
  rm "$BUNDLE/config.json"
  create_fails config.json
}

@test "errors: invalid JSON" {
  echo '{ "ociVersion": "1.0.2", "process": ' > "$BUNDLE/config.json"
  create_fails config.json
}

@test "errors: config.json that is not an object" {
  echo '[1, 2]' > "$BUNDLE/config.json"
  create_fails config.json
}

@test "errors: wrong type for process.args" {
  update_config '.process.args = "sh -c true"'
  create_fails process.args
}

@test "errors: a non-string element in process.args" {
  update_config '.process.args = ["sh", 1]'
  create_fails process.args
}

@test "errors: empty process.args" {
  update_config '.process.args = []'
  create_fails process.args
}

@test "errors: wrong type for root.readonly" {
  update_config '.root.readonly = "yes"'
  create_fails root.readonly
}

@test "errors: missing rootfs directory" {
  rm -rf "$BUNDLE/rootfs"
  create_fails rootfs
}

@test "errors: unknown namespace type" {
  update_config '.linux.namespaces += [{"type": "frobnicate"}]'
  create_fails frobnicate
}

@test "errors: the same namespace type twice" {
  update_config '.linux.namespaces += [{"type": "network"}]'
  create_fails network
}

@test "errors: a namespace path that does not exist" {
  update_config '.linux.namespaces |= map(if .type == "network" then .path = $p else . end)' \
    --arg p "$TMP/no-such-netns"
  create_fails "$TMP/no-such-netns"
}

@test "errors: a namespace path of another type" {
  update_config '.linux.namespaces |= map(if .type == "network" then .path = $p else . end)' \
    --arg p "/proc/$$/ns/uts"
  create_fails "/proc/$$/ns/uts"
}

@test "errors: bind mount source missing" {
  update_config '.mounts += [{"destination": "/mnt/x", "type": "bind", "source": $s, "options": ["rbind"]}]' \
    --arg s "$TMP/missing-source"
  run create_ctr "$CTR"
  expect_eq "$status" 1 "exit status"
  err=$(cat "$TMP/$CTR.err")
  [[ "$err" == *"$TMP/missing-source"* || "$err" == *"/mnt/x"* ]] \
    || fail "the message names neither the source nor the destination: $err"
  assert_no_leftovers "$CTR"
}

@test "errors: unknown mount type" {
  update_config '.mounts += [{"destination": "/mnt/x", "type": "nosuchfs", "source": "none"}]'
  run create_ctr "$CTR"
  expect_eq "$status" 1 "exit status"
  expect_contains "$(cat "$TMP/$CTR.err")" /mnt/x "stderr"
  assert_no_leftovers "$CTR"
}

@test "errors: unknown capability" {
  update_config '.process.capabilities.bounding += ["CAP_FROBNICATE"]'
  create_fails CAP_FROBNICATE
}

@test "errors: unknown rlimit" {
  update_config '.process.rlimits += [{"type": "RLIMIT_FROBNICATE", "soft": 1, "hard": 1}]'
  create_fails RLIMIT_FROBNICATE
}

@test "errors: relative process.cwd" {
  update_config '.process.cwd = "relative/dir"'
  create_fails process.cwd
}

@test "errors: executable not found" {
  set_args no-such-program
  create_fails no-such-program
}

@test "errors: executable that is not executable" {
  set_args /etc/marker
  create_fails /etc/marker
}

# create and `run` save the state, and write --pid-file, while the init
# still mounts and tell it so ahead (when nothing else passes between
# them before it is ready): an init that fails after that, early (the
# executable) or late (a cwd that is a file, found after pivot_root),
# still fails in its own words and leaves nothing, neither the saved
# state nor the pid file.
@test "errors: an init that fails after the state was saved leaves nothing, nor its pid file" {
  local cmd case
  cp "$BUNDLE/config.json" "$TMP/config.json"
  for cmd in create run; do
    for case in args cwd; do
      cp "$TMP/config.json" "$BUNDLE/config.json"
      if [ "$case" = args ]; then
        set_args no-such-program
      else
        update_config '.process.cwd = "/etc/marker"'
      fi
      run berth "$cmd" --bundle "$BUNDLE" --pid-file "$TMP/pid" "$CTR" < /dev/null
      if [ "$case" = args ]; then
        expect_error "$status" "$output" no-such-program
      else
        expect_error "$status" "$output" process.cwd "Not a directory"
      fi
      assert_no_leftovers "$CTR"
      [ ! -e "$TMP/pid" ] || fail "$cmd ($case) left its pid file"
      run berth state "$CTR"
      [ "$status" -ne 0 ] || fail "the container exists after a failed $cmd"
    done
  done
}

# An init that fails early, while berth still makes its cgroup (v1) or
# before it reads what berth sent it: the message is the init's own, not
# the socket's reset or broken pipe.  strace makes the init's keyring join
# fail (EDQUOT, as a full key quota does); the second time berth's mkdirs
# are slowed too, so that the init is gone before berth's next message.
@test "errors: an init that fails before its cgroup is ready is reported in its own words" {
  command -v strace > /dev/null || skip "strace is not installed (contrib/install-deps installs it)"
  local delay
  for delay in "" "-e inject=mkdirat:delay_enter=20000"; do
    # shellcheck disable=SC2086
    run strace -f -o /dev/null -e trace=keyctl,mkdirat \
      -e inject=keyctl:error=EDQUOT $delay \
      "$BERTH_BIN" --root "$BERTH_ROOT" create --bundle "$BUNDLE" "$CTR" < /dev/null
    expect_error "$status" "$output" "join session keyring: Disk quota exceeded"
    assert_no_leftovers "$CTR"
  done
}

@test "errors: invalid container ids" {
  set_args true
  for id in 'a/b' '..' '.' 'a b' 'ä' 'a:b'; do
    run berth create --bundle "$BUNDLE" "$id" < /dev/null
    expect_error "$status" "$output" "invalid container id" || fail "id: $id"
  done
  expect_contains "$output" 'invalid container id "' "message"
  # Over the 255 bytes a file name may have: refused with its length, not
  # with the whole id.
  run berth create --bundle "$BUNDLE" "$(printf 'x%.0s' {1..1025})" < /dev/null
  expect_error "$status" "$output" "container id is 1025 characters long; at most 255"
  expect_not_contains "$output" "xxxxxxxxxx"
  run berth create --bundle "$BUNDLE" 'a/b' < /dev/null
  expect_contains "$output" 'invalid container id "a/b"'
  [ -z "$(ls -A "$BERTH_ROOT" 2> /dev/null)" ] || fail "state left: $(ls -A "$BERTH_ROOT")"
}

@test "errors: unusual but valid container ids" {
  set_args true
  for id in 'a.b_c+d-1' 'A' '0' 'x..y'; do
    run berth run --bundle "$BUNDLE" "$id" < /dev/null
    expect_status 0
    assert_no_leftovers "$id"
  done
}

@test "errors: a missing id" {
  run berth create --bundle "$BUNDLE" < /dev/null
  expect_eq "$status" 1 "exit status"
  expect_contains "$output" "berth: " "stderr"
}

@test "errors: terminal without a console socket in a detached container" {
  update_config '.process.terminal = true'
  run create_ctr "$CTR"
  err=$(cat "$TMP/$CTR.err")
  expect_error "$status" "$err"
  [[ "$err" == *console* || "$err" == *terminal* ]] \
    || fail "the message names neither the console socket nor process.terminal: $err"
  assert_no_leftovers "$CTR"
}
