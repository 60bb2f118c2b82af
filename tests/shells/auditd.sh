# auditd.sh: Linux audit for the suites and tools/gen_audit_fixtures.sh (sourced; needs tests/lib.sh
# for wait_until). Starts a private auditd with its own config and log, or, when the system
# already runs one, uses it without touching it (its rules and config stay; only ours come and
# go). Either way the kernel's enabled flag and backlog limit are put back as they were found.
# The kernel's audit state is one per machine: sw_audit_begin takes a lock (flock on
# SW_AUDIT_LOCKFILE, waiting at most SW_AUDIT_LOCK_WAIT s) that sw_audit_end releases, so two runs
# of the suites on one machine take turns instead of undoing each other's rules and flags.
#   sw_audit_missing            prints why audit cannot be used here (empty: it can)
#   sw_audit_rule_lines KEY [MACHINE]  the auditctl rules of docs/auditd.md, keyed KEY, for
#                               MACHINE (uname -m: x86_64, aarch64; default this one)
#   sw_audit_begin DIR [FORMAT] private auditd writing DIR/audit.log (log_format RAW or ENRICHED,
#                               default ENRICHED), or the system's; sets SW_AUDIT_MODE (private
#                               or system), SW_AUDIT_LOG and where our part of it starts; fails
#                               (status 2) when the lock stays taken
#   sw_audit_session            moves this shell into an audit session of its own (a new
#                               loginuid); sets SW_AUDIT_SES to its id (empty when the kernel
#                               refused). Call it directly, not in $(...): a subshell's own
#                               session would end with it
#   sw_audit_rules_add KEY [SES]  the rules, keyed KEY, limited to session SES when given
#   sw_audit_end OUT            deletes exactly our rules, waits (bounded) until the log shows
#                               that, restores the kernel's state, stops our auditd, and copies
#                               the log from where we started to OUT
# Needs root. Every wait is bounded; nothing is sent anywhere (audit stays on this machine).

: "${SW_AUDIT_TIMEOUT:=10}" "${SW_AUDIT_LOCK_WAIT:=120}"
: "${SW_AUDIT_LOCKFILE:=/tmp/shellwatch-audit.lock}"
SW_AUDIT_MODE= SW_AUDIT_PID= SW_AUDIT_LOG= SW_AUDIT_START=0 SW_AUDIT_KEY= SW_AUDIT_SES=
SW_AUDIT_ENABLED0= SW_AUDIT_BACKLOG0= SW_AUDIT_LOCKPID=

_sw_audit_status() { auditctl -s 2>/dev/null | awk -v k="$1" '$1 == k { print $2; exit }'; }

sw_audit_missing() {
	local p
	if [ "$(id -u)" != 0 ]; then echo "not root"; return 0; fi
	for p in auditd auditctl; do
		command -v "$p" >/dev/null 2>&1 || { echo "$p is not installed (package auditd)"; return 0; }
	done
	if ! auditctl -s >/dev/null 2>&1; then echo "auditctl -s fails (no CAP_AUDIT_CONTROL?)"; return 0; fi
	if [ "$(_sw_audit_status enabled)" = 2 ]; then echo "audit rules are locked (enabled 2)"; return 0; fi
	auditctl -l 2>/dev/null | grep -q 'never,task' &&
		echo "the system's rules have -a never,task: no syscall records at all"
	return 0
}

sw_audit_rule_lines() {
	local k=$1 dups="dup,dup2,dup3" forks="clone,fork,vfork,clone3"
	if [ "${2:-$(uname -m)}" = aarch64 ]; then dups="dup,dup3" forks="clone,clone3"; fi
	cat <<EOF
-a always,exit -F arch=b64 -S connect,accept,accept4 -k $k
-a always,exit -F arch=b64 -S $dups -F success=1 -k $k
-a always,exit -F arch=b64 -S fcntl -F a1=0 -F success=1 -k $k
-a always,exit -F arch=b64 -S fcntl -F a1=1030 -F success=1 -k $k
-a always,exit -F arch=b64 -S execve,execveat -F success=1 -k $k
-a always,exit -F arch=b64 -S $forks -F success=1 -k $k
-a always,exit -F arch=b64 -S exit_group -k $k
EOF
}

# _sw_audit_conf DIR FORMAT: a config that only writes DIR/audit.log, never acts on disk space.
_sw_audit_conf() {
	mkdir -p "$1/plugins" || return 1
	cat >"$1/auditd.conf" <<EOF
local_events = yes
write_logs = yes
log_file = $1/audit.log
log_format = $2
flush = INCREMENTAL_ASYNC
freq = 20
max_log_file = 100
num_logs = 1
max_log_file_action = IGNORE
space_left = 2
space_left_action = IGNORE
admin_space_left = 1
admin_space_left_action = IGNORE
disk_full_action = IGNORE
disk_error_action = IGNORE
plugin_dir = $1/plugins
q_depth = 2000
overflow_action = IGNORE
name_format = NONE
EOF
	chmod 0640 "$1/auditd.conf"
}

_sw_audit_ours() { [ "$(_sw_audit_status pid)" = "$SW_AUDIT_PID" ]; }

_sw_audit_private() {
	_sw_audit_conf "$1" "$2" || return 1
	auditd -n -s nochange -c "$1" >"$1/auditd.out" 2>&1 &
	SW_AUDIT_PID=$!
	if ! wait_until "$SW_AUDIT_TIMEOUT" _sw_audit_ours; then
		echo "# private auditd did not register with the kernel:" >&2
		sed 's/^/#   /' "$1/auditd.out" >&2
		kill "$SW_AUDIT_PID" 2>/dev/null
		SW_AUDIT_PID=
		return 1
	fi
	SW_AUDIT_MODE=private SW_AUDIT_LOG=$1/audit.log SW_AUDIT_START=0
}

# The running auditd's config directory: its -c argument, else /etc/audit.
_sw_audit_confdir() {
	local a prev= dir=/etc/audit
	while IFS= read -r -d '' a; do
		[ "$prev" = -c ] && dir=$a
		prev=$a
	done <"/proc/$1/cmdline"
	echo "$dir"
}

# The system's auditd: its log_file, from where it is now.
_sw_audit_system() {
	local conf
	conf=$(_sw_audit_confdir "$1")/auditd.conf
	SW_AUDIT_LOG=$(awk -F= '$1 ~ /^ *log_file *$/ { gsub(/ /, "", $2); print $2 }' "$conf" 2>/dev/null)
	: "${SW_AUDIT_LOG:=/var/log/audit/audit.log}"
	if [ ! -r "$SW_AUDIT_LOG" ]; then
		echo "# a system auditd (pid $1) runs, but its log $SW_AUDIT_LOG is not readable" >&2
		return 1
	fi
	echo "# a system auditd (pid $1) runs: using it, not touching it; reading $SW_AUDIT_LOG" >&2
	SW_AUDIT_MODE=system SW_AUDIT_START=$(stat -c %s "$SW_AUDIT_LOG")
}

# The lock is held by a background process of its own (a sleep, at most 15 min), so the processes
# the caller starts meanwhile do not inherit it and cannot keep it.
_sw_audit_lock() {
	local ready=$SW_TMP/audit-lock.$BASHPID
	rm -f "$ready"
	(
		exec 9>>"$SW_AUDIT_LOCKFILE" || exit 1
		if ! flock -n 9; then
			echo "# another run holds $SW_AUDIT_LOCKFILE: waiting (at most $SW_AUDIT_LOCK_WAIT s)" >&2
			flock -w "$SW_AUDIT_LOCK_WAIT" 9 || exit 1
		fi
		: >"$ready"
		exec sleep 900
	) </dev/null >/dev/null &
	SW_AUDIT_LOCKPID=$!
	wait_until $((SW_AUDIT_LOCK_WAIT + 5)) _sw_audit_lock_settled "$ready"
	[ -e "$ready" ] || { _sw_audit_unlock; return 1; }
}

_sw_audit_lock_settled() { [ -e "$1" ] || pid_gone "$SW_AUDIT_LOCKPID"; }

_sw_audit_unlock() {
	[ -n "$SW_AUDIT_LOCKPID" ] || return 0
	kill "$SW_AUDIT_LOCKPID" 2>/dev/null
	wait "$SW_AUDIT_LOCKPID" 2>/dev/null
	SW_AUDIT_LOCKPID=
}

sw_audit_begin() {
	local sys
	_sw_audit_lock || return 2
	SW_AUDIT_ENABLED0=$(_sw_audit_status enabled)
	SW_AUDIT_BACKLOG0=$(_sw_audit_status backlog_limit)
	sys=$(_sw_audit_status pid)
	if [ -n "$sys" ] && [ "$sys" != 0 ] && kill -0 "$sys" 2>/dev/null; then
		_sw_audit_system "$sys" || { _sw_audit_unlock; return 1; }
	else
		_sw_audit_private "$1" "${2:-ENRICHED}" || { _sw_audit_unlock; return 1; }
	fi
	[ "${SW_AUDIT_BACKLOG0:-0}" -lt 8192 ] && auditctl -b 8192 >/dev/null
	[ "$SW_AUDIT_ENABLED0" = 1 ] || auditctl -e 1 >/dev/null
}

sw_audit_session() {
	SW_AUDIT_SES=
	{ echo 0 >/proc/self/loginuid; } 2>/dev/null || return 0
	SW_AUDIT_SES=$(<"/proc/$BASHPID/sessionid")
}

sw_audit_rules_add() {
	local line
	SW_AUDIT_KEY=$1
	while read -r line; do
		# shellcheck disable=SC2086
		auditctl ${line% -k *} ${2:+-F sessionid=$2} -k "$1" >/dev/null || return 1
	done < <(sw_audit_rule_lines "$1")
}

_sw_audit_logged_removal() {
	tail -c +"$((SW_AUDIT_START + 1))" "$SW_AUDIT_LOG" 2>/dev/null |
		grep -aq "op=remove_rule key=\"$SW_AUDIT_KEY\""
}

sw_audit_end() {
	local rc=0
	if [ -n "$SW_AUDIT_KEY" ]; then
		auditctl -D -k "$SW_AUDIT_KEY" >/dev/null || rc=1
		# the removal is logged after every record of ours: once it is there, all of them are
		wait_until "$SW_AUDIT_TIMEOUT" _sw_audit_logged_removal || rc=1
	fi
	[ -n "$SW_AUDIT_ENABLED0" ] && [ "$SW_AUDIT_ENABLED0" != "$(_sw_audit_status enabled)" ] &&
		auditctl -e "$SW_AUDIT_ENABLED0" >/dev/null
	[ -n "$SW_AUDIT_BACKLOG0" ] && auditctl -b "$SW_AUDIT_BACKLOG0" >/dev/null
	if [ "$SW_AUDIT_MODE" = private ] && [ -n "$SW_AUDIT_PID" ]; then
		kill -TERM "$SW_AUDIT_PID" 2>/dev/null
		wait_until "$SW_AUDIT_TIMEOUT" pid_gone "$SW_AUDIT_PID" || { kill -KILL "$SW_AUDIT_PID"; rc=1; }
		wait "$SW_AUDIT_PID" 2>/dev/null
	fi
	[ -n "$SW_AUDIT_LOG" ] && { tail -c +"$((SW_AUDIT_START + 1))" "$SW_AUDIT_LOG" >"$1" || rc=1; }
	SW_AUDIT_KEY= SW_AUDIT_PID= SW_AUDIT_LOG= SW_AUDIT_ENABLED0= SW_AUDIT_BACKLOG0=
	_sw_audit_unlock
	return $rc
}
