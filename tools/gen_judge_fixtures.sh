#!/usr/bin/env bash
# gen_judge_fixtures.sh: record the red-team suite, the benign suite and the network-services suite
# once each with `shellwatch record`, for the judge's unit test (tests/unit/test_judge_fixtures.c),
# which replays them without BPF. Root; all traffic on 127.0.0.1.
#   tools/gen_judge_fixtures.sh [OUTDIR [SUITE...]]   default tests/fixtures, every suite
# SUITE: redteam, benign, services. Writes OUTDIR/redteam.trace.gz + redteam.manifest (technique
# NAME ROOT SHELL PORT), OUTDIR/benign.trace.gz + benign.manifest (workload NAME ROOT; the workloads
# of tests/benign/workload.sh) and OUTDIR/services.trace.gz + services.manifest (workload NAME ROOT;
# the workloads of tests/benign/services.sh).
#
# Each suite runs in a subshell started after the recorder is ready; the fixture keeps the header,
# the /proc-scan line of this script (the subshell's parent: the judge looks at a process's parent
# and grandparent, so for every process of a suite those are in the tree or this script) and every
# event of the subshell's process tree, nothing else: the rest of the machine, this script's own
# ancestors included (whatever launched it, with their command lines), stays out, and the
# fixtures stay small. PORT is the remote end's port as the shell sees it (the listener's for a
# reverse shell, the attacker's ephemeral port for the bind shell).
out=${1:-tests/fixtures}
[ $# -gt 0 ] && shift
suites=("$@")
[ ${#suites[@]} -gt 0 ] || suites=(redteam benign services)
here=$(cd "$(dirname "$0")/.." && pwd)
export SW_ROOT=$here
source "$here/tests/benign/workload.sh"   # lib.sh, techniques.sh, record.sh, the workloads
source "$here/tests/benign/services.sh"   # the network-services workloads, svc_setup

die() { echo "gen_judge_fixtures: $*" >&2; exit 1; }

why=$(sw_record_live) || die "cannot record: $why"
mkdir -p "$out" || die "cannot create $out"

# redteam MANIFEST: every technique, one after the other (the subshell is the tree's root).
redteam() {
	local t m
	echo "# technique NAME ROOT_PID SHELL_PID PORT (PORT: the shell's remote end)" >"$1"
	for t in "${SW_TECHNIQUES[@]}"; do
		m=$(sw_tech_missing "$t")
		if [ -n "$m" ]; then
			echo "gen_judge_fixtures: !!! $t left out: $m is not installed" >&2
			continue
		fi
		sw_tech_run "$t" || { echo "gen_judge_fixtures: $t: the launcher failed" >&2; return 1; }
		[ -n "$SW_T_SHELL_PID" ] && [ -n "$SW_T_PEER" ] ||
			{ echo "gen_judge_fixtures: $t: no shell pid or peer" >&2; return 1; }
		sw_tech_describe >&2
		echo "technique $t $SW_T_ROOT_PID $SW_T_SHELL_PID ${SW_T_PEER##*:}" >>"$1"
	done
}

# benign MANIFEST: every workload.
benign() {
	local w m
	echo "# workload NAME ROOT_PID" >"$1"
	for w in "${WORKLOADS[@]}"; do
		m=$(wl_missing "$w")
		if [ -n "$m" ]; then
			echo "gen_judge_fixtures: !!! $w left out: $m is not installed" >&2
			continue
		fi
		wl_run "$w" || { echo "gen_judge_fixtures: $w failed" >&2; return 1; }
		echo "# $w: $((WL_US / 1000)) ms" >&2
		echo "workload $w $WL_PID" >>"$1"
	done
}

# services MANIFEST: every workload of the services suite (svc_setup ran before the recorder, so
# its key generation is not in the tree).
services() {
	local w m
	echo "# workload NAME ROOT_PID" >"$1"
	for w in "${SERVICES[@]}"; do
		m=$(svc_missing "$w")
		if [ -n "$m" ]; then
			echo "gen_judge_fixtures: !!! $w left out: $m is not installed" >&2
			continue
		fi
		wl_run "$w" || { echo "gen_judge_fixtures: $w failed:" >&2;
			tail -n 8 "$SW_TMP/benign-$w.log" >&2; return 1; }
		echo "# $w: $((WL_US / 1000)) ms" >&2
		echo "workload $w $WL_PID" >>"$1"
	done
}

# keep_tree TRACE ROOT: the header, the proc line of ROOT's parent, the fork that made ROOT
# and every event of ROOT's tree (forks and ppid= of the trace), on stdout.
keep_tree() {
	"$SW_PY" - "$1" "$2" <<'PY'
import re, sys
head = re.compile(r"^(\S+) pid=(\d+) ppid=(\d+)")
child = re.compile(r" child=(\d+)")
lines = open(sys.argv[1], errors="surrogateescape").read().split("\n")
root, par, procs = sys.argv[2], {}, {}
for l in lines:
	m = head.match(l)
	if not m:
		continue
	call, pid, ppid = m.groups()
	if call == "proc":
		procs[pid] = ppid
	c = child.search(l) if call == "fork" else None
	if c:
		par[c.group(1)] = pid
	par.setdefault(pid, ppid)
tree, grew = {root}, True
while grew:
	grew = False
	for c, p in par.items():
		if p in tree and c not in tree:
			tree.add(c)
			grew = True
anc = {par.get(root)}
out = sys.stdout.buffer
for l in lines:
	m = head.match(l)
	if not m:
		keep = l.startswith("# shellwatch-trace")
	else:
		call, pid = m.group(1), m.group(2)
		c = child.search(l) if call == "fork" else None
		keep = pid in tree or (call == "proc" and pid in anc) or (c and c.group(1) == root)
	if keep:
		out.write(l.encode(errors="surrogateescape") + b"\n")
PY
}

# suite NAME FUNCTION: record FUNCTION run in a subshell; OUTDIR/NAME.trace.gz and .manifest.
suite() {
	local name=$1 fn=$2 trace=$SW_TMP/$1.trace man=$SW_TMP/$1.manifest root
	sw_record_start "$trace" >&2 || die "shellwatch record did not start"
	( "$fn" "$man" ) &
	root=$!
	wait "$root"
	local rc=$?
	sw_record_stop
	sed 's/^/# record: /' "$SW_REC_ERR" | tail -n 1 >&2
	[ "$rc" = 0 ] || die "$name: the suite failed (nothing written; run again)"
	keep_tree "$trace" "$root" | gzip -9n >"$out/$name.trace.gz" || die "cannot write $out"
	{
		echo "# $name.manifest: what tests/fixtures/$name.trace.gz holds, for"
		echo "# tests/unit/test_judge_fixtures.c; made by tools/gen_judge_fixtures.sh (root $root)"
		cat "$man"
	} >"$out/$name.manifest"
	echo "$name: $(wc -l <"$trace") lines recorded, $(zcat "$out/$name.trace.gz" | wc -l) kept," \
		"$(stat -c %s "$out/$name.trace.gz") bytes gzipped" >&2
}

for s in "${suites[@]}"; do
	case $s in redteam | benign | services) ;; *) die "unknown suite $s (redteam, benign, services)" ;; esac
done
for s in "${suites[@]}"; do
	if [ "$s" = services ]; then
		svc_setup || die "services: cannot make the ssh keys or /run/sshd"
	fi
	suite "$s" "$s"
done
