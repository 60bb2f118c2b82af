#!/usr/bin/env bash
# record_options.sh: `shellwatch record` options and errors. Usage errors exit 2 with one line;
# not being root exits 1 with one line naming the problem; --pid and --comm keep only the chosen
# process's events (filtered in the kernel, counted as filtered).
. "$(dirname "$0")/../lib.sh"

# one_line_exit WANT_RC CMD...: CMD exits WANT_RC and its first stderr line starts with
# "shellwatch record:".
one_line_exit() {
	local want=$1 rc
	shift
	"$@" >/dev/null 2>"$SW_TMP/cli.err"
	rc=$?
	[ "$rc" -eq "$want" ] && head -1 "$SW_TMP/cli.err" | grep -q '^shellwatch record: '
}
if [ -x "$SW_BIN" ]; then
	check "--pid abc is a usage error" one_line_exit 2 "$SW_BIN" record --pid abc
	check "--comm longer than 15 bytes is a usage error" one_line_exit 2 "$SW_BIN" record --comm 0123456789abcdef
	check "--ringbuf 3 (not a power of 2) is a usage error" one_line_exit 2 "$SW_BIN" record --ringbuf 3
	check "an extra argument is a usage error" one_line_exit 2 "$SW_BIN" record extra
	check "--help lists --pid and --comm" sh -c "'$SW_BIN' record --help | grep -q -- '--pid=PID' && '$SW_BIN' record --help | grep -q -- '--comm=NAME'"
fi

require_live "record options"
. "$(dirname "$0")/record.bash"

if command -v setpriv >/dev/null; then
	check "not root: exit 1 with one line saying so" one_line_exit 1 \
		setpriv --reuid=65534 --regid=65534 --clear-groups "$SW_BIN" record -o /dev/null
	check "the not-root line names root" grep -q 'root' "$SW_TMP/cli.err"
	check "the not-root error is a single line" test "$(wc -l <"$SW_TMP/cli.err")" -eq 1
fi
check "an unwritable -o is an error" one_line_exit 1 "$SW_BIN" record -o "$SW_TMP/no/such/dir/trace"

# --pid: a shell that waits on a fifo, then redirects stdin (dup2 onto 0, a kept event).
mkfifo "$SW_TMP/go"
bash -c "read -r _ <'$SW_TMP/go'; exec 3</dev/null; exec 0<&3; exit 0" &
target=$!
trace=$SW_TMP/pid.trace
REC_ERR=$SW_TMP/record.err
: >"$REC_ERR"
"$SW_BIN" record --pid "$target" -o "$trace" 2>"$REC_ERR" &
REC_PID=$!
if wait_until 20 grep -q '^shellwatch record: ready' "$REC_ERR"; then
	echo go >"$SW_TMP/go"
	wait "$target"
	bash -c 'exec 4</dev/null; exec 0<&4' # another process doing the same: must not show
	check "--pid: the process's dup2 onto 0 is recorded" wait_until 10 trace_has "$trace" "^dup2 pid=$target .* newfd=0 => 0\$"
	check "record --pid exits 0 on SIGTERM" record_stop
	check "--pid: the trace starts with its header" grep -qE '^# shellwatch-trace 1 host=[^ ]+ boot_id=[0-9a-f-]{36}$' "$trace"
	check "--pid: no event of another process" sh -c "! grep -v '^#' '$trace' | grep -vE '^[a-z0-9]+ pid=$target '"
	check "--pid: other processes' events counted as filtered" \
		grep -qE 'events, [1-9][0-9]* filtered in kernel' "$REC_ERR"
else
	tap_fail "record --pid attaches" "$(cat "$REC_ERR")"
fi

# --comm: only the helper's events while other processes run too.
helper=$SW_BUILD/helpers/sockstdio
if [ -x "$helper" ]; then
	trace=$SW_TMP/comm.trace
	: >"$REC_ERR"
	"$SW_BIN" record --comm sockstdio -o "$trace" 2>"$REC_ERR" &
	REC_PID=$!
	if wait_until 20 grep -q '^shellwatch record: ready' "$REC_ERR"; then
		port=$(free_port)
		socat -u TCP-LISTEN:"$port",bind=127.0.0.1,reuseaddr OPEN:/dev/null &
		wait_until 10 listening "$port"
		"$helper" dup3 127.0.0.1 "$port"
		check "--comm: the helper's connect is recorded" \
			wait_until 10 trace_has "$trace" "^connect .* comm=sockstdio .* port=$port "
		check "record --comm exits 0 on SIGTERM" record_stop
		check "--comm: no event of another comm" sh -c "! grep -v '^#' '$trace' | grep -v ' comm=sockstdio '"
	else
		tap_fail "record --comm attaches" "$(cat "$REC_ERR")"
	fi
fi
