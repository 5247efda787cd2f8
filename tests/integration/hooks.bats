#!/usr/bin/env bats
# hooks: order, state on stdin, namespaces they run in, path resolution,
# failures, timeouts, poststop.

load helpers

setup () {
  common_setup
  # Hooks in the runtime namespace write to $H; startContainer (after
  # pivot_root) writes to the same directory through /hooks.
  H="$TMP/hooks"
  mkdir "$H"
  update_config '.mounts += [{"destination": "/hooks", "type": "bind", "source": $h, "options": ["rbind", "rw"]}]' \
    --arg h "$H"
}

# add_hook KIND SCRIPT [PATH [TIMEOUT]]: a hook running `busybox sh -c
# SCRIPT` (PATH defaults to the host's busybox).
add_hook () {
  local kind="$1" script="$2" path="${3:-$BUSYBOX}" timeout="${4:-}"
  update_config '.hooks[$k] += [{"path": $p, "args": ["busybox", "sh", "-c", $s]}
      + (if $t == "" then {} else {"timeout": ($t | tonumber)} end)]' \
    --arg k "$kind" --arg p "$path" --arg s "$script" --arg t "$timeout"
}

# record_script KIND DIR: a hook script that saves its stdin, its mount
# and uts namespaces under DIR and appends KIND to DIR/order.
record_script () {
  local kind="$1" dir="$2"
  echo "cat > $dir/$kind.json; readlink /proc/self/ns/uts > $dir/$kind.uts;
    readlink /proc/self/ns/mnt > $dir/$kind.mnt; echo $kind >> $dir/order"
}

order () {
  tr '\n' ' ' < "$H/order" 2> /dev/null || true
}

@test "hooks: every kind runs in order with the state on stdin" {
  for k in prestart createRuntime createContainer poststart poststop; do
    add_hook "$k" "$(record_script "$k" "$H")"
  done
  add_hook startContainer "$(record_script startContainer /hooks)" /bin/busybox
  set_args sh -c 'echo program >> /hooks/order; exec sleep 1000'

  create_ctr "$CTR"
  expect_eq "$(order)" "prestart createRuntime createContainer " "order after create"
  pid=$(ctr_pid "$CTR")
  ctr_mnt=$(readlink "/proc/$pid/ns/mnt")
  ctr_uts=$(readlink "/proc/$pid/ns/uts")

  berth start "$CTR"
  wait_for_file "$H/order" program
  expect_eq "$(order)" "prestart createRuntime createContainer startContainer program poststart " \
    "order after start"

  berth kill "$CTR" KILL
  wait_for_status "$CTR" stopped
  berth delete "$CTR"
  expect_eq "$(order)" "prestart createRuntime createContainer startContainer program poststart poststop " \
    "order after delete"

  for k in prestart createRuntime createContainer startContainer poststart poststop; do
    jq -e . "$H/$k.json" > /dev/null || fail "$k: stdin is not JSON: $(cat "$H/$k.json")"
    expect_eq "$(jq -r .id "$H/$k.json")" "$CTR" "$k: id"
    expect_eq "$(jq -r .bundle "$H/$k.json")" "$BUNDLE" "$k: bundle"
    jq -e '.ociVersion | startswith("1.")' "$H/$k.json" > /dev/null || fail "$k: ociVersion"
  done
  # The pid as seen where the hook runs (runtime.md, State): the host pid
  # in the runtime namespace, 1 in the container's pid namespace.
  for k in prestart createRuntime poststart; do
    expect_eq "$(jq -r .pid "$H/$k.json")" "$pid" "$k: pid"
  done
  for k in createContainer startContainer; do
    expect_eq "$(jq -r .pid "$H/$k.json")" 1 "$k: pid"
  done
  expect_eq "$(jq -r .status "$H/poststop.json")" stopped "poststop: status"
  expect_eq "$(jq -r .status "$H/poststart.json")" running "poststart: status"

  # Where they ran: runtime namespace or container namespace.
  host_mnt=$(readlink /proc/self/ns/mnt)
  host_uts=$(readlink /proc/self/ns/uts)
  for k in prestart createRuntime poststart poststop; do
    expect_eq "$(cat "$H/$k.mnt")" "$host_mnt" "$k: mount namespace"
    expect_eq "$(cat "$H/$k.uts")" "$host_uts" "$k: uts namespace"
  done
  for k in createContainer startContainer; do
    expect_eq "$(cat "$H/$k.mnt")" "$ctr_mnt" "$k: mount namespace"
    expect_eq "$(cat "$H/$k.uts")" "$ctr_uts" "$k: uts namespace"
  done
}

@test "hooks: several hooks of one kind run in the order given" {
  for n in 1 2 3; do
    add_hook createRuntime "echo cr$n >> $H/order"
  done
  add_hook poststart "echo ps1 >> $H/order"
  add_hook poststart "echo ps2 >> $H/order"
  set_args true
  run berth run --bundle "$BUNDLE" "$CTR" < /dev/null
  expect_status 0
  expect_eq "$(order)" "cr1 cr2 cr3 ps1 ps2 " "order"
}

@test "hooks: args and env are the configured ones" {
  update_config '.hooks.createRuntime = [{"path": $p,
    "args": ["busybox", "sh", "-c", "echo \"$0 $1 $HOOKVAR\" > \($h)/args; env > \($h)/env", "first", "second"],
    "env": ["HOOKVAR=value", "OTHER=x"]}]' --arg p "$BUSYBOX" --arg h "$H"
  export LEAKY_HOST_VAR=leaked
  set_args true
  run berth run --bundle "$BUNDLE" "$CTR" < /dev/null
  expect_status 0
  expect_eq "$(cat "$H/args")" "first second value" "args"
  grep -qx OTHER=x "$H/env"
  run grep -c LEAKY_HOST_VAR "$H/env"
  expect_eq "$output" 0 "host variables in the hook's env"
}

@test "hooks: createContainer's path resolves in the runtime namespace" {
  mkdir "$TMP/hostonly"
  cp "$BUSYBOX" "$TMP/hostonly/busybox"
  add_hook createContainer "readlink /proc/self/ns/uts > $H/cc-ran" "$TMP/hostonly/busybox"
  set_args sleep 1000
  create_ctr "$CTR"
  expect_eq "$(cat "$H/cc-ran")" "$(readlink "/proc/$(ctr_pid "$CTR")/ns/uts")" \
    "createContainer's uts namespace"
}

@test "hooks: startContainer's path resolves in the container namespace" {
  mkdir "$BUNDLE/rootfs/hookbin"
  cp "$BUSYBOX" "$BUNDLE/rootfs/hookbin/busybox"
  [ ! -e /hookbin/busybox ]
  add_hook startContainer "hostname > /hooks/sc-ran" /hookbin/busybox
  set_args true
  run berth run --bundle "$BUNDLE" "$CTR" < /dev/null
  expect_status 0
  # After start the hostname is the container's.
  expect_eq "$(cat "$H/sc-ran")" bats "startContainer ran"
}

@test "hooks: a failing createRuntime hook fails create and leaves nothing" {
  add_hook createRuntime "exit 3"
  add_hook createContainer "echo cc >> $H/order"
  set_args sh -c 'echo program'
  run create_ctr "$CTR"
  expect_error "$status" "$(cat "$TMP/$CTR.err")" createRuntime
  assert_no_leftovers "$CTR"
  expect_eq "$(order)" "" "hooks after the failing one"
  expect_not_contains "$(cat "$TMP/$CTR.out")" program
}

@test "hooks: a failing prestart hook fails create and leaves nothing" {
  add_hook prestart "exit 1"
  set_args true
  run create_ctr "$CTR"
  expect_error "$status" "$(cat "$TMP/$CTR.err")" prestart
  assert_no_leftovers "$CTR"
}

@test "hooks: a failing createContainer hook fails create and leaves nothing" {
  add_hook createContainer "exit 1"
  set_args true
  run create_ctr "$CTR"
  expect_error "$status" "$(cat "$TMP/$CTR.err")" createContainer
  assert_no_leftovers "$CTR"
}

@test "hooks: a hook that cannot be executed fails create" {
  update_config '.hooks.createRuntime = [{"path": $p}]' --arg p "$TMP/no-such-hook"
  set_args true
  run create_ctr "$CTR"
  expect_error "$status" "$(cat "$TMP/$CTR.err")" "$TMP/no-such-hook"
  assert_no_leftovers "$CTR"
}

@test "hooks: a failing createRuntime hook still runs the poststop hooks" {
  add_hook createRuntime "exit 1"
  add_hook poststop "echo poststop >> $H/order"
  set_args true
  run create_ctr "$CTR"
  expect_eq "$status" 1 "create status"
  expect_eq "$(order)" "poststop " "hooks run"
  assert_no_leftovers "$CTR"
}

@test "hooks: a failing startContainer hook fails start, the program never runs" {
  add_hook startContainer "exit 1" /bin/busybox
  set_args sh -c 'echo program > /hooks/program; exec sleep 1000'
  create_ctr "$CTR"
  pid=$(ctr_pid "$CTR")
  run -1 --separate-stderr berth start "$CTR"
  expect_error "$status" "$stderr" startContainer
  wait_for_pid_gone "$pid"
  [ ! -e "$H/program" ] || fail "the program ran"
}

@test "hooks: a failing poststart hook fails start and stops the container" {
  add_hook poststart "exit 1"
  set_args sleep 1000
  create_ctr "$CTR"
  pid=$(ctr_pid "$CTR")
  run -1 --separate-stderr berth start "$CTR"
  expect_error "$status" "$stderr" poststart
  wait_for_pid_gone "$pid"
}

@test "hooks: a failing poststop hook is a warning: later hooks run, delete succeeds" {
  add_hook poststop "echo ps1 >> $H/order; exit 1"
  add_hook poststop "echo ps2 >> $H/order"
  set_args true
  run_detached "$CTR"
  wait_for_status "$CTR" stopped
  run berth delete "$CTR"
  expect_status 0
  expect_eq "$(order)" "ps1 ps2 " "poststop hooks"
  assert_no_leftovers "$CTR"
}

@test "hooks: poststop runs when run deletes the container" {
  add_hook poststop "cat > $H/poststop.json"
  set_args true
  run berth run --bundle "$BUNDLE" "$CTR" < /dev/null
  expect_status 0
  expect_eq "$(jq -r .id "$H/poststop.json")" "$CTR" "poststop state id"
}

@test "hooks: a hook that outlives its timeout is killed and create fails" {
  add_hook createRuntime "echo \$\$ > $H/hook.pid; exec sleep 30" "$BUSYBOX" 1
  set_args true
  SECONDS=0
  run create_ctr "$CTR"
  elapsed=$SECONDS
  expect_eq "$status" 1 "create status"
  [ "$elapsed" -lt 10 ] || fail "create took ${elapsed}s with a 1s hook timeout"
  hook_pid=$(cat "$H/hook.pid")
  wait_for_pid_gone "$hook_pid"
  assert_no_leftovers "$CTR"
}

@test "hooks: a hook within its timeout succeeds" {
  add_hook createRuntime "sleep 0.2; echo done > $H/slow" "$BUSYBOX" 5
  set_args true
  run berth run --bundle "$BUNDLE" "$CTR" < /dev/null
  expect_status 0
  expect_eq "$(cat "$H/slow")" done "hook"
}

@test "hooks: createRuntime can see the container's namespaces through the state pid" {
  add_hook createRuntime "pid=\$(sed -n 's/.*\"pid\": *\\([0-9]*\\).*/\\1/p'); readlink /proc/\$pid/ns/net > $H/net"
  set_args sleep 1000
  create_ctr "$CTR"
  pid=$(ctr_pid "$CTR")
  expect_eq "$(cat "$H/net")" "$(readlink "/proc/$pid/ns/net")" "net namespace seen by the hook"
  [ "$(cat "$H/net")" != "$(readlink /proc/self/ns/net)" ]
}

@test "hooks: startContainer sees only stdio, not the fds berth's caller left open" {
  # fds 7 and 251 are open (not close-on-exec) in berth's caller; runc's
  # hooks get only 0, 1 and 2 (the state on stdin).  The glob is expanded
  # before the redirection opens anything; 3 is the directory the glob
  # reads.
  add_hook startContainer 'cd /proc/$$/fd && echo * > /hooks/sc-fds' /bin/busybox
  add_hook poststop 'cd /proc/$$/fd && echo * > '"$H/ps-fds"
  set_args true
  run berth run --bundle "$BUNDLE" "$CTR" < /dev/null 7< /dev/null 251< /dev/null
  expect_status 0
  expect_eq "$(cat "$H/sc-fds")" "0 1 2 3" "the startContainer hook's fds"
  expect_eq "$(cat "$H/ps-fds")" "0 1 2 3" "the poststop hook's fds"
}

@test "hooks: startContainer runs under the container's seccomp filter" {
  # As runc: the filter is loaded before the hook runs, so the hook meets
  # the same errno as the program.
  update_config '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW",
      "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13}]}'
  add_hook startContainer 'grep "^Seccomp:" /proc/self/status > /hooks/sc-status
    mkdir /hooks/made 2> /hooks/sc-mkdir || echo refused >> /hooks/sc-mkdir' /bin/busybox
  set_args true
  run berth run --bundle "$BUNDLE" "$CTR" < /dev/null
  expect_status 0
  expect_eq "$(awk '{ print $2 }' "$H/sc-status")" 2 "Seccomp: in the hook"
  expect_contains "$(cat "$H/sc-mkdir")" "Permission denied"
  expect_contains "$(cat "$H/sc-mkdir")" refused
  [ ! -e "$H/made" ] || fail "mkdir in the hook was not filtered"
}
