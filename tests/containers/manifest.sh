#!/usr/bin/env bash
# manifest.sh: the ways to run the sensor as a container agree with each other: the DaemonSet
# (packaging/k8s/shellwatch-daemonset.yaml) parses, is privileged with hostPID, runs the image's
# default command (packaging/Containerfile's CMD) and mounts from the host what the podman line of
# docs/containers.md mounts (BTF, tracefs, debugfs, machine-id), and that line is the one
# tests/containers/sensor_image.sh runs. Needs python3 with yaml (skipped without it).
source "$(dirname "$0")/../lib.sh"
py=${SW_PY:-python3}
[ -x /usr/bin/python3 ] && py=/usr/bin/python3
if ! "$py" -c 'import yaml' 2>/dev/null; then
	tap_skip "the DaemonSet manifest" "python3 has no yaml module"
	exit 0
fi
ds=$SW_ROOT/packaging/k8s/shellwatch-daemonset.yaml
doc=$SW_ROOT/docs/containers.md
# The host paths of the -v options of the first `podman run ... run --json` (or ctr_run) in a file,
# its lines joined where they end in a backslash.
podman_mounts() {
	sed -e ':a' -e '/\\$/N; s/\\\n//; ta' "$1" | grep -o '\(podman run\|ctr_run\) .* run --json' | head -n 1 |
		grep -o -- '-v [^: ]*' | cut -d' ' -f2 | sort -u
}
out=$("$py" - "$ds" "$SW_ROOT/packaging/Containerfile" <<'EOF'
import json, re, sys, yaml
docs = list(yaml.safe_load_all(open(sys.argv[1])))
ds = [d for d in docs if d and d.get("kind") == "DaemonSet"][0]
spec = ds["spec"]["template"]["spec"]
c = spec["containers"][0]
cmd = re.search(r'^CMD (.*)$', open(sys.argv[2]).read(), re.M).group(1)
print("privileged", c["securityContext"].get("privileged") is True)
print("hostPID", spec.get("hostPID") is True)
print("args", c.get("args") == json.loads(cmd))
mounted = {m["name"] for m in c["volumeMounts"]}
for v in spec["volumes"]:
    if "hostPath" in v and v["name"] in mounted:
        print("hostPath", v["hostPath"]["path"])
EOF
)
rc=$?
check "the DaemonSet parses" test "$rc" = 0
for k in privileged hostPID args; do
	check "DaemonSet: $k" grep -qx "$k True" <<<"$out"
done
ds_paths=$(sed -n 's/^hostPath //p' <<<"$out" | sort -u)
doc_paths=$(podman_mounts "$doc")
test_paths=$(podman_mounts "$SW_ROOT/tests/containers/sensor_image.sh")
echo "# host paths: DaemonSet ${ds_paths//$'\n'/ }; docs ${doc_paths//$'\n'/ }"
check "the docs' podman line mounts something" test -n "$doc_paths"
check "the DaemonSet mounts the host paths of the docs' podman line" test "$ds_paths" = "$doc_paths"
check "sensor_image.sh runs the docs' podman line's mounts" test "$test_paths" = "$doc_paths"
