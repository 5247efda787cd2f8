# contrib/engines/env.bash: podman and containerd set up in a temp dir of
# their own, for berth's engine tests (tests/engines) and contrib/bench
# --engines.  Source it, then call engine_podman_up or engine_containerd_up,
# and engine_podman_down / engine_containerd_down at the end.
#
# Everything an engine keeps lives in $ENG: podman's storage
# (graphroot/runroot through CONTAINERS_STORAGE_CONF), its containers.conf
# (CONTAINERS_CONF), containerd's root, state and sockets.  The image,
# $IMAGE, is made locally from busybox-static: no registry.

: "${BUSYBOX:=/bin/busybox}"
IMAGE=localhost/berth-test-busybox:latest

# make_rootfs_tar FILE: a busybox-static root filesystem as a tar.  The
# applets' links come from busybox itself, chrooted (links to /bin/busybox
# in the rootfs), in one process: a fork per applet (about 400) costs
# minutes in the TCG guests.
make_rootfs_tar () {
  local r="$ENG/rootfs"
  mkdir -p "$r/bin" "$r/etc" "$r/tmp" "$r/proc" "$r/sys" "$r/dev"
  cp "$BUSYBOX" "$r/bin/busybox"
  chroot "$r" /bin/busybox --install -s /bin
  echo 'root:x:0:0:root:/root:/bin/sh' > "$r/etc/passwd"
  echo 'root:x:0:' > "$r/etc/group"
  tar -C "$r" -cf "$1" .
}

# engine_wait_up PID SECONDS CMD...: until CMD succeeds (the daemon PID
# answers); fails at once when PID is gone, or after SECONDS of wall time
# (a TCG guest on a loaded machine needs minutes; a count of tries would
# stretch with each slow try).
engine_wait_up () {
  local pid=$1 secs=$2 end=$((SECONDS + $2))
  shift 2
  while ! "$@" > /dev/null 2>&1; do
    kill -0 "$pid" 2> /dev/null || { echo "the daemon ($pid) exited" >&2; return 1; }
    [ "$SECONDS" -lt "$end" ] || { echo "the daemon did not answer within $secs s" >&2; return 1; }
    sleep 0.2
  done
}

# engine_unmount: whatever an engine left mounted under $ENG, deepest
# first, so the files can go.
engine_unmount () {
  local m
  awk -v d="$ENG/" 'index($5, d) == 1 { print $5 }' /proc/self/mountinfo | sort -r \
    | while read -r m; do umount -l "$m" 2> /dev/null || true; done
}

# podman_conf DIR DRIVER [CGROUP_MANAGER]: podman's configuration and
# storage (with DRIVER) in DIR, exported for the podman commands that
# follow; the cgroup manager is cgroupfs unless told (systemd: the systemd
# guest, where podman passes berth --systemd-cgroup).
# engine_cgroup_parent_mark NAME: with cgroupfs an engine makes the
# parent cgroup of its containers itself (podman: libpod_parent; ctr: its
# namespace, "default") and leaves it, empty, when they are gone.  This
# remembers whether NAME was there before the engine ran;
# engine_cgroup_parent_remove then removes it (each hierarchy's, if empty)
# only when the engine made it here.
engine_cgroup_parent_mark () {
  ENG_CG_PARENT=$1
  ENG_CG_PARENT_NEW=1
  if [ -n "$(find /sys/fs/cgroup -mindepth 1 -maxdepth 2 -type d -name "$1" -print -quit)" ]; then
    ENG_CG_PARENT_NEW=
  fi
  export ENG_CG_PARENT ENG_CG_PARENT_NEW
}

engine_cgroup_parent_remove () {
  local d
  [ -n "${ENG_CG_PARENT:-}" ] && [ -n "${ENG_CG_PARENT_NEW:-}" ] || return 0
  # Depth first: podman's has conmon's cgroup in it.
  for d in $(find /sys/fs/cgroup -mindepth 1 -maxdepth 2 -type d -name "$ENG_CG_PARENT"); do
    find "$d" -depth -type d -exec rmdir {} + 2> /dev/null || true
  done
  unset ENG_CG_PARENT ENG_CG_PARENT_NEW
}

podman_conf () {
  mkdir -p "$1"
  cat > "$1/storage.conf" << CONF
[storage]
driver = "$2"
graphroot = "$1/graph"
runroot = "$1/run"
CONF
  # cgroupfs where systemd is not PID 1, and a file for events.  Root here
  # lacks CAP_SYS_RESOURCE, so podman's default nofile/nproc (raised above
  # the hard limit) would fail in any runtime: ask for what root may set.
  cat > "$1/containers.conf" << CONF
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
[engine]
cgroup_manager = "${3:-cgroupfs}"
events_logger = "file"
events_logfile_path = "$1/events.log"
tmp_dir = "$1/tmp"
CONF
  export CONTAINERS_STORAGE_CONF="$1/storage.conf" CONTAINERS_CONF="$1/containers.conf"
}

# engine_podman_up [DRIVER [CGROUP_MANAGER]]: overlay and cgroupfs unless
# told (the systemd guest's root is an overlay already: vfs there).
engine_podman_up () {
  ENG=$(mktemp -d /tmp/berth-engines.XXXXXX)
  export ENG
  podman_conf "$ENG" "${1:-overlay}" "${2:-cgroupfs}"
  [ "${2:-cgroupfs}" != cgroupfs ] || engine_cgroup_parent_mark libpod_parent
  # podman's default network is a bridge it makes on first use and leaves.
  ENG_PODMAN_BRIDGE_NEW=
  ip link show cni-podman0 > /dev/null 2>&1 || ENG_PODMAN_BRIDGE_NEW=1
  export ENG_PODMAN_BRIDGE_NEW
  make_rootfs_tar "$ENG/rootfs.tar"
  podman import -q "$ENG/rootfs.tar" "$IMAGE" > /dev/null
}

engine_podman_down () {
  [ -n "${ENG:-}" ] || return 0
  podman rm -a -f -t 0 > /dev/null 2>&1 || true
  podman system reset -f > /dev/null 2>&1 || true
  # Whatever podman left mounted in its storage goes before the files.
  engine_unmount
  engine_cgroup_parent_remove
  [ -z "${ENG_PODMAN_BRIDGE_NEW:-}" ] || ip link del cni-podman0 2> /dev/null || true
  rm -rf "$ENG"
  unset CONTAINERS_STORAGE_CONF CONTAINERS_CONF ENG_PODMAN_BRIDGE_NEW
}

# ---- containerd --------------------------------------------------------------

engine_containerd_up () {
  ENG=$(mktemp -d /tmp/berth-engines.XXXXXX)
  export ENG
  cat > "$ENG/config.toml" << CONF
version = 2
root = "$ENG/root"
state = "$ENG/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$ENG/containerd.sock"
[ttrpc]
  address = "$ENG/containerd.sock.ttrpc"
[debug]
  address = "$ENG/debug.sock"
CONF
  # ctr's containers go under the namespace's cgroup, /default.
  engine_cgroup_parent_mark default
  containerd --config "$ENG/config.toml" > "$ENG/containerd.log" 2>&1 &
  echo $! > "$ENG/containerd.pid"
  engine_wait_up "$(cat "$ENG/containerd.pid")" 300 \
    ctr --address "$ENG/containerd.sock" version \
    || { cat "$ENG/containerd.log" >&2; return 1; }
  # The image: podman makes it from the rootfs tar and saves it as an OCI
  # archive, which ctr imports.
  make_rootfs_tar "$ENG/rootfs.tar"
  podman_image_archive "$ENG/image.tar"
  c image import --base-name "${IMAGE%:*}" "$ENG/image.tar" > /dev/null
  c image ls -q | grep -qx "$IMAGE" \
    || { echo "ctr image import did not make $IMAGE" >&2; return 1; }
}

# podman_image_archive FILE: the rootfs tar as an oci-archive, through a
# throw-away podman storage.
podman_image_archive () (
  podman_conf "$ENG/podman" vfs
  podman import -q "$ENG/rootfs.tar" "$IMAGE" > /dev/null
  podman save -q --format oci-archive -o "$1" "$IMAGE"
  podman system reset -f > /dev/null 2>&1 || true
)

# engine_stop_daemon PIDFILE: SIGTERM to the daemon whose pid PIDFILE
# holds, up to 5 s for it to exit, then SIGKILL.
engine_stop_daemon () {
  local pid t
  pid=$(cat "$1" 2> /dev/null || true)
  [ -n "$pid" ] || return 0
  kill "$pid" 2> /dev/null || true
  for ((t = 0; t < 100; t++)); do
    kill -0 "$pid" 2> /dev/null || break
    sleep 0.05
  done
  kill -9 "$pid" 2> /dev/null || true
}

engine_containerd_down () {
  local t
  [ -n "${ENG:-}" ] || return 0
  if [ -S "$ENG/containerd.sock" ]; then
    for t in $(c task ls -q 2> /dev/null); do
      c task kill -s SIGKILL "$t" > /dev/null 2>&1 || true
      c task delete -f "$t" > /dev/null 2>&1 || true
    done
    for t in $(c container ls -q 2> /dev/null); do
      c container delete "$t" > /dev/null 2>&1 || true
    done
  fi
  engine_stop_daemon "$ENG/containerd.pid"
  engine_unmount
  engine_cgroup_parent_remove
  rm -rf "$ENG"
}

# c ARGS...: ctr on this file's containerd.
c () {
  timeout -k 5 120 ctr --address "$ENG/containerd.sock" "$@"
}


# ---- Docker --------------------------------------------------------------------

# engine_docker_up RUNTIME [CGROUP_DRIVER]: dockerd (Debian's docker.io
# 20.10) with everything in $ENG: data-root, exec-root, pidfile, socket, its
# own containerd (started by dockerd, stopped with it).  RUNTIME is added as
# the runtime "berth" (contrib/engines/daemon.json does the same for a
# host's /etc/docker).  No bridge, no iptables rules: the tests run with
# --network none and leave the host's network as it was.  Storage: vfs (the
# image is one busybox; the systemd guest's root is an overlay already).
# The cgroup driver: cgroupfs unless told (systemd in the systemd guest);
# with cgroupfs the containers go under $DOCKER_CGROUP_PARENT, removed by
# engine_docker_down.
engine_docker_up () {
  local driver=${2:-cgroupfs}
  ENG=$(mktemp -d /tmp/berth-engines.XXXXXX)
  export ENG
  DOCKER_CGROUP_PARENT=""
  if [ "$driver" = cgroupfs ]; then
    DOCKER_CGROUP_PARENT="/berth-docker-${ENG##*.}"
  fi
  export DOCKER_CGROUP_PARENT
  # dockerd 20.10 writes its trust key to /etc/docker/key.json whatever its
  # roots are (no flag moves it): removed at the end unless it was there.
  DOCKER_KEY_MADE=1
  [ ! -e /etc/docker/key.json ] || DOCKER_KEY_MADE=""
  export DOCKER_KEY_MADE
  cat > "$ENG/daemon.json" << CONF
{
  "runtimes": { "berth": { "path": "$1" } },
  "exec-opts": ["native.cgroupdriver=$driver"],
  "storage-driver": "vfs",
  "bridge": "none",
  "iptables": false,
  "ip6tables": false,
  "ip-masq": false,
  "userland-proxy": false${DOCKER_CGROUP_PARENT:+,
  \"cgroup-parent\": \"$DOCKER_CGROUP_PARENT\"}
}
CONF
  dockerd --config-file "$ENG/daemon.json" --data-root "$ENG/data" \
    --exec-root "$ENG/exec" --pidfile "$ENG/dockerd.pid" \
    -H "unix://$ENG/docker.sock" > "$ENG/dockerd.log" 2>&1 &
  echo $! > "$ENG/dockerd.bgpid"
  engine_wait_up "$(cat "$ENG/dockerd.bgpid")" 300 d version \
    || { cat "$ENG/dockerd.log" >&2; return 1; }
  make_rootfs_tar "$ENG/rootfs.tar"
  d import "$ENG/rootfs.tar" "$IMAGE" > /dev/null
}

engine_docker_down () {
  local pid t c
  [ -n "${ENG:-}" ] || return 0
  if [ -S "$ENG/docker.sock" ]; then
    for c in $(d ps -aq 2> /dev/null); do
      d rm -f "$c" > /dev/null 2>&1 || true
    done
  fi
  pid=$(cat "$ENG/dockerd.bgpid" 2> /dev/null || true)
  if [ -n "$pid" ]; then
    kill "$pid" 2> /dev/null || true
    for ((t = 0; t < 300; t++)); do
      kill -0 "$pid" 2> /dev/null || break
      sleep 0.1
    done
    kill -9 "$pid" 2> /dev/null || true
    wait "$pid" 2> /dev/null || true
  fi
  engine_unmount
  [ -z "${DOCKER_KEY_MADE:-}" ] || rm -f /etc/docker/key.json
  if [ -n "${DOCKER_CGROUP_PARENT:-}" ]; then
    find /sys/fs/cgroup -depth -type d -path "*$DOCKER_CGROUP_PARENT*" \
      -exec rmdir {} + 2> /dev/null || true
  fi
  rm -rf "$ENG"
}

# d ARGS...: the docker client on this file's dockerd.
d () {
  timeout -k 5 120 docker -H "unix://$ENG/docker.sock" "$@"
}
