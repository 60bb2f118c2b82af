# procs.sh: process helpers for the suites' launchers (sourced). Only ever touches pids the
# caller started and their descendants.
#   sw_gone PID     true when PID has exited (or is a zombie waiting to be reaped)
#   sw_tree PID     every descendant of PID, one pid a line, depth first
#   sw_stop PID WHAT  SIGTERM a background child, wait up to 10 s, then SIGKILL; reaps it

sw_gone() { ! kill -0 "$1" 2>/dev/null || [[ "$(ps -o stat= -p "$1" 2>/dev/null)" == Z* ]]; }

sw_tree() {
	local p
	for p in $(ps -o pid= --ppid "$1" 2>/dev/null); do
		echo "$p"
		sw_tree "$p"
	done
}

sw_stop() {
	[ -n "$1" ] || return 0
	kill -TERM "$1" 2>/dev/null
	if ! wait_until 10 sw_gone "$1"; then
		echo "# $2 ignored SIGTERM for 10 s; killed" >&2
		kill -KILL "$1" 2>/dev/null
	fi
	wait "$1" 2>/dev/null
}
