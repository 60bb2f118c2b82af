#!/usr/bin/env python3
"""alert_fields.py: fields of the alerts of `shellwatch run --json` that match, for the container
tests (the matching is tests/shells/detection_check.py's: pid or parent pid in --pids, when given,
and destination or source port equal to --port).

  alert_fields.py FILE --port PORT [--pids P1,P2] FIELD...
      One line per matching alert: the FIELDs' values separated by spaces, "-" where absent.
      Exit 0 when at least one alert matched, 1 otherwise, 2 on a line that is not JSON.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "shells"))
from detection_check import field, load, matches  # noqa: E402


def main():
	ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	ap.add_argument("file")
	ap.add_argument("--port", required=True)
	ap.add_argument("--pids", default="")
	ap.add_argument("fields", nargs="+")
	a = ap.parse_args()
	try:
		dets = load(a.file)
	except (OSError, ValueError) as e:
		print("alert_fields: %s" % e, file=sys.stderr)
		return 2
	pids = set(p for p in a.pids.split(",") if p)
	hits = [d for d in dets if matches(d, pids, a.port)]
	for d in hits:
		vals = [field(d, f) for f in a.fields]
		print(" ".join("-" if v is None else str(v) for v in vals))
	return 0 if hits else 1


if __name__ == "__main__":
	sys.exit(main())
