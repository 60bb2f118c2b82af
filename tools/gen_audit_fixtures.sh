#!/usr/bin/env bash
# gen_audit_fixtures.sh: capture the auditd fixtures under tests/fixtures/ again (root; loopback only).
#   tools/gen_audit_fixtures.sh [OUTDIR]     default tests/fixtures
# Starts a private auditd (tests/shells/auditd.sh: its own config and log; the system's auditd is
# used, not touched, when one runs), puts this script in an audit session of its own and adds the
# rules of docs/auditd.md limited to that session, so the logs hold this script's processes only.
#   auditd_reverse_shells.log.gz    real remote shells on 127.0.0.1 (tests/shells/techniques.sh),
#                                   log_format RAW
#   auditd_reverse_shells.manifest  one line per technique: name kind root_pid shell_pid port
#                                   peer listener_pid (SW_T_* of techniques.sh)
#   auditd_benign.log.gz            a build, git, dpkg-query, shell pipelines and a local HTTP
#                                   fetch, log_format ENRICHED: no remote shell in it
# Then removes its rules, restores the kernel's audit state and stops its auditd.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/tests/fixtures}
export SW_ROOT=$root SW_BUILD=${SW_BUILD:-$root/build}
. "$root/tests/lib.sh"
. "$root/tests/shells/techniques.sh"
. "$root/tests/shells/auditd.sh"
TECHS=(bash_tcp sh_fd196 python_dup2 perl_socket nc_traditional_e python_bind socat_exec mkfifo_nc
	c_dup3_fcntl)

die() { echo "gen_audit_fixtures: $*" >&2; exit 1; }

why=$(sw_audit_missing)
[ -z "$why" ] || die "$why"
mkdir -p "$out" || exit 1
sw_audit_session
[ -n "$SW_AUDIT_SES" ] || die "cannot start an audit session of our own (loginuid)"
trap 'sw_audit_end /dev/null 2>/dev/null; sw_cleanup' EXIT

# capture NAME FORMAT FUNCTION: FUNCTION's processes into $out/NAME.log.gz
capture() {
	local name=$1 n
	sw_audit_begin "$SW_TMP/audit-$name" "$2" || die "cannot start auditd"
	sw_audit_rules_add "sw-fixture-$$" "$SW_AUDIT_SES" || die "auditctl refused the rules"
	"$3"
	sw_audit_end "$SW_TMP/$name.log" || die "the log of $name is incomplete"
	n=$(grep -c 'type=SYSCALL' "$SW_TMP/$name.log")
	gzip -9n <"$SW_TMP/$name.log" >"$out/$name.log.gz"
	echo "$name: $n SYSCALL records, $(stat -c %s "$out/$name.log.gz") bytes gzip"
}

shells() {
	local t miss
	printf '# name kind root_pid shell_pid port peer listener_pid\n' >"$SW_TMP/manifest"
	for t in "${TECHS[@]}"; do
		miss=$(sw_tech_missing "$t")
		if [ -n "$miss" ]; then
			echo "# $t left out: $miss is missing" >&2
			continue
		fi
		sw_tech_run "$t" || { echo "# $t: the listener got no shell" >&2; continue; }
		sw_tech_describe
		printf '%s %s %s %s %s %s %s\n' "$t" "$SW_T_KIND" "$SW_T_ROOT_PID" \
			"${SW_T_SHELL_PID:-?}" "$SW_T_PORT" "${SW_T_PEER:-?}" "$SW_T_LISTENER_PID" \
			>>"$SW_TMP/manifest"
	done
}

benign() {
	local w=$SW_TMP/work port srv
	mkdir -p "$w" && cd "$w" || return 1
	printf '#include <stdio.h>\nint main(void) { puts("hello"); return 0; }\n' >hello.c
	printf 'hello: hello.c\n\tcc -O2 -o hello hello.c\n' >Makefile
	make -s >/dev/null && ./hello >/dev/null
	git init -q . && git add . && git -c user.name=t -c user.email=t@t commit -qm x && git log --oneline >/dev/null
	dpkg-query -W bash coreutils >/dev/null
	ls /usr/bin | sort | head -n 3 >/dev/null
	sh -c 'exec 3>&1; echo fd3 >&3; exec 2>&1; ls -d / >&2' >/dev/null
	bash -c 'for i in 1 2 3; do echo "$i"; done | wc -l' >/dev/null
	"$SW_PY" -c 'import subprocess, threading
t = threading.Thread(target=lambda: None); t.start(); t.join()
subprocess.run(["/bin/echo", "a b", "x\ty"], stdout=subprocess.DEVNULL)' || true
	# a local web server and a client, as program files (`python -c 'urlopen(...)'` scores high)
	printf '%s\n' 'import http.server, sys' \
		'http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), http.server.SimpleHTTPRequestHandler).serve_forever()' >srv.py
	printf '%s\n' 'import sys, urllib.request' \
		'urllib.request.urlopen("http://127.0.0.1:%s/" % sys.argv[1]).read()' >fetch.py
	port=$(free_port) && {
		"$SW_PY" srv.py "$port" >/dev/null 2>&1 &
		srv=$!
		wait_until 10 listening "$port" && "$SW_PY" fetch.py "$port"
		kill "$srv" 2>/dev/null
		wait "$srv" 2>/dev/null
	}
	cd "$root" || return 1
}

capture auditd_reverse_shells RAW shells
cp "$SW_TMP/manifest" "$out/auditd_reverse_shells.manifest"
capture auditd_benign ENRICHED benign
cat "$out/auditd_reverse_shells.manifest"
