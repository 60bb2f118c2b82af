# live.mk: build pieces of the live capture: the C helper programs live tests run (tests/helpers,
# built into build/helpers) and the benchmark (`make bench`, tools/bench*).
HELPER_SRCS := $(wildcard tests/helpers/*.c)
HELPER_BINS := $(patsubst tests/helpers/%.c,$(OUT)/helpers/%,$(HELPER_SRCS))
TEST_DEPS   += $(HELPER_BINS)

$(OUT)/helpers/%: tests/helpers/%.c | $(OUT)/helpers
	$(call msg,CC,$@)
	$(Q)$(CC) -D_GNU_SOURCE $(CFLAGS) $(WARN) $< -o $@

$(OUT)/helpers:
	$(Q)mkdir -p $@

# Benchmark: tools/bench.sh drives tools/bench_loop (workloads) and tools/bench_empty (the floor).
BENCH_BINS := $(OUT)/tools/bench_loop $(OUT)/tools/bench_empty
BENCH_TARGETS += bench-live

$(OUT)/tools/bench_loop: tools/bench_loop.c | $(OUT)/tools
	$(call msg,CC,$@)
	$(Q)$(CC) -D_GNU_SOURCE $(CFLAGS) $(WARN) $< -o $@

$(OUT)/tools/bench_empty: tools/bench_empty.c $(OUT)/empty.skel.h | $(OUT)/tools
	$(call msg,CC,$@)
	$(Q)$(CC) -D_GNU_SOURCE -I$(OUT) $(CFLAGS) $(WARN) $< -lbpf -lelf -lz -o $@

.PHONY: bench-live
bench-live: $(BIN) $(BENCH_BINS)
	$(Q)tools/bench.sh
