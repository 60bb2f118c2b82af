#!/usr/bin/env python3
"""syslog_recv.py: a stand-in for the syslog daemon on a unix datagram socket (/dev/log) for the
tests: binds PATH and writes each datagram it receives to OUT as one JSON string (its bytes as
latin-1), so a datagram holding a newline or any other byte is still one line of OUT.

  syslog_recv.py PATH OUT     runs until killed
"""
import json
import os
import socket
import sys

path, out = sys.argv[1:3]
if os.path.exists(path):
	os.unlink(path)
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
os.chmod(path, 0o666)
with open(out, "a") as f:
	while True:
		d = s.recv(1 << 20)
		f.write(json.dumps(d.decode("latin-1")) + "\n")
		f.flush()
