#!/usr/bin/env bats
# stdio: without a terminal the container's stdio are the fds berth was
# given (pipes of conmon or the shim, still there after berth is gone);
# --preserve-fds; systemd socket activation (LISTEN_FDS, LISTEN_PID).

load helpers

# berth_fds ARGS...: berth with the caller's fds from 3 on left alone (the
# `berth` wrapper closes bats's fd 3).
berth_fds () {
  timeout -k 5 "${BERTH_TIMEOUT:-60}" "$BERTH_BIN" --root "$BERTH_ROOT" "$@"
}

# fd_list: the container's fds, as the last line of its output (ls keeps
# one of its own open: the highest).
FD_LIST='ls /proc/self/fd | sort -n | tr "\n" " "; echo'

@test "stdio: pipes given to create work after berth has exited" {
  set_args sh -c 'read x; echo "out:$x"; echo "err:$x" >&2
    for f in 0 1 2; do readlink /proc/self/fd/$f; done'
  # Anonymous pipes, as conmon and containerd's shim give: stdin from one
  # process, stdout and stderr into another that writes a file.
  berth create --bundle "$BUNDLE" "$CTR" \
    < <(echo ping) > >(cat > "$TMP/stdout") 2> >(cat > "$TMP/stderr")
  # create has returned: no berth process is left to relay anything (the
  # container's init, not exec'd yet, still has berth's command line).
  init=$(ctr_pid "$CTR")
  left=$(pgrep -f -- "--root $BERTH_ROOT" | grep -vx "$init" || true)
  [ -z "$left" ] || fail "berth processes left: $left"
  berth start "$CTR"
  wait_for_status "$CTR" stopped
  wait_for_file "$TMP/stdout" "pipe:["
  wait_for_file "$TMP/stderr" "err:ping"
  expect_contains "$(cat "$TMP/stdout")" "out:ping"
  expect_eq "$(grep -c '^pipe:\[' "$TMP/stdout")" 3 "stdio are pipes"
  expect_not_contains "$(cat "$TMP/stdout")" "err:ping"
}

@test "stdio: run --detach leaves the pipes to the container" {
  set_args sh -c 'cat; echo done'
  # stdin is a pipe whose writer (this shell, fd 7) keeps it open past
  # berth's exit.
  mkfifo "$TMP/in"
  exec 7<> "$TMP/in"
  berth run -d --bundle "$BUNDLE" "$CTR" < "$TMP/in" > "$TMP/$CTR.out" 2>&1
  echo "written after berth exited" >&7
  exec 7>&-
  wait_for_status "$CTR" stopped
  expect_eq "$(cat "$TMP/$CTR.out")" "written after berth exited
done" "container output"
}

@test "stdio: --preserve-fds passes fds 3 to 3+N-1 and no other" {
  echo three > "$TMP/f3"
  echo four > "$TMP/f4"
  set_args sh -c "cat <&3; cat <&4; $FD_LIST"
  run berth_fds run --preserve-fds 2 --bundle "$BUNDLE" "$CTR" \
    3< "$TMP/f3" 4< "$TMP/f4" 5< /dev/null 6< /dev/null < /dev/null
  expect_status 0
  expect_eq "${lines[0]}" three "fd 3"
  expect_eq "${lines[1]}" four "fd 4"
  # 5 is ls's own: berth's fds 5 and 6 were not passed.
  expect_eq "${lines[2]}" "0 1 2 3 4 5 " "fds"
}

@test "stdio: --preserve-fds with create, the fds read after start" {
  echo three > "$TMP/f3"
  set_args sh -c "cat <&3; $FD_LIST"
  berth_fds create --preserve-fds 1 --bundle "$BUNDLE" "$CTR" 3< "$TMP/f3" \
    < /dev/null > "$TMP/out" 2>&1
  berth start "$CTR"
  wait_for_status "$CTR" stopped
  expect_eq "$(cat "$TMP/out")" "three
0 1 2 3 4 " "output"
}

@test "stdio: --preserve-fds naming an fd berth was not given fails, nothing left" {
  run berth_fds run --preserve-fds 2 --bundle "$BUNDLE" "$CTR" 3< /dev/null 4<&- < /dev/null
  expect_error "$status" "$output" "--preserve-fds 2: fd 4 was not passed to berth"
  assert_no_leftovers "$CTR"
}

@test "stdio: LISTEN_FDS for berth's pid: the fds go first, the environment follows" {
  echo l3 > "$TMP/f3"
  echo l4 > "$TMP/f4"
  echo p5 > "$TMP/f5"
  set_args sh -c "echo \"\$LISTEN_FDS \$LISTEN_PID \$LISTEN_FDNAMES\"; cat <&3; cat <&4; cat <&5; $FD_LIST"
  # LISTEN_PID must be berth's own pid: set by the shell that execs it.
  run bash -c 'export LISTEN_PID=$$ LISTEN_FDS=2 LISTEN_FDNAMES=web:admin; exec "$@"' _ \
    "$BERTH_BIN" --root "$BERTH_ROOT" run --preserve-fds 1 --bundle "$BUNDLE" "$CTR" \
    3< "$TMP/f3" 4< "$TMP/f4" 5< "$TMP/f5" 6< /dev/null < /dev/null
  expect_status 0
  # LISTEN_PID: the container process's pid in its own pid namespace.
  expect_eq "${lines[0]}" "2 1 web:admin" "LISTEN_FDS LISTEN_PID LISTEN_FDNAMES"
  expect_eq "${lines[1]} ${lines[2]} ${lines[3]}" "l3 l4 p5" "fds 3 4 5"
  expect_eq "${lines[4]}" "0 1 2 3 4 5 6 " "fds"
}

@test "stdio: LISTEN_FDS replaces the entries of process.env" {
  echo l3 > "$TMP/f3"
  update_config '.process.env += ["LISTEN_FDS=9", "LISTEN_PID=9"]'
  set_args sh -c 'env | grep ^LISTEN_ | sort'
  run bash -c 'export LISTEN_PID=$$ LISTEN_FDS=1; exec "$@"' _ \
    "$BERTH_BIN" --root "$BERTH_ROOT" run --bundle "$BUNDLE" "$CTR" 3< "$TMP/f3" < /dev/null
  expect_status 0
  expect_eq "$output" "LISTEN_FDS=1
LISTEN_PID=1"
}

@test "stdio: LISTEN_FDS for another pid is not berth's" {
  set_args sh -c "echo \"[\$LISTEN_FDS]\"; $FD_LIST"
  run bash -c 'export LISTEN_PID=1 LISTEN_FDS=1; exec "$@"' _ \
    "$BERTH_BIN" --root "$BERTH_ROOT" run --bundle "$BUNDLE" "$CTR" 3< /dev/null < /dev/null
  expect_status 0
  expect_eq "${lines[0]}" "[]" "LISTEN_FDS in the container"
  expect_eq "${lines[1]}" "0 1 2 3 " "fds"
}

@test "stdio: LISTEN_FDS naming fds berth was not given fails" {
  run bash -c 'export LISTEN_PID=$$ LISTEN_FDS=2; exec "$@"' _ \
    "$BERTH_BIN" --root "$BERTH_ROOT" run --bundle "$BUNDLE" "$CTR" 3< /dev/null 4<&- < /dev/null
  expect_error "$status" "$output" "LISTEN_FDS=2: fd 4 was not passed to berth"
  assert_no_leftovers "$CTR"
}
