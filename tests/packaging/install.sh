#!/usr/bin/env bash
# install.sh: `make install` / `make uninstall` (mk/install.mk), the man page (docs/shellwatch.8)
# and the systemd unit (packaging/shellwatch.service.in): files land where PREFIX and DESTDIR say,
# the unit verifies and names the installed binary, the man page renders cleanly and documents
# every long option the commands' --help lists, and (live) the unit's capability set and sandbox
# (no network, read-only file system, no new privileges) still let the sensor attach and capture.
source "$(dirname "$0")/../lib.sh"
source "$SW_ROOT/tests/shells/record.sh"
MAN=$SW_ROOT/docs/shellwatch.8
UNIT_IN=$SW_ROOT/packaging/shellwatch.service.in

mk() { make -s -C "$SW_ROOT" "$@" >"$SW_TMP/make.log" 2>&1; }

# Staged install: the three files, their modes, ExecStart without the staging root; uninstall.
stage=$SW_TMP/stage
if mk install DESTDIR="$stage" PREFIX=/usr; then
	tap_ok "make install DESTDIR=... PREFIX=/usr"
else
	tap_fail "make install DESTDIR=... PREFIX=/usr" "$(tail -n 5 "$SW_TMP/make.log")"
fi
unit=$stage/usr/lib/systemd/system/shellwatch.service
check "binary installed executable in sbin" test -x "$stage/usr/sbin/shellwatch"
check "man page installed in man8" test "$(stat -c %a "$stage/usr/share/man/man8/shellwatch.8")" = 644
check "unit installed" test -f "$unit"
check "unit runs the installed binary (no DESTDIR in it)" \
	grep -qx 'ExecStart=/usr/sbin/shellwatch run $SHELLWATCH_OPTS' "$unit"
check "unit has no placeholder left" bash -c "! grep -q @BINDIR@ '$unit'"
mk uninstall DESTDIR="$stage" PREFIX=/usr
check "make uninstall removes all three" test -z "$(find "$stage" -type f)"

# A real prefix: systemd-analyze verifies the unit against the installed binary and man page.
pfx=$SW_TMP/prefix
mk install PREFIX="$pfx"
if command -v systemd-analyze >/dev/null; then
	check "systemd-analyze verify accepts the installed unit" \
		env MANPATH="$pfx/share/man" systemd-analyze verify "$pfx/lib/systemd/system/shellwatch.service"
	score=$(systemd-analyze security --offline=yes "$pfx/lib/systemd/system/shellwatch.service" \
		2>/dev/null | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
	echo "# systemd-analyze security exposure: ${score:-?} (0 best, 10 worst)"
else
	tap_skip "systemd-analyze verify accepts the installed unit" "systemd-analyze not installed"
fi
mk uninstall PREFIX="$pfx"

# The man page: no groff warnings, and every long option of every implemented command.
if command -v groff >/dev/null; then
	check "man page renders without groff warnings" \
		bash -c "groff -man -Tutf8 -ww -z '$MAN' 2>&1 | { ! grep -q .; }"
else
	tap_skip "man page renders without groff warnings" "groff not installed (groff-base)"
fi
for cmd in run record replay score baseline; do
	if ! help=$("$SW_BIN" "$cmd" --help 2>/dev/null); then
		tap_skip "man page documents every option of $cmd" "$cmd --help fails (not implemented yet)"
		continue
	fi
	missing=$(grep -oE -- '--[a-z][a-z-]*' <<<"$help" | sort -u |
		grep -vxE -- '--(help|usage|version)' | while read -r o; do
			grep -qF -- "${o//-/\\-}" "$MAN" || echo "$o"
		done)
	check "man page documents every option of $cmd${missing:+ (missing: ${missing//$'\n'/ })}" \
		test -z "$missing"
done

# Live: record under the unit's sandbox, approximated with unshare and setpriv.
caps=$(sed -n 's/^CapabilityBoundingSet=//p' "$UNIT_IN" | tr 'A-Z' 'a-z' | sed 's/cap_/+/g; s/ /,/g')
why=$(sw_record_live) || sw_record_skip "record attaches inside the unit's sandbox" "$why"
if ! unshare --mount --net -- true 2>/dev/null; then
	tap_skip "record attaches inside the unit's sandbox" "unshare --mount --net not permitted here"
	exit 0
fi
marker=sw-sandbox-$$-$RANDOM
out=$SW_TMP/sandbox.trace
timeout 30 unshare --mount --net -- sh -c 'mount --make-rprivate / &&
	mount -o remount,bind,ro / && mount -o remount,bind,ro /sys &&
	exec setpriv --no-new-privs --bounding-set "-all,$1" --inh-caps=-all -- "$2" record' \
	sh "$caps" "$SW_BIN" >"$out" 2>"$SW_TMP/sandbox.err" &
box=$!
if wait_until 15 _sw_record_marker "$out" "$marker"; then
	tap_ok "record attaches and captures inside the unit's sandbox (caps $caps)"
else
	tap_fail "record attaches and captures inside the unit's sandbox (caps $caps)" \
		"$(head -n 5 "$SW_TMP/sandbox.err")"
fi
sw_stop "$box" "sandboxed record" # timeout passes SIGTERM on to record
