#!/usr/bin/env bash
# detect.sh: the red-team suite under `shellwatch run --json` (issue 6; issue 15 added
# SW_TECHNIQUES_WIRE): every technique of tests/shells/techniques.sh must raise an alert within 2 s
# naming the shell's pid (or its launcher's; for commands off the wire, the loop's) and the
# listener's port, exactly one alert per shell, of severity high. Prints each alert's signals and
# delay, the detection rate, and run's own latency figures.
source "$(dirname "$0")/../lib.sh"
source "$SW_ROOT/tests/shells/techniques.sh"
source "$SW_ROOT/tests/shells/record.sh"
source "$SW_ROOT/tests/shells/detect.sh"

why=$(live_available) || require_live "red-team under shellwatch run"
sw_run_implemented || { tap_skip "red-team under shellwatch run" "run not implemented yet"; exit 0; }
json=$SW_TMP/alerts.json
sw_run_start "$json" || { tap_fail "shellwatch run starts" "see the stderr above"; exit 0; }
names=() state=() detected=0 tried=0
for t in "${SW_TECHNIQUES[@]}" "${SW_TECHNIQUES_WIRE[@]}"; do
	missing=$(sw_tech_missing "$t")
	[ -n "$missing" ] && { tap_skip "$t detected" "$missing is not installed"; continue; }
	if ! sw_tech_run "$t"; then
		tap_fail "$t detected" "the launcher failed (see tests/redteam/techniques.sh)"
		continue
	fi
	tried=$((tried + 1))
	if expect_detection "$json"; then
		tap_ok "$t detected within 2 s (pid ${SW_T_SHELL_PID:-?}, port $SW_T_PORT)"
		detected=$((detected + 1))
	else
		tap_fail "$t detected within 2 s (pid ${SW_T_SHELL_PID:-?}, port $SW_T_PORT)" \
			"no alert for pids ${SW_T_SHELL_PID:-?},$SW_T_ROOT_PID port $SW_T_PORT"
	fi
	names+=("$t") state+=("$SW_T_PORT ${SW_T_SHELL_PID:-0} $SW_T_ROOT_PID")
	if [ "$t" = bash_copy ]; then   # a renamed copy is still bash, known by its build-id
		by=$(sw_alert_fields "$json" "$SW_T_PORT" shellwatch.interpreter \
			shellwatch.interpreter_by | head -n 1)
		check "bash_copy: the alert says bash, by its build-id ($by)" test "$by" = "bash build-id"
	fi
done
sw_run_stop
echo "# detected $detected of $tried techniques"
sed 's/^/# run: /' "$SW_RUN_ERR" | tail -n 6
# Exactly one alert per shell, counted once run has flushed everything (held alerts included).
for i in "${!names[@]}"; do
	read -r SW_T_PORT SW_T_SHELL_PID SW_T_ROOT_PID <<<"${state[$i]}"
	all=$(sw_alert_count "$json")
	out=$(sw_alert_count "$json" 2000 show)
	fast=${out%%$'\n'*}
	high=$(sw_alert_count "$json" "" "" high)
	check "${names[$i]}: one alert for the shell ($all), exec to alert under 2 s ($fast), high ($high)" \
		test "$all" = 1 -a "$fast" = 1 -a "$high" = 1
	sed -n '2,$p' <<<"$out"
done
