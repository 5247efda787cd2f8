#!/usr/bin/env bats
# terminal: process.terminal with --console-socket (the pty master sent
# over SCM_RIGHTS, as runc), `run -t` in the foreground proxying berth's
# own terminal, /dev/console, and the CVE-2025-52565 regressions.

load helpers

TTYHELPER="$REPO_ROOT/tests/helpers/ttyhelper"

setup_file () {
  common_setup_file
  if [ ! -x "$TTYHELPER" ] || [ "$TTYHELPER.c" -nt "$TTYHELPER" ]; then
    make -s -C "$REPO_ROOT" tests/helpers/ttyhelper >&2
  fi
}

setup () {
  common_setup
  update_config '.process.terminal = true'
}

# recv_tty STEP...: ttyhelper's console socket receiver in the background
# on $TMP/tty.sock (see tests/helpers/ttyhelper.c for the steps), output
# to $TMP/recv.out.  Sets RECV_PID.
recv_tty () {
  "$TTYHELPER" recv "$TMP/tty.sock" "$@" > "$TMP/recv.out" 2>&1 3>&- &
  RECV_PID=$!
  BG_PIDS+=("$RECV_PID")
  wait_for_file "$TMP/tty.sock"
}

# recv_wait: waits for the receiver; $output and $lines are what it
# read, without the pty's carriage returns.
recv_wait () {
  wait_bg "$RECV_PID" || { cat "$TMP/recv.out" >&2; return 1; }
  output=$(tr -d '\r' < "$TMP/recv.out")
  mapfile -t lines <<< "$output"
}

@test "terminal: create sends the pty master over --console-socket" {
  update_config '.process.consoleSize = {"height": 30, "width": 100}'
  set_args sh -c 'tty; stty size; for f in 0 1 2; do readlink /proc/self/fd/$f; done
    echo ctty > /dev/tty && echo has-ctty
    echo ready; read x; echo got:$x'
  recv_tty 'wait:ready' 'send:hello\n'
  run berth create --bundle "$BUNDLE" --console-socket "$TMP/tty.sock" "$CTR"
  expect_status 0
  run berth start "$CTR"
  expect_status 0
  recv_wait
  expect_eq "${lines[0]}" "ttyhelper: name=/dev/ptmx master=ok ptn=0" "what came over the socket"
  expect_eq "${lines[1]}" /dev/pts/0 tty
  expect_eq "${lines[2]}" "30 100" "stty size (consoleSize)"
  expect_eq "${lines[3]} ${lines[4]} ${lines[5]}" "/dev/pts/0 /dev/pts/0 /dev/pts/0" "stdio"
  expect_contains "$output" has-ctty
  expect_contains "$output" got:hello
}

@test "terminal: /dev/console is the pty peer, in the container's own devpts" {
  # CVE-2025-52565: the console is the peer of the master berth sent (same
  # device as fd 0), not something a path led to.
  set_args sh -c 'stat -L -c "fd0 %t:%T %d %i" /proc/self/fd/0
    stat -c "console %t:%T %d %i" /dev/console; stat -c "pts %d" /dev/pts
    ls /dev/pts | tr "\n" " "; echo'
  recv_tty
  run berth create --bundle "$BUNDLE" --console-socket "$TMP/tty.sock" "$CTR"
  expect_status 0
  berth start "$CTR"
  recv_wait
  fd0=$(echo "$output" | awk '$1 == "fd0" { print $2, $3, $4 }')
  console=$(echo "$output" | awk '$1 == "console" { print $2, $3, $4 }')
  pts=$(echo "$output" | awk '$1 == "pts" { print $2 }')
  [ -n "$fd0" ] || fail "no fd 0 line: $output"
  expect_eq "$console" "$fd0" "/dev/console against fd 0"
  expect_eq "${fd0#* }" "$pts 3" "device of the peer (the devpts on /dev/pts, inode of pty 0)"
  # A new devpts instance: only this container's pty is there.
  expect_contains "$output" "0 ptmx "
  [ "$pts" != "$(stat -c %d /dev/pts)" ] || fail "the host's devpts"
}

@test "terminal: the pty belongs to process.user" {
  update_config '.process.user = {"uid": 1000, "gid": 1000}'
  set_args sh -c 'id -u; stat -L -c "%u %a" /proc/self/fd/0; stat -c "%u" /dev/console; echo x > /dev/tty && echo writable'
  recv_tty
  run berth create --bundle "$BUNDLE" --console-socket "$TMP/tty.sock" "$CTR"
  expect_status 0
  berth start "$CTR"
  recv_wait
  expect_eq "${lines[1]}" 1000 "id -u"
  expect_eq "${lines[2]}" "1000 620" "owner and mode of the pty"
  expect_eq "${lines[3]}" 1000 "owner of /dev/console"
  expect_contains "$output" writable
}

@test "terminal: in a user namespace" {
  requires userns
  local d="$BUNDLE"
  while [ "$d" != / ]; do chmod o+x "$d"; d=$(dirname "$d"); done
  update_config '.linux.namespaces += [{"type": "user"}]
    | .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
    | .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]'
  set_args sh -c 'tty; stat -L -c %u /proc/self/fd/0; [ /dev/console -ef /proc/self/fd/0 ] && echo console-is-fd0'
  recv_tty
  run berth create --bundle "$BUNDLE" --console-socket "$TMP/tty.sock" "$CTR"
  expect_status 0
  berth start "$CTR"
  recv_wait
  expect_eq "${lines[1]}" /dev/pts/0 tty
  expect_eq "${lines[2]}" 0 "owner inside"
  expect_contains "$output" console-is-fd0
}

@test "terminal: run --detach with --console-socket" {
  set_args sh -c 'echo detached-output; tty'
  recv_tty
  run berth run -d --bundle "$BUNDLE" --console-socket "$TMP/tty.sock" "$CTR"
  expect_status 0
  recv_wait
  expect_contains "$output" detached-output
  expect_contains "$output" /dev/pts/0
}

@test "terminal: create without --console-socket fails and leaves nothing" {
  run berth create --bundle "$BUNDLE" "$CTR"
  expect_error "$status" "$output" "cannot allocate tty if berth will detach without setting console socket"
  assert_no_leftovers "$CTR"
  run berth run -d --bundle "$BUNDLE" "$CTR"
  expect_error "$status" "$output" "cannot allocate tty if berth will detach without setting console socket"
  assert_no_leftovers "$CTR"
}

@test "terminal: --console-socket without a terminal, or in the foreground, is refused" {
  touch "$TMP/not-used.sock"
  update_config '.process.terminal = false'
  run berth create --bundle "$BUNDLE" --console-socket "$TMP/not-used.sock" "$CTR"
  expect_error "$status" "$output" "cannot use console socket if berth will not detach or allocate tty"
  update_config '.process.terminal = true'
  run berth run --bundle "$BUNDLE" --console-socket "$TMP/not-used.sock" "$CTR"
  expect_error "$status" "$output" "cannot use console socket if berth will not detach or allocate tty"
  assert_no_leftovers "$CTR"
}

@test "terminal: a console socket no one listens on fails before anything is made" {
  run berth create --bundle "$BUNDLE" --console-socket "$TMP/missing.sock" "$CTR"
  expect_error "$status" "$output" "--console-socket: connect to $TMP/missing.sock" "No such file"
  assert_no_leftovers "$CTR"
}

@test "terminal: without a devpts on /dev/pts the error says so" {
  update_config '.mounts |= map(select(.destination != "/dev/pts"))'
  recv_tty
  run berth create --bundle "$BUNDLE" --console-socket "$TMP/tty.sock" "$CTR"
  expect_error "$status" "$output" "process.terminal" "/dev/pts"
  assert_no_leftovers "$CTR"
}

# CVE-2025-52565: an image whose /dev/console is a symlink out of the
# rootfs (no tmpfs on /dev hides it) must not get berth to create or mount
# anything there.
@test "terminal: a /dev/console symlink to a host path is refused (absolute)" {
  update_config '.mounts |= map(select(.destination != "/dev"))'
  echo "host file" > "$TMP/host-console"
  ln -s "$TMP/host-console" "$BUNDLE/rootfs/dev/console"
  ln -s "$TMP/host-missing" "$BUNDLE/rootfs/dev/console2"
  recv_tty
  run berth create --bundle "$BUNDLE" --console-socket "$TMP/tty.sock" "$CTR"
  expect_error "$status" "$output" "/dev/console in the container is a symlink"
  expect_eq "$(cat "$TMP/host-console")" "host file" "the host file"
  [ -z "$(mounts_under "$TMP/host-console")" ] || fail "mounted on the host file"
  [ ! -e "$TMP/host-missing" ] || fail "created on the host"
  [ -L "$BUNDLE/rootfs/dev/console" ] || fail "the image's symlink was replaced"
  assert_no_leftovers "$CTR"
}

@test "terminal: a /dev/console symlink to a host path is refused (relative, missing target)" {
  update_config '.mounts |= map(select(.destination != "/dev"))'
  ln -s "../../../../../../../../../../../..$TMP/host-missing" "$BUNDLE/rootfs/dev/console"
  recv_tty
  run berth create --bundle "$BUNDLE" --console-socket "$TMP/tty.sock" "$CTR"
  expect_error "$status" "$output" "/dev/console in the container is a symlink"
  [ ! -e "$TMP/host-missing" ] || fail "created on the host"
  assert_no_leftovers "$CTR"
}

@test "terminal: a /dev/console of the image that is a file is mounted over" {
  update_config '.mounts |= map(select(.destination != "/dev"))'
  echo "image content" > "$BUNDLE/rootfs/dev/console"
  set_args sh -c '[ /dev/console -ef /proc/self/fd/0 ] && echo console-is-fd0'
  recv_tty
  run berth create --bundle "$BUNDLE" --console-socket "$TMP/tty.sock" "$CTR"
  expect_status 0
  berth start "$CTR"
  recv_wait
  expect_contains "$output" console-is-fd0
  expect_eq "$(cat "$BUNDLE/rootfs/dev/console")" "image content" "the image's file"
}

@test "terminal: run in the foreground proxies berth's terminal" {
  # Raw mode: "abc" is echoed once, by the container's pty only; the
  # window size follows (SIGWINCH); the status is the container's and
  # the terminal is restored.
  set_args sh -c 'stty size; echo ready; read x; stty size; echo got:$x; exit 7'
  run "$TTYHELPER" pty 30 100 'wait:ready' 'size:40x120' 'send:abc\r' -- \
    "$BERTH_BIN" --root "$BERTH_ROOT" run --bundle "$BUNDLE" "$CTR" 3>&-
  expect_status 7
  output=$(echo "$output" | tr -d '\r')
  expect_contains "$output" "30 100"
  expect_contains "$output" "40 120"
  expect_contains "$output" "got:abc"
  expect_eq "$(echo "$output" | grep -c abc)" 2 "lines with abc (echo and got:)"
  expect_contains "$output" "ttyhelper: termios restored"
  assert_no_leftovers "$CTR"
}

@test "terminal: run in the foreground: the pty has berth's window size before the process runs" {
  command -v strace > /dev/null || skip "needs strace"
  # berth's flock calls (the last one unlocks the state dir between the
  # init's release and the proxy) made 1 s slower: the process runs well
  # before the proxy does, as on a loaded machine.  Only berth is traced,
  # not the container (no -f).
  set_args stty size
  run "$TTYHELPER" pty 30 100 -- strace -o /dev/null -e trace=flock \
    -e inject=flock:delay_enter=1000000 \
    "$BERTH_BIN" --root "$BERTH_ROOT" run --bundle "$BUNDLE" "$CTR" 3>&-
  expect_status 0
  output=$(echo "$output" | tr -d '\r')
  expect_contains "$output" "30 100"
  expect_not_contains "$output" "stty:"
}

@test "terminal: ^C in the foreground reaches the container, not berth" {
  set_args sh -c 'trap "echo got-int; exit 5" INT; echo ready; read x; echo after-read'
  run "$TTYHELPER" pty 24 80 'wait:ready' "send:$(printf '\003')" -- \
    "$BERTH_BIN" --root "$BERTH_ROOT" run --bundle "$BUNDLE" "$CTR" 3>&-
  expect_status 5
  expect_contains "$output" "got-int"
  expect_not_contains "$output" "after-read"
  expect_contains "$output" "ttyhelper: termios restored"
}

@test "terminal: run in the foreground with stdin from a pipe" {
  set_args sh -c 'read x; echo got:$x; cat; echo end'
  run bash -c 'printf "line1\nlast" | "$1" --root "$2" run --bundle "$3" "$4"' _ \
    "$BERTH_BIN" "$BERTH_ROOT" "$BUNDLE" "$CTR"
  expect_status 0
  output=$(echo "$output" | tr -d '\r')
  expect_contains "$output" "got:line1"
  # End of stdin is the end of the container's input: cat returns.
  expect_contains "$output" "end"
  assert_no_leftovers "$CTR"
}
