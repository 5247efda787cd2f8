#!/usr/bin/env bats
# --systemd-cgroup and block I/O limits, in the guest with systemd as PID 1.
# systemd takes IOReadBandwidthMax= and the others by device path
# (berth passes /dev/block/MAJ:MIN, as runc); the guest has no udev, so the
# test makes that link to its loop device itself, as udev would.  The
# proof that systemd resolved the path: its property alone puts the limit
# back into the kernel's io.max after the file was cleared and systemd
# reloaded; then the limit holds a read down to its rate.

load ../integration/helpers

setup () {
  [ -d /run/systemd/system ] || skip "systemd is not this host's init (run in BERTH_VM_INIT=systemd contrib/vm/run)"
  common_setup
  [ -e /dev/loop-control ] || modprobe loop 2> /dev/null || skip "no loop devices"
  truncate -s 16M "$TMP/disk.img"
  LOOP=$(losetup --show -f "$TMP/disk.img") || fail "losetup failed"
  LOOP_MAJOR=$((16#$(stat -c %t "$LOOP")))
  LOOP_MINOR=$((16#$(stat -c %T "$LOOP")))
  DEVLINK="/dev/block/$LOOP_MAJOR:$LOOP_MINOR"
  LINK_MADE=""
  if [ ! -e "$DEVLINK" ]; then
    mkdir -p /dev/block
    ln -s "$LOOP" "$DEVLINK"
    LINK_MADE=1
  fi
  update_config '.linux.devices += [{"path": "/dev/bd", "type": "b", "major": $ma, "minor": $mi}]
      | .linux.resources.devices += [{"allow": true, "type": "b", "major": $ma, "minor": $mi, "access": "rw"}]' \
    --argjson ma "$LOOP_MAJOR" --argjson mi "$LOOP_MINOR"
}

teardown () {
  local st=0
  common_teardown || st=1
  [ -z "${LINK_MADE:-}" ] || rm -f "$DEVLINK"
  [ -z "${LOOP:-}" ] || losetup -d "$LOOP" || st=1
  if [ "$(systemctl show -P LoadState "berth-$CTR.scope")" = loaded ]; then
    echo "unit berth-$CTR.scope left" >&2
    timeout 30 systemctl stop "berth-$CTR.scope" 2> /dev/null
    st=1
  fi
  return "$st"
}

MiB=1048576

@test "systemd io: IOReadBandwidthMax and IOWriteIOPSMax by device path are the kernel's io.max" {
  local unit="berth-$CTR.scope" dev="$LOOP_MAJOR:$LOOP_MINOR" cg line
  update_config '.linux.resources.blockIO = {"throttleReadBpsDevice": [{"major": $ma, "minor": $mi, "rate": $r}], "throttleWriteIOPSDevice": [{"major": $ma, "minor": $mi, "rate": 50}]}' \
    --argjson ma "$LOOP_MAJOR" --argjson mi "$LOOP_MINOR" --argjson r $((2 * MiB))
  set_args sleep 1000
  berth --systemd-cgroup run -d --bundle "$BUNDLE" "$CTR" < /dev/null > "$TMP/out" 2>&1 \
    || { cat "$TMP/out" >&2; false; }
  cg="/sys/fs/cgroup/system.slice/$unit"
  expect_eq "$(systemctl show -P IOReadBandwidthMax "$unit")" "/dev/block/$dev $((2 * MiB))" "IOReadBandwidthMax"
  expect_eq "$(systemctl show -P IOWriteIOPSMax "$unit")" "/dev/block/$dev 50" "IOWriteIOPSMax"
  line=$(grep "^$dev " "$cg/io.max")
  expect_eq "$line" "$dev rbps=$((2 * MiB)) wbps=max riops=max wiops=50" "io.max"
  # Cleared in the kernel, put back by systemd alone from its properties.
  echo "$dev rbps=max wiops=max" > "$cg/io.max"
  run grep "^$dev " "$cg/io.max"
  expect_eq "$output" "" "io.max after clearing it"
  systemctl daemon-reload
  line=$(grep "^$dev " "$cg/io.max")
  expect_eq "$line" "$dev rbps=$((2 * MiB)) wbps=max riops=max wiops=50" "io.max after daemon-reload"
  # And it holds: 4 MiB of O_DIRECT reads at 2 MiB/s take about 2 s.
  run berth exec "$CTR" sh -c 'read t0 x < /proc/uptime; dd if=/dev/bd of=/dev/null bs=64k count=64 iflag=direct 2> /dev/null || exit 9; read t1 x < /proc/uptime; echo "$t0 $t1"'
  expect_status 0
  local ms
  ms=$(awk '{ printf "%d", ($2 - $1) * 1000 }' <<< "$output")
  [ "$ms" -ge 1700 ] && [ "$ms" -le 3000 ] || fail "4 MiB read took $ms ms, expected about 2000"
  berth delete --force "$CTR"
}
