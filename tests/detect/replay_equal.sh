#!/usr/bin/env bash
# replay_equal.sh: `run` and `replay` are one judge. `shellwatch run --json` and `shellwatch record`
# watch the machine side by side while every red-team technique (tests/shells/techniques.sh, both
# lists: shells on the socket and the loops that run commands off the wire) starts
# a real remote shell on 127.0.0.1; then `shellwatch replay --json` judges the recording, and its
# alerts must be run's, alert by alert and field by field (replay_compare.py: all but the
# wall-clock fields; matched lines without their t=). One TAP line per technique, one for the
# whole stream. A difference is a fact the judge used live that the trace does not carry, or a
# judgement that depends on something other than the events.
source "$(dirname "$0")/../lib.sh"
source "$SW_ROOT/tests/shells/techniques.sh"
source "$SW_ROOT/tests/shells/procs.sh"

require_live "run and replay of a recording give the same alerts"
for p in "$SW_PY" taskset; do
	command -v "$p" >/dev/null 2>&1 && continue
	if [ "${SHELLWATCH_REQUIRE_LIVE:-0}" = 1 ]; then
		tap_fail "run and replay of a recording give the same alerts" "$p is not installed"
	else
		tap_skip "run and replay of a recording give the same alerts" "$p is not installed"
	fi
	exit 0
done

A=$SW_TMP/run.json T=$SW_TMP/rec.trace B=$SW_TMP/replay.json
REC_PID= RUN_PID=

# start_sensor VAR WHAT ARGS...: start `shellwatch ARGS` in the background (pid in VAR), wait
# (bounded) for `shellwatch WHAT: ready` on its stderr ($SW_TMP/WHAT.err).
start_sensor() {
	local var=$1 what=$2 err=$SW_TMP/$2.err
	shift 2
	"$SW_BIN" "$@" 2>"$err" &
	printf -v "$var" %s $!
	wait_until 20 grep -q "^shellwatch $what: ready" "$err" && return 0
	tap_fail "shellwatch $what says ready within 20 s" "$(tail -n 5 "$err")"
	return 1
}

stop_all() { sw_stop "$RUN_PID" "shellwatch run"; sw_stop "$REC_PID" "shellwatch record"; }

# Record first, so the trace holds every event run judges (what came before run attached, run
# learns from its /proc scan; record has those processes as events or as its own scan's lines).
start_sensor REC_PID record record -o "$T" || { stop_all; exit 0; }
start_sensor RUN_PID run run --json -o "$A" || { stop_all; exit 0; }

# Both sensors see every event of the machine, each through its own ring buffer. Events of one CPU
# reach a ring buffer in the order they happened, but two ring buffers may interleave the events of
# two CPUs differently, and the judge's verdicts depend on the order (a dup before or after an
# exec). So the techniques run pinned to CPU 0: this shell and everything it starts (listeners,
# launchers, shells) inherit the affinity, and their events are in the same order in both.
cpus=$(taskset -pc $$ | sed 's/.*: //')
taskset -pc 0 $$ >/dev/null
techs=()
for t in "${SW_TECHNIQUES[@]}" "${SW_TECHNIQUES_WIRE[@]}"; do
	missing=$(sw_tech_missing "$t")
	if [ -n "$missing" ]; then
		echo "# !!! technique $t NOT RUN: $missing is not installed !!!" >&2
		tap_skip "$t: its alerts are identical in run and replay" "$missing is not installed"
		continue
	fi
	if ! sw_tech_run "$t"; then
		tap_fail "$t: launcher" "the attacker did not get the output of id (see techniques.sh)"
		continue
	fi
	sw_tech_describe
	techs+=(--tech "$t:$SW_T_ROOT_PID:${SW_T_SHELL_PID:-0}:$SW_T_PORT")
done
taskset -pc "$cpus" $$ >/dev/null

# Stop run first, then record: run drains its ring buffer at SIGTERM and emits what it still
# holds; record, still capturing, then has every event run judged (stopping record first would
# lose the events run judged after it, and their alerts would be run's alone).
sw_stop "$RUN_PID" "shellwatch run"
sw_stop "$REC_PID" "shellwatch record"
sed 's/^/# run: /' "$SW_TMP/run.err" | tail -n 2
sed 's/^/# record: /' "$SW_TMP/record.err" | tail -n 2
if ! "$SW_BIN" replay --json "$T" >"$B" 2>"$SW_TMP/replay.err"; then
	tap_fail "shellwatch replay --json of the recording" "$(tail -n 5 "$SW_TMP/replay.err")"
	exit 0
fi
sed 's/^/# replay: /' "$SW_TMP/replay.err" | tail -n 2
echo "# trace: $(wc -l <"$T") lines, run: $(wc -l <"$A") alerts, replay: $(wc -l <"$B") alerts"
"$SW_PY" "$SW_SHELLS_DIR/replay_compare.py" "$A" "$B" --trace "$T" "${techs[@]}"
[ $? -le 1 ] || tap_fail "replay_compare.py reads both streams and the trace" "see its stderr"
out=$("$SW_PY" "$SW_SHELLS_DIR/schema_check.py" "$A" "$B" 2>&1)
check "run's and replay's alerts are valid against docs/alert.schema.json (${out##*$'\n'})" \
	"$SW_PY" "$SW_SHELLS_DIR/schema_check.py" "$A" "$B"
# SW_KEEP=DIR keeps the three files for a closer look.
[ -n "${SW_KEEP:-}" ] && mkdir -p "$SW_KEEP" && cp "$A" "$T" "$B" "$SW_KEEP/" &&
	echo "# kept in $SW_KEEP: run.json rec.trace replay.json"
exit 0
