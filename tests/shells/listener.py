#!/usr/bin/env python3
"""listener.py: the attacker's end of a remote shell, for the red-team launchers (tests/shells/).

Loopback only. Two modes, both bounded in time:
  listen  --port-file F   bind 127.0.0.1 on a port the kernel picks, write it to F (atomically),
                          accept ONE connection (a reverse shell calling back), write the peer
                          address to F.peer, send --send, copy everything received to --out.
  connect --port P        connect to 127.0.0.1:P (a bind shell), write our own address to
                          --out.local, send --send, copy everything received to --out.
Ends at EOF, after --timeout seconds, or once --until appears in the output plus a short grace
(so a shell that keeps the socket open after `exit` cannot hold the test). Exit 0 when --until was
seen, 1 otherwise.
With --udp, datagrams: listen waits for the shell's first datagram (its hello, not copied) and
answers its sender; connect sends to the port. Each datagram received is copied to --out; at the
end an empty datagram tells the shell the attacker is gone (UDP has no EOF).
"""
import argparse
import os
import socket
import sys
import time


def write_atomic(path, text):
	tmp = path + ".tmp"
	with open(tmp, "w") as f:
		f.write(text)
	os.rename(tmp, path)


def open_udp(args, deadline):
	s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
	if args.mode == "listen":
		s.bind((args.host, args.port or 0))
		write_atomic(args.port_file, "%d\n" % s.getsockname()[1])
		s.settimeout(max(0.1, deadline - time.monotonic()))
		_, peer = s.recvfrom(65536)
		write_atomic(args.port_file + ".peer", "%s:%d\n" % peer)
		s.connect(peer)
		return s
	s.connect(("127.0.0.1", args.port))
	write_atomic(args.out + ".local", "%s:%d\n" % s.getsockname())
	return s


def open_conn(args, deadline):
	if args.udp:
		return open_udp(args, deadline)
	if args.mode == "listen":
		srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
		srv.bind((args.host, args.port or 0))
		srv.listen(1)
		srv.settimeout(max(0.1, deadline - time.monotonic()))
		write_atomic(args.port_file, "%d\n" % srv.getsockname()[1])
		conn, peer = srv.accept()
		srv.close()
		write_atomic(args.port_file + ".peer", "%s:%d\n" % peer)
		return conn
	conn = socket.create_connection(("127.0.0.1", args.port),
					timeout=max(0.1, deadline - time.monotonic()))
	write_atomic(args.out + ".local", "%s:%d\n" % conn.getsockname())
	return conn


def relay(conn, args, deadline):
	seen = False
	grace_end = None
	conn.sendall(args.send.encode() + b"\n")
	with open(args.out, "ab", buffering=0) as out:
		while True:
			now = time.monotonic()
			end = min(deadline, grace_end) if grace_end else deadline
			if now >= end:
				break
			conn.settimeout(end - now)
			try:
				data = conn.recv(4096)
			except socket.timeout:
				break
			if not data and not args.udp:
				break
			out.write(data)
			if not seen and args.until and args.until.encode() in data:
				seen = True
				grace_end = time.monotonic() + args.grace
	return seen


def main():
	ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	ap.add_argument("mode", choices=["listen", "connect"])
	ap.add_argument("--port", type=int, default=0)
	ap.add_argument("--host", default="127.0.0.1",
			help="the address to listen on (a test's own: loopback, or the host's side "
			"of a container network the test made)")
	ap.add_argument("--port-file")
	ap.add_argument("--out", required=True)
	ap.add_argument("--send", default="id; exit")
	ap.add_argument("--until", default="uid=")
	ap.add_argument("--timeout", type=float, default=10.0)
	ap.add_argument("--grace", type=float, default=1.0)
	ap.add_argument("--udp", action="store_true")
	args = ap.parse_args()
	if args.mode == "listen" and not args.port_file:
		ap.error("listen needs --port-file")
	if args.mode == "connect" and not args.port:
		ap.error("connect needs --port")
	deadline = time.monotonic() + args.timeout
	try:
		conn = open_conn(args, deadline)
		seen = relay(conn, args, deadline)
		if args.udp:
			try:
				conn.send(b"")
			except OSError:
				pass
		conn.close()
	except OSError as e:
		print("listener: %s" % e, file=sys.stderr)
		return 1
	return 0 if seen else 1


if __name__ == "__main__":
	sys.exit(main())
