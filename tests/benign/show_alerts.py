#!/usr/bin/env python3
"""show_alerts.py: the alerts of `shellwatch run --json` output that belong to a set of pids, one
TAP comment each, for the benign suites' reports (what fires, not whether the test passes).

  show_alerts.py FILE --pids P1,P2,... [--prefix TEXT]
      One line per alert whose process.pid or process.parent.pid is in --pids: rule name,
      severity (shellwatch.severity, when the alert has one), pid, ppid, comm, parent comm, exe,
      signals, remote end, command line and parent command line. Prints `# N alerts` first.
Exit 0, or 2 when FILE cannot be read or a line is not a JSON object.
Dotted names are accepted flat ("process.pid": 1) or nested ({"process": {"pid": 1}}).
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "shells"))
from detection_check import field, load  # noqa: E402  (one reader of run's JSON lines)


def short(s, n):
	s = "" if s is None else str(s)
	s = s.replace("\n", "\\n")
	return s if len(s) <= n else s[:n - 3] + "..."


def main():
	ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	ap.add_argument("file")
	ap.add_argument("--pids", default="")
	ap.add_argument("--prefix", default="")
	a = ap.parse_args()
	pids = set(p for p in a.pids.split(",") if p)
	try:
		hits = [d for d in load(a.file) if str(field(d, "process.pid")) in pids or
			str(field(d, "process.parent.pid")) in pids]
	except (OSError, ValueError) as e:
		print("show_alerts: %s" % e, file=sys.stderr)
		return 2
	pre = a.prefix + ": " if a.prefix else ""
	print("# %s%d alerts" % (pre, len(hits)))
	for d in hits:
		sev = field(d, "shellwatch.severity")
		remote = field(d, "destination.ip")
		if remote is not None:
			remote = "%s:%s" % (remote, field(d, "destination.port"))
		print("#   %srule=%s%s pid=%s ppid=%s comm=%s parent=%s exe=%s signals=%s remote=%s "
		      "cmd=\"%s\" parent_cmd=\"%s\"" % (
			pre, field(d, "rule.name"), "" if sev is None else " severity=%s" % sev,
			field(d, "process.pid"), field(d, "process.parent.pid"), field(d, "process.name"),
			field(d, "process.parent.name"), field(d, "process.executable"),
			",".join(field(d, "shellwatch.signals") or []) or "-", remote or "-",
			short(field(d, "process.command_line"), 120),
			short(field(d, "process.parent.command_line"), 80)))
	return 0


if __name__ == "__main__":
	sys.exit(main())
