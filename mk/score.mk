# score.mk: command scoring (issue 4, docs/scoring.md).
#   make model       regenerate training data from ../shared/data and retrain models/default.swm
#   make eval        validation figures: our model vs the seed's protocol (TF-IDF + XGBoost)
#   make bench       includes bench-score: tokenize + score commands/s on one core
# The committed model is embedded into the library via an xxd-generated C file in build/.
SCORE_DATA    ?= ../shared/data/commands
SCORE_WORK    := $(OUT)/score
MODEL_BLOB_C  := $(OUT)/model_blob.c
MODEL_BLOB_O  := $(OUT)/model_blob.o
FEATURIZE     := $(OUT)/tools/featurize
BENCH_SCORE   := $(OUT)/tools/bench_score

LIB_EXTRA_OBJS += $(MODEL_BLOB_O)
TOOLS_BINS     += $(FEATURIZE) $(BENCH_SCORE)
BENCH_TARGETS  += bench-score

$(MODEL_BLOB_C): models/default.swm | $(OUT)/user
	$(call msg,XXD,$@)
	$(Q)xxd -i -n sw_model_blob $< > $@

$(MODEL_BLOB_O): $(MODEL_BLOB_C)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(FEATURIZE).o $(BENCH_SCORE).o: $(OUT)/tools/%.o: tools/%.c | $(OUT)/tools $(SKELS)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) $(DEPFLAGS) -c $< -o $@

$(FEATURIZE) $(BENCH_SCORE): $(OUT)/tools/%: $(OUT)/tools/%.o $(LIB)
	$(call msg,TOOL,$@)
	$(Q)$(CC) $(CFLAGS) $^ $(LDFLAGS) $(LDLIBS) -o $@

.PHONY: model eval bench-score
model: $(FEATURIZE)
	$(Q)tools/deps.sh install-train
	$(Q)tools/train.sh "$(SCORE_DATA)" "$(SCORE_WORK)"

eval: $(FEATURIZE)
	$(Q)tools/deps.sh install-train
	$(Q)tools/eval.sh "$(SCORE_DATA)" "$(SCORE_WORK)"

bench-score: $(BENCH_SCORE)
	$(Q)tools/bench_score.sh
