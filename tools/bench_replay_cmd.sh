#!/usr/bin/env bash
# bench_replay_cmd.sh: `shellwatch replay` end to end (read, parse, judge, write), events/s of one
# core, on a recording made of the committed live fixtures (tests/fixtures/{redteam,benign,
# services}.trace.gz) repeated with shifted pids to EVENTS lines (default 1,000,000). Give several
# binaries to compare them in one run (e.g. an older build): each is timed ROUNDS times (3),
# interleaved, and the median printed.
#   tools/bench_replay_cmd.sh [BIN...]      default: build/shellwatch
set -euo pipefail
cd "$(dirname "$0")/.."
events=${EVENTS:-1000000} rounds=${ROUNDS:-3}
bins=("$@")
[ ${#bins[@]} -gt 0 ] || bins=(build/shellwatch)
tmp=$(mktemp -d /tmp/shellwatch-bench-replay.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
zcat tests/fixtures/redteam.trace.gz tests/fixtures/benign.trace.gz tests/fixtures/services.trace.gz |
	grep -v '^#' >"$tmp/one"
n=$(wc -l <"$tmp/one")
# copy k shifts every pid=, ppid=, child= by k * 10^6 and t= by k * 10^12 (after the last copy)
awk -v want="$events" -v n="$n" 'BEGIN { k = 0 }
	{ lines[NR] = $0 }
	END {
		out = 0
		for (k = 0; out < want; k++)
			for (i = 1; i <= n && out < want; i++) {
				l = lines[i]
				while (match(l, / (pid|ppid|child)=[0-9]+/)) {
					split(substr(l, RSTART + 1, RLENGTH - 1), kv, "=")
					l = substr(l, 1, RSTART) kv[1] "@" (kv[2] + k * 1000000) substr(l, RSTART + RLENGTH)
				}
				gsub(/@/, "=", l)
				if (match(l, / t=[0-9]+/)) {
					t = substr(l, RSTART + 3, RLENGTH - 3) + k * 1e12
					l = substr(l, 1, RSTART + 2) sprintf("%.0f", t) substr(l, RSTART + RLENGTH)
				}
				print l; out++
			}
	}' "$tmp/one" >"$tmp/trace"
echo "replay end to end: $(wc -l <"$tmp/trace") lines ($(du -m "$tmp/trace" | cut -f1) MiB), $rounds rounds, median CPU time"
for b in "${bins[@]}"; do : >"$tmp/$(echo "$b" | tr / _)"; done
for _ in $(seq "$rounds"); do
	for b in "${bins[@]}"; do
		/usr/bin/time -f '%U %S' -o "$tmp/t" taskset -c 0 "$b" replay "$tmp/trace" >/dev/null 2>&1
		awk '{ print $1 + $2 }' "$tmp/t" >>"$tmp/$(echo "$b" | tr / _)"
	done
done
for b in "${bins[@]}"; do
	s=$(sort -n "$tmp/$(echo "$b" | tr / _)" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
	awk -v b="$b" -v s="$s" -v n="$events" 'BEGIN { printf "%-40s %6.2f s CPU  %5.2f M events/s\n", b, s, n / s / 1e6 }'
done
