#!/usr/bin/env bats
# events --stats on cgroup v1: what runc 1.1 reports, read from the
# kernel's files of the container's cgroup.

load helpers

setup () {
  requires cgroup_v1
  common_setup
}

teardown () {
  common_teardown
}

# v1_dir PID CONTROLLER: the process's cgroup directory in that hierarchy.
v1_dir () {
  local path mnt
  path=$(awk -F: -v c="$2" '{ n = split($2, a, ","); for (i = 1; i <= n; i++) if (a[i] == c) print $3 }' "/proc/$1/cgroup")
  mnt=$(awk -v c="$2" '$3 == "cgroup" { n = split($4, o, ","); for (i = 1; i <= n; i++) if (o[i] == c) print $2 }' /proc/mounts | head -1)
  echo "$mnt$path"
}

# as_jq FILE: the number in FILE as jq prints it (jq keeps doubles: the
# unlimited 9223372036854771712 rounds the same way on both sides).
as_jq () {
  jq -n "$(cat "$1")"
}

@test "events --stats (v1): memory.raw, kernel, swap, per-CPU usage and cpuset as runc" {
  update_config '.linux.resources.memory = {"limit": 67108864, "swap": 134217728}'
  set_args sh -c 'while :; do :; done'
  run_detached "$CTR"
  pid=$(ctr_pid "$CTR")
  mem=$(v1_dir "$pid" memory)
  acct=$(v1_dir "$pid" cpuacct)
  cpuset=$(v1_dir "$pid" cpuset)
  sleep 0.3
  run --separate-stderr berth events --stats "$CTR"
  expect_status 0
  d=$(jq -c .data <<< "$output")

  # memory.raw is memory.stat, every key.
  expect_eq "$(jq -r '.memory.raw | keys | join(",")' <<< "$d")" \
    "$(awk '{ print $1 }' "$mem/memory.stat" | sort | paste -sd,)" "memory.raw keys"
  # The limits are the files' values (64M, and memsw's 128M).
  expect_eq "$(jq -r .memory.usage.limit <<< "$d")" "$(as_jq "$mem/memory.limit_in_bytes")" "usage.limit"
  expect_eq "$(jq -r .memory.usage.limit <<< "$d")" 67108864 "usage.limit"
  if [ -e "$mem/memory.memsw.limit_in_bytes" ]; then
    expect_eq "$(jq -r .memory.swap.limit <<< "$d")" "$(as_jq "$mem/memory.memsw.limit_in_bytes")" "swap.limit"
    expect_eq "$(jq -r .memory.swap.limit <<< "$d")" 134217728 "swap.limit"
    [ "$(jq -r '.memory.swap.max' <<< "$d")" -gt 0 ] || fail "swap.max: $d"
  fi
  # Kernel memory: the memory.kmem files.
  if [ -e "$mem/memory.kmem.usage_in_bytes" ]; then
    expect_eq "$(jq -r .memory.kernel.limit <<< "$d")" "$(as_jq "$mem/memory.kmem.limit_in_bytes")" "kernel.limit"
    [ "$(jq -r '.memory.kernel.usage' <<< "$d")" -gt 0 ] || fail "kernel.usage: $d"
    expect_eq "$(jq -r .memory.kernelTCP.limit <<< "$d")" "$(as_jq "$mem/memory.kmem.tcp.limit_in_bytes")" "kernelTCP.limit"
  fi
  # Per CPU: one entry per cpuacct.usage_percpu column; the busy loop ran.
  n=$(wc -w < "$acct/cpuacct.usage_percpu")
  expect_eq "$(jq -r '.cpu.usage.percpu | length' <<< "$d")" "$n" "percpu"
  [ "$(jq -r '.cpu.usage.percpu | add' <<< "$d")" -gt 0 ] || fail "percpu: $d"
  if [ -e "$acct/cpuacct.usage_all" ]; then
    expect_eq "$(jq -r '.cpu.usage.percpu_user | length' <<< "$d")" "$n" "percpu_user"
    expect_eq "$(jq -r '.cpu.usage.percpu_kernel | length' <<< "$d")" "$n" "percpu_kernel"
  fi
  # cpuset: the lists expanded, the flags in runc's names.
  cpus=$(jq -r '.cpuset.cpus | join(",")' <<< "$d")
  want=$(tr ',' '\n' < "$cpuset/cpuset.cpus" | awk -F- '{ b = NF > 1 ? $2 : $1; for (i = $1; i <= b; i++) print i }' | paste -sd,)
  expect_eq "$cpus" "$want" "cpuset.cpus"
  expect_eq "$(jq -r '.cpuset | keys | join(",")' <<< "$d")" \
    "cpu_exclusive,cpus,mem_exclusive,mem_hardwall,memory_migrate,memory_pressure,memory_spread_page,memory_spread_slab,mems,sched_load_balance,sched_relax_domain_level" "cpuset keys"
  expect_eq "$(jq -r .cpuset.sched_load_balance <<< "$d")" "$(cat "$cpuset/cpuset.sched_load_balance")" "sched_load_balance"
}
