#!/usr/bin/env bats
# The engine contract: the exit status and the words of runc's messages
# that containerd's shim, podman and Docker act on (docs/engines.md lists
# each, with the engine's source that matches it).  Every test runs the
# same calls on runc ($REF_RUNTIME, default /usr/sbin/runc) and on berth,
# and each call's exit status and phrase must hold for both: where runc's
# words change, so does this file, and berth with it.  Without runc the
# runc half is skipped (and said so); RUNTIME=/usr/sbin/runc runs the
# berth half on runc too, which checks the file itself.
#
# Phrases are matched as engines match them: "container not running" and
# "does not exist" exactly (containerd's strings.Contains); those marked
# i: ignoring case (Docker lowercases the message, podman's regexps
# are (?i)).

if [ -n "${RUNTIME:-}" ]; then
  BERTH_BIN=$RUNTIME
fi
load helpers

: "${REF_RUNTIME:=/usr/sbin/runc}"

setup () {
  common_setup
  REF_ROOT="$TMP/ref-state"
  CTR4="${CTR}_4"
  # The runc container shares the bundle (and its rootfs) with berth's.
  SUBREAPER=$(helper_bin subreaper) || fail "cannot build tests/helpers/subreaper"
}

teardown () {
  local d p
  for p in "${BG_PIDS[@]}"; do
    kill -9 "$p" 2> /dev/null || true
  done
  if [ -d "${REF_ROOT:-}" ] && [ -x "$REF_RUNTIME" ]; then
    for d in "$REF_ROOT"/*/; do
      [ -d "$d" ] || continue
      "$REF_RUNTIME" --root "$REF_ROOT" delete --force "$(basename "$d")" 2> /dev/null || true
    done
  fi
  common_teardown
  p=$(cgroups_named "${CTR4:-none}")
  [ -z "$p" ] || fail "teardown: cgroups left: $p"
}

# ---- the two runtimes --------------------------------------------------------

# use_runtime ref|berth: the runtime the calls that follow go to (rt), its
# state root and the ids of its containers ($ID, and $ID2 for a second):
# each runtime has its own, so the two never meet.
use_runtime () {
  RT_NAME=$1
  if [ "$1" = ref ]; then
    RT_BIN=$REF_RUNTIME RT_ROOT=$REF_ROOT ID=$CTR2 ID2=$CTR4
    RT_LABEL=runc
  else
    RT_BIN=$BERTH_BIN RT_ROOT=$BERTH_ROOT ID=$CTR ID2=$CTR3
    RT_LABEL=berth
  fi
}

rt () {
  timeout -k 5 "${BERTH_TIMEOUT:-60}" "$RT_BIN" --root "$RT_ROOT" "$@" 3>&-
}

# rt_detached ID [run options]: `run -d` with the container's stdio on files.
rt_detached () {
  local id="${!#}"
  rt run -d --bundle "$BUNDLE" "$@" < /dev/null > "$TMP/$id.out" 2> "$TMP/$id.err"
}

rt_create () {
  local id="${!#}"
  rt create --bundle "$BUNDLE" "$@" < /dev/null > "$TMP/$id.out" 2> "$TMP/$id.err"
}

rt_status () {
  rt state "$1" 2> /dev/null | jq -r .status 2> /dev/null
}

rt_pid () {
  rt state "$1" | jq -r .pid
}

# rt_wait_status ID STATUS: polls `state` for up to ~5 s.
rt_wait_status () {
  local i st=""
  for ((i = 0; i < 100; i++)); do
    st=$(rt_status "$1")
    [ "$st" = "$2" ] && return 0
    sleep 0.05
  done
  echo "$RT_LABEL: container $1: status \"$st\", expected \"$2\"" >&2
  return 1
}

# check STATUS PHRASE ARG...: runs `rt ARG...` ("{}" in an ARG is the
# container's id, "{2}" the second's) and records a failure unless it
# exits with STATUS and, for a PHRASE other than "", its stderr holds
# PHRASE ("i:PHRASE": ignoring case).  Its stdout is left in $OUT.
check () {
  local want="$1" phrase="$2" a st err
  local -a args=()
  shift 2
  for a in "$@"; do
    a=${a//\{2\}/$ID2}
    args+=("${a//\{\}/$ID}")
  done
  err=$(rt "${args[@]}" 2>&1 > "$TMP/check.out" < /dev/null)
  st=$?
  OUT=$(cat "$TMP/check.out")
  CALLS+=("$RT_LABEL: $* -> $st: $err")
  [ "$st" = "$want" ] \
    || FAILS+=("$RT_LABEL: $*: exit status $st, expected $want (stderr: $err)")
  case "$phrase" in
    "") ;;
    i:*)
      grep -qiF -- "${phrase#i:}" <<< "$err" \
        || FAILS+=("$RT_LABEL: $*: \"${phrase#i:}\" (any case) not in: $err")
      ;;
    *)
      grep -qF -- "$phrase" <<< "$err" \
        || FAILS+=("$RT_LABEL: $*: \"$phrase\" not in: $err")
      ;;
  esac
  return 0
}

# expect WHAT CONDITION...: records a failure when the test command fails.
expect () {
  local what="$1"
  shift
  "$@" || FAILS+=("$RT_LABEL: $what")
  return 0
}

# on_both SCENARIO: runs the function SCENARIO with runc, then with berth
# (use_runtime set for each); it makes its container(s) and makes its
# calls with check.  Fails with every failed check of both, and every
# call's outcome side by side.
on_both () {
  local fn="$1" r
  FAILS=() CALLS=()
  for r in ref berth; do
    if [ "$r" = ref ] && [ ! -x "$REF_RUNTIME" ]; then
      echo "# $REF_RUNTIME is not installed: the runc half is skipped" >&3
      continue
    fi
    use_runtime "$r"
    "$fn" || FAILS+=("$RT_LABEL: the scenario $fn could not be set up")
  done
  if [ ${#FAILS[@]} -gt 0 ]; then
    printf '%s\n' "${FAILS[@]}" >&2
    echo "--- every call:" >&2
    printf '%s\n' "${CALLS[@]}" >&2
    return 1
  fi
}

# ---- scenarios -----------------------------------------------------------------

missing_container () {
  # containerd's shim: "does not exist" after a failed delete is no error,
  # after a failed kill it is "no such container"; podman: after state,
  # the container has exited.  `delete --force` of nothing is success.
  check 1 "does not exist" kill {} KILL
  check 1 "does not exist" kill --all {} KILL
  check 1 "does not exist" delete {}
  check 0 "" delete --force {}
  check 1 "does not exist" state {}
  check 1 "does not exist" ps --format json {}
  check 255 "does not exist" exec {} true
  check 1 "does not exist" pause {}
  check 1 "does not exist" resume {}
  check 1 "does not exist" start {}
  check 1 "does not exist" update --memory 100000000 {}
  check 1 "does not exist" events --stats {}
}

@test "engine contract: a container that does not exist" {
  on_both missing_container
}

stopped_container () {
  set_args true
  rt_detached "$ID" && rt_wait_status "$ID" stopped || return 1
  # The shim's kill of an init that has exited: "container not running"
  # is "process already finished" to it; kill --all (what the shim sends
  # after every init's exit in a pod sharing a pid namespace) is success.
  check 1 "container not running" kill {}
  check 1 "container not running" kill {} KILL
  check 1 "container not running" kill {} 0
  check 0 "" kill --all {} KILL
  check 0 "" kill -a {} 9
  check 0 "" state {}
  expect "state: status stopped, pid 0 ($OUT)" \
    test "$(jq -r '"\(.status) \(.pid)"' <<< "$OUT")" = "stopped 0"
  check 0 "" ps {}
  check 0 "" ps --format json {}
  expect "ps --format json: no process ($OUT)" \
    test "$(jq length <<< "$OUT")" = 0
  check 255 "cannot exec in a stopped container" exec {} true
  check 1 "container not running" pause {}
  check 1 "container not paused" resume {}
  check 1 "container not running" update --memory 100000000 {}
  check 1 "is not running" events --stats {}
  check 1 "cannot start a container that has stopped" start {}
  check 0 "" delete {}
  check 1 "does not exist" state {}
}

@test "engine contract: a stopped container (kill, kill --all, state, ps, exec, pause, update, start, delete)" {
  on_both stopped_container
}

pod_shared_pid_namespace () {
  local pid_a orphan i
  # A: the pod's first container, with the pid namespace.  B joins it and
  # its init leaves a child behind when it dies: the child stays in B's
  # cgroup, and only kill --all reaches it.
  set_args sleep 1000
  rt_detached "$ID" || return 1
  pid_a=$(rt_pid "$ID") || return 1
  cp "$BUNDLE/config.json" "$TMP/config.a.json"
  update_config '(.linux.namespaces[] | select(.type == "pid")) |= (.path = $p)' \
    --arg p "/proc/$pid_a/ns/pid"
  set_args sh -c 'sleep 1000 & exec sleep 1001'
  rt_detached "$ID2" || return 1
  cp "$TMP/config.a.json" "$BUNDLE/config.json"
  for ((i = 0; i < 100; i++)); do
    rt ps --format json "$ID2" | jq -e 'length == 2' > /dev/null && break
    sleep 0.05
  done
  kill -9 "$(rt_pid "$ID2")"
  rt_wait_status "$ID2" stopped || return 1
  # ps of a stopped container: what is left in its cgroup.
  check 0 "" ps --format json {2}
  orphan=$(jq -r '.[0] // empty' <<< "$OUT")
  expect "ps --format json of the stopped B: its orphan ($OUT)" \
    test -n "$orphan"
  check 1 "container not running" kill {2} KILL
  check 0 "" kill --all {2} KILL
  if [ -n "$orphan" ]; then
    expect "kill --all: the orphan $orphan of B's init is gone" \
      wait_for_pid_gone "$orphan"
  fi
  check 0 "" delete {2}
  check 0 "" delete --force {}
}

@test "engine contract: kill --all after the init exited signals what is left (a pod sharing a pid namespace)" {
  on_both pod_shared_pid_namespace
}

unreaped_init () {
  local pid i
  # The init has exited and is a zombie nobody has reaped yet (the shim
  # is a subreaper; between the exit and its wait the runtime is called).
  set_args true
  "$SUBREAPER" "$RT_BIN" --root "$RT_ROOT" create --bundle "$BUNDLE" "$ID" \
    < /dev/null > "$TMP/$ID.out" 2> "$TMP/$ID.err" 3>&- &
  BG_PIDS+=($!)
  rt_wait_status "$ID" created || return 1
  pid=$(rt_pid "$ID")
  rt start "$ID" || return 1
  for ((i = 0; i < 100; i++)); do
    grep -q '^State:.*Z' "/proc/$pid/status" 2> /dev/null && break
    sleep 0.05
  done
  expect "the init $pid is a zombie" grep -q '^State:.*Z' "/proc/$pid/status"
  check 0 "" state {}
  expect "state of an unreaped init: stopped, pid 0 ($OUT)" \
    test "$(jq -r '"\(.status) \(.pid)"' <<< "$OUT")" = "stopped 0"
  check 0 "" ps --format json {}
  expect "ps --format json: no process ($OUT)" \
    test "$(jq length <<< "$OUT")" = 0
  check 1 "container not running" kill {} KILL
  check 0 "" kill --all {} KILL
  check 255 "cannot exec in a stopped container" exec {} true
  check 0 "" delete {}
  check 1 "does not exist" state {}
}

@test "engine contract: state, ps, kill and exec while the init is an unreaped zombie" {
  on_both unreaped_init
}

half_created () {
  local pid
  # Created, then the init died before start (killed, or an OOM).
  set_args sleep 1000
  rt_create "$ID" || return 1
  pid=$(rt_pid "$ID")
  kill -9 "$pid"
  wait_for_pid_gone "$pid"
  rt_wait_status "$ID" stopped || return 1
  check 1 "container not running" kill {} TERM
  check 0 "" kill --all {} KILL
  check 0 "" delete --force {}
  check 1 "does not exist" state {}
  # A state dir and nothing in it: a create killed before it wrote its
  # state.  runc says the container does not exist.
  mkdir -p "$RT_ROOT/$ID2"
  check 1 "does not exist" state {2}
  check 1 "does not exist" kill {2} KILL
  check 0 "" delete --force {2}
  expect "delete --force removed the empty state dir" test ! -e "$RT_ROOT/$ID2"
}

@test "engine contract: delete --force of a half-created container" {
  on_both half_created
}

running_and_paused () {
  set_args sleep 1000
  rt_detached "$ID" || return 1
  check 1 "already exists" create --bundle "$BUNDLE" {}
  check 0 "" kill {} 0
  check 1 "cannot start an already running container" start {}
  check 1 "that is not stopped: running" delete {}
  check 0 "" pause {}
  check 1 "container not running" pause {}
  check 255 "cannot exec in a paused container" exec {} true
  check 1 "cannot start a container in the paused state" start {}
  check 0 "" resume {}
  check 1 "container not paused" resume {}
  check 0 "" delete --force {}
  check 1 "does not exist" state {}
}

@test "engine contract: a running and a paused container (create, start, delete, pause, resume, exec)" {
  on_both running_and_paused
}

exec_failures () {
  # What Docker (daemon/errors.go, translateContainerdStartErr) and podman
  # (libpod/oci_util.go, getOCIRuntimeError) turn into exit statuses 127
  # (not found) and 126 (cannot run).
  touch "$BUNDLE/rootfs/noexec"
  chmod 644 "$BUNDLE/rootfs/noexec"
  set_args sleep 1000
  rt_detached "$ID" || return 1
  check 255 "executable file not found in \$PATH" exec {} nosuchcommand
  check 255 "i:no such file or directory" exec {} /nosuchfile
  check 255 "i:permission denied" exec {} /noexec
  check 255 "i:permission denied" exec {} /etc
  check 255 "i:not a directory" exec {} /etc/marker/x
  check 0 "" delete --force {}
  set_args /etc
  check 1 "i:permission denied" create --bundle "$BUNDLE" {2}
  check 0 "" delete --force {2}
  set_args nosuchcommand
  check 1 "executable file not found in \$PATH" create --bundle "$BUNDLE" {2}
  check 0 "" delete --force {2}
}

@test "engine contract: the words of an exec or create that cannot run its process" {
  on_both exec_failures
}

# berth alone: runc 1.1.5 fails this one itself (its exec racing the
# init's exit says "nsexec-1[PID]: failed to open /proc/PID/ns/ipc: No such
# file or directory" or "failed to sync with stage-1", which Docker and
# podman report as a command not found, exit status 127).
@test "engine contract: exec racing the init's exit either runs or says the container is stopped" {
  local i pid st err
  case "$("$BERTH_BIN" --version 2> /dev/null)" in
    runc*) skip "runc 1.1.5 gives other words in this race (see the comment)" ;;
  esac
  use_runtime berth
  set_args sleep 1000
  for ((i = 0; i < 10; i++)); do
    rt_detached "$ID"
    pid=$(rt_pid "$ID")
    rt exec "$ID" true < /dev/null > /dev/null 2> "$TMP/exec.err" &
    sleep "0.00$((i % 5))"
    kill -9 "$pid"
    st=0
    wait $! || st=$?
    err=$(cat "$TMP/exec.err")
    # Ran (0), killed with the container (137), or refused with runc's
    # words for a stopped container.
    case "$st" in
      0 | 137) ;;
      255) expect_contains "$err" "cannot exec in a stopped container" "exec $i" ;;
      *) fail "exec $i: exit status $st: $err" ;;
    esac
    rt delete --force "$ID"
  done
}
