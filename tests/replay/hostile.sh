#!/usr/bin/env bash
# hostile.sh: the inputs of issue 13 that an attacker controls, end to end. No hang on a clock
# that jumps back (trace and strace, both matchers); flat memory on endless input (/dev/zero for
# every reader and `score`, a gzip of 1 GiB of NUL bytes), on fork chains and on 40,000 rules;
# a NUL byte makes a bad line; bad-line messages are bounded; --model and --rules fail alike
# (exit 2, file:line). Memory is the process's peak RSS (VmHWM), under LIMIT_KB (64 MiB; a
# sanitizer build has its shadow memory on top, so it gets more).
source "$(dirname "$0")/../lib.sh"

LIMIT_KB=$((64 * 1024))
if sanitizer_build; then
	LIMIT_KB=$((768 * 1024))
	echo "# sanitizer build: memory limit ${LIMIT_KB} KiB"
fi

# hwm_for SECONDS CMD...: run CMD (stdin from /dev/null unless redirected inside) for SECONDS
# or until it ends; prints its peak RSS in KiB (VmHWM). The command must not end before we look
# unless it is quick: then /usr/bin/time's figure is used.
hwm_for() {
	local secs=$1 pid hwm
	shift
	"$@" >/dev/null 2>"$SW_TMP/hwm.err" &
	pid=$!
	sleep "$secs"
	hwm=$(awk '/^VmHWM/ { print $2 }' "/proc/$pid/status" 2>/dev/null)
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	echo "${hwm:-0}"
}

# maxrss CMD...: run CMD to its end under /usr/bin/time; prints its peak RSS in KiB, 0 when it
# failed (a time-out too).
maxrss() {
	if /usr/bin/time -f '%M' -o "$SW_TMP/time" "$@" >/dev/null 2>"$SW_TMP/maxrss.err"; then
		tail -n 1 "$SW_TMP/time"
	else
		echo 0
	fi
}

flat() { # NAME KB
	if [ "$2" -gt 0 ] && [ "$2" -lt "$LIMIT_KB" ]; then
		tap_ok "$1: peak RSS $2 KiB"
	else
		tap_fail "$1: peak RSS $2 KiB (limit $LIMIT_KB)" "$(tail -n 3 "$SW_TMP/hwm.err" 2>/dev/null)"
	fi
}

# --- hangs: a clock that jumps backwards between a child's event and its parent's fork -------
printf '%s\n' 'fcntl pid=2 t=17953526159491016000 fd=3 cmd=F_DUPFD arg=0 => 4' \
	'fork pid=1 t=1795356159461240000 child=2' >"$SW_TMP/jump.trace"
printf '%s\n' '2 4000000000.000000 dup2(3, 1) = 1' '1 1.000000 vfork() = 2' >"$SW_TMP/jump.strace"
for eng in pww incremental; do
	check "clock jump, trace, --engine $eng: finishes" \
		timeout 20 "$SW_BIN" replay --clock time --engine "$eng" "$SW_TMP/jump.trace"
	check "clock jump, strace vfork, --engine $eng: finishes" \
		timeout 20 "$SW_BIN" replay -f strace --clock time --engine "$eng" "$SW_TMP/jump.strace"
done 2>/dev/null >/dev/null

# --- endless input: every reader caps a line, memory stays flat --------------------------------
flat "replay /dev/zero" "$(hwm_for 3 "$SW_BIN" replay /dev/zero)"
flat "replay -f strace /dev/zero" "$(hwm_for 3 "$SW_BIN" replay -f strace /dev/zero)"
flat "replay -f auditd /dev/zero" "$(hwm_for 3 "$SW_BIN" replay -f auditd /dev/zero)"
flat "score < /dev/zero" "$(hwm_for 3 sh -c 'exec "$0" score </dev/zero' "$SW_BIN")"
flat "score -f auditd < /dev/zero" "$(hwm_for 3 sh -c 'exec "$0" score -f auditd </dev/zero' "$SW_BIN")"
"$SW_BIN" score --model /dev/zero </dev/null >/dev/null 2>"$SW_TMP/err"; rc=$?
check "score --model /dev/zero: exit 2 at once, file:line" \
	test "$rc" = 2 -a "$(cat "$SW_TMP/err")" = "shellwatch score: /dev/zero:1: NUL byte in the line"
"$SW_BIN" replay --rules /dev/zero "$SW_TMP/jump.trace" >/dev/null 2>&1
check "replay --rules /dev/zero: exit 2" test $? = 2

head -c $((1 << 30)) /dev/zero | gzip -1 >"$SW_TMP/zero.gz"
kb=$(maxrss timeout 120 "$SW_BIN" replay "$SW_TMP/zero.gz")
flat "replay of a gzip of 1 GiB of NUL bytes" "$kb"
check "... one line, cut and counted: 1 bad line, the rest skipped" \
	grep -q "zero.gz: 1 lines longer than 256 KiB (bad lines): $(((1 << 30) - (256 << 10))) bytes skipped" \
	"$SW_TMP/maxrss.err"

# --- fork chains: inheritance bounded by the engine's max_bytes ----------------------------------
for n in 5000 20000; do
	awk -v n="$n" 'BEGIN { for (i = 1; i <= n; i++) print "fork pid=" i " child=" i + 1 }' \
		>"$SW_TMP/chain$n"
	for eng in pww incremental; do
		flat "replay --engine $eng of a fork chain $n deep" \
			"$(maxrss timeout 120 "$SW_BIN" replay --engine "$eng" "$SW_TMP/chain$n")"
	done
done

# --- 100,000 processes that never exit, each with its own long command line: the judge's process
# table is bounded (replay's default 16384, --max-procs); the rest are counted as untracked.
awk 'BEGIN { pad = sprintf("%200s", ""); gsub(/ /, "x", pad)
	for (i = 2; i <= 100001; i++) {
		print "fork pid=1 t=" 1000 + 2 * i " child=" i
		print "execve pid=" i " t=" 1001 + 2 * i " exe=/bin/sh" i " argv=\"sh -c " pad i "\" => 0"
	} }' >"$SW_TMP/wide"
flat "replay of 100,000 live processes" "$(maxrss timeout 120 "$SW_BIN" replay "$SW_TMP/wide")"
check "100,000 live processes: the table stops at 16384 and says how many it could not track" \
	grep -qE "processes 16384 max, [1-9][0-9]* untracked" "$SW_TMP/maxrss.err"

# --- 40,000 rules: a clear error at once; 256 still load --------------------------------------
awk 'BEGIN { for (i = 0; i < 40000; i++) printf "rule r%d\nconnect fd=x\ndup2 fd=x newfd=0\n", i }' \
	>"$SW_TMP/r40000"
head -n 768 "$SW_TMP/r40000" >"$SW_TMP/r256"
start=$(date +%s%N)
"$SW_BIN" replay --rules "$SW_TMP/r40000" "$SW_TMP/jump.trace" >/dev/null 2>"$SW_TMP/err"; rc=$?
ms=$((($(date +%s%N) - start) / 1000000))
check "40,000 rules: exit 2 with the limit named (${ms} ms)" \
	grep -q "r40000:769:1: more than 256 rules in the rule set" "$SW_TMP/err"
check "40,000 rules: refused within 2 s" test "$rc" = 2 -a "$ms" -lt 2000
check "256 rules load" "$SW_BIN" replay --rules "$SW_TMP/r256" "$SW_TMP/jump.trace" \
	>/dev/null 2>&1

# --- a NUL byte inside a line is a bad line, counted --------------------------------------------
printf 'accept fd=3 => 4\ndup fd=4 => 1\0x\ndup fd=4 => 2\ndup fd=4 => 0\nexecve exe=/bin/sh\n' \
	>"$SW_TMP/nul.trace"
"$SW_BIN" replay "$SW_TMP/nul.trace" >/dev/null 2>"$SW_TMP/err"
check "NUL byte: file:line, a bad line" grep -q "nul.trace:2: NUL byte in the line" "$SW_TMP/err"
check "NUL byte: counted in the summary" grep -q ' 1 bad lines' "$SW_TMP/err"
printf '4000 1.0 dup2(3, 1) = 1\0x\n' >"$SW_TMP/nul.strace"
"$SW_BIN" replay -f strace "$SW_TMP/nul.strace" >/dev/null 2>"$SW_TMP/err"
check "NUL byte, strace: a bad line" grep -q "nul.strace:1: NUL byte in the line" "$SW_TMP/err"
printf 'type=EXECVE msg=audit(1.0:1): argc=1 a0="i\0d"\n' >"$SW_TMP/nul.audit"
"$SW_BIN" replay -f auditd "$SW_TMP/nul.audit" >/dev/null 2>"$SW_TMP/err"
check "NUL byte, auditd: a bad record" grep -q "nul.audit:1: NUL byte in the record" "$SW_TMP/err"

# --- bad-line messages: the first ten by file:line, then a count --------------------------------
awk 'BEGIN { for (i = 0; i < 20000; i++) print "bad line" }' >"$SW_TMP/bad.trace"
"$SW_BIN" replay "$SW_TMP/bad.trace" >/dev/null 2>"$SW_TMP/err"
check "20,000 bad lines: 12 lines on stderr (10, one 'more', the summary)" \
	test "$(wc -l <"$SW_TMP/err")" = 12
check "... the first ten name file:line" test "$(grep -c '^.*bad.trace:[0-9]*: expected' "$SW_TMP/err")" = 10
check "... then one line says the rest are counted" \
	grep -q "bad.trace:11: more bad lines from here on: counted, not shown" "$SW_TMP/err"
check "... and the summary counts them all" grep -q ' 20000 bad lines' "$SW_TMP/err"

# --- --model and --rules: the same fault, the same exit status (2), file:line -----------------
for cmd in "replay $SW_TMP/jump.trace" "score /dev/null"; do
	for opt in --model --rules; do
		[ "$cmd" = "score /dev/null" ] && [ "$opt" = --rules ] && continue
		# shellcheck disable=SC2086
		"$SW_BIN" ${cmd%% *} "$opt" "$SW_TMP/missing" ${cmd#* } >/dev/null 2>"$SW_TMP/err"
		check "${cmd%% *} $opt missing file: exit 2, the file named" \
			test $? = 2 -a -n "$(grep "$SW_TMP/missing: No such file" "$SW_TMP/err")"
	done
done
: >"$SW_TMP/empty.swm"
"$SW_BIN" score --model "$SW_TMP/empty.swm" </dev/null >/dev/null 2>"$SW_TMP/err"
check "empty model: line 1, not line 0" grep -q "empty.swm:1: empty file" "$SW_TMP/err"
{ cat "$SW_ROOT/models/default.swm"; echo garbage; } >"$SW_TMP/trail.swm"
"$SW_BIN" replay --model "$SW_TMP/trail.swm" "$SW_TMP/jump.trace" >/dev/null 2>"$SW_TMP/err"; rc=$?
check "model with trailing garbage: exit 2, file:line" \
	test "$rc" = 2 -a -n "$(grep "trail.swm:[0-9]*: text after 'end'" "$SW_TMP/err")"
awk 'NR == 9 { print; print } NR != 9' "$SW_ROOT/models/default.swm" >"$SW_TMP/dup.swm"
"$SW_BIN" score --model "$SW_TMP/dup.swm" </dev/null >/dev/null 2>"$SW_TMP/err"
check "model with a bucket twice: refused at its line" grep -q "dup.swm:10: bucket given twice" "$SW_TMP/err"
awk 'NR == 9 { printf "%s\0\n", $0; next } 1' "$SW_ROOT/models/default.swm" >"$SW_TMP/nul.swm"
"$SW_BIN" score --model "$SW_TMP/nul.swm" </dev/null >/dev/null 2>"$SW_TMP/err"
check "model with a NUL byte: refused at its line" grep -q "nul.swm:9: NUL byte in the line" "$SW_TMP/err"

# --- score: a line longer than 256 KiB is scored on its start and counted ---------------------
{ echo id; head -c 300000 /dev/zero | tr '\0' a; echo; echo whoami; } >"$SW_TMP/long.txt"
out=$("$SW_BIN" score "$SW_TMP/long.txt" 2>"$SW_TMP/err")
check "score: a 300 KB line is one result among three" test "$(wc -l <<<"$out")" = 3
check "score: ... counted on stderr" \
	grep -q "1 lines longer than 256 KiB: scored on their start, 37856 bytes skipped" "$SW_TMP/err"
