# shellcheck shell=bash
# lib.sh: the podman kit of the container tests (sourced after tests/lib.sh). Everything is
# offline: the test image is made with `podman import` from a rootfs holding the host's busybox,
# no registry is ever asked.
#   ctr_podman_why         prints why podman cannot run a container here; status 0 (nothing
#                          printed) when it can: installed, the image built, `true` ran in one
#   require_podman NAME    exits the test file unless podman can run a container: a loud skip,
#                          also under SHELLWATCH_REQUIRE_LIVE=1 (a machine without podman is not
#                          a failure; call require_live after it for what the sensor needs, and
#                          that one fails under SHELLWATCH_REQUIRE_LIVE=1)
#   ctr_image              builds $SW_CTR_IMAGE once (locked against parallel tests)
#   ctr_run ARGS...        `podman run` as this machine needs it: runc (crun, where installed,
#                          refuses hybrid cgroups), ulimits within the hard limits here (the
#                          defaults exceed them); containers started with --name are removed when
#                          the test exits
#   ctr_name WHAT          a container name unique to this test run: sw-test-$$-WHAT
#   ctr_pid NAME           the host pid of the container's first process
#   ctr_gateway            the host's address on podman's default network (10.88.0.1)
#   ctr_probe ARGS...      build/tests/ctr_probe (tests/containers/ctr_probe.c)
# Containers are named sw-test-<pid of the test>-...; the EXIT trap removes them (and only them).
SW_CTR_IMAGE=${SW_CTR_IMAGE:-localhost/sw-busybox:test}
SW_CTR_PROBE=${SW_CTR_PROBE:-$SW_BUILD/tests/ctr_probe}
SW_CTR_LIST=$SW_TMP/containers.started   # a file: ctr_run may run in a subshell

ctr_podman() { podman --runtime runc "$@"; }

ctr_run() {
	local a prev=
	for a in "$@"; do
		case $a in --name=*) echo "${a#--name=}" >>"$SW_CTR_LIST" ;; esac
		[ "$prev" = --name ] && echo "$a" >>"$SW_CTR_LIST"
		prev=$a
	done
	ctr_podman run --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 "$@"
}

ctr_name() { echo "sw-test-$$-$1"; }

ctr_pid() { podman inspect --format '{{.State.Pid}}' "$1" 2>/dev/null; }

ctr_gateway() {
	podman network inspect podman --format '{{range .Subnets}}{{.Gateway}}{{end}}' 2>/dev/null
}

ctr_probe() { "$SW_CTR_PROBE" "$@"; }

# The rootfs: busybox and one symlink per applet in /bin. Debian's busybox-static is used as it is;
# the dynamic busybox package (the two replace each other) gets its libraries copied beside it.
_ctr_rootfs() {
	local root=$1 bb lib
	bb=$(command -v busybox) || { echo "busybox is not installed (apt-get install busybox-static)"; return 1; }
	mkdir -p "$root/bin" "$root/tmp" "$root/etc" "$root/proc" "$root/sys" "$root/dev" || return 1
	cp "$bb" "$root/bin/busybox" || return 1
	if ldd "$bb" >/dev/null 2>&1; then
		for lib in $(ldd "$bb" | grep -o '/[^ ]*'); do
			mkdir -p "$root$(dirname "$lib")" && cp -L "$lib" "$root$lib" || return 1
		done
	fi
	for a in $("$root/bin/busybox" --list); do
		[ "$a" = busybox ] || ln -sf busybox "$root/bin/$a"
	done
	echo 'root:x:0:0:root:/:/bin/sh' >"$root/etc/passwd"
}

ctr_image() {
	podman image exists "$SW_CTR_IMAGE" 2>/dev/null && return 0
	local root rc
	(
		flock -w 120 9 || exit 1
		podman image exists "$SW_CTR_IMAGE" && exit 0
		root=$(mktemp -d /tmp/sw-ctr-rootfs.XXXXXX) || exit 1
		if _ctr_rootfs "$root"; then
			tar -C "$root" -c . | podman import --change 'CMD ["/bin/sh"]' - "$SW_CTR_IMAGE" >/dev/null
			rc=$?
		else
			rc=1
		fi
		rm -rf "$root"
		exit $rc
	) 9>/tmp/sw-ctr-image.lock
}

ctr_podman_why() {
	command -v podman >/dev/null 2>&1 || { echo "podman is not installed"; return 1; }
	command -v runc >/dev/null 2>&1 || { echo "runc is not installed"; return 1; }
	[ "$(id -u)" = 0 ] || { echo "not root (the tests use rootful podman)"; return 1; }
	local out
	out=$(ctr_image 2>&1) || { echo "cannot build $SW_CTR_IMAGE: ${out:-?}"; return 1; }
	out=$(timeout 60 podman --runtime runc run --rm --network none --ulimit nofile=1024:1024 \
		--ulimit nproc=1024:1024 "$SW_CTR_IMAGE" true 2>&1) ||
		{ echo "podman cannot run a container: $(tail -n 1 <<<"$out")"; return 1; }
	return 0
}

require_podman() {
	local why
	why=$(ctr_podman_why) && return 0
	echo "# !!! CONTAINER TESTS NOT RUN: $why !!!" >&2
	tap_skip "$1" "CONTAINER TESTS NOT RUN: $why"
	exit 0
}

ctr_cleanup() {
	local n
	if [ -f "$SW_CTR_LIST" ]; then
		while read -r n; do
			podman rm -f -t 0 "$n" >/dev/null 2>&1
		done <"$SW_CTR_LIST"
	fi
	sw_cleanup
}
trap ctr_cleanup EXIT
trap 'exit 143' TERM INT   # tests/run's time limit: still remove the containers
