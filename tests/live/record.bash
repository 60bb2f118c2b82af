# record.bash: helpers for live tests that run a scenario under `shellwatch record` (sourced after
# tests/lib.sh and require_live).
#   record_start TRACE   start record writing TRACE; returns once it printed `ready` (attached)
#   record_stop          SIGTERM it, wait; fails unless it exited 0 and printed its counts
#   trace_has TRACE ERE  true when a line of TRACE matches ERE (grep -E)
REC_PID=

record_start() {
	REC_ERR=$SW_TMP/record.err
	: >"$REC_ERR"
	"$SW_BIN" record -o "$1" 2>"$REC_ERR" &
	REC_PID=$!
	wait_until 20 grep -q '^shellwatch record: ready' "$REC_ERR"
}

record_stop() {
	local rc
	kill -TERM "$REC_PID" 2>/dev/null
	wait "$REC_PID"
	rc=$?
	REC_PID=
	[ "$rc" -eq 0 ] && grep -qE '^shellwatch record: [0-9]+ events, [0-9]+ filtered in kernel, [0-9]+ dropped' "$REC_ERR"
}

trace_has() { grep -qE -- "$2" "$1"; }

# trace_pid TRACE ERE: the pid= of the first line matching ERE.
trace_pid() { grep -E -- "$2" "$1" | head -1 | sed -nE 's/^[a-z0-9]+ pid=([0-9]+) .*/\1/p'; }

