#!/usr/bin/env bats
# linux.memoryPolicy (runtime-spec 1.3): the NUMA policy the kernel gives
# the container's processes (get_mempolicy(2) in the container, through a
# small static helper), parse errors at create, and a policy the kernel
# refuses failing create, not start.

load helpers

setup () {
  common_setup
  cp "$(helper_bin mempolicy -static)" "$BUNDLE/rootfs/bin/mempolicy" \
    || fail "cannot build the mempolicy helper"
}

# policy MODE [NODES [FLAGS_JSON]]
policy () {
  update_config '.linux.memoryPolicy = {"mode": $m}
      + (if $n == "" then {} else {"nodes": $n} end)
      + (if $f == "" then {} else {"flags": ($f | fromjson)} end)' \
    --arg m "$1" --arg n "${2:-}" --arg f "${3:-}"
}

# expect_policy WANT: the program, and a process `exec` starts, both see
# WANT ("bind static 0").
expect_policy () {
  set_args sleep 1000
  run_detached "$CTR"
  run berth exec "$CTR" mempolicy
  expect_status 0
  expect_eq "$output" "$1" "exec'd process"
  run berth delete -f "$CTR"
  set_args mempolicy
  run berth run --bundle "$BUNDLE" "$CTR2" < /dev/null
  expect_status 0
  expect_eq "$output" "$1" "the container's program"
}

@test "memoryPolicy: absent: the default policy" {
  set_args mempolicy
  run berth run --bundle "$BUNDLE" "$CTR" < /dev/null
  expect_status 0
  expect_eq "$output" "default - -"
}

@test "memoryPolicy: MPOL_BIND on node 0" {
  policy MPOL_BIND 0
  expect_policy "bind - 0"
}

@test "memoryPolicy: MPOL_INTERLEAVE, MPOL_F_STATIC_NODES" {
  policy MPOL_INTERLEAVE 0 '["MPOL_F_STATIC_NODES"]'
  expect_policy "interleave static 0"
}

@test "memoryPolicy: MPOL_PREFERRED with MPOL_F_RELATIVE_NODES, MPOL_PREFERRED_MANY" {
  policy MPOL_PREFERRED 0 '["MPOL_F_RELATIVE_NODES"]'
  expect_policy "preferred relative 0"
  berth delete -f "$CTR2"
  policy MPOL_PREFERRED_MANY 0
  CTR="${CTR}_m" CTR2="${CTR2}_m" expect_policy "preferred_many - 0"
}

@test "memoryPolicy: MPOL_LOCAL, MPOL_DEFAULT, MPOL_BIND with MPOL_F_NUMA_BALANCING" {
  policy MPOL_LOCAL
  set_args mempolicy
  run berth run --bundle "$BUNDLE" "$CTR" < /dev/null
  expect_status 0
  expect_eq "$output" "local - -"
  policy MPOL_DEFAULT
  run berth run --bundle "$BUNDLE" "$CTR2" < /dev/null
  expect_status 0
  expect_eq "$output" "default - -"
  policy MPOL_BIND 0 '["MPOL_F_NUMA_BALANCING"]'
  run berth run --bundle "$BUNDLE" "$CTR3" < /dev/null
  expect_status 0
  expect_eq "$output" "bind balancing 0"
}

@test "memoryPolicy: MPOL_WEIGHTED_INTERLEAVE where the kernel has it (6.9)" {
  policy MPOL_WEIGHTED_INTERLEAVE 0
  set_args mempolicy
  run berth run --bundle "$BUNDLE" "$CTR" < /dev/null
  if [[ "$output" == *"Invalid argument"* ]]; then
    skip "the kernel has no MPOL_WEIGHTED_INTERLEAVE"
  fi
  expect_status 0
  expect_eq "$output" "weighted_interleave - 0"
}

@test "memoryPolicy: malformed nodes, missing nodes, nodes where none belong: refused at create" {
  local bad
  for bad in 'MPOL_BIND|0-|not a node list' 'MPOL_BIND|1,,2|not a node list' \
             'MPOL_BIND|3-1|not a node list' 'MPOL_BIND|x|not a node list' \
             'MPOL_BIND|16384|past the largest node number berth takes' \
             'MPOL_BIND||needs at least one node' \
             'MPOL_LOCAL|0|takes no nodes' 'MPOL_DEFAULT|0|takes no nodes'; do
    policy "${bad%%|*}" "$(cut -d'|' -f2 <<< "$bad")"
    run berth create --bundle "$BUNDLE" "$CTR"
    expect_status 1
    expect_contains "$output" "linux.memoryPolicy.nodes"
    expect_contains "$output" "${bad##*|}"
    [ ! -e "$BERTH_ROOT/$CTR" ] || fail "state left for $bad"
  done
  policy MPOL_BIND 0 '["MPOL_F_STATIC_NODES", "MPOL_F_RELATIVE_NODES"]'
  run berth create --bundle "$BUNDLE" "$CTR"
  expect_status 1
  expect_contains "$output" "exclude each other"
}

@test "memoryPolicy: a node the kernel does not have fails create, not start" {
  local n
  n=$(( $(sed 's/.*[-,]//' /sys/devices/system/node/possible) + 1 ))
  policy MPOL_BIND "$n"
  set_args true
  run berth create --bundle "$BUNDLE" "$CTR"
  expect_status 1
  expect_contains "$output" "set_mempolicy"
  expect_contains "$output" "Invalid argument"
  [ ! -e "$BERTH_ROOT/$CTR" ] || fail "state left behind"
}

@test "memoryPolicy: nodes past 1024 reach the kernel (a mask sized for them), which refuses those it lacks" {
  # runc 1.6 takes node numbers past 1024 too; no kernel has that many
  # nodes today (MAX_NUMNODES is 1024 at most), so the kernel's EINVAL is
  # the answer, at create, with the nodes it has.
  local nodes
  for nodes in 1500 0,5000 16383; do
    policy MPOL_BIND "$nodes"
    set_args true
    run berth create --bundle "$BUNDLE" "$CTR"
    expect_status 1
    expect_contains "$output" "set_mempolicy" "$nodes"
    expect_contains "$output" "Invalid argument" "$nodes"
    expect_contains "$output" "nodes online: $(cat /sys/devices/system/node/online 2> /dev/null || echo unknown)" "$nodes"
    [ ! -e "$BERTH_ROOT/$CTR" ] || fail "state left behind for $nodes"
  done
}
