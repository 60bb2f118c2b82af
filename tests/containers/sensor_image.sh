#!/usr/bin/env bash
# sensor_image.sh: the sensor as a container (issue 10). Builds the image of packaging/Containerfile
# from build/static/shellwatch (offline: FROM scratch) and prints its size, starts it with podman
# the way docs/containers.md says, and checks that it reports, within 2 s each:
#   1. a bash reverse shell on the host against a listener on 127.0.0.1;
#   2. a busybox `nc -e /bin/sh` in a container of its own network namespace against a listener
#      on the host's side of podman's bridge (the gateway, 10.88.0.1): the alert names the gateway
#      and port as the remote end; the listener sees the container's own address (no NAT);
#   3. the same in a container on the host's network against 127.0.0.1;
#   4. a busybox `sh -i` through a fifo and nc, same network;
# and nothing for a benign container workload. Each container's alert names its container
# (container.id, .runtime, process.vpid; tests/containers/shells.sh).
source "$(dirname "$0")/../lib.sh"
source "$SW_ROOT/tests/containers/lib.sh"
if sanitizer_build; then   # the image holds the static binary: see static.sh
	tap_skip "the sensor as a container" "sanitizer build (make test-asan): \`make test\` checks it"
	exit 0
fi
require_podman "the sensor as a container"
require_live "the sensor as a container"
source "$SW_ROOT/tests/shells/techniques.sh"   # sw_tech_run, listener.py, sw_stop
source "$SW_ROOT/tests/shells/detect.sh"       # sw_alert_count, expect_detection
static=$SW_BUILD/static/shellwatch
[ -x "$static" ] || { tap_fail "build/static/shellwatch built" "make static (make test-build does)"; exit 0; }
image=localhost/shellwatch:test

# ---- the image -------------------------------------------------------------------------------
ctx=$SW_TMP/image
mkdir -p "$ctx" && cp "$static" "$ctx/shellwatch"
if ! podman build --pull=never -q -f "$SW_ROOT/packaging/Containerfile" -t "$image" "$ctx" \
	>"$SW_TMP/build.log" 2>&1; then
	tap_fail "the image builds offline" "$(tail -n 5 "$SW_TMP/build.log")"
	exit 0
fi
size=$(podman image inspect --format '{{.Size}}' "$image")
tap_ok "the image builds offline from scratch: $image, $size bytes"
check "the image holds the binary alone (one layer, under 8 MB)" \
	test "$(podman image inspect --format '{{len .RootFS.Layers}}' "$image")" = 1 -a "$size" -lt 8000000

# ---- the sensor ------------------------------------------------------------------------------
sensor=$(ctr_name sensor)
json=$SW_TMP/alerts.json err=$SW_TMP/sensor.err
# The line of docs/containers.md (plus the ulimits this machine needs, added by ctr_run).
ctr_run --rm --name "$sensor" --privileged --pid host --network host --uts host --cgroupns host \
	-v /sys/kernel/btf:/sys/kernel/btf:ro -v /sys/kernel/tracing:/sys/kernel/tracing \
	-v /sys/kernel/debug:/sys/kernel/debug -v /etc/machine-id:/etc/machine-id:ro \
	"$image" run --json >"$json" 2>"$err" &
podman_client=$!
if ! wait_until 60 grep -q '^shellwatch run: ready' "$err"; then
	tap_fail "the containerised sensor says ready within 60 s" "$(tail -n 10 "$err")"
	exit 0
fi
tap_ok "the containerised sensor says ready"

# ---- 1. a reverse shell on the host ------------------------------------------------------------
if sw_tech_run bash_tcp; then
	sw_tech_describe
	check "host: bash reverse shell to 127.0.0.1:$SW_T_PORT reported within 2 s" \
		expect_detection "$json"
	check "host: the alert has no container.id" \
		grep -qx -- "-" <<<"$(sw_alert_fields "$json" "$SW_T_PORT" container.id | head -n 1)"
else
	tap_fail "host: bash reverse shell ran" "the listener did not get the output of id"
fi

# ---- 2.-4. shells in containers, a benign container (tests/containers/shells.sh) ----------------
source "$SW_ROOT/tests/containers/shells.sh"
ctr_shells_all

podman stop -t 10 "$sensor" >/dev/null 2>&1
wait_until 15 pid_gone "$podman_client"
check "the sensor stops on SIGTERM and prints its counts" grep -q 'alerts printed' "$err"
grep 'alerts printed' "$err" | sed 's/^/# sensor: /'
