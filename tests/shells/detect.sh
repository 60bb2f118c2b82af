# detect.sh: run `shellwatch run --json` around a workload and ask its alerts questions, for the
# red-team and benign suites (sourced; needs tests/lib.sh and tests/shells/techniques.sh).
#   sw_run_implemented         true once `shellwatch run --help` works
#   sw_run_start JSONFILE      start `run --json --output JSONFILE`; waits (bounded) for `ready`
#   sw_run_stop                SIGTERM, bounded wait; its stderr (counts, latency) in $SW_RUN_ERR;
#                              then one TAP line: every alert it wrote is valid against
#                              docs/alert.schema.json (tests/shells/schema_check.py)
#   expect_detection JSONFILE  after sw_tech_run: an alert for the technique's shell (pid or
#                              parent pid is the shell's or the launcher's, port is the
#                              listener's) shows up within 2 s; for commands off the wire
#                              (SW_T_KIND=wire) the shell is the loop, so the alert names the loop
#                              or the program it ran for a command
#   sw_alert_count JSONFILE [MAX_DELAY_MS [show [SEVERITY]]]  how many alerts match the last
#                              technique (with a delay from exec to alert of at most MAX_DELAY_MS,
#                              and of SEVERITY, when given; prints the number, then with show one
#                              TAP comment per alert)
#   expect_no_detection JSONFILE [PIDS]  no alert at all (of a process or parent in PIDS, a
#                              comma-separated list, when given)
SW_DETECT_PY=$SW_SHELLS_DIR/detection_check.py

sw_run_implemented() { "$SW_BIN" run --help >/dev/null 2>&1; }

sw_run_start() {
	local t0=${EPOCHREALTIME/./}
	SW_RUN_ERR=$1.err SW_RUN_JSON=$1
	# shellcheck disable=SC2086 # SW_RUN_OPTS: extra options, split on purpose
	"$SW_BIN" run --json --output "$1" ${SW_RUN_OPTS:-} 2>"$SW_RUN_ERR" &
	SW_RUN_PID=$!
	if ! wait_until 15 grep -q '^shellwatch run: ready' "$SW_RUN_ERR"; then
		echo "# shellwatch run did not say ready within 15 s:" >&2
		sed 's/^/#   /' "$SW_RUN_ERR" >&2
		SW_RUN_JSON=
		sw_run_stop
		return 1
	fi
	echo "# run ready after $(((${EPOCHREALTIME/./} - t0) / 1000)) ms"
}

sw_run_stop() {
	local out
	sw_stop "${SW_RUN_PID:-}" "shellwatch run"
	SW_RUN_PID=
	[ -n "${SW_RUN_JSON:-}" ] || return 0
	out=$("$SW_PY" "$SW_SHELLS_DIR/schema_check.py" "$SW_RUN_JSON" 2>&1)
	if [ $? = 0 ]; then
		tap_ok "every alert of run is valid against docs/alert.schema.json (${out##*$'\n'})"
	else
		tap_fail "every alert of run is valid against docs/alert.schema.json" "$out"
	fi
	SW_RUN_JSON=
}

sw_alert_count() {
	"$SW_PY" "$SW_DETECT_PY" count "$1" --port "$SW_T_PORT" \
		--pids "${SW_T_SHELL_PID:-0},$SW_T_ROOT_PID" ${2:+--max-delay "$2"} ${3:+--show} \
		${4:+--severity "$4"} 2>/dev/null
}

expect_detection() {
	wait_until 2 sw_alert_count "$1" >/dev/null
}

expect_no_detection() {
	"$SW_PY" "$SW_DETECT_PY" none "$1" ${2:+--pids "$2"}
}

# sw_alert_fields FILE PORT FIELD...: one line per alert of FILE whose remote (or local) port is
# PORT: the fields' values (dotted ECS names) separated by spaces, "-" where absent.
sw_alert_fields() {
	local file=$1 port=$2 f args=()
	shift 2
	for f in "$@"; do args+=(--field "$f"); done
	"$SW_PY" "$SW_DETECT_PY" fields "$file" --port "$port" "${args[@]}" 2>/dev/null
}
