#!/usr/bin/env bash
# bench.sh: `make bench` for live capture. Two workloads (tools/bench_loop.c), each under several
# configurations measured in the same run, interleaved round by round (machines are noisy), median
# of the rounds per configuration:
#   dup2       dup2 of a socket onto fd 100 (the sensor keeps and sends every call)
#   dup2-pipe  dup2 of a pipe onto fd 100 (the sensor filters every call in the kernel)
#   exec       fork + exec /bin/true + wait
#   tcp-rr     a 64-byte request/response over loopback TCP (every receive meets the recv hook)
#   tcp-stream reads of a loopback TCP stream, 64 KiB at most each
# configurations: bare; empty (bpf/empty.bpf.c on the same hooks); record (`shellwatch record -o
# /dev/null`); run (`shellwatch run -o /dev/null`: detection with scoring); execsnoop (Debian's libbpf-tools, exec only). Prints ns/op, ratios to the empty
# floor, and record's drop counts. Environment: ROUNDS (5), DUP_N (1000000), EXEC_N (1000),
# WORKLOADS ("dup2 dup2-pipe exec").
# The loop runs on CPU 0, what is attached (and reads events) on the other CPUs, when there are
# two or more. A last pass turns on kernel.bpf_stats_enabled and prints what the programs
# themselves cost per run (sensor vs empty), a figure the machine's load barely moves.
# Needs root. No pass/fail: it reports.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
build=${SW_BUILD:-$root/build}
bin=$build/shellwatch
loop=$build/tools/bench_loop
empty=$build/tools/bench_empty
rounds=${ROUNDS:-5} dup_n=${DUP_N:-1000000} exec_n=${EXEC_N:-1000}
rr_n=${RR_N:-100000} stream_n=${STREAM_N:-200000}
workloads=${WORKLOADS:-dup2 dup2-pipe exec tcp-rr tcp-stream}
execsnoop=${EXECSNOOP:-/usr/sbin/execsnoop}
tmp=$(mktemp -d /tmp/shellwatch-bench.XXXXXX)
pin_loop= pin_att=
if [ "$(nproc)" -ge 2 ]; then
	pin_loop="taskset -c 0" pin_att="taskset -c 1-$(($(nproc) - 1))"
fi
trap 'kill $(jobs -p) 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM

if [ "$(id -u)" != 0 ]; then
	echo "bench: needs root (BPF)" >&2
	exit 1
fi

# wait_for FILE ERE: until a line of FILE matches, at most 20 s.
wait_for() {
	local end=$((SECONDS + 20))
	until grep -qE "$2" "$1" 2>/dev/null; do
		[ "$SECONDS" -ge "$end" ] && return 1
		sleep 0.05
	done
}

# start CONFIG: start what CONFIG attaches; sets att (pid) and err (its stderr file).
start() {
	att= err=$tmp/$1.err
	: >"$err"
	case $1 in
	bare) return 0 ;;
	empty) $pin_att "$empty" 2>"$err" & att=$! ; wait_for "$err" 'ready' ;;
	record) $pin_att "$bin" record -o /dev/null 2>"$err" & att=$! ; wait_for "$err" 'ready' ;;
	run) $pin_att "$bin" run -o /dev/null 2>"$err" & att=$! ; wait_for "$err" 'ready' ;;
	execsnoop) $pin_att "$execsnoop" >"$err" 2>&1 & att=$! ; wait_for "$err" 'PCOMM' ;;
	esac
}

stop() {
	[ -n "$att" ] || return 0
	kill -INT "$att" 2>/dev/null
	wait "$att" 2>/dev/null
}

declare -A samples drops lat
loop_n() { case $1 in exec) echo "$exec_n" ;; tcp-rr) echo "$rr_n" ;; tcp-stream) echo "$stream_n" ;; *) echo "$dup_n" ;; esac; }
configs_for() { case $1 in exec) echo bare empty record run execsnoop ;; *) echo bare empty record run ;; esac; }

for r in $(seq "$rounds"); do
	for w in $workloads; do
		n=$(loop_n "$w")
		for c in $(configs_for "$w"); do
			if ! start "$c"; then
				echo "bench: $c did not attach: $(head -3 "$err")" >&2
				exit 1
			fi
			ns=$($pin_loop "$loop" "$w" "$n") || { stop; echo "bench: $w loop failed" >&2; exit 1; }
			stop
			samples[$w.$c]+="$ns "
			if [ "$c" = run ]; then
				d=$(sed -nE 's/^shellwatch run: .* ([0-9]+) dropped, ([0-9]+) execs dropped;.*/\1+\2/p' "$err")
				drops[$w.run]=$(( ${drops[$w.run]:-0} + ${d:-0} ))
			fi
			if [ "$c" = record ]; then
				d=$(sed -nE 's/.* ([0-9]+) dropped.*/\1/p' "$err")
				drops[$w]=$(( ${drops[$w]:-0} + ${d:-0} ))
				l=$(sed -nE 's/.*exec delivery mean [0-9]+ us, max ([0-9]+) us.*/\1/p' "$err")
				samples[$w.latmean]+="$(sed -nE 's/.*exec delivery mean ([0-9]+) us.*/\1/p' "$err") "
				[ -n "$l" ] && [ "$l" -gt "${lat[$w]:-0}" ] && lat[$w]=$l
				ev=$(sed -nE 's/^shellwatch record: ([0-9]+) events.*/\1/p' "$err")
				samples[$w.events]+="${ev:-0} "
			fi
		done
	done
done

# prog_ns PID NAME: "runs ns_total" of the BPF program NAME that process PID holds (its fds'
# fdinfo name the program ids).
prog_ns() {
	local id
	for id in $(grep -h '^prog_id:' /proc/"$1"/fdinfo/* 2>/dev/null | awk '{print $2}' | sort -u); do
		bpftool prog show id "$id" 2>/dev/null | grep -q " name $2 " || continue
		bpftool prog show id "$id" -j | sed -nE 's/.*"run_time_ns":([0-9]+),"run_cnt":([0-9]+).*/\2 \1/p'
		return 0
	done
	echo "0 0"
}

# stats_pass: per-run program cost with bpf_stats on, one run of each loop per configuration.
stats_pass() {
	local old w c n prog a b
	old=$(sysctl -n kernel.bpf_stats_enabled)
	sysctl -qw kernel.bpf_stats_enabled=1
	printf '%-10s %-10s %12s  (kernel.bpf_stats_enabled=1, program run time only)\n' workload program ns/run
	for w in $workloads; do
		n=$(loop_n "$w")
		for c in empty record; do
			case $w.$c in
			exec.empty) prog=empty_exec ;; exec.record) prog=on_exec ;;
			tcp-*.empty) prog=empty_recv ;; tcp-*.record) prog=on_recv ;;
			*.empty) prog=empty_dup2 ;; *.record) prog=exit_dup2 ;;
			esac
			start "$c" || continue
			a=$(prog_ns "$att" "$prog")
			$pin_loop "$loop" "$w" "$n" >/dev/null
			b=$(prog_ns "$att" "$prog")
			stop
			awk -v w="$w" -v p="$c:$prog" -v a="$a" -v b="$b" 'BEGIN {
				split(a, x, " "); split(b, y, " "); r = y[1] - x[1]
				printf "%-10s %-17s %5.1f  (%d runs)\n", w, p, r ? (y[2] - x[2]) / r : 0, r }'
		done
	done
	sysctl -qw kernel.bpf_stats_enabled="$old"
}

median() { tr ' ' '\n' | grep . | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

printf 'shellwatch live bench: %s rounds interleaved, medians; dup loops %s calls, exec loop %s execs\n' \
	"$rounds" "$dup_n" "$exec_n"
printf '%-10s %-10s %10s %9s %9s\n' workload config ns/op x-bare x-empty
for w in $workloads; do
	b=$(median <<<"${samples[$w.bare]}") e=$(median <<<"${samples[$w.empty]}")
	for c in $(configs_for "$w"); do
		m=$(median <<<"${samples[$w.$c]}")
		printf '%-10s %-10s %10.1f %9.3f %9.3f\n' "$w" "$c" "$m" \
			"$(awk -v a="$m" -v b="$b" 'BEGIN {print a / b}')" \
			"$(awk -v a="$m" -v b="$e" 'BEGIN {print a / b}')"
	done
	printf '%-10s record: %s events/round, %s dropped in all rounds, exec delivery mean %s us (median of rounds), max %s us\n' \
		"$w" "$(median <<<"${samples[$w.events]}")" "${drops[$w]:-0}" \
		"$(median <<<"${samples[$w.latmean]}")" "${lat[$w]:--}"
	printf '%-10s run: %s dropped in all rounds\n' "$w" "${drops[$w.run]:-0}"
done
stats_pass
