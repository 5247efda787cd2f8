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

@test "affinity: execCPUAffinity past CPU 1024: a mask sized for it; the kernel keeps the CPUs it has, refuses a list with none" {
  # A cpu_set_t holds 1024 CPUs; the list's mask is as long as its highest
  # CPU needs (runc 1.6).  CPUs the kernel lacks are its to judge: with
  # CPU 0 among them it runs on CPU 0 ...
  update_config '.process.execCPUAffinity = {"initial": "0,1500,8191"}'
  set_args sh -c 'grep ^Cpus_allowed_list: /proc/self/status'
  run berth run --bundle "$BUNDLE" "$CTR" < /dev/null
  expect_status 0
  expect_eq "$(echo $output | cut -d' ' -f2)" 0 "Cpus_allowed_list"

  # ... with none of them, create fails with the kernel's EINVAL and the
  # CPUs it has.
  update_config '.process.execCPUAffinity = {"initial": "1500"}'
  run --separate-stderr berth run --bundle "$BUNDLE" "$CTR2" < /dev/null
  expect_error "$status" "$stderr" "sched_setaffinity 1500" "execCPUAffinity.initial" \
    "Invalid argument" "online: $(online)"
  assert_no_leftovers "$CTR2"

  # Past what berth takes: refused before anything is made.
  update_config '.process.execCPUAffinity = {"final": "65536"}'
  run --separate-stderr berth run --bundle "$BUNDLE" "$CTR3" < /dev/null
  expect_error "$status" "$stderr" "process.execCPUAffinity.final" "CPU 65536 out of range"
  assert_no_leftovers "$CTR3"
}
