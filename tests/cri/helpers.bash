# Shared by tests/cri/*.bats (and tests/cri-systemd): pods through
# containerd's CRI, as the kubelet makes them, with berth (or, with
# RUNTIME=/usr/sbin/runc, runc: the same file shows what the reference
# runtime does) as the runc v2 shim's binary.  containerd is started once
# per file (setup_file: cri_setup_file) in a temp dir of its own
# (tests/cri/env.bash).

CRI_HELPERS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=env.bash
. "$CRI_HELPERS_DIR/env.bash"
: "${RUNTIME:=${BERTH_BIN:-$CRI_REPO/berth}}"

# shellcheck source=../lib/expect.bash
. "$CRI_HELPERS_DIR/../lib/expect.bash"

# cri_requires: skips unless containerd, its shim, ctr, Debian's python3
# with grpc and protobuf, the CNI plugins and the runtime are here.
cri_requires () {
  local c
  [ "$(id -u)" = 0 ] || skip "needs root"
  for c in containerd containerd-shim-runc-v2 ctr jq; do
    command -v "$c" > /dev/null || skip "$c is not installed (contrib/install-deps)"
  done
  [ -x /usr/lib/cni/bridge ] || skip "no CNI plugins (containernetworking-plugins)"
  "$CRI_PYTHON" -c 'import grpc, grpc_tools, google.protobuf' 2> /dev/null \
    || skip "$CRI_PYTHON lacks grpc (python3-grpcio python3-protobuf python3-grpc-tools)"
  [ -x "$RUNTIME" ] || skip "no runtime at $RUNTIME (run make)"
}

# cri_setup_file: containerd with $RUNTIME as the handler "test", the
# default; the pods' cgroups under $CRI_CGROUP_PARENT (cgroupfs).
cri_setup_file () {
  cri_requires
  cri_up "test=$RUNTIME"
  CRI_CGROUP_PARENT="/berth-cri-${CRI##*.}"
  export CRI_CGROUP_PARENT
}

cri_teardown_file () {
  cri_down
}

# cri_remove_pods: the pods this test ran (run_pod lists them in
# $CRI/test-pods) stopped and removed, each call bounded (10 s): the next
# test starts clean; what a runtime cannot stop is left to cri_down.
cri_remove_pods () {
  local p
  [ -n "${CRI:-}" ] && [ -f "$CRI/test-pods" ] || return 0
  for p in $(cat "$CRI/test-pods"); do
    CRI_TIMEOUT=10 cri StopPodSandbox "{\"pod_sandbox_id\": \"$p\"}" > /dev/null 2>&1 || true
    CRI_TIMEOUT=10 cri RemovePodSandbox "{\"pod_sandbox_id\": \"$p\"}" > /dev/null 2>&1 || true
  done
  rm -f "$CRI/test-pods"
}

# ---- requests ------------------------------------------------------------------

# pod_config NAME [JQ]: a pod's PodSandboxConfig as the kubelet writes it
# (its own PID namespace per container unless JQ changes it), edited by JQ.
pod_config () {
  jq -n --arg name "$1" --arg uid "uid-$1-$$" --arg logs "$CRI/logs/$1" \
    --arg parent "${CRI_POD_PARENT:-$CRI_CGROUP_PARENT/$1}" '{
      metadata: { name: $name, uid: $uid, namespace: "berth-test" },
      hostname: $name,
      log_directory: $logs,
      linux: {
        cgroup_parent: $parent,
        security_context: { namespace_options: { network: "POD", pid: "CONTAINER", ipc: "POD" } }
      }
    } | '"${2:-.}"
}

# run_pod NAME [JQ]: RunPodSandbox; the ID in $POD, the config kept in
# $CRI/pod-NAME.json for the containers' requests.
run_pod () {
  local out
  pod_config "$1" "${2:-.}" > "$CRI/pod-$1.json" || return 1
  out=$(cri RunPodSandbox "{\"config\": $(cat "$CRI/pod-$1.json")}") || return 1
  POD=$(jq -r .pod_sandbox_id <<< "$out")
  POD_NAME=$1
  echo "$POD" >> "$CRI/test-pods"
}

# create_ctr NAME [JQ]: CreateContainer in the pod last run ($POD), busybox
# sleeping unless JQ says otherwise; the ID in $CID.
create_ctr () {
  local config out
  config=$(jq -n --arg name "$1" --arg image "$CRI_IMAGE" '{
      metadata: { name: $name, attempt: 0 },
      image: { image: $image },
      command: ["sleep", "1000"],
      log_path: ($name + "-0.log"),
      linux: { security_context: { namespace_options: { network: "POD", pid: "CONTAINER", ipc: "POD" } } }
    } | '"${2:-.}") || return 1
  out=$(cri CreateContainer "{\"pod_sandbox_id\": \"$POD\", \"config\": $config,
    \"sandbox_config\": $(cat "$CRI/pod-$POD_NAME.json")}") || return 1
  CID=$(jq -r .container_id <<< "$out")
}

# start_ctr NAME [JQ]: create_ctr and StartContainer.
start_ctr () {
  create_ctr "$@" && cri StartContainer "{\"container_id\": \"$CID\"}" > /dev/null
}

# ---- what the CRI says ---------------------------------------------------------

# ctr_status ID: ContainerStatus, verbose (its info.info is containerd's JSON).
ctr_status () {
  cri ContainerStatus "{\"container_id\": \"$1\", \"verbose\": true}"
}

# ctr_field ID JQ: one field of the container's status.
ctr_field () {
  ctr_status "$1" | jq -r ".status | $2"
}

# ctr_pid ID: the container's init as the host sees it.
ctr_pid () {
  ctr_status "$1" | jq -r '.info.info | fromjson | .pid'
}

# pod_pid ID: the pod sandbox's (pause) process.
pod_pid () {
  cri PodSandboxStatus "{\"pod_sandbox_id\": \"$1\", \"verbose\": true}" \
    | jq -r '.info.info | fromjson | .pid'
}

# wait_ctr_state ID STATE [SECONDS]: up to SECONDS (10) for STATE
# (CONTAINER_EXITED...).
wait_ctr_state () {
  local end=$((SECONDS + ${3:-10})) s
  while :; do
    s=$(ctr_field "$1" .state)
    [ "$s" = "$2" ] && return 0
    [ "$SECONDS" -lt "$end" ] || fail "container $1 is $s, not $2 after ${3:-10} s"
    sleep 0.2
  done
}

# exec_sync ID TIMEOUT CMD...: ExecSync; $EXEC_RC, $EXEC_OUT, $EXEC_ERR.
exec_sync () {
  local id=$1 timeout=$2 out i=0 expr="" arg
  local -a jqargs=()
  shift 2
  # Each word its own --arg (jq would take a "-c" in --args for its own
  # option).
  for arg in "$@"; do
    jqargs+=(--arg "a$i" "$arg")
    expr+="${expr:+, }\$a$i"
    i=$((i + 1))
  done
  out=$(jq -n --arg id "$id" --argjson t "$timeout" "${jqargs[@]}" \
    "{container_id: \$id, timeout: \$t, cmd: [$expr]}" | cri ExecSync -) || return 1
  EXEC_RC=$(jq -r .exit_code <<< "$out")
  EXEC_OUT=$(jq -r '.stdout | @base64d' <<< "$out")
  EXEC_ERR=$(jq -r '.stderr | @base64d' <<< "$out")
}

# within SECONDS CMD...: CMD succeeds, in at most SECONDS of wall time.
within () {
  local limit=$1 t0 t1 ms
  shift
  t0=$EPOCHREALTIME
  "$@" > /dev/null || fail "$* failed"
  t1=$EPOCHREALTIME
  ms=$(( (10#${t1/./} - 10#${t0/./}) / 1000 ))
  [ "$ms" -le $((limit * 1000)) ] || fail "$* took $ms ms, more than $limit s"
}

# ---- what the kernel says ------------------------------------------------------

ns_of () {
  readlink "/proc/$1/ns/$2"
}

# status_field PID FIELD: a field of /proc/PID/status (CapEff, Seccomp...).
status_field () {
  awk -v f="$2:" '$1 == f { print $2; exit }' "/proc/$1/status"
}

# cgroup_dir PID CONTROLLER: the process's cgroup directory for a v1
# CONTROLLER (memory, cpuacct, cpu), or its v2 cgroup.
cgroup_dir () {
  local line
  if [ -e /sys/fs/cgroup/cgroup.controllers ]; then
    echo "/sys/fs/cgroup$(sed -n 's/^0:://p' "/proc/$1/cgroup")"
    return
  fi
  line=$(awk -F: -v c="$2" '{ n = split($2, a, ","); for (i = 1; i <= n; i++) if (a[i] == c) print $2 ":" $3 }' "/proc/$1/cgroup")
  echo "/sys/fs/cgroup/${line%%:*}${line#*:}"
}

cgroup_v2 () {
  [ -e /sys/fs/cgroup/cgroup.controllers ]
}
