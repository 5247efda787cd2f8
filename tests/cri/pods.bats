#!/usr/bin/env bats
# Pods through containerd's CRI, as a Kubernetes node runs them: the runc
# v2 shim with berth as its binary (RUNTIME=/usr/sbin/runc: the same tests
# on runc), a CNI bridge, images imported with ctr.  Each test checks what
# the kernel and the pod see; each step that a kubelet bounds is bounded
# here (10 s).  containerd starts once for the file (tests/cri/env.bash).

load helpers

setup_file () {
  cri_setup_file
}

teardown_file () {
  cri_teardown_file
}

setup () {
  cri_requires
}

teardown () {
  cri_remove_pods
}

@test "cri: pod lifecycle, each step within 10 s" {
  local ppid pid cgroup netns
  within 10 run_pod life
  ppid=$(pod_pid "$POD")
  netns=$(cri PodSandboxStatus "{\"pod_sandbox_id\": \"$POD\", \"verbose\": true}" \
    | jq -r '.info.info | fromjson | .runtimeSpec.linux.namespaces[] | select(.type == "network") | .path')
  [ -e "$netns" ] || fail "no network namespace at $netns"
  [ "$(ns_of "$ppid" net)" != "$(ns_of $$ net)" ] || fail "the pod is in the host's network namespace"
  within 10 create_ctr c
  [ "$(ctr_field "$CID" .state)" = CONTAINER_CREATED ] || fail "not CREATED"
  within 10 cri StartContainer "{\"container_id\": \"$CID\"}"
  [ "$(ctr_field "$CID" .state)" = CONTAINER_RUNNING ] || fail "not RUNNING"
  pid=$(ctr_pid "$CID")
  [ "$(cat "/proc/$pid/comm")" = sleep ] || fail "the container's init is $(cat "/proc/$pid/comm")"
  cgroup=$(cgroup_dir "$pid" memory)
  [ -d "$cgroup" ] || fail "no cgroup $cgroup"
  # sleep as PID 1 ignores SIGTERM: the 2 s grace, then SIGKILL.
  within 10 cri StopContainer "{\"container_id\": \"$CID\", \"timeout\": 2}"
  [ "$(ctr_field "$CID" .state)" = CONTAINER_EXITED ] || fail "not EXITED after StopContainer"
  [ "$(ctr_field "$CID" .exit_code)" = 137 ] || fail "exit code $(ctr_field "$CID" .exit_code)"
  ! kill -0 "$pid" 2> /dev/null || fail "the init ($pid) is still alive"
  within 10 cri RemoveContainer "{\"container_id\": \"$CID\"}"
  run cri ContainerStatus "{\"container_id\": \"$CID\"}"
  expect_status 1
  expect_contains "$output" NOT_FOUND
  [ ! -d "$cgroup" ] || fail "the container's cgroup $cgroup is left"
  within 10 cri StopPodSandbox "{\"pod_sandbox_id\": \"$POD\"}"
  ! kill -0 "$ppid" 2> /dev/null || fail "the pause process ($ppid) is still alive"
  within 10 cri RemovePodSandbox "{\"pod_sandbox_id\": \"$POD\"}"
  [ ! -e "$netns" ] || fail "the network namespace $netns is left"
  run cri PodSandboxStatus "{\"pod_sandbox_id\": \"$POD\"}"
  expect_contains "$output" NOT_FOUND
}

@test "cri: two containers in a pod share its net, ipc and uts namespaces" {
  local ppid p1 p2 ns
  run_pod share
  ppid=$(pod_pid "$POD")
  start_ctr one
  p1=$(ctr_pid "$CID")
  start_ctr two
  p2=$(ctr_pid "$CID")
  for ns in net ipc uts; do
    [ "$(ns_of "$p1" $ns)" = "$(ns_of "$ppid" $ns)" ] || fail "$ns: one $(ns_of "$p1" $ns), pause $(ns_of "$ppid" $ns)"
    [ "$(ns_of "$p2" $ns)" = "$(ns_of "$ppid" $ns)" ] || fail "$ns: two $(ns_of "$p2" $ns), pause $(ns_of "$ppid" $ns)"
    [ "$(ns_of "$p1" $ns)" != "$(ns_of $$ $ns)" ] || fail "$ns: the host's"
  done
  # Each has its own PID namespace (the kubelet's default).
  [ "$(ns_of "$p1" pid)" != "$(ns_of "$p2" pid)" ] || fail "one PID namespace for both"
  exec_sync "$CID" 5 hostname
  [ "$EXEC_OUT" = share ] || fail "hostname: $EXEC_OUT"
}

@test "cri: shareProcessNamespace: the pod's PID namespace, and stopping the pod" {
  local ppid p1 p2
  run_pod pidns '.linux.security_context.namespace_options.pid = "POD"'
  ppid=$(pod_pid "$POD")
  start_ctr one '.linux.security_context.namespace_options.pid = "POD"'
  p1=$(ctr_pid "$CID")
  start_ctr two '.linux.security_context.namespace_options.pid = "POD"
    | .command = ["sh", "-c", "trap \"exit 0\" TERM; sleep 1000 & wait"]'
  p2=$(ctr_pid "$CID")
  [ "$(ns_of "$p1" pid)" = "$(ns_of "$ppid" pid)" ] || fail "one is not in the pod's PID namespace"
  [ "$(ns_of "$p2" pid)" = "$(ns_of "$ppid" pid)" ] || fail "two is not in the pod's PID namespace"
  exec_sync "$CID" 5 cat /proc/1/comm
  [ "$EXEC_OUT" = pause ] || fail "PID 1 in the pod: $EXEC_OUT"
  exec_sync "$CID" 5 sh -c 'ps -o comm | grep -c sleep'
  [ "$EXEC_OUT" = 2 ] || fail "the other container's sleep is not seen: $EXEC_OUT"
  # An orphan goes to the pod's PID 1, pause, which reaps it: no zombie.
  exec_sync "$CID" 5 sh -c '(sleep 0.1 &); sleep 1'
  for p in $(pgrep -f '^sleep 0.1$'); do
    [ "$(ns_of "$p" pid)" != "$(ns_of "$ppid" pid)" ] || fail "the orphan $p: $(grep State: "/proc/$p/status")"
  done
  run pgrep -P "$ppid"
  [ -z "$output" ] || fail "pause has children left: $output"
  # Without a PID namespace of its own, a container's other processes do
  # not die with its init: the shim's `kill --all` after the init's exit
  # kills them (runc signals what is left in the container's cgroup), then
  # the runtime's delete.
  start_ctr three '.linux.security_context.namespace_options.pid = "POD"
    | .command = ["sh", "-c", "sleep 1003 & exec sleep 1004"]'
  local p3 child
  p3=$(ctr_pid "$CID")
  child=$(pgrep -P "$p3" -x sleep) || child=$(pgrep -f '^sleep 1003$')
  [ -n "$child" ] || fail "no background sleep in three"
  within 10 cri StopContainer "{\"container_id\": \"$CID\", \"timeout\": 5}"
  [ "$(ctr_field "$CID" .state)" = CONTAINER_EXITED ] || fail "three is $(ctr_field "$CID" .state)"
  ! kill -0 "$child" 2> /dev/null || fail "three's background sleep ($child) outlived its init"
  within 10 cri StopPodSandbox "{\"pod_sandbox_id\": \"$POD\"}"
  for p in "$ppid" "$p1" "$p2"; do
    ! kill -0 "$p" 2> /dev/null || fail "$p is alive after StopPodSandbox"
  done
  within 10 cri RemovePodSandbox "{\"pod_sandbox_id\": \"$POD\"}"
}

@test "cri: ExecSync: output, exit codes and a timeout" {
  local t0 cg
  run_pod exec
  start_ctr c
  exec_sync "$CID" 5 sh -c 'echo out; echo err >&2'
  [ "$EXEC_RC" = 0 ] && [ "$EXEC_OUT" = out ] && [ "$EXEC_ERR" = err ] \
    || fail "rc $EXEC_RC, stdout $EXEC_OUT, stderr $EXEC_ERR"
  exec_sync "$CID" 5 sh -c 'exit 7'
  [ "$EXEC_RC" = 7 ] || fail "exit code $EXEC_RC, expected 7"
  exec_sync "$CID" 5 /no/such/binary || true
  [ "$EXEC_RC" != 0 ] || fail "a missing binary ran"
  # The timeout: the call fails within it (plus the kill), and the process
  # is gone from the container's cgroup.
  t0=$SECONDS
  run exec_sync "$CID" 1 sleep 57
  [ "$status" != 0 ] || fail "ExecSync past its timeout succeeded: $output"
  expect_contains "$output" timeout
  [ $((SECONDS - t0)) -le 10 ] || fail "ExecSync with a 1 s timeout took $((SECONDS - t0)) s"
  cg=$(cgroup_dir "$(ctr_pid "$CID")" memory)
  for p in $(cat "$cg/cgroup.procs"); do
    [ "$(cat "/proc/$p/cmdline" 2> /dev/null | tr '\0' ' ')" != "sleep 57 " ] || fail "the timed-out exec ($p) is alive"
  done
}

@test "cri: container logs in the CRI format (timestamp stream P|F message)" {
  local log long
  run_pod logs
  start_ctr c '.command = ["sh", "-c", "echo out1; echo err1 >&2; head -c 20000 /dev/zero | tr \"\\0\" a; echo"]'
  wait_ctr_state "$CID" CONTAINER_EXITED
  log=$(ctr_field "$CID" .log_path)
  [ "$log" = "$CRI/logs/logs/c-0.log" ] || fail "log path $log"
  # Every line: RFC 3339 time, the stream, P (partial) or F (full), text.
  run grep -cvE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2}) (stdout|stderr) [PF] ' "$log"
  [ "$output" = 0 ] || fail "lines not in the CRI format: $(cat "$log" | cut -c1-100)"
  grep -qE ' stdout F out1$' "$log" || fail "no stdout line: $(cut -c1-100 "$log")"
  grep -qE ' stderr F err1$' "$log" || fail "no stderr line: $(cut -c1-100 "$log")"
  # The 20000-byte line is cut into partial lines and one full one.
  grep -qE ' stdout P a+$' "$log" || fail "no partial line: $(cut -c1-100 "$log")"
  long=$(awk '$2 == "stdout" && $4 ~ /^a+$/ { printf "%s", $4 } $2 == "stdout" && $3 == "F" && $4 ~ /^a+$/ { exit }' "$log")
  [ "${#long}" = 20000 ] || fail "the long line has ${#long} bytes"
}

# stat_value JSON FIELD: a UInt64Value of a ContainerStats.
stat_value () {
  jq -r "$2.value | tonumber" <<< "$1"
}

@test "cri: ContainerStats and ListContainerStats against the cgroup's numbers" {
  local pid cpu mem before after stats ws usage inactive list
  run_pod stats
  start_ctr c '.command = ["sh", "-c", "i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; head -c 4m /dev/zero > /tmp/f; exec sleep 1000"]'
  cid1=$CID
  start_ctr d
  sleep 1
  pid=$(ctr_pid "$cid1")
  if cgroup_v2; then
    cpu=$(cgroup_dir "$pid")
    before=$(( $(awk '$1 == "usage_usec" { print $2 }' "$cpu/cpu.stat") * 1000 ))
  else
    cpu=$(cgroup_dir "$pid" cpuacct)
    before=$(cat "$cpu/cpuacct.usage")
  fi
  stats=$(cri ContainerStats "{\"container_id\": \"$cid1\"}" | jq .stats)
  if cgroup_v2; then
    after=$(( ($(awk '$1 == "usage_usec" { print $2 }' "$cpu/cpu.stat") + 1) * 1000 ))
  else
    after=$(cat "$cpu/cpuacct.usage")
  fi
  [ "$(jq -r .attributes.id <<< "$stats")" = "$cid1" ] || fail "stats of $(jq -r .attributes.id <<< "$stats")"
  local used
  used=$(stat_value "$stats" .cpu.usage_core_nano_seconds)
  [ "$used" -ge "$before" ] && [ "$used" -le "$after" ] \
    || fail "CPU: CRI $used ns, the cgroup $before..$after ns"
  [ "$used" -gt 1000000 ] || fail "CPU: $used ns for a busy loop"
  # Memory: the working set is the usage less the inactive file pages.
  if cgroup_v2; then
    mem=$(cgroup_dir "$pid")
    usage=$(cat "$mem/memory.current")
    inactive=$(awk '$1 == "inactive_file" { print $2 }' "$mem/memory.stat")
  else
    mem=$(cgroup_dir "$pid" memory)
    usage=$(cat "$mem/memory.usage_in_bytes")
    inactive=$(awk '$1 == "total_inactive_file" { print $2 }' "$mem/memory.stat")
  fi
  ws=$(stat_value "$stats" .memory.working_set_bytes)
  [ "$(stat_value "$stats" .memory.usage_bytes)" -ge 4000000 ] \
    || fail "memory usage $(stat_value "$stats" .memory.usage_bytes): the 4 MiB file is not counted"
  [ $((ws - (usage - inactive))) -le 262144 ] && [ $(((usage - inactive) - ws)) -le 262144 ] \
    || fail "working set: CRI $ws, the cgroup $((usage - inactive))"
  list=$(cri ListContainerStats "{\"filter\": {\"pod_sandbox_id\": \"$POD\"}}")
  [ "$(jq '.stats | length' <<< "$list")" = 2 ] || fail "ListContainerStats: $list"
  jq -e --arg a "$cid1" --arg b "$CID" '[.stats[].attributes.id] | sort == ([$a, $b] | sort)' <<< "$list" > /dev/null \
    || fail "ListContainerStats lists $(jq -c '[.stats[].attributes.id]' <<< "$list")"
  used=$(jq -r --arg a "$cid1" '.stats[] | select(.attributes.id == $a) | .cpu.usage_core_nano_seconds.value | tonumber' <<< "$list")
  [ "$used" -ge "$before" ] || fail "ListContainerStats: CPU $used ns, the cgroup had $before"
}

# cpu_usage_ns PID: the CPU time of PID's cgroup, in ns.
cpu_usage_ns () {
  if cgroup_v2; then
    echo $(( $(awk '$1 == "usage_usec" { print $2 }' "$(cgroup_dir "$1")/cpu.stat") * 1000 ))
  else
    cat "$(cgroup_dir "$1" cpuacct)/cpuacct.usage"
  fi
}

@test "cri: UpdateContainerResources: memory and CPU limits seen inside and enforced" {
  local pid cg per0 per1 use0 use1
  run_pod update
  start_ctr c
  pid=$(ctr_pid "$CID")
  run cri UpdateContainerResources "{\"container_id\": \"$CID\", \"linux\": {
    \"memory_limit_in_bytes\": $((64 * 1024 * 1024)), \"cpu_period\": 100000, \"cpu_quota\": 20000, \"cpu_shares\": 512}}"
  expect_status 0
  if cgroup_v2; then
    # cpu_shares 512 is cpu.weight 20 (1 + (512 - 2) * 9999 / 262142).
    exec_sync "$CID" 5 sh -c 'cat /sys/fs/cgroup/memory.max /sys/fs/cgroup/cpu.max /sys/fs/cgroup/cpu.weight'
    [ "$EXEC_OUT" = "$((64 * 1024 * 1024))
20000 100000
20" ] || fail "inside: $EXEC_OUT"
    cg=$(cgroup_dir "$pid")
  else
    exec_sync "$CID" 5 sh -c 'cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/cpu/cpu.cfs_quota_us /sys/fs/cgroup/cpu/cpu.cfs_period_us /sys/fs/cgroup/cpu/cpu.shares'
    [ "$EXEC_OUT" = "$((64 * 1024 * 1024))
20000
100000
512" ] || fail "inside: $EXEC_OUT"
    cg=$(cgroup_dir "$pid" cpu)
  fi
  # Enforced: 16 MiB fits, 100 MiB is OOM-killed; a busy second is
  # throttled to 20 % of a CPU.
  exec_sync "$CID" 10 dd if=/dev/zero of=/dev/null bs=16M count=1
  [ "$EXEC_RC" = 0 ] || fail "16 MiB under a 64 MiB limit: exit $EXEC_RC: $EXEC_ERR"
  exec_sync "$CID" 10 dd if=/dev/zero of=/dev/null bs=100M count=1
  [ "$EXEC_RC" = 137 ] || fail "100 MiB over a 64 MiB limit: exit $EXEC_RC: $EXEC_ERR"
  # The CPU quota: the kernel counts its periods while the loop runs, and
  # the loop gets at most 20 % of the 2 s it spins (plus a few periods of
  # slack), however idle the machine.
  per0=$(awk '$1 == "nr_periods" { print $2 }' "$cg/cpu.stat")
  use0=$(cpu_usage_ns "$pid")
  exec_sync "$CID" 10 timeout 2 sh -c 'while :; do :; done' || true
  use1=$(cpu_usage_ns "$pid")
  per1=$(awk '$1 == "nr_periods" { print $2 }' "$cg/cpu.stat")
  [ "$per1" -gt "$per0" ] || fail "no CFS bandwidth period counted under the quota ($per0 -> $per1)"
  [ $((use1 - use0)) -le 500000000 ] \
    || fail "a busy loop under a 20 % quota used $(((use1 - use0) / 1000000)) ms of CPU in 2 s"
}

@test "cri: an OOM kill is reported with reason OOMKilled" {
  run_pod oom
  start_ctr c ".command = [\"dd\", \"if=/dev/zero\", \"of=/dev/null\", \"bs=100M\", \"count=1\"]
    | .linux.resources.memory_limit_in_bytes = $((32 * 1024 * 1024))"
  wait_ctr_state "$CID" CONTAINER_EXITED
  [ "$(ctr_field "$CID" .exit_code)" = 137 ] || fail "exit code $(ctr_field "$CID" .exit_code)"
  [ "$(ctr_field "$CID" .reason)" = OOMKilled ] || fail "reason $(ctr_field "$CID" .reason)"
}

@test "cri: a hostNetwork pod is in the host's network namespace" {
  local pid
  # As the kubelet asks: no hostname (the host's UTS namespace).
  run_pod hostnet '.linux.security_context.namespace_options.network = "NODE" | .hostname = ""'
  [ "$(ns_of "$(pod_pid "$POD")" net)" = "$(ns_of $$ net)" ] || fail "the pause process is not in the host's network namespace"
  start_ctr c '.linux.security_context.namespace_options.network = "NODE"'
  pid=$(ctr_pid "$CID")
  [ "$(ns_of "$pid" net)" = "$(ns_of $$ net)" ] || fail "the container is not in the host's network namespace"
  exec_sync "$CID" 5 cat /proc/net/dev
  expect_contains "$EXEC_OUT" "$(ip -o link show | awk -F': ' 'NR == 2 { print $2 }' | cut -d@ -f1)"
}

@test "cri: readOnlyRootFilesystem, runAsUser and runAsGroup" {
  local pid
  run_pod sec
  start_ctr c '.linux.security_context.readonly_rootfs = true
    | .linux.security_context.run_as_user = { value: 1234 }
    | .linux.security_context.run_as_group = { value: 2345 }'
  pid=$(ctr_pid "$CID")
  [ "$(awk '$1 == "Uid:" { print $2, $3, $4, $5 }' "/proc/$pid/status")" = "1234 1234 1234 1234" ] \
    || fail "Uid: $(grep Uid: "/proc/$pid/status")"
  [ "$(awk '$1 == "Gid:" { print $2, $3, $4, $5 }' "/proc/$pid/status")" = "2345 2345 2345 2345" ] \
    || fail "Gid: $(grep Gid: "/proc/$pid/status")"
  [ "$(awk '$5 == "/" { split($6, o, ","); print o[1] }' "/proc/$pid/mountinfo")" = ro ] \
    || fail "the root is not read-only: $(awk '$5 == "/"' "/proc/$pid/mountinfo")"
  exec_sync "$CID" 5 sh -c 'id -u; id -g; touch /x'
  [ "$EXEC_RC" != 0 ] || fail "touch / succeeded on a read-only root"
  expect_contains "$EXEC_ERR" "Read-only file system"
  [ "$EXEC_OUT" = "1234
2345" ] || fail "id: $EXEC_OUT"
}

@test "cri: a privileged container, and seccomp RuntimeDefault" {
  local pid bnd
  bnd=$(status_field $$ CapBnd)
  run_pod priv '.linux.security_context.privileged = true'
  start_ctr p '.linux.security_context.privileged = true'
  pid=$(ctr_pid "$CID")
  [ "$(status_field "$pid" CapEff)" = "$bnd" ] || fail "privileged CapEff $(status_field "$pid" CapEff), the host's bounding set $bnd"
  [ "$(status_field "$pid" Seccomp)" = 0 ] || fail "privileged: Seccomp $(status_field "$pid" Seccomp)"
  # The host's devices, and no masked /proc paths (/proc/kcore is
  # /dev/null's bind mount in other containers).
  exec_sync "$CID" 5 sh -c 'ls /dev | wc -l; grep -c " /proc/kcore " /proc/self/mounts'
  [ "$(head -n 1 <<< "$EXEC_OUT")" -gt 20 ] || fail "privileged /dev has $(head -n 1 <<< "$EXEC_OUT") entries"
  [ "$(tail -n 1 <<< "$EXEC_OUT")" = 0 ] || fail "privileged: /proc/kcore is masked"
  start_ctr s '.linux.security_context.seccomp = { profile_type: "RuntimeDefault" }'
  pid=$(ctr_pid "$CID")
  [ "$(status_field "$pid" Seccomp)" = 2 ] || fail "RuntimeDefault: Seccomp $(status_field "$pid" Seccomp)"
  [ "$(status_field "$pid" CapEff)" != "$bnd" ] || fail "an unprivileged container has every capability"
  exec_sync "$CID" 5 sh -c 'grep Seccomp: /proc/self/status'
  expect_contains "$EXEC_OUT" 2
}

@test "cri: sysctls in the pod, and its DNS config" {
  local pid
  run_pod sysctl '.linux.sysctls = { "kernel.shm_rmid_forced": "1", "net.ipv4.ip_unprivileged_port_start": "2000" }
    | .dns_config = { servers: ["10.96.0.10"], searches: ["berth-test.svc.cluster.local", "svc.cluster.local"], options: ["ndots:5"] }'
  start_ctr c
  pid=$(ctr_pid "$CID")
  exec_sync "$CID" 5 cat /proc/sys/kernel/shm_rmid_forced /proc/sys/net/ipv4/ip_unprivileged_port_start
  [ "$EXEC_OUT" = "1
2000" ] || fail "sysctls in the pod: $EXEC_OUT"
  [ "$(cat /proc/sys/net/ipv4/ip_unprivileged_port_start)" != 2000 ] || fail "the host's sysctl changed"
  exec_sync "$CID" 5 cat /etc/resolv.conf
  expect_contains "$EXEC_OUT" "nameserver 10.96.0.10"
  expect_contains "$EXEC_OUT" "search berth-test.svc.cluster.local svc.cluster.local"
  expect_contains "$EXEC_OUT" "options ndots:5"
}

@test "cri: a container restarted in the same pod (attempt 1)" {
  local first ppid pid
  run_pod restart
  ppid=$(pod_pid "$POD")
  start_ctr c '.command = ["sh", "-c", "echo first; exit 3"]'
  first=$CID
  wait_ctr_state "$first" CONTAINER_EXITED
  [ "$(ctr_field "$first" .exit_code)" = 3 ] || fail "exit code $(ctr_field "$first" .exit_code)"
  within 10 start_ctr c '.metadata.attempt = 1 | .log_path = "c-1.log"
    | .command = ["sh", "-c", "echo second; exec sleep 1000"]'
  [ "$CID" != "$first" ] || fail "the same ID for attempt 1"
  [ "$(ctr_field "$CID" .state)" = CONTAINER_RUNNING ] || fail "attempt 1 is not RUNNING"
  [ "$(ctr_field "$CID" .metadata.attempt)" = 1 ] || fail "attempt $(ctr_field "$CID" .metadata.attempt)"
  pid=$(ctr_pid "$CID")
  [ "$(ns_of "$pid" net)" = "$(ns_of "$ppid" net)" ] || fail "attempt 1 is not in the pod's network namespace"
  [ "$(ctr_field "$first" .state)" = CONTAINER_EXITED ] || fail "attempt 0 is $(ctr_field "$first" .state)"
  grep -q ' stdout F first$' "$CRI/logs/restart/c-0.log" || fail "attempt 0's log"
  sleep 0.5
  grep -q ' stdout F second$' "$CRI/logs/restart/c-1.log" || fail "attempt 1's log: $(cat "$CRI/logs/restart/c-1.log")"
}

@test "cri: contrib/engines/containerd.toml gives the CRI a berth handler on the runc v2 shim" {
  run containerd --config "$CRI_REPO/contrib/engines/containerd.toml" config dump
  expect_status 0
  run awk '/runtimes\.berth\]/ { p = 1 } p && /runtime_type|BinaryName|SystemdCgroup/ { gsub(/^ +/, ""); print } /runtimes\.berth\.options\]/ { o = 1 } o && /SystemdCgroup/ { exit }' <<< "$output"
  expect_contains "$output" 'runtime_type = "io.containerd.runc.v2"'
  expect_contains "$output" 'BinaryName = "/usr/local/bin/berth"'
  expect_contains "$output" 'SystemdCgroup = true'
}
