# baseline.mk: the host baseline (issue 12, docs/baseline.md).
#   make eval-baseline   the figures of docs/baseline.md (tools/baseline_eval.py: the tutorial's
#                        experiment, per group at FPR 1e-3, speed and size; needs ../shared/data)
#   make study           includes study-baseline: build/study/baseline.png, a group's lines in the
#                        two dimensions of a truncated SVD, inliers, outliers and reverse shells:
#                        the tutorial's python lines (--group all) when ../shared/data is there,
#                        else the fixture of a host's python lines (tests/fixtures/baseline/)
BASELINE_WORK  := $(OUT)/baseline
BASELINE_STUDY := $(OUT)/tools/baseline_study
BASELINE_FIX   := tests/fixtures/baseline

TOOLS_BINS    += $(BASELINE_STUDY)
STUDY_TARGETS += study-baseline

$(BASELINE_STUDY).o: tools/baseline_study.c | $(OUT)/tools $(SKELS)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) $(DEPFLAGS) -c $< -o $@

$(BASELINE_STUDY): $(BASELINE_STUDY).o $(CORE_LIB)
	$(call msg,TOOL,$@)
	$(Q)$(CC) $(CFLAGS) $^ $(LDFLAGS) $(CORE_LDLIBS) -o $@

.PHONY: eval-baseline study-baseline
eval-baseline: $(BIN)
	$(Q)mkdir -p $(BASELINE_WORK)
	$(Q)$(PYTHON) tools/baseline_eval.py "$(SCORE_DATA)" $(BASELINE_WORK) --bin $(BIN) \
		| tee $(BASELINE_WORK)/figures.md

study-baseline: $(BIN) $(BASELINE_STUDY)
	$(Q)mkdir -p $(STUDY_DIR)
	$(Q)if [ -r "$(SCORE_DATA)/benign-train.txt" ]; then \
		$(PYTHON) tools/baseline_eval.py "$(SCORE_DATA)" $(STUDY_DIR) --study && \
		$(BIN) baseline learn --group all --contamination 0.02 --min-lines 1 \
			$(STUDY_DIR)/study-benign.txt -o $(STUDY_DIR)/baseline.swb && \
		$(BASELINE_STUDY) $(STUDY_DIR)/baseline.swb all $(STUDY_DIR)/study-benign.txt \
			$(STUDY_DIR)/study-shells.txt > $(STUDY_DIR)/baseline.tsv && \
		gnuplot -e "dir='$(STUDY_DIR)'; title='the python lines of benign-train.txt, 100 times each (a baseline, --group all, contamination 0.02)'; sub='and one instance of each python reverse-shell template, scored against it'" \
			tools/baseline_plot.gp; \
	else \
		for i in 1 2 3 4 5; do cat $(BASELINE_FIX)/python-host.txt; done > $(STUDY_DIR)/study-benign.txt && \
		$(BIN) baseline learn $(STUDY_DIR)/study-benign.txt -o $(STUDY_DIR)/baseline.swb && \
		$(BASELINE_STUDY) $(STUDY_DIR)/baseline.swb python $(STUDY_DIR)/study-benign.txt \
			$(BASELINE_FIX)/python-shells.txt > $(STUDY_DIR)/baseline.tsv && \
		gnuplot -e "dir='$(STUDY_DIR)'; title='the python lines of a host (tests/fixtures/baseline, 5 times each)'; sub='and three python reverse shells, scored against its baseline'" \
			tools/baseline_plot.gp; \
	fi
	@echo "  STUDY    $(STUDY_DIR)/baseline.png"
