#!/usr/bin/env bats
# --overlay and the run.oci.berth.overlay annotation: the bundle's rootfs
# stays untouched, writes go to an upper dir in the state dir.

load helpers

setup () {
  common_setup
  requires overlay
  update_config '.root.readonly = false'
}

WRITE_SCRIPT='echo new > /newfile; echo changed > /etc/marker; rm /bin/true;
  cat /newfile /etc/marker; [ -e /bin/true ] || echo removed'

# The bundle's rootfs exactly as the template made it.
assert_rootfs_untouched () {
  [ ! -e "$BUNDLE/rootfs/newfile" ] || fail "newfile reached the bundle"
  expect_eq "$(cat "$BUNDLE/rootfs/etc/marker")" original "/etc/marker in the bundle"
  [ -L "$BUNDLE/rootfs/bin/true" ] || fail "/bin/true was removed from the bundle"
}

@test "overlay: without it, writes reach the bundle (control)" {
  run_sh "$WRITE_SCRIPT"
  expect_status 0
  expect_eq "$(cat "$BUNDLE/rootfs/newfile")" new "newfile in the bundle"
}

@test "overlay: --overlay on run keeps the bundle's rootfs untouched" {
  run_sh "$WRITE_SCRIPT" --overlay
  expect_status 0
  expect_eq "$output" "new
changed
removed"
  assert_rootfs_untouched
  assert_no_leftovers "$CTR"
}

@test "overlay: the annotation does the same" {
  update_config '.annotations["run.oci.berth.overlay"] = "true"'
  run_sh "$WRITE_SCRIPT"
  expect_status 0
  expect_eq "$output" "new
changed
removed"
  assert_rootfs_untouched
  assert_no_leftovers "$CTR"
}

@test "overlay: the annotation set to false means no overlay" {
  update_config '.annotations["run.oci.berth.overlay"] = "false"'
  run_sh 'echo new > /newfile'
  expect_status 0
  expect_eq "$(cat "$BUNDLE/rootfs/newfile")" new "newfile in the bundle"
}

@test "overlay: create --overlay, the upper dir lives until delete" {
  set_args sh -c 'echo data > /written; echo ready; exec sleep 1000'
  create_ctr --overlay "$CTR"
  berth start "$CTR"
  wait_for_file "$TMP/$CTR.out" ready
  [ ! -e "$BUNDLE/rootfs/written" ]
  # The write is somewhere in the state dir.
  found=$(grep -rlx data "$BERTH_ROOT/$CTR" 2> /dev/null | head -1)
  [ -n "$found" ] || fail "no upper dir with the written file in $BERTH_ROOT/$CTR"
  berth delete --force "$CTR"
  assert_no_leftovers "$CTR"
  assert_rootfs_untouched
}

@test "overlay: a container from a read-only bundle" {
  set_args sh -c "$WRITE_SCRIPT"
  mount --bind "$BUNDLE" "$BUNDLE"
  host_mount_added "$BUNDLE"
  mount -o remount,bind,ro "$BUNDLE"
  if touch "$BUNDLE/rootfs/x" 2> /dev/null; then fail "the bundle is writable"; fi
  run berth run --overlay --bundle "$BUNDLE" "$CTR" < /dev/null
  expect_status 0
  expect_eq "$output" "new
changed
removed"
  umount "$BUNDLE"
  assert_rootfs_untouched
}

@test "overlay: two containers from one read-only bundle, each with its own writes" {
  # Each writes a random id to the same path, then reads it back after the
  # other one wrote: with separate upper dirs each reads its own.
  set_args sh -c 'cat /proc/sys/kernel/random/uuid > /id; echo "wrote $(cat /id)"
    sleep 1; echo "read $(cat /id)"; exec sleep 1000'
  mount --bind "$BUNDLE" "$BUNDLE"
  host_mount_added "$BUNDLE"
  mount -o remount,bind,ro "$BUNDLE"
  run_detached --overlay "$CTR2"
  run_detached --overlay "$CTR3"
  for id in "$CTR2" "$CTR3"; do
    expect_eq "$(ctr_state "$id" status)" running "$id"
    wait_for_file "$TMP/$id.out" "read "
    wrote=$(awk '$1 == "wrote" { print $2 }' "$TMP/$id.out")
    read=$(awk '$1 == "read" { print $2 }' "$TMP/$id.out")
    [ -n "$wrote" ]
    expect_eq "$read" "$wrote" "$id: /id read back"
  done
  [ "$(awk '$1 == "wrote"' "$TMP/$CTR2.out")" != "$(awk '$1 == "wrote"' "$TMP/$CTR3.out")" ]
  berth delete --force "$CTR2"
  berth delete --force "$CTR3"
  umount "$BUNDLE"
  assert_rootfs_untouched
  [ ! -e "$BUNDLE/rootfs/id" ]
  assert_no_leftovers "$CTR2"
  assert_no_leftovers "$CTR3"
}
