# tests/cri/env.bash: containerd with its CRI plugin, set up in a temp dir
# of its own, for berth's CRI tests (tests/cri, tests/cri-systemd) and
# contrib/bench --cri.  Source it, call cri_up, and cri_down at the end.
#
#   cri_up [HANDLER=BINARY]...   containerd (its runc v2 shim) with one CRI
#                                runtime handler per pair, the first the
#                                default; CRI_SYSTEMD_CGROUP=1 sets the
#                                shim's SystemdCgroup (a systemd host)
#   cri_down                     stops it, removes what it made
#
# Everything containerd keeps lives in $CRI: root, state, sockets, the CNI
# configuration and IPAM data, the pods' network namespaces
# (netns_mounts_under_state_dir), the logs.  The network is a CNI bridge
# with a name and a /24 of its own, without masquerading (no iptables rule
# is made).  The images are made here (tests/cri/mkimage) and imported with
# `ctr images import`, as a node side-loads them: a busybox from
# busybox-static ($CRI_IMAGE) and the pause image ($CRI_PAUSE_IMAGE), whose
# one file is the project's contrib/pause/pause.  Nothing is downloaded.

CRI_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CRI_REPO="$(cd "$CRI_DIR/../.." && pwd)"
# The busybox root filesystem is the engine tests' (make_rootfs_tar).
# shellcheck source=../../contrib/engines/env.bash
. "$CRI_REPO/contrib/engines/env.bash"

CRI_IMAGE=localhost/berth-cri/busybox:test
CRI_PAUSE_IMAGE=localhost/berth-cri/pause:test
# Debian's interpreter, with its python3-grpcio and python3-protobuf (a
# python3 earlier on PATH may lack them).
CRI_PYTHON=/usr/bin/python3

# cri ARGS...: the project's CRI client (tests/cri/cri) on this containerd;
# each call's deadline is $CRI_TIMEOUT seconds (20).
cri () {
  CRI_PY_DIR="$CRI/py" "$CRI_PYTHON" "$CRI_DIR/cri" --socket "$CRI/containerd.sock" \
    --timeout "${CRI_TIMEOUT:-20}" "$@"
}

# cri_ctr ARGS...: ctr in the CRI's namespace.
cri_ctr () {
  timeout -k 5 60 ctr --address "$CRI/containerd.sock" -n k8s.io "$@"
}

# cri_pick_net: a bridge name and a 10.x.y.0/24 no route of this host uses.
cri_pick_net () {
  local i x y
  for ((i = 0; i < 50; i++)); do
    x=$((200 + RANDOM % 50)) y=$((RANDOM % 256))
    ip route | grep -q "^10\.$x\.$y\." && continue
    CRI_SUBNET="10.$x.$y"
    CRI_BRIDGE="bcri${CRI##*.}"
    CRI_BRIDGE=${CRI_BRIDGE:0:15}
    return 0
  done
  echo "cri: no free 10.x.y.0/24" >&2
  return 1
}

cri_config () {
  local pair name bin first=""
  {
    cat << CONF
version = 2
root = "$CRI/root"
state = "$CRI/state"
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.zfs",
  "io.containerd.tracing.processor.v1.otlp"]
[grpc]
  address = "$CRI/containerd.sock"
[ttrpc]
  address = "$CRI/containerd.sock.ttrpc"
[plugins."io.containerd.internal.v1.opt"]
  path = "$CRI/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$CRI_PAUSE_IMAGE"
  # Root here may lack CAP_SYS_RESOURCE: the sandbox's oomScoreAdj of
  # -998 would fail in any runtime.
  restrict_oom_score_adj = true
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  netns_mounts_under_state_dir = true
  disable_apparmor = true
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$CRI/cni"
    max_conf_num = 1
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "${CRI_SNAPSHOTTER:-overlayfs}"
CONF
    for pair in "$@"; do
      name=${pair%%=*} bin=${pair#*=}
      [ -n "$first" ] || { first=$name; echo "    default_runtime_name = \"$name\""; }
      cat << CONF
  [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.$name]
    runtime_type = "io.containerd.runc.v2"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.$name.options]
      BinaryName = "$bin"
      # The runtime's state root (--root) in the temp dir too, not the
      # shim's default /run/containerd/runc/k8s.io of the host's containerd.
      Root = "$CRI/runtime-root"
      SystemdCgroup = $([ "${CRI_SYSTEMD_CGROUP:-}" = 1 ] && echo true || echo false)
CONF
    done
  } > "$CRI/config.toml"
}

cri_cni_config () {
  mkdir -p "$CRI/cni"
  cat > "$CRI/cni/10-berth-cri.conflist" << CONF
{
  "cniVersion": "1.0.0",
  "name": "berth-cri-${CRI##*.}",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "$CRI_BRIDGE",
      "isGateway": true,
      "ipMasq": false,
      "ipam": {
        "type": "host-local",
        "dataDir": "$CRI/ipam",
        "ranges": [[{ "subnet": "$CRI_SUBNET.0/24" }]],
        "routes": [{ "dst": "0.0.0.0/0" }]
      }
    }
  ]
}
CONF
}

# cri_images: the busybox and pause images, made and imported.
cri_images () {
  local pause=${CRI_PAUSE_BIN:-$CRI_REPO/contrib/pause/pause}
  if [ ! -x "$pause" ]; then
    make -s -C "$CRI_REPO" contrib/pause/pause > /dev/null 2>&1 || {
      echo "cri: no $pause (make contrib/pause/pause)" >&2
      return 1
    }
  fi
  ENG=$CRI make_rootfs_tar "$CRI/busybox-layer.tar"
  mkdir -p "$CRI/pause-root"
  cp "$pause" "$CRI/pause-root/pause"
  tar -C "$CRI/pause-root" -cf "$CRI/pause-layer.tar" .
  "$CRI_PYTHON" "$CRI_DIR/mkimage" "$CRI/busybox.tar" "$CRI_IMAGE" \
    "$CRI/busybox-layer.tar" --cmd sh &&
    "$CRI_PYTHON" "$CRI_DIR/mkimage" "$CRI/pause.tar" "$CRI_PAUSE_IMAGE" \
      "$CRI/pause-layer.tar" --entrypoint /pause || return 1
  cri_ctr images import "$CRI/busybox.tar" > /dev/null &&
    cri_ctr images import "$CRI/pause.tar" > /dev/null || return 1
  rm -rf "$CRI/rootfs" "$CRI/pause-root" "$CRI"/*-layer.tar "$CRI/busybox.tar" "$CRI/pause.tar"
}

cri_up () {
  CRI=$(mktemp -d /tmp/berth-cri.XXXXXX)
  export CRI
  chmod 0755 "$CRI"
  cri_pick_net || return 1
  export CRI_BRIDGE CRI_SUBNET
  cri_config "$@"
  cri_cni_config
  containerd --config "$CRI/config.toml" > "$CRI/containerd.log" 2>&1 &
  echo $! > "$CRI/containerd.pid"
  engine_wait_up "$(cat "$CRI/containerd.pid")" 300 cri Version \
    || { tail -n 30 "$CRI/containerd.log" >&2; return 1; }
  cri_images || return 1
  cri ImageStatus "{\"image\": {\"image\": \"$CRI_PAUSE_IMAGE\"}}" | grep -q '"id": "sha256:' \
    || { echo "cri: the CRI does not see $CRI_PAUSE_IMAGE" >&2; return 1; }
}

# cri_down: every pod stopped and removed through the CRI, then containerd
# stopped, then whatever is left (mounts, the bridge, the cgroups under
# $CRI_CGROUP_PARENT) removed.
cri_down () {
  local p
  [ -n "${CRI:-}" ] || return 0
  if [ -S "$CRI/containerd.sock" ]; then
    for p in $(cri_ctr containers ls -q 2> /dev/null); do
      cri_ctr tasks kill -s SIGKILL "$p" > /dev/null 2>&1 || true
    done
    for p in $(cri_pods); do
      CRI_TIMEOUT=10 cri StopPodSandbox "{\"pod_sandbox_id\": \"$p\"}" > /dev/null 2>&1 || true
      CRI_TIMEOUT=10 cri RemovePodSandbox "{\"pod_sandbox_id\": \"$p\"}" > /dev/null 2>&1 || true
    done
  fi
  engine_stop_daemon "$CRI/containerd.pid"
  cri_kill_leftovers
  ENG=$CRI engine_unmount
  ip link del "$CRI_BRIDGE" 2> /dev/null || true
  if [ -n "${CRI_CGROUP_PARENT:-}" ]; then
    find /sys/fs/cgroup -depth -type d -path "*$CRI_CGROUP_PARENT*" \
      -exec rmdir {} + 2> /dev/null || true
  fi
  rm -rf "$CRI"
}

# cri_kill_leftovers: what a runtime that failed to stop a pod left once
# containerd is gone: the pods' processes (every process in a cgroup under
# $CRI_CGROUP_PARENT) and the shims of this containerd (their -address is
# its socket), each killed by its PID.
cri_kill_leftovers () {
  local d p cmd
  if [ -n "${CRI_CGROUP_PARENT:-}" ]; then
    for d in /sys/fs/cgroup/memory"$CRI_CGROUP_PARENT" /sys/fs/cgroup"$CRI_CGROUP_PARENT"; do
      [ -d "$d" ] || continue
      for p in $(find "$d" -name cgroup.procs -exec cat {} + 2> /dev/null); do
        kill -9 "$p" 2> /dev/null || true
      done
    done
  fi
  for p in /proc/[0-9]*; do
    cmd=$({ tr '\0' ' ' < "$p/cmdline"; } 2> /dev/null) || continue
    case "$cmd" in
      *containerd-shim*" -address $CRI/containerd.sock "*) kill -9 "${p#/proc/}" 2> /dev/null || true ;;
    esac
  done
  sleep 0.2
}

# cri_pods: the IDs of every pod sandbox containerd's CRI knows.
cri_pods () {
  cri ListPodSandbox 2> /dev/null | jq -r '.items[].id'
}
