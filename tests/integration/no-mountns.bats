#!/usr/bin/env bats
# A config without a mount namespace: the container stays in berth's (the
# host's) mount namespace, chrooted into its root, as with runc; its
# mounts are seen on the host while it runs and `delete` removes them
# (runc leaves them behind).

load helpers

# host_mounts_under DIR: the host's mount points at or below DIR.
host_mounts_under () {
  awk -v d="$1" '$5 == d || index($5, d "/") == 1 { print $5 }' /proc/self/mountinfo
}

no_mount_ns () {
  update_config '.linux.namespaces |= map(select(.type != "mount"))
    | del(.linux.maskedPaths) | del(.linux.readonlyPaths)'
}

@test "no mount namespace: chroot into the root, mounts on the host until delete" {
  no_mount_ns
  echo here > "$BUNDLE/rootfs/only-in-rootfs"
  rootfs=$(realpath "$BUNDLE/rootfs")
  [ -z "$(host_mounts_under "$rootfs")" ] || fail "mounts under the rootfs before: $(host_mounts_under "$rootfs")"
  set_args sh -c 'cat /only-in-rootfs; readlink /proc/self/ns/mnt; exec sleep 1000'
  run_detached "$CTR" || fail "$(cat "$TMP/$CTR.err")"
  pid=$(ctr_pid "$CTR")
  for ((i = 0; i < 100; i++)); do
    [ "$(wc -l < "$TMP/$CTR.out")" -ge 2 ] && break
    sleep 0.05
  done
  expect_eq "$(sed -n 1p "$TMP/$CTR.out")" here "a file of the rootfs at /"
  expect_eq "$(sed -n 2p "$TMP/$CTR.out")" "$(readlink /proc/self/ns/mnt)" "mount namespace"
  expect_eq "$(readlink "/proc/$pid/root")" "$rootfs" "the init's root (the kernel's view)"
  # The container's /proc is a mount the host sees.
  host_mounts_under "$rootfs" | grep -qx "$rootfs/proc" \
    || fail "no $rootfs/proc on the host: $(host_mounts_under "$rootfs")"

  # exec lands in the same root.
  run berth exec "$CTR" cat /only-in-rootfs
  expect_status 0
  expect_eq "$output" here "exec's root"

  berth delete --force "$CTR"
  left=$(host_mounts_under "$rootfs")
  [ -z "$left" ] || fail "mounts left after delete: $left"
}

# with_umask MASK COMMAND...: COMMAND (a shell function too) under MASK.
with_umask () {
  local mask="$1"
  shift
  (umask "$mask" && "$@")
}

@test "no mount namespace: the init gets umask 0022 without process.user.umask (runc 1.6), or the configured one" {
  no_mount_ns
  set_args sh -c umask
  run with_umask 077 berth run --bundle "$BUNDLE" "$CTR"
  expect_status 0
  expect_eq "$output" 0022 "umask without process.user.umask"
  update_config '.process.user.umask = 23'
  run with_umask 077 berth run --bundle "$BUNDLE" "$CTR"
  expect_status 0
  expect_eq "$output" 0027 "process.user.umask 23"
}

@test "no mount namespace: a failed create leaves no mount behind" {
  no_mount_ns
  rootfs=$(realpath "$BUNDLE/rootfs")
  # A mount whose source does not exist fails in the init, after the
  # root bind and /proc were mounted on the host.
  update_config '.mounts += [{"destination": "/zz-missing", "type": "bind", "source": "/nonexistent-berth-source", "options": ["bind"]}]'
  set_args true
  run -1 berth run --bundle "$BUNDLE" "$CTR"
  left=$(host_mounts_under "$rootfs")
  [ -z "$left" ] || fail "mounts left after a failed create: $left"
}

@test "no mount namespace: maskedPaths and readonlyPaths are refused" {
  update_config '.linux.namespaces |= map(select(.type != "mount")) | .linux.maskedPaths = ["/proc/kcore"]'
  set_args true
  run -1 berth run --bundle "$BUNDLE" "$CTR"
  expect_error "$status" "$output" maskedPaths "private mount namespace"
  update_config 'del(.linux.maskedPaths) | .linux.readonlyPaths = ["/proc/sys"]'
  run -1 berth run --bundle "$BUNDLE" "$CTR"
  expect_error "$status" "$output" readonlyPaths "private mount namespace"
}
