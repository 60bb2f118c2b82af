#!/usr/bin/env bash
# meta.sh: container names and images from the real podman API (user/containers/ctr_meta.c):
# `podman system service` on a socket of this test's own (offline), a named container of the test
# image, then ctr_meta through build/tests/ctr_probe: the answer names the container and its image
# (podman answers chunked), an unknown id is a 404 and gives none, a runtime whose socket does not
# exist gives none at once, and after the service stops a new question gives none within the
# timeout rather than hanging. curl shows the raw answer's name and image for comparison.
source "$(dirname "$0")/../lib.sh"
source "$SW_ROOT/tests/containers/lib.sh"
require_podman "container metadata from podman's API"
[ -x "$SW_CTR_PROBE" ] || { tap_fail "ctr_probe built" "no $SW_CTR_PROBE (make test-build)"; exit 0; }
source "$SW_ROOT/tests/shells/procs.sh"   # sw_stop

sock=$SW_TMP/podman.sock
podman system service --time=0 "unix://$sock" >"$SW_TMP/service.log" 2>&1 &
service=$!
if ! wait_until 20 test -S "$sock"; then
	tap_fail "podman system service listens on $sock" "$(tail -n 5 "$SW_TMP/service.log")"
	exit 0
fi
tap_ok "podman system service listens on $sock"

name=$(ctr_name meta)
if ! id=$(ctr_run -d --name "$name" "$SW_CTR_IMAGE" sleep 60 2>"$SW_TMP/run.err"); then
	tap_fail "container starts" "$(cat "$SW_TMP/run.err")"
	exit 0
fi
if command -v curl >/dev/null 2>&1; then
	raw=$(curl -sS --max-time 5 --unix-socket "$sock" "http://d/containers/$id/json" |
		"${SW_PY:-python3}" -c 'import json,sys; d=json.load(sys.stdin); print(d["Name"], d["Config"]["Image"])' 2>&1)
	echo "# curl: .Name and .Config.Image: $raw"
fi

out=$(ctr_probe meta podman "$sock" "$id" 5000)
echo "$out" | sed 's/^/# probe: /'
check "ctr_meta: podman names the container $name, image $SW_CTR_IMAGE" \
	grep -qx "known $name $SW_CTR_IMAGE - -" <<<"$out"
check "ctr_meta: one question, answered" grep -q "queued=1 answered=1 " <<<"$out"

unknown=$(printf '%064x' 48879)
out=$(ctr_probe meta podman "$sock" "$unknown" 5000)
check "ctr_meta: an unknown id is podman's 404: none" \
	test "$(head -n 1 <<<"$out")" = none -a -n "$(grep 'not_found=1 ' <<<"$out")"

t0=${EPOCHREALTIME/./}
out=$(ctr_probe meta docker "$SW_TMP/no-docker.sock" "$id" 5000)
ms=$(((${EPOCHREALTIME/./} - t0) / 1000))
check "ctr_meta: no docker socket: none, unreachable, in $ms ms (under 1 s)" \
	test "$(head -n 1 <<<"$out")" = none -a -n "$(grep 'unreachable=1 ' <<<"$out")" -a "$ms" -lt 1000

sw_stop "$service" "podman system service"
out=$(ctr_probe meta podman "$sock" "$id" 5000)
check "ctr_meta: the service gone: none" test "$(head -n 1 <<<"$out")" = none
