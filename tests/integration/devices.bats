#!/usr/bin/env bats
# Default devices, linux.devices, the /dev symlinks.

load helpers

# dev_line PATH: "type major minor" of PATH in the container's output, where
# the script printed `stat -c '%n %F %t %T %a %u %g'` lines.
dev_line () {
  printf '%s\n' "${lines[@]}" | awk -v p="$1" '$1 == p { $1 = ""; sub(/^ /, ""); print }'
}

@test "devices: the default devices exist with the right numbers" {
  run_sh 'stat -c "%n %t:%T %F" /dev/null /dev/zero /dev/full /dev/random /dev/urandom /dev/tty'
  expect_status 0
  expect_eq "$(dev_line /dev/null)" "1:3 character special file" "/dev/null"
  expect_eq "$(dev_line /dev/zero)" "1:5 character special file" "/dev/zero"
  expect_eq "$(dev_line /dev/full)" "1:7 character special file" "/dev/full"
  expect_eq "$(dev_line /dev/random)" "1:8 character special file" "/dev/random"
  expect_eq "$(dev_line /dev/urandom)" "1:9 character special file" "/dev/urandom"
  expect_eq "$(dev_line /dev/tty)" "5:0 character special file" "/dev/tty"
}

@test "devices: in an image's own /dev (setgid, no /dev mount) the nodes are still root's, mode 0666" {
  # Without a /dev mount the nodes go into the image's directory, whose
  # setgid bit would give them its group: the owner is set, not assumed.
  update_config 'del(.mounts[] | select(.destination == "/dev" or (.destination | startswith("/dev/"))))'
  mkdir -p "$BUNDLE/rootfs/dev"
  chown 0:5 "$BUNDLE/rootfs/dev"
  chmod 2755 "$BUNDLE/rootfs/dev"
  run_sh 'stat -c "%u:%g %a" /dev/null /dev/zero'
  expect_status 0
  expect_eq "${lines[0]}" "0:0 666" "/dev/null"
  expect_eq "${lines[1]}" "0:0 666" "/dev/zero"
}

@test "devices: on the /dev tmpfs the default nodes are root's, mode 0666, whatever the caller's umask" {
  # Made with umask 0 and taken as made (no chown, no chmod): the kernel
  # must show exactly the owner and mode asked for.
  umask 077
  run_sh 'stat -c "%n %u:%g %a" /dev/null /dev/zero /dev/full /dev/random /dev/urandom /dev/tty'
  umask 022
  expect_status 0
  for d in null zero full random urandom tty; do
    expect_eq "$(dev_line /dev/$d)" "0:0 666" "/dev/$d"
  done
}

@test "devices: in an image's own /dev with a default ACL the nodes are still mode 0666" {
  # A default ACL replaces the umask for what is made in the directory:
  # u::rwx,g::r-x,o::--- would make the nodes 0640.
  command -v python3 > /dev/null || skip "no python3 to set the ACL"
  update_config 'del(.mounts[] | select(.destination == "/dev" or (.destination | startswith("/dev/"))))'
  mkdir -p "$BUNDLE/rootfs/dev"
  python3 -c 'import os, struct, sys
acl = struct.pack("<I", 2) + b"".join(struct.pack("<HHI", t, p, 0xffffffff)
    for t, p in ((1, 7), (4, 5), (0x20, 0)))
try:
    os.setxattr(sys.argv[1], "system.posix_acl_default", acl)
except OSError:
    sys.exit(3)' "$BUNDLE/rootfs/dev" || skip "no ACL on the bundle's filesystem"
  run_sh 'stat -c "%u:%g %a" /dev/null /dev/tty'
  expect_status 0
  expect_eq "${lines[0]}" "0:0 666" "/dev/null"
  expect_eq "${lines[1]}" "0:0 666" "/dev/tty"
}

@test "devices: the default devices work" {
  run_sh 'echo discarded > /dev/null && echo null-ok
    head -c 4 /dev/zero | od -An -tx1
    echo x > /dev/full || echo full-refused
    [ "$(head -c 16 /dev/urandom | wc -c)" = 16 ] && echo urandom-ok'
  expect_status 0
  expect_eq "${lines[0]}" null-ok
  expect_eq "$(echo ${lines[1]})" "00 00 00 00" "/dev/zero"
  expect_contains "$output" "No space left on device"
  expect_contains "$output" full-refused
  expect_contains "$output" urandom-ok
}

@test "devices: /dev/ptmx and the /dev symlinks" {
  run_sh 'for l in fd stdin stdout stderr; do readlink /dev/$l; done
    if [ -L /dev/ptmx ]; then readlink /dev/ptmx; else stat -c "%t:%T" /dev/ptmx; fi
    ls /dev/fd/ | sort -n | head -3 | tr "\n" " "'
  expect_status 0
  expect_eq "${lines[0]}" /proc/self/fd "/dev/fd"
  expect_eq "${lines[1]}" /proc/self/fd/0 "/dev/stdin"
  expect_eq "${lines[2]}" /proc/self/fd/1 "/dev/stdout"
  expect_eq "${lines[3]}" /proc/self/fd/2 "/dev/stderr"
  [[ "${lines[4]}" == pts/ptmx || "${lines[4]}" == /dev/pts/ptmx || "${lines[4]}" == 5:2 ]] \
    || fail "/dev/ptmx: ${lines[4]}"
  expect_eq "${lines[5]}" "0 1 2 " "/dev/fd works"
}

@test "devices: /dev is a fresh tmpfs with only the runtime's devices" {
  run_sh 'stat -c %a /dev; ls /dev | sort | tr "\n" " "'
  expect_status 0
  expect_eq "${lines[0]}" 755 "mode of /dev"
  # None of the host's devices leaked in.
  expect_not_contains "${lines[1]}" "vda" "/dev"
  expect_not_contains "${lines[1]}" "kmsg" "/dev"
  expect_contains "${lines[1]}" "null" "/dev"
}

@test "devices: linux.devices: char device with mode and owner" {
  # The process runs as the device's owner (uid 1), so the kernel lets it
  # write; the default root without CAP_DAC_OVERRIDE could not.
  update_config '.linux.devices = [{"path": "/dev/mydev", "type": "c", "major": 1, "minor": 3,
    "fileMode": 432, "uid": 1, "gid": 2}] | .process.user = {"uid": 1, "gid": 1}'
  run_sh 'stat -c "%n %F %t:%T %a %u:%g" /dev/mydev; echo hello > /dev/mydev && echo wrote'
  expect_status 0
  expect_eq "$(dev_line /dev/mydev)" "character special file 1:3 660 1:2" "/dev/mydev"
  expect_eq "${lines[1]}" wrote "writing to it"
}

@test "devices: linux.devices: block device, fifo, and a device in a new directory" {
  update_config '.linux.devices = [
    {"path": "/dev/myblk", "type": "b", "major": 7, "minor": 200, "fileMode": 384},
    {"path": "/dev/myfifo", "type": "p"},
    {"path": "/dev/sub/dir/zero", "type": "c", "major": 1, "minor": 5}]'
  run_sh 'stat -c "%n %F %t:%T %a" /dev/myblk; stat -c "%n %F" /dev/myfifo;
    stat -c "%n %F %t:%T" /dev/sub/dir/zero; head -c 2 /dev/sub/dir/zero | od -An -tx1'
  expect_status 0
  expect_eq "$(dev_line /dev/myblk)" "block special file 7:c8 600" "/dev/myblk"
  expect_eq "$(dev_line /dev/myfifo)" "fifo" "/dev/myfifo"
  expect_eq "$(dev_line /dev/sub/dir/zero)" "character special file 1:5" "/dev/sub/dir/zero"
  expect_eq "$(echo ${lines[3]})" "00 00" "reading /dev/sub/dir/zero"
}

@test "devices: devices in a user namespace" {
  requires userns
  d="$BUNDLE"
  while [ "$d" != / ]; do chmod o+x "$d"; d=$(dirname "$d"); done
  update_config '.linux.namespaces += [{"type": "user"}]
    | .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
    | .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]'
  run_sh 'stat -c "%n %t:%T %F" /dev/null /dev/zero; echo x > /dev/null && echo null-ok'
  expect_status 0
  expect_eq "$(dev_line /dev/null)" "1:3 character special file" "/dev/null"
  expect_eq "$(dev_line /dev/zero)" "1:5 character special file" "/dev/zero"
  expect_contains "$output" null-ok
}
