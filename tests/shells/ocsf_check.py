#!/usr/bin/env python3
"""ocsf_check.py: `shellwatch --json=ocsf` documents against what OCSF 1.1.0 asks of a Detection
Finding (class_uid 2004), one document a line.

  ocsf_check.py FILE...   prints "N findings" (exit 0) or the first problems (exit 1)

Where the lists below come from: the OCSF schema 1.1.0 as published at
https://schema.ocsf.io/1.1.0/classes/detection_finding and in github.com/ocsf/ocsf-schema
(events/base_event.json, events/findings/finding.json and detection_finding.json, the objects in
objects/*.json, the host profile in profiles/host.json), written down here from their
documentation: the attributes marked "Required" for the class and for each object we emit, the
"at least one of" constraints of the objects that have them, the enumerations of the *_id
attributes, and the attributes the class (with the host profile) has at all, so nothing outside
the class slips in. It is not the full schema: types of optional attributes are not checked.
"""
import json
import sys

# Required attributes of Detection Finding 1.1.0: the base event's (activity_id, category_uid,
# class_uid, metadata, severity_id, time, type_uid) and the Findings category's finding_info.
REQUIRED = ["activity_id", "category_uid", "class_uid", "finding_info", "metadata",
	    "severity_id", "time", "type_uid"]
# Recommended ones we promise to fill.
RECOMMENDED = ["message", "confidence_id", "status_id", "evidences", "device"]
# Every attribute of the class in 1.1.0, with the host profile (device, actor).
ATTRIBUTES = set(REQUIRED + RECOMMENDED + [
	"activity_name", "category_name", "class_name", "type_name", "severity", "confidence",
	"confidence_score", "status", "status_code", "status_detail", "count", "duration",
	"start_time", "end_time", "timezone_offset", "enrichments", "observables", "raw_data",
	"unmapped", "impact", "impact_id", "impact_score", "risk_level", "risk_level_id",
	"risk_score", "remediation", "resources", "comment", "actor"])
# Required attributes of the objects, by where they are ("x[]" is each item of array x).
OBJECT_REQUIRED = {
	"metadata": ["product", "version"],
	"metadata.product": ["vendor_name"],
	"finding_info": ["uid"],
	"finding_info.analytic": ["type_id"],
	"device": ["type_id"],
	"evidences[].connection_info": ["direction_id"],
	"evidences[].process.file": ["name", "type_id"],
	"evidences[].process.parent_process.file": ["name", "type_id"],
	"actor.process.file": ["name", "type_id"],
}
# "At least one of" constraints.
AT_LEAST_ONE = {
	"finding_info.attacks[]": ["tactic", "technique"],
	"evidences[]": ["actor", "api", "connection_info", "data", "device", "dns_query",
			"dst_endpoint", "file", "process", "query", "src_endpoint", "url", "user"],
	"evidences[].process": ["pid", "uid"],
	"evidences[].process.parent_process": ["pid", "uid"],
	"evidences[].dst_endpoint": ["ip", "uid", "name", "hostname", "instance_uid",
				     "interface_uid", "svc_name", "domain"],
	"evidences[].src_endpoint": ["ip", "uid", "name", "hostname", "instance_uid",
				     "interface_uid", "svc_name", "domain"],
	"actor": ["process", "user", "session", "app_name", "app_uid", "authorizations", "idp",
		  "invoked_by"],
	"actor.process": ["pid", "uid"],
	"actor.user": ["account", "name", "uid"],
	"evidences[].process.user": ["account", "name", "uid"],
}
ENUMS = {
	"activity_id": {0, 1, 2, 3, 99},
	"severity_id": {0, 1, 2, 3, 4, 5, 6, 99},
	"confidence_id": {0, 1, 2, 3, 99},
	"status_id": {0, 1, 2, 3, 4, 99},
	"device.type_id": {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 99},
	"finding_info.analytic.type_id": {0, 1, 2, 3, 4, 99},
	"evidences[].connection_info.direction_id": {0, 1, 2, 3, 99},
	"evidences[].process.file.type_id": {0, 1, 2, 3, 4, 5, 6, 7, 99},
}


def at(doc, path):
	"""Every value at path ("a.b", "a[].b")."""
	cur = [doc]
	for part in path.split("."):
		arr = part.endswith("[]")
		key = part[:-2] if arr else part
		nxt = []
		for c in cur:
			if isinstance(c, dict) and key in c:
				v = c[key]
				nxt += v if arr and isinstance(v, list) else [v]
		cur = nxt
	return cur


def problems(doc):
	out = []
	for k in REQUIRED + RECOMMENDED:
		if k not in doc:
			out.append("no %s" % k)
	out += ["%s is not an attribute of the class" % k for k in doc if k not in ATTRIBUTES]
	if doc.get("class_uid") != 2004 or doc.get("category_uid") != 2:
		out.append("class_uid %s, category_uid %s" % (doc.get("class_uid"), doc.get("category_uid")))
	if doc.get("type_uid") != doc.get("class_uid", 0) * 100 + doc.get("activity_id", -1):
		out.append("type_uid %s is not class_uid * 100 + activity_id" % doc.get("type_uid"))
	if not isinstance(doc.get("time"), int) or doc["time"] < 10 ** 12:
		out.append("time %r is not epoch milliseconds" % doc.get("time"))
	ver = at(doc, "metadata.version")
	if not ver or not str(ver[0]).startswith("1."):
		out.append("metadata.version %s is not 1.x" % ver)
	for path, keys in OBJECT_REQUIRED.items():
		for o in at(doc, path):
			out += ["%s: no %s" % (path, k) for k in keys if k not in o]
	for path, keys in AT_LEAST_ONE.items():
		for o in at(doc, path):
			if not any(k in o for k in keys):
				out.append("%s: none of %s" % (path, ", ".join(keys)))
	for path, vals in ENUMS.items():
		for v in at(doc, path):
			if v not in vals:
				out.append("%s = %r is not one of its enumeration" % (path, v))
	for a in at(doc, "finding_info.attacks[]"):
		for k in ("tactic", "technique", "sub_technique"):
			if k in a and "uid" not in a[k]:
				out.append("attack %s without uid" % k)
	return out


def main():
	n, bad = 0, []
	for path in sys.argv[1:]:
		with open(path, "rb") as f:
			for i, raw in enumerate(f, 1):
				try:
					doc = json.loads(raw.decode("utf-8", errors="strict"))
				except ValueError as e:
					bad.append("%s:%d: not JSON in valid UTF-8: %s" % (path, i, e))
					continue
				bad += ["%s:%d: %s" % (path, i, p) for p in problems(doc)]
				n += 1
	for b in bad[:12]:
		print("# " + b)
	print("%d findings" % n)
	return 1 if bad or not n else 0


if __name__ == "__main__":
	sys.exit(main())
