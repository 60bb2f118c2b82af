#!/usr/bin/env bash
# qemu.sh: the kernel matrix (tests/kernels/matrix) as part of `make test`: it takes about half a
# minute once the kernel packages are cached. Skips loudly when qemu is not installed.
. "$(dirname "$0")/../lib.sh"
if ! command -v qemu-system-x86_64 >/dev/null || [ "$(uname -m)" != x86_64 ]; then
	echo "# !!! KERNEL MATRIX NOT RUN: needs x86_64 and qemu-system-x86_64 (apt-get install qemu-system-x86) !!!" >&2
	tap_skip "kernel matrix" "KERNEL MATRIX NOT RUN: no qemu-system-x86_64"
	exit 0
fi
exec "$SW_ROOT/tests/kernels/matrix"
