#!/usr/bin/env bash
# syslog.sh: `shellwatch run --syslog` sends one message per alert to the local syslog socket
# (/dev/log): RFC 3164 by default (what syslog(3) writes, what journald and rsyslog's imuxsock
# parse there), RFC 5424 with --syslog-format rfc5424, the alert's ECS document as the message.
# The reverse shell's command line holds a newline, a carriage return, an ANSI escape and an
# invalid UTF-8 byte (issue 13: it could forge a second log line): each datagram stays one line
# of valid UTF-8 without control bytes, and the command line comes back byte for byte. The test
# listens on /dev/log itself (tests/shells/syslog_recv.py): inside a private mount namespace
# bound over the real one when this machine has a syslog daemon, or at /dev/log (removed
# afterwards) when it has none. (A collector over TCP: tests/outputs/rsyslog.sh.)
. "$(dirname "$0")/../lib.sh"
require_live "run --syslog"

log=$SW_TMP/syslog.out sock=$SW_TMP/log.sock
if [ -e /dev/log ] && ! command -v unshare >/dev/null; then
	tap_skip "run --syslog" "/dev/log belongs to a syslog daemon and unshare is missing"
	exit 0
fi
cat >"$SW_TMP/inner.sh" <<'INNER'
set -u
log=$1 sock=$2 bin=$3 port=$4 tmp=$5 recv=$6 fmt=$7
python3 "$recv" "$sock" "$log" &
rpid=$!
for _ in $(seq 250); do [ -S "$sock" ] && break; sleep 0.02; done
if [ -e /dev/log ]; then mount --bind "$sock" /dev/log || exit 3; else ln -s "$sock" /dev/log; fi
"$bin" run --json --syslog ${fmt:+--syslog-format "$fmt"} -o "$tmp/alerts.json" 2>"$tmp/run.err" &
run=$!
for _ in $(seq 500); do grep -q ready "$tmp/run.err" && break; sleep 0.02; done
printf 'exit\n' | socat -t 5 TCP-LISTEN:"$port",bind=127.0.0.1,reuseaddr STDIO >/dev/null 2>&1 &
for _ in $(seq 250); do ss -Htln "sport = :$port" | grep -q . && break; sleep 0.02; done
# argv[0] of the shell: a newline and a fake syslog header, a CR, an ANSI escape, an invalid UTF-8
# byte (no space: the shell must still see -i as its first argument)
bash -c "exec -a \$'bash\n<81>Dec\t1\thost\tforged[1]:\r\e[2J\xff' bash -i >& /dev/tcp/127.0.0.1/$port 0>&1" 2>/dev/null
for _ in $(seq 250); do grep -q "\"port\\\\\":$port" "$log" 2>/dev/null && break; sleep 0.02; done
kill -TERM "$run"; wait "$run"
[ -L /dev/log ] && rm -f /dev/log
kill "$rpid" 2>/dev/null
exit 0
INNER

# syslog_run FORMAT: one run with a reverse shell; the datagrams in $log.
syslog_run() {
	: >"$log"
	port=$(free_port)
	local args=("$log" "$sock" "$SW_BIN" "$port" "$SW_TMP" "$SW_ROOT/tests/shells/syslog_recv.py" "$1")
	if [ -e /dev/log ]; then
		unshare -m --propagation private bash "$SW_TMP/inner.sh" "${args[@]}"
	else
		bash "$SW_TMP/inner.sh" "${args[@]}"
	fi
}

# check_datagrams NAME REGEX: the datagrams of the shell's alert: their header matches REGEX,
# each is valid UTF-8 without a control byte, its message is the ECS alert, and the command line
# unescapes to the bytes the shell was given.
check_datagrams() {
	/usr/bin/python3 - "$log" "$port" "$2" "$SW_ROOT/tests/shells" <<'PY'
import json, re, sys
sys.path.insert(0, sys.argv[4])
from ecs_flat import flatten
log, port, head = sys.argv[1], int(sys.argv[2]), sys.argv[3]
grams = [json.loads(l).encode("latin-1") for l in open(log)]
assert grams, "no datagram"
for g in grams:
	assert not re.search(rb"[\x00-\x1f\x7f]", g), g[:200]
	g.decode("utf-8", "strict")
mine = []
for g in grams:
	m = re.match(head.encode(), g)
	assert m, g[:120]
	doc = flatten(json.loads(g[m.end():]))
	if doc.get("destination.port") == port:
		mine.append(doc)
assert len(mine) == 1, len(mine)
d = mine[0]
assert d["event.kind"] == "alert" and d["shellwatch.severity"] == "high", d
assert grams[[json.loads(g[re.match(head.encode(), g).end():]).get("destination", {}).get("port")
	      for g in grams].index(port)].startswith(b"<81>"), "high: priority alert/authpriv"
def unescape(s):
	out, i = bytearray(), 0
	while i < len(s):
		if s.startswith("\\\\", i): out += b"\\"; i += 2
		elif s.startswith("\\x", i): out.append(int(s[i + 2:i + 4], 16)); i += 4
		else: out += s[i].encode(); i += 1
	return bytes(out)
argv0 = b"bash\n<81>Dec\t1\thost\tforged[1]:\r\x1b[2J\xff"
assert "process.command_line" in d["shellwatch.escaped"], d.get("shellwatch.escaped")
assert unescape(d["process.command_line"]) == argv0 + b" -i", d["process.command_line"]
PY
}

syslog_run ""
line=$(head -c 300 "$log")
check "an alert reached syslog" grep -q . "$log"
check "RFC 3164 on the local socket: <81>Mmm dd hh:mm:ss shellwatch[PID]: MSG (${line:0:80})" \
	check_datagrams rfc3164 '<8[145]>[A-Z][a-z]{2} [ 0-9]\d \d\d:\d\d:\d\d shellwatch\[\d+\]: '
check "the alert also went to --output" \
	grep -qE "\"destination\":\\{[^}]*\"port\":$port[,}]" "$SW_TMP/alerts.json"
check "the --output alert is valid against the schema" \
	/usr/bin/python3 "$SW_ROOT/tests/shells/schema_check.py" "$SW_TMP/alerts.json"
check "run's closing line counts what it sent" grep -q 'syslog /dev/log: [1-9][0-9]* sent, 0 queued now, 0 dropped' "$SW_TMP/run.err"

syslog_run rfc5424
check "--syslog-format rfc5424: <81>1 TIME HOST shellwatch PID alert - MSG, same guarantees" \
	check_datagrams rfc5424 '<8[145]>1 \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z \S+ shellwatch \d+ alert - '
