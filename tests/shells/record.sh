# record.sh: run `shellwatch record` around a workload, for the red-team and benign suites
# (sourced; needs tests/lib.sh).
#   sw_record_implemented        true once `shellwatch record --help` works (issue 2 landed)
#   sw_record_live               true when live checks can run, else prints why not
#   sw_record_skip NAME WHY      skip (or, in CI, fail) the live checks NAME, and exit
#   sw_record_start FILE         start `record -o FILE` in the background; waits (bounded) until it
#                                captures: an exec of a marker command shows up in FILE
#   sw_record_stop               SIGTERM, wait (bounded) for it to exit; its stderr (the counts of
#                                events seen, filtered and dropped) is in $SW_REC_ERR
# SW_REC_PID is the recorder's pid while it runs.
source "$(dirname "${BASH_SOURCE[0]}")/procs.sh"

sw_record_implemented() { "$SW_BIN" record --help >/dev/null 2>&1; }

# sw_record_live: true when the live checks can run (root, BTF, a binary with `record`); otherwise
# prints why not.
sw_record_live() {
	local why
	why=$(live_available) || { echo "$why"; return 1; }
	sw_record_implemented || { echo "shellwatch record not implemented yet (issue 2)"; return 1; }
}

# sw_record_skip NAME WHY: the live checks NAME cannot run. A missing `record` is a plain skip
# until issue 2 lands; anything else goes through require_live (a failure in CI). Exits.
sw_record_skip() {
	case $2 in
	*"not implemented"*) tap_skip "$1" "$2" ;;
	*) require_live "$1" ;;
	esac
	exit 0
}

# _sw_record_marker FILE TAG: run a harmless exec carrying TAG, true once FILE shows it.
_sw_record_marker() {
	/bin/true "$2"
	grep -aq -- "$2" "$1" 2>/dev/null
}

sw_record_start() {
	local file=$1 tag=sw-record-ready-$$-$RANDOM t0=${EPOCHREALTIME/./}
	SW_REC_FILE=$file
	SW_REC_ERR=$file.err
	"$SW_BIN" record -o "$file" 2>"$SW_REC_ERR" &
	SW_REC_PID=$!
	# Ready means events reach the file, whatever the recorder says on stderr: exec a marker until
	# it appears (the recorder may buffer a little; each marker exec adds an event).
	if ! wait_until 15 _sw_record_marker "$file" "$tag"; then
		echo "# shellwatch record did not capture a marker exec within 15 s:" >&2
		sed 's/^/#   /' "$SW_REC_ERR" >&2
		sw_record_stop
		return 1
	fi
	echo "# record capturing after $(((${EPOCHREALTIME/./} - t0) / 1000)) ms"
}

sw_record_stop() {
	sw_stop "${SW_REC_PID:-}" "shellwatch record"
	SW_REC_PID=
}
