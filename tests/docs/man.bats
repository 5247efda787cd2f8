#!/usr/bin/env bats
# The man pages format without a warning: groff with every warning on
# (-ww), and man's own check (man --warnings), as a reader
# meets them.

REPO_ROOT="$(cd "$(dirname "$BATS_TEST_FILENAME")/../.." && pwd)"

@test "man: every page formats with no groff warning" {
  local m out bad=0
  for m in "$REPO_ROOT"/man/*.[0-9]; do
    # groff's default device reports stray control characters, which
    # -Tutf8 lets through; man at 80 columns reports lines it cannot adjust.
    out=$(LC_ALL=C.UTF-8 groff -ww -man -z "$m" 2>&1)
    out+=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$m" 2>&1 > /dev/null)
    if [ -n "$out" ]; then
      echo "${m#"$REPO_ROOT"/}: $out" >&2
      bad=$((bad + 1))
    fi
  done
  [ "$bad" = 0 ]
}

@test "man: every command of berth --help has its page" {
  local cmd cmds bad=0
  [ -x "$REPO_ROOT/berth" ] || { echo "no $REPO_ROOT/berth: run make" >&2; return 1; }
  cmds=$("$REPO_ROOT/berth" --help | awk '/^Commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 } on && /^$/ { exit }')
  # runc's 17 commands and berth's own: a --help this test cannot read
  # must not pass as "no command without a page".
  [ "$(wc -w <<< "$cmds")" -ge 18 ] || { echo "berth --help lists: $cmds" >&2; return 1; }
  for cmd in $cmds; do
    [ -f "$REPO_ROOT/man/berth-$cmd.8" ] || { echo "no man/berth-$cmd.8" >&2; bad=$((bad + 1)); }
  done
  [ "$bad" = 0 ]
}
