#!/usr/bin/env bash
# drops.sh: no event is lost without a counter saying so. With record's reader stopped (SIGSTOP)
# and a 1 MiB ring buffer, 40000 kept dup2 events (a socket copied onto fd 100, ~80 bytes each)
# cannot all fit: record must report drops, and what it wrote plus what it dropped must cover them.
# An exec made while that ring is full is not lost: execs have a ring of their own.
. "$(dirname "$0")/../lib.sh"
require_live "drops are counted"
. "$(dirname "$0")/record.bash"

n=40000
trace=$SW_TMP/trace
REC_ERR=$SW_TMP/record.err
: >"$REC_ERR"
"$SW_BIN" record --ringbuf 1 --comm swdroptest -o "$trace" 2>"$REC_ERR" &
REC_PID=$!
if ! wait_until 20 grep -q '^shellwatch record: ready' "$REC_ERR"; then
	tap_fail "record attaches" "$(cat "$REC_ERR")"
	exit 0
fi
kill -STOP "$REC_PID"
python3 - "$n" <<'PY'
import ctypes, os, socket, sys
libc = ctypes.CDLL(None)
libc.prctl(15, b"swdroptest", 0, 0, 0)  # PR_SET_NAME: the comm record filters on
s = socket.socket()
for _ in range(int(sys.argv[1])):
    os.dup2(s.fileno(), 100)
PY
cp /bin/true "$SW_TMP/swdroptest" && "$SW_TMP/swdroptest"   # comm swdroptest: kept by the filter
kill -CONT "$REC_PID"
check "record exits 0 on SIGTERM and prints its counts" record_stop
dropped=$(sed -nE 's/.* ([0-9]+) dropped.*/\1/p' "$REC_ERR")
written=$(grep -c '^dup2 .* newfd=100 sock=1 => 100$' "$trace")
check "drops are reported (dropped=$dropped)" test "${dropped:-0}" -gt 0
check "written + dropped covers every dup2 ($written + $dropped >= $n)" \
	test $((written + ${dropped:-0})) -ge "$n"
check "the exec made while the events ring was full is in the trace" \
	grep -q "^execve pid=[0-9]* .* comm=swdroptest exe=$SW_TMP/swdroptest " "$trace"
check "no exec was dropped (record's count: $(sed -nE 's/.* ([0-9]+) execs dropped.*/\1/p' "$REC_ERR"))" \
	grep -q ' 0 execs dropped' "$REC_ERR"
