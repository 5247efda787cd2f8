# berth: build, test and demo.  A fresh clone needs nothing else: the first
# build installs missing Debian packages (contrib/install-deps) and runs
# configure.

# make install DESTDIR=... PREFIX=/usr BINDIR=/usr/sbin puts berth where
# runc is (the Debian package does).
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share

ifeq ($(filter clean distclean,$(MAKECMDGOALS)),)
-include config.mk
endif

# The release (CHANGELOG.md) and the commit built, both printed by
# `berth --version`.  A copy of the tree outside git (make deb's) carries
# the commit in the file .berth-commit.
VERSION := 0.2.0
COMMIT ?= $(shell cat .berth-commit 2>/dev/null || git rev-parse --short HEAD 2>/dev/null || echo unknown)
SPEC_VERSION := 1.3.0

CFLAGS ?= -O2 -g
WARN := -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers
BERTH_CFLAGS := -std=gnu11 $(WARN) -I. -D_GNU_SOURCE \
	-DBERTH_VERSION='"$(VERSION)"' -DBERTH_COMMIT='"$(COMMIT)"' \
	-DBERTH_SPEC_VERSION='"$(SPEC_VERSION)"' \
	-DBERTH_MNL_VERSION='"$(MNL_VERSION)"' -ffunction-sections \
	$(SECCOMP_CFLAGS) $(CAP_CFLAGS) $(YAJL_CFLAGS) $(MNL_CFLAGS) $(SYSTEMD_CFLAGS) $(CRIU_CFLAGS)
# libsystemd, libcriu, libmnl, libseccomp and libcap are not linked:
# cgroups/sd-bus-api.c, libcontainer/criu/criu-api.c,
# libcontainer/network/mnl-api.c, libcontainer/process/scmp-api.c and
# libcontainer/process/cap-api.c open them on first use (base/dl.h says
# why); only their headers are needed to build.  libmnl, libseccomp and
# libcap stay dependencies of the package (debian/control).
LIBS := $(YAJL_LIBS)

SRC := $(wildcard src/*.c) $(wildcard libcontainer/*/*.c) \
	$(wildcard oci-spec/*.c) $(wildcard cgroups/*.c) $(wildcard base/*.c)
OBJ := $(SRC:.c=.o)
HDR := $(wildcard src/*.h libcontainer/*/*.h oci-spec/*.h cgroups/*.h base/*.h)

.PHONY: all deb deps check check-docs check-vm check-systemd check-systemd-engines check-cri check-cri-systemd check-systemd-hybrid check-systemd-user check-criu check-migrate-hosts check-asan berth-asan fuzz vm-setup unit integration demo bench stress clean distclean install

all: berth

configure: configure.ac
	./contrib/install-deps --build
	autoconf

config.mk: configure config.mk.in
	./configure -q

%.o: %.c $(HDR) config.mk
	$(CC) $(CPPFLAGS) $(CFLAGS) $(BERTH_CFLAGS) -c -o $@ $<

# The objects that print the commit (--version, features) or key the
# seccomp cache on it are rebuilt when it changes: the stamp is rewritten
# only then, so a build after a new commit does not keep the old one.
COMMIT_STAMP := build/commit-stamp
COMMIT_OBJ := src/main.o libcontainer/process/seccomp-cache.o \
	libcontainer/lifecycle/features.o
$(COMMIT_STAMP): FORCE
	@mkdir -p $(@D)
	@[ "$$(cat $@ 2>/dev/null)" = "$(COMMIT)" ] || echo "$(COMMIT)" > $@
.PHONY: FORCE
FORCE:
$(COMMIT_OBJ) $(addprefix $(ASAN_DIR)/,$(COMMIT_OBJ)): $(COMMIT_STAMP)

# The code a start runs, laid out together: every function is compiled
# into a section of its own (-ffunction-sections, in BERTH_CFLAGS) and
# src/start-path.ld places the ones `run`, `create`, `start`, `exec`,
# `state`, `kill` and `delete` execute, in the order they first run, ahead
# of the rest.  The kernel maps a binary's code 64 KiB around each page
# fault, so scattered, a start's 120 KiB of code made all of berth's
# 350 KiB resident; together, 84 to 152 KiB are (median about 115),
# depending on where ASLR puts the binary against the 64 KiB windows.
# contrib/start-path-order remakes the list (a function missing from it
# only costs memory); tests/integration/footprint.bats fails when a
# start's peak RSS passes 2 MiB.  configure leaves the fragment out
# (START_PATH_LDFLAGS) for a linker that refuses it.
berth: $(OBJ) src/start-path.ld
	$(CC) $(CFLAGS) $(LDFLAGS) $(START_PATH_LDFLAGS) $(RELR_LDFLAGS) -o $@ $(OBJ) $(LIBS)

deps:
	./contrib/install-deps

# Unit tests: pure parsing and logic, with cmocka.
UNIT_SRC := $(wildcard tests/unit/test-*.c)
UNIT_BIN := $(UNIT_SRC:.c=)
UNIT_LIB_OBJ := $(filter oci-spec/%.o,$(OBJ)) base/error.o base/utils.o base/userns.o base/decimal.o base/mountinfo.o \
	base/log.o libcontainer/rootfs/safe-path.o libcontainer/process/caps.o \
	libcontainer/process/process.o libcontainer/process/procfs.o libcontainer/process/lsm.o \
	libcontainer/lifecycle/exec-process.o libcontainer/process/seccomp.o \
	libcontainer/process/mempolicy.o libcontainer/process/passwd.o \
	libcontainer/process/seccomp-cache.o libcontainer/process/seccomp-enosys.o \
	base/sha256.o libcontainer/rootfs/mount-options.o libcontainer/network/net-config.o \
	libcontainer/network/net-firewall.o \
	cgroups/convert.o cgroups/devices-bpf.o cgroups/validate.o cgroups/detect.o \
	cgroups/hierarchies.o \
	cgroups/journal.o cgroups/fs.o libcontainer/lifecycle/validate-sysctl.o \
	cgroups/systemd-props.o cgroups/join.o cgroups/balloon-parse.o \
	libcontainer/lifecycle/balloon-policy.o \
	libcontainer/criu/criu-common.o libcontainer/criu/migrate-rounds.o \
	libcontainer/criu/migrate-wire.o libcontainer/criu/ssh-transport.o \
	libcontainer/criu/criu-api.o cgroups/sd-bus-api.o base/dl.o \
	libcontainer/network/mnl-api.o libcontainer/process/scmp-api.o \
	libcontainer/process/cap-api.o base/clone-vm.o

tests/unit/test-%: tests/unit/test-%.c $(UNIT_LIB_OBJ) $(HDR)
	$(CC) $(CFLAGS) $(BERTH_CFLAGS) -o $@ $< $(UNIT_LIB_OBJ) $(LIBS) -lcmocka

# Programs the integration tests run (ttyhelper: the far end of a pty).
TEST_HELPERS := $(patsubst %.c,%,$(wildcard tests/helpers/*.c))

tests/helpers/%: tests/helpers/%.c
	$(CC) $(CFLAGS) -std=gnu11 $(WARN) -o $@ $<

# The pause image's one program (tests/cri: the pod sandbox's process),
# static so the image needs nothing else.
PAUSE_BIN := contrib/pause/pause

$(PAUSE_BIN): contrib/pause/pause.c
	$(CC) $(CFLAGS) -std=gnu11 $(WARN) -static -o $@ $<

unit: deps $(UNIT_BIN)

# The config parser under libFuzzer (clang): `make fuzz FUZZ_SECONDS=N`
# runs it for N seconds (default 60) from tests/fuzz/corpus; make check
# runs it for 60 s (tests/run-all).  The parser and the checks create makes
# before clone are built into the target with the sanitizers.
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_BIN := tests/fuzz/fuzz-config
FUZZ_LIB_SRC := $(wildcard oci-spec/*.c) base/error.c base/utils.c base/decimal.c base/mountinfo.c \
	base/log.c libcontainer/process/caps.c libcontainer/process/process.c libcontainer/process/procfs.c \
	libcontainer/rootfs/safe-path.c libcontainer/process/seccomp.c libcontainer/rootfs/mount-options.c \
	libcontainer/process/lsm.c libcontainer/process/seccomp-cache.c \
	libcontainer/process/seccomp-enosys.c libcontainer/process/passwd.c base/sha256.c \
	libcontainer/process/scmp-api.c libcontainer/process/cap-api.c base/dl.c
FUZZ_FLAGS := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all

$(FUZZ_BIN): tests/fuzz/fuzz-config.c $(FUZZ_LIB_SRC) $(HDR) config.mk
	$(FUZZ_CC) $(FUZZ_FLAGS) $(BERTH_CFLAGS) -o $@ $< $(FUZZ_LIB_SRC) $(LIBS)

fuzz: deps $(FUZZ_BIN)
	./tests/fuzz/run $(FUZZ_SECONDS)

# berth built with AddressSanitizer and UndefinedBehaviorSanitizer, in its
# own directory; `tests/run-all --asan` (part of make check) runs the
# host's integration suite against it and counts every sanitizer report as
# a failure.
ASAN_DIR := build/asan
ASAN_FLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
ASAN_OBJ := $(SRC:%.c=$(ASAN_DIR)/%.o)

$(ASAN_DIR)/%.o: %.c $(HDR) config.mk
	@mkdir -p $(dir $@)
	$(CC) $(ASAN_FLAGS) $(BERTH_CFLAGS) -c -o $@ $<

$(ASAN_DIR)/berth: $(ASAN_OBJ)
	$(CC) $(ASAN_FLAGS) $(LDFLAGS) -o $@ $(ASAN_OBJ) $(LIBS)

berth-asan: $(ASAN_DIR)/berth

check-asan: deps $(ASAN_DIR)/berth $(TEST_HELPERS)
	./tests/run-all --asan

check: deps berth $(UNIT_BIN) $(TEST_HELPERS) $(FUZZ_BIN) $(ASAN_DIR)/berth $(PAUSE_BIN)
	./tests/run-all

# The README's examples, the man pages and the Debian package (tests/docs,
# tests/package; part of make check, under a minute).
check-docs: deps berth
	./tests/run-all --docs

integration: deps berth $(TEST_HELPERS)
	./tests/run-all --integration

# The integration suite inside a QEMU guest with pure cgroup v2 (contrib/vm/).
check-vm: deps berth $(TEST_HELPERS)
	BERTH_VM_ALL=1 ./tests/run-all --vm

# tests/systemd in one guest with systemd as PID 1 (--systemd-cgroup, the
# engines with systemd cgroups); part of make check.
check-systemd: deps berth $(TEST_HELPERS)
	./tests/run-all --systemd

# Docker (native.cgroupdriver=systemd) and containerd (the runc v2 shim
# with SystemdCgroup, ctr run --runc-systemd-cgroup) driving berth, in the
# systemd guest: their daemons take minutes to start under TCG, so not in
# make check.
check-systemd-engines: deps berth
	BERTH_VM_INIT=systemd contrib/vm/run bats tests/systemd-engines

# Pods through containerd's CRI plugin (tests/cri: the runc v2 shim with
# berth, then with runc as its binary, a CNI bridge, images made locally);
# part of make check.
check-cri: deps berth $(PAUSE_BIN)
	./tests/run-all --cri

# The pod lifecycle through the CRI with containerd's SystemdCgroup (pods in
# kubepods.slice, a scope per container, as kubeadm configures a node), in
# the systemd guest: containerd takes minutes to start under TCG, so not in
# make check.
check-cri-systemd: deps berth $(PAUSE_BIN)
	BERTH_VM_INIT=systemd contrib/vm/run bats tests/cri-systemd

# tests/systemd/systemd.bats with systemd on the v1/hybrid hierarchy
# (systemd.unified_cgroup_hierarchy=0): not in make check.
check-systemd-hybrid: deps berth $(TEST_HELPERS)
	BERTH_VM_INIT=systemd BERTH_VM_APPEND=systemd.unified_cgroup_hierarchy=0 \
	  contrib/vm/run bats tests/systemd/systemd.bats

# Rootless --systemd-cgroup (a user's own systemd, user@UID.service) and
# rootless podman with berth, in the guest with systemd as PID 1: ~8 min
# under TCG (starting a user manager is slow there), so not part of make
# check.
check-systemd-user: deps berth
	BERTH_VM_INIT=systemd contrib/vm/run bats tests/systemd-user

# checkpoint.bats (and podman's checkpoint/restore with berth,
# tests/engines/checkpoint.bats) in the cgroup-v2 guest, each CRIU step timed: CRIU
# cannot run on this host's kernel, its tests skip there (make check runs
# the file on the host, where the refusals are tested; not in its guest).
# Long: a CRIU dump or restore takes 10-60 s in TCG, minutes when the
# machine is loaded.
check-criu: deps berth
	BERTH_TIMEOUT=300 contrib/vm/run bats --timing tests/integration/checkpoint.bats \
	  tests/engines/checkpoint.bats

# berth migrate --to between two QEMU guests on one L2 network
# (contrib/vm/two-hosts): each mode, then the refusals and failures.  Not
# in `make check`: two TCG guests and CRIU, minutes on a loaded machine.
check-migrate-hosts: deps berth
	tests/migrate-hosts/run pre-copy stop-and-copy post-copy ipv6

vm-setup: deps
	./contrib/vm/setup

# Only what the demo needs (not the engines, the guest or clang).
demo: berth
	./contrib/install-deps --demo
	./contrib/demo

bench: deps berth
	./contrib/bench

# 1000 create/start/delete cycles and 100 containers at once, berth and
# runc side by side, with leftover accounting (make check runs 100/20).
stress: deps berth
	./contrib/stress -n 1000 -p 100

install: berth
	install -D -m 0755 berth $(DESTDIR)$(BINDIR)/berth
	for m in man/*.[0-9]; do \
	  s=$${m##*.}; install -D -m 0644 $$m $(DESTDIR)$(MANDIR)/man$$s/$${m##*/}; \
	done
	install -D -m 0644 contrib/completions/bash/berth \
	  $(DESTDIR)$(DATADIR)/bash-completion/completions/berth

# The Debian package (debian/, debhelper): built by dpkg-buildpackage in a
# copy of the tree under $(DEB_DIR), so nothing of it is left in the tree;
# the .deb lands in $(DEB_DIR) (contrib/build-deb says how).
DEB_DIR ?= build/deb

deb:
	./contrib/install-deps --deb
	./contrib/build-deb $(DEB_DIR)

clean:
	rm -f berth $(OBJ) $(UNIT_BIN) $(TEST_HELPERS) $(FUZZ_BIN) $(PAUSE_BIN)
	rm -rf $(ASAN_DIR) $(DEB_DIR) tests/fuzz/artifacts

distclean: clean
	rm -rf config.mk config.log config.status configure autom4te.cache
