#!/usr/bin/env bash
# regress.sh: the committed fuzz corpus (tests/fuzz/corpus/<target>/: the seeds, and the inputs
# of issue 13 that hung or aborted: a clock that jumps back, strace's early vfork child, a call
# named "#", a NUL byte) runs once through every fuzz target (`make fuzz-regress`, built with
# clang and the sanitizers into $SW_BUILD/fuzz): no crash, no sanitizer report, no input over
# FUZZ_TIMEOUT. Skipped without clang.
source "$(dirname "$0")/../lib.sh"

if ! command -v clang >/dev/null; then
	tap_skip "fuzz corpus regression" "clang not installed"
	exit 0
fi
if make -s -C "$SW_ROOT" OUT="$SW_BUILD" fuzz-build >"$SW_TMP/build.log" 2>&1; then
	tap_ok "fuzz targets build"
else
	tap_fail "fuzz targets build" "$(grep -v '^  ' "$SW_TMP/build.log" | tail -n 5)"
	exit 0
fi
for src in "$SW_ROOT"/tests/fuzz/fuzz_*.c; do
	t=$(basename "$src" .c)
	n=$(find "$SW_ROOT/tests/fuzz/corpus/$t" -type f 2>/dev/null | wc -l)
	if make -s -C "$SW_ROOT" OUT="$SW_BUILD" "fuzz-regress-$t" >"$SW_TMP/$t.log" 2>&1; then
		tap_ok "$t: its $n corpus inputs, no finding"
	else
		tap_fail "$t: its $n corpus inputs, no finding" "$(grep -E 'ERROR|SUMMARY|Running:' \
			"$SW_TMP/$t.log" | tail -n 4)"
	fi
done
