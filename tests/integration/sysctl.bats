#!/usr/bin/env bats
# linux.sysctl by namespace (runc's rules) and hostname in a joined uts
# namespace.  Every refusal is checked on the host's kernel: the value it
# had before is still there.

load helpers

# refused KEY VALUE NS_TO_DROP...: with the namespaces dropped, setting
# KEY to VALUE is refused before anything runs, naming the key, and the
# host's value is unchanged.
refused () {
  local key="$1" value="$2" path before drop
  shift 2
  path="/proc/sys/${key//.//}"
  before=$(cat "$path")
  drop=$(printf '"%s",' "$@")
  update_config 'del(.hostname) | .linux.namespaces |= map(select(.type as $t | [$d[]] | index($t) | not))
    | .linux.sysctl = {($k): $v}' \
    --arg k "$key" --arg v "$value" --argjson d "[${drop%,}]"
  set_args true
  run -1 berth run --bundle "$BUNDLE" "$CTR"
  expect_error "$status" "$output" "\"$key\"" "refused"
  expect_eq "$(cat "$path")" "$before" "the host's $key"
  [ ! -e "$BERTH_ROOT/$CTR" ] || fail "a state dir was made"
}

@test "sysctl: a key of no namespace (vm.swappiness) is refused" {
  before=$(cat /proc/sys/vm/swappiness)
  refused vm.swappiness $(( before == 1 ? 2 : 1 ))
  expect_contains "$output" "is not namespaced" "stderr"
}

@test "sysctl: net.* without a network namespace of its own is refused" {
  before=$(cat /proc/sys/net/ipv4/ip_default_ttl)
  refused net.ipv4.ip_default_ttl $(( before == 33 ? 34 : 33 )) network
}

@test "sysctl: net.* with berth's own network namespace joined by path is refused" {
  before=$(cat /proc/sys/net/ipv4/ip_default_ttl)
  update_config '.linux.namespaces |= map(if .type == "network" then .path = "/proc/self/ns/net" else . end)
    | .linux.sysctl = {"net.ipv4.ip_default_ttl": "33"}'
  [ "$before" != 33 ] || update_config '.linux.sysctl = {"net.ipv4.ip_default_ttl": "34"}'
  set_args true
  run -1 berth run --bundle "$BUNDLE" "$CTR"
  expect_error "$status" "$output" '"net.ipv4.ip_default_ttl"' refused
  expect_eq "$(cat /proc/sys/net/ipv4/ip_default_ttl)" "$before" "the host's ttl"
}

@test "sysctl: ipc keys without an ipc namespace of its own are refused" {
  before=$(cat /proc/sys/kernel/msgmax)
  refused kernel.msgmax $((before + 1)) ipc
  before=$(cat /proc/sys/fs/mqueue/msg_max)
  refused fs.mqueue.msg_max $((before + 1)) ipc
}

@test "sysctl: kernel.domainname without a uts namespace of its own is refused" {
  before=$(cat /proc/sys/kernel/domainname)
  refused kernel.domainname "berth-sysctl.test" uts
}

@test "sysctl: kernel.hostname next to the hostname field is refused" {
  update_config '.hostname = "a" | .linux.sysctl = {"kernel.hostname": "b"}'
  set_args true
  run -1 berth run --bundle "$BUNDLE" "$CTR"
  expect_error "$status" "$output" '"kernel.hostname"' conflicts
}

@test "sysctl: allowed keys take effect inside the container only" {
  ttl=$(cat /proc/sys/net/ipv4/ip_default_ttl)
  msgmax=$(cat /proc/sys/kernel/msgmax)
  update_config '.linux.sysctl = {"net.ipv4.ip_default_ttl": $t, "kernel.msgmax": $m, "kernel.domainname": "in.test"}' \
    --arg t "$(( ttl == 33 ? 34 : 33 ))" --arg m "$((msgmax + 1))"
  run_sh 'cat /proc/sys/net/ipv4/ip_default_ttl /proc/sys/kernel/msgmax /proc/sys/kernel/domainname'
  expect_status 0
  expect_eq "${lines[0]}" "$(( ttl == 33 ? 34 : 33 ))" "ttl inside"
  expect_eq "${lines[1]}" "$((msgmax + 1))" "msgmax inside"
  expect_eq "${lines[2]}" in.test "domainname inside"
  expect_eq "$(cat /proc/sys/net/ipv4/ip_default_ttl)" "$ttl" "the host's ttl"
  expect_eq "$(cat /proc/sys/kernel/msgmax)" "$msgmax" "the host's msgmax"
}

@test "hostname: set inside a uts namespace joined by path" {
  requires unshare
  unshare --uts sh -c 'hostname holder; exec sleep 1000' &
  holder=$!
  BG_PIDS+=("$holder")
  for ((i = 0; i < 100; i++)); do
    [ "$(readlink /proc/$holder/ns/uts)" != "$(readlink /proc/self/ns/uts)" ] \
      && [ "$(cat /proc/$holder/comm)" = sleep ] && break
    sleep 0.05
  done
  host_name=$(hostname)
  update_config '.hostname = "joined-name" | .linux.namespaces |= map(if .type == "uts" then .path = $p else . end)' \
    --arg p "/proc/$holder/ns/uts"
  run_sh 'hostname'
  expect_status 0
  expect_eq "$output" joined-name "hostname inside"
  # The kernel's view: the joined namespace now has the name, the host not.
  expect_eq "$(nsenter --uts="/proc/$holder/ns/uts" hostname)" joined-name "the joined namespace's hostname"
  expect_eq "$(hostname)" "$host_name" "the host's hostname"
}

@test "hostname: refused in the host's uts namespace" {
  update_config '.hostname = "nope" | .linux.namespaces |= map(select(.type != "uts"))'
  set_args true
  run -1 berth run --bundle "$BUNDLE" "$CTR"
  expect_error "$status" "$output" hostname "host's uts namespace"
}
