#!/usr/bin/env bats
# Crash safety: whatever a killed `create` or `delete --force`, or a
# damaged state.json, leaves, `delete --force` removes all of it (process,
# cgroups, mounts, veth, state dir) and the id can be used again; it says
# so only when it is true.  And the messages: racing deletes, an OOM kill
# before the init is ready, a broken entry in `list`.
#
#   KILL_POINTS=N   kill points for the create test (default 15)

load helpers

setup () {
  common_setup
  requires root
}

# A createRuntime hook that sleeps widens the window between the cgroup
# and the init being made and the state being saved.  Its $0 names $TMP:
# a hook left running is found by our_procs.
add_slow_hook () {
  update_config '.hooks.createRuntime = [{"path": "/bin/sh",
    "args": ["sh", "-c", "sleep 0.3", $t]}]' --arg t "$TMP"
}

# Processes of this test that are not zombies: the workload (rooted in the
# bundle), an init before it exec'd (berth's command line names $TMP) or
# a hook.
our_procs () {
  local p
  {
    procs_under "$BUNDLE"
    pgrep -f -- "$TMP"
  } | sort -un | while read -r p; do
    grep -qs '^State:.*[RSDT]' "/proc/$p/status" && echo "$p"
  done
  return 0
}

# assert_all_gone ID: no process, cgroup, mount or state dir of ID.
assert_all_gone () {
  local p
  assert_no_leftovers "$1" || return 1
  p=$(our_procs)
  [ -z "$p" ] || fail "processes left: $(ps -o pid,stat,args -p "$(echo $p | tr ' ' ,)")"
}

ms_now () {
  echo $(($(date +%s%N) / 1000000))
}

# kill_at MS ARGS...: berth ARGS in the background, SIGKILL after MS ms.
kill_at () {
  local ms="$1" pid
  shift
  "$BERTH_BIN" --root "$BERTH_ROOT" "$@" < /dev/null > /dev/null 2>&1 3>&- &
  pid=$!
  sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
  kill -9 "$pid" 2> /dev/null || true
  wait "$pid" 2> /dev/null || true
}

@test "crash: create killed with SIGKILL at points over its run: delete --force leaves nothing, the id is reusable" {
  local n=${KILL_POINTS:-15} t0 dur i ms
  set_args sleep 1000
  cp -a "$BUNDLE" "$TMP/plain"
  add_slow_hook
  # create's duration on this machine now, hook included.
  t0=$(ms_now)
  create_ctr "$CTR"
  dur=$(($(ms_now) - t0))
  berth delete --force "$CTR"
  assert_all_gone "$CTR"
  for ((i = 0; i < n; i++)); do
    # From 0 to 10% past the measured end (a create that finished).
    ms=$((dur * 11 * i / (10 * (n - 1))))
    kill_at "$ms" create --bundle "$BUNDLE" "$CTR"
    run berth delete --force "$CTR"
    [ "$status" = 0 ] || fail "kill at $ms ms of $dur: delete --force: $output"
    assert_all_gone "$CTR" || fail "kill at $ms ms of $dur ms: leftovers (above)"
    # The same id again, from a bundle without the hook (quicker).
    berth create --bundle "$TMP/plain" "$CTR" < /dev/null > /dev/null \
      || fail "kill at $ms ms: the id cannot be created again"
    berth delete --force "$CTR"
  done
  assert_all_gone "$CTR"
}

# `run` without hooks saves the state while its init still mounts (see
# docs/architecture.md, create step 3): killed before, inside or after
# that window, with the init dead by its parent-death signal or already
# released, what is left goes with delete --force.  300 tmpfs mounts
# widen the window to milliseconds.
@test "crash: run killed with SIGKILL at points while its init mounts: delete --force leaves nothing, the id is reusable" {
  local n=${KILL_POINTS:-15} t0 dur i ms
  set_args sleep 1000
  cp -a "$BUNDLE" "$TMP/plain"
  update_config '.mounts += [range(300) | {"destination": "/m\(.)",
    "type": "tmpfs", "source": "tmpfs"}]'
  t0=$(ms_now)
  berth run -d --bundle "$BUNDLE" "$CTR" < /dev/null > /dev/null
  dur=$(($(ms_now) - t0))
  berth delete --force "$CTR"
  assert_all_gone "$CTR"
  for ((i = 0; i < n; i++)); do
    ms=$((dur * 11 * i / (10 * (n - 1))))
    kill_at "$ms" run -d --bundle "$BUNDLE" "$CTR"
    run berth delete --force "$CTR"
    [ "$status" = 0 ] || fail "kill at $ms ms of $dur: delete --force: $output"
    assert_all_gone "$CTR" || fail "kill at $ms ms of $dur ms: leftovers (above)"
    berth run -d --bundle "$TMP/plain" "$CTR" < /dev/null > /dev/null \
      || fail "kill at $ms ms: the id cannot be used again"
    berth delete --force "$CTR"
  done
  assert_all_gone "$CTR"
}

@test "crash: delete --force killed with SIGKILL at points: the next delete --force finishes the job" {
  local i ms t0 dur
  set_args sleep 1000
  # A poststop hook that sleeps makes delete long enough to be hit.
  update_config '.hooks.poststop = [{"path": "/bin/sh",
    "args": ["sh", "-c", "sleep 0.2", $t]}]' --arg t "$TMP"
  run_detached "$CTR"
  t0=$(ms_now)
  berth delete --force "$CTR"
  dur=$(($(ms_now) - t0))
  assert_all_gone "$CTR"
  for ((i = 0; i < 6; i++)); do
    run_detached "$CTR"
    ms=$((dur * i / 5))
    kill_at "$ms" delete --force "$CTR"
    run berth delete --force "$CTR"
    [ "$status" = 0 ] || fail "delete killed at $ms ms of $dur: the second: $output"
    assert_all_gone "$CTR" || fail "delete killed at $ms ms of $dur ms: leftovers (above)"
  done
}

@test "crash: create killed with a veth pair: delete --force removes it" {
  local ns="berth-crash-$$" veth="bcr$$" i ms
  ip netns add "$ns" || skip "cannot make a network namespace"
  if ! ip -n "$ns" link add probe0 type veth peer name probe1 2> /dev/null; then
    ip netns del "$ns"
    skip "the kernel cannot make veth pairs"
  fi
  ip -n "$ns" link del probe0
  set_args sleep 1000
  update_config '.annotations["run.oci.berth.net.veth"] = $v
    | .annotations["run.oci.berth.net.peer-netns"] = $n' \
    --arg v "$veth" --arg n "/run/netns/$ns"
  add_slow_hook
  local st=0
  for i in 0 1 2 3; do
    ms=$((250 * i))
    kill_at "$ms" create --bundle "$BUNDLE" "$CTR"
    run berth delete --force "$CTR"
    [ "$status" = 0 ] || { st=1; echo "kill at $ms: $output" >&2; break; }
    assert_all_gone "$CTR" || { st=1; break; }
    if ip -n "$ns" link show "$veth" > /dev/null 2>&1; then
      echo "kill at $ms ms: veth $veth left in $ns" >&2
      st=1
      break
    fi
  done
  ip netns del "$ns"
  return "$st"
}

@test "crash: create without a mount namespace killed at points: delete --force unmounts what it made on the host" {
  local i ms rootfs left t0 dur
  update_config '.linux.namespaces |= map(select(.type != "mount"))
    | del(.linux.maskedPaths) | del(.linux.readonlyPaths)'
  set_args sleep 1000
  add_slow_hook
  rootfs=$(realpath "$BUNDLE/rootfs")
  t0=$(ms_now)
  create_ctr "$CTR"
  dur=$(($(ms_now) - t0))
  berth delete --force "$CTR"
  for i in 0 1 2 3 4 5; do
    ms=$((dur * i / 5))
    kill_at "$ms" create --bundle "$BUNDLE" "$CTR"
    run berth delete --force "$CTR"
    [ "$status" = 0 ] || fail "kill at $ms ms of $dur: delete --force: $output"
    left=$(awk -v d="$rootfs" '$5 == d || index($5, d "/") == 1 { print $5 }' /proc/self/mountinfo)
    [ -z "$left" ] || fail "kill at $ms ms of $dur ms: mounts left on the host: $left"
    assert_all_gone "$CTR" || fail "kill at $ms ms of $dur ms: leftovers (above)"
  done
}

# ---- damaged state ---------------------------------------------------------

# damaged_state_case HOW: a running container, its state.json damaged by
# HOW (a shell snippet on $f), then delete --force: the init dies, nothing
# is left, the id can be created again.
damaged_state_case () {
  local f pid
  set_args sleep 1000
  run_detached "$CTR"
  pid=$(ctr_pid "$CTR")
  f="$BERTH_ROOT/$CTR/state.json"
  eval "$1"
  run berth delete --force "$CTR"
  expect_status 0
  wait_for_pid_gone "$pid"
  assert_all_gone "$CTR"
  create_ctr "$CTR"
  berth delete --force "$CTR"
  assert_all_gone "$CTR"
}

@test "crash: damaged state.json: empty" {
  damaged_state_case ': > "$f"'
}

@test "crash: damaged state.json: garbage" {
  damaged_state_case 'head -c 300 /dev/urandom > "$f"'
}

@test "crash: damaged state.json: cut in half" {
  damaged_state_case 's=$(cat "$f"); printf %s "${s:0:$((${#s} / 2))}" > "$f"'
}

@test "crash: damaged state.json: {}" {
  damaged_state_case 'echo "{}" > "$f"'
}

@test "crash: damaged state.json: missing" {
  damaged_state_case 'rm "$f"'
}

@test "crash: damaged state.json and no record: delete --force refuses and keeps the dir" {
  set_args sleep 1000
  run_detached "$CTR"
  pid=$(ctr_pid "$CTR")
  echo garbage > "$BERTH_ROOT/$CTR/state.json"
  rm "$BERTH_ROOT/$CTR/record.json" "$BERTH_ROOT/$CTR/config.json"
  run berth delete --force "$CTR"
  [ "$status" -ne 0 ] || fail "delete --force said it succeeded with nothing to go by"
  expect_contains "$output" "not deleted"
  [ -d "$BERTH_ROOT/$CTR" ] || fail "the state dir is gone: the next try has nothing"
  # Clean up by hand what berth could not know about.
  # The killed init leaves its cgroups a moment after the signal: until
  # then rmdir answers EBUSY, so try again for up to 5 s.
  kill -9 "$pid"
  local i
  for ((i = 0; i < 50; i++)); do
    find /sys/fs/cgroup -maxdepth 4 -depth -type d -name "$CTR" -exec rmdir {} + 2> /dev/null || true
    [ -z "$(cgroups_named "$CTR")" ] && break
    sleep 0.1
  done
  rm -rf "${BERTH_ROOT:?}/$CTR"
}

# stopped_and_other: $CTR run and killed (stopped), and an unrelated
# process started, its pid in $other.
stopped_and_other () {
  set_args sleep 1000
  run_detached "$CTR"
  berth kill "$CTR" KILL
  wait_for_status "$CTR" stopped
  sleep 1000 &
  other=$!
  BG_PIDS+=("$other")
}

@test "crash: a pid in state.json that is now another process is left alone" {
  local other
  stopped_and_other
  # The pid now names an unrelated process; the start time is the init's.
  jq --argjson p "$other" '.pid = $p' "$BERTH_ROOT/$CTR/state.json" > "$TMP/s" \
    && mv "$TMP/s" "$BERTH_ROOT/$CTR/state.json"
  run berth delete --force "$CTR"
  expect_status 0
  [ -d "/proc/$other" ] || fail "delete --force killed an unrelated process"
  # The same without a start time to compare: never signalled either.
  run_detached "$CTR"
  berth kill "$CTR" KILL
  wait_for_status "$CTR" stopped
  jq --argjson p "$other" '.pid = $p | del(.berth.pidStartTime)' \
    "$BERTH_ROOT/$CTR/state.json" > "$TMP/s" && mv "$TMP/s" "$BERTH_ROOT/$CTR/state.json"
  run berth delete --force "$CTR"
  expect_status 0
  [ -d "/proc/$other" ] || fail "delete --force killed an unrelated process"
  assert_all_gone "$CTR"
}

@test "crash: damaged state.json and a recorded pid that is now another process: left alone" {
  local other
  stopped_and_other
  jq --argjson p "$other" '.pid = $p' "$BERTH_ROOT/$CTR/record.json" > "$TMP/r" \
    && mv "$TMP/r" "$BERTH_ROOT/$CTR/record.json"
  : > "$BERTH_ROOT/$CTR/state.json"
  run berth delete --force "$CTR"
  expect_status 0
  [ -d "/proc/$other" ] || fail "delete --force killed an unrelated process"
  assert_all_gone "$CTR"
}

# ---- true messages ---------------------------------------------------------

@test "crash: 8 racing deletes of a stopped container: one succeeds, the others say it does not exist" {
  local i ok=0
  set_args true
  run_detached "$CTR"
  wait_for_status "$CTR" stopped
  for i in 1 2 3 4 5 6 7 8; do
    "$BERTH_BIN" --root "$BERTH_ROOT" delete "$CTR" > "$TMP/del$i" 2>&1 3>&- &
    BG_PIDS+=($!)
  done
  for i in 1 2 3 4 5 6 7 8; do
    if wait "${BG_PIDS[$((i - 1))]}"; then
      ok=$((ok + 1))
    else
      expect_eq "$(cat "$TMP/del$i")" "berth: container \"$CTR\" does not exist" "loser $i"
    fi
  done
  BG_PIDS=()
  expect_eq "$ok" 1 "deletes that succeeded"
  assert_all_gone "$CTR"
}

# On cgroup v2 the init is cloned into its cgroup and the limit written
# while it starts: 12 KiB is less than it already uses, and the write
# itself kills it, while berth still has to tell it the cgroup is ready.
@test "crash: the OOM killer named when the memory limit kills the init before it is ready" {
  local limit
  [ -d /sys/fs/cgroup/memory ] || [ -f /sys/fs/cgroup/cgroup.controllers ] \
    || skip "no memory controller"
  cp "$BUNDLE/config.json" "$TMP/config.json"
  for limit in 65536 12288; do
    cp "$TMP/config.json" "$BUNDLE/config.json"
    update_config '.linux.resources.memory.limit = $l' --argjson l "$limit"
    run -1 --separate-stderr berth create --bundle "$BUNDLE" "$CTR"
    expect_contains "$stderr" "killed by the OOM killer"
    expect_contains "$stderr" "linux.resources.memory.limit ($limit bytes)"
    assert_all_gone "$CTR"
  done
}

@test "crash: list warns about an entry whose state cannot be read, lists the rest, exits 0" {
  set_args sleep 1000
  run_detached "$CTR"
  run_detached "$CTR2"
  echo garbage > "$BERTH_ROOT/$CTR2/state.json"
  run --separate-stderr berth list -q
  expect_status 0
  expect_eq "$output" "$CTR" "listed"
  expect_contains "$stderr" "load container $CTR2: "
  berth delete --force "$CTR2"
  berth delete --force "$CTR"
  assert_all_gone "$CTR"
  assert_all_gone "$CTR2"
}
