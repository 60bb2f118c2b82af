#!/usr/bin/env python3
"""detection_check.py: questions the suites ask of `shellwatch run --json` output (JSON lines,
field names of the design: process.pid, process.parent.pid, destination.port, source.port, ...).

  detection_check.py count FILE [--pids P1,P2,...] [--port PORT] [--either] [--max-delay MS]
                                [--severity LEVEL] [--show]
      Print how many detections match: process.pid or process.parent.pid in --pids (when given),
      destination.port or source.port equal to --port (when given; with --either, the pid OR
      the port is enough), shellwatch.delay_ms at most MS (when given), shellwatch.severity
      equal to LEVEL (when given). Exit 0 when at least one.
      --show adds a TAP comment per match: pid, rule, severity, signals, delay.
  detection_check.py delays FILE [the options of count]
      Print shellwatch.delay_ms of every matching detection, one a line. Exit 0 when at least one.
  detection_check.py fields FILE [the options of count] --field NAME [--field NAME ...]
      One line per matching detection: the fields' values separated by spaces, "-" where absent.
      Exit 0 when at least one.
  detection_check.py none FILE [--pids P1,P2,...]
      Exit 0 when FILE holds no detection (of a process or parent in --pids, when given);
      otherwise print them as TAP comments, exit 1.
A line that is not a JSON object is an error (exit 2): run --json must print nothing else.
Dotted names are accepted flat ("process.pid": 1) or nested ({"process": {"pid": 1}}).
"""
import argparse
import json
import sys


def field(obj, dotted):
	if dotted in obj:
		return obj[dotted]
	cur = obj
	for part in dotted.split("."):
		if not isinstance(cur, dict) or part not in cur:
			return None
		cur = cur[part]
	return cur


def load(path):
	out = []
	with open(path, errors="replace") as f:
		for n, line in enumerate(f, 1):
			if not line.strip():
				continue
			obj = json.loads(line)
			if not isinstance(obj, dict):
				raise ValueError("%s:%d: not a JSON object" % (path, n))
			out.append(obj)
	return out


def matches(d, pids, port, max_delay=None, severity=None, either=False):
	if max_delay is not None and not (field(d, "shellwatch.delay_ms") or 0) <= max_delay:
		return False
	if severity and field(d, "shellwatch.severity") != severity:
		return False
	pid_ok = not pids or str(field(d, "process.pid")) in pids or \
		str(field(d, "process.parent.pid")) in pids
	port_ok = not port or port in (str(field(d, "destination.port")), str(field(d, "source.port")))
	if either and pids and port:
		return pid_ok or port_ok
	return pid_ok and port_ok


def main():
	ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	ap.add_argument("what", choices=["count", "delays", "fields", "none"])
	ap.add_argument("file")
	ap.add_argument("--pids", default="")
	ap.add_argument("--port")
	ap.add_argument("--max-delay", type=float)
	ap.add_argument("--severity")
	ap.add_argument("--either", action="store_true")
	ap.add_argument("--show", action="store_true")
	ap.add_argument("--field", action="append", default=[])
	a = ap.parse_args()
	try:
		dets = load(a.file)
	except (OSError, ValueError) as e:
		print("detection_check: %s" % e, file=sys.stderr)
		return 2
	pids = set(p for p in a.pids.split(",") if p)
	if a.what == "none":
		bad = [d for d in dets if matches(d, pids, None)]
		for d in bad[:12]:
			print("# detection: %s" % json.dumps(d)[:400])
		return 1 if bad else 0
	hits = [d for d in dets if matches(d, pids, a.port, a.max_delay, a.severity, a.either)]
	if a.what == "delays":
		for d in hits:
			print(field(d, "shellwatch.delay_ms"))
		return 0 if hits else 1
	if a.what == "fields":
		for d in hits:
			vals = [field(d, f) for f in a.field]
			print(" ".join("-" if v is None else str(v) for v in vals))
		return 0 if hits else 1
	print(len(hits))
	for d in hits if a.show else ():
		print("# pid=%s ppid=%s rule=%s severity=%s signals=%s delay_ms=%s" % (
			field(d, "process.pid"), field(d, "process.parent.pid"), field(d, "rule.name"),
			field(d, "shellwatch.severity"), ",".join(field(d, "shellwatch.signals") or []),
			field(d, "shellwatch.delay_ms")))
	return 0 if hits else 1


if __name__ == "__main__":
	sys.exit(main())
