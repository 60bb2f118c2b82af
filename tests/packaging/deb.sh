#!/usr/bin/env bash
# deb.sh: the Debian package end to end (what CI does): `make deb` builds it with debhelper from a
# copy of the tree; its contents, conffiles and declared dependencies; `apt-get install
# ./build/deb/shellwatch_*.deb` installs it; the installed binary is hardened (PIE, full RELRO,
# stack protector, FORTIFY), the installed unit verifies and its systemd-analyze exposure is
# reported, and the live smoke test runs against /usr/sbin/shellwatch: one ECS alert, valid
# against the schema, for a real reverse shell. Then `apt-get purge` leaves nothing behind. Needs
# root (apt); SHELLWATCH_DEB_KEEP=1 keeps the package installed.
source "$(dirname "$0")/../lib.sh"
source "$SW_ROOT/tests/shells/techniques.sh"
source "$SW_ROOT/tests/shells/record.sh"
if [ "$(id -u)" != 0 ]; then
	[ "${SHELLWATCH_REQUIRE_LIVE:-0}" = 1 ] && tap_fail "the Debian package" "needs root (apt-get)" ||
		tap_skip "the Debian package" "needs root (apt-get)"
	exit 0
fi
for p in dpkg-buildpackage dh; do
	command -v "$p" >/dev/null || { tap_fail "$p is installed (debhelper, tools/deps.sh)"; exit 0; }
done
if dpkg-query -W -f='${Status}' shellwatch 2>/dev/null | grep -q 'install ok installed'; then
	tap_skip "the Debian package" "a shellwatch package is installed on this machine already"
	exit 0
fi

t0=$SECONDS
if ! make -s -C "$SW_ROOT" deb >"$SW_TMP/make.log" 2>&1; then
	tap_fail "make deb" "$(tail -n 20 "$SW_TMP/make.log")"
	exit 0
fi
deb=$(ls "$SW_ROOT"/build/deb/shellwatch_*.deb)
tap_ok "make deb builds $(basename "$deb") in $((SECONDS - t0)) s ($(stat -c %s "$deb") bytes)"

dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's|^\./|/|' >"$SW_TMP/files"
for f in /usr/sbin/shellwatch /usr/share/man/man8/shellwatch.8.gz /lib/systemd/system/shellwatch.service \
	/etc/shellwatch/exceptions.conf /etc/default/shellwatch \
	/usr/share/doc/shellwatch/examples/network.conf /usr/share/doc/shellwatch/copyright; do
	grep -qxF "$f" "$SW_TMP/files" || missing="${missing:-} $f"
done
check "the package holds the binary, man page, unit, config files, examples${missing:+ (missing:$missing)}" \
	test -z "${missing:-}"
check "/etc/shellwatch/exceptions.conf and /etc/default/shellwatch are conffiles" \
	bash -c "dpkg-deb -f '$deb' >/dev/null && dpkg-deb --ctrl-tarfile '$deb' | tar -xO ./conffiles |
		sort | tr '\n' ' ' | grep -qx '/etc/default/shellwatch /etc/shellwatch/exceptions.conf '"
deps=$(dpkg-deb -f "$deb" Depends)
echo "# Depends: $deps"
check "its dependencies are declared (libbpf, libelf, json-c, zlib, libc)" \
	bash -c "for l in libbpf1 libelf1 libjson-c5 zlib1g libc6; do [[ '$deps' == *\$l* ]] || exit 1; done"

export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y "./${deb#"$SW_ROOT"/}" >"$SW_TMP/apt.log" 2>&1 </dev/null; then
	# apt-get wants the ./ path relative to its working directory
	(cd "$SW_ROOT" && apt-get install -y "./build/deb/$(basename "$deb")") >"$SW_TMP/apt.log" 2>&1 </dev/null
fi
if ! dpkg-query -W -f='${Status}' shellwatch 2>/dev/null | grep -q 'install ok installed'; then
	tap_fail "apt-get install ./build/deb/shellwatch_*.deb" "$(tail -n 10 "$SW_TMP/apt.log")"
	exit 0
fi
tap_ok "apt-get install ./build/deb/$(basename "$deb")"
[ "${SHELLWATCH_DEB_KEEP:-0}" = 1 ] ||
	trap 'apt-get purge -y shellwatch >/dev/null 2>&1 </dev/null; sw_cleanup' EXIT

bin=/usr/sbin/shellwatch
check "the installed binary runs: $("$bin" --version)" test "$("$bin" --version)" = "shellwatch $(dpkg-query -W -f='${Version}' shellwatch)"
check "its man page is installed (man -w shellwatch)" bash -c "man -w shellwatch 2>/dev/null | grep -q /usr/share/man/man8/shellwatch.8"
# hardened BIN: PIE (an ELF of type DYN), full RELRO (GNU_RELRO and BIND_NOW), the stack
# protector and FORTIFY's checked functions among its imports.
hardened() {
	readelf -h "$1" | grep -q 'Type: *DYN' || return 1
	readelf -lW "$1" | grep -q GNU_RELRO || return 1
	readelf -d "$1" | grep -qE 'BIND_NOW|FLAGS_1.*NOW' || return 1
	readelf --dyn-syms -W "$1" | grep -q __stack_chk_fail || return 1
	readelf --dyn-syms -W "$1" | grep -qE '__[a-z]+_chk@'
}
check "hardened: PIE, full RELRO (BIND_NOW), stack protector, FORTIFY" hardened "$bin"
if command -v systemd-analyze >/dev/null; then
	check "the installed unit verifies" systemd-analyze verify /lib/systemd/system/shellwatch.service
	score=$(systemd-analyze security --offline=yes /lib/systemd/system/shellwatch.service 2>/dev/null |
		sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
	echo "# systemd-analyze security exposure of the installed unit: ${score:-?} (0 best, 10 worst)"
	check "the unit's exposure is low (${score:-?} < 3)" awk -v s="${score:-10}" 'BEGIN { exit !(s < 3) }'
fi

# The live smoke test, against the installed binary.
why=$(live_available) || require_live "the installed binary detects a reverse shell"
json=$SW_TMP/alerts.json
"$bin" run --json -o "$json" 2>"$SW_TMP/run.err" &
run=$!
if ! wait_until 20 grep -q '^shellwatch run: ready' "$SW_TMP/run.err"; then
	tap_fail "the installed binary attaches" "$(cat "$SW_TMP/run.err")"
	exit 0
fi
sw_tech_run bash_tcp >/dev/null 2>&1
check "the installed binary alerts on a real reverse shell" \
	wait_until 5 grep -qE "\"destination\":\\{[^}]*\"port\":$SW_T_PORT[,}]" "$json"
sw_stop "$run" "shellwatch run"
check "its alerts (with the installed /etc/shellwatch/exceptions.conf) are valid against the schema" \
	/usr/bin/python3 "$SW_ROOT/tests/shells/schema_check.py" "$json"
if [ "${SHELLWATCH_DEB_KEEP:-0}" != 1 ]; then
	apt-get purge -y shellwatch >/dev/null 2>&1 </dev/null
	check "apt-get purge removes it, config files too" test ! -e "$bin" -a ! -e /etc/shellwatch/exceptions.conf
	trap sw_cleanup EXIT
fi
