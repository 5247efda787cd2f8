#!/usr/bin/env bats
# checkpoint, restore (CRIU).  CRIU must work on this kernel: every test
# skips with CRIU's own message when `criu check` (or the feature a test
# needs) fails, as on a host whose kernel criu does not know; the cgroup-v2
# guest (contrib/vm, `make check-criu`) runs them.
#
# The containers get pipes for stdio, never files: a file outside the
# container's mount namespace cannot be dumped (runc's tests do the same).

load helpers

# CRIU under TCG on a loaded machine takes far more than a minute.
: "${BERTH_TIMEOUT:=600}"

# criu_ok [FEATURE]: skips unless `criu check` (--feature FEATURE) passes.
criu_ok () {
  command -v criu > /dev/null || skip "criu is not installed"
  local out
  if [ -n "${1:-}" ]; then
    out=$(criu check --feature "$1" 2>&1) || skip "criu check --feature $1: $(echo "$out" | grep -m1 -i 'error\|not supported' || echo "$out" | tail -n 1)"
  else
    out=$(criu check 2>&1) || skip "criu check: $(echo "$out" | grep -m1 Error || echo "$out" | tail -n 1)"
  fi
}

setup () {
  common_setup
  T0=$SECONDS
  IMG="$TMP/img"
}

# A failed test shows what CRIU logged.
teardown () {
  local f
  if [ -z "${BATS_TEST_COMPLETED:-}" ] && [ -n "${TMP:-}" ]; then
    for f in $(find "$TMP" -name '*.log' 2> /dev/null); do
      echo "--- $f"
      grep -E 'Error|Warn' "$f" | head -n 10
      tail -n 5 "$f"
    done
  fi
  common_teardown
  if [ -n "${DEST_ROOT:-}" ] && [ -d "$DEST_ROOT" ]; then
    for f in "$DEST_ROOT"/*; do
      [ -d "$f" ] && "$BERTH_BIN" --root "$DEST_ROOT" delete -f "${f##*/}" > /dev/null 2>&1
    done
  fi
  if [ -n "${NETNS:-}" ]; then ip netns del "$NETNS" 2> /dev/null || true; fi
}

# step WHAT: progress with the seconds since the test began, shown as the
# test runs (CRIU under TCG is slow; these are the durations reported).
step () {
  echo "# +$((SECONDS - T0)) s: $*" >&3
}

# A counter: one line a fifth of a second on stdout.
COUNTER='i=0; while true; do i=$((i + 1)); echo $i; sleep 0.2; done'

# start_piped ID [ARGS...]: `berth run -d` of $BUNDLE with stdin an empty
# pipe and stdout+stderr a pipe into $TMP/ID.out.
start_piped () {
  local id="$1"
  shift
  true | berth run -d --bundle "$BUNDLE" "$@" "$id" 2>&1 | cat > "$TMP/$id.out" &
  BG_PIDS+=("$!")
  wait_for_status "$id" running
}

# restore_piped ID [ARGS...]: `berth restore -d`, stdio as start_piped's,
# into $TMP/ID.restored.
restore_piped () {
  local id="$1"
  shift
  true | berth restore -d --bundle "$BUNDLE" --image-path "$IMG" "$@" "$id" 2>&1 \
    | cat > "$TMP/$id.restored" &
  BG_PIDS+=("$!")
  wait_restored "$id" "$TMP/$id.restored" || { cat "$TMP/$id.restored" >&2; return 1; }
}

# wait_restored ID OUT: until `berth state` says running (CRIU under TCG
# takes minutes), while the restore is under way: not once berth's error
# is in OUT.
wait_restored () {
  local i
  for ((i = 0; i < 1200; i++)); do
    [ "$(berth state "$1" 2> /dev/null | jq -r .status)" = running ] && return 0
    if grep -q '^berth: ' "$2" 2> /dev/null; then
      echo "restore of $1 failed" >&2
      return 1
    fi
    sleep 0.5
  done
  echo "container $1 not running after 10 minutes" >&2
  return 1
}

# last_line FILE: the last complete line.
last_line () {
  tail -n 1 "$1"
}

# wait_lines FILE N: until FILE has N lines (~2 min: a loaded TCG guest).
wait_lines () {
  local i
  for ((i = 0; i < 2400; i++)); do
    [ "$(wc -l < "$1" 2> /dev/null || echo 0)" -ge "$2" ] && return 0
    sleep 0.05
  done
  echo "$1: fewer than $2 lines:" >&2
  cat "$1" >&2
  return 1
}

@test "checkpoint: the container is gone; restore: the counter goes on from where it was" {
  criu_ok
  set_args sh -c "$COUNTER"
  start_piped "$CTR"
  wait_lines "$TMP/$CTR.out" 5
  berth checkpoint --image-path "$IMG" "$CTR"
  step "checkpoint done"
  # As runc: a checkpointed container is no more.
  run berth state "$CTR"
  [ "$status" -ne 0 ]
  before=$(last_line "$TMP/$CTR.out")
  [ "$before" -ge 5 ]

  restore_piped "$CTR"
  step "restored"
  wait_lines "$TMP/$CTR.restored" 3
  first=$(head -n 1 "$TMP/$CTR.restored")
  # The next number, not 1: the process's memory came back.
  expect_eq "$first" "$((before + 1))" "first line after restore"

  # berth's other commands know the restored container.
  run berth exec "$CTR" cat /proc/1/cmdline
  expect_status 0
  expect_contains "$output" "while true"
  pid=$(ctr_pid "$CTR")
  [ -d "/proc/$pid" ]
  berth kill "$CTR" KILL
  wait_for_status "$CTR" stopped
  berth delete "$CTR"
  assert_no_leftovers "$CTR"
}

@test "checkpoint --leave-running, restore into a new id: two distinct containers count on" {
  criu_ok
  set_args sh -c "$COUNTER"
  start_piped "$CTR"
  wait_lines "$TMP/$CTR.out" 3
  berth checkpoint --leave-running --image-path "$IMG" "$CTR"
  step "checkpoint done"
  expect_eq "$(ctr_state "$CTR" status)" running "original after checkpoint"

  restore_piped "$CTR2"
  step "restored"
  pid1=$(ctr_pid "$CTR")
  pid2=$(ctr_pid "$CTR2")
  [ "$pid1" != "$pid2" ]
  # Different processes in different pid namespaces, both counting.
  [ "$(readlink /proc/$pid1/ns/pid)" != "$(readlink /proc/$pid2/ns/pid)" ]
  n1=$(wc -l < "$TMP/$CTR.out")
  wait_lines "$TMP/$CTR2.restored" 3
  wait_lines "$TMP/$CTR.out" $((n1 + 3))
  berth delete -f "$CTR"
  # The copy survives the original.
  n2=$(wc -l < "$TMP/$CTR2.restored")
  wait_lines "$TMP/$CTR2.restored" $((n2 + 2))
  berth delete -f "$CTR2"
  assert_no_leftovers "$CTR2"
}

@test "checkpoint: an open TCP connection needs --tcp-established; a refusal quotes CRIU and leaves it running" {
  criu_ok
  # A server and a client inside the container, over its own lo.  The
  # server's stdin must stay open: busybox nc ends the connection at its
  # EOF (and a background job's stdin is /dev/null).
  set_args sh -c "sleep 1000000 | nc -l -p 5555 & sleep 3; ($COUNTER) | nc 127.0.0.1 5555"
  start_piped "$CTR"
  wait_lines "$TMP/$CTR.out" 3

  run berth checkpoint --image-path "$IMG" "$CTR"
  step "checkpoint returned"
  [ "$status" -ne 0 ]
  expect_contains "$output" "criu dump: "
  expect_contains "$output" "dump.log"
  expect_eq "$(ctr_state "$CTR" status)" running "after the refused dump"
  n=$(wc -l < "$TMP/$CTR.out")
  wait_lines "$TMP/$CTR.out" $((n + 2))

  rm -rf "$IMG"
  berth checkpoint --tcp-established --image-path "$IMG" "$CTR"
  step "checkpoint done"
  before=$(last_line "$TMP/$CTR.out")
  restore_piped "$CTR" --tcp-established
  step "restored"
  wait_lines "$TMP/$CTR.restored" 2
  # The numbers come through the same connection: the next one follows.
  first=$(head -n 1 "$TMP/$CTR.restored")
  [ "$first" -gt "$before" ]
  [ "$first" -le "$((before + 2))" ]
  berth delete -f "$CTR"
}

# pages_bytes DIR: the bytes of memory pages in a CRIU image dir.
pages_bytes () {
  cat "$1"/pages-*.img 2> /dev/null | wc -c
}

@test "checkpoint --pre-dump chain: the second pre-dump carries less than the first, the dump restores" {
  criu_ok
  criu_ok mem_dirty_track
  # 16 MiB touched once, then a counter that dirties little.
  set_args sh -c "x=\$(head -c 16000000 /dev/zero | tr '\\0' a); $COUNTER"
  start_piped "$CTR"
  wait_lines "$TMP/$CTR.out" 3
  berth checkpoint --pre-dump --image-path "$TMP/pre1" "$CTR"
  step "pre-dump done"
  expect_eq "$(ctr_state "$CTR" status)" running "after a pre-dump"
  berth checkpoint --pre-dump --image-path "$TMP/pre2" --parent-path ../pre1 "$CTR"
  step "pre-dump done"
  b1=$(pages_bytes "$TMP/pre1")
  b2=$(pages_bytes "$TMP/pre2")
  echo "pre-dump 1: $b1 bytes, pre-dump 2: $b2 bytes" >&3
  [ "$b1" -ge 16000000 ]
  [ "$b2" -lt $((b1 / 4)) ]

  berth checkpoint --image-path "$IMG" --parent-path ../pre2 "$CTR"
  step "checkpoint done"
  b3=$(pages_bytes "$IMG")
  [ "$b3" -lt $((b1 / 4)) ]
  before=$(last_line "$TMP/$CTR.out")
  restore_piped "$CTR"
  step "restored"
  wait_lines "$TMP/$CTR.restored" 1
  expect_eq "$(head -n 1 "$TMP/$CTR.restored")" "$((before + 1))" "after the chain"
  berth delete -f "$CTR"
}

@test "checkpoint --lazy-pages with a page server, criu lazy-pages, restore --lazy-pages" {
  criu_ok
  criu_ok uffd-noncoop
  set_args sh -c "x=\$(head -c 4000000 /dev/zero | tr '\\0' a); $COUNTER"
  start_piped "$CTR"
  wait_lines "$TMP/$CTR.out" 3
  mkfifo "$TMP/status"
  head -c 1 "$TMP/status" > "$TMP/ready" &
  BG_PIDS+=("$!")
  # --status-fd must be open for writing: CRIU writes \0 there.
  "$BERTH_BIN" --root "$BERTH_ROOT" checkpoint --image-path "$IMG" --lazy-pages \
    --page-server 127.0.0.1:27270 --status-fd 9 "$CTR" 9> "$TMP/status" \
    > "$TMP/dump.out" 2>&1 3>&- &
  dump=$!
  BG_PIDS+=("$dump")
  wait_for_file "$TMP/ready"
  # Until the \0, unless the dump ended first (it failed).
  for ((i = 0; i < 1200; i++)); do
    [ -s "$TMP/ready" ] && break
    kill -0 "$dump" 2> /dev/null || break
    sleep 0.5
  done
  step "lazy dump ready"
  [ -s "$TMP/ready" ] || { cat "$TMP/dump.out" >&2; fail "no \\0 on --status-fd"; }
  before=$(last_line "$TMP/$CTR.out")

  criu lazy-pages --page-server --address 127.0.0.1 --port 27270 \
    -D "$IMG" -o lazy.log 3>&- &
  BG_PIDS+=("$!")
  # The dumped container is there until its pages are over: a new id.
  restore_piped "$CTR2" --lazy-pages
  step "restored"
  wait_lines "$TMP/$CTR2.restored" 2
  expect_eq "$(head -n 1 "$TMP/$CTR2.restored")" "$((before + 1))" "after the lazy restore"
  # The dump ends once every page went over, and the source is gone.
  wait "$dump" || { cat "$TMP/dump.out" >&2; fail "lazy dump failed"; }
  step "lazy dump finished"
  run berth state "$CTR"
  [ "$status" -ne 0 ]
  # The 4 MB went through the page server, not into the image.
  b=$(pages_bytes "$IMG")
  echo "pages in the lazy image: $b bytes" >&3
  [ "$b" -lt 4000000 ]
  berth delete -f "$CTR2"
}

@test "restore: a bad image fails with CRIU's reason and leaves nothing behind" {
  criu_ok
  mkdir -p "$IMG"
  echo '["pipe:[1]","pipe:[2]","pipe:[3]"]' > "$IMG/descriptors.json"
  run berth restore -d --bundle "$BUNDLE" --image-path "$IMG" "$CTR2" < /dev/null
  [ "$status" -ne 0 ]
  expect_contains "$output" "criu restore: "
  expect_contains "$output" "restore.log"
  assert_no_leftovers "$CTR2"
  # No image at all: berth's own error, before anything is made.
  run berth restore -d --bundle "$BUNDLE" --image-path "$TMP/none" "$CTR2" < /dev/null
  [ "$status" -ne 0 ]
  expect_contains "$output" "image path $TMP/none"
  assert_no_leftovers "$CTR2"
}

@test "checkpoint of an --overlay container is refused with why; it runs on, its writes kept" {
  requires overlay
  update_config '.root.readonly = false'
  set_args sh -c "echo changed > /etc/marker; $COUNTER"
  start_piped "$CTR" --overlay
  wait_lines "$TMP/$CTR.out" 2
  run berth checkpoint --image-path "$IMG" "$CTR"
  step "checkpoint returned"
  [ "$status" -ne 0 ]
  expect_contains "$output" "has an --overlay root: its writes live in berth's state dir"
  expect_eq "$(ctr_state "$CTR" status)" running "after the refusal"
  [ ! -e "$IMG/dump.log" ]
  run berth exec "$CTR" cat /etc/marker
  expect_eq "$output" changed "the container's write"
  n=$(wc -l < "$TMP/$CTR.out")
  wait_lines "$TMP/$CTR.out" $((n + 2))
  berth delete -f "$CTR"
  assert_no_leftovers "$CTR"
}

@test "where CRIU fails: checkpoint quotes its Error line and the container runs on; restore leaves nothing" {
  command -v criu > /dev/null || skip "criu is not installed"
  ! criu check > /dev/null 2>&1 || skip "criu works here (the TCP and bad-image tests cover failures)"
  set_args sh -c "$COUNTER"
  start_piped "$CTR"
  wait_lines "$TMP/$CTR.out" 2
  run berth checkpoint --image-path "$IMG" "$CTR"
  step "checkpoint returned"
  [ "$status" -ne 0 ]
  expect_contains "$output" "berth: criu dump: Error ("
  expect_contains "$output" "$IMG/dump.log"
  expect_eq "$(ctr_state "$CTR" status)" running "after the failed dump"
  n=$(wc -l < "$TMP/$CTR.out")
  wait_lines "$TMP/$CTR.out" $((n + 2))

  run berth restore -d --bundle "$BUNDLE" --image-path "$IMG" "$CTR2" < /dev/null
  [ "$status" -ne 0 ]
  expect_contains "$output" "berth: criu restore: Error ("
  berth delete -f "$CTR"
  assert_no_leftovers "$CTR2"
}

@test "restore --no-pivot is refused before anything is made (CRIU always pivots)" {
  mkdir -p "$IMG"
  run berth restore -d --no-pivot --bundle "$BUNDLE" --image-path "$IMG" "$CTR2" < /dev/null
  [ "$status" -ne 0 ]
  expect_contains "$output" "--no-pivot: CRIU always enters the restored root with pivot_root"
  assert_no_leftovers "$CTR2"
}

# tbf_rate NSENTER-ARGS DEV: the rate of the TBF on DEV ("1Mbit"), as the
# kernel reports it; empty without one.
tbf_rate () {
  local dev="${*: -1}"
  nsenter "${@:1:$#-1}" tc qdisc show dev "$dev" \
    | awk '$2 == "tbf" { for (i = 1; i < NF; i++) if ($i == "rate") print $(i + 1) }'
}

@test "checkpoint and restore of a container with a berth-made veth: the pair comes back with its addresses, route and rates" {
  criu_ok
  local ns="cr-ckpt-$$" veth="crck$$" pid
  ip netns add "$ns" || skip "cannot make a network namespace"
  NETNS=$ns
  ip -n "$ns" link set lo up
  set_args sh -c "$COUNTER"
  update_config '.annotations += {
      "run.oci.berth.net.veth": $v, "run.oci.berth.net.peer-netns": $n,
      "run.oci.berth.net.address": "10.201.7.2/24",
      "run.oci.berth.net.gateway": "10.201.7.1",
      "run.oci.berth.net.peer-address": "10.201.7.1/24",
      "run.oci.berth.net.egress-rate": "1mbit",
      "run.oci.berth.net.ingress-rate": "2mbit"}' \
    --arg v "$veth" --arg n "/run/netns/$ns"
  start_piped "$CTR"
  wait_lines "$TMP/$CTR.out" 3
  nsenter --net="/run/netns/$ns" busybox ping -c 1 -W 5 10.201.7.2 > /dev/null \
    || fail "no answer from the container before the checkpoint"

  berth checkpoint --image-path "$IMG" "$CTR"
  step "checkpoint done"
  # The container's namespace is gone, and the pair with it.
  local i
  for ((i = 0; i < 100; i++)); do
    ip -n "$ns" link show "$veth" > /dev/null 2>&1 || break
    sleep 0.1
  done
  ! ip -n "$ns" link show "$veth" > /dev/null 2>&1 || fail "$veth outlived the checkpoint"
  before=$(last_line "$TMP/$CTR.out")

  restore_piped "$CTR"
  step "restored"
  wait_lines "$TMP/$CTR.restored" 2
  expect_eq "$(head -n 1 "$TMP/$CTR.restored")" "$((before + 1))" "first line after restore"
  pid=$(ctr_pid "$CTR")
  # The outside end is back in its namespace, up, with its address: the
  # container answers across the pair.
  ip -n "$ns" -o addr show dev "$veth" | grep -q "inet 10.201.7.1/24" \
    || fail "outside end: $(ip -n "$ns" addr show dev "$veth" 2>&1)"
  nsenter --net="/run/netns/$ns" busybox ping -c 1 -W 5 10.201.7.2 > /dev/null \
    || fail "no answer from the restored container"
  # Inside: CRIU's address and default route, berth's rate on each end.
  nsenter -t "$pid" -n ip -o addr show dev eth0 | grep -q "inet 10.201.7.2/24" \
    || fail "inside end: $(nsenter -t "$pid" -n ip addr show 2>&1)"
  nsenter -t "$pid" -n ip route show default | grep -q "via 10.201.7.1" \
    || fail "default route: $(nsenter -t "$pid" -n ip route 2>&1)"
  expect_eq "$(tbf_rate -t "$pid" -n eth0)" 1Mbit "egress rate (inside end)"
  expect_eq "$(tbf_rate --net="/run/netns/$ns" "$veth")" 2Mbit "ingress rate (outside end)"

  berth kill "$CTR" KILL
  wait_for_status "$CTR" stopped
  berth delete "$CTR"
  ! ip -n "$ns" link show "$veth" > /dev/null 2>&1 || fail "$veth left after delete"
  assert_no_leftovers "$CTR"
}

@test "checkpoint of a container with devices moved in from the host is refused with why; it runs on" {
  local dev="crdm$$"
  # One end of a veth pair of the test's: any device berth did not make.
  ip link add "$dev" type veth peer name "${dev}p" 2> /dev/null \
    || skip "cannot make a veth pair"
  set_args sleep 1000
  update_config '.linux.netDevices = {($d): {"name": "net1"}}' --arg d "$dev"
  if ! berth run -d --bundle "$BUNDLE" "$CTR" < /dev/null > /dev/null 2>&1; then
    ip link del "$dev" 2> /dev/null || true
    skip "cannot move a device into the container"
  fi
  run berth checkpoint --image-path "$IMG" "$CTR"
  step "checkpoint returned"
  [ "$status" -ne 0 ]
  expect_contains "$output" "linux.netDevices"
  expect_contains "$output" "CRIU cannot give back"
  expect_eq "$(ctr_state "$CTR" status)" running "after the refusal"
  [ ! -e "$IMG/dump.log" ]
  berth delete -f "$CTR"
  ip link del "$dev" 2> /dev/null || true
}

# migrate_counter MODE [FEATURE]: a counter that touched 4 MB moves with
# `berth migrate MODE` to another state root and id; it goes on there from
# where it was, with berth migrate's stdout as its own, and the source is
# gone.  The report's summary line is left in $TMP/mig.err.
migrate_counter () {
  local mode="$1" before first
  DEST_ROOT="$TMP/dest-root"
  mkdir -p "$DEST_ROOT"
  set_args sh -c "x=\$(head -c 4000000 /dev/zero | tr '\\0' a); $COUNTER"
  start_piped "$CTR"
  wait_lines "$TMP/$CTR.out" 3
  timeout -k 5 600 "$BERTH_BIN" --root "$BERTH_ROOT" migrate "$mode" \
    --work-dir "$TMP/work" --to-root "$DEST_ROOT" --to-id "$CTR2" "$CTR" \
    < /dev/null > "$TMP/mig.out" 2> "$TMP/mig.err" 3>&- \
    || { cat "$TMP/mig.err" >&2; fail "migrate $mode failed"; }
  step "migrated ($mode)"
  cat "$TMP/mig.err" >&3
  before=$(last_line "$TMP/$CTR.out")
  wait_lines "$TMP/mig.out" 2
  first=$(head -n 1 "$TMP/mig.out")
  expect_eq "$first" "$((before + 1))" "first line at the destination"
  expect_eq "$("$BERTH_BIN" --root "$DEST_ROOT" state "$CTR2" | jq -r .status)" running "destination"
  run berth state "$CTR"
  [ "$status" -ne 0 ]
  # The phases of the downtime follow where they were measured
  # (berth-migrate(8)).
  grep -qE "^mode=${mode#--} rounds=[0-9]+ downtime_ms=[0-9]+ total_ms=[0-9]+( dump_ms=[0-9]+ transfer_ms=[0-9]+ restore_ms=[0-9]+ commit_ms=[0-9]+)?$" "$TMP/mig.err" \
    || fail "no summary line in: $(cat "$TMP/mig.err")"
  "$BERTH_BIN" --root "$DEST_ROOT" delete -f "$CTR2"
  assert_no_leftovers "$CTR"
  [ -z "$(cgroups_named "$CTR2")" ] || fail "cgroups left: $(cgroups_named "$CTR2")"
}

@test "migrate --pre-copy to another root and id: rounds while it runs, then the counter goes on there" {
  criu_ok
  criu_ok mem_dirty_track
  migrate_counter --pre-copy
  # At least one pre-dump round before the frozen one.
  grep -q "^round=1 kind=pre-dump pages=" "$TMP/mig.err" \
    || fail "no pre-dump round in: $(cat "$TMP/mig.err")"
}

@test "migrate --post-copy: the destination runs first, its pages follow" {
  criu_ok
  criu_ok uffd-noncoop
  migrate_counter --post-copy
}

# listeners_27271 PID...: the listening TCP sockets on port 27271 (hex
# 6A87) seen from each PID's network namespace (/proc/PID/net/tcp), one
# "NETNS LINE" each.
listeners_27271 () {
  local p
  for p in "$@"; do
    awk -v ns="$(readlink "/proc/$p/ns/net" 2> /dev/null)" \
      '$2 ~ /:6A87$/ && $4 == "0A" { print ns, $0 }' "/proc/$p/net/tcp" 2> /dev/null
  done
}

@test "migrate --post-copy: CRIU's page server is out of reach of the host's loopback" {
  criu_ok
  criu_ok uffd-noncoop
  command -v ss > /dev/null || skip "no ss (iproute2)"
  local pid host_ns seen_private=0 seen_host=
  DEST_ROOT="$TMP/dest-root"
  mkdir -p "$DEST_ROOT"
  host_ns=$(readlink /proc/self/ns/net)
  set_args sh -c "x=\$(head -c 4000000 /dev/zero | tr '\\0' a); $COUNTER"
  start_piped "$CTR"
  wait_lines "$TMP/$CTR.out" 3
  timeout -k 5 600 "$BERTH_BIN" --root "$BERTH_ROOT" migrate --post-copy \
    --work-dir "$TMP/work" --to-root "$DEST_ROOT" --to-id "$CTR2" "$CTR" \
    < /dev/null > "$TMP/mig.out" 2> "$TMP/mig.err" 3>&- &
  pid=$!
  # While it moves: the page server is seen listening (from CRIU's own
  # processes' namespace), and never on the host's loopback (ss, here).
  while kill -0 "$pid" 2> /dev/null; do
    local l
    l=$(ss -Hltn 'sport = :27271' 2> /dev/null)
    [ -n "$l" ] && seen_host="$l"
    while read -r ns _; do
      if [ "$ns" = "$host_ns" ]; then
        seen_host="a criu process, in the host's namespace"
      else
        seen_private=$((seen_private + 1))
      fi
    done < <(listeners_27271 $(pgrep -x criu))
  done
  wait "$pid" || { cat "$TMP/mig.err" >&2; fail "migrate --post-copy failed"; }
  step "migrated; the page server seen listening $seen_private times"
  [ -z "$seen_host" ] || fail "the page server listened on the host's network: $seen_host"
  # Otherwise the loop above proved nothing.
  [ "$seen_private" -gt 0 ] || fail "the page server was never seen listening"
  expect_eq "$("$BERTH_BIN" --root "$DEST_ROOT" state "$CTR2" | jq -r .status)" running "destination"
  run berth state "$CTR"
  [ "$status" -ne 0 ]
  "$BERTH_BIN" --root "$DEST_ROOT" delete -f "$CTR2"
  assert_no_leftovers "$CTR"
}

@test "migrate --post-copy: --page-server must be a loopback address" {
  criu_ok
  set_args sleep 1000
  berth run -d --bundle "$BUNDLE" "$CTR" < /dev/null > /dev/null 2>&1
  run berth migrate --post-copy --work-dir "$TMP/work" --to-id "$CTR2" \
    --page-server 192.0.2.1:27271 "$CTR"
  [ "$status" -ne 0 ]
  expect_contains "$output" "a loopback address"
  expect_eq "$(ctr_state "$CTR" status)" running "after the refusal"
  berth delete -f "$CTR"
}
