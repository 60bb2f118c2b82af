#!/usr/bin/env bash
# hardening.sh: the binary is built hardened by default, as Debian's packages are (issue 13):
# PIE, full RELRO (relro + BIND_NOW), the stack protector and FORTIFY (checked *_chk functions);
# and the systemd unit allows what `run --realtime` asks for (SCHED_FIFO priority 1: an
# RLIMIT_RTPRIO of 1, no RestrictRealtime=yes), checked live under the unit's capability set.
source "$(dirname "$0")/../lib.sh"
UNIT_IN=$SW_ROOT/packaging/shellwatch.service.in

if sanitizer_build; then
	tap_skip "hardened binary" "a sanitizer build (make test-asan) is not the hardened one"
else
	dyn=$(readelf -d "$SW_BIN")
	check "PIE (ELF type DYN, FLAGS_1 PIE)" \
		bash -c "readelf -h '$SW_BIN' | grep -q 'Type:.*DYN' && grep -q 'Flags:.*PIE' <<<'$dyn'"
	check "full RELRO: a GNU_RELRO segment" bash -c "readelf -lW '$SW_BIN' | grep -q GNU_RELRO"
	check "full RELRO: BIND_NOW" bash -c "grep -qE 'BIND_NOW|Flags:.* NOW' <<<'$dyn'"
	syms=$(nm -D "$SW_BIN" 2>/dev/null)
	check "stack protector (__stack_chk_fail)" grep -q ' __stack_chk_fail' <<<"$syms"
	check "FORTIFY (checked functions: __*_chk)" \
		test "$(grep -cE ' __(memcpy|memset|snprintf|fprintf|printf|vsnprintf|sprintf|fread|read)_chk' <<<"$syms")" -ge 3
fi

# make V=1 shows the flags, and -MMD -MP still write the dependency files.
if out=$(make -s -C "$SW_ROOT" -n -B V=1 "$SW_BUILD/user/engine/rules.o" OUT="$SW_BUILD" 2>&1); then
	check "make V=1: the hardening flags on the command line" \
		grep -q -- '-fstack-protector-strong .*-D_FORTIFY_SOURCE=2 .*-MMD -MP' <<<"$out"
else
	tap_fail "make V=1 -n shows the compile command" "$out"
fi

# The unit and --realtime agree.
rt=$(sed -n 's/^RestrictRealtime=//p' "$UNIT_IN")
check "unit: RestrictRealtime is not yes (it would cancel --realtime)" test "${rt:-no}" != yes
prio=$(sed -n 's/^LimitRTPRIO=//p' "$UNIT_IN")
caps=$(sed -n 's/^CapabilityBoundingSet=//p' "$UNIT_IN")
check "unit: LimitRTPRIO >= 1 or CAP_SYS_NICE (what SCHED_FIFO 1 needs)" \
	bash -c "[ '${prio:-0}' -ge 1 ] 2>/dev/null || grep -q CAP_SYS_NICE <<<'$caps'"

if [ "$(id -u)" != 0 ] || ! command -v setpriv >/dev/null || ! command -v prlimit >/dev/null; then
	tap_skip "--realtime under the unit's capabilities and limits" "needs root, setpriv, prlimit"
	exit 0
fi
bset=$(tr 'A-Z' 'a-z' <<<"$caps" | sed 's/cap_/+/g; s/ /,/g')
as_unit() { # RTPRIO CMD...: CMD with the unit's capability bounding set and that RLIMIT_RTPRIO
	local p=$1
	shift
	prlimit --rtprio="$p" -- setpriv --bounding-set "-all,$bset" --inh-caps=-all -- "$@"
}
refused() { ! as_unit 0 chrt -f 1 true 2>/dev/null; }
check "without CAP_SYS_NICE and an RLIMIT_RTPRIO, SCHED_FIFO 1 is refused (the check means something)" \
	refused
why=$(live_available) || { tap_skip "run --realtime under the unit's limits" "$why"; exit 0; }
as_unit 0 timeout -s INT 4 "$SW_BIN" run --realtime >/dev/null 2>"$SW_TMP/rt.err"
check "run --realtime without them: a warning that says what it needs" \
	grep -q -- '--realtime: Operation not permitted: it needs CAP_SYS_NICE or an RLIMIT_RTPRIO' \
	"$SW_TMP/rt.err"
if ! prlimit --rtprio="${prio:-0}" true 2>/dev/null; then
	# raising a hard limit takes CAP_SYS_RESOURCE, which systemd has and this shell may not
	tap_skip "run --realtime under the unit's limits: no warning" \
		"cannot raise RLIMIT_RTPRIO here (no CAP_SYS_RESOURCE)"
	exit 0
fi
check "SCHED_FIFO 1 works with the unit's capabilities and LimitRTPRIO ($prio)" \
	as_unit "${prio:-0}" chrt -f 1 true
as_unit "${prio:-0}" timeout -s INT 4 "$SW_BIN" run --realtime >/dev/null 2>"$SW_TMP/rt.err"
check "run --realtime under the unit's limits: ready, no --realtime warning" \
	bash -c "grep -q ready '$SW_TMP/rt.err' && ! grep -q -- --realtime '$SW_TMP/rt.err'"
