#!/usr/bin/env bats
# berth balloon (cgroup v2): a container's unused memory reclaimed, on
# what the kernel reports (memory.current, memory.high, memory.events,
# memory.swap.current) and on the workload's own loop rate
# (tests/helpers/balloon-load.c, static, in the busybox rootfs).  The
# page cache lives on an ext4 image on a loop device: the guest's root is
# a tmpfs overlay, whose files are shmem, not page cache.  Its files are
# sparse, so reading them costs no backing memory.  On a cgroup v1 host
# only the refusal is checked.

load helpers

setup () {
  common_setup
  SWAP_DEV=""
}

teardown () {
  common_teardown
  if [ -n "$SWAP_DEV" ]; then
    swapoff "$SWAP_DEV" 2> /dev/null || true
    losetup -d "$SWAP_DEV" 2> /dev/null || true
  fi
}

# The container's cgroup directory, from its init's /proc/PID/cgroup.
ctr_cgroup () {
  echo "/sys/fs/cgroup$(cut -d: -f3 "/proc/$(ctr_pid "$1")/cgroup")"
}

# mib FILE: a cgroup file's number in MiB (rounded down).
mib () {
  echo $(($(cat "$1") / 1048576))
}

oom_kills () {
  awk '$1 == "oom_kill" { print $2 }' "$1/memory.events"
}

# An ext4 file system with the sparse files of the workload, bind-mounted
# read-only on the container's /data.
data_setup () {
  truncate -s 64M "$TMP/data.img"
  mkfs.ext4 -q -F "$TMP/data.img" || fail "mkfs.ext4"
  mkdir "$TMP/data"
  mount -o loop "$TMP/data.img" "$TMP/data" || fail "mount the ext4 image"
  host_mount_added "$TMP/data"
  truncate -s 256M "$TMP/data/cold"
  truncate -s 128M "$TMP/data/hot" "$TMP/data/hot2"
  : > "$TMP/data/none"
  update_config '.mounts += [{"destination": "/data", "type": "bind",
      "source": $s, "options": ["rbind", "ro"]}]' --arg s "$TMP/data"
}

load_setup () {
  cp "$(helper_bin balloon-load -static)" "$BUNDLE/rootfs/bin/balloon-load" \
    || fail "cannot build the balloon-load helper"
  RATE="$BUNDLE/rootfs/tmp/rate"
}

# anon_load_start: $CTR runs the workload with 96 MiB of anon memory;
# waits for its first seconds, sets cg and before (memory.current, MiB).
anon_load_start () {
  update_config '.root.readonly = false'
  set_args balloon-load anon 96 8 /tmp/rate
  run_detached "$CTR"
  cg=$(ctr_cgroup "$CTR")
  wait_rate_lines "$RATE" 3 60
  before=$(mib "$cg/memory.current")
}

# wait_rate_lines FILE N SECONDS: until the workload reported N seconds.
wait_rate_lines () {
  local i
  for ((i = 0; i < $3 * 5; i++)); do
    [ -f "$1" ] && [ "$(wc -l < "$1")" -ge "$2" ] && return 0
    sleep 0.2
  done
  fail "the workload reported $(cat "$1" 2> /dev/null | wc -l) of $2 seconds in $3 s"
}

# median FILE N: the median of the workload's last N seconds (MiB/s).
median () {
  tail -n "$2" "$1" | sort -n | sed -n "$((($2 + 1) / 2))p"
}

# The guest shares the host's CPUs with other guests: a loop rate alone
# swings by a factor of two from one second to the next.  A control
# container ($CTR2, the same hot loop on its own file, no balloon) runs
# beside the one measured, and the rate compared is the median of their
# ratios second by second.
control_start () {
  set_args balloon-load files /data/none /data/hot2 /tmp/rate2 /tmp/ctl2
  run_detached "$CTR2"
  RATE2="$BUNDLE/rootfs/tmp/rate2"
}

# rate_ratio N: waits for N new seconds of both workloads; prints "ratio
# measured control": the median of the N per-second ratios (second i of
# one against second i of the other: they share the CPU at that moment),
# and the two medians in MiB/s.
rate_ratio () {
  local a b r
  a=$(wc -l < "$RATE") b=$(wc -l < "$RATE2")
  wait_rate_lines "$RATE" $((a + $1)) $(($1 * 4 + 20))
  wait_rate_lines "$RATE2" $((b + $1)) $(($1 * 4 + 20))
  r=$(paste <(tail -n "$1" "$RATE") <(tail -n "$1" "$RATE2") \
    | awk '{ printf "%.4f\n", ($2 > 0 ? $1 / $2 : 0) }' | sort -n \
    | sed -n "$((($1 + 1) / 2))p")
  echo "$r $(median "$RATE" "$1") $(median "$RATE2" "$1")"
}

# expect_ratio_within BEFORE AFTER PERCENT: AFTER (a ratio) within
# PERCENT of BEFORE; when it is not, up to two more windows are measured
# and one must be: a loss the balloon causes lasts through all three, a
# burst of load on the machine (the guests of make check share two CPUs)
# does not.  Sets after_ratio, after_rate and after_ctl to the window
# that counted.
expect_ratio_within () {
  within () {
    awk -v b="$1" -v a="$2" -v p="$3" 'BEGIN { exit !(a >= b * (100 - p) / 100) }'
  }
  local seen=$2 try
  within "$@" && return 0
  for try in 1 2; do
    echo "# ratio $seen not within $3% of $1: measuring again" >&3
    read -r after_ratio after_rate after_ctl <<< "$(rate_ratio 9)"
    within "$1" "$after_ratio" "$3" && return 0
    seen="$seen, $after_ratio"
  done
  fail "loop rate (against the control) $seen: none within $3% of $1"
}

# cache_load_start: the measured workload (after data_setup, load_setup
# and any other config change): balloon-load reads /data/cold once, then
# loops over /data/hot, beside the control.  Once it has reported 2
# seconds, sets cg, before (memory.current in MiB) and, from rate_ratio 9,
# before_ratio, before_rate and before_ctl.
cache_load_start () {
  update_config '.root.readonly = false'
  control_start
  set_args balloon-load files /data/cold /data/hot /tmp/rate /tmp/ctl
  run_detached "$CTR"
  cg=$(ctr_cgroup "$CTR")
  wait_rate_lines "$RATE" 2 120
  read -r before_ratio before_rate before_ctl <<< "$(rate_ratio 9)"
  before=$(mib "$cg/memory.current")
}

# The --auto steps so far, one line each: limit and memory.current in MiB,
# pressure.
auto_steps () {
  grep '"phase"' "$TMP/bg.out" | jq -r '"\(.step) \(if .limit == null then "max" else .limit / 1048576 | floor end) \(.current / 1048576 | floor) \(.pressure)"' \
    | tr '\n' ';'
}

# note TEXT: shown in the TAP output (the numbers docs/ballooning.md quotes).
note () {
  echo "# $*" >&3
}

@test "balloon: cgroup v1: refused, naming what is missing" {
  requires root cgroup_v1
  set_args sleep 1000
  run_detached "$CTR"
  run -1 --separate-stderr berth balloon "$CTR" 64m
  expect_error "$status" "$stderr" "needs cgroup v2" "memory.reclaim" "memory.pressure"
  run -1 --separate-stderr berth balloon "$CTR" --release
  expect_error "$status" "$stderr" "needs cgroup v2"
  run -1 --separate-stderr berth balloon "$CTR" --auto
  expect_error "$status" "$stderr" "needs cgroup v2"
  # Nothing recorded.
  run berth state "$CTR"
  expect_not_contains "$output" "balloon"
}

@test "balloon: usage errors" {
  run -1 --separate-stderr berth balloon "$CTR"
  expect_error "$status" "$stderr" "expects ID and SIZE"
  run -1 --separate-stderr berth balloon "$CTR" 64x
  expect_error "$status" "$stderr" "SIZE" "64x"
  run -1 --separate-stderr berth balloon "$CTR" --release --auto
  expect_error "$status" "$stderr" "exclude"
  run -1 --separate-stderr berth balloon "$CTR" --auto --interval 0
  expect_error "$status" "$stderr" "--interval"
  run -1 --separate-stderr berth balloon "$CTR" 64m
  expect_error "$status" "$stderr" "does not exist"
}

@test "balloon SIZE: file cache used once reclaimed, the hot set kept, no OOM kill" {
  requires root cgroup_v2
  data_setup
  load_setup
  update_config '.linux.resources.memory.limit = 536870912'
  cache_load_start
  [ "$before" -ge 256 ] || fail "the workload holds only $before MiB"
  start=$(date +%s.%N)
  run berth balloon "$CTR" 64m --format json
  expect_status 0
  took=$(echo "$start $(date +%s.%N)" | awk '{ printf "%.1f", $2 - $1 }')
  echo "$output" > "$TMP/steps.json"
  jq -e -s 'length >= 2 and .[-1].phase == "hold" and .[-1].limit == 67108864' \
    "$TMP/steps.json" > /dev/null || fail "steps: $output"
  # memory.current <= 80 MiB within 10 s of the command's start.
  for ((i = 0; i < 50; i++)); do
    now=$(mib "$cg/memory.current")
    [ "$now" -le 80 ] && break
    sleep 0.2
  done
  [ "$now" -le 80 ] || fail "memory.current $now MiB after 10 s"
  awk -v s="$start" -v n="$(date +%s.%N)" 'BEGIN { exit !(n - s <= 10) }' \
    || fail "memory.current reached $now MiB only after 10 s (the command took $took s, $(jq -s length "$TMP/steps.json") steps)"
  expect_eq "$(cat "$cg/memory.high")" 67108864 "memory.high"
  expect_eq "$(cat "$cg/memory.max")" 536870912 "memory.max (never lowered)"
  read -r after_ratio after_rate after_ctl <<< "$(rate_ratio 9)"
  after=$(mib "$cg/memory.current")
  expect_ratio_within "$before_ratio" "$after_ratio" 10
  expect_eq "$(oom_kills "$cg")" 0 "oom_kill"
  expect_eq "$(ctr_state "$CTR" | jq -r .status)" running
  run berth state "$CTR"
  expect_eq "$(jq -r '.annotations["run.oci.berth.balloon"]' <<< "$output")" inflate
  expect_eq "$(jq -r '.annotations["run.oci.berth.balloon.high"]' <<< "$output")" 67108864
  anon=$(jq -s '.[-1].reclaimed_anon' "$TMP/steps.json")
  file=$(jq -s '.[-1].reclaimed_file' "$TMP/steps.json")
  note "inflate 64m: $before -> $after MiB ($(((before - after) * 100 / before))% reclaimed; file $((file / 1048576)) MiB, anon $((anon / 1048576)) MiB) in $took s; loop $before_rate -> $after_rate MiB/s (control $before_ctl, $after_ctl: ratio $before_ratio -> $after_ratio)"
}

@test "balloon --release: the configured memory.high back; update while inflated" {
  requires root cgroup_v2
  update_config '.linux.resources.unified = {"memory.high": "419430400"}'
  set_args sleep 1000
  run_detached "$CTR"
  cg=$(ctr_cgroup "$CTR")
  run berth balloon "$CTR" 32m
  expect_status 0
  expect_contains "$output" "memory.high 32.0 MiB"
  expect_eq "$(cat "$cg/memory.high")" 33554432 "memory.high inflated"
  expect_eq "$(ctr_state "$CTR" | jq -r '.annotations["run.oci.berth.balloon.restore"]')" 419430400
  # update's memory.high is the new configured value: the balloon keeps
  # holding the lower limit, and release puts back update's.
  echo '{"unified": {"memory.high": "314572800"}}' > "$TMP/r.json"
  run berth update -r "$TMP/r.json" "$CTR"
  expect_status 0
  expect_eq "$(cat "$cg/memory.high")" 33554432 "memory.high after update"
  expect_eq "$(ctr_state "$CTR" | jq -r '.annotations["run.oci.berth.balloon.restore"]')" 314572800
  run berth balloon "$CTR" --release
  expect_status 0
  expect_eq "$(cat "$cg/memory.high")" 314572800 "memory.high released"
  run berth state "$CTR"
  expect_not_contains "$output" "balloon"
  # Without a configured value: "max".
  run berth update -r - "$CTR" <<< '{"unified": {"memory.high": "max"}}'
  expect_status 0
  run berth balloon "$CTR" 32m
  expect_status 0
  # Lowered first: else a release doing nothing would pass.
  expect_eq "$(cat "$cg/memory.high")" 33554432 "memory.high inflated again"
  run berth balloon "$CTR" --release
  expect_status 0
  expect_eq "$(cat "$cg/memory.high")" max "memory.high released"
  # Nothing to release: said, not an error.
  run berth balloon "$CTR" --release
  expect_status 0
  expect_contains "$output" "no balloon"
}

@test "balloon --auto: converges, raises the limit when the working set grows, deflates on SIGTERM" {
  requires root cgroup_v2
  data_setup
  load_setup
  cache_load_start
  start=$(date +%s)
  berth_bg balloon "$CTR" --auto --interval 1s --step 10 --min 16m --format json
  for ((i = 0; i < 300; i++)); do
    now=$(mib "$cg/memory.current")
    [ "$now" -lt 100 ] && break
    sleep 0.2
  done
  took=$(($(date +%s) - start))
  [ "$now" -lt 100 ] || fail "memory.current $now MiB after a minute: $(auto_steps)"
  [ "$took" -le 60 ] || fail "converged only after $took s: $(auto_steps)"
  read -r after_ratio after_rate after_ctl <<< "$(rate_ratio 9)"
  expect_ratio_within "$before_ratio" "$after_ratio" 10
  note "auto: $before -> $now MiB in $took s; loop $before_rate -> $after_rate MiB/s (control $before_ctl, $after_ctl: ratio $before_ratio -> $after_ratio)"
  # The working set grows to 128 MiB: the limit goes up (a step whose
  # limit is above the one before it) within two steps of the first one
  # that can see it: the workload reads its ctl file once a second, and
  # the step under way when it was written may have begun before.
  steps=$(grep -c '"phase":"auto"' "$TMP/bg.out")
  # What the kernel holds, not only what berth printed.
  high_before=$(cat "$cg/memory.high")
  [ "$high_before" != max ] || fail "memory.high is max after converging: $(auto_steps)"
  echo 128 > "$BUNDLE/rootfs/tmp/ctl"
  for ((i = 0; i < 100; i++)); do
    [ "$(grep -c '"phase":"auto"' "$TMP/bg.out")" -ge $((steps + 3)) ] && break
    sleep 0.2
  done
  grep '"phase":"auto"' "$TMP/bg.out" | sed -n "${steps},$((steps + 3))p" \
    | jq -e -s '[range(1; length) as $i | .[$i].limit as $l | .[$i - 1].limit as $p
        | $l == null or ($p != null and $l > $p)] | any' > /dev/null \
    || fail "limit not raised within steps $((steps + 1))-$((steps + 3)): $(auto_steps)"
  high_after=$(cat "$cg/memory.high")
  [ "$high_after" = max ] || [ "$high_after" -gt "$high_before" ] \
    || fail "the kernel's memory.high went from $high_before to $high_after: $(auto_steps)"
  kill -TERM "$BG_PID"
  wait_bg "$BG_PID" || fail "balloon --auto: $(tail -n 3 "$TMP/bg.out")"
  expect_contains "$(tail -n 1 "$TMP/bg.out")" '"phase":"release"'
  expect_eq "$(cat "$cg/memory.high")" max "memory.high after SIGTERM"
  expect_eq "$(oom_kills "$cg")" 0 "oom_kill"
  expect_eq "$(ctr_state "$CTR" | jq -r .status)" running
  run berth state "$CTR"
  expect_not_contains "$output" "balloon"
}

@test "balloon SIZE: anon memory without swap is reported, not pushed" {
  requires root cgroup_v2
  load_setup
  # No swap for this container, whatever the host has.
  update_config '.linux.resources.unified = {"memory.swap.max": "0"}'
  anon_load_start
  run berth balloon "$CTR" 32m
  expect_status 0
  expect_contains "$output" "anon memory could not be reclaimed: no swap"
  now=$(mib "$cg/memory.current")
  [ "$now" -ge 96 ] || fail "memory.current went from $before to $now MiB"
  # Held where it stopped, not at 32 MiB: the workload is not throttled.
  [ "$(cat "$cg/memory.high")" -ge $((96 * 1048576)) ] \
    || fail "memory.high $(cat "$cg/memory.high") below the anon memory"
  expect_eq "$(oom_kills "$cg")" 0 "oom_kill"
  expect_eq "$(ctr_state "$CTR" | jq -r .status)" running
}

@test "balloon SIZE: anon cold memory goes to swap" {
  requires root cgroup_v2
  grep -q '^SwapTotal: *0 kB' /proc/meminfo || skip "the host has swap already"
  command -v mkswap > /dev/null || skip "needs mkswap"
  # Swap on a loop device over a file written now (its pages exist, so
  # swapping into them charges nothing new to the container).
  dd if=/dev/zero of="$TMP/swap" bs=1M count=160 status=none
  SWAP_DEV=$(losetup -f --show "$TMP/swap") || fail "losetup"
  mkswap -q "$SWAP_DEV" > /dev/null && swapon "$SWAP_DEV" || fail "swapon"
  load_setup
  anon_load_start
  run berth balloon "$CTR" 40m --format json
  expect_status 0
  now=$(mib "$cg/memory.current")
  swapped=$(mib "$cg/memory.swap.current")
  [ "$now" -le $((before - 48)) ] || fail "memory.current $before -> $now MiB: $output"
  [ "$swapped" -ge 48 ] || fail "only $swapped MiB in swap"
  anon=$(jq -s '.[-1].reclaimed_anon' <<< "$output")
  [ "$anon" -ge $((48 * 1048576)) ] || fail "reclaimed_anon $anon"
  expect_eq "$(oom_kills "$cg")" 0 "oom_kill"
  note "inflate 40m, anon with swap: $before -> $now MiB, $swapped MiB swapped"
  berth delete -f "$CTR"
}

# ms CMD...: runs CMD; prints how long it took in milliseconds.
ms () {
  local a b
  a=$(date +%s%N)
  "$@" > /dev/null 2>&1
  b=$(date +%s%N)
  echo $(((b - a) / 1000000))
}

@test "balloon SIZE: the lock is free while the kernel reclaims; a container created again under the id is left alone" {
  requires root cgroup_v2
  command -v strace > /dev/null || skip "needs strace"
  data_setup
  load_setup
  update_config '.root.readonly = false'
  set_args balloon-load files /data/cold /data/hot /tmp/rate /tmp/ctl
  run_detached "$CTR"
  cg=$(ctr_cgroup "$CTR")
  wait_rate_lines "$RATE" 2 120
  # The inflate's first wait for PSI (its settle sleep, after the first
  # memory.reclaim) made 20 s long: the window in which other commands
  # run, long enough for them on a loaded machine too.  A command that
  # waited for the inflate's lock would take 15 s or more.
  strace -o /dev/null -e trace=nanosleep,clock_nanosleep \
    -e inject=nanosleep,clock_nanosleep:delay_enter=20000000:when=1 \
    "$BERTH_BIN" --root "$BERTH_ROOT" balloon "$CTR" 16m --format json \
    < /dev/null > "$TMP/bg.out" 2>&1 3>&- &
  BG_PID=$!
  BG_PIDS+=("$BG_PID")
  for ((i = 0; i < 100; i++)); do
    grep -q '"run.oci.berth.balloon": *"inflate"' "$BERTH_ROOT/$CTR/state.json" && break
    sleep 0.1
  done
  sleep 0.5
  # Every command answers while the inflate still runs: those that take
  # the lock (exec shares it; pause, resume and delete take it alone)
  # waited for the whole inflate before; state and kill take none.
  for cmd in "state $CTR" "kill $CTR CONT" "exec $CTR true" "pause $CTR" \
    "resume $CTR"; do
    # shellcheck disable=SC2086
    took=$(ms berth $cmd)
    [ "$took" -lt 8000 ] || fail "berth $cmd took $took ms during the inflate"
    note "during an inflate: berth $cmd: $took ms"
  done
  expect_eq "$(ctr_state "$CTR" | jq -r .status)" running
  # Deleted and created again under the same id, before the inflate's
  # next step: the new container is not the one it began on.
  berth delete -f "$CTR" || fail "delete during the inflate"
  set_args sleep 1000
  run_detached "$CTR" || fail "run again: $(cat "$TMP/$CTR.err")"
  [ -d "/proc/$BG_PID" ] || fail "the inflate ended before the commands ran: $(cat "$TMP/bg.out")"
  for ((i = 0; i < 600; i++)); do
    [ -d "/proc/$BG_PID" ] || break
    sleep 0.1
  done
  run wait_bg "$BG_PID"
  expect_status 1
  expect_contains "$(cat "$TMP/bg.out")" "stopped"
  cg2=$(ctr_cgroup "$CTR")
  expect_eq "$(cat "$cg2/memory.high")" max "the new container's memory.high"
  run berth state "$CTR"
  expect_not_contains "$output" "balloon"
}

@test "balloon: a runner recorded in the state whose pid is now another process's is not taken for running" {
  requires root cgroup_v2
  set_args sleep 1000
  run_detached "$CTR"
  cg=$(ctr_cgroup "$CTR")
  sleep 1000 &
  other=$!
  BG_PIDS+=("$other")
  real_start=$(sed 's/.*) //' "/proc/$other/stat" | cut -d' ' -f20)
  f="$BERTH_ROOT/$CTR/state.json"
  # record_as PID START: the state says a --auto runs as PID, started at
  # START (what a balloon killed by SIGKILL leaves).
  record_as () {
    jq --arg p "$1" --arg s "$2" '.annotations += {"run.oci.berth.balloon": "auto",
        "run.oci.berth.balloon.restore": "max",
        "run.oci.berth.balloon.pid": $p, "run.oci.berth.balloon.pid-start": $s}' \
      "$f" > "$f.new" && mv "$f.new" "$f"
  }
  # The pid is alive and its start time is the recorded one: refused.
  record_as "$other" "$real_start"
  run -1 --separate-stderr berth balloon "$CTR" 32m
  expect_error "$status" "$stderr" "a balloon --auto runs for it (pid $other)"
  expect_eq "$(cat "$cg/memory.high")" max "memory.high after the refusal"
  # The same pid, another start time: the process that ran the balloon is
  # gone and its pid belongs to another: not refused.
  record_as "$other" $((real_start + 1))
  run berth balloon "$CTR" 32m
  expect_status 0
  expect_eq "$(cat "$cg/memory.high")" 33554432 "memory.high inflated"
  run berth state "$CTR"
  expect_not_contains "$output" "balloon.pid"
  kill "$other"
}
