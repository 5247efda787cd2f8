#!/usr/bin/env bats
# cgroups: the kernel enforces linux.resources (memory, cpu, pids, devices,
# cpuset) and the cgroup commands (update, pause, resume, ps, events,
# kill --all) act on the container's cgroup.  Every check reads what the
# kernel does or reports, from inside the container or from the host side
# of its cgroup (found through /proc/PID/cgroup), never berth's own files.

load helpers

setup () {
  common_setup
  mkdir -p "$TMP/shared"
}

teardown () {
  local st=0 left
  common_teardown || st=1
  # The parents the cpuset and freezer tests made (berth removes only the
  # container's own cgroup), deepest first, thawed.
  find /sys/fs/cgroup -depth -type d -path "*/${CTR}-pod*" 2> /dev/null \
    | while read -r d; do
        [ ! -e "$d/freezer.state" ] || echo THAWED > "$d/freezer.state"
        rmdir "$d"
      done
  # Wherever the cgroups were made, nothing named after the ids is left.
  left=$(find /sys/fs/cgroup -name "*${CTR}*" 2> /dev/null)
  [ -z "$left" ] || { echo "cgroups left: $left" >&2; st=1; }
  return "$st"
}

MiB=1048576

is_cgroup_v2 () {
  [ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ]
}

# cgroup_dir PID CONTROLLER: the host directory of the cgroup of PID that
# CONTROLLER governs (on v2 the one unified cgroup).
cgroup_dir () {
  local pid="$1" ctrl="$2" path
  if is_cgroup_v2; then
    path=$(sed -n 's/^0:://p' "/proc/$pid/cgroup")
    echo "/sys/fs/cgroup${path%/}"
  else
    path=$(awk -v c="$ctrl" '{
        line = $0; split(line, f, ":"); n = split(f[2], a, ",")
        for (i = 1; i <= n; i++) if (a[i] == c) { sub(/^[^:]*:[^:]*:/, "", line); print line }
      }' "/proc/$pid/cgroup")
    [ -n "$path" ] || { echo "no $ctrl cgroup for $pid" >&2; return 1; }
    echo "/sys/fs/cgroup/$ctrl${path%/}"
  fi
}

# cgroup_read PID CONTROLLER FILE: a file of that cgroup, checking first
# that it is the container's own (named after the id), not berth's or the
# root.
cgroup_read () {
  local dir
  dir=$(cgroup_dir "$1" "$2") || return 1
  case "$dir" in
    */"$CTR" | */"$CTR2") ;;
    *) fail "process $1 is in $dir, not in a cgroup of its own" || return 1 ;;
  esac
  cat "$dir/$3"
}

# cgroup_key PID CONTROLLER FILE KEY: the value of "KEY value" in FILE.
cgroup_key () {
  cgroup_read "$1" "$2" "$3" | awk -v k="$4" '$1 == k { print $2 }'
}

memory_limit () {
  if is_cgroup_v2; then cgroup_read "$1" memory memory.max
  else cgroup_read "$1" memory memory.limit_in_bytes; fi
}

oom_kills () {
  if is_cgroup_v2; then cgroup_key "$1" memory memory.events oom_kill
  else cgroup_key "$1" memory memory.oom_control oom_kill; fi
}

# CPU time of the cgroup in microseconds.
cpu_usage_us () {
  local ns
  if is_cgroup_v2; then
    cgroup_key "$1" cpu cpu.stat usage_usec
  else
    ns=$(cgroup_read "$1" cpuacct cpuacct.usage) || return 1
    echo $((ns / 1000))
  fi
}

# set_resources JSON: linux.resources, keeping the device rules of the
# default config.
set_resources () {
  update_config '.linux.resources += $r' --argjson r "$1"
}

# $TMP/shared is /mnt in the container, read-write.
share_mnt () {
  update_config '.mounts += [{"destination": "/mnt", "type": "bind", "source": $s, "options": ["rbind", "rw"]}]' \
    --arg s "$TMP/shared"
}

add_caps () {
  local c
  for c in "$@"; do
    update_config '.process.capabilities |= with_entries(.value += [$c])' --arg c "$c"
  done
}

# wait_file FILE SECONDS: until FILE exists.
wait_file () {
  local i
  for ((i = 0; i < $2 * 20; i++)); do
    [ -e "$1" ] && return 0
    sleep 0.05
  done
  fail "timed out after $2 s waiting for $1"
}

# start_agent [ID]: a detached container (on $TMP/shared) whose pid 1 runs
# each script /mnt/cmdN in turn, as a child, with its output in /mnt/outN
# and exit status in /mnt/rcN: `exec` for tests, until berth has one.
AGENT='n=0
while :; do
  if [ -e /mnt/cmd$n ]; then
    sh /mnt/cmd$n > /mnt/out$n 2>&1
    echo $? > /mnt/rc$n.tmp && mv /mnt/rc$n.tmp /mnt/rc$n
    n=$((n + 1))
  fi
  sleep 0.05
done'
AGENT_N=0
start_agent () {
  share_mnt
  set_args sh -c "$AGENT"
  run_detached "${1:-$CTR}"
}

# in_agent SCRIPT: runs SCRIPT in the agent; sets $status and $output.
in_agent () {
  local n=$AGENT_N
  AGENT_N=$((AGENT_N + 1))
  printf '%s\n' "$1" > "$TMP/shared/cmd$n.tmp"
  mv "$TMP/shared/cmd$n.tmp" "$TMP/shared/cmd$n"
  wait_file "$TMP/shared/rc$n" 60 || return 1
  status=$(cat "$TMP/shared/rc$n")
  output=$(cat "$TMP/shared/out$n")
}

# ---- limits the kernel enforces ---------------------------------------------

@test "cgroups: memory: a process touching 64 MiB under a 32 MiB limit is killed (137)" {
  set_resources "{\"memory\": {\"limit\": $((32 * MiB)), \"swap\": $((32 * MiB))}}"
  # dd's buffer is bs bytes, every page written by the read from /dev/zero.
  set_args dd if=/dev/zero of=/dev/null bs=64M count=1
  run berth run --bundle "$BUNDLE" "$CTR" < /dev/null
  expect_status 137
}

@test "cgroups: memory: 16 MiB under a 32 MiB limit is fine" {
  set_resources "{\"memory\": {\"limit\": $((32 * MiB)), \"swap\": $((32 * MiB))}}"
  set_args dd if=/dev/zero of=/dev/null bs=16M count=1
  run berth run --bundle "$BUNDLE" "$CTR" < /dev/null
  expect_status 0
  expect_contains "$output" "1+0 records out"
}

@test "cgroups: memory: an OOM kill shows in the kernel's counter and as an oom event" {
  local pid before st
  set_resources "{\"memory\": {\"limit\": $((32 * MiB)), \"swap\": $((32 * MiB))}}"
  start_agent
  pid=$(ctr_pid "$CTR")
  expect_eq "$(memory_limit "$pid")" $((32 * MiB)) "kernel memory limit"
  before=$(oom_kills "$pid")
  [ -n "$before" ] || fail "no oom_kill counter in the container's cgroup"

  berth_bg events --interval 100ms "$CTR"
  wait_for_file "$TMP/bg.out" '"type":"stats"'
  in_agent 'dd if=/dev/zero of=/dev/null bs=64M count=1'
  expect_status 137
  [ "$(oom_kills "$pid")" -gt "$before" ] || fail "oom_kill counter did not grow"
  wait_for_file "$TMP/bg.out" "{\"type\":\"oom\",\"id\":\"$CTR\"}"

  # The agent survived (the OOM killer took the biggest process) and the
  # events loop ends with the container.
  in_agent 'echo alive'
  expect_eq "$output" alive
  berth kill "$CTR" KILL
  st=0
  wait_bg "$BG_PID" || st=$?
  expect_eq "$st" 0 "events' exit status"
  run jq -e -s 'map(select(.type == "stats")) | length >= 1' "$TMP/bg.out"
  expect_status 0
  # One OOM kill, one event: the notification and the counter agree.
  run jq -s 'map(select(.type == "oom")) | length' "$TMP/bg.out"
  expect_eq "$output" 1 "oom events"
}

@test "events: the oom event comes when the kernel tells, not at the next interval" {
  local i
  set_resources "{\"memory\": {\"limit\": $((32 * MiB)), \"swap\": $((32 * MiB))}}"
  start_agent
  berth_bg events --interval 1h "$CTR"
  # events has its notification and its baseline once its timer exists.
  for ((i = 0; i < 100; i++)); do
    ls -l "/proc/$BG_PID/fd" 2> /dev/null | grep -q timerfd && break
    sleep 0.05
  done
  ls -l "/proc/$BG_PID/fd" | grep -q timerfd || fail "events did not start"
  in_agent 'dd if=/dev/zero of=/dev/null bs=64M count=1'
  expect_status 137
  wait_for_file "$TMP/bg.out" "{\"type\":\"oom\",\"id\":\"$CTR\"}"
  run grep -c '"type":"stats"' "$TMP/bg.out"
  expect_eq "$output" 0 "stats events within the hour"
  berth kill "$CTR" KILL
  wait_bg "$BG_PID" || true
}

# The share of one CPU an unconfined busy loop gets over 1 s right now.
unconfined_cpu_percent () {
  local pid t0 t1 j0 j1 hz
  hz=$(getconf CLK_TCK)
  sh -c 'while :; do :; done' &
  pid=$!
  j0=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  t0=$(date +%s%N)
  sleep 1
  j1=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  t1=$(date +%s%N)
  kill "$pid"
  wait "$pid" 2> /dev/null
  echo $(( (j1 - j0) * 100 * 1000000000 / hz / (t1 - t0) ))
}

@test "cgroups: cpu: quota 20000/100000 gives a busy loop 20% of a CPU" {
  local pid u0 u1 t0 t1 pct
  set_resources '{"cpu": {"quota": 20000, "period": 100000}}'
  set_args sh -c 'while :; do :; done'
  run_detached "$CTR"
  pid=$(ctr_pid "$CTR")
  sleep 0.3
  u0=$(cpu_usage_us "$pid")
  t0=$(date +%s%N)
  sleep 2
  u1=$(cpu_usage_us "$pid")
  t1=$(date +%s%N)
  # CPU time over wall time, in percent of one CPU: 20 +- 5.
  pct=$(( (u1 - u0) * 100000 / (t1 - t0) ))
  echo "cpu: $((u1 - u0)) us in $(( (t1 - t0) / 1000 )) us: $pct%" >&2
  # The quota is a ceiling, always.  The floor holds only when the CPU is
  # there to be had: on a loaded machine (guests running beside the host
  # suite) any loop gets less, so then an unconfined loop, measured right
  # after, must be starved too.
  [ "$pct" -le 25 ] || fail "busy loop got $pct% of a CPU, above the 20% quota"
  if [ "$pct" -lt 15 ]; then
    local free
    free=$(unconfined_cpu_percent)
    echo "an unconfined loop got $free% of a CPU right after" >&2
    [ "$free" -lt 60 ] || fail "busy loop got $pct% of a CPU (an unconfined one $free%), expected 20 +- 5"
  fi

  run berth events --stats "$CTR"
  expect_status 0
  run jq -e '.data.cpu.throttling.throttledPeriods > 0 and .data.cpu.usage.total > 0' <<< "$output"
  expect_status 0
}

@test "cgroups: pids: with a limit of 10 the 11th fork fails" {
  local started
  set_resources '{"pids": {"limit": 10}}'
  run_sh '(for i in $(seq 20); do sleep 5 & echo started; done) 2>&1; echo loop-ended'
  expect_status 0
  started=$(grep -c '^started$' <<< "$output" || true)
  echo "$started processes started" >&2
  [ "$started" -ge 1 ] && [ "$started" -le 10 ] || fail "$started sleeps started under a limit of 10"
  [[ "$output" == *"can't fork"* || "$output" == *"Resource temporarily unavailable"* ]] \
    || fail "no fork failure in: $output"
  expect_contains "$output" loop-ended
}

@test "cgroups: pids: the kernel has the limit" {
  set_resources '{"pids": {"limit": 10}}'
  set_args sleep 1000
  run_detached "$CTR"
  expect_eq "$(cgroup_read "$(ctr_pid "$CTR")" pids pids.max)" 10 "pids.max"
}

@test "cgroups: devices: deny-all blocks a device node, an allow rule opens it" {
  # /dev/kmsg (c 1:11) is not among the devices every container gets;
  # opening it write-only needs no capability, so only the cgroup can
  # refuse it.  CAP_MKNOD to make the node; mknod itself is allowed.
  add_caps CAP_MKNOD
  # (printf, not ":": a failing redirection of a special builtin would end
  # the shell.)
  run_sh 'mknod /dev/k c 1 11 && echo mknod-ok; printf "" > /dev/k && echo open-ok; echo > /dev/null && echo null-ok'
  expect_status 0
  expect_contains "$output" mknod-ok
  expect_contains "$output" "Operation not permitted"
  expect_not_contains "$output" open-ok
  expect_contains "$output" null-ok

  update_config '.linux.resources.devices += [{"allow": true, "type": "c", "major": 1, "minor": 11, "access": "w"}]'
  set_args sh -c 'mknod /dev/k c 1 11 && printf "" > /dev/k && echo open-ok'
  run berth run --bundle "$BUNDLE" "$CTR2" < /dev/null
  expect_status 0
  expect_contains "$output" open-ok
}

@test "cgroups: devices: access letters beyond r, w and m are ignored with a warning, as runc" {
  # "wz" is "w" (runc skips the letters it does not know): the write-open
  # of /dev/kmsg is allowed by the kernel; berth says what it skipped.
  add_caps CAP_MKNOD
  update_config '.linux.resources.devices += [{"allow": true, "type": "c", "major": 1, "minor": 11, "access": "wz"}]'
  set_args sh -c 'mknod /dev/k c 1 11 && printf "" > /dev/k && echo open-ok'
  run --separate-stderr berth run --bundle "$BUNDLE" "$CTR" < /dev/null
  expect_status 0
  expect_contains "$output" open-ok
  expect_contains "$stderr" 'devices[1].access: "wz"' "the warning"
  expect_contains "$stderr" "ignored" "the warning"

  # Nothing known left: refused before anything is made (runc fails
  # later, on the devices cgroup it cannot match).
  update_config '.linux.resources.devices[1].access = "xz"'
  run -1 --separate-stderr berth run --bundle "$BUNDLE" "$CTR2" < /dev/null
  expect_error "$status" "$stderr" 'devices[1].access' "none of r, w and m"
  assert_no_leftovers "$CTR2"
}

@test "cgroups: devices: a node in linux.devices is made, not allowed (deny-all stays)" {
  # As runc: linux.devices creates /dev/kmsg, only linux.resources.devices
  # opens it; the runtime adds nothing but its default devices.
  update_config '.linux.devices = [{"path": "/dev/kmsg", "type": "c", "major": 1, "minor": 11, "fileMode": 438}]'
  run_sh 'stat -c "%t:%T" /dev/kmsg; printf "" > /dev/kmsg && echo open-ok; echo > /dev/null && echo null-ok'
  expect_status 0
  expect_eq "${lines[0]}" "1:b" "/dev/kmsg made"
  expect_contains "$output" "Operation not permitted"
  expect_not_contains "$output" open-ok
  expect_contains "$output" null-ok
}

@test "cgroups: cpuset: cpus \"0\" pins the container to CPU 0" {
  set_resources '{"cpu": {"cpus": "0"}}'
  run_sh 'grep Cpus_allowed_list /proc/self/status'
  expect_status 0
  expect_eq "$(awk '{ print $2 }' <<< "$output")" 0 "Cpus_allowed_list"
}

@test "cgroups: v1: the init and an exec'd process are in the container's cgroup of every hierarchy (hybrid's cgroup2 one too), none of its files left open" {
  requires cgroup_v1
  # The init and each exec'd process move themselves ("0" to each
  # hierarchy's tasks, cgroups/join.h); the kernel's view must be the
  # same as a move by the parent: every line of /proc/PID/cgroup, the
  # cgroup2 line of a hybrid host included, names the container's cgroup.
  update_config '.linux.cgroupsPath = $p | .linux.namespaces += [{"type": "cgroup"}]' \
    --arg p "/$CTR"
  set_args sleep 1000
  create_ctr "$CTR"
  pid=$(ctr_pid "$CTR")
  n=0
  while IFS= read -r line; do
    n=$((n + 1))
    [ "${line#*:*:}" = "/$CTR" ] || fail "init: $line, not /$CTR"
  done < "/proc/$pid/cgroup"
  [ "$n" -gt 1 ] || fail "only $n line(s) in /proc/$pid/cgroup"
  grep -qx "$pid" "/sys/fs/cgroup/pids/$CTR/cgroup.procs" \
    || fail "the pids hierarchy does not list the init"
  # The files it moved itself with are closed before anything else runs.
  if ls -l "/proc/$pid/fd" | grep -q /sys/fs/cgroup; then
    fail "the init holds a cgroup file: $(ls -l "/proc/$pid/fd")"
  fi
  berth start "$CTR"
  # In the cgroup namespace (rooted at the container's cgroup), an exec'd
  # process that is in the container's cgroup sees "/" on every line.
  run berth exec "$CTR" cat /proc/self/cgroup
  expect_status 0
  [ "${#lines[@]}" -eq "$n" ] || fail "exec: ${#lines[@]} lines, the init has $n"
  for line in "${lines[@]}"; do
    [ "${line#*:*:}" = "/" ] || fail "exec: $line, not /"
  done
  berth kill "$CTR" KILL
  berth delete --force "$CTR"
}

@test "cgroups: v1 cpuset: empty parents made with mkdir are filled from the root down" {
  requires cgroup_v1
  local root=/sys/fs/cgroup/cpuset
  [ -e "$root/cpuset.cpus" ] || skip "no v1 cpuset hierarchy"
  # A pod cgroup and one level below it, as a plain mkdir leaves them:
  # cpus and mems empty at both levels.
  mkdir -p "$root/${CTR}-pod/mid"
  [ -z "$(cat "$root/${CTR}-pod/mid/cpuset.cpus")" ] || skip "this kernel fills new cpusets"
  update_config '.linux.cgroupsPath = $p' --arg p "/${CTR}-pod/mid/$CTR"
  run_sh 'grep -E "^(Cpus|Mems)_allowed_list" /proc/self/status'
  expect_status 0
  expect_eq "$(cat "$root/${CTR}-pod/cpuset.cpus")" "$(cat "$root/cpuset.cpus")" "the pod's cpus"
  expect_eq "$(cat "$root/${CTR}-pod/mid/cpuset.mems")" "$(cat "$root/cpuset.mems")" "mid's mems"
  expect_contains "${lines[0]}" "$(cat "$root/cpuset.cpus")"
}

@test "cgroups: v1 freezer: a frozen cgroup fails run -d at once, with a clear error" {
  requires cgroup_v1
  local fz=/sys/fs/cgroup/freezer
  [ -e "$fz/freezer.state" ] || [ -d "$fz" ] || skip "no v1 freezer hierarchy"
  mkdir "$fz/${CTR}-pod"
  echo FROZEN > "$fz/${CTR}-pod/freezer.state"
  update_config '.linux.cgroupsPath = $p' --arg p "/${CTR}-pod/$CTR"
  set_args sleep 1000
  # Under a frozen parent, and (below) in the frozen cgroup itself.
  BERTH_TIMEOUT=30 run berth run -d --bundle "$BUNDLE" "$CTR" < /dev/null
  expect_status 1
  expect_contains "$output" "frozen cgroup"
  expect_contains "$output" FROZEN
  [ ! -e "$BERTH_ROOT/$CTR" ] || fail "state left behind"
  [ ! -e "$fz/${CTR}-pod/$CTR" ] || fail "the container's cgroup was made"
  update_config '.linux.cgroupsPath = $p' --arg p "/${CTR}-pod"
  BERTH_TIMEOUT=30 run berth run -d --bundle "$BUNDLE" "$CTR" < /dev/null
  expect_status 1
  expect_contains "$output" "frozen cgroup"
  echo THAWED > "$fz/${CTR}-pod/freezer.state"
}

@test "cgroups: v1: a cgroup with another's process in it is refused; nothing made is left and the process lives on" {
  requires cgroup_v1
  local pids=/sys/fs/cgroup/pids holder left
  [ -d "$pids" ] || skip "no v1 pids hierarchy"
  # The v1 directories are made while the init starts (the hybrid host's
  # cgroup2 one before, for it to be cloned into): a conflict found then
  # must still leave nothing of the container's behind.
  mkdir -p "$pids/${CTR}-pod/$CTR"
  sleep 1000 &
  holder=$!
  echo "$holder" > "$pids/${CTR}-pod/$CTR/cgroup.procs"
  update_config '.linux.cgroupsPath = $p' --arg p "/${CTR}-pod/$CTR"
  set_args sleep 1000
  BERTH_TIMEOUT=30 run berth run -d --bundle "$BUNDLE" "$CTR" < /dev/null
  kill -0 "$holder" 2> /dev/null || fail "the other process was killed"
  kill "$holder"
  wait "$holder" || true
  # A reaped task leaves its v1 cgroup a moment later.
  for _ in $(seq 50); do
    rmdir "$pids/${CTR}-pod/$CTR" 2> /dev/null && break
    sleep 0.1
  done
  expect_status 1
  expect_contains "$output" "already exists and has processes"
  [ ! -e "$BERTH_ROOT/$CTR" ] || fail "state left behind"
  left=$(find /sys/fs/cgroup -path "$pids" -prune -o -name "$CTR" -print)
  [ -z "$left" ] || fail "cgroups made and left: $left"
}

# ---- update ---------------------------------------------------------------

@test "update: --memory 32m lowers a 64 MiB limit; 48 MiB is killed after, not before" {
  local pid
  set_resources "{\"memory\": {\"limit\": $((64 * MiB)), \"swap\": $((64 * MiB))}}"
  start_agent
  pid=$(ctr_pid "$CTR")
  expect_eq "$(memory_limit "$pid")" $((64 * MiB)) "limit before"
  in_agent 'dd if=/dev/zero of=/dev/null bs=48M count=1'
  expect_status 0

  run berth update --memory 32m --memory-swap 32m "$CTR"
  expect_status 0
  expect_eq "$(memory_limit "$pid")" 33554432 "limit after"
  in_agent 'dd if=/dev/zero of=/dev/null bs=48M count=1'
  expect_status 137

  # Raising it again (v1 wants memory+swap raised first).
  run berth update --memory 64m --memory-swap 64m "$CTR"
  expect_status 0
  expect_eq "$(memory_limit "$pid")" $((64 * MiB)) "limit raised"
  in_agent 'dd if=/dev/zero of=/dev/null bs=48M count=1'
  expect_status 0
}

@test "update: sizes as runc reads them, and -1 for unlimited" {
  local pid size
  set_args sleep 1000
  run_detached "$CTR"
  pid=$(ctr_pid "$CTR")
  for size in 65536k 64m 64M 64mb 64MiB "64 MB" 67108864 0.0625g; do
    run berth update --memory 1g "$CTR"
    expect_status 0
    run berth update --memory "$size" "$CTR"
    expect_status 0
    expect_eq "$(memory_limit "$pid")" 67108864 "limit from \"$size\""
  done
  run berth update --memory -1 "$CTR"
  expect_status 0
  size=$(memory_limit "$pid")
  [ "$size" = max ] || [ "$size" -gt $((1 << 40)) ] || fail "limit after -1: $size"
}

@test "update: --resources from stdin, flags override it, devices are left alone" {
  local pid
  share_mnt
  set_args sh -c 'while :; do echo > /dev/null && echo ok > /mnt/null; sleep 0.1; done'
  run_detached "$CTR"
  pid=$(ctr_pid "$CTR")
  run berth update --resources - --cpu-quota 50000 "$CTR" << 'EOF'
{"cpu": {"quota": 20000, "period": 100000}, "pids": {"limit": 42},
 "devices": [{"allow": false, "access": "rwm"}]}
EOF
  expect_status 0
  if is_cgroup_v2; then
    expect_eq "$(cgroup_read "$pid" cpu cpu.max)" "50000 100000" "cpu.max"
  else
    expect_eq "$(cgroup_read "$pid" cpu cpu.cfs_quota_us)" 50000 "cfs_quota_us"
    expect_eq "$(cgroup_read "$pid" cpu cpu.cfs_period_us)" 100000 "cfs_period_us"
  fi
  expect_eq "$(cgroup_read "$pid" pids pids.max)" 42 "pids.max"

  # /dev/null still opens: the deny-all of the JSON was not applied.
  rm -f "$TMP/shared/null"
  wait_file "$TMP/shared/null" 10

  run berth update --pids-limit -1 --cpu-quota -1 "$CTR"
  expect_status 0
  expect_eq "$(cgroup_read "$pid" pids pids.max)" max "pids.max"
  if is_cgroup_v2; then
    expect_eq "$(cgroup_read "$pid" cpu cpu.max)" "max 100000" "cpu.max"
  else
    expect_eq "$(cgroup_read "$pid" cpu cpu.cfs_quota_us)" -1 "cfs_quota_us"
  fi
}

@test "update: errors name the problem" {
  run -1 --separate-stderr berth update --memory 12x "$CTR"
  expect_error "$status" "$stderr" "--memory" '"12x"'
  run -1 --separate-stderr berth update --pids-limit ten "$CTR"
  expect_error "$status" "$stderr" "--pids-limit" '"ten"'
  run -1 --separate-stderr berth update --memory 1m nosuch
  expect_error "$status" "$stderr" 'container "nosuch" does not exist'
  echo '{"memory": {"limit": "big"}}' > "$TMP/r.json"
  set_args sleep 1000
  run_detached "$CTR"
  run -1 --separate-stderr berth update -r "$TMP/r.json" "$CTR"
  expect_error "$status" "$stderr" "memory.limit"
  berth kill "$CTR" KILL
  wait_for_status "$CTR" stopped
  run -1 --separate-stderr berth update --memory 64m "$CTR"
  expect_error "$status" "$stderr" "is not running" "(container not running)"
}

@test "update: a request that fails validation changes nothing" {
  local pid
  set_resources "{\"memory\": {\"limit\": $((128 * MiB))}}"
  set_args sleep 1000
  run_detached "$CTR"
  pid=$(ctr_pid "$CTR")
  # v2 has cpuset.cpus only where the cpuset controller is enabled.
  cpus=$(cgroup_read "$pid" cpuset cpuset.cpus 2> /dev/null || echo none)
  run -1 --separate-stderr berth update -r - "$CTR" <<< '{"memory": {"limit": 67108864}, "cpu": {"cpus": "9999"}}'
  expect_error "$status" "$stderr" "cpu.cpus" '"9999"' "not online"
  expect_eq "$(memory_limit "$pid")" $((128 * MiB)) "memory limit"
  expect_eq "$(cgroup_read "$pid" cpuset cpuset.cpus 2> /dev/null || echo none)" "$cpus" "cpuset.cpus"
}

@test "update: a write the kernel refuses midway puts back what was written" {
  local pid quota_file
  is_cgroup_v2 && quota_file=cpu.max.burst || quota_file=cpu.cfs_burst_us
  set_resources "{\"memory\": {\"limit\": $((128 * MiB))}, \"cpu\": {\"quota\": 50000, \"period\": 100000, \"burst\": 20000}}"
  set_args sleep 1000
  run_detached "$CTR" || {
    grep -q "burst" "$TMP/$CTR.err" && skip "no CFS burst in this kernel"
    fail "$(cat "$TMP/$CTR.err")"
  }
  pid=$(ctr_pid "$CTR")
  # Memory is written first; a quota below the burst is the kernel's
  # EINVAL, after it.
  run -1 --separate-stderr berth update -r - "$CTR" <<< '{"memory": {"limit": 67108864}, "cpu": {"quota": 10000}}'
  expect_error "$status" "$stderr" '"10000' "Invalid argument" "restored"
  if is_cgroup_v2; then
    expect_contains "$stderr" "cpu.max" "stderr"
    expect_contains "$stderr" "memory.max restored" "stderr"
    expect_eq "$(cgroup_read "$pid" cpu cpu.max)" "50000 100000" "cpu.max"
  else
    expect_contains "$stderr" "cpu.cfs_quota_us" "stderr"
    expect_contains "$stderr" "memory.limit_in_bytes restored" "stderr"
    expect_eq "$(cgroup_read "$pid" cpu cpu.cfs_quota_us)" 50000 "cfs_quota_us"
  fi
  expect_eq "$(memory_limit "$pid")" $((128 * MiB)) "memory limit"
}

# ---- pause, resume -----------------------------------------------------------

count_now () {
  cat "$TMP/shared/count" 2> /dev/null || echo 0
}

@test "pause/resume: a paused container stops counting, a resumed one goes on" {
  local c1 c2 i
  share_mnt
  set_args sh -c 'i=0; while :; do i=$((i + 1)); echo $i > /mnt/count.tmp; mv /mnt/count.tmp /mnt/count; sleep 0.1; done'
  run_detached "$CTR"
  wait_for_file "$TMP/shared/count"

  run berth pause "$CTR"
  expect_status 0
  expect_eq "$(ctr_state "$CTR" status)" paused "status"
  c1=$(count_now)
  sleep 1
  c2=$(count_now)
  expect_eq "$c2" "$c1" "counter while paused"

  run -1 --separate-stderr berth pause "$CTR"
  expect_error "$status" "$stderr" "container \"$CTR\" is paused" \
    "(container not running)"
  # A paused container still reports its stats.
  run berth events --stats "$CTR"
  expect_status 0

  run berth resume "$CTR"
  expect_status 0
  expect_eq "$(ctr_state "$CTR" status)" running "status"
  for ((i = 0; i < 100; i++)); do
    [ "$(count_now)" -gt "$c2" ] && break
    sleep 0.05
  done
  [ "$(count_now)" -gt "$c2" ] || fail "counter did not move after resume"
  run -1 --separate-stderr berth resume "$CTR"
  expect_error "$status" "$stderr" "container \"$CTR\" is running" \
    "(container not paused)"
}

@test "pause: a created container cannot be paused; a stopped one neither" {
  set_args sleep 1000
  create_ctr "$CTR"
  run -1 --separate-stderr berth pause "$CTR"
  expect_error "$status" "$stderr" "is created" "container not running"
  berth kill "$CTR" KILL
  wait_for_status "$CTR" stopped
  run -1 --separate-stderr berth pause "$CTR"
  expect_error "$status" "$stderr" "is stopped" "container not running"
}

@test "delete --force removes a paused container" {
  local pid st
  set_args sleep 1000
  run_detached "$CTR"
  pid=$(ctr_pid "$CTR")
  berth pause "$CTR"
  BERTH_TIMEOUT=15 run berth delete --force "$CTR"
  st=$status
  # On failure, thawed, teardown can still clean up.
  [ "$st" = 0 ] || berth resume "$CTR" || true
  expect_eq "$st" 0 "delete's exit status ($output)"
  wait_for_pid_gone "$pid"
  [ ! -e "$BERTH_ROOT/$CTR" ] || fail "state dir left"
}

# ---- ps -------------------------------------------------------------------------

@test "ps: json lists the container's pid and its child's; table keeps the header" {
  local pid pids other i
  set_args sh -c 'sleep 1001 & wait'
  run_detached "$CTR"
  pid=$(ctr_pid "$CTR")
  for ((i = 0; i < 100; i++)); do
    pids=$(berth ps --format json "$CTR")
    [ "$(jq length <<< "$pids")" -ge 2 ] && break
    sleep 0.05
  done
  run jq -e --argjson p "$pid" 'length == 2 and index($p) != null' <<< "$pids"
  expect_status 0
  other=$(jq --argjson p "$pid" 'map(select(. != $p))[0]' <<< "$pids")
  expect_eq "$(cat "/proc/$other/comm")" sleep "the child"

  run berth ps "$CTR"
  expect_status 0
  expect_contains "${lines[0]}" PID "header"
  expect_eq "${#lines[@]}" 3 "lines"
  expect_contains "$output" "sleep 1001"
  # Nothing of the host's (this shell) is listed.
  [ -z "$(awk -v me=$$ '$2 == me' <<< "$output")" ] || fail "host process listed"

  run berth ps "$CTR" -o pid,comm
  expect_status 0
  expect_eq "$(echo ${lines[0]})" "PID COMMAND" "header"
  run berth ps "$CTR" -- -o pid,args
  expect_status 0
  expect_contains "$output" "sleep 1001"
}

@test "ps: errors" {
  run -1 --separate-stderr berth ps --format yaml "$CTR"
  expect_error "$status" "$stderr" "yaml"
  set_args sleep 1000
  run_detached "$CTR"
  run -1 --separate-stderr berth ps "$CTR" -o comm
  expect_error "$status" "$stderr" "PID"
  berth kill "$CTR" KILL
  wait_for_status "$CTR" stopped
  # As runc: a stopped container has no processes, which is no error.
  run -0 --separate-stderr berth ps "$CTR"
  expect_eq "${#lines[@]}" 1 "lines of ps on a stopped container ($output)"
  expect_contains "${lines[0]}" "PID"
  run -1 --separate-stderr berth ps "no-such-$CTR"
  expect_error "$status" "$stderr" "does not exist"
}

# ---- kill --all ----------------------------------------------------------------

@test "kill --all: kills every process of a container sharing the host's pid namespace" {
  local pids p i
  update_config '.linux.namespaces |= map(select(.type != "pid"))'
  set_args sh -c 'sleep 1001 & exec sleep 1002'
  run_detached "$CTR"
  for ((i = 0; i < 100; i++)); do
    pids=$(berth ps --format json "$CTR")
    [ "$(jq length <<< "$pids")" -ge 2 ] && break
    sleep 0.05
  done
  expect_eq "$(jq length <<< "$pids")" 2 "processes"
  run berth kill --all "$CTR" KILL
  expect_status 0
  for p in $(jq '.[]' <<< "$pids"); do
    wait_for_pid_gone "$p"
  done
}

# ---- events ----------------------------------------------------------------------

@test "events --stats: one runc stats event with memory, cpu and pids" {
  set_args sh -c 'i=0; while [ $i -lt 20000 ]; do i=$((i + 1)); done; sleep 1000'
  run_detached "$CTR"
  sleep 0.5
  run berth events --stats "$CTR"
  expect_status 0
  expect_eq "${#lines[@]}" 1 "lines"
  run jq -e --arg id "$CTR" '
    .type == "stats" and .id == $id
    and .data.memory.usage.usage > 0
    and .data.memory.usage.limit > 0
    and .data.cpu.usage.total > 0
    and .data.pids.current >= 1
    and (.data.blkio | type) == "object"' <<< "$output"
  expect_status 0
}

@test "events: a stats event every --interval until the container stops" {
  local n st t0 t1 most
  set_args sleep 1000
  run_detached "$CTR"
  t0=$(date +%s%N)
  berth_bg events --interval 100ms "$CTR"
  sleep 1
  berth kill "$CTR" KILL
  st=0
  wait_bg "$BG_PID" || st=$?
  t1=$(date +%s%N)
  expect_eq "$st" 0 "events' exit status"
  n=$(jq -s --arg id "$CTR" 'map(select(.type == "stats" and .id == $id)) | length' "$TMP/bg.out")
  # At most one event per 100 ms of the time events really ran (kill and
  # the wait take longer on a busy or emulated machine), plus the first.
  most=$(( (t1 - t0) / 100000000 + 2 ))
  [ "$n" -ge 3 ] && [ "$n" -le "$most" ] || fail "$n stats events in $(( (t1 - t0) / 1000000 )) ms at 100ms (at most $most): $(cat "$TMP/bg.out")"
}

@test "events: --interval takes Go durations and refuses the rest" {
  run -1 --separate-stderr berth events --interval 0 "$CTR"
  expect_error "$status" "$stderr" "--interval"
  run -1 --separate-stderr berth events --interval 5 "$CTR"
  expect_error "$status" "$stderr" "--interval" '"5"'
  run -1 --separate-stderr berth events --interval 1x "$CTR"
  expect_error "$status" "$stderr" "--interval"
  run -1 --separate-stderr berth events --interval 1m30s nosuch
  expect_error "$status" "$stderr" 'container "nosuch" does not exist'
  run -1 --separate-stderr berth events --interval 1.5s nosuch
  expect_error "$status" "$stderr" 'container "nosuch" does not exist'
}
