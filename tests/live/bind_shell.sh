#!/usr/bin/env bash
# bind_shell.sh: a real bind shell (python: listen, accept, dup2 onto 0, 1, 2, exec /bin/sh) on
# 127.0.0.1 and on ::1 under `shellwatch record`. The trace must show, all from the shell's pid:
# the accept with the client's address, the dup2s of the accepted socket onto 0, 1, 2, and the
# exec of /bin/sh with sockets on stdio whose local end is the listening port. Unix-socket connect
# and accept are marked as such.
. "$(dirname "$0")/../lib.sh"
require_live "bind shell under record"
. "$(dirname "$0")/record.bash"

trace=$SW_TMP/trace
if ! record_start "$trace"; then
	tap_fail "record attaches" "$(cat "$SW_TMP/record.err")"
	exit 0
fi
tap_ok "record attaches and says ready"

bind_shell='
import os, socket, sys
fam = socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET
s = socket.socket(fam, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], int(sys.argv[2])))
s.listen(1)
c, _ = s.accept()
for fd in (0, 1, 2):
    os.dup2(c.fileno(), fd)
os.execv("/bin/sh", ["/bin/sh"])
'

# run_case HOST FAMILY ADDR_RE ENDPOINT_RE: one bind shell on HOST, checked in the trace.
run_case() {
	local host=$1 fam=$2 addr_re=$3 ep_re=$4 port shell pid
	port=$(free_port)
	python3 -c "$bind_shell" "$host" "$port" &
	shell=$!
	wait_until 10 sh -c "ss -Htln 'sport = :$port' | grep -q ." ||
		{ tap_fail "$fam: bind shell listens" "nothing on port $port"; return; }
	local target="TCP4:$host:$port"
	[ "$fam" = inet6 ] && target="TCP6:[$host]:$port"
	printf 'echo bound-$((6*7))\nexit\n' | socat -t 5 - "$target" >"$SW_TMP/client.out" 2>&1
	check "$fam: the shell ran the client's command" grep -q 'bound-42' "$SW_TMP/client.out"
	wait_until 20 pid_gone "$shell"
	wait_until 10 trace_has "$trace" "^execve pid=$shell .* exe=/bin/sh " ||
		{ tap_fail "$fam: exec recorded" "no execve for pid $shell"; return; }
	pid=$shell
	check "$fam: accept by pid $pid with the client's address" trace_has "$trace" \
		"^accept4? pid=$pid .* family=$fam addr=$addr_re port=[1-9][0-9]* => [0-9]+\$"
	for n in 0 1 2; do
		check "$fam: dup2 of the socket onto $n by pid $pid" \
			trace_has "$trace" "^dup2 pid=$pid .* fd=[0-9]+ newfd=$n sock=1 => $n\$"
	done
	check "$fam: exec of /bin/sh by pid $pid with sockets on 0, 1, 2" trace_has "$trace" \
		"^execve pid=$pid .* exe=/bin/sh argv=/bin/sh fd0=sock:$fam fd1=sock:$fam fd2=sock:$fam "
	check "$fam: exec shows the listening port as local end of stdin" trace_has "$trace" \
		"^execve pid=$pid .* peer0=$ep_re:[0-9]+ local0=$ep_re:$port "
}

run_case 127.0.0.1 inet '127\.0\.0\.1' '127\.0\.0\.1'
if ip -6 addr show dev lo 2>/dev/null | grep -q '::1'; then
	run_case ::1 inet6 '::1' '\[::1\]'
else
	tap_skip "inet6 bind shell" "no ::1 on lo"
fi
# unix sockets: connect and accept are reported, marked family=unix, without address or port
sock=$SW_TMP/unix.sock
socat -u UNIX-LISTEN:"$sock" OPEN:/dev/null &
listener=$!
wait_until 10 test -S "$sock"
echo hi | socat -u - UNIX-CONNECT:"$sock" &
client=$!
wait "$client"
check "unix: connect marked family=unix" wait_until 10 trace_has "$trace" \
	"^connect pid=$client .* family=unix => 0\$"
check "unix: accept marked family=unix" wait_until 10 trace_has "$trace" \
	"^accept4? pid=$listener .* family=unix => [0-9]+\$"
check "record exits 0 on SIGTERM and prints its counts" record_stop
