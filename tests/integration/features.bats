#!/usr/bin/env bats
# features: the Features JSON (runtime-spec features.md), its shape
# against the spec's schema, and that what it advertises is accepted.

load helpers

# The spec's schema, from the runtime-spec checkout next to this one
# (../shared/oci-runtime-spec/schema relative to the repository's top, or to
# the main checkout's top when this is a git worktree); SCHEMA_DIR overrides
# it.  The tests that need it skip, saying so, when there is none.
find_schema_dir () {
  local common
  if [ -f "$REPO_ROOT/../shared/oci-runtime-spec/schema/defs-linux.json" ]; then
    (cd "$REPO_ROOT/../shared/oci-runtime-spec/schema" && pwd)
    return
  fi
  common=$(git -C "$REPO_ROOT" rev-parse --path-format=absolute --git-common-dir 2> /dev/null) || return 0
  if [ -f "$common/../../shared/oci-runtime-spec/schema/defs-linux.json" ]; then
    (cd "$common/../../shared/oci-runtime-spec/schema" && pwd)
  fi
}
SCHEMA_DIR=${SCHEMA_DIR:-$(find_schema_dir)}

@test "features: valid JSON with the required versions" {
  run berth features
  expect_status 0
  echo "$output" | jq -e . > /dev/null || fail "not JSON: $output"
  expect_eq "$(echo "$output" | jq -r .ociVersionMin)" 1.0.0 ociVersionMin
  expect_eq "$(echo "$output" | jq -r .ociVersionMax)" "$(berth --version | awk '/^spec:/ { print $2 }')" ociVersionMax
  expect_eq "$(echo "$output" | jq -r '.hooks | join(",")')" \
    prestart,createRuntime,createContainer,startContainer,poststart,poststop hooks
  expect_eq "$(echo "$output" | jq -r '.linux.namespaces | join(",")')" \
    cgroup,ipc,mount,network,pid,time,user,uts namespaces
}

@test "features: every key and type is the schema's" {
  run berth features
  expect_status 0
  f="$output"
  # The structure of features-schema.json and features-linux.json: each
  # path with its JSON type.
  while read -r path type; do
    got=$(echo "$f" | jq -r "$path | type")
    expect_eq "$got" "$type" "$path"
  done << 'EOF'
.ociVersionMin string
.ociVersionMax string
.hooks array
.mountOptions array
.annotations object
.potentiallyUnsafeConfigAnnotations array
.linux object
.linux.namespaces array
.linux.capabilities array
.linux.cgroup.v1 boolean
.linux.cgroup.v2 boolean
.linux.cgroup.systemd boolean
.linux.cgroup.systemdUser boolean
.linux.cgroup.rdma boolean
.linux.seccomp.enabled boolean
.linux.seccomp.actions array
.linux.seccomp.operators array
.linux.seccomp.archs array
.linux.seccomp.knownFlags array
.linux.seccomp.supportedFlags array
.linux.apparmor.enabled boolean
.linux.selinux.enabled boolean
.linux.intelRdt.enabled boolean
.linux.mountExtensions.idmap.enabled boolean
.linux.netDevices.enabled boolean
EOF
  # No key the spec does not define (features.md: MUST NOT).
  expect_eq "$(echo "$f" | jq -c '[keys[]] - ["ociVersionMin","ociVersionMax","hooks","mountOptions","annotations","potentiallyUnsafeConfigAnnotations","linux"]')" "[]" "top-level keys"
  expect_eq "$(echo "$f" | jq -c '[.linux | keys[]] - ["namespaces","capabilities","cgroup","seccomp","apparmor","selinux","intelRdt","mountExtensions","netDevices","memoryPolicy"]')" "[]" "linux keys"
  # Every element a string; capabilities match the schema's pattern.
  expect_eq "$(echo "$f" | jq '[.hooks, .mountOptions, .linux.namespaces, .linux.capabilities, .linux.seccomp.actions, .linux.seccomp.operators, .linux.seccomp.archs, .linux.seccomp.knownFlags, .linux.seccomp.supportedFlags] | flatten | map(select(type != "string")) | length')" 0 "non-strings"
  expect_eq "$(echo "$f" | jq '[.linux.capabilities[] | select(test("^CAP_[A-Z_]+$") | not)] | length')" 0 "capability names"
  expect_eq "$(echo "$f" | jq '[.annotations[] | select(type != "string")] | length')" 0 "annotation values"
}

@test "features: the enums match the spec's schema" {
  [ -f "$SCHEMA_DIR/defs-linux.json" ] || skip "no runtime-spec schema: neither ../shared/oci-runtime-spec/schema next to the checkout nor SCHEMA_DIR (${SCHEMA_DIR:-unset})"
  run berth features
  expect_status 0
  f="$output"
  for pair in NamespaceType:.linux.namespaces SeccompAction:.linux.seccomp.actions \
    SeccompOperators:.linux.seccomp.operators SeccompArch:.linux.seccomp.archs \
    SeccompFlag:.linux.seccomp.knownFlags SeccompFlag:.linux.seccomp.supportedFlags \
    MemoryPolicyMode:.linux.memoryPolicy.modes MemoryPolicyFlag:.linux.memoryPolicy.flags; do
    def=${pair%%:*} path=${pair#*:}
    extra=$(jq -rn --argjson f "$f" --slurpfile s "$SCHEMA_DIR/defs-linux.json" \
      "(\$f | $path) - \$s[0].definitions.$def.enum | join(\",\")")
    expect_eq "$extra" "" "$path not in $def"
  done
  # supportedFlags is a subset of knownFlags.
  expect_eq "$(echo "$f" | jq -r '.linux.seccomp.supportedFlags - .linux.seccomp.knownFlags | length')" 0 supportedFlags
}

@test "features: the annotations name berth's and libseccomp's versions" {
  run berth features
  expect_status 0
  expect_eq "$(echo "$output" | jq -r '.annotations["run.oci.berth.version"]')" \
    "$(berth --version | awk '/^berth version/ { print $3 }')" "berth version"
  expect_eq "$(echo "$output" | jq -r '.annotations["io.github.seccomp.libseccomp.version"]')" \
    "$(berth --version | awk '/^libseccomp:/ { print $2 }')" "libseccomp version"
}

@test "features: a container starts with every advertised mount option" {
  local idmap_ok=1
  mkdir -p "$TMP/src"
  echo content > "$TMP/src/file"
  # An idmapped mount needs the source's filesystem to support it (tmpfs
  # from 6.3, overlayfs not before 6.x): where the test's temp dir cannot,
  # idmap and ridmap are left out, not counted as berth's failure.
  cp "$BUNDLE/config.json" "$TMP/config.saved"
  update_config '.mounts += [{"destination": "/mnt/probe", "type": "bind", "source": $s, "options": ["rbind", "idmap"],
      "uidMappings": [{"containerID": 0, "hostID": 100000, "size": 65536}],
      "gidMappings": [{"containerID": 0, "hostID": 100000, "size": 65536}]}]' --arg s "$TMP/src"
  run_sh true
  if [ "$status" != 0 ]; then
    expect_contains "$output" "set the idmap: Invalid argument"
    idmap_ok=0
  fi
  cp "$TMP/config.saved" "$BUNDLE/config.json"
  for o in $(berth features | jq -r '.mountOptions[]'); do
    case "$o" in
      idmap | ridmap) [ "$idmap_ok" = 1 ] || continue ;;
    esac
    case "$o" in
      tmpcopyup)
        m='{"destination": $d, "type": "tmpfs", "source": "tmpfs", "options": [$o]}' ;;
      idmap | ridmap)
        m='{"destination": $d, "type": "bind", "source": $s, "options": ["rbind", $o],
            "uidMappings": [{"containerID": 0, "hostID": 100000, "size": 65536}],
            "gidMappings": [{"containerID": 0, "hostID": 100000, "size": 65536}]}' ;;
      remount)
        # A remount changes a mount that is there: the one made just before.
        update_config '.mounts += [{"destination": "/mnt/remount", "type": "tmpfs", "source": "tmpfs"}]'
        m='{"destination": $d, "type": "tmpfs", "source": "tmpfs", "options": [$o, "nosuid"]}' ;;
      *)
        m='{"destination": $d, "type": "bind", "source": $s, "options": ["rbind", $o]}' ;;
    esac
    update_config ".mounts += [$m]" --arg d "/mnt/$o" --arg s "$TMP/src" --arg o "$o"
  done
  n=$(jq '[.mounts[].destination | select(startswith("/mnt/"))] | unique | length' "$BUNDLE/config.json")
  [ "$n" -gt 58 ] || fail "only $n mounts"
  run_sh 'cat /mnt/ro/file; grep -c " /mnt/" /proc/self/mountinfo; grep " /mnt/nosymfollow " /proc/self/mountinfo; grep " /mnt/tmpcopyup " /proc/mounts'
  expect_status 0
  expect_eq "${lines[0]}" content "/mnt/ro/file"
  # Each option is on a mount of its own.
  expect_eq "${lines[1]}" "$n" "mounts under /mnt"
  expect_contains "${lines[2]}" nosymfollow "nosymfollow mount"
  expect_contains "${lines[3]}" tmpfs "tmpcopyup mount"
}

@test "features: every advertised capability is accepted" {
  caps=$(berth features | jq -c '.linux.capabilities')
  update_config '.process.capabilities.bounding = $c | .process.capabilities.permitted = $c
    | .process.capabilities.effective = $c | .process.capabilities.inheritable = []
    | .process.capabilities.ambient = []' --argjson c "$caps"
  run_sh 'grep CapBnd /proc/self/status'
  expect_status 0
  got=$(echo "$output" | awk '/^CapBnd:/ { print $2 }')
  [ -n "$got" ] || fail "no CapBnd in: $output"
  # What berth holds bounds what it can grant (a warning names the rest):
  # every capability named that berth holds is there.
  held=$(awk '/^CapBnd:/ { print $2 }' /proc/self/status)
  want=0
  for c in $(echo "$caps" | jq -r '.[]'); do
    n=$(cap_number "$c") || return 1
    want=$((want | (1 << n)))
  done
  want=$((want & 16#$held))
  expect_eq "$((16#$got & want))" "$want" "CapBnd $got"
}

@test "features: every advertised seccomp action, operator and flag is accepted" {
  f=$(berth features)
  update_config '.linux.seccomp = {
      "defaultAction": "SCMP_ACT_ALLOW",
      "flags": $f.linux.seccomp.supportedFlags,
      "listenerPath": $l,
      "syscalls": ([$f.linux.seccomp.actions | to_entries[] | select(.value != "SCMP_ACT_ALLOW")
                    | {"names": ["getpgid"], "action": .value,
                       "args": [{"index": 0, "value": (100000 + .key), "op": "SCMP_CMP_EQ"}]}]
                   + [$f.linux.seccomp.operators | to_entries[]
                    | {"names": ["getsid"], "action": "SCMP_ACT_ERRNO",
                       "args": [{"index": 0, "value": (200000 + .key), "valueTwo": (200000 + .key), "op": .value}]}])}' \
    --argjson f "$f" --arg l "$TMP/no-listener.sock"
  # SCMP_ACT_NOTIFY needs its listener when the filter is loaded: berth
  # gets past the names and the filter up to connecting to it.
  set_args true
  run berth run --bundle "$BUNDLE" "$CTR" < /dev/null
  expect_error "$status" "$output" "no-listener.sock"
  # Without NOTIFY, the filter is loaded and the container runs.
  update_config '.linux.seccomp.syscalls |= map(select(.action != "SCMP_ACT_NOTIFY"))
    | del(.linux.seccomp.listenerPath)'
  run_sh 'echo ran'
  expect_status 0
  expect_eq "$output" ran
}

@test "features: every advertised seccomp architecture is recognized" {
  # A filter holds architectures of one byte order only: each is tried on
  # its own, and one of the other order may fail to load, but never as an
  # unknown or unsupported name.
  set_args true
  for a in $(berth features | jq -r '.linux.seccomp.archs[]'); do
    update_config '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW", "architectures": [$a]}' --arg a "$a"
    run berth run --bundle "$BUNDLE" "$CTR" < /dev/null
    if [ "$status" != 0 ]; then
      expect_not_contains "$output" "unknown architecture" "$a"
      expect_not_contains "$output" "not supported" "$a"
      expect_contains "$output" "add architecture $a" "$a"
    fi
  done
  # The host's own family loads.
  update_config '.linux.seccomp.architectures = ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"]'
  [ "$(uname -m)" = x86_64 ] || skip "not x86_64"
  run berth run --bundle "$BUNDLE" "$CTR" < /dev/null
  expect_status 0
}

@test "features: memoryPolicy lists every mode and flag of the spec" {
  [ -f "$SCHEMA_DIR/defs-linux.json" ] || skip "no runtime-spec schema: neither ../shared/oci-runtime-spec/schema next to the checkout nor SCHEMA_DIR (${SCHEMA_DIR:-unset})"
  f=$(berth features)
  for pair in MemoryPolicyMode:modes MemoryPolicyFlag:flags; do
    def=${pair%%:*} key=${pair#*:}
    missing=$(jq -rn --argjson f "$f" --slurpfile s "$SCHEMA_DIR/defs-linux.json" \
      "\$s[0].definitions.$def.enum - (\$f.linux.memoryPolicy.$key // []) | join(\",\")")
    expect_eq "$missing" "" "memoryPolicy.$key missing"
  done
}

@test "features: no fstab-only mount option; AppArmor and SELinux supported; berth's annotations" {
  f=$(berth features)
  expect_eq "$(jq -c '[.mountOptions[] | select(IN("user", "users", "owner", "group", "nouser", "auto", "noauto", "nofail", "_netdev"))]' <<< "$f")" "[]" "fstab-only options"
  # process.apparmorProfile and process.selinuxLabel are applied (lsm.bats):
  # the spec asks what the runtime supports, not what the host enables.
  expect_eq "$(jq -c '[.linux.apparmor.enabled, .linux.selinux.enabled]' <<< "$f")" "[true,true]" "apparmor, selinux"
  expect_eq "$(jq -c '.potentiallyUnsafeConfigAnnotations' <<< "$f")" '["run.oci.berth.overlay","run.oci.berth.net."]' "annotations"
}
