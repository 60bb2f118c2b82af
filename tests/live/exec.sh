#!/usr/bin/env bash
# exec.sh: exec events under `shellwatch record`: execveat is told from execve, argv keeps its
# bytes (spaces, quotes, a newline, non-UTF-8) through the trace's quoting, a command line longer
# than the kernel side keeps is cut and marked argv_trunc=1, and stdio kinds (pipe, file, tty-less
# /dev/null as other) are named; fork and exit (status, signal) are reported.
. "$(dirname "$0")/../lib.sh"
require_live "exec events under record"
. "$(dirname "$0")/record.bash"

trace=$SW_TMP/trace
if ! record_start "$trace"; then
	tap_fail "record attaches" "$(cat "$SW_TMP/record.err")"
	exit 0
fi

# execveat: python's os.execve with a file descriptor is fexecve, i.e. execveat(fd, "", AT_EMPTY_PATH).
python3 -c 'import os; fd = os.open("/bin/true", os.O_RDONLY); os.execve(fd, ["true", "via-fd"], {})' &
p1=$!
wait "$p1"
# argv bytes: a space, a quote, a newline and a non-UTF-8 byte; stdin /dev/null, stdout a pipe,
# stderr a file.
/bin/true 'a b' 'say "hi"' $'two\nlines' $'\xff' </dev/null 2>"$SW_TMP/errfile" | cat &
wait $!
# fork and exit: a child killed by SIGKILL, and one exiting with status 3
sleep 30 &
p4=$!
kill -9 "$p4"
{ wait "$p4"; } 2>/dev/null
(exit 3) &
p5=$!
wait "$p5"
# a command line of 6010 bytes: more than the 4096 the kernel side keeps
long=$(printf 'x%.0s' $(seq 6000))
/bin/true "$long" &
p3=$!
wait "$p3"

check "execveat recorded as such" wait_until 10 trace_has "$trace" \
	"^execveat pid=$p1 .* argv=\"true via-fd\" "
check "argv bytes survive quoting" wait_until 10 trace_has "$trace" \
	'^execve pid=[0-9]+ .* exe=/bin/true argv="/bin/true a b say \\"hi\\" two\\nlines \\xff" fd0=other fd1=pipe fd2=file '
check "long argv cut and marked" wait_until 10 trace_has "$trace" \
	"^execve pid=$p3 .* argv=\"/bin/true x+\" argv_trunc=1 "
# /bin/true, a space, then x up to 4096 bytes, the last byte being a cut x rather than a NUL
xs=$(grep -E "^execve pid=$p3 " "$trace" | grep -oE 'argv="/bin/true x+"' | tr -cd x | wc -c)
check "long argv keeps 4096 bytes (x: $xs)" test "$xs" -eq $((4096 - 10))
check "fork of the killed child recorded" wait_until 10 trace_has "$trace" "^fork pid=$$ .* child=$p4\$"
check "exit by SIGKILL recorded with sig=9" wait_until 10 trace_has "$trace" "^exit pid=$p4 ppid=$$ .* code=0 sig=9\$"
check "exit status 3 recorded" wait_until 10 trace_has "$trace" "^exit pid=$p5 ppid=$$ .* code=3\$"
check "record exits 0 on SIGTERM and prints its counts" record_stop
