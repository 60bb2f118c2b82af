# procs.sh: process helpers for the suites' launchers (sourced). Only ever touches pids the
# caller started and their descendants.
#   sw_gone PID     true when PID has exited (or is a zombie waiting to be reaped)
#   sw_tree PID     every descendant of PID, one pid a line, depth first

sw_gone() { ! kill -0 "$1" 2>/dev/null || [[ "$(ps -o stat= -p "$1" 2>/dev/null)" == Z* ]]; }

sw_tree() {
	local p
	for p in $(ps -o pid= --ppid "$1" 2>/dev/null); do
		echo "$p"
		sw_tree "$p"
	done
}
