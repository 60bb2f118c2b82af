#!/usr/bin/env python3
"""trace_check.py: questions the red-team and benign suites ask of a `shellwatch record` trace.

  trace_check.py shell TRACE --root PID --port PORT --kind stdio|lineage|wire [--shell PID]
      Did the remote shell started as process PID (or a descendant) show up?  stdio: an execve by
      --shell (or by any process of the tree when --shell is not given) with a socket on fd 0 or 1
      whose peer or local address is 127.0.0.1:PORT.  lineage (relays, ptys, socketpairs): an
      execve of a shell by --shell (or any process of the tree) while its parent or grandparent, or
      another child of its parent (a pipeline sibling), all within the tree, connected to
      127.0.0.1:PORT or accepted a connection on it.  wire (commands off the wire): an execve,
      by a child of --shell (or of any process of the tree), whose command line holds the
      attacker's marker `sw-pid=`, while that parent connected to 127.0.0.1:PORT or accepted on
      it.
  trace_check.py tree TRACE --root PID
      Print PID and every descendant the trace shows (fork, ppid=), comma-separated.
  trace_check.py clean TRACE [--root PID]
      No execve (of the tree under PID, or of anyone) has an inet socket on fd 0, 1 or 2.
Exit 0 when the answer is yes, 1 when no (with the evidence or the offending lines on stdout as
TAP comments), 2 on usage errors. The trace grammar is docs/trace-format.md.
"""
import argparse
import os
import sys

ESC = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
SHELLS = {"sh", "bash", "dash", "zsh", "ksh", "ash", "busybox"}


def split_line(line):
	"""Words of a trace line: bare words, or double-quoted with C escapes."""
	words, i, n = [], 0, len(line)
	while i < n:
		if line[i] in " \t":
			i += 1
			continue
		w = []
		while i < n and line[i] not in " \t":
			if line[i] != '"':
				w.append(line[i])
				i += 1
				continue
			i += 1
			while i < n and line[i] != '"':
				if line[i] == "\\" and i + 1 < n:
					c = line[i + 1]
					if c == "x" and i + 3 < n:
						w.append(chr(int(line[i + 2:i + 4], 16)))
						i += 4
						continue
					w.append(ESC.get(c, c))
					i += 2
					continue
				w.append(line[i])
				i += 1
			i += 1
		words.append("".join(w))
	return words


# The calls the questions use; the rest (a busy machine's dup2 storm) is skipped unparsed.
CALLS = {"execve", "execveat", "fork", "connect", "accept", "accept4"}


def parse(path):
	"""Events of CALLS as dicts: call, ret, and every name=value argument."""
	events = []
	with open(path, errors="replace") as f:
		for line in f:
			if line.split(" ", 1)[0] not in CALLS:
				continue
			line = line.rstrip("\n")
			try:
				words = split_line(line)
			except ValueError:
				continue
			ev = {"call": words[0], "line": line}
			for i, w in enumerate(words[1:], 1):
				if w == "=>" and i + 1 < len(words):
					ev["ret"] = words[i + 1]
					break
				k, eq, v = w.partition("=")
				if eq and k not in ev:
					ev[k] = v
			events.append(ev)
	return events


def parents(events):
	par = {}
	for ev in events:
		if ev.get("call") == "fork" and "child" in ev and "pid" in ev:
			par[ev["child"]] = ev["pid"]
		if "pid" in ev and "ppid" in ev:
			par.setdefault(ev["pid"], ev["ppid"])
	return par


def tree(par, root):
	kids = {}
	for c, p in par.items():
		kids.setdefault(p, set()).add(c)
	seen, todo = {root}, [root]
	while todo:
		for c in kids.get(todo.pop(), ()):
			if c not in seen:
				seen.add(c)
				todo.append(c)
	return seen


def is_exec(ev):
	return ev["call"] in ("execve", "execveat")


def sock_stdio(ev, fds, addr):
	for n in fds:
		if not ev.get("fd%d" % n, "").startswith("sock:inet"):
			continue
		if addr is None or addr in (ev.get("peer%d" % n), ev.get("local%d" % n)):
			return True
	return False


def kin(par, pid):
	"""Parent, grandparent, and the parent's other children (pipeline siblings)."""
	parent = par.get(pid)
	out = {p for p in (parent, par.get(parent)) if p}
	out.update(c for c, p in par.items() if p == parent and c != pid)
	return out


def touched(events, pids, port):
	"""A process of pids connected to 127.0.0.1:port, or accepted a connection there."""
	for ev in events:
		if ev.get("pid") not in pids:
			continue
		if ev["call"] == "connect" and ev.get("addr") == "127.0.0.1" and ev.get("port") == port:
			return True
		if ev["call"] in ("accept", "accept4") and ev.get("local") == "127.0.0.1:" + port and \
		   not ev.get("ret", "-").startswith("-"):
			return True
	return False


def check_shell(a, events):
	par = parents(events)
	pids = tree(par, a.root)
	want = {a.shell} if a.shell and a.kind != "wire" else pids
	addr = "127.0.0.1:%s" % a.port
	execs = [ev for ev in events if is_exec(ev) and ev.get("pid") in pids]
	for ev in execs:
		if ev.get("pid") not in want:
			continue
		if a.kind == "stdio" and sock_stdio(ev, (0, 1), addr):
			print("# found: " + ev["line"])
			return 0
		if a.kind == "lineage" and os.path.basename(ev.get("exe", "")) in SHELLS and \
		   touched(events, kin(par, ev["pid"]) & pids, a.port):
			print("# found: " + ev["line"])
			return 0
		if a.kind == "wire" and "sw-pid=" in ev.get("argv", "") and \
		   par.get(ev["pid"]) in pids and (not a.shell or par.get(ev["pid"]) == a.shell) and \
		   touched(events, {par.get(ev["pid"])}, a.port):
			print("# found: " + ev["line"])
			return 0
	print("# no %s shell for root %s port %s among %d execs of the tree:" %
	      (a.kind, a.root, a.port, len(execs)))
	for ev in execs[:12]:
		print("#   " + ev["line"][:300])
	return 1


def check_clean(a, events):
	pids = tree(parents(events), a.root) if a.root else None
	bad = [ev for ev in events if is_exec(ev) and (pids is None or ev.get("pid") in pids) and
	       sock_stdio(ev, (0, 1, 2), None)]
	for ev in bad[:12]:
		print("# socket on stdio: " + ev["line"][:300])
	n = sum(1 for ev in events if is_exec(ev) and (pids is None or ev.get("pid") in pids))
	print("# %d execs checked, %d with a socket on stdio" % (n, len(bad)))
	return 1 if bad or n == 0 else 0


def main():
	ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	ap.add_argument("what", choices=["shell", "clean", "tree"])
	ap.add_argument("trace")
	ap.add_argument("--root")
	ap.add_argument("--shell")
	ap.add_argument("--port")
	ap.add_argument("--kind", choices=["stdio", "lineage", "wire"], default="stdio")
	a = ap.parse_args()
	if a.what == "shell" and not (a.root and a.port):
		ap.error("shell needs --root and --port")
	if a.what == "tree" and not a.root:
		ap.error("tree needs --root")
	try:
		events = parse(a.trace)
	except OSError as e:
		print("trace_check: %s" % e, file=sys.stderr)
		return 2
	if a.what == "tree":
		print(",".join(sorted(tree(parents(events), a.root), key=int)))
		return 0
	return check_shell(a, events) if a.what == "shell" else check_clean(a, events)


if __name__ == "__main__":
	sys.exit(main())
