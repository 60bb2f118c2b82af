#!/usr/bin/env python3
"""replay_compare.py: are the alerts `shellwatch run --json` printed live the alerts `shellwatch
replay --json` prints from a `record` trace of the same time?  (tests/detect/replay_equal.sh)

  replay_compare.py RUN.json REPLAY.json --trace TRACE [--tech NAME:ROOT:SHELL:PORT ...]

Compares the two JSON-lines streams alert by alert, field by field: same number of alerts, same
order, every field equal except the wall-clock ones (@timestamp, shellwatch.delay_ms,
shellwatch.killed_ms) and host.id (the machine id, which only the live sensor knows). Nested
documents are compared by their dotted names (ecs_flat.py). In shellwatch.matched (the trace lines of the events a rule matched) the
` t=NNN` monotonic timestamps are removed before comparing: run and record are two sensors, each
with its own BPF programs, and each program reads bpf_ktime_get_ns() itself, so the same event
carries times a few nanoseconds apart in the two.

Prints one TAP line per --tech (the alerts of its process tree, from the trace's fork/exec lines,
or of its port, identical in both; at least one) and one for the whole stream; the differences as
TAP comments. A technique's event.id may differ by the one shift every technique shares (alerts of
other activity while record captured and run not yet); the whole-stream line compares the ids
too. Exit 0 when every line is ok.
"""
import argparse
import difflib
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import trace_check  # noqa: E402  (parse, parents, tree of a record trace)
from ecs_flat import flatten  # noqa: E402  (nested ECS documents with dotted names)

WALL_CLOCK = ("@timestamp", "shellwatch.delay_ms", "shellwatch.killed_ms")
# What only the live sensor knows about its host: a recording does not carry the machine id.
SENSOR = ("host.id",)
T_FIELD = re.compile(r" t=[0-9]+")


def load(path):
	out = []
	with open(path, errors="replace") as f:
		for n, line in enumerate(f, 1):
			if line.strip():
				try:
					out.append(flatten(json.loads(line)))
				except ValueError as e:
					raise ValueError("%s:%d: %s" % (path, n, e))
	return out


def norm(alert):
	"""The alert without its wall-clock fields, matched lines without their t=."""
	a = {k: v for k, v in alert.items() if k not in WALL_CLOCK and k not in SENSOR}
	if isinstance(a.get("shellwatch.matched"), list):
		a["shellwatch.matched"] = [T_FIELD.sub("", m) for m in a["shellwatch.matched"]]
	return a


def brief(a):
	return "id=%s %s pid=%s ppid=%s port=%s" % (
		a.get("event.id"), a.get("rule.name"), a.get("process.pid"),
		a.get("process.parent.pid"), a.get("destination.port"))


def fields_diff(i, x, y, skip=()):
	nx, ny = norm(x), norm(y)
	return ["alert %d (%s): %s: run %s, replay %s" % (
		i + 1, brief(x), k, json.dumps(nx.get(k))[:300], json.dumps(ny.get(k))[:300])
		for k in sorted(set(nx) | set(ny)) if k not in skip and nx.get(k) != ny.get(k)]


def diff(xs, ys, skip=()):
	"""Reasons the two lists of alerts differ (empty when identical, modulo norm())."""
	out = []
	if len(xs) != len(ys):
		out.append("run has %d alerts, replay %d" % (len(xs), len(ys)))
		out += unmatched(xs, ys)
		return out
	for i, (x, y) in enumerate(zip(xs, ys)):
		out += fields_diff(i, x, y, skip)
	return out


def unmatched(xs, ys):
	"""When the counts differ: the alerts of one stream that the other lacks (aligned on every
	field but event.id), so an extra alert shows up as one line, not as a shift of all after."""
	key = lambda a: json.dumps({k: v for k, v in norm(a).items() if k != "event.id"},
				   sort_keys=True)
	sm = difflib.SequenceMatcher(None, [key(x) for x in xs], [key(y) for y in ys],
				     autojunk=False)
	out = []
	for op, i1, i2, j1, j2 in sm.get_opcodes():
		out += ["only in run: alert %d (%s)" % (i + 1, brief(xs[i])) for i in range(i1, i2)
			if op != "equal"]
		out += ["only in replay: alert %d (%s)" % (j + 1, brief(ys[j])) for j in range(j1, j2)
			if op != "equal"]
	return out


def tap(ok, name, why=()):
	print("%s - %s" % ("ok" if ok else "not ok", name))
	for w in list(why)[:20]:
		print("#   " + w)
	return ok


def belongs(a, pids, port):
	return str(a.get("process.pid")) in pids or str(a.get("process.parent.pid")) in pids or \
		port in (str(a.get("destination.port")), str(a.get("source.port")))


def main():
	ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	ap.add_argument("run")
	ap.add_argument("replay")
	ap.add_argument("--trace", required=True)
	ap.add_argument("--tech", action="append", default=[], help="NAME:ROOT:SHELL:PORT")
	a = ap.parse_args()
	try:
		xs, ys = load(a.run), load(a.replay)
		par = trace_check.parents(trace_check.parse(a.trace))
	except (OSError, ValueError) as e:
		print("replay_compare: %s" % e, file=sys.stderr)
		return 2
	good, shift = True, None
	for spec in a.tech:
		name, root, shell, port = spec.split(":")
		pids = trace_check.tree(par, root) | {shell}
		tx = [x for x in xs if belongs(x, pids, port)]
		ty = [y for y in ys if belongs(y, pids, port)]
		why = diff(tx, ty, skip=("event.id",)) + ([] if tx else ["no alert in run"])
		# event.id counts every alert the judge raised, so an alert of other activity while
		# only record captured (before run attached) shifts all later ids of replay alike:
		# a technique's ids must differ by the one shift of the whole run (the whole-stream
		# line below compares the ids themselves).
		for i, (x, y) in enumerate(zip(tx, ty) if not why else ()):
			d = y.get("event.id", 0) - x.get("event.id", 0)
			shift = d if shift is None else shift
			if d != shift:
				why.append("alert %d (%s): event.id: run %s, replay %s: shifted by %d, "
					   "not %d like the techniques before" % (
					   i + 1, brief(x), x.get("event.id"), y.get("event.id"), d, shift))
		good &= tap(not why, "%s: its %d alerts are identical in run and replay (root %s, "
			    "port %s)" % (name, len(tx), root, port), why)
	if shift:
		print("# replay's event.id = run's %+d: alerts of other activity while only one of the "
		      "two captured" % shift)
	why = diff(xs, ys) + ([] if xs else ["no alert at all"])
	good &= tap(not why, "whole stream: %d alerts of run, %d of replay, identical" %
		    (len(xs), len(ys)), why)
	return 0 if good else 1


if __name__ == "__main__":
	sys.exit(main())
