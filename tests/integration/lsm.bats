#!/usr/bin/env bats
# process.apparmorProfile, process.selinuxLabel, linux.mountLabel.  Where a
# module is not enabled berth does what runc 1.1 does (refuses a profile or
# a label it cannot apply, ignores a mount label no mount takes) and says
# so at debug level.  Where it is enabled, the label is checked in
# /proc/self/attr.

load helpers

apparmor_enabled () {
  [ -d /sys/kernel/security/apparmor ] \
    && [ "$(cat /sys/module/apparmor/parameters/enabled 2> /dev/null)" = Y ]
}

selinux_enabled () {
  [ "$(stat -f -c %t /sys/fs/selinux 2> /dev/null)" = f97cff8c ]
}

@test "lsm: process.apparmorProfile without AppArmor is refused, at debug level too" {
  apparmor_enabled && skip "AppArmor is enabled here"
  update_config '.process.apparmorProfile = "berth-test-profile"'
  set_args true
  run berth --debug create --bundle "$BUNDLE" "$CTR" < /dev/null
  expect_error "$status" "$output" "process.apparmorProfile" berth-test-profile "AppArmor is not enabled"
  expect_contains "$output" "debug: AppArmor is not enabled" "the debug line"
  assert_no_leftovers "$CTR"
}

@test "lsm: an empty apparmorProfile or selinuxLabel asks for nothing" {
  update_config '.process.apparmorProfile = "" | .process.selinuxLabel = ""'
  run_sh 'echo ran'
  expect_status 0
  expect_eq "$output" ran
}

@test "lsm: process.selinuxLabel without SELinux is refused" {
  selinux_enabled && skip "SELinux is enabled here"
  update_config '.process.selinuxLabel = "system_u:system_r:container_t:s0:c1,c2"'
  set_args true
  run create_ctr "$CTR"
  expect_error "$status" "$(cat "$TMP/$CTR.err")" "process.selinuxLabel" "SELinux is not enabled"
  assert_no_leftovers "$CTR"
}

@test "lsm: linux.mountLabel without SELinux: refused when a mount takes it, ignored otherwise" {
  selinux_enabled && skip "SELinux is enabled here"
  update_config '.linux.mountLabel = "system_u:object_r:container_file_t:s0:c1,c2"'
  set_args true
  # The /dev tmpfs takes a label (runc passes context= and the kernel
  # refuses it).
  run create_ctr "$CTR"
  expect_error "$status" "$(cat "$TMP/$CTR.err")" "linux.mountLabel" "SELinux is not enabled" "/dev"
  assert_no_leftovers "$CTR"
  # proc, sysfs, mqueue and bind mounts take none: nothing to apply.
  update_config '.mounts |= map(select(.type == "proc" or .type == "sysfs" or .type == "mqueue"))'
  run berth --debug run --bundle "$BUNDLE" "$CTR" < /dev/null
  expect_status 0
  expect_contains "$output" "debug: SELinux is not enabled: linux.mountLabel" "the debug line"
}

@test "lsm: the AppArmor profile is the workload's" {
  apparmor_enabled || skip "AppArmor is not enabled here"
  update_config '.process.apparmorProfile = "unconfined"'
  run_sh 'cat /proc/self/attr/apparmor/current 2> /dev/null || cat /proc/self/attr/current'
  expect_status 0
  expect_contains "$output" unconfined
}

@test "lsm: the SELinux label is the workload's" {
  selinux_enabled || skip "SELinux is not enabled here"
  label=$(cat /proc/self/attr/current | tr -d '\0')
  update_config '.process.selinuxLabel = $l' --arg l "$label"
  run_sh 'cat /proc/self/attr/current'
  expect_status 0
  expect_contains "$output" "$label"
}
