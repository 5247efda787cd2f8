# The assertions the engine and CRI suites share (tests/engines/helpers.bash,
# tests/cri/helpers.bash): each fails the test with what was expected and
# what came.

fail () {
  echo "$*" >&2
  return 1
}

# expect_status N: bats's last run exited with status N.
expect_status () {
  [ "$status" -eq "$1" ] || fail "exit status $status, expected $1; output: $output"
}

# expect_contains TEXT PART (as in tests/integration/helpers.bash).
expect_contains () {
  [[ "$1" == *"$2"* ]] || fail "expected \"$2\" in: $1"
}
