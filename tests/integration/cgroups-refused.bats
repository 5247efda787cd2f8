#!/usr/bin/env bats
# linux.resources asking for a knob this kernel does not have (a huge page
# size, swap accounting, real-time group scheduling, CFS burst) is refused
# by the one validation pass, before anything exists: no state dir, no
# cgroup directory, no hook run, no process.  The checks read the kernel's
# own cgroup mounts; a case the host cannot show is skipped with the
# reason.

load helpers

# The mount point of the v1 hierarchy holding controller $1, or nothing.
v1_mount () {
  awk -v c="$1" '$9 == "cgroup" { n = split($NF, o, ","); for (i = 1; i <= n; i++) if (o[i] == c) print $5 }' \
    /proc/self/mountinfo | head -n 1
}

# refused FIELD...: create is refused with a message naming the fields,
# and nothing of the container was made.
refused () {
  local marker="$BATS_TEST_TMPDIR/hook-ran"
  update_config '.hooks.createRuntime = [{"path": "/bin/touch", "args": ["touch", $m]}]' \
    --arg m "$marker"
  set_args true
  run -1 --separate-stderr berth create --bundle "$BUNDLE" "$CTR"
  expect_error "$status" "$stderr" "config.json: linux.resources" "$@"
  [ ! -e "$BERTH_ROOT/$CTR" ] || fail "a state dir was made"
  [ -z "$(cgroups_named "$CTR")" ] || fail "a cgroup was made: $(cgroups_named "$CTR")"
  [ ! -e "$marker" ] || fail "the createRuntime hook ran"
  [ -z "$(procs_under "$BUNDLE")" ] || fail "a process was made"
}

@test "cgroups-refused: a huge page size the host does not have" {
  requires root
  local size
  for size in 1GB 16GB 32MB 64KB; do
    case "$size" in
      *GB) kb=$(( ${size%GB} * 1024 * 1024 )) ;;
      *MB) kb=$(( ${size%MB} * 1024 )) ;;
      *KB) kb=${size%KB} ;;
    esac
    [ -e "/sys/kernel/mm/hugepages/hugepages-${kb}kB" ] || break
  done
  [ ! -e "/sys/kernel/mm/hugepages/hugepages-${kb}kB" ] \
    || skip "this host has every huge page size tried"
  update_config '.linux.resources.hugepageLimits = [{"pageSize": $s, "limit": 1073741824}]' \
    --arg s "$size"
  refused "hugepageLimits[0].pageSize" "no $size huge pages"
}

# v1_lacks CONTROLLER FILE WHY: skips unless this host has a v1
# hierarchy for CONTROLLER whose cgroups lack FILE (WHY names the knob).
v1_lacks () {
  local dir
  requires root cgroup_v1
  dir=$(v1_mount "$1")
  [ -n "$dir" ] || skip "no v1 $1 hierarchy"
  [ ! -e "$dir/$2" ] || skip "this kernel has $3 ($2)"
}

@test "cgroups-refused: memory.swap without swap accounting (v1)" {
  v1_lacks memory memory.memsw.limit_in_bytes "swap accounting"
  update_config '.linux.resources.memory = {"limit": 67108864, "swap": 134217728}'
  refused "memory.swap" "no memory.memsw" "refused"
}

@test "cgroups-refused: memory.swap -1 without swap accounting is ignored, as runc" {
  v1_lacks memory memory.memsw.limit_in_bytes "swap accounting"
  update_config '.linux.resources.memory = {"limit": 67108864, "swap": -1}'
  set_args true
  run berth run --bundle "$BUNDLE" "$CTR"
  expect_eq "$status" 0 "exit status ($output)"
}

@test "cgroups-refused: real-time runtime without CONFIG_RT_GROUP_SCHED (v1)" {
  v1_lacks cpu cpu.rt_runtime_us "real-time group scheduling"
  update_config '.linux.resources.cpu = {"realtimeRuntime": 1000, "realtimePeriod": 1000000}'
  refused "cpu.realtimeRuntime" "real-time group scheduling" "refused"
}

@test "cgroups-refused: cpu.burst without cpu.cfs_burst_us (v1)" {
  v1_lacks cpu cpu.cfs_burst_us "CFS burst"
  update_config '.linux.resources.cpu = {"quota": 50000, "period": 100000, "burst": 10000}'
  refused "cpu.burst" "cpu.cfs_burst_us" "refused"
}

@test "cgroups-refused: the same knobs are accepted where the kernel has them (v1)" {
  requires root cgroup_v1
  local c m cfg='.'
  c=$(v1_mount cpu)
  m=$(v1_mount memory)
  [ -n "$c" ] && [ -e "$c/cpu.cfs_burst_us" ] \
    && cfg="$cfg | .linux.resources.cpu = {\"quota\": 50000, \"period\": 100000, \"burst\": 10000}"
  [ -n "$m" ] && [ -e "$m/memory.memsw.limit_in_bytes" ] \
    && cfg="$cfg | .linux.resources.memory = {\"limit\": 67108864, \"swap\": 134217728}"
  [ "$cfg" != . ] || skip "this kernel has neither cpu.cfs_burst_us nor memory.memsw"
  update_config "$cfg"
  set_args sh -c 'cat /proc/self/cgroup > /dev/null'
  run berth run --bundle "$BUNDLE" "$CTR"
  expect_eq "$status" 0 "exit status ($output)"
}
