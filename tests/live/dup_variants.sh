#!/usr/bin/env bash
# dup_variants.sh: reverse shells that put the socket on stdio without dup2 (tests/helpers/
# sockstdio.c): dup3, fcntl(F_DUPFD), and close-then-socket (socket() returns 0, dup() copies it).
# Under `shellwatch record` each must show its connect, its own dup calls onto 0, 1, 2 with the
# socket flag, and the exec of sh with sockets on 0, 1, 2, all from the helper's pid.
. "$(dirname "$0")/../lib.sh"
require_live "dup3/fcntl/reopen variants under record"
. "$(dirname "$0")/record.bash"

helper=$SW_BUILD/helpers/sockstdio
if [ ! -x "$helper" ]; then
	tap_fail "helper built" "no $helper (make test builds it)"
	exit 0
fi
trace=$SW_TMP/trace
if ! record_start "$trace"; then
	tap_fail "record attaches" "$(cat "$SW_TMP/record.err")"
	exit 0
fi
tap_ok "record attaches and says ready"

# run_mode MODE: one helper run against a fresh listener; prints the helper's pid.
run_mode() {
	local port pid
	port=$(free_port)
	socat -u TCP-LISTEN:"$port",bind=127.0.0.1,reuseaddr OPEN:/dev/null &
	wait_until 10 listening "$port" || return 1
	"$helper" "$1" 127.0.0.1 "$port" &
	pid=$!
	wait "$pid" || return 1
	echo "$pid $port"
}

for mode in dup3 fcntl reopen; do
	if ! read -r pid port < <(run_mode "$mode"); then
		tap_fail "$mode: helper ran" "sockstdio $mode failed"
		continue
	fi
	wait_until 10 trace_has "$trace" "^execve pid=$pid " ||
		{ tap_fail "$mode: exec recorded" "no execve for pid $pid"; continue; }
	check "$mode: connect to 127.0.0.1:$port by pid $pid" trace_has "$trace" \
		"^connect pid=$pid .* family=inet addr=127\.0\.0\.1 port=$port => 0\$"
	for n in 0 1 2; do
		case $mode in
		dup3) re="^dup3 pid=$pid .* fd=[0-9]+ newfd=$n flags=0 sock=1 => $n\$" ;;
		fcntl) re="^fcntl pid=$pid .* fd=[0-9]+ cmd=F_DUPFD arg=$n sock=1 => $n\$" ;;
		reopen) [ "$n" = 0 ] && continue; re="^dup pid=$pid .* fd=0 sock=1 => $n\$" ;;
		esac
		check "$mode: socket copied onto $n" trace_has "$trace" "$re"
	done
	check "$mode: exec of sh with sockets on 0, 1, 2" trace_has "$trace" \
		"^execve pid=$pid .* exe=/bin/sh argv=\"sh -c exit 0\" fd0=sock:inet fd1=sock:inet fd2=sock:inet peer0=127\.0\.0\.1:$port "
done
check "record exits 0 on SIGTERM and prints its counts" record_stop
