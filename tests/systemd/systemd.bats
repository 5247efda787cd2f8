#!/usr/bin/env bats
# --systemd-cgroup, in the guest with systemd as PID 1
# (BERTH_VM_INIT=systemd contrib/vm/run; tests/run-all runs this directory
# there, in one boot).  Every check asks systemd (systemctl show) or the
# kernel (the cgroup as the container sees it, /proc/PID/cgroup), never a
# file berth wrote.

load ../integration/helpers

setup () {
  [ -d /run/systemd/system ] || skip "systemd is not this host's init (run in BERTH_VM_INIT=systemd contrib/vm/run)"
  common_setup
}

teardown () {
  local st=0
  common_teardown || st=1
  # delete --force stopped the units.
  for id in "$CTR" "$CTR2"; do
    if [ "$(unit_prop "berth-$id.scope" LoadState)" = loaded ]; then
      echo "unit berth-$id.scope left: $(systemctl status "berth-$id.scope" 2>&1)" >&2
      timeout 30 systemctl stop "berth-$id.scope" 2> /dev/null
      st=1
    fi
  done
  return "$st"
}

MiB=1048576

# systemd on cgroup v2, or on the v1/hybrid hierarchy
# (systemd.unified_cgroup_hierarchy=0: make check-systemd-hybrid), where
# the "0::" line of /proc/PID/cgroup is /sys/fs/cgroup/unified's.
# The memory limit's property: MemoryLimit on v1 (as runc sets it there).
if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
  V1="" UNIFIED=/sys/fs/cgroup MEMPROP=MemoryMax
else
  V1=1 UNIFIED=/sys/fs/cgroup/unified MEMPROP=MemoryLimit
fi

# CTR_LIMITS: a command for the container (its cgroup mounted at
# /sys/fs/cgroup, see mount_cgroup) that prints "memory pids quota period".
if [ -n "$V1" ]; then
  CTR_LIMITS='c=/sys/fs/cgroup; echo $(cat $c/memory/memory.limit_in_bytes $c/pids/pids.max $c/cpu/cpu.cfs_quota_us $c/cpu/cpu.cfs_period_us)'
else
  CTR_LIMITS='c=/sys/fs/cgroup; echo $(cat $c/memory.max $c/pids.max $c/cpu.max)'
fi

# is_frozen UNIT: 1 or 0, as the kernel's freezer says.
is_frozen () {
  if [ -n "$V1" ]; then
    case "$(cat "/sys/fs/cgroup/freezer/system.slice/$1/freezer.state")" in
      FROZEN) echo 1 ;;
      *) echo 0 ;;
    esac
  else
    sed -n 's/^frozen //p' "/sys/fs/cgroup/system.slice/$1/cgroup.events"
  fi
}

unit_prop () {
  systemctl show -P "$2" "$1"
}

set_resources () {
  update_config '.linux.resources += $r' --argjson r "$1"
}

# sd_create / sd_run_d [options...] ID: create / run -d with
# --systemd-cgroup, stdio on files (the container must not hold bats's
# output).
sd_create () {
  local id="${!#}"
  berth --systemd-cgroup create --bundle "$BUNDLE" "$@" < /dev/null \
    > "$TMP/$id.out" 2> "$TMP/$id.err" || { cat "$TMP/$id.err" >&2; return 1; }
}

sd_run_d () {
  local id="${!#}"
  berth --systemd-cgroup run -d --bundle "$BUNDLE" "$@" < /dev/null \
    > "$TMP/$id.out" 2> "$TMP/$id.err" || { cat "$TMP/$id.err" >&2; return 1; }
}

# in_ctr ID CMD: CMD in the container through exec.
in_ctr () {
  run berth exec "$1" sh -c "$2"
}

# The container's own cgroup files as it sees them: /sys/fs/cgroup is its
# cgroup namespace's root, the unit's cgroup.
mount_cgroup () {
  update_config '.mounts += [{"destination": "/sys/fs/cgroup", "type": "cgroup", "source": "cgroup", "options": ["nosuid", "noexec", "nodev", "ro"]}] | .linux.namespaces += [{"type": "cgroup"}]'
}

@test "systemd: the container is a scope in system.slice with its limits, and the init in it" {
  mount_cgroup
  set_resources "{\"memory\": {\"limit\": $((64 * MiB))}, \"pids\": {\"limit\": 50}, \"cpu\": {\"shares\": 2048, \"quota\": 50000, \"period\": 100000}}"
  set_args sleep 1000
  sd_create "$CTR"
  local unit="berth-$CTR.scope" pid
  pid=$(ctr_pid "$CTR")
  expect_eq "$(unit_prop "$unit" ActiveState)" active "ActiveState"
  expect_eq "$(unit_prop "$unit" Slice)" system.slice "Slice"
  expect_eq "$(unit_prop "$unit" Delegate)" yes "Delegate"
  expect_eq "$(unit_prop "$unit" "$MEMPROP")" $((64 * MiB)) "$MEMPROP"
  expect_eq "$(unit_prop "$unit" TasksMax)" 50 "TasksMax"
  expect_eq "$(unit_prop "$unit" CPUQuotaPerSecUSec)" 500ms "CPUQuotaPerSecUSec"
  expect_eq "$(sed -n 's/^0:://p' "/proc/$pid/cgroup")" "/system.slice/$unit" "the init's cgroup"
  # The kernel holds the limits, read from inside the container.
  berth start "$CTR"
  in_ctr "$CTR" "$CTR_LIMITS"
  expect_status 0
  expect_eq "$output" "$((64 * MiB)) 50 50000 100000" "limits inside"
  # exec joins the scope.
  in_ctr "$CTR" 'grep "^0::" /proc/self/cgroup'
  expect_eq "$output" "0::/" "exec's cgroup (the namespace's root)"
  run systemctl show -P ControlGroup "$unit"
  expect_eq "$output" "/system.slice/$unit"
}

@test "systemd: cgroupsPath slice:prefix:name, nested slice and an invalid form" {
  update_config '.linux.cgroupsPath = $p' --arg p "berth-test.slice:pfx:$CTR"
  set_args sleep 1000
  sd_create "$CTR"
  local pid
  pid=$(ctr_pid "$CTR")
  expect_eq "$(sed -n 's/^0:://p' "/proc/$pid/cgroup")" "/berth.slice/berth-test.slice/pfx-$CTR.scope" "cgroup"
  expect_eq "$(unit_prop "pfx-$CTR.scope" Slice)" berth-test.slice "Slice"
  berth delete --force "$CTR"
  expect_eq "$(unit_prop "pfx-$CTR.scope" LoadState)" not-found "the scope after delete"
  [ ! -d "$UNIFIED/berth.slice/berth-test.slice/pfx-$CTR.scope" ] || fail "cgroup left"

  update_config '.linux.cgroupsPath = "/a/b"'
  run berth --systemd-cgroup create --bundle "$BUNDLE" "$CTR" < /dev/null
  expect_error "$status" "$output" "berth: linux.cgroupsPath \"/a/b\": with --systemd-cgroup it is \"slice:prefix:name\" (runc's form)"
  update_config '.linux.cgroupsPath = "a--b.slice:p:n"'
  run berth --systemd-cgroup create --bundle "$BUNDLE" "$CTR" < /dev/null
  expect_contains "$output" "invalid slice name \"a--b.slice\""
  assert_no_leftovers "$CTR"
}

@test "systemd: update sets the unit's properties, and the limits hold after daemon-reload" {
  mount_cgroup
  set_resources "{\"memory\": {\"limit\": $((64 * MiB))}, \"pids\": {\"limit\": 50}}"
  set_args sleep 1000
  sd_run_d "$CTR"
  local unit="berth-$CTR.scope"
  berth update --memory $((96 * MiB)) --pids-limit 20 --cpu-quota 20000 --cpu-period 100000 "$CTR"
  expect_eq "$(unit_prop "$unit" "$MEMPROP")" $((96 * MiB)) "$MEMPROP"
  expect_eq "$(unit_prop "$unit" TasksMax)" 20 "TasksMax"
  expect_eq "$(unit_prop "$unit" CPUQuotaPerSecUSec)" 200ms "CPUQuotaPerSecUSec"
  systemctl daemon-reload
  in_ctr "$CTR" "$CTR_LIMITS"
  expect_status 0
  expect_eq "$output" "$((96 * MiB)) 20 20000 100000" "limits after daemon-reload"
  # pause/resume: the kernel's freezer.
  berth pause "$CTR"
  expect_eq "$(is_frozen "$unit")" 1 "frozen after pause"
  berth resume "$CTR"
  expect_eq "$(is_frozen "$unit")" 0 "frozen after resume"
}

@test "systemd: kill --all and delete stop the scope and remove its cgroup" {
  set_args sleep 1000
  sd_run_d "$CTR"
  local unit="berth-$CTR.scope"
  berth exec -d "$CTR" sleep 1000 < /dev/null > /dev/null 2>&1
  berth kill --all "$CTR" KILL
  wait_for_status "$CTR" stopped
  expect_eq "$(unit_prop "$unit" LoadState)" not-found "the scope after kill --all"
  berth delete "$CTR"
  [ ! -d "$UNIFIED/system.slice/$unit" ] || fail "cgroup left"

  sd_run_d "$CTR"
  expect_eq "$(unit_prop "$unit" ActiveState)" active "a new scope of the same name"
  berth delete --force "$CTR"
  expect_eq "$(unit_prop "$unit" LoadState)" not-found "the scope after delete --force"
  [ ! -d "$UNIFIED/system.slice/$unit" ] || fail "cgroup left"
}

@test "systemd: an OOM kill under the scope" {
  set_resources "{\"memory\": {\"limit\": $((32 * MiB)), \"swap\": $((32 * MiB))}}"
  set_args sleep 1000
  sd_run_d "$CTR"
  local unit="berth-$CTR.scope"
  in_ctr "$CTR" 'dd if=/dev/zero of=/dev/null bs=64M count=1'
  expect_status 137
  if [ -n "$V1" ]; then
    run sed -n 's/^oom_kill //p' "/sys/fs/cgroup/memory/system.slice/$unit/memory.oom_control"
  else
    run sed -n 's/^oom_kill //p' "/sys/fs/cgroup/system.slice/$unit/memory.events"
  fi
  [ "$output" -ge 1 ] || fail "oom_kill counter: $output"
  in_ctr "$CTR" 'echo alive'
  expect_eq "$output" alive
}

@test "systemd: a refused update puts the unit's properties back, and the files" {
  [ -z "$V1" ] || skip "the refused file here (memory.oom.group) is cgroup v2's"
  set_resources "{\"memory\": {\"limit\": $((64 * MiB))}, \"pids\": {\"limit\": 50}}"
  set_args sleep 1000
  sd_run_d "$CTR"
  local unit="berth-$CTR.scope" cg
  cg="/sys/fs/cgroup/system.slice/$unit"
  # systemd takes MemoryMax and TasksMax; the kernel then refuses
  # memory.oom.group (0 or 1), a file systemd has no property for.
  echo "{\"memory\": {\"limit\": $((96 * MiB))}, \"pids\": {\"limit\": 20}, \"unified\": {\"memory.oom.group\": \"2\"}}" > "$TMP/res.json"
  run berth update -r "$TMP/res.json" "$CTR"
  expect_error "$status" "$output" "memory.oom.group"
  expect_contains "$output" "the properties of $unit put back"
  expect_eq "$(unit_prop "$unit" MemoryMax)" $((64 * MiB)) "MemoryMax after the refused update"
  expect_eq "$(unit_prop "$unit" TasksMax)" 50 "TasksMax after the refused update"
  expect_eq "$(cat "$cg/memory.max")" $((64 * MiB)) "memory.max after the refused update"
  expect_eq "$(cat "$cg/pids.max")" 50 "pids.max after the refused update"
  expect_eq "$(cat "$cg/memory.oom.group")" 0 "memory.oom.group"
  # And they stay so when systemd writes the unit's cgroup again.
  systemctl daemon-reload
  expect_eq "$(cat "$cg/memory.max")" $((64 * MiB)) "memory.max after daemon-reload"
  # A sound update still goes through, with berth's exact cpu.max (systemd
  # rounds CPUQuotaPerSecUSec up to 10 ms: 130 ms here).
  berth update --memory $((80 * MiB)) --cpu-quota 12345 --cpu-period 100000 "$CTR"
  expect_eq "$(unit_prop "$unit" MemoryMax)" $((80 * MiB)) "MemoryMax"
  expect_eq "$(cat "$cg/memory.max")" $((80 * MiB)) "memory.max"
  expect_eq "$(cat "$cg/cpu.max")" "12345 100000" "cpu.max"
}
