"""ecs_flat.py: shellwatch's JSON documents read with dotted names, whether they are nested as
ECS documents them ({"process": {"pid": 1}}) or flat ({"process.pid": 1}):
flatten(doc)["process.pid"] == 1 either way. Objects nest; arrays and values are leaves."""


def flatten(obj, prefix=""):
	out = {}
	for k, v in obj.items():
		if isinstance(v, dict) and v:
			out.update(flatten(v, prefix + k + "."))
		else:
			out[prefix + k] = v
	return out


def field(obj, dotted):
	"""One field by its dotted name, None when absent."""
	return flatten(obj).get(dotted)
