# berth: build, test and demo.  A fresh clone needs nothing else: the first
# build installs missing Debian packages (contrib/install-deps) and runs
# configure.

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man

ifeq ($(filter clean distclean,$(MAKECMDGOALS)),)
-include config.mk
endif

VERSION := 0.1.0
COMMIT := $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)
SPEC_VERSION := 1.3.0

CFLAGS ?= -O2 -g
WARN := -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers
BERTH_CFLAGS := -std=gnu11 $(WARN) -I. -D_GNU_SOURCE \
	-DBERTH_VERSION='"$(VERSION)"' -DBERTH_COMMIT='"$(COMMIT)"' \
	-DBERTH_SPEC_VERSION='"$(SPEC_VERSION)"' \
	-DBERTH_MNL_VERSION='"$(MNL_VERSION)"' \
	$(SECCOMP_CFLAGS) $(CAP_CFLAGS) $(YAJL_CFLAGS) $(MNL_CFLAGS)
LIBS := $(SECCOMP_LIBS) $(CAP_LIBS) $(YAJL_LIBS) $(MNL_LIBS)

SRC := $(wildcard src/*.c) $(wildcard libcontainer/*.c) \
	$(wildcard oci-spec/*.c) $(wildcard cgroups/*.c)
OBJ := $(SRC:.c=.o)
HDR := $(wildcard src/*.h libcontainer/*.h oci-spec/*.h cgroups/*.h)

.PHONY: all deps check check-vm check-asan berth-asan fuzz vm-setup unit integration demo bench clean distclean install

all: berth

configure: configure.ac
	./contrib/install-deps --build
	autoconf

config.mk: configure config.mk.in
	./configure -q

%.o: %.c $(HDR) config.mk
	$(CC) $(CFLAGS) $(BERTH_CFLAGS) -c -o $@ $<

berth: $(OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(OBJ) $(LIBS)

deps:
	./contrib/install-deps

# Unit tests: pure parsing and logic, with cmocka.
UNIT_SRC := $(wildcard tests/unit/test-*.c)
UNIT_BIN := $(UNIT_SRC:.c=)
UNIT_LIB_OBJ := $(filter oci-spec/%.o,$(OBJ)) libcontainer/error.o libcontainer/utils.o \
	libcontainer/log.o libcontainer/safe-path.o libcontainer/caps.o \
	libcontainer/process.o libcontainer/procfs.o libcontainer/seccomp.o libcontainer/mount-options.o \
	cgroups/convert.o cgroups/devices-bpf.o

tests/unit/test-%: tests/unit/test-%.c $(UNIT_LIB_OBJ) $(HDR)
	$(CC) $(CFLAGS) $(BERTH_CFLAGS) -o $@ $< $(UNIT_LIB_OBJ) $(LIBS) -lcmocka

unit: deps $(UNIT_BIN)

# The config parser under libFuzzer (clang): `make fuzz FUZZ_SECONDS=N`
# runs it for N seconds (default 60) from tests/fuzz/corpus; make check
# runs it for 60 s (tests/run-all).  The parser and the checks create makes
# before clone are built into the target with the sanitizers.
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_BIN := tests/fuzz/fuzz-config
FUZZ_LIB_SRC := $(wildcard oci-spec/*.c) libcontainer/error.c libcontainer/utils.c \
	libcontainer/log.c libcontainer/caps.c libcontainer/process.c libcontainer/procfs.c \
	libcontainer/safe-path.c libcontainer/seccomp.c libcontainer/mount-options.c
FUZZ_FLAGS := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all

$(FUZZ_BIN): tests/fuzz/fuzz-config.c $(FUZZ_LIB_SRC) $(HDR) config.mk
	$(FUZZ_CC) $(FUZZ_FLAGS) $(BERTH_CFLAGS) -o $@ $< $(FUZZ_LIB_SRC) $(LIBS)

fuzz: deps $(FUZZ_BIN)
	./tests/fuzz/run $(FUZZ_SECONDS)

# berth built with AddressSanitizer and UndefinedBehaviorSanitizer, in its
# own directory, and the whole integration suite on this host run against
# it (BERTH_BIN).  Every sanitizer report fails the run: ASan exits 66, UBSan
# aborts, and each report is also written under $(ASAN_LOG) (stderr is
# often the container's, or swallowed by a test that expects a failure).
# Leak detection is off: LeakSanitizer runs at exit(), which berth's
# commands reach with their config still allocated on purpose (the process
# ends there), and the init never runs it (it ends in execve or _exit).
# The fuzz target checks the parser for leaks instead.
ASAN_DIR := build/asan
ASAN_FLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
ASAN_OBJ := $(SRC:%.c=$(ASAN_DIR)/%.o)
ASAN_LOG := $(ASAN_DIR)/reports

$(ASAN_DIR)/%.o: %.c $(HDR) config.mk
	@mkdir -p $(dir $@)
	$(CC) $(ASAN_FLAGS) $(BERTH_CFLAGS) -c -o $@ $<

$(ASAN_DIR)/berth: $(ASAN_OBJ)
	$(CC) $(ASAN_FLAGS) $(LDFLAGS) -o $@ $(ASAN_OBJ) $(LIBS)

berth-asan: $(ASAN_DIR)/berth

check-asan: deps $(ASAN_DIR)/berth
	rm -rf $(ASAN_LOG) && mkdir -p $(ASAN_LOG)
	BERTH_BIN=$(CURDIR)/$(ASAN_DIR)/berth \
	ASAN_OPTIONS=detect_leaks=0:exitcode=66:log_path=$(CURDIR)/$(ASAN_LOG)/asan \
	UBSAN_OPTIONS=print_stacktrace=1:log_path=$(CURDIR)/$(ASAN_LOG)/ubsan \
	  ./tests/run-all --integration --host; st=$$?; \
	if [ -n "$$(ls -A $(ASAN_LOG))" ]; then \
	  echo "check-asan: sanitizer reports:"; cat $(ASAN_LOG)/*; exit 1; \
	fi; exit $$st

check: deps berth $(UNIT_BIN) $(FUZZ_BIN)
	./tests/run-all

integration: deps berth
	./tests/run-all --integration

# The integration suite inside a QEMU guest with pure cgroup v2 (contrib/vm/).
check-vm: deps berth
	./tests/run-all --vm

vm-setup: deps
	./contrib/vm/setup

demo: deps berth
	./contrib/demo

bench: deps berth
	./contrib/bench

install: berth
	install -D -m 0755 berth $(DESTDIR)$(BINDIR)/berth
	for m in man/*.[0-9]; do \
	  s=$${m##*.}; install -D -m 0644 $$m $(DESTDIR)$(MANDIR)/man$$s/$${m##*/}; \
	done
	install -D -m 0644 contrib/completions/bash/berth \
	  $(DESTDIR)$(PREFIX)/share/bash-completion/completions/berth

clean:
	rm -f berth $(OBJ) $(UNIT_BIN) $(FUZZ_BIN)
	rm -rf $(ASAN_DIR) tests/fuzz/artifacts

distclean: clean
	rm -rf config.mk config.log config.status configure autom4te.cache
