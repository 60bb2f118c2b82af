#!/usr/bin/env python3
"""gen_fields.py: the JSON field lists of the docs, from the one place they are defined:
docs/alert.schema.json (what shellwatch writes; tests/outputs/json.sh validates every alert of
the tests against it).

  tools/gen_fields.py man   the groff block of docs/shellwatch.8 (JSON FIELDS)
  tools/gen_fields.py md    the markdown tables of docs/run.md ("What is printed")
  tools/gen_fields.py check FILE...   exit 1 unless each FILE holds, between its
                            "fields: begin" and "fields: end" marker lines, exactly what
                            man (for *.8) or md (otherwise) prints
"""
import json
import os
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
SCHEMA = os.path.join(ROOT, "docs", "alert.schema.json")


def leaves(node, prefix=""):
	props = node.get("properties")
	if node.get("type") != "object" or not props:
		yield prefix[:-1], node
		return
	for k, v in props.items():
		yield from leaves(v, prefix + k + ".")


def describe(node):
	d = node.get("description", "")
	items = node.get("items", {})
	if "const" in node:
		d = (d + ": " if d else "") + "always %s" % json.dumps(node["const"])
	elif "enum" in node or "enum" in items:
		vals = node.get("enum") or items.get("enum")
		d = (d + ": " if d else "") + "one of " + ", ".join(str(v) for v in vals)
	kind = node.get("type", "")
	if kind == "array":
		kind = "array of " + items.get("type", "strings" if "enum" in items else "values")
		kind = kind.replace("string", "strings").replace("stringss", "strings")
	return kind, d


def rows(kind):
	schema = json.load(open(SCHEMA))
	return [(name,) + describe(node) for name, node in leaves(schema["$defs"][kind])]


def groff(s):
	s = s.replace("\\", "\\e").replace("-", "\\-")
	return "\\&" + s if s[:1] in ".'" else s


def man():
	out = []
	for kind, title in (("alert", "Alerts"), ("event", "Events (run \\-\\-events)")):
		out.append(".SS %s" % title)
		for name, typ, d in rows(kind):
			out += [".TP", ".B %s" % name, groff("(%s) %s" % (typ, d) if d else "(%s)" % typ)]
	return "\n".join(out) + "\n"


def md():
	out = []
	for kind, title in (("alert", "Alerts"), ("event", "Events (`run --events`)")):
		out += ["%s:" % title, "", "| field | type | what |", "| --- | --- | --- |"]
		for name, typ, d in rows(kind):
			out.append("| `%s` | %s | %s |" % (name, typ, d.replace("|", "\\|")))
		out.append("")
	return "\n".join(out)


def between(path):
	text = open(path).read().splitlines(keepends=True)
	start = [i for i, l in enumerate(text) if "fields: begin" in l]
	end = [i for i, l in enumerate(text) if "fields: end" in l]
	if len(start) != 1 or len(end) != 1 or end[0] < start[0]:
		return None
	return "".join(text[start[0] + 1:end[0]])


def main():
	what = sys.argv[1] if len(sys.argv) > 1 else ""
	if what == "man":
		sys.stdout.write(man())
	elif what == "md":
		sys.stdout.write(md())
	elif what == "check":
		bad = 0
		for path in sys.argv[2:]:
			want = man() if path.endswith(".8") else md()
			if between(path) != want:
				print("%s: the field list differs from tools/gen_fields.py %s" %
				      (path, "man" if path.endswith(".8") else "md"))
				bad = 1
		return bad
	else:
		print(__doc__, file=sys.stderr)
		return 2
	return 0


if __name__ == "__main__":
	sys.exit(main())
