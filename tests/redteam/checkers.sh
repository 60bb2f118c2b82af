#!/usr/bin/env bash
# checkers.sh: the suites' trace and detection checkers (tests/shells/trace_check.py,
# detection_check.py) answer right on hand-written traces and JSON lines: each question once with
# a yes and once with a no, so a checker that always says yes (or no) fails here. No root needed.
source "$(dirname "$0")/../lib.sh"
source "$SW_ROOT/tests/shells/techniques.sh" # SW_PY
TC="$SW_PY $SW_ROOT/tests/shells/trace_check.py"
DC="$SW_PY $SW_ROOT/tests/shells/detection_check.py"
no() { ! "$@" >/dev/null; }
yes() { "$@" >/dev/null; }
T=$SW_TMP/t.trace

# A reverse shell: 100 forks 101, which runs sh with the socket on stdio.
cat >"$T" <<'X'
# a comment
fork pid=100 ppid=1 uid=0 t=1 comm=bash child=101
execve pid=101 ppid=100 uid=0 t=2 comm=sh exe=/bin/sh argv="sh -i" fd0=sock:inet fd1=sock:inet fd2=pipe peer0=127.0.0.1:4444 local0=127.0.0.1:50000 peer1=127.0.0.1:4444 local1=127.0.0.1:50000 => 0
execve pid=900 ppid=1 uid=0 t=3 comm=x exe=/bin/x argv="x fd0=sock:inet peer0=127.0.0.1:7777" fd0=pipe fd1=pipe fd2=pipe => 0
X
check "stdio shell found under its root" yes $TC shell "$T" --root 100 --port 4444 --kind stdio
check "stdio shell found with its own pid" yes $TC shell "$T" --root 100 --port 4444 --shell 101
check "stdio: another port is not it" no $TC shell "$T" --root 100 --port 4445
check "stdio: another tree is not it" no $TC shell "$T" --root 555 --port 4444
check "stdio: another pid of the tree is not the shell" no $TC shell "$T" --root 100 --port 4444 --shell 100
check "stdio: words inside a quoted argv are not arguments" no $TC shell "$T" --root 900 --port 7777
check "clean: a socket on stdio is reported" no $TC clean "$T"
check "clean: a tree without one is clean" yes $TC clean "$T" --root 900

# Relays: a pty child of the connecting process, and a pipeline sibling of it.
cat >"$T" <<'X'
connect pid=200 ppid=1 uid=0 t=1 comm=python3 fd=3 family=inet addr=127.0.0.1 port=5555 => 0
fork pid=200 ppid=1 uid=0 t=2 comm=python3 child=201
execve pid=201 ppid=200 uid=0 t=3 comm=sh exe=/bin/sh argv=/bin/sh fd0=tty fd1=tty fd2=tty => 0
fork pid=300 ppid=1 uid=0 t=4 comm=bash child=301
fork pid=300 ppid=1 uid=0 t=5 comm=bash child=302
connect pid=301 ppid=300 uid=0 t=6 comm=nc fd=3 family=inet addr=127.0.0.1 port=6666 => 0
execve pid=302 ppid=300 uid=0 t=7 comm=sh exe=/bin/sh argv="/bin/sh -i" fd0=pipe fd1=pipe fd2=pipe => 0
connect pid=400 ppid=1 uid=0 t=8 comm=curl fd=3 family=inet addr=127.0.0.1 port=8888 => 0
fork pid=500 ppid=1 uid=0 t=9 comm=make child=501
execve pid=501 ppid=500 uid=0 t=10 comm=sh exe=/bin/sh argv="sh -c cc" fd0=pipe fd1=pipe fd2=pipe => 0
fork pid=600 ppid=1 uid=0 t=11 comm=bash child=610
fork pid=600 ppid=1 uid=0 t=12 comm=bash child=620
connect pid=610 ppid=600 uid=0 t=13 comm=nc fd=3 family=inet addr=127.0.0.1 port=9999 => 0
fork pid=620 ppid=600 uid=0 t=14 comm=bash child=621
execve pid=621 ppid=620 uid=0 t=15 comm=sh exe=/bin/sh argv=sh fd0=pipe fd1=pipe fd2=pipe => 0
X
check "lineage: pty child of the connecting process" yes $TC shell "$T" --root 200 --port 5555 --kind lineage --shell 201
check "lineage: pipeline sibling of the connecting process" yes $TC shell "$T" --root 300 --port 6666 --kind lineage
check "lineage: a connect elsewhere in the system is not kin" no $TC shell "$T" --root 500 --port 8888 --kind lineage
check "lineage: a cousin's connect is not kin" no $TC shell "$T" --root 600 --port 9999 --kind lineage --shell 621
check "tree: descendants through fork and ppid" test "$($TC tree "$T" --root 600)" = 600,610,620,621
check "lineage: relays are not stdio shells" no $TC shell "$T" --root 300 --port 6666 --kind stdio
check "clean: relays hold no socket on stdio" yes $TC clean "$T"
: >"$T"
check "clean: a trace without execs proves nothing" no $TC clean "$T"

# Bind relays and commands off the wire (issue 15): an accepted connection counts like a connect;
# a wire shell is a command line carrying the attacker's marker, run by the holder of the connection.
cat >"$T" <<'X'
accept4 pid=700 ppid=1 uid=0 t=1 comm=node fd=20 local=127.0.0.1:7000 family=inet addr=127.0.0.1 port=50001 => 22
fork pid=700 ppid=1 uid=0 t=2 comm=node child=701
execve pid=701 ppid=700 uid=0 t=3 comm=sh exe=/bin/sh argv=/bin/sh fd0=sock:unix fd1=sock:unix fd2=sock:unix => 0
accept pid=710 ppid=1 uid=0 t=4 comm=x fd=3 local=127.0.0.1:7100 family=inet addr=127.0.0.1 port=50002 => -11
fork pid=710 ppid=1 uid=0 t=5 comm=x child=711
execve pid=711 ppid=710 uid=0 t=6 comm=sh exe=/bin/sh argv=/bin/sh fd0=pipe fd1=pipe fd2=pipe => 0
connect pid=800 ppid=1 uid=0 t=7 comm=gawk fd=3 family=inet addr=127.0.0.1 port=8000 => 0
fork pid=800 ppid=1 uid=0 t=8 comm=gawk child=801
execve pid=801 ppid=800 uid=0 t=9 comm=sh exe=/bin/sh argv="sh -c echo sw-pid=$PPID; id" fd0=pipe fd1=pipe fd2=file => 0
fork pid=801 ppid=800 uid=0 t=10 comm=sh child=802
execve pid=802 ppid=801 uid=0 t=11 comm=id exe=/usr/bin/id argv=id fd0=pipe fd1=pipe fd2=file => 0
fork pid=800 ppid=1 uid=0 t=12 comm=gawk child=803
execve pid=803 ppid=800 uid=0 t=13 comm=sh exe=/bin/sh argv="sh -c date" fd0=pipe fd1=pipe fd2=file => 0
accept pid=810 ppid=1 uid=0 t=14 comm=lua5.4 fd=3 local=127.0.0.1:8100 family=inet addr=127.0.0.1 port=50003 => 4
fork pid=810 ppid=1 uid=0 t=15 comm=lua5.4 child=811
execve pid=811 ppid=810 uid=0 t=16 comm=sh exe=/bin/sh argv="sh -c echo sw-pid=$PPID; id" fd0=other fd1=pipe fd2=file => 0
fork pid=900 ppid=1 uid=0 t=17 comm=python3 child=901
connect pid=901 ppid=900 uid=0 t=18 comm=python3 fd=3 family=inet addr=127.0.0.1 port=9000 => 0
fork pid=900 ppid=1 uid=0 t=19 comm=python3 child=902
execve pid=902 ppid=900 uid=0 t=20 comm=sh exe=/bin/sh argv="sh -c echo sw-pid=$PPID; id" fd0=pipe fd1=pipe fd2=file => 0
X
check "lineage: the accepting process is kin" yes $TC shell "$T" --root 700 --port 7000 --kind lineage --shell 701
check "lineage: an accept on another port is not" no $TC shell "$T" --root 700 --port 7001 --kind lineage
check "lineage: a failed accept is not a connection" no $TC shell "$T" --root 710 --port 7100 --kind lineage
check "wire: the marker run by the connecting loop" yes $TC shell "$T" --root 800 --port 8000 --kind wire --shell 800
check "wire: found without --shell too" yes $TC shell "$T" --root 800 --port 8000 --kind wire
check "wire: another loop pid is not it" no $TC shell "$T" --root 800 --port 8000 --kind wire --shell 801
check "wire: another port is not it" no $TC shell "$T" --root 800 --port 8001 --kind wire
check "wire: the marker run by the accepting loop" yes $TC shell "$T" --root 810 --port 8100 --kind wire --shell 810
check "wire: a sibling's connection is not the runner's" no $TC shell "$T" --root 900 --port 9000 --kind wire
check "wire: a stdio check does not take a wire exec" no $TC shell "$T" --root 800 --port 8000 --kind stdio

J=$SW_TMP/d.json
printf '%s\n' '{"rule.name":"reverse","process.pid":101,"process.parent.pid":100,"destination.port":4444,"shellwatch.delay_ms":0.5,"shellwatch.severity":"high"}' \
	'{"process":{"pid":201,"parent":{"pid":200}},"destination":{"port":5555}}' >"$J"
check "detection: flat fields match pid and port" yes $DC count "$J" --pids 101 --port 4444
check "detection: nested fields match parent pid and port" yes $DC count "$J" --pids 200 --port 5555
check "detection: a delay within the bound matches" yes $DC count "$J" --pids 101 --max-delay 1
check "detection: a delay over the bound does not" no $DC count "$J" --pids 101 --max-delay 0.1
check "detection: wrong port does not match" no $DC count "$J" --pids 101 --port 5555
check "detection: the severity filter matches high" yes $DC count "$J" --pids 101 --severity high
check "detection: the severity filter rejects another" no $DC count "$J" --pids 101 --severity medium
check "detection: wrong pid does not match" no $DC count "$J" --pids 7 --port 4444
check "detection: count is 2 with no filter" test "$($DC count "$J")" = 2
check "detection: pid and port must both match" no $DC count "$J" --pids 101 --port 5555
check "detection: --either takes the pid alone" yes $DC count "$J" --pids 101 --port 5555 --either
check "detection: --either takes the port alone" yes $DC count "$J" --pids 7 --port 4444 --either
check "detection: --either with neither does not match" no $DC count "$J" --pids 7 --port 5556 --either
check "detection: --either counts each alert once" test "$($DC count "$J" --pids 101,200 --port 4444 --either)" = 2
check "detection: delays prints the matching delay" test "$($DC delays "$J" --pids 101)" = 0.5
check "detection: delays fails when nothing matches" no $DC delays "$J" --pids 7
check "detection: none is false when there are detections" no $DC none "$J"
check "detection: none is false for the pids of a detection" no $DC none "$J" --pids 200
check "detection: none is true for other pids" yes $DC none "$J" --pids 7,8
: >"$J"
check "detection: none is true on empty output" yes $DC none "$J"
echo 'not json' >"$J"
$DC none "$J" >/dev/null 2>&1
check "detection: a non-JSON line is an error (exit 2)" test $? = 2
