#!/usr/bin/env bats
# Networking: linux.netDevices, the veth pair of the run.oci.berth.net.*
# annotations (addresses, default route, peer namespace) and its rate
# limits (TBF qdiscs), `update --net-*-rate`, and that delete or a failed
# create leaves no link, qdisc or namespace behind.
#
# Every link lives in network namespaces the test makes with `ip netns add`
# (deleted in teardown), addresses are in 10.0.0.0/8, and no traffic leaves
# those namespaces: the machine's own interfaces are never touched.  When a
# test needs berth's own namespace to be a test namespace (netDevices move
# from there), berth runs under `nsenter --net` (not `ip netns exec`, which
# would hide the cgroup mounts behind a fresh /sys).

load helpers

# What this kernel cannot do for these tests (empty: everything): veth
# pairs and the TBF qdisc may be modules that are not there.
net_probe () {
  local ns="berth-net-probe-$$" why=""
  [ "$(id -u)" = 0 ] || return 0
  ip netns add "$ns" 2> /dev/null || { echo "cannot make a network namespace"; return 0; }
  if ! ip -n "$ns" link add probe0 type veth peer name probe1 2> /dev/null; then
    why="the kernel cannot make veth pairs"
  elif ! tc -n "$ns" qdisc add dev probe0 root tbf rate 1mbit burst 4k latency 50ms 2> /dev/null; then
    why="the kernel has no TBF qdisc"
  fi
  ip netns del "$ns"
  echo "$why"
}

setup_file () {
  common_setup_file
  NET_MISSING=$(net_probe)
  export NET_MISSING
}

setup () {
  common_setup
  requires root
  [ -z "$NET_MISSING" ] || skip "$NET_MISSING"
  TEST_NETNS=()
  N=$BATS_TEST_NUMBER
  # Names of this test's namespaces; unique on the host.
  NS_PEER="berth-net-${N}-$$-peer"
  NS_HOST="berth-net-${N}-$$-host"
  NS_FAR="berth-net-${N}-$$-far"
  NS_CTR="berth-net-${N}-$$-ctr"
  VETH="bth${N}"
  mkdir -p "$TMP/www"
}

teardown () {
  local st=0 ns left
  common_teardown || st=1
  for ns in "${TEST_NETNS[@]}"; do
    ip netns pids "$ns" 2> /dev/null | xargs -r kill -9 2> /dev/null || true
    ip netns del "$ns" 2> /dev/null || { echo "cannot delete netns $ns" >&2; st=1; }
  done
  left=$(ip netns list | grep -F -- "berth-net-${N}-$$-" || true)
  [ -z "$left" ] || { echo "namespaces left: $left" >&2; st=1; }
  return "$st"
}

# netns_add NAME: a network namespace for this test, its loopback up.
netns_add () {
  ip netns add "$1"
  TEST_NETNS+=("$1")
  ip -n "$1" link set lo up
}

# in_ns NAME CMD...: CMD with NAME as its network namespace (nothing else
# changes: same mounts, same cgroups).
in_ns () {
  local ns="$1"
  shift
  nsenter --net="/run/netns/$ns" "$@"
}

# berth_in NAME ARGS...: berth run from the namespace NAME, so that it is
# "berth's own" namespace (netDevices come from it, delete returns them
# there).
berth_in () {
  local ns="$1"
  shift
  timeout -k 5 "${BERTH_TIMEOUT:-60}" nsenter --net="/run/netns/$ns" \
    "$BERTH_BIN" --root "$BERTH_ROOT" "$@" 3>&-
}

# annotate KEY=VALUE...: adds run.oci.berth.net.KEY annotations.
annotate () {
  local kv
  for kv in "$@"; do
    update_config '.annotations["run.oci.berth.net." + $k] = $v' \
      --arg k "${kv%%=*}" --arg v "${kv#*=}"
  done
}

# veth_config [extra annotations...]: the container's veth pair: $VETH in
# $NS_PEER with 10.200.N.1/24, eth0 in the container with 10.200.N.2/24
# and a default route through the peer.
veth_config () {
  annotate "veth=$VETH" "address=10.200.$N.2/24" "gateway=10.200.$N.1" \
    "peer-netns=/run/netns/$NS_PEER" "peer-address=10.200.$N.1/24" "$@"
}

allow_ping () {
  update_config '.process.capabilities |= (.bounding += ["CAP_NET_RAW"]
    | .effective += ["CAP_NET_RAW"] | .permitted += ["CAP_NET_RAW"])'
}

# ping_ok NS ADDR: busybox ping from namespace NS answers (a few tries:
# the first packet may wait for ARP).
ping_ok () {
  local i
  for i in 1 2 3 4 5; do
    in_ns "$1" busybox ping -c 1 -W 1 "$2" > /dev/null 2>&1 && return 0
  done
  echo "no answer from $2 in namespace $1" >&2
  return 1
}

# assert_no_link NS NAME [WHAT]
assert_no_link () {
  if ip -n "$1" link show "$2" > /dev/null 2>&1; then
    fail "${3:-link} $2 still exists in $1: $(ip -n "$1" link show "$2")"
  fi
}

# assert_net_gone PID NETNS_LINK: the container's network namespace (as
# readlink /proc/PID/ns/net showed it) is held by no process any more.
assert_netns_gone () {
  local link="$1" held
  held=$(find /proc/[0-9]*/ns/net -maxdepth 0 -lname "$link" 2> /dev/null || true)
  [ -z "$held" ] || fail "network namespace $link still held by: $held"
}

# assert_peer_clean: after delete, nothing of berth's in $NS_PEER: no veth,
# no qdisc other than the defaults.
assert_peer_clean () {
  assert_no_link "$NS_PEER" "$VETH" veth
  local q
  q=$(tc -n "$NS_PEER" qdisc show | grep -w tbf || true)
  [ -z "$q" ] || fail "qdisc left in $NS_PEER: $q"
}

# http_file NAME SIZE: a file of SIZE bytes served from $TMP/www (and from
# /www in the container).  Every server also has "ok", for wait_http.
http_file () {
  head -c "$2" /dev/urandom > "$TMP/www/$1"
  echo ok > "$TMP/www/ok"
}

# wait_http NS URL: until busybox wget in NS gets URL, a small file (up to
# ~5 s).  (Its own -T timeout crashes busybox 1.35's wget.)
wait_http () {
  local i
  for ((i = 0; i < 50; i++)); do
    timeout 2 nsenter --net="/run/netns/$1" busybox wget -q -O /dev/null "$2" \
      2> /dev/null && return 0
    sleep 0.1
  done
  echo "no HTTP answer for $2 in namespace $1" >&2
  return 1
}

# fetch_seconds NS URL: how long busybox wget in NS takes to get URL.
fetch_seconds () {
  local start end
  start=$(date +%s.%N)
  in_ns "$1" busybox wget -q -O /dev/null "$2" || return 1
  end=$(date +%s.%N)
  awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f\n", e - s }'
}

# The timing tests need a real CPU: in the cgroup-v2 guest (qemu TCG)
# every packet costs emulated instructions and the rates say nothing.
requires_real_cpu () {
  [ -z "${BERTH_VM_GUEST:-}" ] \
    || skip "transfer times under CPU emulation (the TCG guest) are not the rate's"
}

# expect_seconds ACTUAL EXPECTED WHAT: within 15 %.
expect_seconds () {
  echo "# $3: $1 s (expected $2 s)" >&3
  awk -v a="$1" -v e="$2" 'BEGIN { exit !(a >= e * 0.85 && a <= e * 1.15) }' \
    && return 0
  echo "$3: took $1 s, expected $2 s +-15%" >&2
  return 1
}

# serve_in_container: the container runs busybox httpd on port 8080 with
# the files of $TMP/www.
serve_in_container () {
  mkdir -p "$BUNDLE/rootfs/www"
  cp "$TMP"/www/* "$BUNDLE/rootfs/www/"
  set_args httpd -f -p 8080 -h /www
}

# tbf_rate NSFILE DEV: the rate of the TBF on DEV in the network namespace
# NSFILE ("1Mbit"); empty without one.
tbf_rate () {
  nsenter --net="$1" tc qdisc show dev "$2" \
    | awk '$2 == "tbf" { for (i = 1; i < NF; i++) if ($i == "rate") print $(i + 1) }'
}

peer_rate () {
  tbf_rate "/run/netns/$NS_PEER" "$VETH"
}

ctr_rate () {
  tbf_rate "/proc/$(ctr_pid "$CTR")/ns/net" eth0
}

# ---- the loopback -------------------------------------------------------------

@test "network: lo is up in a new network namespace, with or without a veth pair" {
  run_sh 'ip -o link show lo; ip -o addr show lo'
  expect_status 0
  expect_contains "$output" "<LOOPBACK,UP,LOWER_UP>"
  expect_contains "$output" "inet 127.0.0.1/8"

  netns_add "$NS_PEER"
  veth_config
  run_sh 'ip -o link show lo; ip -o addr show lo'
  expect_status 0
  expect_contains "$output" "<LOOPBACK,UP,LOWER_UP>"
  expect_contains "$output" "inet 127.0.0.1/8"
  assert_peer_clean
}

# ---- the veth pair ----------------------------------------------------------------

@test "network: veth pair: addresses, default route, ping both ways; delete removes it" {
  netns_add "$NS_PEER"
  # An address beyond the subnet: only the default route reaches it.
  ip -n "$NS_PEER" addr add "10.201.$N.1/32" dev lo
  veth_config
  allow_ping
  set_args sh -c "ip -o addr show eth0; ip route; ip -o link show eth0
    for a in 10.200.$N.1 10.201.$N.1; do
      ok=; for i in 1 2 3 4 5; do ping -c 1 -W 1 \$a > /dev/null && { ok=1; break; }; done
      [ -n \"\$ok\" ] && echo reached \$a || echo unreachable \$a
    done
    echo pings-done; exec sleep 1000"
  run_detached "$CTR"
  wait_for_file "$TMP/$CTR.out" pings-done
  out=$(cat "$TMP/$CTR.out")
  expect_contains "$out" "inet 10.200.$N.2/24"
  expect_contains "$out" "default via 10.200.$N.1 dev eth0"
  expect_contains "$out" ",UP,LOWER_UP>"
  expect_contains "$out" "reached 10.200.$N.1"
  expect_contains "$out" "reached 10.201.$N.1"
  # And back, from the peer.
  ping_ok "$NS_PEER" "10.200.$N.2"
  run ip -n "$NS_PEER" -o addr show "$VETH"
  expect_contains "$output" "inet 10.200.$N.1/24"
  # No limit asked: no qdisc installed.
  expect_eq "$(peer_rate)" "" "ingress tbf rate"

  pid=$(ctr_pid "$CTR")
  nslink=$(readlink "/proc/$pid/ns/net")
  berth delete --force "$CTR"
  assert_peer_clean
  wait_for_pid_gone "$pid"
  assert_netns_gone "$nslink"
}

@test "network: veth pair in berth's own namespace by default, container end renamed" {
  netns_add "$NS_HOST"
  annotate "veth=$VETH" "name=net0" "address=10.203.$N.2/24" \
    "peer-address=10.203.$N.1/24"
  set_args sh -c 'ip -o addr show net0; exec sleep 1000'
  berth_in "$NS_HOST" run -d --bundle "$BUNDLE" "$CTR" < /dev/null \
    > "$TMP/$CTR.out" 2> "$TMP/$CTR.err"
  wait_for_file "$TMP/$CTR.out" "inet 10.203.$N.2/24"
  run ip -n "$NS_HOST" -o addr show "$VETH"
  expect_status 0
  expect_contains "$output" "inet 10.203.$N.1/24"
  ping_ok "$NS_HOST" "10.203.$N.2"
  berth_in "$NS_HOST" delete --force "$CTR"
  assert_no_link "$NS_HOST" "$VETH" veth
}

@test "network: bridge=NAME: the outside end is a port of that bridge; delete takes it out" {
  netns_add "$NS_PEER"
  ip -n "$NS_PEER" link add brb type bridge || skip "no bridge driver in this kernel"
  ip -n "$NS_PEER" link set brb up
  veth_config "bridge=brb"
  set_args sh -c 'exec sleep 1000'
  run_detached "$CTR"
  # The kernel's view: the outside end's master is the bridge.
  run ip -n "$NS_PEER" -o link show "$VETH"
  expect_status 0
  expect_contains "$output" "master brb"
  run ip -n "$NS_PEER" -o link show master brb
  expect_contains "$output" "$VETH"
  berth delete --force "$CTR"
  assert_no_link "$NS_PEER" "$VETH" veth
  run ip -n "$NS_PEER" -o link show master brb
  expect_eq "$output" "" "ports left on the bridge"
}

@test "network: bridge without veth, or a bridge that does not exist: refused, nothing left" {
  annotate "bridge=brb"
  run berth run --bundle "$BUNDLE" "$CTR"
  [ "$status" -ne 0 ] || fail "a bridge without a veth was taken"
  expect_contains "$output" "run.oci.berth.net.bridge"
  netns_add "$NS_PEER"
  veth_config "bridge=nosuchbr$N"
  run berth run --bundle "$BUNDLE" "$CTR"
  [ "$status" -ne 0 ] || fail "a missing bridge was taken"
  expect_contains "$output" "nosuchbr$N"
  assert_no_link "$NS_PEER" "$VETH" veth
  run berth state "$CTR"
  [ "$status" -ne 0 ] || fail "state left: $output"
}

@test "network: a veth name that exists: netlink error naming it, nothing left" {
  netns_add "$NS_PEER"
  ip -n "$NS_PEER" link add "$VETH" type veth peer name "${VETH}x"
  veth_config
  run -1 create_ctr "$CTR"
  expect_error "$status" "$(cat "$TMP/$CTR.err")" \
    "netlink: RTM_NEWLINK veth $VETH: File exists"
  assert_no_leftovers "$CTR"
  # The link that was there is not berth's: untouched.
  ip -n "$NS_PEER" link show "${VETH}x" > /dev/null
  ip -n "$NS_PEER" link show "$VETH" > /dev/null
}

@test "network: invalid annotations are refused before anything is made" {
  netns_add "$NS_PEER"
  local cases=(
    "egress-rate=fast|run.oci.berth.net.egress-rate: invalid rate \"fast\""
    "address=10.0.0.300/24|run.oci.berth.net.address: invalid address"
    "gateway=10.9.9.9|run.oci.berth.net.gateway: not in the subnet"
    "bogus=1|run.oci.berth.net.bogus: unknown annotation"
    "peer-netns=/proc/self/ns/pid|is not a network namespace"
    "peer-netns=/run/netns/no-such-ns-$$|open /run/netns/no-such-ns-$$: No such file or directory"
  )
  local c
  for c in "${cases[@]}"; do
    cp "$BUNDLE_TEMPLATE/config.json" "$BUNDLE/config.json"
    veth_config "${c%%|*}"
    run -1 create_ctr "$CTR"
    expect_error "$status" "$(cat "$TMP/$CTR.err")" "${c#*|}"
    assert_no_leftovers "$CTR"
    assert_peer_clean
  done
  # A veth pair needs a network namespace of the container's own.
  cp "$BUNDLE_TEMPLATE/config.json" "$BUNDLE/config.json"
  veth_config
  update_config '.linux.namespaces |= map(select(.type != "network"))'
  run -1 create_ctr "$CTR"
  expect_error "$status" "$(cat "$TMP/$CTR.err")" \
    "a veth pair needs a network namespace of its own"
  assert_peer_clean
}

@test "network: a joined container namespace: failed create and delete remove the veth" {
  netns_add "$NS_PEER"
  netns_add "$NS_CTR"
  update_config '(.linux.namespaces[] | select(.type == "network")).path = $p' \
    --arg p "/run/netns/$NS_CTR"
  veth_config
  # The namespace outlives the container: berth must delete the pair itself.
  update_config '.hooks.createRuntime = [{"path": "/bin/false"}]'
  run -1 create_ctr "$CTR"
  expect_error "$status" "$(cat "$TMP/$CTR.err")" "createRuntime hook"
  assert_no_leftovers "$CTR"
  assert_peer_clean
  assert_no_link "$NS_CTR" eth0

  update_config 'del(.hooks)'
  set_args sleep 1000
  run_detached "$CTR"
  ip -n "$NS_CTR" -o addr show eth0 | grep -q "inet 10.200.$N.2/24"
  ping_ok "$NS_PEER" "10.200.$N.2"
  berth delete --force "$CTR"
  assert_peer_clean
  assert_no_link "$NS_CTR" eth0
}

@test "network: with a user namespace: a new network namespace, and one joined by path (slow path)" {
  requires userns
  make_bundle_reachable
  netns_add "$NS_PEER"
  netns_add "$NS_CTR"
  update_config '.linux.namespaces += [{"type": "user"}]
    | .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
    | .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]'
  veth_config egress-rate=10mbit
  set_args sh -c 'ip -o addr show eth0; exec sleep 1000'
  run_detached "$CTR"
  wait_for_file "$TMP/$CTR.out" "inet 10.200.$N.2/24"
  ping_ok "$NS_PEER" "10.200.$N.2"
  expect_eq "$(ctr_rate)" 10Mbit "egress tbf rate"
  berth delete --force "$CTR"
  assert_peer_clean

  # A sysfs cannot be mounted for a network namespace the container's user
  # namespace does not own.
  update_config '.linux.namespaces |= map(if .type == "network" then .path = $p else . end)
    | .mounts |= map(select(.destination != "/sys"))' --arg p "/run/netns/$NS_CTR"
  run_detached "$CTR"
  wait_for_file "$TMP/$CTR.out" "inet 10.200.$N.2/24"
  ping_ok "$NS_PEER" "10.200.$N.2"
  berth delete --force "$CTR"
  assert_peer_clean
  assert_no_link "$NS_CTR" eth0
}

# ---- linux.netDevices ------------------------------------------------------------

# net_device NAME ADDR: a link NAME with ADDR/24 in $NS_HOST (berth's
# namespace), a veth whose other end (NAME-far, ADDR's .1) is in $NS_FAR so
# traffic through it can be checked.  This kernel may lack the dummy
# driver; a veth end is a virtual device all the same.
net_device () {
  netns_add "$NS_HOST"
  netns_add "$NS_FAR"
  ip -n "$NS_HOST" link add "$1" type veth peer name "$1f" netns "$NS_FAR"
  ip -n "$NS_HOST" addr add "$2/24" dev "$1"
  ip -n "$NS_HOST" link set "$1" up
  ip -n "$NS_FAR" addr add "${2%.*}.1/24" dev "$1f"
  ip -n "$NS_FAR" link set "$1f" up
}

@test "network: netDevices: moved in, renamed, keeps its address, up; gone from the source" {
  net_device "nd$N" "10.202.$N.2"
  update_config '.linux.netDevices = {($d): {"name": "ceth0"}}' --arg d "nd$N"
  set_args sh -c 'ip -o addr show ceth0; ip -o link show ceth0; exec sleep 1000'
  berth_in "$NS_HOST" run -d --bundle "$BUNDLE" "$CTR" < /dev/null \
    > "$TMP/$CTR.out" 2> "$TMP/$CTR.err"
  wait_for_file "$TMP/$CTR.out" "ceth0: <"
  out=$(cat "$TMP/$CTR.out")
  expect_contains "$out" "inet 10.202.$N.2/24"
  expect_contains "$out" ",UP,LOWER_UP>"
  assert_no_link "$NS_HOST" "nd$N" "moved device"
  # It carries traffic in the container.
  ping_ok "$NS_FAR" "10.202.$N.2"

  pid=$(ctr_pid "$CTR")
  nslink=$(readlink "/proc/$pid/ns/net")
  berth_in "$NS_HOST" delete --force "$CTR"
  wait_for_pid_gone "$pid"
  assert_netns_gone "$nslink"
  # Spec 1.3: berth does not move it out; the namespace died, and with it
  # this virtual device (a physical one would go back to the initial
  # namespace).  Its veth peer went along.
  assert_no_link "$NS_HOST" "nd$N"
  assert_no_link "$NS_HOST" ceth0
  assert_no_link "$NS_FAR" "nd${N}f"
}

@test "network: netDevices with return-devices: a %d name, back with its address after delete" {
  net_device "nd$N" "10.202.$N.2"
  ip -n "$NS_HOST" addr add fd00:202::2/64 dev "nd$N" nodad
  annotate return-devices=true
  update_config '.linux.netDevices = {($d): {"name": "net%d"}}' --arg d "nd$N"
  set_args sh -c 'ip -o addr show net0; exec sleep 1000'
  berth_in "$NS_HOST" run -d --bundle "$BUNDLE" "$CTR" < /dev/null \
    > "$TMP/$CTR.out" 2> "$TMP/$CTR.err"
  wait_for_file "$TMP/$CTR.out" "inet6 fd00:202::2/64"
  expect_contains "$(cat "$TMP/$CTR.out")" "inet 10.202.$N.2/24"
  assert_no_link "$NS_HOST" "nd$N" "moved device"

  berth_in "$NS_HOST" delete --force "$CTR"
  run ip -n "$NS_HOST" -o addr show "nd$N"
  expect_status 0
  expect_contains "$output" "inet 10.202.$N.2/24"
  expect_contains "$output" "inet6 fd00:202::2/64"
  expect_contains "$(ip -n "$NS_HOST" -o link show "nd$N")" ",UP,"
  ping_ok "$NS_FAR" "10.202.$N.2"
}

@test "network: netDevices errors: missing device, name clash; nothing left, devices back" {
  net_device "nd$N" "10.202.$N.2"
  update_config '.linux.netDevices = {"nosuchdev0": {}}'
  run -1 --separate-stderr berth_in "$NS_HOST" create --bundle "$BUNDLE" "$CTR"
  expect_error "$status" "$stderr" \
    'linux.netDevices["nosuchdev0"]: no network device "nosuchdev0" in berth'"'"'s network namespace'
  assert_no_leftovers "$CTR"

  # The first device moves, the second clashes with lo: the first comes
  # back with its address.
  ip -n "$NS_HOST" link add "ne$N" type veth peer name "ne${N}p"
  update_config '.linux.netDevices = {($d): {"name": "x0"}, ($e): {"name": "lo"}}' \
    --arg d "nd$N" --arg e "ne$N"
  run -1 --separate-stderr berth_in "$NS_HOST" create --bundle "$BUNDLE" "$CTR"
  expect_error "$status" "$stderr" \
    "linux.netDevices[\"ne$N\"]: the container's network namespace already has a device named \"lo\""
  assert_no_leftovers "$CTR"
  run ip -n "$NS_HOST" -o addr show "nd$N"
  expect_status 0
  expect_contains "$output" "inet 10.202.$N.2/24"
  ip -n "$NS_HOST" link show "ne$N" > /dev/null

  # Without a network namespace of its own.
  update_config '.linux.netDevices = {($d): {}} | .linux.namespaces |= map(select(.type != "network"))' \
    --arg d "nd$N"
  run -1 --separate-stderr berth_in "$NS_HOST" create --bundle "$BUNDLE" "$CTR"
  expect_error "$status" "$stderr" "linux.netDevices: the container shares berth's network namespace"
  ip -n "$NS_HOST" link show "nd$N" > /dev/null
}

# ---- bandwidth ---------------------------------------------------------------------

@test "network: egress-rate 1mbit: 256 KiB leave the container in 2.1 s" {
  requires_real_cpu
  netns_add "$NS_PEER"
  http_file f256 262144
  serve_in_container
  veth_config egress-rate=1mbit
  run_detached "$CTR"
  wait_http "$NS_PEER" "http://10.200.$N.2:8080/ok"
  expect_eq "$(ctr_rate)" 1Mbit "egress tbf rate"
  t=$(fetch_seconds "$NS_PEER" "http://10.200.$N.2:8080/f256")
  expect_seconds "$t" 2.1 "256 KiB at 1mbit"
  # Only egress is limited.
  expect_eq "$(peer_rate)" "" "ingress tbf rate"
}

@test "network: egress-rate 10mbit: 1 MiB in 0.84 s; update to 1mbit holds; unlimited is fast" {
  requires_real_cpu
  netns_add "$NS_PEER"
  http_file f256 262144
  http_file f1m 1048576
  serve_in_container
  veth_config egress-rate=10mbit
  run_detached "$CTR"
  wait_http "$NS_PEER" "http://10.200.$N.2:8080/ok"
  t=$(fetch_seconds "$NS_PEER" "http://10.200.$N.2:8080/f1m")
  expect_seconds "$t" 0.84 "1 MiB at 10mbit"

  berth update --net-egress-rate 1mbit "$CTR"
  expect_eq "$(ctr_rate)" 1Mbit "egress tbf rate"
  t=$(fetch_seconds "$NS_PEER" "http://10.200.$N.2:8080/f256")
  expect_seconds "$t" 2.1 "256 KiB at 1mbit after update"

  berth update --net-egress-rate unlimited "$CTR"
  expect_eq "$(ctr_rate)" "" "egress tbf rate"
  t=$(fetch_seconds "$NS_PEER" "http://10.200.$N.2:8080/f1m")
  awk -v t="$t" 'BEGIN { exit !(t < 0.3) }' || fail "1 MiB unlimited took $t s"

  berth delete --force "$CTR"
  assert_peer_clean
}

@test "network: without a limit, 1 MiB is much faster than at 10mbit" {
  requires_real_cpu
  netns_add "$NS_PEER"
  http_file f1m 1048576
  serve_in_container
  veth_config
  run_detached "$CTR"
  wait_http "$NS_PEER" "http://10.200.$N.2:8080/ok"
  t=$(fetch_seconds "$NS_PEER" "http://10.200.$N.2:8080/f1m")
  awk -v t="$t" 'BEGIN { exit !(t < 0.3) }' || fail "1 MiB without a limit took $t s"
}

@test "network: ingress-rate 1mbit: 256 KiB reach the container in 2.1 s; update to 10mbit: 1 MiB in 0.84 s" {
  requires_real_cpu
  netns_add "$NS_PEER"
  http_file f256 262144
  http_file f1m 1048576
  echo go > "$TMP/www/go1"
  # nsenter execs httpd: $! is httpd itself, which teardown kills.
  nsenter --net="/run/netns/$NS_PEER" busybox httpd -f -p 8080 -h "$TMP/www" &
  BG_PIDS+=($!)
  wait_http "$NS_PEER" "http://127.0.0.1:8080/ok"
  veth_config ingress-rate=1mbit
  # The container fetches each file once the test lets it (goN appears).
  set_args sh -c "
    fetch () {
      until wget -q -O /dev/null http://10.200.$N.1:8080/go\$1 2> /dev/null; do sleep 0.1; done
      read s x < /proc/uptime
      wget -q -O /dev/null http://10.200.$N.1:8080/\$2 || { echo fetch\$1 failed; return; }
      read e x < /proc/uptime
      echo fetch\$1 \$s \$e
    }
    fetch 1 f256; fetch 2 f1m; exec sleep 1000"
  run_detached "$CTR"
  wait_for_file "$TMP/$CTR.out" fetch1
  expect_eq "$(peer_rate)" 1Mbit "ingress tbf rate"
  t=$(awk '/^fetch1 / { printf "%.3f", $3 - $2 }' "$TMP/$CTR.out")
  [ -n "$t" ] || fail "$(cat "$TMP/$CTR.out")"
  expect_seconds "$t" 2.1 "256 KiB in at 1mbit"

  berth update --net-ingress-rate 10mbit "$CTR"
  expect_eq "$(peer_rate)" 10Mbit "ingress tbf rate"
  echo go > "$TMP/www/go2"
  wait_for_file "$TMP/$CTR.out" fetch2
  t=$(awk '/^fetch2 / { printf "%.3f", $3 - $2 }' "$TMP/$CTR.out")
  [ -n "$t" ] || fail "$(cat "$TMP/$CTR.out")"
  expect_seconds "$t" 0.84 "1 MiB in at 10mbit after update"

  berth delete --force "$CTR"
  assert_peer_clean
}

@test "network: update --net-*-rate: errors" {
  netns_add "$NS_PEER"
  set_args sleep 1000
  run_detached "$CTR"
  run -1 --separate-stderr berth update --net-egress-rate 1mbit "$CTR"
  expect_error "$status" "$stderr" "the container has no veth pair"
  run -1 --separate-stderr berth update --net-ingress-rate 1mb "$CTR"
  expect_error "$status" "$stderr" 'update: --net-ingress-rate: invalid rate "1mb": unknown unit "mb"'
  berth delete --force "$CTR"
  run -1 --separate-stderr berth update --net-egress-rate 1mbit "$CTR"
  expect_error "$status" "$stderr" "does not exist"
}
