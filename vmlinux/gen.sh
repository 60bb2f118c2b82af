#!/usr/bin/env bash
# gen.sh: regenerate vmlinux/<arch>/vmlinux.h, the kernel type definitions the BPF programs are
# compiled against (CO-RE relocates field offsets at load time, so one header serves many kernels).
#   vmlinux/gen.sh [BTF_PATH [ARCH]]   default /sys/kernel/btf/vmlinux and this machine's arch
# To build against a header elsewhere instead: make VMLINUX_H=path/to/vmlinux.h
set -euo pipefail
btf=${1:-/sys/kernel/btf/vmlinux}
arch=${2:-$(uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/' -e 's/ppc64le/powerpc/' \
	-e 's/riscv64/riscv/' -e 's/s390x/s390/' -e 's/loongarch64/loongarch/')}
dir=$(cd "$(dirname "$0")" && pwd)/$arch
if [ ! -r "$btf" ]; then
	echo "gen.sh: cannot read BTF at $btf (kernel built without CONFIG_DEBUG_INFO_BTF?)" >&2
	exit 1
fi
mkdir -p "$dir"
bpftool btf dump file "$btf" format c > "$dir/vmlinux.h.tmp"
mv "$dir/vmlinux.h.tmp" "$dir/vmlinux.h"
echo "wrote $dir/vmlinux.h from $btf"
