#!/usr/bin/env bats
# linux.namespaces: new, inherited and joined namespaces, user namespace
# mappings, time offsets, hostname/domainname, sysctls, the loopback.

load helpers

host_ns () {
  readlink "/proc/$$/ns/$1"
}

# ns_file_ino FILE: the "type:[inode]" a bind-mounted namespace file stands
# for.
ns_link_of () {
  echo "$1:[$(stat -L -c %i "$2")]"
}

@test "namespaces: the default set is new: pid, network, ipc, uts, mount" {
  run_sh 'for n in pid net ipc uts mnt; do echo "$n $(readlink /proc/self/ns/$n)"; done'
  expect_status 0
  for n in pid net ipc uts mnt; do
    inside=$(printf '%s\n' "${lines[@]}" | awk -v n="$n" '$1 == n { print $2 }')
    [ -n "$inside" ] || fail "no $n namespace line in: $output"
    [ "$inside" != "$(host_ns "$n")" ] || fail "$n namespace is the host's: $inside"
  done
}

@test "namespaces: a type not listed is inherited from the runtime" {
  update_config 'del(.hostname) | .linux.namespaces |= map(select(.type != "network" and .type != "ipc" and .type != "uts"))'
  run_sh 'for n in net ipc uts mnt; do echo "$n $(readlink /proc/self/ns/$n)"; done'
  expect_status 0
  for n in net ipc uts; do
    expect_eq "$(printf '%s\n' "${lines[@]}" | awk -v n="$n" '$1 == n { print $2 }')" \
      "$(host_ns "$n")" "$n namespace"
  done
  [ "$(printf '%s\n' "${lines[@]}" | awk '$1 == "mnt" { print $2 }')" != "$(host_ns mnt)" ]
}

@test "namespaces: pid 1 in a new pid namespace, and only the container's processes" {
  run_sh 'echo $$; ls /proc | grep -c "^[0-9]"'
  expect_status 0
  expect_eq "${lines[0]}" 1 "pid inside"
  # sh, ls, grep: at most a handful, not the host's processes.
  [ "${lines[1]}" -le 4 ] || fail "processes visible inside: ${lines[1]}"
}

@test "namespaces: hostname and domainname" {
  update_config '.hostname = "ctr-host" | .domainname = "example.test"'
  run_sh 'hostname; cat /proc/sys/kernel/domainname'
  expect_status 0
  expect_eq "${lines[0]}" ctr-host "hostname"
  expect_eq "${lines[1]}" example.test "domainname"
  [ "$(hostname)" != ctr-host ]
}

@test "namespaces: a new network namespace has only lo, and it is up" {
  run_sh 'ls /sys/class/net; cat /sys/class/net/lo/flags; ip addr show lo'
  expect_status 0
  expect_eq "${lines[0]}" lo "interfaces"
  # IFF_UP is bit 0.
  [ $((${lines[1]} & 1)) -eq 1 ] || fail "lo flags: ${lines[1]}"
  expect_contains "$output" "inet 127.0.0.1/8" "ip addr show lo"
  expect_contains "$output" "LOOPBACK,UP" "ip addr show lo"
}

@test "namespaces: join a network namespace by path" {
  requires unshare
  touch "$TMP/netns"
  unshare --net="$TMP/netns" true
  host_mount_added "$TMP/netns"
  update_config '.linux.namespaces |= map(if .type == "network" then .path = $p else . end)' \
    --arg p "$TMP/netns"
  run_sh 'readlink /proc/self/ns/net'
  expect_status 0
  expect_eq "$output" "$(ns_link_of net "$TMP/netns")" "net namespace"
}

@test "namespaces: join a uts namespace by path" {
  requires unshare
  touch "$TMP/utsns"
  unshare --uts="$TMP/utsns" hostname joined-uts
  host_mount_added "$TMP/utsns"
  update_config 'del(.hostname) | .linux.namespaces |= map(if .type == "uts" then .path = $p else . end)' \
    --arg p "$TMP/utsns"
  run_sh 'readlink /proc/self/ns/uts; hostname'
  expect_status 0
  expect_eq "${lines[0]}" "$(ns_link_of uts "$TMP/utsns")" "uts namespace"
  expect_eq "${lines[1]}" joined-uts "hostname"
}

@test "namespaces: join a pid namespace by path" {
  requires unshare
  unshare --pid --fork sleep 1000 &
  holder=$!
  BG_PIDS+=("$holder")
  for ((i = 0; i < 100; i++)); do
    sleeper=$(awk '{ print $1 }' "/proc/$holder/task/$holder/children" 2> /dev/null) || true
    [ -n "$sleeper" ] && break
    sleep 0.05
  done
  [ -n "$sleeper" ]
  BG_PIDS+=($sleeper)
  update_config '.linux.namespaces |= map(if .type == "pid" then .path = $p else . end)' \
    --arg p "/proc/$sleeper/ns/pid"
  run_sh 'readlink /proc/self/ns/pid; echo $$; cat /proc/1/cmdline | tr "\0" " "'
  expect_status 0
  expect_eq "${lines[0]}" "$(readlink "/proc/$sleeper/ns/pid")" "pid namespace"
  [ "${lines[1]}" -gt 1 ] || fail "pid inside: ${lines[1]}"
  expect_eq "${lines[2]}" "sleep 1000 " "pid 1 of the joined namespace"
}

@test "namespaces: user namespace with uid and gid mappings" {
  requires userns
  make_bundle_reachable
  mkdir "$TMP/shared" "$BUNDLE/rootfs/shared"
  chmod 777 "$TMP/shared"
  update_config '.linux.namespaces += [{"type": "user"}]
    | .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
    | .linux.gidMappings = [{"containerID": 0, "hostID": 200000, "size": 65536}]
    | .mounts += [{"destination": "/shared", "type": "bind", "source": $s, "options": ["rbind", "rw"]}]' \
    --arg s "$TMP/shared"
  run_sh 'cat /proc/self/uid_map /proc/self/gid_map; id -u; id -g; touch /shared/file; readlink /proc/self/ns/user'
  expect_status 0
  expect_eq "$(echo ${lines[0]})" "0 100000 65536" "uid_map"
  expect_eq "$(echo ${lines[1]})" "0 200000 65536" "gid_map"
  expect_eq "${lines[2]}" 0 "uid inside"
  expect_eq "${lines[3]}" 0 "gid inside"
  [ "${lines[4]}" != "$(host_ns user)" ] || fail "user namespace is the host's"
  # The kernel maps the file's owner back to the host ids.
  expect_eq "$(stat -c %u:%g "$TMP/shared/file")" 100000:200000 "owner on the host"
}

@test "namespaces: user namespace: a bind source behind a 0700 host directory (opened by berth, as runc)" {
  requires userns
  make_bundle_reachable
  # The container's root (host uid 100000) cannot walk through private/;
  # berth clones the source before the user namespace exists.
  mkdir -m 0700 "$TMP/private"
  mkdir -m 0755 "$TMP/private/data"
  echo reached > "$TMP/private/data/file"
  chmod 0644 "$TMP/private/data/file"
  mkdir "$BUNDLE/rootfs/data" "$BUNDLE/rootfs/data2"
  update_config '.linux.namespaces += [{"type": "user"}]
    | .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
    | .linux.gidMappings = [{"containerID": 0, "hostID": 200000, "size": 65536}]
    | .mounts += [{"destination": "/data", "type": "bind", "source": $s, "options": ["rbind", "ro"]},
                  {"destination": "/data2", "type": "bind", "source": $s, "options": ["bind"]}]' \
    --arg s "$TMP/private/data"
  run_sh 'cat /data/file /data2/file; touch /data/new 2>&1 || echo refused'
  expect_status 0
  expect_eq "${lines[0]}" reached "/data"
  expect_eq "${lines[1]}" reached "/data2"
  expect_contains "$output" "Read-only file system"
}

@test "namespaces: user namespace together with a network namespace joined by path" {
  requires userns unshare
  make_bundle_reachable
  touch "$TMP/netns"
  unshare --net="$TMP/netns" true
  host_mount_added "$TMP/netns"
  update_config '.linux.namespaces |= map(if .type == "network" then .path = $p else . end)
    | .linux.namespaces += [{"type": "user"}]
    | .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
    | .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
    | .mounts |= map(select(.destination != "/sys"))' \
    --arg p "$TMP/netns"
  run_sh 'readlink /proc/self/ns/net; cat /proc/self/uid_map; echo $$'
  expect_status 0
  expect_eq "${lines[0]}" "$(ns_link_of net "$TMP/netns")" "net namespace"
  expect_eq "$(echo ${lines[1]})" "0 100000 65536" "uid_map"
  expect_eq "${lines[2]}" 1 "pid inside"
}

@test "namespaces: time namespace with offsets" {
  requires timens
  update_config '.linux.namespaces += [{"type": "time"}]
    | .linux.timeOffsets = {"boottime": {"secs": 1000000}, "monotonic": {"secs": 500000}}'
  host_up=$(cut -d. -f1 /proc/uptime)
  run_sh 'cut -d. -f1 /proc/uptime; readlink /proc/self/ns/time; cat /proc/self/timens_offsets'
  expect_status 0
  diff=$((${lines[0]} - host_up))
  [ "$diff" -ge 999990 ] && [ "$diff" -le 1000010 ] \
    || fail "uptime inside ${lines[0]}, outside $host_up"
  [ "${lines[1]}" != "$(host_ns time)" ]
  expect_eq "$(printf '%s\n' "${lines[@]}" | awk '$1 == "monotonic" { print $2 }')" 500000 \
    "monotonic offset in timens_offsets"
}

@test "namespaces: cgroup namespace" {
  requires cgroupns
  update_config '.linux.namespaces += [{"type": "cgroup"}]'
  run_sh 'readlink /proc/self/ns/cgroup; cut -d: -f3 /proc/self/cgroup | sort -u'
  expect_status 0
  [ "${lines[0]}" != "$(host_ns cgroup)" ] || fail "cgroup namespace is the host's"
  # Seen from inside, the container's cgroups are the roots.
  expect_eq "$(printf '%s\n' "${lines[@]:1}" | tr '\n' ' ')" "/ " "cgroup paths"
}

@test "namespaces: ipc namespace: the host's SysV shared memory is not visible" {
  command -v ipcmk > /dev/null || skip "needs ipcmk(1)"
  shmid=$(ipcmk -M 4096 | awk '{ print $NF }')
  run_sh 'readlink /proc/self/ns/ipc; tail -n +2 /proc/sysvipc/shm | wc -l'
  ipcrm -m "$shmid"
  expect_status 0
  [ "${lines[0]}" != "$(host_ns ipc)" ]
  expect_eq "${lines[1]}" 0 "shared memory segments inside"
}

@test "namespaces: sysctls are set in the container's namespaces only" {
  host_fwd=$(cat /proc/sys/net/ipv4/ip_forward)
  want=$((1 - host_fwd))
  update_config '.linux.sysctl = {"net.ipv4.ip_forward": $v, "kernel.domainname": "sysctl.test"}' \
    --arg v "$want"
  run_sh 'cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/domainname'
  expect_status 0
  expect_eq "${lines[0]}" "$want" "ip_forward inside"
  expect_eq "${lines[1]}" sysctl.test "domainname inside"
  expect_eq "$(cat /proc/sys/net/ipv4/ip_forward)" "$host_fwd" "ip_forward on the host"
}
