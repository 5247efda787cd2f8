#!/usr/bin/env bats
# The container's CPU affinity is its cpuset's, not the mask berth was
# started with (runc #4815).

load helpers

setup () {
  common_setup
  [ "$(nproc --all)" -ge 2 ] || skip "needs two CPUs"
  command -v taskset > /dev/null || skip "needs taskset (util-linux)"
}

teardown () {
  common_teardown
}

online () {
  cat /sys/devices/system/cpu/online
}

@test "affinity: under taskset -c 0, the container gets every CPU of its cpuset" {
  set_args sh -c 'grep ^Cpus_allowed_list: /proc/self/status'
  run taskset -c 0 "$BERTH_BIN" --root "$BERTH_ROOT" run --bundle "$BUNDLE" "$CTR" < /dev/null 3>&-
  expect_status 0
  expect_eq "$(echo $output | cut -d' ' -f2)" "$(online)" "Cpus_allowed_list"
}

@test "affinity: under taskset -c 0 with resources.cpu.cpus \"1\", the container runs on CPU 1" {
  update_config '.linux.resources.cpu.cpus = "1"'
  set_args sh -c 'grep ^Cpus_allowed_list: /proc/self/status'
  run taskset -c 0 "$BERTH_BIN" --root "$BERTH_ROOT" run --bundle "$BUNDLE" "$CTR" < /dev/null 3>&-
  expect_status 0
  expect_eq "$(echo $output | cut -d' ' -f2)" 1 "Cpus_allowed_list"
}

@test "affinity: exec under taskset -c 0 gets the cpuset's CPUs too" {
  set_args sleep 100
  run_detached "$CTR" || fail "run -d: $(cat "$TMP/$CTR.err")"
  run taskset -c 0 "$BERTH_BIN" --root "$BERTH_ROOT" exec "$CTR" \
    sh -c 'grep ^Cpus_allowed_list: /proc/self/status' < /dev/null 3>&-
  expect_status 0
  expect_eq "$(echo $output | cut -d' ' -f2)" "$(online)" "Cpus_allowed_list"
}

@test "affinity: execCPUAffinity.initial still wins over the reset" {
  update_config '.process.execCPUAffinity = {"initial": "1"}'
  set_args sh -c 'grep ^Cpus_allowed_list: /proc/self/status'
  run "$BERTH_BIN" --root "$BERTH_ROOT" run --bundle "$BUNDLE" "$CTR" < /dev/null 3>&-
  expect_status 0
  expect_eq "$(echo $output | cut -d' ' -f2)" 1 "Cpus_allowed_list"
}
