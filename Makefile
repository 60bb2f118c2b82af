# shellwatch build.
#   make            build build/shellwatch (BPF objects, skeletons, loader, engine)
#   make run        install missing packages, build, start the sensor (root)
#   make test       install missing packages, build, run every test (tests/run)
#   make test-asan  the same tests against an ASan+UBSan build in build-asan/ (mk/asan.mk)
#   make bench | fuzz | study | model | test-kernels   see README.md
#   make V=1        show the commands
# Hardened by default, as Debian builds its packages (dpkg-buildflags): stack protector, FORTIFY
# (it needs -O), PIE, full RELRO. Setting CFLAGS or LDFLAGS replaces these defaults.
# Feature fragments live in mk/*.mk; they add to TOOLS_BINS, BENCH_TARGETS, FUZZ_TARGETS, ... .
.DELETE_ON_ERROR:
.DEFAULT_GOAL := all
.SUFFIXES:
.SECONDARY:

OUT        := build
ARCH       := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/' -e 's/ppc64le/powerpc/' \
                                     -e 's/riscv64/riscv/' -e 's/s390x/s390/' -e 's/loongarch64/loongarch/')
VMLINUX_H  ?= vmlinux/$(ARCH)/vmlinux.h
CLANG      ?= clang
BPFTOOL    ?= bpftool
LLVM_STRIP ?= llvm-strip
PYTHON     ?= /usr/bin/python3

CFLAGS     ?= -O2 -g -fstack-protector-strong -D_FORTIFY_SOURCE=2 -fPIE
LDFLAGS    ?= -pie -Wl,-z,relro,-z,now
WARN       := -Wall -Wextra -Wno-unused-parameter -Wshadow -Wformat=2
CPPFLAGS   += -Iinclude -I$(OUT) -I/usr/include/json-c -D_GNU_SOURCE
DEPFLAGS    = -MMD -MP -MF $(@:.o=.d)
CORE_LDLIBS := -lelf -lz -ljson-c -lm
LDLIBS     += -lbpf $(CORE_LDLIBS)
BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) -Wall -Wno-unused-function \
              -Iinclude -I$(dir $(VMLINUX_H))

ifeq ($(V),1)
Q :=
msg :=
else
Q := @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

BPF_SRCS   := $(wildcard bpf/*.bpf.c)
BPF_OBJS   := $(patsubst bpf/%.bpf.c,$(OUT)/bpf/%.bpf.o,$(BPF_SRCS))
SKELS      := $(patsubst bpf/%.bpf.c,$(OUT)/%.skel.h,$(BPF_SRCS))
# user/ is grouped by stage (docs/architecture.md): sources -> engine -> judge -> outputs, with
# scoring, common pieces and the commands beside them. The core library is everything but the
# commands and the BPF loader: it links without libbpf (tests/unit link against it alone).
LIVE_SRCS  := user/sources/live.c user/sources/probe.c
CMD_SRCS   := $(wildcard user/commands/*.c)
CORE_SRCS  := $(filter-out $(LIVE_SRCS) $(CMD_SRCS),$(wildcard user/*/*.c))
LIB_SRCS   := $(CORE_SRCS) $(LIVE_SRCS) $(filter-out user/commands/main.c,$(CMD_SRCS))
CORE_OBJS  := $(patsubst user/%.c,$(OUT)/user/%.o,$(CORE_SRCS))
LIB_OBJS   := $(patsubst user/%.c,$(OUT)/user/%.o,$(LIB_SRCS))
CORE_LIB   := $(OUT)/libshellwatch-core.a
LIB        := $(OUT)/libshellwatch.a
BIN        := $(OUT)/shellwatch
TEST_SRCS  := $(wildcard tests/unit/test_*.c)
TEST_BINS  := $(patsubst tests/unit/%.c,$(OUT)/tests/%,$(TEST_SRCS))
# Unit tests that load BPF link the whole library; the others only the core, without libbpf.
TESTS_BPF  := $(OUT)/tests/test_probe

# Fragments may append: LIB_EXTRA_OBJS (linked into the library), TOOLS_BINS, TEST_DEPS,
# BENCH_TARGETS, FUZZ_TARGETS, STUDY_TARGETS, CLEAN_EXTRA.
LIB_EXTRA_OBJS :=
TOOLS_BINS     :=
TEST_DEPS      :=
BENCH_TARGETS  :=
FUZZ_TARGETS   :=
STUDY_TARGETS  :=
include $(sort $(wildcard mk/*.mk))

.PHONY: all deps run test test-build bench fuzz study clean
all: $(BIN) $(BPF_OBJS) $(TOOLS_BINS)

deps:
	$(Q)tools/deps.sh install

run: deps all
	$(BIN) run

test-build: all $(TEST_BINS) $(TEST_DEPS)

test: deps test-build
	$(Q)tests/run

bench: all $(BENCH_TARGETS)
fuzz: $(FUZZ_TARGETS)
study: all $(STUDY_TARGETS)

$(OUT)/bpf/%.bpf.o: bpf/%.bpf.c $(VMLINUX_H) | $(OUT)/bpf
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -MMD -MP -MF $(@:.o=.d) -c $< -o $@.tmp
	$(Q)$(BPFTOOL) gen object $@ $@.tmp && rm -f $@.tmp

$(OUT)/%.skel.h: $(OUT)/bpf/%.bpf.o
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name $(subst -,_,$*)_bpf > $@

# What the objects are compiled with: when it changes (the hardening defaults, CFLAGS on the
# command line), they are compiled again.
FLAGS_STAMP := $(OUT)/.flags
FLAGS_NOW   := $(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS)
.PHONY: FORCE
$(FLAGS_STAMP): FORCE
	$(Q)mkdir -p $(@D)
	$(Q)printf '%s\n' '$(FLAGS_NOW)' | cmp -s - $@ || printf '%s\n' '$(FLAGS_NOW)' >$@

$(OUT)/user/%.o: user/%.c $(FLAGS_STAMP) | $(OUT)/user $(SKELS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) $(DEPFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJS) $(LIB_EXTRA_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(CORE_LIB): $(CORE_OBJS) $(LIB_EXTRA_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(BIN): $(OUT)/user/commands/main.o $(LIB)
	$(call msg,BINARY,$@)
	$(Q)$(CC) $(CFLAGS) $^ $(LDFLAGS) $(LDLIBS) -o $@

$(OUT)/tests/%.o: tests/unit/%.c $(FLAGS_STAMP) | $(OUT)/tests $(SKELS)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CPPFLAGS) -Itests/unit $(CFLAGS) $(WARN) $(DEPFLAGS) -c $< -o $@

$(filter-out $(TESTS_BPF),$(TEST_BINS)): $(OUT)/tests/%: $(OUT)/tests/%.o $(CORE_LIB)
	$(call msg,TEST,$@)
	$(Q)$(CC) $(CFLAGS) $^ $(LDFLAGS) $(CORE_LDLIBS) -o $@

$(TESTS_BPF): $(OUT)/tests/%: $(OUT)/tests/%.o $(LIB)
	$(call msg,TEST,$@)
	$(Q)$(CC) $(CFLAGS) $^ $(LDFLAGS) $(LDLIBS) -o $@

$(OUT)/bpf $(OUT)/user $(OUT)/tests $(OUT)/tools:
	$(Q)mkdir -p $@

clean:
	$(call msg,CLEAN,$(OUT))
	$(Q)rm -rf $(OUT) $(CLEAN_EXTRA)

-include $(wildcard $(OUT)/*/*.d $(OUT)/*/*/*.d)
