#!/usr/bin/env bash
# metrics.sh: `run --metrics-file` and `--metrics-listen` with Debian's real node_exporter
# (prometheus-node-exporter), started here on a loopback port with its textfile collector on the
# directory run writes to: node_exporter parses the file without error and exposes shellwatch's
# series, and their values move as a red-team technique runs (events, execs judged, alerts by
# rule and severity, the exec-to-alert histogram). The listener serves the same text itself.
source "$(dirname "$0")/../lib.sh"
source "$SW_ROOT/tests/shells/techniques.sh"
source "$SW_ROOT/tests/shells/record.sh"
NODE_EXPORTER=${NODE_EXPORTER:-/usr/bin/prometheus-node-exporter}
if [ ! -x "$NODE_EXPORTER" ]; then
	tap_fail "prometheus-node-exporter is installed (tools/deps.sh)" "no $NODE_EXPORTER"
	exit 0
fi
require_live "run --metrics-file with node_exporter"

dir=$SW_TMP/textfile
mkdir -p "$dir"
pn=$(free_port) pm=$(free_port)
while [ "$pm" = "$pn" ]; do pm=$(free_port); done
"$NODE_EXPORTER" --web.listen-address="127.0.0.1:$pn" --collector.disable-defaults \
	--collector.textfile --collector.textfile.directory="$dir" >"$SW_TMP/ne.log" 2>&1 &
ne=$!
"$SW_BIN" run --json -o "$SW_TMP/alerts.json" --metrics-file "$dir/shellwatch.prom" \
	--metrics-interval 1s --metrics-listen "127.0.0.1:$pm" 2>"$SW_TMP/run.err" &
run=$!
trap 'sw_stop "$run" "shellwatch run" 2>/dev/null; kill "$ne" 2>/dev/null; sw_cleanup' EXIT
if ! wait_until 20 grep -q '^shellwatch run: ready' "$SW_TMP/run.err" ||
   ! wait_until 10 listening "$pn"; then
	tap_fail "run and node_exporter start" "$(cat "$SW_TMP/run.err" "$SW_TMP/ne.log")"
	exit 0
fi
tap_ok "run (listener on $pm) and node_exporter (on $pn, textfile directory $dir) start"

scrape() { curl -s --max-time 5 "http://127.0.0.1:$1/${2:-metrics}"; }
# value TEXT SERIES: the value of one series (exact name and labels), or "" when absent.
value() { awk -v s="$2" '$1 == s { print $2 }' <<<"$1"; }
# sum TEXT NAME: the sum of every series of a metric.
sum() { awk -v n="$2" 'index($1, n "{") == 1 || $1 == n { s += $2 } END { printf "%d", s }' <<<"$1"; }

wait_until 5 test -s "$dir/shellwatch.prom"
check "the metrics file is written, 0644, no temporary file left" \
	bash -c "test \"\$(stat -c %a '$dir/shellwatch.prom')\" = 644 && ! ls '$dir' | grep -q tmp"
wait_until 5 bash -c "curl -s http://127.0.0.1:$pn/metrics | grep -q '^shellwatch_build_info'"
before=$(scrape "$pn")
check "node_exporter exposes shellwatch's series" grep -q '^shellwatch_build_info{version=' <<<"$before"
check "node_exporter parsed the file without error (node_textfile_scrape_error 0)" \
	test "$(value "$before" node_textfile_scrape_error)" = 0
for s in 'shellwatch_events_total{kind="exec"}' 'shellwatch_events_dropped_total{stage="ringbuf"}' \
	'shellwatch_events_dropped_total{stage="engine"}' shellwatch_events_filtered_total \
	shellwatch_execs_judged_total 'shellwatch_alerts_decided_total{severity="high"}' \
	'shellwatch_kills_total{where="kernel"}' 'shellwatch_exec_to_alert_seconds_bucket{le="+Inf"}' \
	shellwatch_process_table_entries shellwatch_process_table_capacity shellwatch_engine_streams \
	shellwatch_engine_streams_capacity 'shellwatch_output_records_total{type="alert"}' \
	shellwatch_alerts_lost_total; do
	[ -n "$(value "$before" "$s")" ] || missing="${missing:-} $s"
done
check "the series are there: events by kind, filtered, dropped, alerts, kills, latency, tables${missing:+ (missing:$missing)}" \
	test -z "${missing:-}"

t=bash_tcp
sw_tech_run "$t" >/dev/null 2>&1 || tap_fail "$t ran" "the launcher failed"
wait_until 10 grep -qE "\"destination\":\\{[^}]*\"port\":$SW_T_PORT[,}]" "$SW_TMP/alerts.json"
sleep 2.5    # two renewals of the file, one scrape
after=$(scrape "$pn")
for m in 'shellwatch_events_total{kind="exec"}' shellwatch_execs_judged_total \
	'shellwatch_events_total{kind="connect"}' shellwatch_exec_to_alert_seconds_count \
	'shellwatch_output_records_total{type="alert"}'; do
	b=$(value "$before" "$m") a=$(value "$after" "$m")
	echo "# $m: $b -> $a"
	check "$m moved as $t ran ($b -> $a)" test "${a:-0}" -gt "${b:-0}"
done
b=$(sum "$before" shellwatch_alerts_total) a=$(sum "$after" shellwatch_alerts_total)
check "shellwatch_alerts_total (by rule and severity) counted the shell ($b -> $a)" test "$a" -gt "$b"
check "... with its rule and severity high" \
	grep -qE '^shellwatch_alerts_total\{rule="[a-z-]+",severity="high"\} [1-9]' <<<"$after"

direct=$(scrape "$pm")
check "--metrics-listen serves the same series" grep -q '^shellwatch_alerts_total{rule=' <<<"$direct"
check "--metrics-listen: another path is 404" \
	test "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$pm/other")" = 404
sw_stop "$run" "shellwatch run"
check "run's last metrics are written at its stop" \
	grep -q '^shellwatch_alerts_total{rule=' "$dir/shellwatch.prom"
