/* event.c: typed facts from an event's arguments (include/event.h, docs/trace-format.md): the one
 * place that knows how the text vocabulary maps onto the judge's facts, shared by every text
 * source (trace, strace, auditd, /proc scan). */
#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>
#include "event.h"
#include "container.h"
#include "interp.h"

enum sw_kind sw_kind_of_call(struct sw_str c)
{
	static const struct {
		const char *name;
		enum sw_kind kind;
	} calls[] = {
		{ "connect", SW_EV_SOCK }, { "accept", SW_EV_SOCK },   { "accept4", SW_EV_SOCK },
		{ "dup", SW_EV_DUP },      { "dup2", SW_EV_DUP },      { "dup3", SW_EV_DUP },
		{ "fcntl", SW_EV_DUP },    { "execve", SW_EV_EXEC },   { "execveat", SW_EV_EXEC },
		{ "fork", SW_EV_FORK },    { "exit", SW_EV_EXIT },     { "proc", SW_EV_PROC },
		{ "meta", SW_EV_META },
	};

	/* Every name is 3 to 8 bytes and starts with one of these letters: most calls of a trace
	 * (read, write, openat, ...) are out after one test. */
	if (c.len < 3 || c.len > 8 || !memchr("adcefmp", c.p[0], 7))
		return SW_EV_OTHER;
	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
		if (sw_str_eqc(c, calls[i].name))
			return calls[i].kind;
	return SW_EV_OTHER;
}

/* A decimal integer, optionally negative, that fits in int64; false otherwise. */
static bool parse_i64(const struct sw_str *v, int64_t *out)
{
	uint64_t n = 0;
	uint32_t i = 0;
	bool neg;

	if (!v || !v->len)
		return false;
	neg = v->p[0] == '-';
	i = neg;
	if (i == v->len)
		return false;
	for (; i < v->len; i++) {
		if (v->p[i] < '0' || v->p[i] > '9' || n > (UINT64_MAX >> 1) / 10)
			return false;
		n = n * 10 + (uint64_t)(v->p[i] - '0');
	}
	if (n > (uint64_t)INT64_MAX)
		return false;
	*out = neg ? -(int64_t)n : (int64_t)n;
	return true;
}

static int32_t str_i32(const struct sw_str *s, int32_t dflt)
{
	int64_t v;

	return parse_i64(s, &v) && v >= INT32_MIN && v <= INT32_MAX ? (int32_t)v : dflt;
}

static int32_t arg_i32(const struct sw_event *ev, const char *name, int32_t dflt)
{
	return str_i32(sw_event_arg(ev, name), dflt);
}

/* "0x80000", "524288" or strace's "O_CLOEXEC": a number, 0 when it is none. */
static uint32_t arg_flags(const struct sw_str *v)
{
	uint64_t n = 0;
	uint32_t i = 2;

	if (!v || !v->len)
		return 0;
	if (v->len > 2 && v->p[0] == '0' && (v->p[1] | 0x20) == 'x') {
		for (; i < v->len && i < 18; i++) {
			char c = (char)(v->p[i] | 0x20);

			if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
				return 0;
			n = n * 16 + (uint64_t)(c <= '9' ? c - '0' : c - 'a' + 10);
		}
		return (uint32_t)n;
	}
	if (sw_str_eqc(*v, "O_CLOEXEC"))
		return 02000000;
	return (uint32_t)str_i32(v, 0);
}

static uint64_t arg_u64(const struct sw_event *ev, const char *name)
{
	int64_t v;

	return parse_i64(sw_event_arg(ev, name), &v) && v > 0 ? (uint64_t)v : 0;
}

static bool arg_is(const struct sw_event *ev, const char *name, const char *val)
{
	const struct sw_str *v = sw_event_arg(ev, name);

	return v && sw_str_eqc(*v, val);
}

/* "1.2.3.4" or "::1" into a (16 bytes); returns the family or 0. */
static int parse_addr(struct sw_str s, uint8_t a[16])
{
	char buf[64];

	if (!s.len || s.len >= sizeof(buf))
		return 0;
	memcpy(buf, s.p, s.len);
	buf[s.len] = '\0';
	memset(a, 0, 16);
	if (inet_pton(AF_INET, buf, a) == 1)
		return AF_INET;
	if (inet_pton(AF_INET6, buf, a) == 1)
		return AF_INET6;
	return 0;
}

static bool parse_port(struct sw_str s, uint16_t *port)
{
	int64_t v;

	if (!parse_i64(&s, &v) || v < 0 || v > 65535)
		return false;
	*port = (uint16_t)v;
	return true;
}

/* "1.2.3.4:80" or "[::1]:80": address and port; returns the family or 0. */
static int parse_endpoint(const struct sw_str *v, uint8_t a[16], uint16_t *port)
{
	struct sw_str addr, p;
	uint32_t colon;
	int fam;

	if (!v || v->len < 3)
		return 0;
	for (colon = v->len; colon > 0 && v->p[colon - 1] != ':'; colon--)
		;
	if (!colon)
		return 0;
	addr = (struct sw_str){ v->p, colon - 1 };
	p = (struct sw_str){ v->p + colon, v->len - colon };
	if (addr.len >= 2 && addr.p[0] == '[' && addr.p[addr.len - 1] == ']')
		addr.p++, addr.len -= 2;
	fam = parse_addr(addr, a);
	return fam && parse_port(p, port) ? fam : 0;
}

/* "DEV:INO" (decimal): a pipe or fifo's identity. */
static void parse_pipe_id(const struct sw_str *v, struct sw_fd *f)
{
	struct sw_str a, b;
	int64_t dev, ino;
	uint32_t i;

	if (!v)
		return;
	for (i = 0; i < v->len && v->p[i] != ':'; i++)
		;
	if (i == v->len)
		return;
	a = (struct sw_str){ v->p, i };
	b = (struct sw_str){ v->p + i + 1, v->len - i - 1 };
	if (parse_i64(&a, &dev) && parse_i64(&b, &ino) && dev >= 0 && dev <= UINT32_MAX && ino > 0) {
		f->dev = (uint32_t)dev;
		f->ino = (uint64_t)ino;
	}
}

/* An fdN= / src= value: "sock:inet", "pipe", "tty", ... */
static void parse_fd_kind(const struct sw_str *v, struct sw_fd *f)
{
	static const struct {
		const char *name;
		uint8_t kind;
		uint16_t family;
	} kinds[] = {
		{ "sock:inet", SW_FD_SOCK, AF_INET }, { "sock:inet6", SW_FD_SOCK, AF_INET6 },
		{ "sock:unix", SW_FD_SOCK, AF_UNIX }, { "sock:other", SW_FD_SOCK, 0 },
		{ "sock", SW_FD_SOCK, 0 },            { "pipe", SW_FD_PIPE, 0 },
		{ "fifo", SW_FD_FIFO, 0 },            { "tty", SW_FD_TTY, 0 },
		{ "file", SW_FD_FILE, 0 },            { "other", SW_FD_OTHER, 0 },
		{ "none", SW_FD_NONE, 0 },
	};

	memset(f, 0, sizeof(*f));
	for (size_t i = 0; v && i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (sw_str_eqc(*v, kinds[i].name)) {
			f->kind = kinds[i].kind;
			f->family = kinds[i].family;
			return;
		}
}

/* An fd's endpoints and pipe identity from peer=/local=/pipe= style arguments. */
static void parse_fd_detail(const struct sw_event *ev, struct sw_fd *f, const char *peer,
			    const char *local, const char *pipe)
{
	uint8_t a[16];
	uint16_t port;
	int fam;

	if (f->kind == SW_FD_SOCK) {
		fam = parse_endpoint(sw_event_arg(ev, peer), a, &port);
		if (fam) {
			memcpy(f->paddr, a, 16);
			f->pport = port;
			f->family = f->family ? f->family : (uint16_t)fam;
		}
		fam = parse_endpoint(sw_event_arg(ev, local), a, &port);
		if (fam) {
			memcpy(f->laddr, a, 16);
			f->lport = port;
		}
	} else if (f->kind == SW_FD_PIPE || f->kind == SW_FD_FIFO) {
		parse_pipe_id(sw_event_arg(ev, pipe), f);
	}
}

static uint16_t family_of(const struct sw_str *v)
{
	int64_t n;

	if (!v)
		return 0;
	if (sw_str_eqc(*v, "inet"))
		return AF_INET;
	if (sw_str_eqc(*v, "inet6"))
		return AF_INET6;
	if (sw_str_eqc(*v, "unix"))
		return AF_UNIX;
	return parse_i64(v, &n) && n > 0 && n < 65536 ? (uint16_t)n : 0;
}

static void sock_facts(struct sw_event *ev)
{
	struct sw_sock_facts *s = &ev->sock;
	uint8_t a[16];
	uint16_t port;
	const struct sw_str *addr = sw_event_arg(ev, "addr"), *p = sw_event_arg(ev, "port");

	s->accepted = !sw_str_eqc(ev->call, "connect");
	s->fd = arg_i32(ev, "fd", -1);
	s->ret = ev->has_ret ? str_i32(&ev->ret, -1) : -1;
	s->sock.kind = SW_FD_SOCK;
	s->sock.family = family_of(sw_event_arg(ev, "family"));
	if (addr && parse_addr(*addr, a))
		memcpy(s->sock.paddr, a, 16);
	if (p && parse_port(*p, &port))
		s->sock.pport = port;
	if (parse_endpoint(sw_event_arg(ev, "local"), a, &port)) {
		memcpy(s->sock.laddr, a, 16);
		s->sock.lport = port;
	}
}

static void dup_facts(struct sw_event *ev)
{
	struct sw_dup_facts *d = &ev->dup;
	const struct sw_str *src = sw_event_arg(ev, "src");

	d->oldfd = arg_i32(ev, "fd", -1);
	d->newfd = arg_i32(ev, sw_str_eqc(ev->call, "fcntl") ? "arg" : "newfd", -1);
	d->ret = ev->has_ret ? str_i32(&ev->ret, -1) : -1;
	if (sw_str_eqc(ev->call, "dup3"))
		d->flags = arg_flags(sw_event_arg(ev, "flags"));
	else if (sw_str_eqc(ev->call, "fcntl"))
		d->flags = arg_is(ev, "cmd", "F_DUPFD_CLOEXEC") ? 1030 : 0;
	if (src)
		parse_fd_kind(src, &d->src);
	else if (arg_is(ev, "sock", "1"))
		d->src.kind = SW_FD_SOCK;
	parse_fd_detail(ev, &d->src, "peer", "local", "pipe");
}

/* ctr=RUNTIME:ID, pod=UID, ns_pid=, pidns=, netns= (docs/trace-format.md). */
static void parse_container(const struct sw_event *ev, struct sw_exec_facts *x)
{
	const struct sw_str *v = sw_event_arg(ev, "ctr"), *pod = sw_event_arg(ev, "pod");
	const char *colon = v ? memchr(v->p, ':', v->len) : NULL;
	char rt[16];
	size_t n;

	if (!colon)
		return;
	n = (size_t)(colon - v->p);
	if (n >= sizeof(rt))
		return;
	memcpy(rt, v->p, n);
	rt[n] = '\0';
	x->ctr_runtime = (uint8_t)ctr_runtime_parse(rt);
	if (x->ctr_runtime == CTR_NONE)
		return;
	x->ctr_id = (struct sw_str){ colon + 1, (uint32_t)(v->len - n - 1) };
	if (pod)
		x->pod_uid = *pod;
	x->ns_pid = (uint32_t)arg_u64(ev, "ns_pid");
	x->pidns = (uint32_t)arg_u64(ev, "pidns");
	x->netns = (uint32_t)arg_u64(ev, "netns");
}

static void exec_facts(struct sw_event *ev)
{
	static const char *const fdn[] = { "fd0", "fd1", "fd2" };
	static const char *const peern[] = { "peer0", "peer1", "peer2" };
	static const char *const localn[] = { "local0", "local1", "local2" };
	static const char *const pipen[] = { "pipe0", "pipe1", "pipe2" };
	static const char *const ownern[] = { "owner0", "owner1", "owner2" };
	struct sw_exec_facts *x = &ev->exec;
	const struct sw_str *exe = sw_event_arg(ev, "exe"), *argv = sw_event_arg(ev, "argv"), *v;

	x->exe = exe ? *exe : (struct sw_str){ "", 0 };
	x->argv = argv ? *argv : (struct sw_str){ "", 0 };
	x->argv_trunc = arg_is(ev, "argv_trunc", "1");
	if ((v = sw_event_arg(ev, "argl")))
		x->argl = *v;
	if ((v = sw_event_arg(ev, "cwd")))
		x->cwd = *v;
	x->killed = arg_is(ev, "killed", "1");
	x->pstart_ns = arg_u64(ev, "pstart");
	if ((v = sw_event_arg(ev, "cmd_from_net")))
		x->cmd_from_net = sw_str_eqc(*v, "self") ? 1 : sw_str_eqc(*v, "parent") ? 2 : 0;
	parse_container(ev, x);
	if ((v = sw_event_arg(ev, "interp"))) {
		x->interp = *v;
		v = sw_event_arg(ev, "interp_by");
		x->interp_by = v ? (uint8_t)interp_by_of(v->p, v->len) : INTERP_BY_NONE;
	}
	for (int i = 0; i < 3; i++) {
		const struct sw_str *k = sw_event_arg(ev, fdn[i]);

		if (!k)
			continue;
		x->stdio_known = true;
		parse_fd_kind(k, &x->stdio[i]);
		parse_fd_detail(ev, &x->stdio[i], peern[i], localn[i], pipen[i]);
		x->stdio[i].owner = (uint32_t)arg_u64(ev, ownern[i]);
	}
}

void sw_event_facts(struct sw_event *ev)
{
	const struct sw_str *comm = sw_event_arg(ev, "comm"), *host, *boot;
	enum sw_kind kind = sw_kind_of_call(ev->call);

	ev->kind = kind;
	ev->comm = comm ? *comm : (struct sw_str){ "", 0 };
	switch (kind) {   /* each kind clears the union member it fills */
	case SW_EV_SOCK:
		memset(&ev->sock, 0, sizeof(ev->sock));
		sock_facts(ev);
		break;
	case SW_EV_DUP:
		memset(&ev->dup, 0, sizeof(ev->dup));
		dup_facts(ev);
		break;
	case SW_EV_EXEC:
	case SW_EV_PROC:
		memset(&ev->exec, 0, sizeof(ev->exec));
		exec_facts(ev);
		break;
	case SW_EV_FORK:
		ev->fork_child = (uint32_t)arg_u64(ev, "child");
		break;
	case SW_EV_EXIT:
		memset(&ev->exit, 0, sizeof(ev->exit));
		ev->exit.code = arg_i32(ev, "code", 0);
		ev->exit.sig = arg_i32(ev, "sig", 0);
		break;
	case SW_EV_META:
		memset(&ev->meta, 0, sizeof(ev->meta));
		host = sw_event_arg(ev, "host");
		boot = sw_event_arg(ev, "boot_id");
		ev->meta.host = host ? *host : (struct sw_str){ "", 0 };
		ev->meta.boot_id = boot ? *boot : (struct sw_str){ "", 0 };
		break;
	case SW_EV_OTHER:
		break;
	}
}
