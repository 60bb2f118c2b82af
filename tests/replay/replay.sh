#!/usr/bin/env bash
# replay.sh: `shellwatch replay` on real strace captures made on loopback (tests/fixtures, see
# tools/gen_fixtures.sh): each remote shell gives one alert through the judge `run` uses (with
# the rule expected when the incremental matcher sees it at the exec), the benign workload none;
# the -yy captures with the signals their fd annotations allow, and without them what plain
# strace gives; JSON output, the seed format, bad lines, --strict and usage errors.
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
	detects perl 'reverse-shell-copy|stdio-socket' $opts
	detects socat 'reverse-shell-relay|socket-relay' $opts
	detects python_bind 'bind-shell|stdio-socket' $opts
done

for opts in "" "--engine pww" "--clock events"; do
	out=$("$SW_BIN" replay -f strace $opts "$fx/benign_workload.strace.gz" 2>"$SW_TMP/err")
	check "benign workload: no alert $opts" test -z "$out"
	check "benign workload: summary on stderr $opts" grep -q '0 bad lines; [1-9][0-9]* execs judged, 0 alerts' "$SW_TMP/err"
done

# strace -f -yy -tt captures (tools/gen_fixtures.sh yy): the fd annotations give the judge the
# socket and pipe facts. Each case is checked against the capture itself: the alert has the
# signals named, on the shell's pid, with the port of the connection that feeds the shell. The
# same captures with the annotations stripped are what plain `strace -f` gives (docs/engine.md,
# "strace captures"): the rules still match; pipe and fifo identities, and sockets whose connect
# is not in the capture (strace -p attached after it, made here by dropping the connect lines),
# are gone, and with them the signals that need them.
cat >"$SW_TMP/yy.py" <<'PY'
import gzip, json, os, re, sys
sys.path.insert(0, os.environ["SW_ROOT"] + "/tests/shells")
from ecs_flat import flatten
cap, out, name, spec = sys.argv[1:5]
ev = [(int(l.split()[0]), l) for l in gzip.open(cap, "rt").read().splitlines()]
inet = r'connect\(.*sin_port=htons\((\d+)\), sin_addr=inet_addr\("127\.0\.0\.1"\)'

def first(pat, pid=None):
    for p, l in ev:
        if (pid is None or p == pid) and re.search(pat, l):
            return p, l
    sys.exit("%s: no line matches %s (pid %s)" % (name, pat, pid))

def children(pid):
    return [int(m.group(2)) for p, l in ev if p == pid
            for m in [re.search(r"(clone|fork)\b.*\) = (\d+)$", l)] if m]

shell = {"bash_dev_tcp": r'execve\("/usr/bin/bash", \["bash", "--norc"',
         "nc_e": r'execve\("/bin/sh", \["sh"\]',
         "mkfifo_relay": r'execve\("/bin/sh", \["/bin/sh", "-i"\]',
         "nc_pipeline": r'execve\("/bin/sh", \["/bin/sh"\]',
         "python_pty": r'execve\("/bin/sh", \["/bin/sh"\]',
         "benign_workload": None}[name]
alerts = [flatten(json.loads(l)) for l in open(out).read().splitlines()]
want = spec.split(",")
if want[0] == "none" or (want[0] == "any" and not alerts):
    assert not alerts, alerts
    sys.exit(0)
pid = first(shell)[0]
# who holds the connection that feeds the shell: itself, its parent, the only nc, the first nc
feeder = {"bash_dev_tcp": lambda: pid, "nc_e": lambda: pid,
          "python_pty": lambda: first(r"(clone|fork)\b.*\) = %d$" % pid)[0],
          "mkfifo_relay": lambda: first(inet)[0],
          "nc_pipeline": lambda: children(ev[0][0])[0]}[name]()
port = int(re.search(inet, first(inet, feeder)[1]).group(1))
assert len(alerts) == 1, alerts
a = alerts[0]
assert a["process.pid"] == pid, (a["process.pid"], pid)
assert a["destination.port"] == port, (a["destination.port"], port)
for w in want[1:]:
    if w.startswith("rule:"):
        assert a["rule.name"] == w[5:], a["rule.name"]
    elif w.startswith("!"):
        assert w[1:] not in a["shellwatch.signals"], a["shellwatch.signals"]
    else:
        assert w in a["shellwatch.signals"], a["shellwatch.signals"]
PY

# what plain strace -f shows: the annotations "3<TCP:[a->b]>", "0</dev/null<char 1:3>>" gone
strip_yy() { sed -E 's/([0-9]|AT_FDCWD)<([^][<>]|\[[^]]*\]|<[^<>]*>)*>(\(deleted\))?/\1/g'; }

# yy_case NAME VARIANT SPEC: the capture NAME.yy.strace.gz as captured (yy), stripped (plain),
# without its connect lines (late-yy, late-plain). SPEC: "none" (no alert), "one" (one alert) or
# "any" (none, or one), then what that alert has: signals, "!signal" for ones it has not,
# "rule:NAME".
yy_case() {
	local name=$1 variant=$2 spec=$3 cap=$fx/$1.yy.strace.gz out
	case $variant in
	yy) zcat "$cap" ;;
	plain) zcat "$cap" | strip_yy ;;
	late-yy) zcat "$cap" | grep -v ' connect(' ;;
	late-plain) zcat "$cap" | grep -v ' connect(' | strip_yy ;;
	esac >"$SW_TMP/cap"
	"$SW_BIN" replay -f strace --json "$SW_TMP/cap" >"$SW_TMP/j" 2>"$SW_TMP/err"
	if ! grep -q ' 0 bad lines' "$SW_TMP/err"; then
		tap_fail "-yy $name $variant: $spec" "bad lines: $(head -3 "$SW_TMP/err")"
	elif out=$(/usr/bin/python3 "$SW_TMP/yy.py" "$cap" "$SW_TMP/j" "$name" "$spec" 2>&1); then
		tap_ok "-yy $name $variant: $spec"
	else
		tap_fail "-yy $name $variant: $spec" "$out" "$(cat "$SW_TMP/j")"
	fi
}

zcat "$fx"/*.yy.strace.gz | strip_yy >"$SW_TMP/stripped"
check "-yy: stripping leaves no annotation" \
	test "$(grep -cE '([0-9]|AT_FDCWD)<(TCP|UDP|UNIX|NETLINK|pipe|socket|anon_inode|/)' "$SW_TMP/stripped")" = 0
yy_case bash_dev_tcp yy one,rule:reverse-shell-chain,rule,stdio-socket
yy_case nc_e yy one,rule:stdio-socket,stdio-socket
yy_case mkfifo_relay yy one,rule:pipe-relay,pipe-relay
yy_case nc_pipeline yy one,rule:pipe-relay,pipe-relay
yy_case python_pty yy one,rule:reverse-shell,rule,parent-stdio-socket
yy_case benign_workload yy none
# without -yy: the rule alerts stay; the relays, known only by their pipes, are not seen as such
yy_case bash_dev_tcp plain one,rule:reverse-shell-chain,rule
yy_case nc_e plain any,!rule
yy_case mkfifo_relay plain any,!pipe-relay
yy_case nc_pipeline plain any,!pipe-relay
yy_case python_pty plain one,rule:reverse-shell,rule
yy_case benign_workload plain none
# attached after the connect: -yy still shows the socket on stdio, plain strace does not
yy_case bash_dev_tcp late-yy one,rule:stdio-socket,stdio-socket,!rule
yy_case bash_dev_tcp late-plain any,!rule,!stdio-socket
yy_case python_pty late-yy one,rule:parent-stdio-socket,parent-stdio-socket,!rule
yy_case python_pty late-plain any,!rule,!stdio-socket,!parent-stdio-socket

# JSON: one object per line, the design's field names, nothing else on stdout
"$SW_BIN" replay -f strace --json "$fx/python_dup2.strace.gz" >"$SW_TMP/j" 2>/dev/null
check "json: one valid object with the ECS fields" /usr/bin/python3 -c '
import json, os, sys
sys.path.insert(0, os.environ["SW_ROOT"] + "/tests/shells")
from ecs_flat import flatten
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) == 1, lines
o = flatten(json.loads(lines[0]))
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
check "seed bare form from stdin" grep -q ' ALERT bind-shell severity=[a-z]* pid=0 ' <<<"$out"

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
