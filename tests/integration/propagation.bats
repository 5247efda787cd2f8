#!/usr/bin/env bats
# linux.rootfsPropagation and the propagation of volumes, as the kernel
# sees it (/proc/PID/mountinfo), with the rootfs as its own overlay mount
# the way containerd's snapshotter and podman's storage hand it to the
# runtime.  Kubernetes' mountPropagation: Bidirectional is rootfsPropagation
# rshared and a volume with "rshared"; HostToContainer is "rslave".

load helpers

setup () {
  common_setup
  requires root overlay
  # A host directory that is a shared mount: the volume's source.
  SHARED="$TMP/shared"
  mkdir -p "$SHARED"
  mount --bind "$SHARED" "$SHARED"
  host_mount_added "$SHARED"
  mount --make-shared "$SHARED"
}

# overlay_rootfs: the bundle's rootfs becomes an overlay mount over a copy
# of itself, a shared one (as on a systemd host, where every mount is).
overlay_rootfs () {
  mv "$BUNDLE/rootfs" "$TMP/lower"
  mkdir "$BUNDLE/rootfs" "$TMP/upper" "$TMP/work"
  mount -t overlay overlay \
    -o "lowerdir=$TMP/lower,upperdir=$TMP/upper,workdir=$TMP/work" "$BUNDLE/rootfs"
  host_mount_added "$BUNDLE/rootfs"
  mount --make-shared "$BUNDLE/rootfs"
}

# start_with PROPAGATION: a container with rootfsPropagation PROPAGATION,
# $SHARED at /vol with the same propagation, and CAP_SYS_ADMIN to mount.
start_with () {
  update_config '.linux.rootfsPropagation = $p
    | .mounts += [{"destination": "/vol", "type": "bind", "source": $s, "options": ["rbind", $p]}]
    | .process.capabilities.bounding += ["CAP_SYS_ADMIN"]
    | .process.capabilities.effective += ["CAP_SYS_ADMIN"]
    | .process.capabilities.permitted += ["CAP_SYS_ADMIN"]' \
    --arg p "$1" --arg s "$SHARED"
  set_args sleep 1000
  run_detached "$CTR" || fail "$1: $(cat "$TMP/$CTR.err")"
  PID=$(ctr_pid "$CTR")
}

# optional_fields PID PATH: the propagation fields of the mount at PATH in
# PID's mount table ("shared:N", "master:N", or nothing).
optional_fields () {
  awk -v p="$2" '$5 == p { s = ""; for (i = 7; $i != "-"; i++) s = s " " $i; m = s }
    END { print m }' "/proc/$1/mountinfo"
}

# mount_on_host / mount_in_container: a tmpfs under the shared volume,
# made on one side and checked there, so that "not seen on the other side"
# can only mean the propagation (these run outside any `!`, where a
# failure would not stop the test).
mount_on_host () {
  mkdir -p "$SHARED/fromhost"
  mount -t tmpfs -o size=1m fromhost "$SHARED/fromhost" || fail "mount on the host failed"
  host_mount_added "$SHARED/fromhost"
  seen_in /proc/self/mountinfo "$SHARED/fromhost" || fail "the host's mount is not in its own table"
}

mount_in_container () {
  berth exec "$CTR" sh -c 'mkdir -p /vol/fromctr && mount -t tmpfs -o size=1m fromctr /vol/fromctr' \
    || fail "mount in the container failed"
  host_mount_added "$SHARED/fromctr"
  seen_in "/proc/$PID/mountinfo" /vol/fromctr || fail "the container's mount is not in its own table"
}

# seen_in MOUNTINFO PATH: PATH is a mount point in that table.
seen_in () {
  awk -v p="$2" '$5 == p { found = 1 } END { exit !found }' "$1"
}

# host_to_container, container_to_host: the mount made on one side is in
# the other side's table.
host_to_container () {
  seen_in "/proc/$PID/mountinfo" /vol/fromhost
}

container_to_host () {
  seen_in /proc/self/mountinfo "$SHARED/fromctr"
}

# The container's own mounts (/proc, /dev, ...) never reach the host's
# rootfs mount, whatever the propagation.
assert_rootfs_mount_alone () {
  local rootfs m
  rootfs=$(realpath "$BUNDLE/rootfs")
  m=$(awk -v d="$rootfs" 'index($5, d "/") == 1 { print $5 }' /proc/self/mountinfo)
  [ -z "$m" ] || fail "container mounts reached the host under $rootfs: $m"
}

@test "propagation: rshared with an overlay rootfs mount (Bidirectional): both ways, / shared" {
  overlay_rootfs
  start_with rshared
  expect_contains "$(optional_fields "$PID" /)" "shared:" "the root's propagation"
  mount_on_host
  host_to_container || fail "a host mount under the volume did not reach the container"
  mount_in_container
  container_to_host || fail "a container mount under the volume did not reach the host"
  assert_rootfs_mount_alone
}

@test "propagation: rshared with a plain directory rootfs" {
  start_with rshared
  expect_contains "$(optional_fields "$PID" /)" "shared:" "the root's propagation"
  mount_on_host
  host_to_container || fail "a host mount under the volume did not reach the container"
  mount_in_container
  container_to_host || fail "a container mount under the volume did not reach the host"
}

@test "propagation: shared (not recursive) with an overlay rootfs mount" {
  overlay_rootfs
  start_with shared
  expect_contains "$(optional_fields "$PID" /)" "shared:" "the root's propagation"
  assert_rootfs_mount_alone
}

@test "propagation: rslave with an overlay rootfs mount (HostToContainer): host to container only" {
  overlay_rootfs
  start_with rslave
  f=$(optional_fields "$PID" /)
  expect_contains "$f" "master:" "the root's propagation"
  expect_not_contains "$f" "shared:" "the root's propagation"
  mount_on_host
  host_to_container || fail "a host mount under the volume did not reach the container"
  mount_in_container
  ! container_to_host || fail "a container mount reached the host through rslave"
  assert_rootfs_mount_alone
}

@test "propagation: rprivate with an overlay rootfs mount: neither way" {
  overlay_rootfs
  start_with rprivate
  f=$(optional_fields "$PID" /)
  expect_not_contains "$f" "shared:" "the root's propagation"
  expect_not_contains "$f" "master:" "the root's propagation"
  mount_on_host
  ! host_to_container || fail "a host mount reached the container through rprivate"
  mount_in_container
  ! container_to_host || fail "a container mount reached the host through rprivate"
  assert_rootfs_mount_alone
}
