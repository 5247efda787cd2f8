#!/usr/bin/env bats
# mounts: bind (ro/rw/recursive/file), tmpfs options, flags, order,
# paths that try to leave the rootfs, the default filesystems.

load helpers

setup () {
  common_setup
  mkdir -p "$TMP/src"
  echo "host content" > "$TMP/src/file"
}

# add_mount DESTINATION TYPE SOURCE OPTION...
add_mount () {
  local dst="$1" type="$2" src="$3"
  shift 3
  update_config '.mounts += [{"destination": $d, "type": $t, "source": $s, "options": $o}]' \
    --arg d "$dst" --arg t "$type" --arg s "$src" --argjson o "$(json_array "$@")"
}

# mount_line PATH: the /proc/mounts line inside the container's output.
mount_line () {
  printf '%s\n' "${lines[@]}" | awk -v p="$1" '$2 == p'
}

@test "mounts: a bind mount shows the host directory" {
  add_mount /mnt/src bind "$TMP/src" rbind
  run_sh 'cat /mnt/src/file'
  expect_status 0
  expect_eq "$output" "host content"
}

@test "mounts: a rw bind mount writes through to the host" {
  add_mount /mnt/src bind "$TMP/src" rbind rw
  run_sh 'echo "from inside" > /mnt/src/new'
  expect_status 0
  expect_eq "$(cat "$TMP/src/new")" "from inside" "file on the host"
}

@test "mounts: a ro bind mount cannot be written, and nosuid/nodev/noexec apply" {
  add_mount /mnt/src bind "$TMP/src" rbind ro nosuid nodev noexec
  run_sh 'cat /mnt/src/file; touch /mnt/src/new && echo WRITABLE; grep " /mnt/src " /proc/mounts'
  expect_status 0
  expect_eq "${lines[0]}" "host content" "read"
  expect_not_contains "$output" WRITABLE
  expect_contains "$output" "Read-only file system"
  [ ! -e "$TMP/src/new" ]
  opts=$(mount_line /mnt/src | awk '{ print $4 }')
  for o in ro nosuid nodev noexec; do
    [[ ",$opts," == *",$o,"* ]] || fail "/mnt/src options: $opts (no $o)"
  done
}

@test "mounts: a bind mount without a type (options only)" {
  update_config '.mounts += [{"destination": "/mnt/src", "source": $s, "options": ["rbind", "ro"]}]' \
    --arg s "$TMP/src"
  run_sh 'cat /mnt/src/file'
  expect_status 0
  expect_eq "$output" "host content"
}

@test "mounts: a relative bind source is relative to the bundle" {
  mkdir "$BUNDLE/data"
  echo "bundle data" > "$BUNDLE/data/f"
  add_mount /mnt/data bind data rbind ro
  run_sh 'cat /mnt/data/f'
  expect_status 0
  expect_eq "$output" "bundle data"
}

@test "mounts: a file bind-mounted onto a path that does not exist yet" {
  add_mount /etc/extra/hostfile bind "$TMP/src/file" bind ro
  run_sh 'cat /etc/extra/hostfile; [ -f /etc/extra/hostfile ] && echo is-a-file'
  expect_status 0
  expect_eq "$output" "host content
is-a-file"
}

@test "mounts: rbind includes submounts, bind does not" {
  mkdir "$TMP/src/sub"
  mount -t tmpfs -o size=1m tmpfs "$TMP/src/sub"
  host_mount_added "$TMP/src/sub"
  echo inner > "$TMP/src/sub/inner"
  add_mount /mnt/r bind "$TMP/src" rbind
  add_mount /mnt/b bind "$TMP/src" bind
  run_sh 'cat /mnt/r/sub/inner; ls -A /mnt/b/sub | wc -l'
  expect_status 0
  expect_eq "${lines[0]}" inner "rbind submount"
  expect_eq "${lines[1]}" 0 "entries of the bind's sub directory"
}

@test "mounts: tmpfs with size and mode; the size limit holds" {
  add_mount /scratch tmpfs tmpfs size=1m mode=1770 nosuid
  run_sh 'grep " /scratch " /proc/mounts; stat -c %a /scratch;
    dd if=/dev/zero of=/scratch/big bs=1k count=2048 2>&1 && echo FITS; true'
  expect_status 0
  line=$(mount_line /scratch)
  expect_contains "$line" "tmpfs /scratch tmpfs" "mount line"
  expect_contains "$line" "size=1024k" "mount line"
  expect_contains "$line" "mode=1770" "mount line"
  expect_contains "$line" "nosuid" "mount line"
  expect_eq "${lines[1]}" 1770 "mode of /scratch"
  expect_not_contains "$output" FITS
  expect_contains "$output" "No space left on device"
}

@test "mounts: noexec forbids running a program, exec allows it" {
  add_mount /noexec tmpfs tmpfs noexec size=4m
  add_mount /exec tmpfs tmpfs exec size=4m
  run_sh 'cp /bin/busybox /noexec/busybox; cp /bin/busybox /exec/busybox
    /exec/busybox echo exec-ok
    /noexec/busybox echo noexec-ran || echo noexec-refused'
  expect_status 0
  expect_eq "${lines[0]}" exec-ok
  expect_contains "$output" noexec-refused
  expect_not_contains "$output" noexec-ran
}

@test "mounts: later mounts go on top of earlier ones" {
  add_mount /mnt/a tmpfs tmpfs size=1m
  add_mount /mnt/a/b bind "$TMP/src" rbind ro
  run_sh 'cat /mnt/a/b/file; touch /mnt/a/writable && echo tmpfs-rw'
  expect_status 0
  expect_eq "$output" "host content
tmpfs-rw"
}

@test "mounts: a destination through a symlink stays inside the rootfs" {
  mkdir "$TMP/escape"
  # An absolute link: resolved on the host it would reach $TMP/escape.
  ln -s "$TMP/escape" "$BUNDLE/rootfs/mnt/link"
  add_mount /mnt/link/x tmpfs tmpfs size=1m
  run_sh 'awk "\$3 == \"tmpfs\" { print \$2 }" /proc/mounts'
  expect_status 0
  [ ! -e "$TMP/escape/x" ] || fail "the runtime followed the link on the host"
  # Inside, the link resolves within the rootfs and the tmpfs is there.
  expect_contains "$output" "$TMP/escape/x" "tmpfs mounts inside"
}

@test "mounts: a target next to one just made, that is a symlink, is still followed inside the rootfs" {
  # /mnt/new is made in /mnt, which is then held for its siblings: a
  # sibling that is a symlink must be resolved in the root as before.
  mkdir "$TMP/escape" "$BUNDLE/rootfs/elsewhere"
  ln -s /elsewhere "$BUNDLE/rootfs/mnt/inside"
  ln -s "$TMP/escape" "$BUNDLE/rootfs/mnt/outside"
  add_mount /mnt/new tmpfs tmpfs size=1m
  add_mount /mnt/inside tmpfs tmpfs size=1m
  add_mount /mnt/outside tmpfs tmpfs size=1m
  run_sh 'awk "\$3 == \"tmpfs\" { print \$2 }" /proc/mounts'
  expect_status 0
  [ -z "$(ls -A "$TMP/escape")" ] || fail "the runtime wrote into $TMP/escape on the host"
  expect_contains "$output" "/mnt/new" "the first target"
  expect_contains "$output" "/elsewhere" "the link inside the rootfs"
  expect_contains "$output" "$TMP/escape" "the absolute link, resolved in the root"
  expect_not_contains "$output" "/mnt/inside" "the link itself"
}

@test "mounts: after a mount over the targets' parent (by its name or through a link) the next targets go into the new mount" {
  ln -s /mnt "$BUNDLE/rootfs/alias"
  add_mount /mnt/a tmpfs tmpfs size=1m
  add_mount /mnt tmpfs tmpfs size=1m
  add_mount /mnt/b tmpfs tmpfs size=1m
  add_mount /alias tmpfs tmpfs size=1m
  add_mount /mnt/c tmpfs tmpfs size=1m
  run_sh 'ls /mnt; awk "\$3 == \"tmpfs\" && \$2 ~ /^\/mnt/ { print \$2 }" /proc/mounts | sort | tr "\n" " "'
  expect_status 0
  expect_eq "${lines[0]}" c "what /mnt shows"
  expect_eq "${lines[1]}" "/mnt /mnt /mnt/a /mnt/b /mnt/c " "the tmpfs mounts under /mnt"
}

@test "mounts: a destination with .. stays inside the rootfs" {
  add_mount "/../../../../../../..$TMP/dotdot" tmpfs tmpfs size=1m
  run_sh 'awk "\$3 == \"tmpfs\" { print \$2 }" /proc/mounts'
  expect_status 0
  [ ! -e "$TMP/dotdot" ] || fail "the runtime created $TMP/dotdot on the host"
  expect_contains "$output" "$TMP/dotdot" "tmpfs mounts inside"
}

@test "mounts: the default filesystems: proc, tmpfs /dev, devpts, shm, mqueue, sysfs ro" {
  run_sh 'cat /proc/mounts'
  expect_status 0
  expect_contains "$(mount_line /proc)" "proc /proc proc" "/proc"
  expect_contains "$(mount_line /dev)" "tmpfs /dev tmpfs" "/dev"
  expect_contains "$(mount_line /dev/pts)" "devpts /dev/pts devpts" "/dev/pts"
  expect_contains "$(mount_line /dev/pts)" "ptmxmode=666" "/dev/pts"
  expect_contains "$(mount_line /dev/shm)" "/dev/shm tmpfs" "/dev/shm"
  expect_contains "$(mount_line /dev/mqueue)" "/dev/mqueue mqueue" "/dev/mqueue"
  sys=$(mount_line /sys)
  expect_contains "$sys" "/sys sysfs ro," "/sys"
}

@test "mounts: a read-only /dev tmpfs is populated first, then read-only" {
  update_config '(.mounts[] | select(.destination == "/dev") | .options) += ["ro"]'
  run_sh 'echo x > /dev/null && echo null-ok; ls /dev/pts/ptmx > /dev/null && echo pts-ok
    touch /dev/new 2>&1; mkdir /dev/dir 2>&1; echo > /dev/shm/f && echo shm-rw
    grep " /dev tmpfs " /proc/self/mounts'
  expect_status 0
  expect_contains "$output" null-ok
  expect_contains "$output" pts-ok
  expect_contains "$output" "Read-only file system"
  # Only /dev itself: the mounts under it keep their own flags.
  expect_contains "$output" shm-rw
  expect_contains "$(printf '%s\n' "${lines[@]}" | grep ' /dev tmpfs ')" " ro," "/dev's flags"
}

@test "mounts: the cgroup filesystem of runc's default spec, read-only" {
  add_mount /sys/fs/cgroup cgroup cgroup nosuid noexec nodev relatime ro
  run_sh 'grep " /sys/fs/cgroup" /proc/mounts; ls /sys/fs/cgroup | wc -l; mkdir /sys/fs/cgroup/x && echo WRITABLE'
  [ -n "$(printf '%s\n' "${lines[@]}" | awk '$2 ~ "^/sys/fs/cgroup"')" ] \
    || fail "nothing mounted at /sys/fs/cgroup: $output"
  expect_not_contains "$output" WRITABLE
  n=$(printf '%s\n' "${lines[@]}" | grep -E '^[0-9]+$' | head -1)
  [ "$n" -gt 0 ] || fail "/sys/fs/cgroup is empty"
}

@test "mounts: container mounts do not appear on the host" {
  add_mount /mnt/t tmpfs tmpfs size=1m
  set_args sleep 1000
  run_detached "$CTR"
  pid=$(ctr_pid "$CTR")
  # The kernel's view: the container's mount table has the tmpfs ...
  mid=$(awk '{ for (i = 7; $i != "-"; i++); if ($5 == "/mnt/t" && $(i + 1) == "tmpfs") print $1 }' \
    "/proc/$pid/mountinfo")
  [ -n "$mid" ] || fail "no tmpfs at /mnt/t inside: $(cat "/proc/$pid/mountinfo")"
  # ... and the host's has neither that mount (ids are unique across
  # namespaces) nor a copy of it where the rootfs is on the host.
  awk -v id="$mid" '$1 == id { found = 1 } END { exit found }' /proc/self/mountinfo \
    || fail "the host's mount table has mount $mid"
  rootfs=$(realpath "$BUNDLE/rootfs")
  copies=$(awk -v p="$rootfs/mnt/t" '$5 == p' /proc/self/mountinfo)
  [ -z "$copies" ] || fail "the host sees $rootfs/mnt/t: $copies"
  [ -z "$(mounts_under "$BUNDLE")" ] || fail "host sees: $(mounts_under "$BUNDLE")"
}
