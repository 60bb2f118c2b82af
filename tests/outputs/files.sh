#!/usr/bin/env bash
# files.sh: the output file (user/outputs/outfile.c), through `replay -o` (no BPF needed): a
# symbolic link is refused unless --output-follow-symlink, so is a directory everyone can write
# to without the sticky bit and a file another user planted in a sticky one; a new file is 0640
# (0600 under umask 077); --output-max-size rotates with --output-keep files kept, each record
# whole; a failing output (/dev/full) is reported and the exit status is 1.
source "$(dirname "$0")/../lib.sh"
fx=$SW_ROOT/tests/fixtures
trace=$fx/redteam.trace.gz
replay() { "$SW_BIN" replay --json "$@" "$trace" 2>"$SW_TMP/err" >"$SW_TMP/stdout"; }

d=$SW_TMP/out
mkdir -m 0755 "$d"
ln -s "$d/target.json" "$d/link.json"
replay -o "$d/link.json"
check "a symbolic link is refused (exit 1)" test $? = 1
check "... saying so" grep -q 'link.json is a symbolic link' "$SW_TMP/err"
check "... and the link's target is not created" test ! -e "$d/target.json"
replay -o "$d/link.json" --output-follow-symlink
check "--output-follow-symlink allows it" test $? = 0 -a -s "$d/target.json"

(umask 022 && replay -o "$d/new.json")
check "a new file is 0640 (umask 022)" test "$(stat -c %a "$d/new.json")" = 640
(umask 077 && replay -o "$d/new77.json")
check "... and 0600 under umask 077 (the unit's)" test "$(stat -c %a "$d/new77.json")" = 600
check "nothing on stdout with -o" test ! -s "$SW_TMP/stdout"

w=$SW_TMP/world
mkdir -m 0777 "$w" && chmod 0777 "$w"
replay -o "$w/a.json"
check "a directory everyone can write to, without the sticky bit, is refused" \
	test $? = 1 -a ! -e "$w/a.json"
check "... saying why" grep -q 'writable by everyone and not sticky' "$SW_TMP/err"
chmod 1777 "$w"
replay -o "$w/a.json"
check "a sticky one (like /tmp) is fine for our own file" test $? = 0 -a -s "$w/a.json"
if [ "$(id -u)" = 0 ] && touch "$w/planted.json" && chown 65534:65534 "$w/planted.json"; then
	replay -o "$w/planted.json"
	check "a file another user planted there is refused" test $? = 1 -a ! -s "$w/planted.json"
else
	tap_skip "a file another user planted there is refused" "needs root to plant one"
fi

# Rotation: every record whole, no file past the size, only --output-keep rotated files.
r=$SW_TMP/rot
mkdir "$r"
for i in 1 2 3; do replay -o "$r/a.json" --output-max-size 8k --output-keep 2 || break; done
check "rotation: FILE, FILE.1 and FILE.2, no FILE.3" \
	test -s "$r/a.json" -a -s "$r/a.json.1" -a -s "$r/a.json.2" -a ! -e "$r/a.json.3"
big=$(find "$r" -type f -size +8k | tr '\n' ' ')
check "rotation: no file is past 8 KiB${big:+ ($big)}" test -z "$big"
check "rotation: every line of every file is a whole JSON document" \
	/usr/bin/python3 "$SW_ROOT/tests/shells/schema_check.py" "$r"/a.json*
replay -o "$r/b.json" --output-keep 2
check "--output-keep without --output-max-size is fine (no rotation)" test $? = 0 -a ! -e "$r/b.json.1"
"$SW_BIN" replay --json --output-max-size 10 "$trace" >/dev/null 2>"$SW_TMP/err"
check "--output-max-size below 4k: usage error" test $? = 2
"$SW_BIN" replay --json --output-max-size 1M "$trace" >/dev/null 2>"$SW_TMP/err"
check "--output-max-size without --output: usage error" test $? = 2

# A failing output: said at once, exit status 1.
replay -o /dev/full
check "-o /dev/full: exit 1" test $? = 1
check "-o /dev/full: the failure is reported (No space left on device)" \
	grep -q 'cannot write an alert to /dev/full: No space left on device' "$SW_TMP/err"
check "-o /dev/full: and the loss" grep -q 'alerts were lost' "$SW_TMP/err"
