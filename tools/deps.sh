#!/usr/bin/env bash
# deps.sh: the Debian packages shellwatch needs to build and test, in one list.
#   tools/deps.sh install   install whatever is missing (root; runs apt-get update first if needed)
#   tools/deps.sh list      print the package names
#   tools/deps.sh missing   print the missing ones
#   tools/deps.sh install-train   also what `make model` and `make eval` need (Debian's python3
#                                 with numpy, scipy, scikit-learn and xgboost; not needed to build)
set -euo pipefail

BUILD="make gcc clang llvm libbpf-dev bpftool libelf-dev zlib1g-dev libjson-c-dev pkg-config"
# Tests: the shells of the red-team suite (gawk, lua5.4 with lua-socket and tcl for issue 15's loops
# that run commands off the wire), strace and auditd for captures (installing auditd may
# start its service: tests/shells/auditd.sh then uses it, untouched), a fuzzing runtime, gnuplot for
# the study plots, Debian's libbpf-tools for the execsnoop benchmark; the real network services of
# tests/benign/services.sh (openssh-server, rsync, lighttpd, openbsd-inetd: installing them may
# start their system services; the test never uses those, it runs its own on free ports).
# Outputs (tests/outputs/, tests/packaging/deb.sh): python3-jsonschema validates the alerts against
# docs/alert.schema.json; rsyslog and prometheus-node-exporter are the real shipper and scraper
# the tests start on loopback ports with their own configs (installing them may start their
# system services, which the tests never use); debhelper builds `make deb`. Containers
# (tests/containers/): podman with runc runs them offline from a local busybox image.
TEST="strace auditd socat ncat netcat-traditional python3 perl php-cli ruby nodejs openssl busybox \
gawk lua5.4 lua-socket tcl \
iproute2 libclang-rt-14-dev gnuplot-nox libbpf-tools procps util-linux xxd qemu-system-x86 \
git curl wget groff-base systemd openssh-server rsync lighttpd openbsd-inetd \
python3-jsonschema rsyslog prometheus-node-exporter debhelper podman runc"

TRAIN="python3-numpy python3-scipy python3-sklearn python3-xgboost"
GROUPS_WANTED="$BUILD $TEST"

missing() {
	for p in $GROUPS_WANTED; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"
	done
}

case "${1:-install}" in
list) echo $BUILD $TEST ;;
missing) missing ;;
install | install-train)
	[ "${1:-install}" = install-train ] && GROUPS_WANTED=$TRAIN
	miss=$(missing | tr '\n' ' ')
	[ -z "${miss// /}" ] && exit 0
	if [ "$(id -u)" != 0 ]; then
		echo "shellwatch: missing packages: $miss" >&2
		echo "shellwatch: run as root (sudo make ...) to install them with apt-get" >&2
		exit 1
	fi
	echo "  APT      $miss"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $miss >/dev/null
	;;
*) echo "usage: $0 install|install-train|list|missing" >&2; exit 2 ;;
esac
