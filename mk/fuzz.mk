# fuzz.mk: libFuzzer targets. Every tests/fuzz/fuzz_*.c is built with clang and
# -fsanitize=fuzzer,address,undefined against the library sources (compiled again with the
# sanitizers into build/fuzz/obj); `make fuzz` runs each for FUZZ_SECONDS (default 20) seconds,
# one after the other, starting from tests/fuzz/corpus/<target>/ when it exists and keeping what it
# finds in build/fuzz/corpus/<target>/. An input that runs longer than FUZZ_TIMEOUT (10) seconds
# is a finding (a hang), like a crash: it stops make with the reproducer in build/fuzz/ (run:
# build/fuzz/<target> <file>). `make fuzz-build` only builds them; `make fuzz-regress` runs every
# target once over its committed corpus (tests/fuzz/corpus/: the regression inputs).
FUZZ_SECONDS ?= 20
FUZZ_TIMEOUT ?= 10
FUZZ_CC      ?= clang
FUZZ_CFLAGS  := -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined \
                -fno-sanitize-recover=undefined
FUZZ_SRCS    := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BINS    := $(patsubst tests/fuzz/%.c,$(OUT)/fuzz/%,$(FUZZ_SRCS))
FUZZ_OBJS    := $(patsubst user/%.c,$(OUT)/fuzz/obj/%.o,$(CORE_SRCS))
FUZZ_LIB     := $(OUT)/fuzz/libshellwatch-fuzz.a
# the embedded model (score.mk): plain data, linked as it is
FUZZ_EXTRA   := $(OUT)/model_blob.o
FUZZ_RUNS    := $(patsubst tests/fuzz/%.c,fuzz-run-%,$(FUZZ_SRCS))
FUZZ_REGRESS := $(patsubst tests/fuzz/%.c,fuzz-regress-%,$(FUZZ_SRCS))
FUZZ_TARGETS += $(FUZZ_RUNS)

.PHONY: fuzz-build fuzz-regress $(FUZZ_RUNS) $(FUZZ_REGRESS)
fuzz-build: $(FUZZ_BINS)
fuzz-regress: $(FUZZ_REGRESS)

$(FUZZ_OBJS): $(OUT)/fuzz/obj/%.o: user/%.c | $(SKELS)
	$(call msg,FUZZCC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -MF $(@:.o=.d) \
		-c $< -o $@

$(FUZZ_LIB): $(FUZZ_OBJS) $(FUZZ_EXTRA)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(FUZZ_BINS): $(OUT)/fuzz/%: tests/fuzz/%.c $(wildcard tests/fuzz/*.h) $(FUZZ_LIB)
	$(call msg,FUZZ,$@)
	$(Q)$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer $< $(FUZZ_LIB) $(CORE_LDLIBS) -o $@

$(FUZZ_RUNS): fuzz-run-%: $(OUT)/fuzz/%
	$(Q)mkdir -p $(OUT)/fuzz/corpus/$*
	$(Q)cd $(OUT)/fuzz && ./$* -max_total_time=$(FUZZ_SECONDS) -timeout=$(FUZZ_TIMEOUT) \
		-print_final_stats=1 corpus/$* $(wildcard $(CURDIR)/tests/fuzz/corpus/$*)

$(FUZZ_REGRESS): fuzz-regress-%: $(OUT)/fuzz/%
	$(call msg,REGRESS,$*)
	$(Q)cd $(OUT)/fuzz && ./$* -runs=0 -timeout=$(FUZZ_TIMEOUT) \
		$(wildcard $(CURDIR)/tests/fuzz/corpus/$*/*) 2>regress-$*.log || \
		{ tail -n 30 regress-$*.log; exit 1; }

-include $(wildcard $(OUT)/fuzz/obj/*/*.d)
