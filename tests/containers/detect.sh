#!/usr/bin/env bash
# detect.sh: `shellwatch run` on the host names the container a shell ran in (issue 10). With
# podman's API on a socket of the test's own (`podman system service`, offline), run is started
# with --podman-socket; then tests/containers/shells.sh: a busybox `nc -e /bin/sh` and a
# `sh -i` through a fifo in containers of their own network namespace against listeners on the
# gateway of podman's bridge, one in a container on the host's network against 127.0.0.1, and a
# benign container. Each shell's alert must give the remote end, container.id (the container's),
# container.runtime podman, process.vpid, container.name and container.image.name: each shell is
# its container's first program, so its alert is held for podman's answer (at most 0.5 s,
# include/ctr_alert.h); the benign container raises nothing. Then a shell started later
# (podman exec) in a running container podman has already described: the same fields.
source "$(dirname "$0")/../lib.sh"
source "$SW_ROOT/tests/containers/lib.sh"
require_podman "run names the container of a shell"
require_live "run names the container of a shell"
source "$SW_ROOT/tests/shells/techniques.sh"
source "$SW_ROOT/tests/shells/detect.sh"

sock=$SW_TMP/podman.sock
podman system service --time=0 "unix://$sock" >"$SW_TMP/service.log" 2>&1 &
service=$!
trap 'kill "$service" 2>/dev/null; sw_run_stop; ctr_cleanup; sw_cleanup' EXIT
if ! wait_until 20 test -S "$sock"; then
	tap_fail "podman system service listens on $sock" "$(tail -n 5 "$SW_TMP/service.log")"
	exit 0
fi
json=$SW_TMP/alerts.json metrics=$SW_TMP/metrics.prom
SW_RUN_OPTS="--podman-socket $sock --metrics-file $metrics --metrics-interval 1s" \
	sw_run_start "$json" || { tap_fail "shellwatch run starts" "see the stderr above"; exit 0; }
source "$SW_ROOT/tests/containers/shells.sh"
CTR_EXPECT_META=1 ctr_shells_all

# podman answered about N containers (run's metrics, renewed every second).
answered() {
	local n
	n=$(sed -nE 's/^shellwatch_container_meta_lookups_total\{result="answered"\} ([0-9]+)$/\1/p' \
		"$metrics" 2>/dev/null)
	[ "${n:-0}" -ge "$1" ]
}
victim=$(ctr_name victim)
before=$(sed -nE 's/^shellwatch_container_meta_lookups_total\{result="answered"\} ([0-9]+)$/\1/p' \
	"$metrics" 2>/dev/null)
ctr_run -d --name "$victim" --cidfile "$SW_TMP/victim.cid" "$SW_CTR_IMAGE" sleep 300 >/dev/null 2>&1
check "podman described the new container to run (metrics: answered > ${before:-0})" \
	wait_until 20 answered "$((${before:-0} + 1))"
gw=$(ctr_gateway)
if ctr_listen exec "$gw"; then
	podman exec "$victim" nc "$gw" "$port" -e /bin/sh >/dev/null 2>&1 &
	check "exec: the shell in the running container ran id" wait_until 30 grep -qs 'uid=' "$out"
	CTR_EXPECT_META=1 ctr_alert_checks "exec" "$(cat "$SW_TMP/victim.cid" 2>/dev/null)" \
		"$victim" "$port" "$gw"
fi
sw_run_stop
grep 'alerts printed' "$SW_RUN_ERR" | sed 's/^/# run: /'
