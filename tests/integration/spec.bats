#!/usr/bin/env bats
# berth spec: the default config.json.

load helpers

@test "spec: writes a runc-like default config.json in the current directory" {
  mkdir "$TMP/new"
  cd "$TMP/new"
  berth spec
  [ -f config.json ]
  jq . config.json > /dev/null

  run jq -r .ociVersion config.json
  [[ "$output" =~ ^1\.[0-9]+\.[0-9]+ ]] || fail "ociVersion: $output"
  expect_eq "$(jq -c .process.args config.json)" '["sh"]' "process.args"
  expect_eq "$(jq -r .process.cwd config.json)" / "process.cwd"
  expect_eq "$(jq -c .process.user config.json)" '{"uid":0,"gid":0}' "process.user"
  expect_eq "$(jq -r .root.path config.json)" rootfs "root.path"
  expect_eq "$(jq -r .root.readonly config.json)" true "root.readonly"
  expect_eq "$(jq -r .process.noNewPrivileges config.json)" true "noNewPrivileges"
  expect_eq "$(jq -r '.process.env[] | select(startswith("PATH="))' config.json)" \
    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" "PATH"
  expect_eq "$(jq -c '.process.capabilities.bounding | sort' config.json)" \
    '["CAP_AUDIT_WRITE","CAP_KILL","CAP_NET_BIND_SERVICE"]' "bounding capabilities"
  expect_eq "$(jq -c '.process.rlimits' config.json)" \
    '[{"type":"RLIMIT_NOFILE","hard":1024,"soft":1024}]' "rlimits"
  jq -e '.hostname | type == "string"' config.json > /dev/null

  # runc's namespaces, in its order; the cgroup namespace only on a
  # cgroup v2 host, as runc's spec.
  run jq -r '[.linux.namespaces[].type] | join(" ")' config.json
  if [ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ]; then
    expect_eq "$output" "pid network ipc uts mount cgroup" "namespaces (cgroup v2)"
  else
    expect_eq "$output" "pid network ipc uts mount" "namespaces (cgroup v1)"
  fi
  jq -e '.linux.namespaces | all(has("path") | not)' config.json > /dev/null

  for dst in /proc /dev /dev/pts /dev/shm /dev/mqueue /sys; do
    jq -e --arg d "$dst" 'any(.mounts[]; .destination == $d)' config.json > /dev/null \
      || fail "no mount at $dst"
  done
  expect_eq "$(jq -r '.mounts[] | select(.destination == "/proc") | .type' config.json)" proc "/proc type"
  jq -e '.linux.maskedPaths | index("/proc/kcore")' config.json > /dev/null
  jq -e '.linux.readonlyPaths | index("/proc/sys")' config.json > /dev/null
}

@test "spec: --bundle writes into the given directory only" {
  mkdir "$TMP/b" "$TMP/cwd"
  cd "$TMP/cwd"
  berth spec --bundle "$TMP/b"
  jq -e '.process.args == ["sh"]' "$TMP/b/config.json" > /dev/null
  [ ! -e "$TMP/cwd/config.json" ]

  mkdir "$TMP/short"
  berth spec -b "$TMP/short"
  jq . "$TMP/short/config.json" > /dev/null
}

@test "spec: refuses to overwrite an existing config.json" {
  mkdir "$TMP/b"
  echo '{"mine": true}' > "$TMP/b/config.json"
  run -1 --separate-stderr berth spec --bundle "$TMP/b"
  expect_error "$status" "$stderr" "config.json" "File exists"
  expect_eq "$(cat "$TMP/b/config.json")" '{"mine": true}' "config.json content"
}

@test "spec: --rootless maps the current user in a user namespace" {
  mkdir "$TMP/b"
  berth spec --rootless --bundle "$TMP/b"
  jq -e 'any(.linux.namespaces[]; .type == "user")' "$TMP/b/config.json" > /dev/null
  expect_eq "$(jq -c '.linux.uidMappings[0] | [.containerID, .hostID, .size]' "$TMP/b/config.json")" \
    "[0,$(id -u),1]" "uidMappings"
  expect_eq "$(jq -c '.linux.gidMappings[0] | [.containerID, .hostID, .size]' "$TMP/b/config.json")" \
    "[0,$(id -g),1]" "gidMappings"
  # An unprivileged user cannot make a new network namespace useful; the
  # cgroup namespace only on cgroup v2, the user namespace last, as runc.
  run jq -r '[.linux.namespaces[].type] | join(" ")' "$TMP/b/config.json"
  if [ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ]; then
    expect_eq "$output" "pid ipc uts mount cgroup user" "namespaces (cgroup v2)"
  else
    expect_eq "$output" "pid ipc uts mount user" "namespaces (cgroup v1)"
  fi
}

@test "spec: the generated config runs a container" {
  rm "$BUNDLE/config.json"
  berth spec --bundle "$BUNDLE"
  update_config '.process.terminal = false | .process.args = ["sh", "-c", "echo spec-ok; echo $$"]'
  run berth run --bundle "$BUNDLE" "$CTR" < /dev/null
  expect_status 0
  expect_eq "$output" "spec-ok
1"
  assert_no_leftovers "$CTR"
}
