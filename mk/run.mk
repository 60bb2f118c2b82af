# run.mk: `make bench-run` (part of `make bench`): detection latency and memory of shellwatch run.
BENCH_TARGETS += bench-run

.PHONY: bench-run
bench-run: $(BIN)
	$(Q)tools/bench_run.sh
