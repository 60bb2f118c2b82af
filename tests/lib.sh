# lib.sh: helpers for shell tests (sourced). Each test prints TAP lines that tests/run counts:
#   ok - name | not ok - name | ok - name # SKIP reason
# Environment from tests/run: SW_ROOT (repo), SW_BUILD (build dir), SW_BIN (the binary), SW_TMP.
: "${SW_ROOT:=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
: "${SW_BUILD:=$SW_ROOT/build}"
: "${SW_BIN:=$SW_BUILD/shellwatch}"
: "${SW_TMP:=$(mktemp -d /tmp/shellwatch-test.XXXXXX)}"
export SW_ROOT SW_BUILD SW_BIN SW_TMP
# The shells the tests start read no one's startup files: a slow ~/.bashrc (pyenv init takes 3 s
# under load here) made `bash -i` miss its listener's timeout.
export HOME=$SW_TMP/home
mkdir -p "$HOME"

tap_ok() { echo "ok - $*"; }
tap_fail() { echo "not ok - $1"; shift; [ $# -gt 0 ] && printf '#   %s\n' "$@"; return 0; }
tap_skip() { echo "ok - $1 # SKIP $2"; }
# check NAME CMD...: one TAP line from a command's exit status.
# sanitizer_build: SW_BIN is the ASan/UBSan build of `make test-asan` (its timings and its memory
# are not the product's, and it has no static binary).
sanitizer_build() { ldd "$SW_BIN" 2>/dev/null | grep -q 'libasan\|libubsan'; }

check() { local n=$1; shift; if "$@"; then tap_ok "$n"; else tap_fail "$n" "failed: $*"; fi; }

# wait_until SECONDS CMD...: poll CMD every 20 ms until it succeeds; fails after SECONDS.
wait_until() {
	local limit=$1; shift
	local end=$((SECONDS + limit))
	until "$@"; do
		[ "$SECONDS" -ge "$end" ] && return 1
		sleep 0.02
	done
}

# live_available: root with BPF. Prints the reason when not.
live_available() {
	if [ "$(id -u)" != 0 ]; then echo "not root"; return 1; fi
	if [ ! -r /sys/kernel/btf/vmlinux ]; then echo "no BTF at /sys/kernel/btf/vmlinux"; return 1; fi
	if [ ! -x "$SW_BIN" ]; then echo "no binary at $SW_BIN"; return 1; fi
	return 0
}

# require_live NAME: exit the test file early when live tests cannot run: a loud skip, or a failure
# when SHELLWATCH_REQUIRE_LIVE=1 (CI).
require_live() {
	local why
	why=$(live_available) && return 0
	echo "# !!! LIVE TESTS NOT RUN: $why !!!" >&2
	if [ "${SHELLWATCH_REQUIRE_LIVE:-0}" = 1 ]; then
		tap_fail "$1" "live tests required (SHELLWATCH_REQUIRE_LIVE=1) but cannot run: $why"
	else
		tap_skip "$1" "LIVE TESTS NOT RUN: $why"
	fi
	exit 0
}

# free_port: a TCP port on 127.0.0.1 nobody listens on now.
free_port() {
	local p
	for _ in $(seq 50); do
		p=$((20000 + RANDOM % 20000))
		ss -Htln "sport = :$p" 2>/dev/null | grep -q . || { echo "$p"; return 0; }
	done
	return 1
}

# listening PORT: true once something listens on 127.0.0.1:PORT.
listening() { ss -Htln "sport = :$1" 2>/dev/null | grep -q .; }

# pid_gone PID: true once PID has exited.
pid_gone() { ! kill -0 "$1" 2>/dev/null; }

# Kill every background job of the test at exit.
sw_cleanup() { jobs -p | xargs -r kill 2>/dev/null; wait 2>/dev/null; rm -rf "$SW_TMP"; }
trap sw_cleanup EXIT
