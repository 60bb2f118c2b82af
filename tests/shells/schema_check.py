#!/usr/bin/env python3
"""schema_check.py: shellwatch's ECS output against docs/alert.schema.json (JSON Schema 2020-12,
python3-jsonschema from Debian).

  schema_check.py FILE...   every line of every FILE: valid UTF-8 (strictly), one JSON object,
                            valid against the schema; prints "N alerts, M events" (exit 0) or
                            the first errors (exit 1); exit 2 when jsonschema is missing
  schema_check.py fields [alert|event]
                            the schema's leaf fields, dotted, one a line (objects nest; arrays
                            and values are leaves)
"""
import json
import os
import sys

SCHEMA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "docs",
		      "alert.schema.json")


def leaves(node, prefix=""):
	props = node.get("properties")
	if node.get("type") != "object" or not props:
		return [prefix[:-1]]
	out = []
	for k, v in props.items():
		out += leaves(v, prefix + k + ".")
	return out


def main():
	schema = json.load(open(SCHEMA))
	if sys.argv[1:2] == ["fields"]:
		kinds = sys.argv[2:] or ["alert", "event"]
		for k in kinds:
			for f in leaves(schema["$defs"][k]):
				print(f)
		return 0
	try:
		import jsonschema
	except ImportError:
		print("schema_check: python3-jsonschema is not installed", file=sys.stderr)
		return 2
	jsonschema.Draft202012Validator.check_schema(schema)
	v = jsonschema.Draft202012Validator(schema)
	counts, bad = {"alert": 0, "event": 0}, []
	for path in sys.argv[1:]:
		with open(path, "rb") as f:
			for n, raw in enumerate(f, 1):
				where = "%s:%d" % (path, n)
				try:
					doc = json.loads(raw.decode("utf-8", errors="strict"))
				except ValueError as e:
					bad.append("%s: not one JSON object in valid UTF-8: %s" % (where, e))
					continue
				errs = list(v.iter_errors(doc))
				if errs:
					# oneOf hides the reason: ask the branch of this kind
					kind = doc.get("event", {}).get("kind", "alert")
					sub = jsonschema.Draft202012Validator(dict(schema["$defs"][kind],
						**{"$defs": schema["$defs"]}))
					why = [e.message for e in sub.iter_errors(doc)] or [errs[0].message]
					bad.append("%s: %s" % (where, "; ".join(w[:200] for w in why[:3])))
				else:
					counts[doc["event"]["kind"]] += 1
	for b in bad[:10]:
		print("# " + b)
	print("%d alerts, %d events" % (counts["alert"], counts["event"]))
	return 1 if bad else 0


if __name__ == "__main__":
	sys.exit(main())
