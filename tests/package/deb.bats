#!/usr/bin/env bats
# The Debian package (make deb: contrib/build-deb, debian/): built once
# into a temp dir, then inspected with dpkg-deb, checked with lintian,
# unpacked into a scratch root (dpkg-deb -x) and its berth run.

REPO_ROOT="$(cd "$(dirname "$BATS_TEST_FILENAME")/../.." && pwd)"

setup_file () {
  export DEB_OUT="$BATS_FILE_TMPDIR/out"
  # What the checkout looks like before: the build must not change it.
  git -C "$REPO_ROOT" status --porcelain --ignored > "$BATS_FILE_TMPDIR/before" 2> /dev/null || true
  stat -c '%n %Y' "$REPO_ROOT"/config.mk "$REPO_ROOT"/berth > "$BATS_FILE_TMPDIR/before.mtime" 2> /dev/null || true
  DEB=$("$REPO_ROOT/contrib/build-deb" "$DEB_OUT" 2> "$BATS_FILE_TMPDIR/build.err") || DEB=
  export DEB
}

need_deb () {
  [ -n "$DEB" ] && [ -f "$DEB" ] && return
  echo "contrib/build-deb failed:" >&2
  tail -n 15 "$BATS_FILE_TMPDIR/build.err" >&2
  return 1
}

# field NAME: a control field of the package.
field () { dpkg-deb -f "$DEB" "$1"; }

@test "package: named and versioned as debian/changelog and the Makefile say" {
  need_deb
  local version
  version=$(dpkg-parsechangelog -l "$REPO_ROOT/debian/changelog" -S Version)
  [ "$(basename "$DEB")" = "berth_${version}_$(dpkg --print-architecture).deb" ]
  [ "$(field Package)" = berth ]
  [ "$(field Version)" = "$version" ]
  # The upstream part is the Makefile's VERSION (berth --version's).
  grep -qx "VERSION := ${version%-*}" "$REPO_ROOT/Makefile"
}

@test "package: Depends are what the binary links, libsystemd0 and criu recommended" {
  need_deb
  local depends lib pkg bad=0
  depends=$(field Depends)
  # Every library the packaged binary links (ELF NEEDED) is a dependency
  # (dpkg-shlibdeps computed them), and nothing opened on first use is
  # but libmnl0 and libseccomp2, which berth's networking and seccomp
  # need: debian/control names them (dpkg-shlibdeps does not see a
  # dlopen).
  root="$BATS_TEST_TMPDIR/root"
  dpkg-deb -x "$DEB" "$root"
  for lib in $(objdump -p "$root/usr/sbin/berth" | awk '$1 == "NEEDED" { print $2 }'); do
    # The file as ldconfig names it, or where it really is (usrmerge:
    # dpkg may know /usr/lib's name of a /lib path).
    path=$(ldconfig -p | awk -v l="$lib" '$1 == l && /x86-64|64bit/ { print $NF; exit }')
    pkg=$({ dpkg -S "$path" || dpkg -S "$(readlink -f "$path")"; } 2> /dev/null | head -1 | cut -d: -f1)
    [ -n "$pkg" ] || { echo "no package for $lib" >&2; bad=$((bad + 1)); continue; }
    [[ ",$depends," =~ [,\ ]$pkg[\ ,\(] ]] || { echo "$lib ($pkg) not in Depends: $depends" >&2; bad=$((bad + 1)); }
  done
  for pkg in libseccomp2 libcap2 libyajl2 libmnl0; do
    [[ "$depends" == *"$pkg "* ]] || { echo "$pkg not in Depends: $depends" >&2; bad=$((bad + 1)); }
  done
  [[ "$depends" != *libsystemd* && "$depends" != *criu* ]] || { echo "opened on first use, yet in Depends: $depends" >&2; bad=$((bad + 1)); }
  [ "$(field Recommends)" = "libsystemd0, criu" ] || { echo "Recommends: $(field Recommends)" >&2; bad=$((bad + 1)); }
  [ "$bad" = 0 ]
}

@test "package: berth in /usr/sbin, the man pages, the completion, the engines' examples" {
  need_deb
  local list m
  list=$(dpkg-deb -c "$DEB" | awk '{ print $6 }')
  for f in ./usr/sbin/berth ./usr/share/bash-completion/completions/berth \
    ./usr/share/doc/berth/examples/containers.conf \
    ./usr/share/doc/berth/examples/containerd.toml \
    ./usr/share/doc/berth/examples/daemon.json \
    ./usr/share/doc/berth/copyright ./usr/share/doc/berth/changelog.gz; do
    grep -qx "$f" <<< "$list" || { echo "not in the package: $f" >&2; return 1; }
  done
  for m in "$REPO_ROOT"/man/*.[0-9]; do
    m=${m##*/}
    grep -qx "./usr/share/man/man${m##*.}/$m.gz" <<< "$list" || { echo "not in the package: $m" >&2; return 1; }
  done
  dpkg-deb -c "$DEB" | grep -q '^-rwxr-xr-x root/root .* ./usr/sbin/berth$'
}

@test "package: the examples name the packaged berth" {
  need_deb
  root="$BATS_TEST_TMPDIR/root"
  dpkg-deb -x "$DEB" "$root"
  if grep -r /usr/local/bin "$root/usr/share/doc/berth/examples"; then
    echo "the examples above name /usr/local/bin, not the packaged berth" >&2
    return 1
  fi
  grep -q /usr/sbin/berth "$root/usr/share/doc/berth/examples/containers.conf"
}

@test "package: the packaged berth runs: --version (version, commit) and features" {
  need_deb
  root="$BATS_TEST_TMPDIR/root"
  dpkg-deb -x "$DEB" "$root"
  run "$root/usr/sbin/berth" --version
  [ "$status" = 0 ]
  version=$(dpkg-parsechangelog -l "$REPO_ROOT/debian/changelog" -S Version)
  [ "${lines[0]}" = "berth version ${version%-*}" ] || { echo "$output" >&2; return 1; }
  commit=$(git -C "$REPO_ROOT" rev-parse --short HEAD 2> /dev/null || echo unknown)
  [ "${lines[1]}" = "commit: $commit" ] || { echo "$output" >&2; return 1; }
  run "$root/usr/sbin/berth" features
  [ "$status" = 0 ]
  jq -e '.ociVersionMax and (.linux.namespaces | length > 0)' <<< "$output" > /dev/null
}

@test "package: lintian reports no error" {
  need_deb
  # lintian's scratch files (mldbm-elf-*) stay in $TMPDIR: the test's own.
  TMPDIR=$BATS_TEST_TMPDIR run lintian --fail-on error "$DEB"
  echo "$output" >&2
  [ "$status" = 0 ]
  ! grep -q '^E:' <<< "$output"
}

@test "package: the build left the checkout as it was" {
  need_deb
  git -C "$REPO_ROOT" status --porcelain --ignored > "$BATS_TEST_TMPDIR/after" 2> /dev/null || true
  diff "$BATS_FILE_TMPDIR/before" "$BATS_TEST_TMPDIR/after"
  stat -c '%n %Y' "$REPO_ROOT"/config.mk "$REPO_ROOT"/berth > "$BATS_TEST_TMPDIR/after.mtime" 2> /dev/null || true
  diff "$BATS_FILE_TMPDIR/before.mtime" "$BATS_TEST_TMPDIR/after.mtime"
}
