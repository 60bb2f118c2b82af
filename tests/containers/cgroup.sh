#!/usr/bin/env bash
# cgroup.sh: container identity from real cgroups (user/containers/cgroup_name.c) on this machine's
# podman. For a container on podman's default network and one with --network host: the process's
# /proc/PID/cgroup, read whole and as the kernel side reads it (the last three names of the
# unified (v2) line, and of a v1 line), names podman and the container's full id; the unified
# hierarchy gives the container a cgroup of its own (its directory exists and holds the process),
# so the kernel side can use the default hierarchy's cgroup; conmon and a host process are not
# containers. The cgroup lines are printed as TAP comments (docs/containers.md quotes them).
source "$(dirname "$0")/../lib.sh"
source "$SW_ROOT/tests/containers/lib.sh"
require_podman "container identity from cgroups"
[ -x "$SW_CTR_PROBE" ] || { tap_fail "ctr_probe built" "no $SW_CTR_PROBE (make test-build)"; exit 0; }

for net in default host; do
	name=$(ctr_name "cg-$net")
	args=()
	[ "$net" = host ] && args=(--network host)
	if ! id=$(ctr_run -d --name "$name" "${args[@]}" "$SW_CTR_IMAGE" sleep 60 2>"$SW_TMP/run.err"); then
		tap_fail "network $net: container starts" "$(cat "$SW_TMP/run.err")"
		continue
	fi
	pid=$(ctr_pid "$name")
	echo "# network $net: container $id, host pid $pid; /proc/$pid/cgroup:"
	sed 's/^/#   /' "/proc/$pid/cgroup"
	out=$(ctr_probe cgroup "$pid")
	for way in file v2 v1; do
		check "network $net: $way names podman and the container's id" \
			grep -qx "$way podman $id -" <<<"$out"
	done
	v2=$(sed -n 's/^0:://p' "/proc/$pid/cgroup")
	dir=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
	check "network $net: the unified hierarchy gives it a cgroup of its own ($v2)" \
		grep -qx "$pid" "$dir$v2/cgroup.procs"
	echo "# network $net: its cgroup id (inode of $dir$v2): $(stat -c %i "$dir$v2")"
	cpid=$(podman inspect --format '{{.State.ConmonPid}}' "$name")
	echo "# conmon (pid $cpid): $(tr '\n' ' ' <"/proc/$cpid/cgroup")"
	check "network $net: conmon is not a container" \
		grep -qx "file none - -" <<<"$(ctr_probe cgroup "$cpid")"
	podman rm -f -t 0 "$name" >/dev/null 2>&1
done
check "this test's shell is not in a container" grep -qx "file none - -" <<<"$(ctr_probe cgroup $$)"
