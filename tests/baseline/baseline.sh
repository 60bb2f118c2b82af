#!/usr/bin/env bash
# baseline.sh: `shellwatch baseline learn` and `baseline score` end to end, on the fixture of a
# host's python lines (tests/fixtures/baseline/): groups reported, small groups not learnt, the
# same seed gives the same file, shells score above every line learnt and are the outliers,
# --explain names the unseen tokens, an exec from a trace scores as its quoted command line,
# auditd input, malformed files rejected with file:line, and usage errors exit 2.
. "$(dirname "$0")/../lib.sh"
B() { "$SW_BIN" baseline "$@"; }
fix=$SW_ROOT/tests/fixtures/baseline
host=$SW_TMP/host.txt shells=$fix/python-shells.txt
for _ in 1 2 3 4 5; do cat "$fix/python-host.txt"; done > "$host"
printf '%s\n' "perl -e 'print 1'" "perl -ne 'print if /x/' f" "ls -la" >> "$host"

B learn "$host" -o "$SW_TMP/a.swb" 2>"$SW_TMP/learn.err"; rc=$?
check "learn exits 0 and writes the file" test "$rc" -eq 0 -a -s "$SW_TMP/a.swb"
check "the file starts with its header" test "$(head -n 1 "$SW_TMP/a.swb")" = "shellwatch-baseline 1"
check "learn reports the python group" grep -q 'python: 200 lines (40 distinct)' "$SW_TMP/learn.err"
check "learn reports a group too small to learn" \
	grep -q 'perl: 2 lines (2 distinct): too few to learn from (--min-lines 50), not learnt' "$SW_TMP/learn.err"
check "learn reports the lines in no group" grep -q '1 lines in no group' "$SW_TMP/learn.err"
B learn "$host" -o "$SW_TMP/b.swb" 2>/dev/null
check "the same input and seed give the same file" cmp -s "$SW_TMP/a.swb" "$SW_TMP/b.swb"
B learn --seed 7 "$host" -o "$SW_TMP/c.swb" 2>/dev/null
check "another seed gives other trees" bash -c "! cmp -s '$SW_TMP/a.swb' '$SW_TMP/c.swb'"
check "no temporary file left" test ! -e "$SW_TMP/a.swb.tmp"

printf '%s\n' "ls -la" "perl -e 'print 2'" > "$SW_TMP/other.txt"
cat "$fix/python-host.txt" "$shells" "$SW_TMP/other.txt" > "$SW_TMP/in.txt"
out=$(B score "$SW_TMP/a.swb" "$SW_TMP/in.txt" 2>"$SW_TMP/score.err")
check "one result per input line, in order" test "$(wc -l <<<"$out")" -eq "$(wc -l < "$SW_TMP/in.txt")" \
	-a "$(cut -f3 <<<"$out")" = "$(cat "$SW_TMP/in.txt")"
check "every line is score TAB group TAB command" \
	awk -F'\t' 'NF != 3 || ($1 != "-" && $1 !~ /^[01]\.[0-9]{6}$/) { exit 1 }' <<<"$out"
check "a line in no group: - as score and group" grep -qxF -e "$(printf -- '-\t-\tls -la')" <<<"$out"
check "a group not learnt: - as score, its name" grep -qxF -e "$(printf -- "-\tperl\tperl -e 'print 2'")" <<<"$out"
top=$(head -n 40 <<<"$out" | cut -f1 | sort -n | tail -n 1)
low=$(sed -n 41,43p <<<"$out" | cut -f1 | sort -n | head -n 1)
check "every shell scores above every line learnt ($low > $top)" awk -v a="$low" -v b="$top" 'BEGIN { exit !(a > b) }'
outl=$(B score --outliers "$SW_TMP/a.swb" "$SW_TMP/in.txt" 2>/dev/null | cut -f3)
check "--outliers: the three shells and nothing else" test "$outl" = "$(cat "$shells")"
check "the summary counts them" grep -q '45 lines, 43 in learnt groups, 3 outliers' "$SW_TMP/score.err"
ex=$(B score --explain "$SW_TMP/a.swb" "$shells" 2>/dev/null | head -n 1)
check "--explain names the unseen tokens" \
	awk -F'\t' 'NF == 4 && $4 ~ /^unseen: / && $4 ~ /pty/ && $4 ~ /dup2/ { ok = 1 } END { exit !ok }' <<<"$ex"
check "stdin and - read the same" test "$(B score "$SW_TMP/a.swb" - < "$shells" 2>/dev/null)" = \
	"$(B score "$SW_TMP/a.swb" "$shells" 2>/dev/null)"

# An exec as a trace reports it (arguments joined, quotes lost) scores as its quoted line.
line=$(head -n 1 "$shells")
argv=${line//\'/}
printf 'execve pid=10 ppid=1 exe=/usr/bin/python3 argv="%s" => 0\n' "${argv//\"/\\\"}" > "$SW_TMP/t.trace"
tr=$(B score --format trace "$SW_TMP/a.swb" "$SW_TMP/t.trace" 2>/dev/null | cut -f1,2)
li=$(printf '%s\n' "$line" | B score "$SW_TMP/a.swb" 2>/dev/null | cut -f1,2)
check "a trace's exec scores as the quoted line ($tr)" test -n "$tr" -a "$tr" = "$li"

# auditd: the EXECVE arguments, quoted for the shell.
i=0
while read -r l; do
	i=$((i + 1))
	printf 'type=EXECVE msg=audit(1700000000.%d:%d): argc=3 a0="python3" a1="-c" a2=%s\n' \
		"$i" "$i" "$(printf '%s' "$l" | xxd -p | tr -d '\n')"
done < <(for _ in $(seq 60); do echo "import sys; print(sys.argv)"; echo "import os; print(os.getcwd())"; done) > "$SW_TMP/audit.log"
B learn --format auditd "$SW_TMP/audit.log" -o "$SW_TMP/au.swb" 2>"$SW_TMP/au.err"
check "auditd: 120 python lines learnt" grep -q 'python: 120 lines (2 distinct)' "$SW_TMP/au.err"
check "auditd: a learnt line is no outlier" test -z "$(printf '%s\n' "python3 -c 'import os; print(os.getcwd())'" |
	B score --outliers "$SW_TMP/au.swb" 2>/dev/null)"

# --group all: one group of everything.
B learn --group all --min-lines 1 "$host" -o "$SW_TMP/all.swb" 2>"$SW_TMP/all.err"
check "--group all: every line in one group" grep -q 'all: 203 lines' "$SW_TMP/all.err"
check "--group all: ls is in it" test "$(echo ls | B score "$SW_TMP/all.swb" 2>/dev/null | cut -f2)" = all

# Malformed files: exit 2, file:line.
sed '3s/.*/unseen maybe/' "$SW_TMP/a.swb" > "$SW_TMP/bad.swb"
B score "$SW_TMP/bad.swb" "$shells" >/dev/null 2>"$SW_TMP/err"; rc=$?
check "malformed baseline: exit 2, file:line named" test "$rc" -eq 2 -a \
	"$(cut -d: -f1,2 "$SW_TMP/err")" = "shellwatch baseline score: $SW_TMP/bad.swb"
check "... and the line" grep -qF "$SW_TMP/bad.swb:3: unseen must be isolate or ignore" "$SW_TMP/err"
head -n 20 "$SW_TMP/a.swb" > "$SW_TMP/cut.swb"
B score "$SW_TMP/cut.swb" "$shells" >/dev/null 2>"$SW_TMP/err"; rc=$?
check "a cut file: exit 2 at the line after its end" test "$rc" -eq 2 -a -n "$(grep -F "cut.swb:21:" "$SW_TMP/err")"
echo "shellwatch-model 1" > "$SW_TMP/model.swb"
B score "$SW_TMP/model.swb" "$shells" >/dev/null 2>"$SW_TMP/err"
check "not a baseline: says so" grep -q "model.swb:1: expected 'shellwatch-baseline 1'" "$SW_TMP/err"

# Usage.
B learn "$host" >/dev/null 2>&1; rc=$?
check "learn without -o: exit 2" test "$rc" -eq 2
B learn --live 5s "$host" -o "$SW_TMP/x.swb" >/dev/null 2>&1; rc=$?
check "learn with files and --live: exit 2" test "$rc" -eq 2
B learn --format xml "$host" -o "$SW_TMP/x.swb" >/dev/null 2>&1; rc=$?
check "bad --format: exit 2" test "$rc" -eq 2
B learn "$SW_TMP/missing" -o "$SW_TMP/x.swb" >/dev/null 2>&1; rc=$?
check "missing input: exit 1, no file written" test "$rc" -eq 1 -a ! -e "$SW_TMP/x.swb"
B score >/dev/null 2>&1; rc=$?
check "score without a baseline: exit 2" test "$rc" -eq 2
B >/dev/null 2>&1; rc=$?
check "baseline without learn or score: exit 2" test "$rc" -eq 2
help=$(B --help)
check "--help names every option" bash -c 'for o in --format --group --output --live --features \
	--unseen --seed --trees --sample --contamination --min-lines --explain --outliers; do
	grep -q -- "$o" <<<"$1" || exit 1; done' _ "$help"

# replay --baseline: the anomaly signal on a capture; none for a line like the ones learnt.
{
	echo '# shellwatch-trace 1 host=box boot_id=b-1'
	echo 'execve pid=100 ppid=1 uid=0 t=1000 comm=python3 exe=/usr/bin/python3 argv="python3 -c import platform; print(platform.platform())" fd0=tty fd1=tty fd2=tty => 0'
	printf 'execve pid=101 ppid=1 uid=0 t=2000 comm=python3 exe=/usr/bin/python3 argv="%s" fd0=tty fd1=tty fd2=tty => 0\n' "${argv//\"/\\\"}"
} > "$SW_TMP/replay.trace"
rp=$("$SW_BIN" replay --min-severity low --no-score --baseline "$SW_TMP/a.swb" "$SW_TMP/replay.trace" 2>/dev/null)
check "replay --baseline: one low alert, the shell's, with the anomaly signal" \
	test "$(grep -c 'pid=' <<<"$rp")" -eq 1 -a -n "$(grep 'pid=101' <<<"$rp" | grep 'signals=interpreter,anomaly')"
"$SW_BIN" replay --baseline "$SW_TMP/bad.swb" "$SW_TMP/replay.trace" >/dev/null 2>"$SW_TMP/err"; rc=$?
check "replay with a malformed baseline: exit 2, file:line" test "$rc" -eq 2 -a -n "$(grep -F 'bad.swb:3:' "$SW_TMP/err")"
