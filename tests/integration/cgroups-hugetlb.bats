#!/usr/bin/env bats
# cgroups, hugetlb: linux.resources.hugepageLimits is a limit the kernel
# holds.  A small static program maps anonymous 2 MiB huge pages and
# touches them; past the limit the fault is refused with SIGBUS.  The host
# needs free 2 MiB huge pages: when it has none, the test reserves a few
# (vm.nr_hugepages) and gives them back after.

load helpers

HP=/proc/sys/vm/nr_hugepages
HP_FREE=/sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages

setup_file () {
  common_setup_file
  [ -e "$HP_FREE" ] || return 0
  # The program is built once for the file, statically: the bundle has
  # busybox only.
  export HUGETOUCH="$BATS_FILE_TMPDIR/hugetouch"
  cat > "$BATS_FILE_TMPDIR/hugetouch.c" << 'EOF'
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

/* hugetouch N: maps N anonymous 2 MiB huge pages and writes to each.  */
int
main (int argc, char **argv)
{
  size_t n = argc > 1 ? strtoul (argv[1], NULL, 10) : 1, sz = 2UL << 20;
  char *p = mmap (NULL, n * sz, PROT_READ | PROT_WRITE,
                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
  if (p == MAP_FAILED)
    {
      perror ("mmap");
      return 2;
    }
  for (size_t i = 0; i < n; i++)
    {
      p[i * sz] = 1;
      printf ("touched %zu\n", i + 1);
      fflush (stdout);
    }
  return 0;
}
EOF
  gcc -static -O2 -o "$HUGETOUCH" "$BATS_FILE_TMPDIR/hugetouch.c"
  # Four free pages, reserved for this file if the host has fewer.
  HP_ORIG=$(cat "$HP")
  export HP_ORIG
  if [ "$(cat "$HP_FREE")" -lt 4 ]; then
    echo $((HP_ORIG + 4 - $(cat "$HP_FREE"))) > "$HP" || true
  fi
}

teardown_file () {
  [ -z "${HP_ORIG:-}" ] || echo "$HP_ORIG" > "$HP"
}

setup () {
  common_setup
  requires root
  [ -e "$HP_FREE" ] || skip "no 2 MiB huge pages in this kernel"
  [ "$(cat "$HP_FREE")" -ge 4 ] || skip "could not reserve 4 free 2 MiB huge pages"
  cp "$HUGETOUCH" "$BUNDLE/rootfs/bin/hugetouch"
}

MiB=1048576

@test "cgroups-hugetlb: two huge pages under a 2 MiB limit are refused" {
  update_config '.linux.resources.hugepageLimits = [{"pageSize": "2MB", "limit": $l}]' \
    --argjson l $((2 * MiB))
  set_args /bin/hugetouch 2
  run berth run --bundle "$BUNDLE" "$CTR" < /dev/null
  # Where the kernel has reservation limits (hugetlb.2MB.rsvd.*), berth sets
  # them too and mmap is refused up front; else the second fault is SIGBUS.
  if [ "$status" = 2 ]; then
    expect_contains "$output" "mmap: Cannot allocate memory"
  else
    expect_status 135
    expect_contains "$output" "touched 1"
  fi
  expect_not_contains "$output" "touched 2"
}

@test "cgroups-hugetlb: two huge pages under a 4 MiB limit are fine" {
  update_config '.linux.resources.hugepageLimits = [{"pageSize": "2MB", "limit": $l}]' \
    --argjson l $((4 * MiB))
  set_args /bin/hugetouch 2
  run berth run --bundle "$BUNDLE" "$CTR" < /dev/null
  expect_status 0
  expect_contains "$output" "touched 2"
}

@test "cgroups-hugetlb: a page size the kernel does not have is an error naming it" {
  update_config '.linux.resources.hugepageLimits = [{"pageSize": "3MB", "limit": $l}]' \
    --argjson l $((4 * MiB))
  set_args true
  run berth run --bundle "$BUNDLE" "$CTR" < /dev/null
  expect_status 1
  expect_contains "$output" "3MB"
  assert_no_leftovers "$CTR"
}
