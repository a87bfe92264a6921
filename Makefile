# SPDX-License-Identifier: GPL-2.0-or-later
# iommuctl: make, make check, make install (PREFIX, DESTDIR), make deps,
# make dist (a release tarball), make deb (Debian packages, debian/).
# O=DIR builds out of tree; SANITIZE=1 builds with ASan+UBSan; V=1 is verbose.
# make cross-arm64: an arm64 build-arm64/iommuctl (Debian's gcc-aarch64-linux-gnu).

VERSION := 0.1.0
SONAME_MAJOR := 0
LIBVER := 0.1.0

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
MANDIR ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share
BASH_COMPDIR ?= $(DATADIR)/bash-completion/completions
ZSH_COMPDIR ?= $(DATADIR)/zsh/site-functions
FISH_COMPDIR ?= $(DATADIR)/fish/vendor_completions.d
# the JSON Schemas of -j answers, by schema version (iommuctl(1), JSON OUTPUT)
SCHEMADIR ?= $(DATADIR)/iommuctl/schema/1
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig

O ?= .
OBJ := $(O)/.obj
CC ?= cc
PKG_CONFIG ?= pkg-config
DEPS_PC := json-c libudev libpci readline

ifeq ($(V),1)
Q :=
else
Q := @
endif

ifneq ($(MAKECMDGOALS),deps)
ifneq ($(filter-out clean deps deps-test deps-bench format cross-arm64 dist deb,$(MAKECMDGOALS))$(if $(MAKECMDGOALS),,all),)
MISSING := $(shell for p in $(DEPS_PC); do $(PKG_CONFIG) --exists $$p 2>/dev/null || echo $$p; done)
ifneq ($(strip $(MISSING)),)
$(info iommuctl: missing build dependencies: $(strip $(MISSING)))
# make check installs what it needs (the README's contract); a plain build
# installs nothing and says how to.
ifneq ($(filter check check-%,$(MAKECMDGOALS)),)
DEPS_RC := $(shell sh scripts/deps build >&2; echo $$?)
else
DEPS_RC := 1
endif
ifneq ($(DEPS_RC),0)
$(error install them with 'sh scripts/deps' (as root), then run make again)
endif
endif
endif
endif

GIT_VERSION := $(shell git describe --always --dirty 2>/dev/null)
FULL_VERSION := $(VERSION)$(if $(GIT_VERSION), ($(GIT_VERSION)))
# The objects that say the version (--version, metrics' build_info) are
# rebuilt when it changes: $(OBJ)/version holds the one they were built with.
VERSION_STAMP := $(O)/.obj/version
ifeq ($(filter clean dist deb format,$(MAKECMDGOALS)),)
$(shell mkdir -p $(O)/.obj && { [ "$$(cat $(VERSION_STAMP) 2>/dev/null)" = '$(FULL_VERSION)' ] || echo '$(FULL_VERSION)' >$(VERSION_STAMP); })
endif

WARN := -Wall -Wextra -Werror -Wdeclaration-after-statement -Wmissing-prototypes -Wstrict-prototypes \
	-Wshadow -Wformat=2 -Wformat-security -Wold-style-definition
BASE_CFLAGS := -std=gnu11 -D_GNU_SOURCE -g -O2 $(WARN) -Iinclude -Ilib
ifeq ($(SANITIZE),1)
BASE_CFLAGS += -O1 -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=undefined
SAN_LDFLAGS := -fsanitize=address,undefined
else
BASE_CFLAGS += -D_FORTIFY_SOURCE=2
endif
CFLAGS ?=
LDFLAGS ?=
PC_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(1))
PC_LIBS = $(shell $(PKG_CONFIG) --libs $(1))

LIB_SRC := lib/ctx.c lib/dlib.c lib/log.c lib/sysfs.c lib/strv.c lib/iommu.c lib/group.c lib/session.c lib/ioas.c lib/hwpt.c lib/hwdata.c lib/nested.c lib/devobj.c \
	lib/iommufd-probe.c lib/status.c lib/pcicfg.c lib/device.c lib/pciids.c lib/resv.c lib/explain.c lib/regs.c lib/smmu.c lib/irq.c lib/usage.c lib/vfio.c \
	lib/lines.c lib/debugfs.c lib/pgtable.c lib/sha256.c lib/tar.c lib/bundle.c lib/sizes.c lib/diff.c \
	lib/names.c lib/exec.c lib/reset.c lib/kvm.c lib/faultlog.c lib/topo.c
CMD_SRC := cmd/main.c cmd/run.c cmd/table.c cmd/verb.c cmd/util.c cmd/output.c cmd/status.c cmd/topology.c \
	cmd/device.c cmd/group.c cmd/iommu.c cmd/resv.c cmd/probe.c cmd/session-obj.c cmd/objects.c cmd/ioas.c cmd/hwpt.c cmd/fault.c cmd/viommu.c \
	cmd/words.c cmd/session.c cmd/access.c cmd/vfio.c cmd/hwinfo.c cmd/exec.c \
	cmd/pgtable.c cmd/diff.c cmd/metrics.c cmd/nfd.c cmd/topo.c cmd/complete.c
# bug-report bundles: the collector (report) and the command
LIB_SRC += lib/report.c
CMD_SRC += cmd/report.c
# live events: uevents (libudev) and IOMMU faults (/dev/kmsg)
LIB_SRC += lib/monitor.c
# fleet exports: Prometheus metrics, Node Feature Discovery labels
LIB_SRC += lib/export.c
# exec --user: the account, and becoming it
LIB_SRC += lib/exec-user.c
# hwinfo's questions beyond GET_HW_INFO: PASIDs, hot reset
LIB_SRC += lib/hwinfo.c
CMD_SRC += cmd/monitor.c
# the public headers: libiommuctl.h includes the others
LIB_HDR := $(sort $(wildcard include/iommuctl/*.h))
LIB_OBJ := $(LIB_SRC:%.c=$(OBJ)/%.o)
LIB_PIC := $(LIB_SRC:%.c=$(OBJ)/pic/%.o)
CMD_OBJ := $(CMD_SRC:%.c=$(OBJ)/%.o)
# libudev, libpci, zlib and readline are loaded when first needed
# (lib/dlib.h): their headers at build time, no link to them.
# (the list is where libpci looks on the target: pkg-config's idsdir,
# without the sysroot it prefixes when cross-building)
PCI_IDS_DIR := $(or $(patsubst $(PKG_CONFIG_SYSROOT_DIR)%,%,$(shell $(PKG_CONFIG) --variable=idsdir libpci 2>/dev/null)),/usr/share/misc)
LIB_CFLAGS := $(call PC_CFLAGS,libudev libpci zlib) -DPCI_IDS_DIR='"$(PCI_IDS_DIR)"'
LIB_LIBS := -pthread
# what unit tests call themselves: libpci's answers, zlib to make archives
TEST_LIBS := $(call PC_LIBS,libpci zlib)
CMD_CFLAGS := $(call PC_CFLAGS,json-c readline)
CMD_LIBS := $(call PC_LIBS,json-c)

LIBSO := $(O)/libiommuctl.so.$(SONAME_MAJOR)
LIBA := $(O)/libiommuctl.a
BIN := $(O)/iommuctl
PC := $(O)/libiommuctl.pc

.PHONY: all deps deps-test deps-bench cross-arm64 check check-unit check-snapshot check-vm check-san \
	install uninstall clean format fixtures

all: $(BIN) $(LIBSO) $(LIBA) $(PC)

deps:
	sh scripts/deps build

deps-test:
	sh scripts/deps test

# make bench only: hyperfine, lspci, strace, jq (not part of make check)
deps-bench:
	sh scripts/deps bench

$(OBJ)/lib/%.o: lib/%.c $(wildcard lib/*.h) $(LIB_HDR)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(BASE_CFLAGS) $(LIB_CFLAGS) -fvisibility=hidden $(CFLAGS) -c -o $@ $<

$(OBJ)/pic/lib/%.o: lib/%.c $(wildcard lib/*.h) $(LIB_HDR)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC [pic] $<")
	$(Q)$(CC) $(BASE_CFLAGS) $(LIB_CFLAGS) -fPIC -fvisibility=hidden $(CFLAGS) -c -o $@ $<

$(OBJ)/cmd/%.o: cmd/%.c cmd/builtin.h $(LIB_HDR)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(BASE_CFLAGS) $(CMD_CFLAGS) -DIOMMUCTL_VERSION='"$(FULL_VERSION)"' $(CFLAGS) -c -o $@ $<

$(OBJ)/cmd/run.o $(OBJ)/cmd/metrics.o: $(VERSION_STAMP)

$(LIBA): $(LIB_OBJ)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $^

$(LIBSO): $(LIB_PIC) lib/libiommuctl.sym
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) -shared -Wl,-soname,libiommuctl.so.$(SONAME_MAJOR) \
		-Wl,--version-script=lib/libiommuctl.sym -Wl,-z,defs \
		$(SAN_LDFLAGS) $(LDFLAGS) -o $@ $(LIB_PIC) $(LIB_LIBS)
	$(Q)ln -sf libiommuctl.so.$(SONAME_MAJOR) $(O)/libiommuctl.so

# The tool links the library statically: one self-contained binary.
$(BIN): $(CMD_OBJ) $(LIBA)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(SAN_LDFLAGS) $(LDFLAGS) -o $@ $(CMD_OBJ) $(LIBA) $(CMD_LIBS) $(LIB_LIBS)

# (make install writes the installed copy itself, with the PREFIX it is given)
$(PC): libiommuctl.pc.in Makefile
	$(Q)sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
		-e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|' $< > $@

# --- tests -------------------------------------------------------------
UNIT_TESTS := $(patsubst tests/unit/%.c,$(O)/tests/unit/%,$(wildcard tests/unit/*.c))

# Unit tests link the static library (internal symbols included) and the
# command layer, everything but main().
UNIT_DEPS := $(filter-out %/main.o,$(CMD_OBJ)) $(LIBA)
$(O)/tests/unit/%: tests/unit/%.c $(wildcard tests/unit/*.h) $(UNIT_DEPS) $(LIB_HDR)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(BASE_CFLAGS) $(CMD_CFLAGS) -DIOMMUCTL_SRCDIR='"$(CURDIR)"' \
		$(CFLAGS) $(SAN_LDFLAGS) -o $@ $< $(UNIT_DEPS) $(CMD_LIBS) $(LIB_LIBS) $(TEST_LIBS) $(call PC_LIBS,cmocka)

# Generator of large synthetic trees for the snapshot tier's no-limits checks.
GEN_LARGE := $(O)/tests/snapshot/gen-large-tree
$(GEN_LARGE): tests/snapshot/gen-large-tree.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) -O2 -Wall -Wextra -Werror -Wno-format-truncation $(SAN_LDFLAGS) -o $@ $<

unit-tests: $(UNIT_TESTS) $(GEN_LARGE) $(O)/tests/bench/gen-sysfs-tree # and the fuzz replays, below
.PHONY: unit-tests

# Test programs for the VM tier, built on the static library: tests/vm/run
# puts every program in $(O)/tests/vm/progs/ into the guest's /usr/bin.
VM_PROGS := $(patsubst tests/vm/progs/%.c,$(O)/tests/vm/progs/%,$(wildcard tests/vm/progs/*.c))
$(O)/tests/vm/progs/%: tests/vm/progs/%.c $(LIBA) $(LIB_HDR)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(BASE_CFLAGS) $(CFLAGS) $(SAN_LDFLAGS) $(LDFLAGS) -o $@ $< $(LIBA) $(LIB_LIBS)

# LD_PRELOAD libraries of the VM tier (tests/vm/progs/preload/NAME.c ->
# $(O)/tests/vm/progs/NAME.so, e.g. failnth.so for the fault-injection scenario)
VM_PRELOADS := $(patsubst tests/vm/progs/preload/%.c,$(O)/tests/vm/progs/%.so,$(wildcard tests/vm/progs/preload/*.c))
$(O)/tests/vm/progs/%.so: tests/vm/progs/preload/%.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(BASE_CFLAGS) $(CFLAGS) -fPIC -shared $(LDFLAGS) -o $@ $<

vm-progs: $(VM_PROGS) $(VM_PRELOADS)
check check-vm: vm-progs
clean: clean-vm-progs
clean-vm-progs:
	rm -f $(VM_PROGS) $(VM_PRELOADS)
.PHONY: vm-progs clean-vm-progs

# The README's test command: installs what the tiers need, then runs
# unit, snapshot and VM tiers, plus unit and snapshot under ASan+UBSan, and
# the arm64 build under qemu-aarch64 (the cross tier).
check: deps-test all unit-tests
	$(MAKE) --no-print-directory O=build-san SANITIZE=1 all unit-tests
	$(MAKE) --no-print-directory cross-arm64
	tests/run --build . --san-build build-san

check-unit: all unit-tests
	tests/run --build . --tier unit

check-snapshot: all $(GEN_LARGE)
	tests/run --build . --tier snapshot

check-vm: all
	tests/run --build . --tier vm

fixtures: all
	tests/vm/capture --bin $(BIN)

# --- fuzzing and benchmarks --------------------------------------------
# Developer targets, not part of make check (docs/design.md, "Fuzzing and
# benchmarks"):
#   make fuzz        one libFuzzer binary per debugfs format the library
#                    parses, $(O)/tests/fuzz/fuzz-<target> (pgtable, regset,
#                    context, invalidation, irte; tar: the bundle reader
#                    behind --root FILE; bundle: every offline reader on
#                    a whole captured tree), built with clang
#                    -fsanitize=fuzzer,address,undefined on a copy of the
#                    library compiled with the same instrumentation
#                    ($(O)/.obj/fuzz/). FUZZ_CC names the clang (clang).
#   make fuzz-run    FUZZ_TIME=60: each target for FUZZ_TIME seconds, one at
#                    a time on one core (tests/fuzz/run), from the seed
#                    corpus; crashes are left in $(O)/tests/fuzz/out/<target>/.
#   make fuzz-seeds  the seed corpus alone, $(O)/tests/fuzz/corpus/<target>/,
#                    taken from the captured fixtures by tests/fuzz/seeds.
#   make bench       times "pgtable dump" on generated 1,000,000- and
#                    10,000-leaf dumps against wc -l, and compares peak RSS
#                    (tests/bench/run); ratios are printed, not asserted.
# make check needs none of it: make unit-tests builds the same targets with
# $(CC) as $(O)/tests/fuzz/replay-<target>, and the unit tier replays the
# seeds and tests/fuzz/crashers/<target>/ (inputs that once crashed) on them.
FUZZ_TARGETS := pgtable regset context invalidation irte tar bundle
FUZZ_DIR := $(O)/tests/fuzz
FUZZ_BINS := $(FUZZ_TARGETS:%=$(FUZZ_DIR)/fuzz-%)
FUZZ_REPLAY := $(FUZZ_TARGETS:%=$(FUZZ_DIR)/replay-%)
FUZZ_OBJ := $(OBJ)/fuzz
FUZZ_LIB_OBJ := $(LIB_SRC:%.c=$(FUZZ_OBJ)/%.o)
FUZZ_CC ?= clang
FUZZ_TIME ?= 60
# UBSan reports stop a target (halt_on_error=1, tests/fuzz/fuzz-common.h)
# unless listed in tests/fuzz/ubsan.supp, which tests/fuzz/run applies
FUZZ_SAN := -fsanitize=address,undefined -fno-omit-frame-pointer
# the library's own code is not held to clang's warnings here (gcc's are
# the ones enforced, and clang wants printf attributes on va_list loggers);
# the targets are
FUZZ_CFLAGS := -std=gnu11 -D_GNU_SOURCE -g -O1 $(filter-out -Werror,$(WARN)) \
	-Iinclude -Ilib $(FUZZ_SAN) -fsanitize=fuzzer-no-link

ifneq ($(filter fuzz fuzz-run $(FUZZ_BINS),$(MAKECMDGOALS)),)
FUZZ_OK := $(shell printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n);\nint LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return d && n; }\n' | \
	$(FUZZ_CC) -fsanitize=fuzzer,address,undefined -x c -o /dev/null - >/dev/null 2>&1 && echo ok)
ifneq ($(FUZZ_OK),ok)
$(error make fuzz needs clang with libFuzzer, and '$(FUZZ_CC) -fsanitize=fuzzer,address,undefined' does not link: install clang (Debian: apt-get install clang) or name one with FUZZ_CC=clang-NN)
endif
endif

$(FUZZ_LIB_OBJ): $(FUZZ_OBJ)/%.o: %.c $(wildcard lib/*.h) $(LIB_HDR)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC [fuzz] $<")
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) $(LIB_CFLAGS) -Wno-format-nonliteral -fvisibility=hidden -c -o $@ $<

$(FUZZ_BINS): $(FUZZ_DIR)/fuzz-%: tests/fuzz/fuzz-%.c tests/fuzz/fuzz-common.h $(FUZZ_LIB_OBJ)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD [fuzz] $@")
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -Werror -fsanitize=fuzzer -o $@ $< \
		$(FUZZ_LIB_OBJ) $(LIB_LIBS)

$(FUZZ_REPLAY): $(FUZZ_DIR)/replay-%: tests/fuzz/fuzz-%.c tests/fuzz/replay.c tests/fuzz/fuzz-common.h $(LIBA)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) $(BASE_CFLAGS) $(CFLAGS) $(SAN_LDFLAGS) $(LDFLAGS) -o $@ \
		$< tests/fuzz/replay.c $(LIBA) $(LIB_LIBS)

# the tar target's seeds are bundles written by the library (tests/fuzz/seeds)
FUZZ_MKBUNDLE := $(FUZZ_DIR)/mkbundle
$(FUZZ_MKBUNDLE): tests/fuzz/mkbundle.c $(LIBA)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) $(BASE_CFLAGS) $(CFLAGS) $(SAN_LDFLAGS) $(LDFLAGS) -o $@ \
		$< $(LIBA) $(LIB_LIBS)

# (maxrss: the cli tier checks that a batch does not grow with its lines)
unit-tests: $(FUZZ_REPLAY) $(FUZZ_MKBUNDLE) $(O)/tests/bench/maxrss

fuzz: $(FUZZ_BINS) $(FUZZ_MKBUNDLE)

fuzz-seeds: $(FUZZ_MKBUNDLE)
	$(Q)tests/fuzz/seeds $(FUZZ_DIR)/corpus

fuzz-run: fuzz
	tests/fuzz/run --build $(O) --time $(FUZZ_TIME)

BENCH_PROGS := $(O)/tests/bench/gen-pgtable-dump $(O)/tests/bench/maxrss \
	$(O)/tests/bench/gen-sysfs-tree $(O)/tests/bench/walk-raw
$(BENCH_PROGS): $(O)/tests/bench/%: tests/bench/%.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) -std=gnu11 -D_GNU_SOURCE -O2 $(WARN) $(CFLAGS) $(LDFLAGS) -o $@ $<

# page-table dump reader, enumeration on generated sysfs trees, then the
# cost of a batch session against the same ioctls in C (a TCG guest)
bench: deps-bench all $(BENCH_PROGS) vm-progs
	tests/bench/run --build $(O)
	tests/bench/enum --build $(O)
	tests/bench/session --build $(O)

clean: clean-fuzz
clean-fuzz:
	rm -rf $(FUZZ_OBJ) $(FUZZ_BINS) $(FUZZ_REPLAY) $(FUZZ_MKBUNDLE) $(FUZZ_DIR)/corpus \
		$(FUZZ_DIR)/work $(FUZZ_DIR)/out $(BENCH_PROGS)
.PHONY: fuzz fuzz-run fuzz-seeds bench deps-bench clean-fuzz

# --- cross build -------------------------------------------------------
# make cross-arm64: build-arm64/iommuctl for arm64, dynamically linked, with
# Debian's arm64 cross compiler (its own C library, libc6-dev-arm64-cross) and
# Debian 12's arm64 json-c, libudev, libpci, readline and zlib from a sysroot
# that scripts/sysroot-arm64 fetches once (apt-get download under a temporary
# apt state; the machine's apt/dpkg setup is left alone) and caches in
# ~/.cache/iommuctl/sysroot-arm64-<hash>. The same rules as the native build
# run, in a sub-make with O=build-arm64 and pkg-config reading the sysroot;
# the binary's NEEDED libraries are then checked to be in the sysroot. The VM
# tier's test programs are built for arm64 too (build-arm64/tests/vm/progs/),
# for the arm64 machines.
# tests/run's cross tier runs it under qemu-aarch64 (scripts/qemu-aarch64).
CROSS_ARM64 := aarch64-linux-gnu
cross-arm64:
	@command -v $(CROSS_ARM64)-gcc >/dev/null && [ -f /usr/$(CROSS_ARM64)/include/stdio.h ] || { \
		echo "make cross-arm64: Debian's arm64 cross compiler is missing; install it with" >&2; \
		echo "  sudo apt-get install --no-install-recommends gcc-aarch64-linux-gnu libc6-dev-arm64-cross" >&2; \
		echo "  (or, as root: sh scripts/deps cross)" >&2; exit 1; }
	$(Q)s=$$(scripts/sysroot-arm64) && l=$$s/usr/lib/$(CROSS_ARM64) && \
	PKG_CONFIG_SYSROOT_DIR=$$s PKG_CONFIG_LIBDIR=$$l/pkgconfig:$$s/usr/share/pkgconfig \
	$(MAKE) --no-print-directory O=build-arm64 CC=$(CROSS_ARM64)-gcc \
		CFLAGS="-isystem $$s/usr/include/$(CROSS_ARM64) -isystem $$s/usr/include" \
		LDFLAGS="-L$$l -Wl,-rpath-link=$$l" build-arm64/iommuctl vm-progs && \
	for n in $$($(CROSS_ARM64)-readelf -d build-arm64/iommuctl | sed -n 's/.*(NEEDED).*\[\(.*\)\]$$/\1/p'); do \
		[ -e "$$l/$$n" ] || { echo "make cross-arm64: build-arm64/iommuctl needs $$n, not in $$s" >&2; exit 1; }; \
	done && echo "make cross-arm64: build-arm64/iommuctl (arm64); run it with: \
	$$(scripts/qemu-aarch64 --no-fetch 2>/dev/null || echo qemu-aarch64) -L $$s build-arm64/iommuctl \
	(--root needs QEMU 10+: scripts/qemu-aarch64 prints one)"

# --- install -----------------------------------------------------------
install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) \
		$(DESTDIR)$(INCLUDEDIR)/iommuctl $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(BASH_COMPDIR) $(DESTDIR)$(ZSH_COMPDIR) $(DESTDIR)$(FISH_COMPDIR) \
		$(DESTDIR)$(PKGCONFIGDIR) $(DESTDIR)$(SCHEMADIR)
	install -m 0755 $(BIN) $(DESTDIR)$(BINDIR)/iommuctl
	install -m 0755 $(LIBSO) $(DESTDIR)$(LIBDIR)/libiommuctl.so.$(SONAME_MAJOR)
	ln -sf libiommuctl.so.$(SONAME_MAJOR) $(DESTDIR)$(LIBDIR)/libiommuctl.so
	install -m 0644 $(LIBA) $(DESTDIR)$(LIBDIR)/libiommuctl.a
	install -m 0644 $(LIB_HDR) $(DESTDIR)$(INCLUDEDIR)/iommuctl/
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
		-e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|' \
		libiommuctl.pc.in > $(DESTDIR)$(PKGCONFIGDIR)/libiommuctl.pc
	chmod 0644 $(DESTDIR)$(PKGCONFIGDIR)/libiommuctl.pc
	install -m 0644 iommuctl.1 $(DESTDIR)$(MANDIR)/man1/iommuctl.1
	install -m 0644 completions/iommuctl.bash $(DESTDIR)$(BASH_COMPDIR)/iommuctl
	install -m 0644 completions/_iommuctl $(DESTDIR)$(ZSH_COMPDIR)/_iommuctl
	install -m 0644 completions/iommuctl.fish $(DESTDIR)$(FISH_COMPDIR)/iommuctl.fish
	install -m 0644 docs/schema/*.json $(DESTDIR)$(SCHEMADIR)/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/iommuctl $(DESTDIR)$(LIBDIR)/libiommuctl.so* \
		$(DESTDIR)$(LIBDIR)/libiommuctl.a $(DESTDIR)$(PKGCONFIGDIR)/libiommuctl.pc \
		$(DESTDIR)$(MANDIR)/man1/iommuctl.1 $(DESTDIR)$(BASH_COMPDIR)/iommuctl \
		$(DESTDIR)$(ZSH_COMPDIR)/_iommuctl $(DESTDIR)$(FISH_COMPDIR)/iommuctl.fish
	rm -rf $(DESTDIR)$(INCLUDEDIR)/iommuctl $(DESTDIR)$(SCHEMADIR)

# --- release -----------------------------------------------------------
# make dist: $(O)/iommuctl-$(VERSION).tar.gz, the files git tracks at HEAD
# (git archive), unpacking to iommuctl-$(VERSION)/, which builds with make
# alone (no git needed: the version is then $(VERSION)).
# make deb: the Debian packages iommuctl, libiommuctl0 and libiommuctl-dev
# (debian/, debhelper compat 13), built from that tarball unpacked in
# $(O)/deb/ with dpkg-buildpackage -us -uc -b; the .debs land in $(O)/deb/.
# Needs dpkg-dev and debhelper (sh scripts/deps deb) and the build
# dependencies. Neither installs anything.
DIST := iommuctl-$(VERSION)
dist:
	@git rev-parse --git-dir >/dev/null 2>&1 || { \
		echo "make dist: not a git checkout (it packs the files git tracks at HEAD)" >&2; exit 1; }
	@git diff --quiet HEAD -- || echo "make dist: note: uncommitted changes are not in the tarball (HEAD is)" >&2
	$(Q)git archive --format=tar.gz --prefix=$(DIST)/ -o $(O)/$(DIST).tar.gz HEAD
	@echo "make dist: $(O)/$(DIST).tar.gz ($$(git describe --always HEAD))"

deb: dist
	@command -v dpkg-buildpackage >/dev/null && command -v dh >/dev/null || { \
		echo "make deb: needs dpkg-buildpackage and dh: sudo apt-get install dpkg-dev debhelper (or, as root: sh scripts/deps deb)" >&2; exit 1; }
	$(Q)rm -rf $(O)/deb && mkdir -p $(O)/deb && tar -xzf $(O)/$(DIST).tar.gz -C $(O)/deb
	@# (a package build of its own: none of this make's variables, O= above all)
	$(Q)cd $(O)/deb/$(DIST) && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES -u O dpkg-buildpackage -us -uc -b
	@ls $(O)/deb/*.deb
.PHONY: dist deb

format:
	clang-format -i $(LIB_SRC) $(CMD_SRC) lib/*.h cmd/*.h include/iommuctl/*.h tests/unit/*.c

clean:
	rm -rf $(O)/.obj $(BIN) $(O)/libiommuctl.so* $(LIBA) $(PC) $(GEN_LARGE)
	rm -f $(UNIT_TESTS)
	$(if $(filter .,$(O)),rm -rf build-san build-arm64)
	rm -rf $(O)/deb $(O)/iommuctl-*.tar.gz
