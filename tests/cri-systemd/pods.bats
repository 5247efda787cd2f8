#!/usr/bin/env bats
# The pod lifecycle through containerd's CRI on a systemd host, as kubeadm
# configures a node: the runc v2 shim with SystemdCgroup (berth, or runc
# with RUNTIME=/usr/sbin/runc, gets --systemd-cgroup), the pod's cgroup
# parent a slice under kubepods.slice, each container a transient scope
# (cri-containerd-ID.scope) in it.  Stop and remove must leave no unit
# behind.  In the guest with systemd as PID 1 (make check-cri-systemd:
# BERTH_VM_INIT=systemd contrib/vm/run bats tests/cri-systemd).

load ../cri/helpers

setup_file () {
  [ -d /run/systemd/system ] || skip "systemd is not this host's init (run in BERTH_VM_INIT=systemd contrib/vm/run)"
  cri_requires
  CRI_SYSTEMD_CGROUP=1 cri_up "test=$RUNTIME"
  # The kubelet's name for a BestEffort pod's slice: dashes nest it in
  # kubepods-besteffort.slice, in kubepods.slice.
  POD_UID="berth_${CRI##*.}"
  CRI_POD_PARENT="kubepods-besteffort-pod${POD_UID}.slice"
  export POD_UID CRI_POD_PARENT
}

teardown_file () {
  cri_down
  [ -z "${CRI_POD_PARENT:-}" ] || systemctl stop "$CRI_POD_PARENT" 2> /dev/null || true
}

setup () {
  [ -d /run/systemd/system ] || skip "systemd is not this host's init (run in BERTH_VM_INIT=systemd contrib/vm/run)"
  cri_requires
}

teardown () {
  cri_remove_pods
}

# units_of ID: the loaded units whose name has ID.
units_of () {
  systemctl list-units --all --plain --no-legend | awk -v id="$1" 'index($1, id) { print $1 }'
}

@test "cri-systemd: pod lifecycle with SystemdCgroup, a scope per container, no unit left" {
  local ppid pid sandbox scope slice=/kubepods.slice/kubepods-besteffort.slice/$CRI_POD_PARENT
  # The host's network (the guest's kernel has no bridge driver): the
  # cgroups are what this test is about.
  within 60 run_pod sd '.linux.security_context.namespace_options.network = "NODE" | .hostname = ""'
  sandbox=$POD
  ppid=$(pod_pid "$POD")
  [ "$(sed -n 's/^0:://p' "/proc/$ppid/cgroup")" = "$slice/cri-containerd-$POD.scope" ] \
    || fail "the pause process is in $(sed -n 's/^0:://p' "/proc/$ppid/cgroup")"
  within 60 start_ctr c '.linux.security_context.namespace_options.network = "NODE"'
  pid=$(ctr_pid "$CID")
  scope=cri-containerd-$CID.scope
  [ "$(systemctl show -P ActiveState "$scope")" = active ] || fail "$scope: $(systemctl show -P ActiveState "$scope")"
  [ "$(sed -n 's/^0:://p' "/proc/$pid/cgroup")" = "$slice/$scope" ] \
    || fail "the container is in $(sed -n 's/^0:://p' "/proc/$pid/cgroup")"
  [ "$(systemctl show -P Slice "$scope")" = "$CRI_POD_PARENT" ] || fail "$scope is in $(systemctl show -P Slice "$scope")"
  # A memory limit through UpdateContainerResources reaches the scope.
  run cri UpdateContainerResources "{\"container_id\": \"$CID\", \"linux\": {\"memory_limit_in_bytes\": $((64 * 1024 * 1024))}}"
  expect_status 0
  [ "$(cat "/sys/fs/cgroup$slice/$scope/memory.max")" = $((64 * 1024 * 1024)) ] \
    || fail "memory.max $(cat "/sys/fs/cgroup$slice/$scope/memory.max")"
  within 60 cri StopContainer "{\"container_id\": \"$CID\", \"timeout\": 2}"
  ! kill -0 "$pid" 2> /dev/null || fail "the container ($pid) is alive after StopContainer"
  within 60 cri RemoveContainer "{\"container_id\": \"$CID\"}"
  [ -z "$(units_of "$CID")" ] || fail "units left after RemoveContainer: $(units_of "$CID")"
  within 60 cri StopPodSandbox "{\"pod_sandbox_id\": \"$sandbox\"}"
  within 60 cri RemovePodSandbox "{\"pod_sandbox_id\": \"$sandbox\"}"
  [ -z "$(units_of "$sandbox")" ] || fail "units left after RemovePodSandbox: $(units_of "$sandbox")"
  [ ! -d "/sys/fs/cgroup$slice/$scope" ] || fail "the cgroup $slice/$scope is left"
}
