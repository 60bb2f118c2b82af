# fuzz.mk: libFuzzer targets. Every tests/fuzz/fuzz_*.c is built with clang and
# -fsanitize=fuzzer,address,undefined against the library sources (compiled again with the
# sanitizers into build/fuzz/obj); `make fuzz` runs each for FUZZ_SECONDS (default 20) seconds,
# one after the other, starting from tests/fuzz/corpus/<target>/ when it exists and keeping what it
# finds in build/fuzz/corpus/<target>/. `make fuzz-build` only builds them; a crash stops make
# with the reproducer in build/fuzz/ (run: build/fuzz/<target> <file>).
FUZZ_SECONDS ?= 20
FUZZ_CC      ?= clang
FUZZ_CFLAGS  := -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined \
                -fno-sanitize-recover=undefined
FUZZ_SRCS    := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BINS    := $(patsubst tests/fuzz/%.c,$(OUT)/fuzz/%,$(FUZZ_SRCS))
FUZZ_OBJS    := $(patsubst user/%.c,$(OUT)/fuzz/obj/%.o,$(CORE_SRCS))
FUZZ_LIB     := $(OUT)/fuzz/libshellwatch-fuzz.a
FUZZ_RUNS    := $(patsubst tests/fuzz/%.c,fuzz-run-%,$(FUZZ_SRCS))
FUZZ_TARGETS += $(FUZZ_RUNS)

.PHONY: fuzz-build $(FUZZ_RUNS)
fuzz-build: $(FUZZ_BINS)

$(FUZZ_OBJS): $(OUT)/fuzz/obj/%.o: user/%.c | $(SKELS)
	$(call msg,FUZZCC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -MF $(@:.o=.d) \
		-c $< -o $@

$(FUZZ_LIB): $(FUZZ_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(FUZZ_BINS): $(OUT)/fuzz/%: tests/fuzz/%.c $(FUZZ_LIB)
	$(call msg,FUZZ,$@)
	$(Q)$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer $< $(FUZZ_LIB) $(CORE_LDLIBS) -o $@

$(FUZZ_RUNS): fuzz-run-%: $(OUT)/fuzz/%
	$(Q)mkdir -p $(OUT)/fuzz/corpus/$*
	$(Q)cd $(OUT)/fuzz && ./$* -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
		corpus/$* $(wildcard $(CURDIR)/tests/fuzz/corpus/$*)

-include $(wildcard $(OUT)/fuzz/obj/*/*.d)
