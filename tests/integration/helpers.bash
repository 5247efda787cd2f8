# berth integration tests: common setup, bundle creation and assertions.
#
# Needs only berth, jq and busybox-static.  Every test gets its own temp
# dir ($TMP), state root ($BERTH_ROOT), bundle ($BUNDLE) and container id
# ($CTR); teardown force-deletes every container and fails the test when
# a mount or a process is left behind.
#
# Run the suite against another runtime to check the tests themselves:
#   BERTH_BIN=/usr/sbin/runc bats tests/integration/namespaces.bats

bats_require_minimum_version 1.5.0

HELPERS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$HELPERS_DIR/../.." && pwd)"
: "${BERTH_BIN:=$REPO_ROOT/berth}"
: "${BUSYBOX:=/bin/busybox}"
export BERTH_BIN BUSYBOX

# ---- running berth ---------------------------------------------------------

# fd 3 is bats's output pipe: a container that inherited it would keep
# bats waiting after the test, so berth never sees it.  A hung berth is
# killed after $BERTH_TIMEOUT seconds (exit 124) instead of hanging bats.
berth () {
  timeout -k 5 "${BERTH_TIMEOUT:-60}" "$BERTH_BIN" --root "$BERTH_ROOT" "$@" 3>&-
}

# berth_bg ARGS...: berth in the background, stdio on $TMP/bg.out; sets
# BG_PID (berth itself, so signals reach it) and registers it for teardown.
berth_bg () {
  "$BERTH_BIN" --root "$BERTH_ROOT" "$@" < /dev/null > "$TMP/bg.out" 2>&1 3>&- &
  BG_PID=$!
  BG_PIDS+=("$BG_PID")
}

# wait_bg PID: waits up to ~10 s for a background child and returns its
# exit status (255 and a message when it had to be killed).
wait_bg () {
  local pid="$1" i
  for ((i = 0; i < 200; i++)); do
    if [ ! -d "/proc/$pid" ] || grep -q '^State:.*Z' "/proc/$pid/status" 2> /dev/null; then
      wait "$pid"
      return
    fi
    sleep 0.05
  done
  echo "background process $pid did not exit: killed" >&2
  kill -9 "$pid" 2> /dev/null
  wait "$pid" 2> /dev/null
  return 255
}

# create_ctr [create options...] ID: creates a container from $BUNDLE with
# the container's stdio on $TMP/ID.out and $TMP/ID.err (berth's own error
# messages land in $TMP/ID.err too).  Returns berth's exit status.
create_ctr () {
  local id="${!#}"
  berth create --bundle "$BUNDLE" "$@" < /dev/null \
    > "$TMP/$id.out" 2> "$TMP/$id.err"
}

# run_detached [run options...] ID: `berth run -d` with stdio on files.
run_detached () {
  local id="${!#}"
  berth run -d --bundle "$BUNDLE" "$@" < /dev/null \
    > "$TMP/$id.out" 2> "$TMP/$id.err"
}

# set_args ARG...: process.args of $BUNDLE/config.json.
set_args () {
  update_config '.process.args = $a' --argjson a "$(json_array "$@")"
}

# run_sh SCRIPT [run options...]: runs `sh -c SCRIPT` in the foreground
# container $CTR through bats's `run`: $status and $output are the
# container's.
run_sh () {
  local script="$1"
  shift
  set_args sh -c "$script"
  run berth run --bundle "$BUNDLE" "$@" "$CTR" < /dev/null
}

# update_config FILTER [jq options...]: edits $BUNDLE/config.json in place.
update_config () {
  local filter="$1"
  shift
  jq "$@" "$filter" "$BUNDLE/config.json" > "$BUNDLE/config.json.new" \
    && mv "$BUNDLE/config.json.new" "$BUNDLE/config.json"
}

ctr_state () {
  berth state "$1" | jq -r ".$2"
}

ctr_pid () {
  ctr_state "$1" pid
}

# wait_for_status ID STATUS: polls `berth state` for up to ~5 s.
wait_for_status () {
  local id="$1" want="$2" st="" i
  for ((i = 0; i < 100; i++)); do
    st=$(berth state "$id" 2> /dev/null | jq -r .status 2> /dev/null)
    [ "$st" = "$want" ] && return 0
    sleep 0.05
  done
  echo "container $id: status \"$st\", expected \"$want\"" >&2
  return 1
}

# wait_for_file FILE [FIXED-STRING]: until FILE exists (and contains the
# string), for up to ~5 s.
wait_for_file () {
  local file="$1" want="${2-}" i
  for ((i = 0; i < 100; i++)); do
    if [ -e "$file" ]; then
      [ -z "$want" ] && return 0
      grep -qF -- "$want" "$file" && return 0
    fi
    sleep 0.05
  done
  echo "timed out waiting for $file${want:+ to contain \"$want\"}" >&2
  [ -e "$file" ] && { echo "--- $file:" >&2; cat "$file" >&2; }
  return 1
}

# wait_for_pid_gone PID: up to ~5 s.
wait_for_pid_gone () {
  local i
  for ((i = 0; i < 100; i++)); do
    [ -d "/proc/$1" ] || return 0
    # A zombie is gone as far as the container is concerned.
    grep -q '^State:.*Z' "/proc/$1/status" 2> /dev/null && return 0
    sleep 0.05
  done
  echo "process $1 still exists" >&2
  return 1
}

# helper_bin NAME [CFLAGS...]: tests/helpers/NAME.c, built once per test
# file (with CFLAGS, such as -static for the container) with the
# build dependencies' compiler; prints the binary's path.
helper_bin () {
  local src="$REPO_ROOT/tests/helpers/$1.c" bin="$BATS_FILE_TMPDIR/helpers/$1"
  if [ ! -x "$bin" ]; then
    mkdir -p "${bin%/*}" || return 1
    "${CC:-cc}" -O2 -Wall "${@:2}" -o "$bin" "$src" >&2 || return 1
  fi
  echo "$bin"
}

fail () {
  echo "$*" >&2
  return 1
}

# expect_status N: after `run`, $status is N; prints the output if not.
expect_status () {
  [ "$status" -eq "$1" ] && return 0
  printf 'exit status %s, expected %s; output:\n%s\n' "$status" "$1" "$output" >&2
  [ -z "${stderr-}" ] || printf 'stderr:\n%s\n' "$stderr" >&2
  return 1
}

# expect_eq ACTUAL EXPECTED [WHAT]
expect_eq () {
  [ "$1" = "$2" ] && return 0
  echo "${3:-value}: expected \"$2\", got \"$1\"" >&2
  return 1
}

# expect_contains HAYSTACK NEEDLE [WHAT]
expect_contains () {
  case "$1" in
    *"$2"*) return 0 ;;
  esac
  printf '%s: expected to contain "%s", got:\n%s\n' "${3:-output}" "$2" "$1" >&2
  return 1
}

# expect_not_contains HAYSTACK NEEDLE [WHAT]
expect_not_contains () {
  case "$1" in
    *"$2"*)
      printf '%s: expected not to contain "%s", got:\n%s\n' "${3:-output}" "$2" "$1" >&2
      return 1
      ;;
  esac
  return 0
}

# expect_error STATUS STDERR NEEDLE...: berth's error contract: exit 1 and
# a "berth: ..." message that mentions each NEEDLE.
expect_error () {
  local st="$1" err="$2" n
  shift 2
  expect_eq "$st" 1 "exit status" || { echo "$err" >&2; return 1; }
  for n in "$@"; do
    expect_contains "$err" "$n" "stderr" || return 1
  done
  expect_contains "$err" "berth: " "stderr"
}

requires () {
  local r
  for r in "$@"; do
    case "$r" in
      root)
        [ "$(id -u)" = 0 ] || skip "needs root"
        ;;
      userns)
        [ -e /proc/self/ns/user ] || skip "kernel has no user namespaces"
        [ "$(cat /proc/sys/user/max_user_namespaces 2> /dev/null || echo 0)" -gt 0 ] \
          || skip "user namespaces are disabled"
        ;;
      timens)
        [ -e /proc/self/ns/time ] || skip "kernel has no time namespaces"
        ;;
      cgroupns)
        [ -e /proc/self/ns/cgroup ] || skip "kernel has no cgroup namespaces"
        ;;
      overlay)
        grep -qw overlay /proc/filesystems || modprobe overlay 2> /dev/null \
          || skip "no overlay filesystem"
        ;;
      unshare)
        command -v unshare > /dev/null || skip "needs unshare(1)"
        ;;
      cgroup_v1)
        # v1 only or hybrid (v1 controllers, cgroup2 at /sys/fs/cgroup/unified).
        [ "$(stat -f -c %T /sys/fs/cgroup)" != cgroup2fs ] \
          || skip "needs cgroup v1 (this host is cgroup v2)"
        ;;
      cgroup_v2)
        [ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ] \
          || skip "needs cgroup v2 (this host has v1 controllers)"
        ;;
      plain_build)
        # Counts and sizes are a plain build's: the sanitizers' runtime
        # (make check's second pass, build/asan/berth) maps its shadow
        # memory and installs its own signal handlers at every start.
        ! grep -qa __asan_init "$BERTH_BIN" ||
          skip "$BERTH_BIN is built with AddressSanitizer: its runtime's calls and memory are not berth's"
        ;;
      *)
        fail "requires: unknown requirement $r"
        ;;
    esac
  done
}

# ---- the bundle ------------------------------------------------------------

# use_spec_default CMD [ARG...]: $BUNDLE/config.json becomes what `berth
# spec` writes (runc's default spec), running CMD without a terminal.
use_spec_default () {
  rm "$BUNDLE/config.json"
  (cd "$BUNDLE" && "$BERTH_BIN" spec)
  update_config '.process.terminal = false'
  set_args "$@"
}

# runc's default spec (`runc spec`) with process.terminal=false and without
# the /sys/fs/cgroup mount (the cgroup mount has its own test in
# mounts.bats, so one missing feature does not fail the whole suite).
default_config () {
  cat << 'EOF'
{
  "ociVersion": "1.0.2-dev",
  "process": {
    "terminal": false,
    "user": { "uid": 0, "gid": 0 },
    "args": [ "sh" ],
    "env": [
      "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
      "TERM=xterm"
    ],
    "cwd": "/",
    "capabilities": {
      "bounding": [ "CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE" ],
      "effective": [ "CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE" ],
      "permitted": [ "CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE" ],
      "ambient": [ "CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE" ]
    },
    "rlimits": [ { "type": "RLIMIT_NOFILE", "hard": 1024, "soft": 1024 } ],
    "noNewPrivileges": true
  },
  "root": { "path": "rootfs", "readonly": true },
  "hostname": "bats",
  "mounts": [
    { "destination": "/proc", "type": "proc", "source": "proc" },
    { "destination": "/dev", "type": "tmpfs", "source": "tmpfs",
      "options": [ "nosuid", "strictatime", "mode=755", "size=65536k" ] },
    { "destination": "/dev/pts", "type": "devpts", "source": "devpts",
      "options": [ "nosuid", "noexec", "newinstance", "ptmxmode=0666",
                   "mode=0620", "gid=5" ] },
    { "destination": "/dev/shm", "type": "tmpfs", "source": "shm",
      "options": [ "nosuid", "noexec", "nodev", "mode=1777", "size=65536k" ] },
    { "destination": "/dev/mqueue", "type": "mqueue", "source": "mqueue",
      "options": [ "nosuid", "noexec", "nodev" ] },
    { "destination": "/sys", "type": "sysfs", "source": "sysfs",
      "options": [ "nosuid", "noexec", "nodev", "ro" ] }
  ],
  "linux": {
    "resources": { "devices": [ { "allow": false, "access": "rwm" } ] },
    "namespaces": [
      { "type": "pid" }, { "type": "network" }, { "type": "ipc" },
      { "type": "uts" }, { "type": "mount" }
    ],
    "maskedPaths": [
      "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
      "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
      "/proc/sched_debug", "/sys/firmware", "/proc/scsi"
    ],
    "readonlyPaths": [
      "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"
    ]
  }
}
EOF
}

# make_bundle DIR: a busybox-static rootfs and the default config.json.
make_bundle () {
  local dir="$1" rootfs="$1/rootfs" cmd
  mkdir -p "$rootfs"/{bin,dev,etc,home,mnt,opt,proc,root,run,sys,tmp,var}
  chmod 1777 "$rootfs/tmp"
  cp "$BUSYBOX" "$rootfs/bin/busybox"
  for cmd in $("$BUSYBOX" --list); do
    [ "$cmd" = busybox ] || ln -s busybox "$rootfs/bin/$cmd"
  done
  printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' \
    'nobody:x:65534:65534:nobody:/nonexistent:/bin/false' > "$rootfs/etc/passwd"
  printf '%s\n' 'root:x:0:' 'nogroup:x:65534:' > "$rootfs/etc/group"
  echo 'original' > "$rootfs/etc/marker"
  default_config > "$dir/config.json"
}

# The template is made once per file; each test copies it.
common_setup_file () {
  BUNDLE_TEMPLATE="$BATS_FILE_TMPDIR/template"
  export BUNDLE_TEMPLATE
  [ -d "$BUNDLE_TEMPLATE" ] || make_bundle "$BUNDLE_TEMPLATE"
}

# Lets uids mapped in a user namespace reach the bundle: every directory
# from $BUNDLE up to / needs the x bit for "other".
make_bundle_reachable () {
  local d="$BUNDLE"
  while [ "$d" != / ]; do
    chmod o+x "$d"
    d=$(dirname "$d")
  done
}

# rootless_user_add PREFIX: a user for the rootless tests, PREFIX and this
# shell's pid (RL_USER, RL_UID, RL_GID exported), who can reach the bundle
# template.  useradd gives it a range in /etc/subuid and /etc/subgid
# (login.defs SUB_UID_*); userdel takes it back.
rootless_user_add () {
  local d="$BUNDLE_TEMPLATE"
  RL_USER="$1$$"
  useradd -M -N -g nogroup -s /bin/sh "$RL_USER"
  RL_UID=$(id -u "$RL_USER")
  RL_GID=$(id -g "$RL_USER")
  export RL_USER RL_UID RL_GID
  while [ "$d" != / ]; do
    chmod o+x "$d"
    d=$(dirname "$d")
  done
}

# ---- per-test setup and teardown --------------------------------------------

common_setup () {
  if [ -z "${BUNDLE_TEMPLATE:-}" ] || [ ! -d "$BUNDLE_TEMPLATE" ]; then
    common_setup_file
  fi
  TMP="$BATS_TEST_TMPDIR"
  COMMON_SETUP_DONE=1
  BERTH_ROOT="$TMP/state"
  BUNDLE="$TMP/bundle"
  # Ids unique on the host (cgroups are named after them).
  CTR="t${BATS_TEST_NUMBER}_$$"
  CTR2="${CTR}_2"
  CTR3="${CTR}_3"
  HOST_MOUNTS=()
  BG_PIDS=()
  cp -a "$BUNDLE_TEMPLATE" "$BUNDLE"
}

# host_mount_added PATH: a test made a mount on the host at PATH;
# teardown unmounts it.
host_mount_added () {
  HOST_MOUNTS+=("$1")
}

# Processes whose root directory is DIR or below, in any mount namespace.
# After pivot_root, /proc/PID/root of a container process reads "/", so
# this looks at the root mount in /proc/PID/mountinfo instead: its root
# field (bind-mounted rootfs) or its options (overlay lowerdir=...) name
# the directory.  Host processes have the real root there and are never
# listed.
procs_rooted_in () {
  local dir="$1" mnt rel f p
  # An empty DIR would name every process on the machine.
  case "$dir" in /?*) ;; *) return 0 ;; esac
  mnt=$(stat -c %m "$dir" 2> /dev/null || echo /)
  rel="${dir#"${mnt%/}"}"
  # grep narrows it down in one process; awk checks the root mount.
  for f in $(grep -lsF -- "$rel" /proc/[0-9]*/mountinfo); do
    awk -v rel="$rel" -v dir="$dir" '
      $5 == "/" && (index($4, rel) == 1 || index($0, dir) > 0) { found = 1 }
      END { exit !found }' "$f" 2> /dev/null || continue
    p=${f#/proc/}
    echo "${p%/mountinfo}"
  done
}

# Processes (other than this shell) whose cwd is DIR or below.
procs_with_cwd_in () {
  local dir="$1" f p
  case "$dir" in /?*) ;; *) return 0 ;; esac
  for f in $(find /proc/[0-9]*/cwd -maxdepth 0 \( -lname "$dir" -o -lname "$dir/*" \) 2> /dev/null); do
    p=${f#/proc/}
    p=${p%/cwd}
    [ "$p" = "$$" ] || [ "$p" = "$BASHPID" ] || echo "$p"
  done
}

procs_under () {
  { procs_rooted_in "$1"; procs_with_cwd_in "$1"; } | sort -un
}

mounts_under () {
  [ -n "$1" ] || return 0
  grep -F -- "$1" /proc/mounts || true
}

# assert_no_leftovers ID: no state dir, no mount mentioning the bundle or
# the state root, no process rooted in the bundle.
assert_no_leftovers () {
  local id="$1" m p
  [ ! -e "$BERTH_ROOT/$id" ] || fail "state dir $BERTH_ROOT/$id still exists"
  m=$(mounts_under "$BUNDLE"; mounts_under "$BERTH_ROOT")
  [ -z "$m" ] || fail "mounts left behind: $m"
  p=$(procs_under "$BUNDLE")
  [ -z "$p" ] || fail "processes left in the bundle: $p"
  p=$(cgroups_named "$id")
  [ -z "$p" ] || fail "cgroups left: $p"
}

# Cgroup directories named after a container id (looked at, never touched).
cgroups_named () {
  find /sys/fs/cgroup -maxdepth 4 -type d -name "$1" 2> /dev/null || true
}

common_teardown () {
  local d id p m out problems=""
  # setup skipped the test before common_setup: nothing of it to clean,
  # and $TMP (empty, or the environment's) must not reach the process and
  # mount sweeps below.
  [ -n "${COMMON_SETUP_DONE:-}" ] || return 0
  # A test may have cd'ed into $TMP: the shell is not a leftover.
  cd /
  for p in "${BG_PIDS[@]}"; do
    kill -9 "$p" 2> /dev/null || true
  done
  if [ -d "$BERTH_ROOT" ]; then
    for d in "$BERTH_ROOT"/*/; do
      [ -d "$d" ] || continue
      id=$(basename "$d")
      out=$(berth delete --force "$id" 2>&1) || true
      [ ! -e "$d" ] || problems+="state dir $d left after delete --force ($out); "
    done
  fi
  for p in "${BG_PIDS[@]}"; do
    wait "$p" 2> /dev/null || true
  done
  p=$(procs_under "$TMP")
  if [ -n "$p" ]; then
    problems+="processes left: $(echo $p); "
    # Only processes rooted in our own temp dir are ours to kill.
    p=$(procs_rooted_in "$TMP")
    [ -z "$p" ] || kill -9 $p 2> /dev/null || true
  fi
  for id in "$CTR" "$CTR2" "$CTR3"; do
    p=$(cgroups_named "$id")
    [ -z "$p" ] || problems+="cgroups left: $(echo $p); "
  done
  for m in "${HOST_MOUNTS[@]}"; do
    umount -l "$m" 2> /dev/null || true
  done
  m=$(mounts_under "$TMP" | awk '{ print $2 }' | sort -r)
  if [ -n "$m" ]; then
    problems+="mounts left: $(echo $m); "
    for d in $m; do umount -l "$d" 2> /dev/null || true; done
  fi
  [ -z "$problems" ] || fail "teardown: $problems"
}

setup_file () {
  common_setup_file
}

setup () {
  common_setup
}

teardown () {
  common_teardown
}

# ---- capability masks --------------------------------------------------------

cap_number () {
  case "$1" in
    CAP_CHOWN) echo 0 ;; CAP_DAC_OVERRIDE) echo 1 ;;
    CAP_DAC_READ_SEARCH) echo 2 ;; CAP_FOWNER) echo 3 ;; CAP_FSETID) echo 4 ;;
    CAP_KILL) echo 5 ;; CAP_SETGID) echo 6 ;; CAP_SETUID) echo 7 ;;
    CAP_SETPCAP) echo 8 ;; CAP_LINUX_IMMUTABLE) echo 9 ;;
    CAP_NET_BIND_SERVICE) echo 10 ;; CAP_NET_BROADCAST) echo 11 ;;
    CAP_NET_ADMIN) echo 12 ;; CAP_NET_RAW) echo 13 ;; CAP_IPC_LOCK) echo 14 ;;
    CAP_IPC_OWNER) echo 15 ;; CAP_SYS_MODULE) echo 16 ;;
    CAP_SYS_RAWIO) echo 17 ;; CAP_SYS_CHROOT) echo 18 ;;
    CAP_SYS_PTRACE) echo 19 ;; CAP_SYS_PACCT) echo 20 ;;
    CAP_SYS_ADMIN) echo 21 ;; CAP_SYS_BOOT) echo 22 ;; CAP_SYS_NICE) echo 23 ;;
    CAP_SYS_RESOURCE) echo 24 ;; CAP_SYS_TIME) echo 25 ;;
    CAP_SYS_TTY_CONFIG) echo 26 ;; CAP_MKNOD) echo 27 ;; CAP_LEASE) echo 28 ;;
    CAP_AUDIT_WRITE) echo 29 ;; CAP_AUDIT_CONTROL) echo 30 ;;
    CAP_SETFCAP) echo 31 ;; CAP_MAC_OVERRIDE) echo 32 ;;
    CAP_MAC_ADMIN) echo 33 ;; CAP_SYSLOG) echo 34 ;; CAP_WAKE_ALARM) echo 35 ;;
    CAP_BLOCK_SUSPEND) echo 36 ;; CAP_AUDIT_READ) echo 37 ;;
    CAP_PERFMON) echo 38 ;; CAP_BPF) echo 39 ;; CAP_CHECKPOINT_RESTORE) echo 40 ;;
    *) fail "unknown capability $1" ;;
  esac
}

# cap_mask CAP...: the 16-hex-digit mask /proc/PID/status prints.
cap_mask () {
  local mask=0 c n
  for c in "$@"; do
    n=$(cap_number "$c") || return 1
    mask=$((mask | (1 << n)))
  done
  printf '%016x\n' "$mask"
}

# A JSON array of strings from the arguments (jq's --args would take an
# argument like "-c" as its own option).
json_array () {
  if [ $# -eq 0 ]; then
    echo '[]'
    return
  fi
  # The trailing "x" keeps jq from dropping a final empty element.
  { printf '%s\0' "$@"; printf x; } | jq -Rsc 'split("\u0000") | .[:-1]'
}
