#!/usr/bin/env bash
# techniques.sh: the red-team suite (issue 6, and issue 15's SW_TECHNIQUES_WIRE). Every technique of
# tests/shells/techniques.sh starts a real remote shell on loopback; this proves each launcher works
# (the attacker got the output of `id`) and, live, that `shellwatch record` saw it: an exec of the
# shell's own pid with the socket on stdio and the right peer, for relays/ptys a shell whose close
# kin holds the connection, for commands off the wire the attacker's command line run by the
# process that holds it.
# The same techniques under `shellwatch run`: tests/redteam/detect.sh.
source "$(dirname "$0")/../lib.sh"
source "$SW_ROOT/tests/shells/techniques.sh"
source "$SW_ROOT/tests/shells/record.sh"
SHELLS=$SW_ROOT/tests/shells


main() {
	local live=1 why trace=$SW_TMP/redteam.trace t missing done_names=() info=()
	why=$(sw_record_live) || live=0
	if [ "$live" = 1 ] && ! sw_record_start "$trace"; then
		tap_fail "shellwatch record starts and captures" "see the stderr above"
		live=0 why="shellwatch record did not start"
	fi
	for t in "${SW_TECHNIQUES[@]}" "${SW_TECHNIQUES_WIRE[@]}"; do
		missing=$(sw_tech_missing "$t")
		if [ -n "$missing" ]; then
			tap_skip "launcher $t" "$missing is not installed"
			continue
		fi
		if sw_tech_run "$t"; then
			tap_ok "launcher $t: the attacker received uid= from the shell"
			done_names+=("$t")
			info+=("$SW_T_ROOT_PID $SW_T_PORT $SW_T_KIND ${SW_T_SHELL_PID:-}")
		else
			tap_fail "launcher $t: the attacker received uid= from the shell" \
				"$(head -c 300 "$SW_T_DIR/listener.out" | tr -c '[:print:]' ' ')" \
				"$(cat "$SW_T_DIR"/*.err "$SW_T_DIR/shell.log" 2>/dev/null | head -c 300)"
		fi
		sw_tech_describe
	done
	[ "$live" = 1 ] || sw_record_skip "trace checks under shellwatch record" "$why"
	sw_record_stop
	sed 's/^/# record: /' "$SW_REC_ERR" | tail -n 3
	for i in "${!done_names[@]}"; do
		set -- ${info[$i]}
		check "${done_names[$i]}: the trace shows the shell ($3) with peer 127.0.0.1:$2" \
			"$SW_PY" "$SHELLS/trace_check.py" shell "$trace" --root "$1" --port "$2" \
			--kind "$3" ${4:+--shell "$4"}
	done
}

main
