#!/usr/bin/env bash
# quiet.sh: the benign suite under `shellwatch run --json` (issue 6): the workloads of
# tests/benign/workload.sh must raise no alert. `record` runs alongside to tell which pids each
# workload's process tree had, so alerts from anything else on the machine are not counted.
source "$(dirname "$0")/workload.sh"
source "$SW_ROOT/tests/shells/detect.sh"

why=$(live_available) || require_live "benign workloads under shellwatch run"
sw_run_implemented || { tap_skip "benign under shellwatch run" "run not implemented yet"; exit 0; }
sw_record_implemented || { tap_skip "benign under shellwatch run" "record not implemented yet"; exit 0; }
json=$SW_TMP/alerts.json trace=$SW_TMP/quiet.trace
sw_run_start "$json" || { tap_fail "shellwatch run starts" "see the stderr above"; exit 0; }
sw_record_start "$trace" || { tap_fail "shellwatch record starts" "see the stderr above"; exit 0; }
names=() roots=()
for w in "${WORKLOADS[@]}"; do
	m=$(wl_missing "$w")
	[ -n "$m" ] && { tap_skip "workload $w" "$m is not installed"; continue; }
	if wl_run "$w"; then
		names+=("$w") roots+=("$WL_PID")
	else
		tap_fail "workload $w ran" "$(tail -n 5 "$SW_TMP/benign-$w.log")"
	fi
done
# Stop run last: every exec of the workloads has been judged by then (run drains on SIGTERM).
sw_record_stop
sw_run_stop
sed 's/^/# run: /' "$SW_RUN_ERR" | tail -n 3
for i in "${!names[@]}"; do
	pids=$("$SW_PY" "$SW_SHELLS_DIR/trace_check.py" tree "$trace" --root "${roots[$i]}")
	n=${pids//[^,]/}
	check "${names[$i]}: no alert for its $((${#n} + 1)) processes" expect_no_detection "$json" "$pids"
done
