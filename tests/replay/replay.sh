#!/usr/bin/env bash
# replay.sh: `shellwatch replay` on real strace captures made on loopback (tests/fixtures, see
# tools/gen_fixtures.sh): each remote shell gives one alert through the judge `run` uses (with
# the rule expected when the incremental matcher sees it at the exec), the benign workload none;
# JSON output, the seed format, bad lines, --strict and usage errors.
. "$(dirname "$0")/../lib.sh"
fx=$SW_ROOT/tests/fixtures

# detects NAME NAME_RE [OPTIONS...]: the capture gives exactly one alert, named by NAME_RE.
detects() {
	local name=$1 rule=$2 out; shift 2
	out=$("$SW_BIN" replay -f strace "$@" "$fx/$name.strace.gz" 2>"$SW_TMP/err")
	if [ "$(grep -c ' ALERT ' <<<"$out")" = 1 ] && grep -qE " ALERT ($rule) " <<<"$out"; then
		tap_ok "$name: $rule $*"
	else
		tap_fail "$name: $rule $*" "got: $(grep ' ALERT ' <<<"$out")" "$(cat "$SW_TMP/err")"
	fi
}

# The incremental matcher (run's) names the rule at the exec; PWW finds it when its window
# closes, after the exec was already alerted on its stdio socket (one alert either way).
for opts in "" "--clock events"; do
	detects bash_dev_tcp reverse-shell-chain $opts
	detects python_dup2 reverse-shell $opts
	detects perl reverse-shell-copy $opts
	detects socat reverse-shell-relay $opts
	detects python_bind bind-shell $opts
done
for opts in "--engine pww" "--engine pww --clock events"; do
	detects bash_dev_tcp 'reverse-shell-chain|stdio-socket' $opts
	detects python_dup2 'reverse-shell|stdio-socket' $opts
	detects perl reverse-shell-copy $opts
	detects socat reverse-shell-relay $opts
	detects python_bind 'bind-shell|stdio-socket' $opts
done

for opts in "" "--engine pww" "--clock events"; do
	out=$("$SW_BIN" replay -f strace $opts "$fx/benign_workload.strace.gz" 2>"$SW_TMP/err")
	check "benign workload: no alert $opts" test -z "$out"
	check "benign workload: summary on stderr $opts" grep -q '0 bad lines; [1-9][0-9]* execs judged, 0 alerts' "$SW_TMP/err"
done

# JSON: one object per line, the design's field names, nothing else on stdout
"$SW_BIN" replay -f strace --json "$fx/python_dup2.strace.gz" >"$SW_TMP/j" 2>/dev/null
check "json: one valid object with the ECS fields" /usr/bin/python3 -c '
import json, sys
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) == 1, lines
o = json.loads(lines[0])
assert o["event.kind"] == "alert" and o["rule.name"] == "reverse-shell", o
assert o["destination.ip"] == "127.0.0.1" and isinstance(o["destination.port"], int), o
assert o["process.executable"] == "/bin/sh" and o["process.command_line"] == "/bin/sh -i", o
assert o["process.pid"] > 0 and "@timestamp" in o and "shellwatch.delay_ms" in o, o
assert len(o["shellwatch.matched"]) == 5 and o["shellwatch.matched"][0].startswith("connect "), o
assert "user.id" not in o and " uid=" not in o["shellwatch.matched"][0], o  # strace has no uid
assert "stdio-socket" in o["shellwatch.signals"] and "rule" in o["shellwatch.signals"], o
assert "process.entity_id" not in o, o  # strace has no start times
' "$SW_TMP/j"

# the seed's bare form and our records, from stdin
printf '%s\n' 'accept fd=3 => 4' 'read fd=4' 'dup fd=4 => 1' 'dup fd=4 => 2' 'dup fd=4 => 0' \
	'execve exe=/bin/sh' >"$SW_TMP/seed"
out=$("$SW_BIN" replay - <"$SW_TMP/seed" 2>/dev/null)
check "seed bare form from stdin" grep -q ' ALERT bind-shell pid=0 ' <<<"$out"

# a bad line: file:line and the reason, counted, then go on; --strict stops with exit 1
printf '%s\n' 'accept fd=3 => 4' 'dup fd="open' 'dup fd=4 => 0' 'dup fd=4 => 1' 'dup fd=4 => 2' \
	'execve exe=/bin/sh' >"$SW_TMP/bad"
out=$("$SW_BIN" replay "$SW_TMP/bad" 2>"$SW_TMP/err"); rc=$?
check "bad line reported as file:line" grep -q "^$SW_TMP/bad:2: unterminated" "$SW_TMP/err"
check "bad line counted, replay goes on" test "$rc" = 0 -a -n "$out"
check "bad line count in the summary" grep -q ' 1 bad lines' "$SW_TMP/err"
"$SW_BIN" replay --strict "$SW_TMP/bad" >/dev/null 2>&1
check "--strict: exit code 1" test $? = 1

# rules: a syntax error names file:line:column (usage error, 2); a custom rule file works
printf 'rule mine\naccept fd=x => y\ndup fd=y => 0 |\n' >"$SW_TMP/r1"
"$SW_BIN" replay --rules "$SW_TMP/r1" "$SW_TMP/seed" >/dev/null 2>"$SW_TMP/err"; rc=$?
check "rule syntax error: exit 2" test "$rc" = 2
check "rule syntax error: file:line:column" grep -q "$SW_TMP/r1:3:15: empty item" "$SW_TMP/err"
printf 'rule mine\nexecve exe=/bin/sh\n' >"$SW_TMP/r2"
check "custom rules" grep -q ' ALERT mine ' <<<"$("$SW_BIN" replay -r "$SW_TMP/r2" "$SW_TMP/seed" 2>/dev/null)"

# usage and runtime errors
"$SW_BIN" replay >/dev/null 2>&1; check "no file: exit 2" test $? = 2
"$SW_BIN" replay -f pcap x >/dev/null 2>&1; check "unknown format: exit 2" test $? = 2
"$SW_BIN" replay --batch 0 "$SW_TMP/seed" >/dev/null 2>&1; check "bad --batch: exit 2" test $? = 2
"$SW_BIN" replay --clock wall "$SW_TMP/seed" >/dev/null 2>&1; check "bad --clock: exit 2" test $? = 2
"$SW_BIN" replay "$SW_TMP/nonexistent" >/dev/null 2>"$SW_TMP/err"
check "missing file: exit 1, one line" test $? = 1 -a "$(wc -l <"$SW_TMP/err")" = 1
