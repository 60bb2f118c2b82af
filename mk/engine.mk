# engine.mk: tools of the detection engine (issue 3, docs/engine.md).
#   make study   the PWW case study on the benign workload capture: build/study/{work,delay}.csv,
#                work.png and delay.png (gnuplot), and the fitted delay slope
#   make bench   includes bench-replay: the engine's throughput (events/s, one core) and memory
#                with 10,000 concurrent process streams; and bench-replay-cmd: `shellwatch replay`
#                end to end (reader, judge, outputs) on the live fixtures repeated to 1M lines
# Tools: build/tools/{gen_shellcode,inject,study,bench_replay}.
ENGINE_TOOLS := $(addprefix $(OUT)/tools/,gen_shellcode inject study bench_replay)
STUDY_DIR    := $(OUT)/study
STUDY_BG     ?= tests/fixtures/benign_workload.strace.gz
STUDY_SAMPLES ?= 200

TOOLS_BINS    += $(ENGINE_TOOLS)
STUDY_TARGETS += study-pww
BENCH_TARGETS += bench-replay bench-replay-cmd

$(ENGINE_TOOLS:=.o): $(OUT)/tools/%.o: tools/%.c | $(OUT)/tools $(SKELS)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CPPFLAGS) -Itools $(CFLAGS) $(WARN) $(DEPFLAGS) -c $< -o $@

$(ENGINE_TOOLS): $(OUT)/tools/%: $(OUT)/tools/%.o $(LIB)
	$(call msg,TOOL,$@)
	$(Q)$(CC) $(CFLAGS) $^ $(LDFLAGS) $(LDLIBS) -o $@

.PHONY: study-pww bench-replay bench-replay-cmd
study-pww: $(OUT)/tools/study
	$(Q)mkdir -p $(STUDY_DIR)
	$(Q)$(OUT)/tools/study --strace -n $(STUDY_SAMPLES) -o $(STUDY_DIR) $(STUDY_BG)
	$(Q)gnuplot -e "dir='$(STUDY_DIR)'" tools/study_plot.gp
	@echo "  STUDY    $(STUDY_DIR)/work.png $(STUDY_DIR)/delay.png"

bench-replay: $(OUT)/tools/bench_replay
	$(Q)$(OUT)/tools/bench_replay $(STUDY_BG)

bench-replay-cmd: $(BIN)
	$(Q)tools/bench_replay_cmd.sh $(BIN)
