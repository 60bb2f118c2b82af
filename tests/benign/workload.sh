#!/usr/bin/env bash
# workload.sh: the benign suite (issue 6). Realistic work that must raise no detection: a C build,
# git, scripts full of redirections and pipelines, a `script` session, python and perl clients of
# a local server (socket never on stdio, even when they run children), a local web server answering
# curl and wget, package queries. Each workload is a function (wl_NAME, bounded in time, all
# traffic on 127.0.0.1); sourcing this file defines them without running anything.
# Run as a test: each workload must succeed; live, under `shellwatch record`, no exec of each
# workload's process tree may have an inet socket on stdio (the fact the detector keys on).
# The same workloads under `shellwatch run`: tests/benign/quiet.sh.
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
source "$SW_ROOT/tests/shells/techniques.sh" # SW_PY, sw_gone, sw_tree
source "$SW_ROOT/tests/shells/record.sh"
WL_TIMEOUT=${WL_TIMEOUT:-60}
WORKLOADS=(compile_c git shell_redirections script_session python_client perl_client web_server
	package_queries)

# ---- workloads: each runs in its own scratch directory (the current one) ----------------------

wl_compile_c() {
	mkdir -p src && cat >src/greet.h <<'X'
int greet(char *buf, int n, const char *who);
X
	cat >src/greet.c <<'X'
#include <stdio.h>
#include "greet.h"
int greet(char *buf, int n, const char *who) { return snprintf(buf, n, "hello, %s", who); }
X
	cat >src/main.c <<'X'
#include <stdio.h>
#include "greet.h"
int main(int argc, char **argv)
{
	char b[64];
	greet(b, sizeof(b), argc > 1 ? argv[1] : "world");
	puts(b);
	return 0;
}
X
	printf 'CFLAGS=-O2 -Wall\nhello: src/main.o src/greet.o\n\t$(CC) $^ -o $@\n' >Makefile
	printf 'src/%%.o: src/%%.c src/greet.h\n\t$(CC) $(CFLAGS) -c $< -o $@\n' >>Makefile
	timeout 60 make -s -j2 >make.log 2>&1 && [ "$(./hello shellwatch)" = "hello, shellwatch" ]
}

wl_git() {
	local g="timeout 30 git -c user.name=t -c user.email=t@localhost -c init.defaultBranch=main"
	$g init -q origin && printf 'one\n' >origin/a && (cd origin && $g add a && $g commit -qm one) &&
		$g clone -q --no-local "file://$PWD/origin" clone 2>/dev/null &&
		printf 'two\n' >>clone/a && (cd clone && $g commit -qam two && $g push -q origin HEAD:side) &&
		(cd origin && $g log --oneline side | wc -l | grep -qx 2)
}

wl_shell_redirections() {
	bash -c '
	exec 3>fd3.log 4<&0 5>&1
	seq 1 200 | awk "{print \$1 % 7}" | sort | uniq -c | sort -rn | head -n 3 >top.txt 2>&1
	{ echo out; echo err >&2; } >both.log 2>&1
	while read -r n; do echo "line $n" >&3; done < <(seq 1 20)
	cat <<EOF | tr a-z A-Z | tee upper.txt >/dev/null
here document
EOF
	exec 0</dev/null 1>redir.log 2>&1
	ls -l . | grep -c . >&5
	diff <(sort top.txt) <(sort top.txt) && echo same
	exec 3>&- 4<&- 5>&-
	' >shell.log 2>&1 && grep -qx same redir.log && [ "$(wc -l <fd3.log)" = 20 ] &&
		grep -qx 'HERE DOCUMENT' upper.txt
}

wl_script_session() {
	timeout 20 script -qec 'id; ls -la; echo sw-script-done' script.log </dev/null >/dev/null 2>&1 &&
		grep -aq sw-script-done script.log
}

# _wl_server N: a local line server (uppercases what it gets) for the client workloads, a program
# in a file like real software; port in ./port. Answers N connections, bounded in time.
_wl_server() {
	cat >server.py <<'X'
import os, socketserver, sys
class Upper(socketserver.StreamRequestHandler):
	def handle(self):
		for line in self.rfile:
			self.wfile.write(line.upper())
socketserver.TCPServer.allow_reuse_address = True
srv = socketserver.TCPServer(("127.0.0.1", 0), Upper)
srv.timeout = 10
with open("port.tmp", "w") as f:
	f.write(str(srv.server_address[1]))
os.rename("port.tmp", "port")
for _ in range(int(sys.argv[1])):
	srv.handle_request()
X
	"$SW_PY" server.py "$1" &
	wait_until 10 test -s port
}

# A python client that keeps its socket on fd >= 3 while it runs children, like real software.
wl_python_client() {
	_wl_server 1 || return 1
	cat >client.py <<'X'
import os, socket, subprocess, sys
s = socket.create_connection(("127.0.0.1", int(open("port").read())))
subprocess.run(["ls", "/"], stdout=subprocess.DEVNULL, close_fds=False)
os.system("true")
s.sendall(b"ping\n")
reply = s.makefile().readline()
s.close()
sys.exit(0 if reply == "PING\n" else 1)
X
	timeout 20 "$SW_PY" client.py && wait
}

wl_perl_client() {
	_wl_server 1 || return 1
	cat >client.pl <<'X'
use strict;
use IO::Socket::INET;
open(my $pf, "<", "port") or die "port: $!";
my $port = <$pf>;
my $s = IO::Socket::INET->new(PeerAddr => "127.0.0.1", PeerPort => $port, Proto => "tcp")
	or die "connect: $!";
system("true");
print $s "pong\n";
my $r = <$s>;
exit($r eq "PONG\n" ? 0 : 1);
X
	timeout 20 perl client.pl && wait
}

wl_web_server() {
	local port
	port=$(free_port) || return 1
	mkdir -p www && echo sw-web-ok >www/index.html
	timeout 30 "$SW_PY" -m http.server --bind 127.0.0.1 --directory www "$port" >web.log 2>&1 &
	wait_until 10 listening "$port" || return 1
	timeout 10 curl -fsS "http://127.0.0.1:$port/" | grep -qx sw-web-ok &&
		timeout 10 wget -q -O - "http://127.0.0.1:$port/index.html" | grep -qx sw-web-ok
	local rc=$?
	kill %% 2>/dev/null
	wait
	return $rc
}

wl_package_queries() {
	timeout 20 dpkg-query -W -f='${Package} ${Version}\n' bash coreutils >pkgs.txt &&
		timeout 20 apt-cache policy bash >policy.txt && grep -q '^bash ' pkgs.txt &&
		grep -q Installed policy.txt && timeout 20 dpkg -L coreutils | grep -q /bin/ls
}

# wl_missing NAME: the first program workload NAME needs that is not installed.
wl_missing() {
	local need p
	case $1 in
	compile_c) need="make cc" ;;
	git) need=git ;;
	script_session) need=script ;;
	perl_client) need=perl ;;
	web_server) need="curl wget" ;;
	package_queries) need="dpkg-query apt-cache" ;;
	esac
	for p in $need "$SW_PY"; do
		command -v "$p" >/dev/null 2>&1 || { echo "$p"; return 0; }
	done
}

# wl_run NAME: run a workload in its own directory and subshell, bounded; WL_PID is the
# subshell's pid (the root of its process tree), WL_US its duration in microseconds.
wl_run() {
	local d=$SW_TMP/benign-$1 t0 rc
	mkdir -p "$d"
	t0=${EPOCHREALTIME/./}
	(cd "$d" && "wl_$1") >"$d.log" 2>&1 &
	WL_PID=$!
	if ! wait_until "$WL_TIMEOUT" sw_gone "$WL_PID"; then
		kill -KILL $(sw_tree "$WL_PID") "$WL_PID" 2>/dev/null
		echo "# $1: killed after ${WL_TIMEOUT}s"
	fi
	wait "$WL_PID"
	rc=$?
	WL_US=$((${EPOCHREALTIME/./} - t0))
	return $rc
}


main() {
	local live=1 why trace=$SW_TMP/benign.trace w m done_names=() roots=()
	why=$(sw_record_live) || live=0
	if [ "$live" = 1 ] && ! sw_record_start "$trace"; then
		tap_fail "shellwatch record starts and captures" "see the stderr above"
		live=0 why="shellwatch record did not start"
	fi
	for w in "${WORKLOADS[@]}"; do
		m=$(wl_missing "$w")
		[ -n "$m" ] && { tap_skip "workload $w" "$m is not installed"; continue; }
		if wl_run "$w"; then
			tap_ok "workload $w"
			done_names+=("$w") roots+=("$WL_PID")
		else
			tap_fail "workload $w" "$(tail -n 5 "$SW_TMP/benign-$w.log")"
		fi
		printf '# %s: %d ms\n' "$w" $((WL_US / 1000))
	done
	[ "$live" = 1 ] || sw_record_skip "benign traces under shellwatch record" "$why"
	sw_record_stop
	sed 's/^/# record: /' "$SW_REC_ERR" | tail -n 3
	for i in "${!done_names[@]}"; do
		check "${done_names[$i]}: no exec with a socket on stdio" \
			"$SW_PY" "$SW_ROOT/tests/shells/trace_check.py" clean "$trace" --root "${roots[$i]}"
	done
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
	main
fi
