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
