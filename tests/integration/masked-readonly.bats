#!/usr/bin/env bats
# root.readonly, linux.maskedPaths, linux.readonlyPaths.

load helpers

@test "readonly root: writes to / fail, /proc/mounts says ro" {
  run_sh 'touch /x && echo WRITABLE; awk "\$2 == \"/\" { print \$4 }" /proc/mounts'
  expect_status 0
  expect_not_contains "$output" WRITABLE
  expect_contains "$output" "Read-only file system"
  [[ ",${lines[${#lines[@]} - 1]}," == *",ro,"* ]] || fail "options of /: ${lines[*]}"
  [ ! -e "$BUNDLE/rootfs/x" ]
}

@test "writable root: a write lands in the bundle's rootfs" {
  update_config '.root.readonly = false'
  run_sh 'echo inside > /created-inside && echo wrote'
  expect_status 0
  expect_eq "$output" wrote
  expect_eq "$(cat "$BUNDLE/rootfs/created-inside")" inside "file on the host"
}

@test "maskedPaths: the defaults read as empty" {
  # The default masked paths this kernel has, with content on the host.
  checked=""
  for p in /proc/kcore /proc/keys /proc/timer_list /proc/sched_debug; do
    [ -f "$p" ] && [ "$(head -c 1 "$p" | wc -c)" = 1 ] && checked+="$p "
  done
  for p in /sys/firmware /proc/acpi /proc/scsi; do
    [ -d "$p" ] && [ -n "$(ls -A "$p")" ] && checked+="$p "
  done
  [ -n "$checked" ] || skip "no default masked path has content on this host"
  run_sh 'for p in '"$checked"'; do
      if [ -d $p ]; then echo "$p $(ls -A $p | wc -l)"; else echo "$p $(head -c 1 $p | wc -c)"; fi
    done'
  expect_status 0
  for p in $checked; do
    expect_eq "$(printf '%s\n' "${lines[@]}" | awk -v p="$p" '$1 == p { print $2 }')" 0 "size of $p"
  done
}

@test "maskedPaths: a file and a directory of the rootfs" {
  mkdir -p "$BUNDLE/rootfs/opt/secret"
  echo "top secret" > "$BUNDLE/rootfs/opt/secret/file"
  update_config '.linux.maskedPaths += ["/etc/marker", "/opt/secret"]'
  run_sh 'cat /etc/marker | wc -c; ls -A /opt/secret | wc -l; cat /opt/secret/file || echo hidden'
  expect_status 0
  expect_eq "${lines[0]}" 0 "bytes in /etc/marker"
  expect_eq "${lines[1]}" 0 "entries in /opt/secret"
  expect_contains "$output" hidden
  expect_not_contains "$output" "top secret"
}

@test "maskedPaths: the masked directories share one read-only tmpfs (one st_dev)" {
  mkdir -p "$BUNDLE/rootfs/opt/m1" "$BUNDLE/rootfs/opt/m2" "$BUNDLE/rootfs/opt/m3"
  update_config '.root.readonly = false
    | .linux.maskedPaths += ["/opt/m1", "/opt/m2", "/opt/m3", "/etc/marker"]'
  run_sh 'stat -c %d /opt/m1 /opt/m2 /opt/m3 /sys/firmware /opt /;
    stat -c %t:%T /etc/marker; touch /opt/m2/x 2>&1 || echo refused'
  expect_status 0
  # One superblock: the same device number for every masked directory,
  # none shared with the rootfs or /sys.
  expect_eq "${lines[1]}" "${lines[0]}" "st_dev of /opt/m2"
  expect_eq "${lines[2]}" "${lines[0]}" "st_dev of /opt/m3"
  expect_eq "${lines[3]}" "${lines[0]}" "st_dev of /sys/firmware"
  [ "${lines[4]}" != "${lines[0]}" ] || fail "/opt/m1 is not a mount"
  [ "${lines[5]}" != "${lines[0]}" ] || fail "/ shares the tmpfs"
  expect_eq "${lines[6]}" "1:3" "masked file: the null device"
  expect_contains "$output" "Read-only file system"
  expect_contains "$output" refused
}

@test "maskedPaths: a masked file cannot be written or unmasked by a write" {
  update_config '.root.readonly = false | .linux.maskedPaths += ["/etc/marker"]'
  run_sh 'echo overwrite > /etc/marker; cat /etc/marker | wc -c; true'
  expect_status 0
  expect_eq "${lines[${#lines[@]} - 1]}" 0 "bytes in /etc/marker"
  expect_eq "$(cat "$BUNDLE/rootfs/etc/marker")" original "/etc/marker on the host"
}

@test "maskedPaths and readonlyPaths that do not exist are ignored" {
  update_config '.linux.maskedPaths += ["/no/such/file"] | .linux.readonlyPaths += ["/no/such/dir"]'
  run_sh 'echo fine; [ -e /no/such/file ] || echo absent'
  expect_status 0
  expect_eq "$output" "fine
absent"
}

@test "readonlyPaths: a writable mount becomes read-only" {
  mkdir "$TMP/data"
  update_config '.mounts += [{"destination": "/data", "type": "bind", "source": $s, "options": ["rbind", "rw"]}]
    | .linux.readonlyPaths += ["/data"]' --arg s "$TMP/data"
  run_sh 'ls /data > /dev/null && echo readable; touch /data/x && echo WRITABLE; true'
  expect_status 0
  expect_contains "$output" readable
  expect_not_contains "$output" WRITABLE
  expect_contains "$output" "Read-only file system"
  [ ! -e "$TMP/data/x" ]
}

@test "readonlyPaths: the same mount without it is writable (control)" {
  mkdir "$TMP/data"
  update_config '.mounts += [{"destination": "/data", "type": "bind", "source": $s, "options": ["rbind", "rw"]}]' \
    --arg s "$TMP/data"
  run_sh 'touch /data/x && echo writable'
  expect_status 0
  expect_eq "$output" writable
  [ -e "$TMP/data/x" ]
}

@test "readonlyPaths: /proc/sys of the default spec is read-only" {
  update_config '.process.capabilities.bounding += ["CAP_SYS_ADMIN"]
    | .process.capabilities.effective += ["CAP_SYS_ADMIN"]
    | .process.capabilities.permitted += ["CAP_SYS_ADMIN"]'
  run_sh 'awk "\$2 == \"/proc/sys\" { print \$4 }" /proc/mounts
    echo changed > /proc/sys/kernel/hostname && echo WRITABLE; hostname; true'
  expect_status 0
  [[ ",${lines[0]}," == *",ro,"* ]] || fail "/proc/sys options: ${lines[0]}"
  expect_not_contains "$output" WRITABLE
  expect_contains "$output" "Read-only file system"
  expect_eq "${lines[${#lines[@]} - 1]}" bats "hostname"
}

@test "readonlyPaths: /proc/sys without it is writable with CAP_SYS_ADMIN (control)" {
  update_config '.process.capabilities.bounding += ["CAP_SYS_ADMIN"]
    | .process.capabilities.effective += ["CAP_SYS_ADMIN"]
    | .process.capabilities.permitted += ["CAP_SYS_ADMIN"]
    | .linux.readonlyPaths -= ["/proc/sys"]'
  run_sh 'echo changed > /proc/sys/kernel/hostname; hostname'
  expect_status 0
  expect_eq "$output" changed "hostname"
  [ "$(hostname)" != changed ]
}
