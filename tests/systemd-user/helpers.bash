# Shared by tests/systemd-user/*.bats: a user the file creates, with its
# own systemd (user@UID.service, as `loginctl enable-linger` starts it).

# shellcheck source=../integration/helpers.bash
. "$(dirname "${BASH_SOURCE[0]}")/../integration/helpers.bash"

# user_manager_up PREFIX: the user (rootless_user_add PREFIX), then its
# manager and the manager's bus ($XDG_RUNTIME_DIR/bus).  Where that cannot
# be, USER_MANAGER_SKIP says why and each test skips (needs_user_bus): bats
# 1.8 counts a `skip` in setup_file as a failure of the file.
user_manager_up () {
  USER_MANAGER_SKIP=""
  if [ ! -d /run/systemd/system ]; then
    USER_MANAGER_SKIP="systemd is not this host's init (run in BERTH_VM_INIT=systemd contrib/vm/run)"
  elif [ "$(stat -f -c %T /sys/fs/cgroup)" != cgroup2fs ]; then
    USER_MANAGER_SKIP="needs cgroup v2"
  else
    common_setup_file
    rootless_user_add "$1"
    systemctl start "user@$RL_UID.service"
    for ((i = 0; i < 600; i++)); do
      [ -S "/run/user/$RL_UID/bus" ] && break
      sleep 0.1
    done
  fi
  export USER_MANAGER_SKIP
}

# user_manager_down: the manager, whatever the user still runs outside it
# (podman's pause process, conmon), and the user.
# No `return` here: bats (1.8) counts a teardown_file that returns early
# after a skipped setup_file as failed.
user_manager_down () {
  if [ -n "${RL_USER:-}" ]; then
    systemctl stop "user@$RL_UID.service" "user-runtime-dir@$RL_UID.service" 2> /dev/null || true
    pkill -9 -u "$RL_UID" 2> /dev/null || true
    userdel "$RL_USER" 2> /dev/null || true
  fi
}

# needs_user_bus: skips the test when the manager came up without a bus.
needs_user_bus () {
  [ -z "$USER_MANAGER_SKIP" ] || skip "$USER_MANAGER_SKIP"
  [ -S "/run/user/$RL_UID/bus" ] || skip "user@$RL_UID.service has no bus (dbus-user-session)"
}
