# asan.mk: `make test-asan`: the whole test suite (tests/run) against a build with
# AddressSanitizer and UndefinedBehaviorSanitizer, in build-asan/ (ASAN_OUT) beside the normal one:
# the same makefile with OUT, CFLAGS and LDFLAGS set (no FORTIFY: it does not mix with ASan), then
# tests/run with SW_BUILD pointing there. A sanitizer report fails the program that made it, and
# with it its test; the reports are kept in $(ASAN_OUT)/asan.* (log_path).
ASAN_OUT   ?= build-asan
ASAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer

.PHONY: test-asan
test-asan: deps
	$(Q)$(MAKE) --no-print-directory OUT=$(ASAN_OUT) CFLAGS='-O1 -g $(ASAN_FLAGS)' \
		LDFLAGS='$(ASAN_FLAGS)' test-build
	$(Q)rm -f $(ASAN_OUT)/asan.*
	$(Q)SW_BUILD=$(CURDIR)/$(ASAN_OUT) \
		ASAN_OPTIONS=abort_on_error=0:log_path=$(CURDIR)/$(ASAN_OUT)/asan:$(ASAN_OPTIONS) \
		UBSAN_OPTIONS=print_stacktrace=1:log_path=$(CURDIR)/$(ASAN_OUT)/asan:$(UBSAN_OPTIONS) \
		tests/run; rc=$$?; \
	for f in $(ASAN_OUT)/asan.*; do [ -e "$$f" ] || continue; echo "== $$f"; head -n 40 "$$f"; \
		rc=1; done; exit $$rc
CLEAN_EXTRA += $(ASAN_OUT)
