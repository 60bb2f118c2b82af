#!/usr/bin/env bash
# live.sh: `run`'s outputs on real shells: a failing output (-o /dev/full) is reported on stderr
# at once, while run goes on detecting, and run exits 1 for the lost alert; --json=ocsf writes
# OCSF Detection Findings (tests/shells/ocsf_check.py) naming the shell and the listener;
# --events writes the exec and connect events (ECS, event.kind event, valid against the schema),
# rate-limited with the drops counted; -o refuses a symbolic link before attaching.
source "$(dirname "$0")/../lib.sh"
source "$SW_ROOT/tests/shells/techniques.sh"
source "$SW_ROOT/tests/shells/record.sh"
require_live "run's outputs"
py=/usr/bin/python3

RUN_PID=
run_start() {
	: >"$SW_TMP/run.err"
	"$SW_BIN" run "$@" >"$SW_TMP/run.out" 2>"$SW_TMP/run.err" &
	RUN_PID=$!
	wait_until 20 grep -q '^shellwatch run: ready' "$SW_TMP/run.err"
}
run_stop() {
	kill -TERM "$RUN_PID" 2>/dev/null
	wait "$RUN_PID"
	RUN_RC=$?
	RUN_PID=
}
trap '[ -n "$RUN_PID" ] && run_stop; sw_cleanup' EXIT

# -o /dev/full: the failed alert is said at once; detection goes on; exit status 1.
if run_start --json -o /dev/full; then
	sw_tech_run bash_tcp >/dev/null 2>&1
	check "-o /dev/full: the lost alert is reported while run goes on" \
		wait_until 5 grep -q 'cannot write an alert to /dev/full: No space left on device' "$SW_TMP/run.err"
	check "-o /dev/full: run is still running" kill -0 "$RUN_PID"
	run_stop
	check "-o /dev/full: exit status 1 (alerts lost)" test "$RUN_RC" = 1
	check "-o /dev/full: the closing lines count the loss" \
		grep -qE 'output /dev/full: [1-9][0-9]* alerts and [0-9]+ events could not be written' "$SW_TMP/run.err"
else
	tap_fail "run -o /dev/full starts" "$(cat "$SW_TMP/run.err")"
fi

# --json=ocsf
ocsf=$SW_TMP/alerts.ocsf
if run_start --json=ocsf -o "$ocsf"; then
	sw_tech_run python_dup2 >/dev/null 2>&1
	wait_until 5 grep -q "\"dst_endpoint\":{\"ip\":\"127.0.0.1\",\"port\":$SW_T_PORT" "$ocsf"
	run_stop
	out=$("$py" "$SW_ROOT/tests/shells/ocsf_check.py" "$ocsf")
	check "--json=ocsf: Detection Findings with what class 2004 requires (${out##*$'\n'})" \
		"$py" "$SW_ROOT/tests/shells/ocsf_check.py" "$ocsf"
	check "--json=ocsf: the finding names the shell's listener and ATT&CK T1059.006 or .004" \
		"$py" - "$ocsf" "$SW_T_PORT" <<'PY'
import json, sys
docs = [json.loads(l) for l in open(sys.argv[1])]
mine = [d for d in docs if d["evidences"][0].get("dst_endpoint", {}).get("port") == int(sys.argv[2])]
assert len(mine) == 1, len(mine)
d = mine[0]
assert d["severity_id"] == 4 and d["confidence_id"] == 3, d
subs = [a.get("sub_technique", {}).get("uid") for a in d["finding_info"]["attacks"]]
assert "T1059.004" in subs or "T1059.006" in subs, subs
assert d["device"]["uid"] and d["device"]["hostname"], d["device"]
PY
else
	tap_fail "run --json=ocsf starts" "$(cat "$SW_TMP/run.err")"
fi

# --events: the shell's exec and connect as ECS events, valid against the schema.
ev=$SW_TMP/events.json
if run_start --json --events --events-rate 1000 -o "$ev"; then
	sw_tech_run bash_tcp >/dev/null 2>&1
	wait_until 5 grep -qE "\"destination\":\\{[^}]*\"port\":$SW_T_PORT[,}]" "$ev"
	run_stop
	out=$("$py" "$SW_ROOT/tests/shells/schema_check.py" "$ev")
	check "--events: every document valid against the schema (${out##*$'\n'})" \
		"$py" "$SW_ROOT/tests/shells/schema_check.py" "$ev"
	check "--events: the shell's connect and exec, and its alert, with one entity id" \
		"$py" - "$ev" "$SW_T_PORT" <<'PY'
import json, sys
docs = [json.loads(l) for l in open(sys.argv[1])]
port = int(sys.argv[2])
alert = [d for d in docs if d["event"]["kind"] == "alert" and d.get("destination", {}).get("port") == port]
conn = [d for d in docs if d["event"].get("action") == "connect" and d.get("destination", {}).get("port") == port]
assert len(alert) == 1 and conn, (len(alert), len(conn))
eid = alert[0]["process"]["entity_id"]
execs = [d for d in docs if d["event"].get("action") == "exec" and d["process"].get("entity_id") == eid]
assert execs, "no exec event of the alerted process %s" % eid
assert conn[0]["network"]["direction"] == "outbound", conn[0]
PY
else
	tap_fail "run --events starts" "$(cat "$SW_TMP/run.err")"
fi

# --events-rate: a burst of execs beyond the rate is dropped and counted (1 a second: a few for
# the seconds run lives, not the 200 of the burst).
ev=$SW_TMP/events-rate.json
if run_start --json --events --events-rate 1 -o "$ev"; then
	t0=$SECONDS
	for _ in $(seq 200); do /bin/true; done
	sleep 0.3
	run_stop
	n=$(grep -c '"kind":"event"' "$ev")
	check "--events-rate 1: a burst of 200 execs writes a few events ($n in $((SECONDS - t0 + 1)) s)" \
		test "$n" -le $((SECONDS - t0 + 5))
	check "--events-rate: the drops are counted" \
		grep -qE 'events: [0-9]+ written, [1-9][0-9]{2,} dropped by the rate limit' "$SW_TMP/run.err"
else
	tap_fail "run --events-rate starts" "$(cat "$SW_TMP/run.err")"
fi
"$SW_BIN" run --events -o "$ev" >/dev/null 2>"$SW_TMP/err"
check "--events without --json: usage error" test $? = 2

# -o a symbolic link: refused before attaching.
ln -s "$SW_TMP/target" "$SW_TMP/link"
timeout 20 "$SW_BIN" run --json -o "$SW_TMP/link" 2>"$SW_TMP/err"
check "run -o a symbolic link: exit 1, before attaching" \
	bash -c "test $? = 1 && grep -q 'symbolic link' '$SW_TMP/err' && ! grep -q ready '$SW_TMP/err'"
