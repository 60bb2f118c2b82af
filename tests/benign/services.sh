#!/usr/bin/env bash
# services.sh: the live benign suite of real network services. Every workload starts REAL programs
# on 127.0.0.1 (free ports), drives them with real clients, checks the clients got what they
# should, and ends everything it started: the test's own sshd (its own config, host key and
# authorized_keys in $SW_TMP; no system sshd is needed, /etc/ssh is not touched; /run/sshd, which
# sshd insists on, is made when missing and removed again) with ssh, scp, rsync, git and
# ProxyCommand clients; shell CGI scripts under busybox httpd, lighttpd and
# python's http.server; inetd-style shell services (socat fork EXEC, openbsd-inetd); git daemon;
# a node server running a command per request; a python client running `sh -c` after each fetch;
# health checks through bash's /dev/tcp, nc -z, curl and wget; a .deb with a postinst installed
# and removed with dpkg. All of it runs under `shellwatch run --json` with `shellwatch record`
# alongside (record tells which pids each workload's process tree had): no alert may belong to a
# workload's tree. Every alert raised for a workload is printed as a TAP comment (rule, severity,
# pid, comm, exe, signals, command line), so a run shows what fires. run has --kill on: each
# workload's own checks (its clients got their answers) show nothing of it was killed, and run's
# closing line must count no kill at all.
#   tests/run services
# Sourcing this file defines the workloads (wl_NAME, run by wl_run of workload.sh), SERVICES,
# svc_missing and svc_setup without running anything (tools/gen_judge_fixtures.sh records them).
source "$(dirname "${BASH_SOURCE[0]}")/workload.sh" # lib.sh, techniques.sh, record.sh, wl_run
SERVICES=(ssh_command ssh_tty ssh_stdin ssh_scp ssh_rsync ssh_git ssh_proxycommand cgi_busybox
	cgi_lighttpd cgi_python inetd_socat_sh inetd_socat_date inetd_openbsd git_daemon node_exec
	python_fetch_sh health_dev_tcp_cat health_dev_tcp_head health_port_checks health_fetch
	dpkg_postinst)
: "${SVC_SSHD:=/usr/sbin/sshd}"         # sshd re-executes itself: it needs an absolute path
: "${SVC_SFTP:=/usr/lib/openssh/sftp-server}"
: "${SVC_INETD:=/usr/sbin/inetd}"       # openbsd-inetd
: "${SVC_LIGHTTPD:=/usr/sbin/lighttpd}"
SVC_PKG=shellwatch-services-test        # the .deb of dpkg_postinst
SVC_KEYS=$SW_TMP/svc-keys

# ---- setup shared by the workloads (runs outside their trees) ----------------------------------

# svc_setup: the ssh keys (host key, root's key pair, authorized_keys) in $SVC_KEYS, the
# privilege separation directory sshd insists on (/run/sshd; made only when missing, removed at
# exit if made here), and $SW_TMP traversable, so that python's CGI (which drops to uid nobody but
# keeps gid root) can reach its scripts. Installs the exit trap that undoes it.
svc_setup() {
	trap 'svc_cleanup; sw_cleanup' EXIT
	chmod go+x "$SW_TMP"
	[ -x "$SVC_SSHD" ] && command -v ssh-keygen >/dev/null 2>&1 || return 0
	mkdir -p "$SVC_KEYS" &&
		ssh-keygen -q -t ed25519 -N '' -C sw-host -f "$SVC_KEYS/host_ed25519" &&
		ssh-keygen -q -t ed25519 -N '' -C sw-root -f "$SVC_KEYS/root_ed25519" &&
		cp "$SVC_KEYS/root_ed25519.pub" "$SVC_KEYS/authorized_keys" || return 1
	if [ ! -d /run/sshd ]; then
		mkdir -m 755 /run/sshd && SVC_MADE_RUN_SSHD=1
	fi
	return 0
}

svc_cleanup() {
	[ "${SVC_MADE_RUN_SSHD:-0}" = 1 ] && rmdir /run/sshd 2>/dev/null
	return 0
}

# svc_missing NAME: the first program workload NAME needs that is not installed (empty: none).
svc_missing() {
	local need p
	case $1 in
	ssh_command | ssh_tty | ssh_stdin) need="$SVC_SSHD ssh ssh-keygen" ;;
	ssh_scp) need="$SVC_SSHD ssh ssh-keygen scp $SVC_SFTP" ;;
	ssh_rsync) need="$SVC_SSHD ssh ssh-keygen rsync" ;;
	ssh_git) need="$SVC_SSHD ssh ssh-keygen git" ;;
	ssh_proxycommand) need="$SVC_SSHD ssh ssh-keygen nc" ;;
	cgi_busybox) need="busybox curl" ;;
	cgi_lighttpd) need="$SVC_LIGHTTPD curl" ;;
	cgi_python) need=curl ;;
	inetd_socat_sh | inetd_socat_date) need="socat nc" ;;
	inetd_openbsd) need="$SVC_INETD socat nc" ;;
	git_daemon) need=git ;;
	node_exec) need="node curl" ;;
	python_fetch_sh) need="sh" ;;
	health_dev_tcp_cat | health_dev_tcp_head) need="bash cat head" ;;
	health_port_checks) need="bash timeout nc" ;;
	health_fetch) need="curl wget" ;;
	dpkg_postinst) need="dpkg dpkg-deb dpkg-query" ;;
	*) echo "unknown-workload"; return 0 ;;
	esac
	for p in $need "$SW_PY" ss; do
		command -v "$p" >/dev/null 2>&1 || { echo "$p"; return 0; }
	done
	if [[ $1 == ssh_* ]] && [ ! -f "$SVC_KEYS/authorized_keys" ]; then
		echo "ssh keys (svc_setup did not run)"
	fi
}

# ---- helpers (run inside a workload, in its directory) ----------------------------------------

# _svc_is WHAT GOT WANT: true when GOT is WANT; otherwise says what differs (into the log).
_svc_is() {
	[ "$2" = "$3" ] && return 0
	printf '%s: expected %q, got %q\n' "$1" "$3" "$2"
	return 1
}

# _svc_reap: end every background job of the workload and whatever they started (SIGTERM, up to
# 5 s each, then SIGKILL), and reap them. Servers are jobs of the workload's subshell.
_svc_reap() {
	local p jl pids=()
	jl=$(jobs -p)
	for p in $jl; do
		# shellcheck disable=SC2207
		pids+=($(sw_tree "$p") "$p")
	done
	[ "${#pids[@]}" -gt 0 ] || return 0
	kill -TERM "${pids[@]}" 2>/dev/null
	for p in "${pids[@]}"; do
		wait_until 5 sw_gone "$p" || kill -KILL "$p" 2>/dev/null
	done
	wait 2>/dev/null
	return 0
}

# _svc_port: a free port in SVC_PORT.
_svc_port() { SVC_PORT=$(free_port) || { echo "no free port"; return 1; }; }

# _svc_sshd: the test's own sshd in the foreground on a free port of 127.0.0.1 (SVC_PORT), with
# its own config, host key, authorized_keys and pid file; SVC_SSH: the client's options (no
# config file, no agent, no known_hosts). Without PAM, sshd refuses a locked account ("!" in
# /etc/shadow) even with a key, so PAM is used only when root's is locked.
_svc_sshd() {
	local pam=no
	unset SSH_AUTH_SOCK
	_svc_port || return 1
	[[ "$(getent shadow root | cut -d: -f2)" == '!'* ]] && pam=yes
	cat >sshd_config <<X
Port $SVC_PORT
ListenAddress 127.0.0.1
HostKey $SVC_KEYS/host_ed25519
PidFile $PWD/sshd.pid
AuthorizedKeysFile $SVC_KEYS/authorized_keys
StrictModes no
UsePAM $pam
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PrintMotd no
PrintLastLog no
Subsystem sftp $SVC_SFTP
X
	"$SVC_SSHD" -D -f "$PWD/sshd_config" -E "$PWD/sshd.log" &
	if ! wait_until 10 listening "$SVC_PORT"; then
		echo "sshd did not listen on $SVC_PORT:"
		cat sshd.log
		return 1
	fi
	SVC_SSH=(-F /dev/null -i "$SVC_KEYS/root_ed25519" -o IdentitiesOnly=yes -o BatchMode=yes
		-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR
		-o ConnectTimeout=5)
}

# _svc_http: a local web server (python's http.server) on a free port serving ./www:
# index.html says health-ok; x.sh is a script it only serves.
_svc_http() {
	mkdir -p www && echo health-ok >www/index.html &&
		printf '#!/bin/sh\necho served-not-run\n' >www/x.sh || return 1
	_svc_port || return 1
	"$SW_PY" -m http.server --bind 127.0.0.1 --directory "$PWD/www" "$SVC_PORT" >http.log 2>&1 &
	wait_until 10 listening "$SVC_PORT" || { echo "http.server did not listen"; cat http.log; return 1; }
}

# _svc_cgi_script DIR: DIR/cgi-bin/hello.sh, a shell CGI script: a GET answers with its query
# string, a POST with the body it reads from stdin.
_svc_cgi_script() {
	mkdir -p "$1/cgi-bin" && cat >"$1/cgi-bin/hello.sh" <<'X' && chmod 755 "$1/cgi-bin/hello.sh"
#!/bin/sh
echo "Content-Type: text/plain"
echo
if [ "$REQUEST_METHOD" = POST ]; then
	body=$(head -c "${CONTENT_LENGTH:-0}")
	echo "cgi-post $body"
else
	echo "cgi-get ${QUERY_STRING:-none} $(uname -s)"
fi
X
}

# _svc_cgi_fetch PORT PATH: GET and POST the CGI script with curl; true when both answers are right.
_svc_cgi_fetch() {
	local url=http://127.0.0.1:$1$2 get post
	get=$(timeout 10 curl -fsS "$url?who=curl") || { echo "GET $url failed"; return 1; }
	post=$(timeout 10 curl -fsS --data-binary sw-body "$url") || { echo "POST $url failed"; return 1; }
	_svc_is "GET $2" "$get" "cgi-get who=curl $(uname -s)" && _svc_is "POST $2" "$post" "cgi-post sw-body"
}

# _svc_answer_script: ./answer.sh, an inetd-style service: reads a line, answers it.
_svc_answer_script() {
	cat >answer.sh <<'X'
read -r line
echo "hello $line from $(uname -s)"
X
}

# _svc_ask PORT: one line to the service with socat, one with nc; true when both answers are right.
_svc_ask() {
	local a b
	a=$(echo socat | timeout 10 socat -t 5 - "TCP:127.0.0.1:$1")
	b=$(echo nc | timeout 10 nc 127.0.0.1 "$1")
	_svc_is "socat client" "$a" "hello socat from $(uname -s)" &&
		_svc_is "nc client" "$b" "hello nc from $(uname -s)"
}

# ---- workloads: each runs in its own scratch directory (the current one) and subshell ----------

# 1. openssh: the test's own sshd, real clients.
wl_ssh_command() {
	local a b
	_svc_sshd || { _svc_reap; return 1; }
	a=$(timeout 20 ssh "${SVC_SSH[@]}" -p "$SVC_PORT" root@127.0.0.1 echo hi </dev/null)
	b=$(timeout 20 ssh "${SVC_SSH[@]}" -p "$SVC_PORT" root@127.0.0.1 'uname -s; id -u' </dev/null)
	_svc_reap
	_svc_is "ssh host echo hi" "$a" hi && _svc_is "ssh host 'uname -s; id -u'" "$b" "$(uname -s)"$'\n'0
}

# ssh -tt: a login shell on a pty, the command typed on stdin.
wl_ssh_tty() {
	_svc_sshd || { _svc_reap; return 1; }
	printf 'echo typed-$((6*7)); exit\n' |
		timeout 20 ssh -tt "${SVC_SSH[@]}" -p "$SVC_PORT" root@127.0.0.1 >tty.out 2>&1
	_svc_reap
	grep -aq 'typed-42' tty.out || { echo "no typed-42 from ssh -tt:"; cat -v tty.out; return 1; }
}

# ssh -T: no command line, no pty; the login shell reads its commands from stdin.
wl_ssh_stdin() {
	local out
	_svc_sshd || { _svc_reap; return 1; }
	out=$(printf 'echo t-$((6*7))\nid -u\nexit\n' |
		timeout 20 ssh -T "${SVC_SSH[@]}" -p "$SVC_PORT" root@127.0.0.1)
	_svc_reap
	_svc_is "ssh -T with commands on stdin" "$out" $'t-42\n0'
}

# scp both ways (sftp, the default), and up with the legacy protocol (-O: `scp -t` on the server).
wl_ssh_scp() {
	local rc r=root@127.0.0.1:$PWD/remote
	_svc_sshd || { _svc_reap; return 1; }
	mkdir -p remote && head -c 65536 /dev/urandom >up.bin
	timeout 20 scp -q "${SVC_SSH[@]}" -P "$SVC_PORT" up.bin "$r/up.bin" &&
		timeout 20 scp -q "${SVC_SSH[@]}" -P "$SVC_PORT" "$r/up.bin" down.bin &&
		timeout 20 scp -q -O "${SVC_SSH[@]}" -P "$SVC_PORT" up.bin "$r/legacy.bin" </dev/null
	rc=$?
	_svc_reap
	[ "$rc" = 0 ] && cmp up.bin remote/up.bin && cmp up.bin down.bin && cmp up.bin remote/legacy.bin
}

# rsync over ssh, push then pull.
wl_ssh_rsync() {
	local rc e
	_svc_sshd || { _svc_reap; return 1; }
	e="ssh ${SVC_SSH[*]} -p $SVC_PORT"
	mkdir -p src/sub && seq 1 2000 >src/numbers && echo leaf >src/sub/file
	timeout 30 rsync -a -e "$e" src/ "root@127.0.0.1:$PWD/dst/" </dev/null &&
		timeout 30 rsync -a -e "$e" "root@127.0.0.1:$PWD/dst/" back/ </dev/null
	rc=$?
	_svc_reap
	[ "$rc" = 0 ] && diff -r src dst && diff -r src back
}

# git over ssh (ssh://root@127.0.0.1:PORT/path): clone, then push a commit back.
wl_ssh_git() {
	local rc g="git -c user.name=t -c user.email=t@localhost -c init.defaultBranch=main"
	$g init -q --bare srv/repo.git && $g init -q work && echo one >work/a &&
		(cd work && $g add a && $g commit -qm one && $g push -q ../srv/repo.git HEAD:main) ||
		return 1
	_svc_sshd || { _svc_reap; return 1; }
	export GIT_SSH_COMMAND="ssh ${SVC_SSH[*]}"
	timeout 30 $g clone -q "ssh://root@127.0.0.1:$SVC_PORT$PWD/srv/repo.git" clone </dev/null &&
		echo two >>clone/a && (cd clone && $g commit -qam two && timeout 30 $g push -q origin HEAD:main) </dev/null
	rc=$?
	_svc_reap
	[ "$rc" = 0 ] && _svc_is "cloned file" "$(cat clone/a)" $'one\ntwo' &&
		_svc_is "pushed commits" "$(git --git-dir=srv/repo.git rev-list --count main)" 2
}

# ssh through a ProxyCommand: nc holds the connection, ssh talks to it through pipes.
wl_ssh_proxycommand() {
	local out
	_svc_sshd || { _svc_reap; return 1; }
	out=$(timeout 20 ssh "${SVC_SSH[@]}" -o ProxyCommand='nc %h %p' -p "$SVC_PORT" root@127.0.0.1 \
		echo proxied </dev/null)
	_svc_reap
	_svc_is "ssh -o ProxyCommand='nc %h %p' host echo proxied" "$out" proxied
}

# 2. shell CGI scripts under real web servers.
wl_cgi_busybox() {
	local rc
	_svc_cgi_script www && _svc_port || return 1
	busybox httpd -f -p "127.0.0.1:$SVC_PORT" -h "$PWD/www" &
	wait_until 10 listening "$SVC_PORT" && _svc_cgi_fetch "$SVC_PORT" /cgi-bin/hello.sh
	rc=$?
	_svc_reap
	return "$rc"
}

# lighttpd with its own config and mod_cgi: `/bin/sh hello.sh` per request.
wl_cgi_lighttpd() {
	local rc
	_svc_cgi_script www && _svc_port || return 1
	cat >lighttpd.conf <<X
server.document-root = "$PWD/www"
server.bind = "127.0.0.1"
server.port = $SVC_PORT
server.errorlog = "$PWD/lighttpd.err"
server.upload-dirs = ( "$PWD" )
server.modules = ( "mod_cgi" )
cgi.assign = ( ".sh" => "/bin/sh" )
X
	"$SVC_LIGHTTPD" -D -f "$PWD/lighttpd.conf" &
	wait_until 10 listening "$SVC_PORT" && _svc_cgi_fetch "$SVC_PORT" /cgi-bin/hello.sh
	rc=$?
	[ "$rc" = 0 ] || cat lighttpd.err
	_svc_reap
	return "$rc"
}

# python's http.server --cgi: forks, puts the connection on the script's stdin and stdout, execs it.
wl_cgi_python() {
	local rc
	_svc_cgi_script www && _svc_port || return 1
	"$SW_PY" -m http.server --cgi --bind 127.0.0.1 --directory "$PWD/www" "$SVC_PORT" >http.log 2>&1 &
	wait_until 10 listening "$SVC_PORT" && _svc_cgi_fetch "$SVC_PORT" /cgi-bin/hello.sh
	rc=$?
	[ "$rc" = 0 ] || cat http.log
	_svc_reap
	return "$rc"
}

# 3. inetd-style services: a shell script per connection, and /bin/date.
wl_inetd_socat_sh() {
	local rc
	_svc_answer_script && _svc_port || return 1
	socat "TCP-LISTEN:$SVC_PORT,bind=127.0.0.1,fork,reuseaddr" EXEC:"/bin/sh $PWD/answer.sh" &
	wait_until 10 listening "$SVC_PORT" && _svc_ask "$SVC_PORT"
	rc=$?
	_svc_reap
	return "$rc"
}

wl_inetd_socat_date() {
	local rc a b y
	_svc_port || return 1
	socat "TCP-LISTEN:$SVC_PORT,bind=127.0.0.1,fork,reuseaddr" EXEC:/bin/date &
	wait_until 10 listening "$SVC_PORT" &&
		a=$(timeout 10 socat -u "TCP:127.0.0.1:$SVC_PORT" -) &&
		b=$(timeout 10 nc 127.0.0.1 "$SVC_PORT" </dev/null)
	rc=$?
	_svc_reap
	y=$(date +%Y)
	[ "$rc" = 0 ] && [[ "$a" == *"$y"* && "$b" == *"$y"* ]] ||
		{ echo "date service: rc=$rc, got '$a' and '$b'"; return 1; }
}

# openbsd-inetd with its own config file (no daemon, no pid file: -d -i), the same script.
wl_inetd_openbsd() {
	local rc
	_svc_answer_script && _svc_port || return 1
	echo "127.0.0.1:$SVC_PORT stream tcp nowait root /bin/sh sh $PWD/answer.sh" >inetd.conf
	"$SVC_INETD" -d -i "$PWD/inetd.conf" >inetd.log 2>&1 &
	wait_until 10 listening "$SVC_PORT" && _svc_ask "$SVC_PORT"
	rc=$?
	[ "$rc" = 0 ] || cat inetd.log
	_svc_reap
	return "$rc"
}

# 4. git daemon and a git:// clone.
wl_git_daemon() {
	local rc g="git -c user.name=t -c user.email=t@localhost -c init.defaultBranch=main"
	$g init -q work && echo one >work/a && (cd work && $g add a && $g commit -qm one) &&
		$g clone -q --bare work srv/repo.git && _svc_port || return 1
	git daemon --reuseaddr --base-path="$PWD/srv" --export-all --port="$SVC_PORT" \
		--listen=127.0.0.1 2>daemon.log &
	wait_until 10 listening "$SVC_PORT" &&
		timeout 30 git clone -q "git://127.0.0.1:$SVC_PORT/repo.git" clone </dev/null
	rc=$?
	_svc_reap
	[ "$rc" = 0 ] && _svc_is "git:// clone" "$(cat clone/a)" one
}

# 5. a node server running child_process.exec (sh -c) per request; port in ./port.
wl_node_exec() {
	local rc i out=
	cat >server.js <<'X'
const http = require("http"), cp = require("child_process"), fs = require("fs");
let left = Number(process.argv[2]), n = 0;
const srv = http.createServer((req, res) => {
	cp.exec("echo node-ok " + ++n, (err, stdout) => {
		res.end(err ? "error\n" : stdout);
		if (--left === 0) srv.close();
	});
});
srv.listen(0, "127.0.0.1", () => {
	fs.writeFileSync("port.tmp", String(srv.address().port));
	fs.renameSync("port.tmp", "port");
});
setTimeout(() => process.exit(1), 30000).unref();
X
	timeout 40 node server.js 3 >node.log 2>&1 &
	wait_until 10 test -s port || { echo "node did not start"; cat node.log; _svc_reap; return 1; }
	for i in 1 2 3; do
		out+=$(timeout 10 curl -fsS "http://127.0.0.1:$(<port)/req$i")$'\n'
	done
	_svc_reap
	_svc_is "node answers" "$out" $'node-ok 1\nnode-ok 2\nnode-ok 3\n'
}

# 6. a python client: fetches a URL, then runs sh -c 'echo one' (inside the fetch); three times.
wl_python_fetch_sh() {
	local rc
	_svc_http || { _svc_reap; return 1; }
	cat >fetch.py <<'X'
import subprocess, sys, urllib.request
for i in range(3):
	with urllib.request.urlopen(sys.argv[1], timeout=10) as r:
		body = r.read().decode()
		out = subprocess.run(["sh", "-c", "echo one"], capture_output=True, text=True,
				     timeout=10).stdout
	if body != "health-ok\n" or out != "one\n":
		sys.exit("fetch %d: got %r and %r" % (i, body, out))
X
	timeout 30 "$SW_PY" fetch.py "http://127.0.0.1:$SVC_PORT/"
	rc=$?
	_svc_reap
	return "$rc"
}

# 7. health checks.
wl_health_dev_tcp_cat() {
	local out
	_svc_http || { _svc_reap; return 1; }
	out=$(timeout 10 bash -c "exec 3<>/dev/tcp/127.0.0.1/$SVC_PORT; printf \"GET / HTTP/1.0\\r\\n\\r\\n\" >&3; cat <&3")
	_svc_reap
	[[ "$out" == "HTTP/1.0 200 OK"* && "$out" == *health-ok ]] ||
		{ echo "bash /dev/tcp + cat got: $out"; return 1; }
}

wl_health_dev_tcp_head() {
	local out
	_svc_http || { _svc_reap; return 1; }
	out=$(timeout 10 bash -c "exec 3<>/dev/tcp/127.0.0.1/$SVC_PORT; printf \"GET / HTTP/1.0\\r\\n\\r\\n\" >&3; head -n1 <&3")
	_svc_reap
	_svc_is "bash /dev/tcp + head -n1" "${out%$'\r'}" "HTTP/1.0 200 OK"
}

# A port check says open for the server's port and closed for a free one.
wl_health_port_checks() {
	local rc closed
	_svc_http || { _svc_reap; return 1; }
	closed=$(free_port) || { _svc_reap; return 1; }
	timeout 1 bash -c "echo > /dev/tcp/127.0.0.1/$SVC_PORT" && timeout 10 nc -z 127.0.0.1 "$SVC_PORT" &&
		! timeout 1 bash -c "echo > /dev/tcp/127.0.0.1/$closed" 2>/dev/null &&
		! timeout 10 nc -z 127.0.0.1 "$closed" 2>/dev/null
	rc=$?
	_svc_reap
	[ "$rc" = 0 ] || echo "port checks: wrong answer (open $SVC_PORT, closed $closed)"
	return "$rc"
}

wl_health_fetch() {
	local a b
	_svc_http || { _svc_reap; return 1; }
	a=$(timeout 10 curl -s "http://127.0.0.1:$SVC_PORT/x.sh")
	b=$(timeout 10 wget -q -O - "http://127.0.0.1:$SVC_PORT/")
	_svc_reap
	_svc_is "curl x.sh" "$a" "$(cat www/x.sh)" && _svc_is "wget /" "$b" health-ok
}

# 8. a package with a postinst: dpkg -i, then dpkg -r; nothing may be left behind.
# _svc_dpkg ARGS: dpkg, retried (up to 60 s) while another dpkg or apt holds the lock.
_svc_dpkg_try() {
	timeout 60 dpkg "$@" >dpkg.out 2>&1
	SVC_DPKG_RC=$?
	[ "$SVC_DPKG_RC" = 0 ] || ! grep -qi 'lock' dpkg.out
}
_svc_dpkg() {
	SVC_DPKG_RC=1
	wait_until 60 _svc_dpkg_try "$@"
	cat dpkg.out
	return "$SVC_DPKG_RC"
}
# _svc_pkg_left: true while dpkg knows the package in any state but "not installed".
_svc_pkg_left() {
	local s
	s=$(dpkg-query -W -f='${db:Status-Abbrev}' "$SVC_PKG" 2>/dev/null)
	[ -n "$s" ] && [[ $s != un* ]]
}

wl_dpkg_postinst() {
	local rc d=deb/usr/share/$SVC_PKG
	if _svc_pkg_left; then # left by an earlier run that was killed: the name is this test's own
		echo "purging $SVC_PKG, left behind by an earlier run"
		_svc_dpkg -P "$SVC_PKG" || return 1
	fi
	mkdir -p deb/DEBIAN "$d" && printf 'line one\nline two\n' >"$d/README" &&
		cat >deb/DEBIAN/control <<X &&
Package: $SVC_PKG
Version: 1.0
Architecture: all
Maintainer: shellwatch tests <root@localhost>
Section: misc
Priority: optional
Description: throwaway package of shellwatch's services test
 Installed and removed again by tests/benign/services.sh.
X
		cat >deb/DEBIAN/postinst <<X && chmod 755 deb/DEBIAN/postinst &&
#!/bin/sh
set -e
if [ "\$1" = configure ]; then
	n=\$(grep -c . /usr/share/$SVC_PKG/README)
	ls -l /usr/share/$SVC_PKG >/dev/null
	echo "sw-postinst \$(uname -s) lines=\$n"
fi
X
		timeout 30 dpkg-deb --root-owner-group -Zgzip --build deb pkg.deb >/dev/null || return 1
	_svc_dpkg -i pkg.deb >install.log
	rc=$?
	_svc_dpkg -r "$SVC_PKG" >remove.log || rc=1
	_svc_pkg_left && { _svc_dpkg -P "$SVC_PKG" >>remove.log || rc=1; }
	cat install.log remove.log
	[ "$rc" = 0 ] && grep -qx "sw-postinst $(uname -s) lines=2" install.log || return 1
	[ ! -e "/usr/share/$SVC_PKG" ] || { echo "/usr/share/$SVC_PKG left behind"; return 1; }
	! _svc_pkg_left || { echo "dpkg still knows $SVC_PKG"; return 1; }
}

# ---- the test -----------------------------------------------------------------------------------

# _svc_no_alert JSON PIDS: no alert of a process or parent in PIDS (show_alerts.py printed them).
_svc_no_alert() { expect_no_detection "$@" >/dev/null; }

main() {
	local json=$SW_TMP/alerts.json trace=$SW_TMP/services.trace w m i pids n t0 names=() roots=()
	live_available >/dev/null || require_live "services under shellwatch run"
	sw_run_implemented || { tap_skip "services under shellwatch run" "run not implemented"; exit 0; }
	sw_record_implemented ||
		{ tap_skip "services under shellwatch run" "record not implemented"; exit 0; }
	svc_setup || { tap_fail "ssh keys and /run/sshd set up" "see the stderr above"; exit 0; }
	t0=$SECONDS
	SW_RUN_OPTS="--kill ${SW_RUN_OPTS:-}" sw_run_start "$json" ||
		{ tap_fail "shellwatch run --kill starts" "see the stderr above"; exit 0; }
	sw_record_start "$trace" || { tap_fail "shellwatch record starts" "see the stderr above"; exit 0; }
	for w in "${SERVICES[@]}"; do
		m=$(svc_missing "$w")
		if [ -n "$m" ]; then
			echo "# !!! WORKLOAD $w NOT RUN: $m is not installed (tools/deps.sh install) !!!" >&2
			tap_skip "workload $w" "!!! NOT RUN: $m is not installed"
			continue
		fi
		if wl_run "$w"; then
			tap_ok "workload $w"
			names+=("$w") roots+=("$WL_PID")
		else
			tap_fail "workload $w" "$(tail -n 8 "$SW_TMP/benign-$w.log")"
		fi
		printf '# %s: %d ms\n' "$w" $((WL_US / 1000))
	done
	# Stop run last: every exec of the workloads has been judged by then (run drains on SIGTERM).
	sw_record_stop
	sw_run_stop
	sed 's/^/# run: /' "$SW_RUN_ERR" | tail -n 3
	check "run --kill killed nothing (0 in the kernel, 0 from user space)" \
		grep -q '; 0 killed in the kernel at exec, 0 from user space, 0 kills failed' "$SW_RUN_ERR"
	for i in "${!names[@]}"; do
		pids=$("$SW_PY" "$SW_SHELLS_DIR/trace_check.py" tree "$trace" --root "${roots[$i]}")
		n=${pids//[^,]/}
		"$SW_PY" "$SW_ROOT/tests/benign/show_alerts.py" "$json" --pids "$pids" --prefix "${names[$i]}"
		if _svc_no_alert "$json" "$pids"; then
			tap_ok "${names[$i]}: no alert for its $((${#n} + 1)) processes"
		else
			tap_fail "${names[$i]}: no alert for its $((${#n} + 1)) processes" "alerts above"
		fi
	done
	echo "# services: $((SECONDS - t0)) s under shellwatch run"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
	source "$SW_ROOT/tests/shells/detect.sh"
	main
fi
