#!/usr/bin/env bats
# The README's examples, run as a reader would run them: every ```sh block
# that follows a line `<!-- example -->` (docs/testing.md) runs with bash
# -eu -o pipefail in a scratch directory of its own, where `contrib` is the
# checkout's and `berth` the built one (with a state root in the scratch
# directory, so its containers meet no one else's).  A block that fails,
# or leaves a container behind, fails the test naming its line.

HELPERS_DIR="$(cd "$(dirname "$BATS_TEST_FILENAME")" && pwd)"
REPO_ROOT="$(cd "$HELPERS_DIR/../.." && pwd)"
: "${BERTH_BIN:=$REPO_ROOT/berth}"

setup () {
  SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/berth-readme.XXXXXX")
  mkdir "$SCRATCH/bin" "$SCRATCH/blocks"
  printf '#!/bin/sh\nexec %q --root %q "$@"\n' "$BERTH_BIN" "$SCRATCH/root" > "$SCRATCH/bin/berth"
  chmod +x "$SCRATCH/bin/berth"
}

teardown () {
  local id
  if [ -d "$SCRATCH/root" ]; then
    for id in $("$SCRATCH/bin/berth" list -q 2> /dev/null); do
      "$SCRATCH/bin/berth" delete --force "$id" > /dev/null 2>&1
    done
  fi
  rm -rf "$SCRATCH"
}

# extract README: writes each example block to $SCRATCH/blocks/LINE.sh
# (LINE: the line of its opening fence) and prints the count.
extract () {
  awk -v dir="$SCRATCH/blocks" '
    in_block && /^```[ \t]*$/ { in_block = 0; close(out); next }
    in_block { print > out; next }
    marked && /^```sh[ \t]*$/ { in_block = 1; n++; out = dir "/" NR ".sh"; marked = 0; next }
    { marked = ($0 ~ /^<!-- example -->[ \t]*$/) }
    END { print n + 0 }' "$1"
}

@test "readme: every example block runs" {
  [ -x "$BERTH_BIN" ] || { echo "no berth at $BERTH_BIN: make berth" >&2; return 1; }
  n=$(extract "$REPO_ROOT/README.md")
  # The marker must not silently disappear: the README has examples.
  [ "$n" -ge 3 ] || { echo "README.md: $n example blocks (<!-- example --> before \`\`\`sh); expected at least 3" >&2; return 1; }
  bad=0
  for block in $(ls "$SCRATCH/blocks" | sort -n); do
    line=${block%.sh}
    dir="$SCRATCH/run.$line"
    mkdir "$dir"
    ln -s "$REPO_ROOT/contrib" "$dir/contrib"
    if ! out=$(cd "$dir" && PATH="$SCRATCH/bin:$PATH" timeout 120 \
        bash -eu -o pipefail "$SCRATCH/blocks/$block" 2>&1 < /dev/null); then
      echo "README.md:$line: the example failed:" >&2
      sed 's/^/  | /' "$SCRATCH/blocks/$block" >&2
      echo "  output:" >&2
      printf '%s\n' "$out" | sed 's/^/  > /' >&2
      bad=$((bad + 1))
      continue
    fi
    left=$("$SCRATCH/bin/berth" list -q 2> /dev/null || true)
    if [ -n "$left" ]; then
      echo "README.md:$line: the example left containers: $left" >&2
      bad=$((bad + 1))
      for id in $left; do "$SCRATCH/bin/berth" delete --force "$id" > /dev/null 2>&1; done
    fi
  done
  [ "$bad" = 0 ]
}
