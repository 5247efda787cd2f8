# Shared by tests/engines/*.bats: podman and containerd driving berth (or,
# with ENGINE_RUNTIME=/usr/sbin/runc, runc: the same tests show what the
# reference runtime does here).  Each file sets its engine up in a temp dir
# of its own with contrib/engines/env.bash.

ENG_HELPERS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ENG_REPO="$(cd "$ENG_HELPERS_DIR/../.." && pwd)"
: "${ENGINE_RUNTIME:=$ENG_REPO/berth}"
# shellcheck source=../../contrib/engines/env.bash
. "$ENG_REPO/contrib/engines/env.bash"

# shellcheck source=../lib/expect.bash
. "$ENG_HELPERS_DIR/../lib/expect.bash"

# exit_status_of N CMD...: CMD exits with status N (its output shown if not).
# Not with bats's run, which warns about 127 without a minimum version.
exit_status_of () {
  local want=$1 out st=0
  shift
  out=$("$@" 2>&1) || st=$?
  [ "$st" = "$want" ] || fail "$*: exit status $st, expected $want; output: $out"
}

# requires_engine CMD...: skips unless every CMD is installed.
requires_engine () {
  local c
  [ "$(id -u)" = 0 ] || skip "needs root"
  for c in "$@"; do
    command -v "$c" > /dev/null || skip "$c is not installed (contrib/install-deps)"
  done
  [ -x "$ENGINE_RUNTIME" ] || skip "no runtime at $ENGINE_RUNTIME (run make)"
}

# p ARGS...: podman with berth (or $ENGINE_RUNTIME) as its runtime, run
# from the test's temp dir: conmon 2.1 writes a file named "oom" into its
# working directory when the container is OOM-killed, which would land in
# the checkout.
p () {
  (cd "$BATS_TEST_TMPDIR" && timeout -k 5 120 podman --runtime "$ENGINE_RUNTIME" "$@")
}

# ctr_run ARGS...: `ctr run` with berth as the shim's runc binary.
ctr_run () {
  c run --runc-binary "$ENGINE_RUNTIME" "$@"
}
