#!/usr/bin/env bash
# rsyslog.sh: alerts shipped by `--syslog-server` through real syslog daemons: two rsyslogd of
# Debian's rsyslog, started here with their own configs on loopback ports: the collector (A,
# imtcp) forwards everything to a second one (B, imtcp and imudp) that writes the messages to a
# file. First `replay` of the committed captures over UDP and TCP straight to B; then `run` during
# the whole red-team suite (tests/shells/techniques.sh) over TCP to A, which is restarted mid-run
# (alerts raised while it is down wait in run's queue): every alert `run` wrote to its --output
# file must arrive intact (byte for byte) in B's file, nothing lost beyond what run's counters
# report (the test requires none), duplicates (at-least-once resends) no more than it counted.
source "$(dirname "$0")/../lib.sh"
source "$SW_ROOT/tests/shells/techniques.sh"
source "$SW_ROOT/tests/shells/record.sh"
RSYSLOGD=${RSYSLOGD:-/usr/sbin/rsyslogd}
if [ ! -x "$RSYSLOGD" ]; then
	tap_fail "rsyslog is installed (tools/deps.sh)" "no $RSYSLOGD"
	exit 0
fi

# rsyslog_conf NAME PORT [FORWARD_PORT]: a config for instance NAME: imtcp (and imudp) on
# 127.0.0.1:PORT; with FORWARD_PORT it forwards everything there over TCP (RFC 5424, octet
# counted, retried forever), else it writes shellwatch's messages, MSG only, to NAME.log.
rsyslog_conf() {
	local name=$1 port=$2 fwd=${3:-} dir=$SW_TMP/rsyslog-$1
	mkdir -p "$dir"
	cat >"$dir/rsyslog.conf" <<EOF
global(workDirectory="$dir" maxMessageSize="64k")
main_queue(queue.timeoutShutdown="10000")
module(load="imtcp")
input(type="imtcp" address="127.0.0.1" port="$port")
module(load="imudp")
input(type="imudp" address="127.0.0.1" port="$port")
template(name="msgonly" type="string" string="%msg%\n")
EOF
	if [ -n "$fwd" ]; then
		cat >>"$dir/rsyslog.conf" <<EOF
action(type="omfwd" target="127.0.0.1" port="$fwd" protocol="tcp" TCP_Framing="octet-counted"
       template="RSYSLOG_SyslogProtocol23Format" action.resumeRetryCount="-1"
       action.resumeInterval="1")
EOF
	else
		cat >>"$dir/rsyslog.conf" <<EOF
if \$app-name == "shellwatch" then action(type="omfile" file="$SW_TMP/$name.log" template="msgonly")
EOF
	fi
}

# rsyslog_start NAME PORT: start instance NAME in the foreground (-n) and wait for its port.
rsyslog_start() {
	local dir=$SW_TMP/rsyslog-$1
	"$RSYSLOGD" -n -f "$dir/rsyslog.conf" -i "$dir/pid" >"$dir/out" 2>&1 &
	eval "RS_$1=\$!"
	wait_until 10 listening "$2"
}
rsyslog_stop() {
	local pid
	eval "pid=\${RS_$1:-}"
	[ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	eval "RS_$1="
}
stop_all() {
	sw_stop "${RUN_PID:-}" "shellwatch run" 2>/dev/null
	rsyslog_stop A
	rsyslog_stop B
}
trap 'stop_all; sw_cleanup' EXIT

pa=$(free_port) pb=$(free_port)
while [ "$pb" = "$pa" ]; do pb=$(free_port); done
rsyslog_conf B "$pb"
rsyslog_conf A "$pa" "$pb"
if ! rsyslog_start B "$pb" || ! rsyslog_start A "$pa"; then
	tap_fail "two rsyslogd start on loopback ports $pa and $pb" "$(cat "$SW_TMP"/rsyslog-*/out)"
	exit 0
fi
tap_ok "two rsyslogd on 127.0.0.1: the collector on $pa forwards to the writer on $pb"

# arrived LOG FILE: every line of FILE is a line of LOG (byte for byte), and how many.
arrived() {
	/usr/bin/python3 - "$1" "$2" <<'PY'
import sys
got = open(sys.argv[1], "rb").read().splitlines()
want = open(sys.argv[2], "rb").read().splitlines()
s = set(got)
missing = [w for w in want if w not in s]
dup = len(got) - len(s)
print("%d sent, %d arrived, %d missing, %d duplicates" % (len(want), len(want) - len(missing),
      len(missing), dup))
sys.exit(1 if missing or not want else 0)
PY
}

# Straight to B, from replay: UDP and TCP.
fx=$SW_ROOT/tests/fixtures
for proto in udp tcp; do
	: >"$SW_TMP/B.log"
	"$SW_BIN" replay --json -o "$SW_TMP/replay-$proto.json" --syslog-server "$proto://127.0.0.1:$pb" \
		"$fx/redteam.trace.gz" 2>"$SW_TMP/replay.err"
	rc=$?
	wait_until 10 arrived "$SW_TMP/B.log" "$SW_TMP/replay-$proto.json" >/dev/null
	out=$(arrived "$SW_TMP/B.log" "$SW_TMP/replay-$proto.json")
	check "replay --syslog-server $proto://: every alert arrives intact ($out)" \
		test "$rc" = 0 -a "${out/ 0 missing/}" != "$out"
done

why=$(live_available) || require_live "run --syslog-server through rsyslog"
json=$SW_TMP/alerts.json
: >"$SW_TMP/B.log"
"$SW_BIN" run --json -o "$json" --syslog-server "tcp://127.0.0.1:$pa" 2>"$SW_TMP/run.err" &
RUN_PID=$!
if ! wait_until 20 grep -q '^shellwatch run: ready' "$SW_TMP/run.err"; then
	tap_fail "run --syslog-server starts" "$(cat "$SW_TMP/run.err")"
	exit 0
fi
i=0 down=
for t in "${SW_TECHNIQUES[@]}" "${SW_TECHNIQUES_WIRE[@]}"; do
	[ -n "$(sw_tech_missing "$t")" ] && continue
	i=$((i + 1))
	if [ "$i" = 5 ]; then           # the collector goes away for three techniques
		rsyslog_stop A
		down=$(wc -l <"$json")
	fi
	sw_tech_run "$t" >/dev/null 2>&1 || echo "# $t: the launcher failed"
	if [ "$i" = 7 ]; then
		echo "# collector down for techniques 5-7: $(($(wc -l <"$json") - down)) alerts raised meanwhile"
		rsyslog_start A "$pa" || tap_fail "the collector restarts"
	fi
done
check "run raised alerts during the red-team suite ($(wc -l <"$json"))" test -s "$json"
wait_until 20 arrived "$SW_TMP/B.log" "$json" >/dev/null
out=$(arrived "$SW_TMP/B.log" "$json")
sw_stop "$RUN_PID" "shellwatch run"
RUN_PID=
stats=$(grep -o "syslog tcp://[^;]*" "$SW_TMP/run.err")
echo "# run: $stats"
check "every alert of the red-team run arrived intact through both rsyslogd, collector restarted ($out)" \
	test "${out/ 0 missing/}" != "$out"
dropped=$(sed -n 's/.* \([0-9]*\) dropped (\([0-9]*\) alerts).*/\2/p' <<<"$stats")
resent=$(sed -n 's/.* \([0-9]*\) resent.*/\1/p' <<<"$stats")
dups=$(sed -n 's/.* \([0-9]*\) duplicates/\1/p' <<<"$out")
check "run's counters: no alert dropped (${dropped:-?}), duplicates ($dups) within the resent (${resent:-?})" \
	test "${dropped:-x}" = 0 -a "${dups:-1}" -le "${resent:--1}"
check "run reconnected after the restart (connections > 1)" \
	bash -c "[[ '$stats' =~ \ ([0-9]+)\ connections && \${BASH_REMATCH[1]} -ge 2 ]]"
check "run exited 0 with nothing lost" bash -c "! grep -q 'alerts were lost' '$SW_TMP/run.err'"
