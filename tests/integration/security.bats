#!/usr/bin/env bats
# Regression tests for the escapes that hit runc and crun: each test sets up
# the attack and fails on a runtime that is open to it.  README.md
# "Security" lists them by CVE.

load helpers

# no_dev_tmpfs: the rootfs's own /dev is used (no tmpfs from the config).
no_dev_tmpfs () {
  update_config '.mounts |= map(select(.destination != "/dev" and (.destination | startswith("/dev/") | not)))'
}

# host_stat_id PATH: device and inode, as `stat -L -c %d:%i` prints them
# (the same in every mount namespace).
host_stat_id () {
  stat -L -c %d:%i "$1"
}

@test "CVE-2019-5736: a process sharing the pid namespace cannot get a handle on berth's binary" {
  # Container A, the attacker, waits for a pid in $TMP/shared/pid and then
  # tries what the exploit does: open /proc/<pid>/exe (the runtime's binary
  # while it sets a container up) to write to it once the runtime exits.
  mkdir "$TMP/shared"
  cp -a "$BUNDLE" "$TMP/bundle-a"
  mkdir "$TMP/bundle-a/rootfs/shared"
  jq '.process.args = ["sh", "-c", $s]
    | .mounts += [{"destination": "/shared", "type": "bind", "source": $d, "options": ["rbind", "rw"]}]' \
    --arg d "$TMP/shared" --arg s '
      while [ ! -e /shared/pid ]; do usleep 20000; done
      p=$(cat /shared/pid)
      stat -L -c %d:%i /proc/$p/exe > /shared/exe 2> /shared/exe.err
      readlink /proc/$p/exe > /shared/link 2>&1
      cat /proc/$p/exe > /dev/null 2> /shared/read.err
      touch /shared/done
      exec sleep 1000' \
    "$TMP/bundle-a/config.json" > "$TMP/a.json" && mv "$TMP/a.json" "$TMP/bundle-a/config.json"
  berth run -d --bundle "$TMP/bundle-a" "$CTR2" < /dev/null > "$TMP/a.out" 2>&1
  apid=$(ctr_pid "$CTR2")

  # Container B joins A's pid namespace and waits for `start`: its init,
  # still berth, is visible to A the whole time.
  update_config '.linux.namespaces |= map(if .type == "pid" then .path = $p else . end)' \
    --arg p "/proc/$apid/ns/pid"
  set_args sleep 1000
  create_ctr "$CTR"
  bpid=$(ctr_pid "$CTR")
  inner=$(awk '/^NSpid:/ { print $NF }' "/proc/$bpid/status")
  echo "$inner" > "$TMP/shared/pid"
  wait_for_file "$TMP/shared/done"

  berth_id=$(host_stat_id "$BERTH_BIN")
  expect_eq "$(host_stat_id "/proc/$bpid/exe")" "$berth_id" "the init's exe seen from the host (the setup is what it should be)"
  got=$(cat "$TMP/shared/exe")
  [ "$got" != "$berth_id" ] \
    || fail "the container reached the host's berth binary through /proc/$inner/exe ($got); readlink: $(cat "$TMP/shared/link")"
  [ -s "$TMP/shared/read.err" ] || fail "the container could read /proc/$inner/exe"
  # The host's root may look, but not write while berth runs it.
  run bash -c ": >> /proc/$bpid/exe"
  [ "$status" -ne 0 ] || fail "/proc/$bpid/exe opened for writing"
  expect_contains "$output" "Text file busy"

  # After start the process is the workload, never berth again.
  berth start "$CTR"
  wait_for_status "$CTR" running
  [ "$(host_stat_id "/proc/$bpid/exe")" = "$(host_stat_id "$BUNDLE/rootfs/bin/busybox")" ] \
    || fail "after start /proc/$bpid/exe is $(readlink "/proc/$bpid/exe")"
}

@test "CVE-2024-21626: the workload holds only its stdio, its cwd is in the container" {
  # No host directory (state dir, cgroup, /proc, the bundle) may be open in
  # the workload: it would be a way out through /proc/self/fd/N/..
  set_args sleep 1000
  create_ctr "$CTR"
  pid=$(ctr_pid "$CTR")
  berth start "$CTR"
  wait_for_status "$CTR" running
  # Looked at from the host, so no tool of the container's adds an fd.
  expect_eq "$(ls /proc/$pid/fd | sort -n | tr '\n' ' ')" "0 1 2 " "the workload's fds"
  for fd in 0 1 2; do
    target=$(readlink "/proc/$pid/fd/$fd")
    case "$target" in
      /dev/null | "$TMP/$CTR.out" | "$TMP/$CTR.err") ;;
      *) fail "fd $fd is $target" ;;
    esac
  done
  berth kill "$CTR" KILL
  berth delete --force "$CTR"
  run_sh 'echo "cwd $(readlink /proc/1/cwd)"; ls -a /proc/1/cwd/ | tr "\n" " "'
  expect_status 0
  expect_eq "${lines[0]}" "cwd /" "pid 1's cwd"
  expect_contains "${lines[1]}" "etc" "pid 1's cwd is the container's root"
}

@test "CVE-2024-21626: process.cwd /proc/self/fd/N fails cleanly for every N" {
  echo "host secret" > "$TMP/secret"
  set_args sh -c 'pwd; cat ../../../../../../..'"$TMP/secret"
  for n in $(seq 3 20); do
    update_config '.process.cwd = $c' --arg c "/proc/self/fd/$n"
    run create_ctr "$CTR"
    err=$(cat "$TMP/$CTR.err")
    expect_error "$status" "$err" process.cwd "/proc/self/fd/$n" || fail "cwd /proc/self/fd/$n"
    assert_no_leftovers "$CTR"
    expect_not_contains "$(cat "$TMP/$CTR.out")" "host secret" "fd $n"
  done
}

@test "CVE-2021-30465: swapping a mount destination with a symlink never mounts outside the rootfs" {
  # The destination /race/d/m goes through d, which a racer swaps with a
  # symlink to a host directory all along.  The host directory is a shared
  # mount and the rootfs propagation shared, so a mount that escaped would
  # show on the host; a mkdir that escaped would too.
  race=$(helper_bin swap-race)
  target="$TMP/host-target"
  mkdir "$target"
  mount --bind "$target" "$target"
  host_mount_added "$target"
  mount --make-shared "$target"
  r="$BUNDLE/rootfs/race"
  mkdir -p "$r/d"
  ln -s "../../../../../../../../../../../../..$target" "$r/l"
  update_config '.linux.rootfsPropagation = "shared"
    | .mounts += [{"destination": "/race/d/m", "type": "tmpfs", "source": "tmpfs"},
                  {"destination": "/race/d/b", "type": "bind", "source": $s, "options": ["rbind"]}]' \
    --arg s "$TMP"
  set_args true
  "$race" "$r/d" "$r/l" "$TMP/stop" > "$TMP/swaps" 3>&- &
  racer=$!
  BG_PIDS+=("$racer")
  ok=0
  for ((i = 0; i < 30; i++)); do
    berth run --bundle "$BUNDLE" "$CTR" < /dev/null > "$TMP/run.out" 2>&1 && ok=$((ok + 1))
    berth delete --force "$CTR" > /dev/null 2>&1 || true
  done
  touch "$TMP/stop"
  wait "$racer" || fail "racer failed"
  echo "$(cat "$TMP/swaps") swaps, $ok of 30 containers ran" >&3
  [ -z "$(ls -A "$target")" ] || fail "created on the host: $(ls -A "$target")"
  mounts=$(awk -v t="$target" '$5 == t || index($5, t "/") == 1' /proc/self/mountinfo)
  [ "$(echo "$mounts" | wc -l)" = 1 ] || fail "mounted on the host: $mounts"
}

@test "CVE-2019-16884, CVE-2023-27561: a rootfs whose /proc is a symlink is refused" {
  mkdir -p "$BUNDLE/rootfs/mnt/fakeproc"
  rmdir "$BUNDLE/rootfs/proc"
  for link in /mnt/fakeproc ../../../../../../proc /; do
    ln -sfn "$link" "$BUNDLE/rootfs/proc"
    set_args true
    run create_ctr "$CTR"
    err=$(cat "$TMP/$CTR.err")
    expect_error "$status" "$err" /proc || fail "/proc -> $link"
    [[ "$err" == *symlink* || "$err" == *"symbolic links"* ]] || fail "/proc -> $link: $err"
    assert_no_leftovers "$CTR"
  done
}

@test "CVE-2019-16884: only procfs can be mounted on /proc" {
  set_args true
  # A tmpfs: refused before anything is made.
  update_config '.mounts += [{"destination": "/proc", "type": "tmpfs", "source": "tmpfs"}]'
  run create_ctr "$CTR"
  expect_error "$status" "$(cat "$TMP/$CTR.err")" "/proc" "only a procfs"
  assert_no_leftovers "$CTR"
  # A host directory with fake attr files, bound over the real /proc.
  mkdir -p "$TMP/fakeproc/self/attr"
  echo unconfined > "$TMP/fakeproc/self/attr/exec"
  update_config '.mounts[-1] = {"destination": "/proc", "type": "bind", "source": $s, "options": ["rbind"]}' \
    --arg s "$TMP/fakeproc"
  run create_ctr "$CTR"
  expect_error "$status" "$(cat "$TMP/$CTR.err")" "/proc" "only a procfs"
  assert_no_leftovers "$CTR"
  expect_eq "$(cat "$TMP/fakeproc/self/attr/exec")" unconfined "the fake attr file"
}

@test "CVE-2023-28642, CVE-2025-52881: nothing is mounted over procfs's own files, however the path is spelt" {
  mkdir -p "$TMP/fake-attr"
  set_args true
  update_config '.mounts += [{"destination": "/proc/self/attr", "type": "bind", "source": $s, "options": ["rbind"]}]' \
    --arg s "$TMP/fake-attr"
  run create_ctr "$CTR"
  expect_error "$status" "$(cat "$TMP/$CTR.err")" "/proc/self/attr" "inside /proc"
  assert_no_leftovers "$CTR"
  # Through a symlink of the image the string is not under /proc, the
  # target is.
  ln -s /proc/self "$BUNDLE/rootfs/mnt/self"
  update_config '.mounts[-1].destination = "/mnt/self/attr"'
  run create_ctr "$CTR"
  expect_error "$status" "$(cat "$TMP/$CTR.err")" "/mnt/self/attr" "inside /proc"
  assert_no_leftovers "$CTR"
  # The files lxcfs emulates are the exception (as runc).
  printf 'MemTotal: 42 kB\n' > "$TMP/meminfo"
  update_config '.mounts[-1] = {"destination": "/proc/meminfo", "type": "bind", "source": $s, "options": ["bind", "ro"]}' \
    --arg s "$TMP/meminfo"
  run_sh 'cat /proc/meminfo'
  expect_status 0
  expect_eq "$output" "MemTotal: 42 kB"
}

@test "CVE-2025-52881: sysctls are written through berth's verified procfs, never through a mount over it" {
  requires unshare
  # In a mount namespace of its own, the host's /proc/sys/kernel is hidden
  # by a tmpfs with a fake domainname: a runtime writing by path would
  # write there.
  update_config '.linux.sysctl = {"kernel.domainname": "written.example"}'
  set_args sh -c 'cat /proc/sys/kernel/domainname'
  run unshare -m --propagation private bash -c '
    mount -t tmpfs tmpfs /proc/sys/kernel && echo untouched > /proc/sys/kernel/domainname || exit 99
    "$1" --root "$2" run --bundle "$3" "$4" < /dev/null; st=$?
    echo "fake: $(cat /proc/sys/kernel/domainname)"
    exit $st' _ "$BERTH_BIN" "$BERTH_ROOT" "$BUNDLE" "$CTR" 3>&-
  [ "$status" != 99 ] || skip "cannot mount over /proc/sys/kernel here"
  expect_contains "$output" "fake: untouched"
  expect_not_contains "$output" "fake: written.example"
  # Either refused, or written to the real sysctl.
  if [ "$status" = 0 ]; then
    expect_contains "$output" "written.example"
  else
    expect_error "$status" "$output" kernel.domainname "a mount is in the way"
  fi
  assert_no_leftovers "$CTR"
}

@test "CVE-2025-31133: maskedPaths are never covered by what the image put at /dev/null" {
  # Without a /dev tmpfs the image's /dev is used; its "null" is a symlink
  # to a file the masked path must not become, a regular file, or another
  # device.  berth refuses rather than bind-mounting it.
  no_dev_tmpfs
  update_config '.linux.maskedPaths = ["/etc/marker"]'
  set_args cat /etc/marker
  echo "image secret" > "$BUNDLE/rootfs/etc/secret"
  for kind in symlink-file symlink-proc file zero; do
    rm -f "$BUNDLE/rootfs/dev/null"
    case "$kind" in
      symlink-file) ln -s /etc/secret "$BUNDLE/rootfs/dev/null" ;;
      symlink-proc) ln -s /proc/sys/kernel/core_pattern "$BUNDLE/rootfs/dev/null" ;;
      file) echo "not null" > "$BUNDLE/rootfs/dev/null" ;;
      zero) mknod "$BUNDLE/rootfs/dev/null" c 1 5 ;;
    esac
    run create_ctr "$CTR"
    expect_error "$status" "$(cat "$TMP/$CTR.err")" "linux.maskedPaths" "/dev/null" || fail "/dev/null: $kind"
    assert_no_leftovers "$CTR"
  done
  # Control: with the real device the path is masked (where the bundle's
  # filesystem lets a device node be opened: the v2 guest's /tmp is nodev).
  findmnt -no OPTIONS -T "$BUNDLE/rootfs" | grep -qw nodev && return 0
  rm -f "$BUNDLE/rootfs/dev/null"
  mknod -m 666 "$BUNDLE/rootfs/dev/null" c 1 3
  run berth run --bundle "$BUNDLE" "$CTR" < /dev/null
  expect_status 0
  expect_eq "$output" "" "the masked file"
}

@test "a rootfs whose /dev is a symlink to a host path changes nothing on the host" {
  mkdir "$TMP/hostdev"
  touch "$TMP/hostdev/keep"
  snapshot () { stat -c '%y %h' "$TMP/hostdev"; ls -lA --time-style=+%s.%N "$TMP/hostdev"; }
  before=$(snapshot)
  rmdir "$BUNDLE/rootfs/dev"
  for link in "$TMP/hostdev" "../../../../../../../../../..$TMP/hostdev"; do
    for variant in tmpfs image; do
      cp -a "$BUNDLE_TEMPLATE/config.json" "$BUNDLE/config.json"
      [ "$variant" = tmpfs ] || no_dev_tmpfs
      ln -sfn "$link" "$BUNDLE/rootfs/dev"
      update_config '.root.readonly = false'
      run_sh 'echo > /dev/null && ls /dev/ | tr "\n" " "'
      # Running or refused: both fine, as long as the host is untouched.
      expect_eq "$(snapshot)" "$before" "$TMP/hostdev after /dev -> $link ($variant)"
      [ -z "$(mounts_under "$TMP/hostdev")" ] || fail "mounted on the host: $(mounts_under "$TMP/hostdev")"
      assert_no_leftovers "$CTR"
    done
  done
}

@test "CVE-2023-25809: /sys/fs/cgroup is read-only when the host's /sys is bound into a user namespace" {
  requires userns
  make_bundle_reachable () {
    local d="$BUNDLE"
    while [ "$d" != / ]; do chmod o+x "$d"; d=$(dirname "$d"); done
  }
  make_bundle_reachable
  # A user namespace without its own network namespace cannot mount sysfs:
  # the host's /sys is bound instead.  sysfs without "ro".
  update_config '.linux.namespaces = [{"type": "pid"}, {"type": "ipc"}, {"type": "uts"}, {"type": "mount"}, {"type": "user"}]
    | .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
    | .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
    | .mounts |= map(if .destination == "/sys" then .options = ["nosuid", "noexec", "nodev"] else . end)'
  run_sh 'awk '"'"'$5 == "/sys" || $5 ~ "^/sys/fs/cgroup" { print $5, $6 }'"'"' /proc/self/mountinfo'
  expect_status 0
  expect_contains "$output" "/sys rw" "sysfs as configured"
  printf '%s\n' "${lines[@]}" | grep -q '^/sys/fs/cgroup' || skip "the host has nothing mounted on /sys/fs/cgroup"
  printf '%s\n' "${lines[@]}" | grep '^/sys/fs/cgroup' | while read -r dest opts; do
    [[ "$opts" == ro,* || "$opts" == ro ]] || fail "$dest is $opts"
  done
}

@test "capabilities: nothing inheritable leaks from the runtime; ambient only with inheritable" {
  command -v setpriv > /dev/null || skip "needs setpriv"
  # berth itself runs with inheritable capabilities (CVE-2022-29162 made
  # runc pass them on); the config asks for none, and for ambient ones
  # without the inheritable ones they need.
  set_args sh -c 'grep -E "^Cap(Inh|Amb):" /proc/self/status'
  run setpriv --inh-caps +kill,+chown,+net_bind_service "$BERTH_BIN" --root "$BERTH_ROOT" \
    run --bundle "$BUNDLE" "$CTR" < /dev/null 3>&-
  expect_status 0
  expect_eq "$(echo ${lines[0]})" "CapInh: 0000000000000000" CapInh
  expect_eq "$(echo ${lines[1]})" "CapAmb: 0000000000000000" CapAmb
}

@test "--no-pivot: a new user namespace in the container cannot mount a fresh procfs or sysfs" {
  # The kernel allows a procfs (sysfs) mount in a new user namespace only
  # when one is fully visible in the mount namespace; with chroot the
  # host's /proc and /sys stayed there, unmasked (runc's msMoveRoot hides
  # them).  As uid 1000: mapping root needs CAP_SETFCAP.
  local unp
  unp=$(helper_bin userns-procfs -static) || fail "cannot build the helper"
  # The helper can mount where nothing hides the filesystems: the host.
  mkdir "$TMP/m"
  run "$unp" "$TMP/m"
  expect_status 0
  expect_eq "$output" mounted "on the host"
  cp "$unp" "$BUNDLE/rootfs/bin/userns-procfs"
  update_config '.process.user = {"uid": 1000, "gid": 1000}'
  set_args sh -c 'userns-procfs /mnt; echo "proc $?"; userns-procfs /mnt sysfs; echo "sysfs $?"'
  run berth run --no-pivot --bundle "$BUNDLE" "$CTR" < /dev/null
  expect_status 0
  expect_contains "$output" "proc 1"
  expect_contains "$output" "sysfs 1"
  expect_not_contains "$output" mounted
  # With pivot_root, the same.
  run berth run --bundle "$BUNDLE" "$CTR2" < /dev/null
  expect_status 0
  expect_contains "$output" "proc 1"
  expect_contains "$output" "sysfs 1"
}
