/* live_decode.c: the one conversion from a wire record (include/wire.h) to struct sw_event: the
 * call and argument names of docs/trace-format.md and the typed facts, set straight from the
 * record (tests/unit/test_live_decode.c checks that sw_event_facts() derives the same facts from the
 * arguments, so a recorded trace replays to the same judgement). Pure (no BPF, no I/O); every
 * string it produces lives in the caller's scratch buffer.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include "argl.h"
#include "container.h"
#include "live_decode.h"
#include "wirecmd.h"

static const char *const call_names[WIRE_C_MAX] = {
	[WIRE_C_ACCEPT] = "accept",   [WIRE_C_ACCEPT4] = "accept4", [WIRE_C_CONNECT] = "connect",
	[WIRE_C_DUP] = "dup",         [WIRE_C_DUP2] = "dup2",       [WIRE_C_DUP3] = "dup3",
	[WIRE_C_FCNTL] = "fcntl",     [WIRE_C_EXECVE] = "execve",   [WIRE_C_EXECVEAT] = "execveat",
	[WIRE_C_FORK] = "fork",       [WIRE_C_EXIT] = "exit",
};

/* The body each call must carry. */
static const uint16_t call_types[WIRE_C_MAX] = {
	[WIRE_C_ACCEPT] = WIRE_SOCK, [WIRE_C_ACCEPT4] = WIRE_SOCK, [WIRE_C_CONNECT] = WIRE_SOCK,
	[WIRE_C_DUP] = WIRE_DUP,     [WIRE_C_DUP2] = WIRE_DUP,     [WIRE_C_DUP3] = WIRE_DUP,
	[WIRE_C_FCNTL] = WIRE_DUP,   [WIRE_C_EXECVE] = WIRE_EXEC,  [WIRE_C_EXECVEAT] = WIRE_EXEC,
	[WIRE_C_FORK] = WIRE_FORK,   [WIRE_C_EXIT] = WIRE_EXIT,
};

static size_t type_size(uint16_t type)
{
	switch (type) {
	case WIRE_SOCK: return sizeof(struct wire_sock_ev);
	case WIRE_DUP: return sizeof(struct wire_dup);
	case WIRE_EXEC: return sizeof(struct wire_exec);
	case WIRE_FORK: return sizeof(struct wire_fork);
	case WIRE_EXIT: return sizeof(struct wire_exit);
	}
	return 0;
}

/* Builds an event's arguments, their values appended to the scratch buffer. */
struct builder {
	struct sw_event *ev;
	char *p;
	size_t cap, len;
	bool full;
};

static struct sw_str put_bytes(struct builder *b, const char *s, size_t n)
{
	struct sw_str r = { b->p + b->len, (uint32_t)n };

	if (n > b->cap - b->len) {
		b->full = true;
		return (struct sw_str){ "", 0 };
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	return r;
}

static struct sw_str put_fmt(struct builder *b, const char *fmt, ...)
{
	char tmp[96];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	return put_bytes(b, tmp, n < 0 ? 0 : (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

static void add(struct builder *b, const char *name, struct sw_str val)
{
	if (b->ev->nargs >= SW_EVENT_MAX_ARGS) {
		b->full = true;
		return;
	}
	b->ev->args[b->ev->nargs++] = (struct sw_arg){ sw_str_c(name), val };
}

/* A decimal integer; by hand because vsnprintf per number was most of the decoding time. */
static struct sw_str put_int(struct builder *b, long long v)
{
	char tmp[24], *p = tmp + sizeof(tmp);
	unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;

	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--p = '-';
	return put_bytes(b, p, (size_t)(tmp + sizeof(tmp) - p));
}

static void add_int(struct builder *b, const char *name, long long v)
{
	add(b, name, put_int(b, v));
}

static const char *family_name(uint16_t family)
{
	switch (family) {
	case AF_INET: return "inet";
	case AF_INET6: return "inet6";
	case AF_UNIX: return "unix";
	}
	return NULL;
}

static bool is_inet(uint16_t family)
{
	return family == AF_INET || family == AF_INET6;
}

/* An address without port: 1.2.3.4 or ::1. */
static struct sw_str put_addr(struct builder *b, uint16_t family, const uint8_t *a)
{
	char s[INET6_ADDRSTRLEN];

	if (!inet_ntop(family, a, s, sizeof(s)))
		s[0] = '\0';
	return put_bytes(b, s, strlen(s));
}

/* An endpoint: 1.2.3.4:80 or [::1]:80. */
static struct sw_str put_endpoint(struct builder *b, uint16_t family, const uint8_t *a, uint16_t port)
{
	char s[INET6_ADDRSTRLEN];

	if (!inet_ntop(family, a, s, sizeof(s)))
		s[0] = '\0';
	return family == AF_INET6 ? put_fmt(b, "[%s]:%u", s, port) : put_fmt(b, "%s:%u", s, port);
}

/* The kernel's description of an fd as the event model's (its kinds are one apart: the model
 * keeps 0 for "the source cannot tell"). */
static void to_sw_fd(struct sw_fd *out, const struct wire_fd *f)
{
	memset(out, 0, sizeof(*out));
	out->kind = f->kind <= WIRE_FD_OTHER ? (uint8_t)(f->kind + 1) : SW_FD_OTHER;
	if (f->kind == WIRE_FD_SOCK) {
		/* what the trace can say: inet, inet6, unix, or "other" (family unknown) */
		out->family = is_inet(f->family) || f->family == AF_UNIX ? f->family : 0;
		if (is_inet(f->family)) {
			out->lport = f->lport, out->pport = f->pport;
			memcpy(out->laddr, f->laddr, 16);
			memcpy(out->paddr, f->paddr, 16);
		}
	} else if (f->kind == WIRE_FD_PIPE || f->kind == WIRE_FD_FIFO) {
		out->ino = f->ino;
		out->dev = f->dev;
	}
	if (f->kind == WIRE_FD_PIPE || (f->kind == WIRE_FD_SOCK && f->family == AF_UNIX))
		out->owner = f->owner;
}

static void decode_sock(struct builder *b, const struct wire_sock_ev *e, uint16_t call)
{
	const char *fam = family_name(e->sock.family);
	struct sw_sock_facts *s = &b->ev->sock;

	add_int(b, "fd", e->fd);
	if (call != WIRE_C_CONNECT && is_inet(e->sock.family))
		add(b, "local", put_endpoint(b, e->sock.family, e->sock.laddr, e->sock.lport));
	if (fam)
		add(b, "family", sw_str_c(fam));
	else
		add_int(b, "family", e->sock.family);
	if (is_inet(e->sock.family)) {
		add(b, "addr", put_addr(b, e->sock.family, e->sock.paddr));
		add_int(b, "port", e->sock.pport);
	}
	b->ev->ret = put_int(b, e->ret);
	b->ev->has_ret = true;
	b->ev->kind = SW_EV_SOCK;
	s->accepted = call != WIRE_C_CONNECT;
	s->fd = e->fd, s->ret = e->ret;
	to_sw_fd(&s->sock, &e->sock);
	s->sock.kind = SW_FD_SOCK;
	s->sock.family = e->sock.family;   /* written as a number when it has no name */
	if (call == WIRE_C_CONNECT)   /* the kernel reads only the destination asked for */
		memset(s->sock.laddr, 0, 16), s->sock.lport = 0;
	if (!is_inet(e->sock.family))
		memset(s->sock.paddr, 0, 16), s->sock.pport = 0;
}

static void decode_dup(struct builder *b, const struct wire_dup *e, uint16_t call)
{
	add_int(b, "fd", e->oldfd);
	if (call == WIRE_C_DUP2 || call == WIRE_C_DUP3)
		add_int(b, "newfd", e->newfd);
	if (call == WIRE_C_DUP3)
		add(b, "flags", put_fmt(b, "%#x", e->flags));
	if (call == WIRE_C_FCNTL) {
		add(b, "cmd", sw_str_c(e->flags == 0 ? "F_DUPFD" : "F_DUPFD_CLOEXEC"));
		add_int(b, "arg", e->newfd);
	}
	if (e->sock)
		add(b, "sock", sw_str_c("1"));
	b->ev->ret = put_int(b, e->ret);
	b->ev->has_ret = true;
	b->ev->kind = SW_EV_DUP;
	b->ev->dup = (struct sw_dup_facts){
		.oldfd = e->oldfd, .ret = e->ret,
		.newfd = call == WIRE_C_DUP ? -1 : e->newfd,
		.flags = call == WIRE_C_DUP3 || call == WIRE_C_FCNTL ? e->flags : 0,
		.src.kind = e->sock ? SW_FD_SOCK : SW_FD_UNKNOWN,
	};
	if (call == WIRE_C_FCNTL && e->flags != 0)
		b->ev->dup.flags = 1030;  /* F_DUPFD_CLOEXEC, what cmd= says */
}

static const char *fd_kind_name(const struct wire_fd *f)
{
	static const char *const kinds[] = {
		[WIRE_FD_NONE] = "none", [WIRE_FD_PIPE] = "pipe", [WIRE_FD_FIFO] = "fifo",
		[WIRE_FD_TTY] = "tty",   [WIRE_FD_FILE] = "file", [WIRE_FD_OTHER] = "other",
	};

	if (f->kind == WIRE_FD_SOCK) {
		const char *fam = family_name(f->family);

		if (!fam)
			return "sock:other";
		return f->family == AF_INET ? "sock:inet" : f->family == AF_INET6 ? "sock:inet6" :
										    "sock:unix";
	}
	return f->kind < sizeof(kinds) / sizeof(kinds[0]) && kinds[f->kind] ? kinds[f->kind] : "other";
}

/* argv as one string: the NUL separators become spaces, trailing NULs go; and its argl when that
 * string does not split back into the arguments (include/argl.h). */
static struct sw_str put_argv(struct builder *b, const struct wire_exec *e, struct sw_str *argl)
{
	size_t n = e->argv_len < WIRE_ARGV_MAX ? e->argv_len : WIRE_ARGV_MAX, k;
	char lens[ARGL_TEXT_MAX + 1];
	struct sw_str s;

	while (n && e->argv[n - 1] == '\0')
		n--;
	s = put_bytes(b, e->argv, n);
	k = argl_join((char *)s.p, s.len, lens, sizeof(lens));
	*argl = k ? put_bytes(b, lens, k) : (struct sw_str){ "", 0 };
	return s;
}

static bool received_command(const struct wire_exec *e)
{
	size_t n = e->recv_len < WIRE_RECV_MAX ? e->recv_len : WIRE_RECV_MAX;

	return n && e->recv_age <= 10000000000ull &&
	       wirecmd_match(e->recv, n, n == WIRE_RECV_MAX, e->argv,
			     e->argv_len < WIRE_ARGV_MAX ? e->argv_len : WIRE_ARGV_MAX);
}

/* Which container, from the cgroup names the kernel read (container.h): ctr=RUNTIME:ID, pod=,
 * and there only the namespaces. The names are cut to WIRE_CGROUP_NAME by the kernel and
 * NUL-terminated here. */
static void decode_container(struct builder *b, const struct wire_exec *e)
{
	char names[CTR_NAME_DEPTH][WIRE_CGROUP_NAME + 1];
	const char *np[CTR_NAME_DEPTH];
	struct sw_exec_facts *x = &b->ev->exec;
	struct ctr_ref c;
	struct sw_str v;

	for (int i = 0; i < CTR_NAME_DEPTH; i++) {
		size_t n = strnlen(e->cgroup[i], WIRE_CGROUP_NAME);

		memcpy(names[i], e->cgroup[i], n);
		names[i][n] = '\0';
		np[i] = names[i];
	}
	if (!ctr_from_cgroup_names(np, &c))
		return;
	v = put_fmt(b, "%s:%s", ctr_runtime_name(c.runtime), c.id);
	if (!v.len)
		return;
	add(b, "ctr", v);
	x->ctr_runtime = (uint8_t)c.runtime;
	x->ctr_id = (struct sw_str){ v.p + strlen(ctr_runtime_name(c.runtime)) + 1, CTR_ID_LEN };
	if (c.pod_uid[0]) {
		x->pod_uid = put_bytes(b, c.pod_uid, strlen(c.pod_uid));
		add(b, "pod", x->pod_uid);
	}
	x->ns_pid = e->ns_pid, x->pidns = e->pidns, x->netns = e->netns;
	add_int(b, "ns_pid", e->ns_pid);
	add_int(b, "pidns", e->pidns);
	add_int(b, "netns", e->netns);
}

/* The working directory: the kernel kept the end of a longer path, which is marked by a leading
 * "..." (include/event.h, sw_exec_facts.cwd). */
static struct sw_str put_cwd(struct builder *b, const struct wire_exec *e)
{
	size_t n = e->cwd_len < WIRE_CWD_MAX ? e->cwd_len : WIRE_CWD_MAX, k = e->cwd_trunc ? 3 : 0;
	char tmp[WIRE_CWD_MAX + 3];

	if (!n || memchr(e->cwd, '\0', n))
		return (struct sw_str){ "", 0 };
	memcpy(tmp, "...", k);
	memcpy(tmp + k, e->cwd, n);
	return put_bytes(b, tmp, k + n);
}

static void decode_exec(struct builder *b, const struct wire_exec *e)
{
	static const char *const fdn[] = { "fd0", "fd1", "fd2" };
	static const char *const peern[] = { "peer0", "peer1", "peer2" };
	static const char *const localn[] = { "local0", "local1", "local2" };
	static const char *const pipen[] = { "pipe0", "pipe1", "pipe2" };
	static const char *const ownern[] = { "owner0", "owner1", "owner2" };
	size_t exe_len = strnlen(e->exe, WIRE_EXE_MAX);
	struct sw_exec_facts *x = &b->ev->exec;

	x->exe = put_bytes(b, e->exe, exe_len);
	x->argv = put_argv(b, e, &x->argl);
	add(b, "exe", x->exe);
	add(b, "argv", x->argv);
	if (e->argv_trunc)
		add(b, "argv_trunc", sw_str_c("1"));
	for (int i = 0; i < 3; i++)
		add(b, fdn[i], sw_str_c(fd_kind_name(&e->fds[i])));
	for (int i = 0; i < 3; i++) {
		const struct wire_fd *f = &e->fds[i];

		to_sw_fd(&x->stdio[i], f);
		if ((f->kind == WIRE_FD_PIPE || f->kind == WIRE_FD_FIFO) && f->ino)
			add(b, pipen[i], put_fmt(b, "%u:%llu", f->dev, (unsigned long long)f->ino));
		if ((f->kind == WIRE_FD_PIPE || f->kind == WIRE_FD_FIFO) && !f->ino)
			x->stdio[i].dev = 0;
		if (x->stdio[i].owner)
			add_int(b, ownern[i], x->stdio[i].owner);
		if (f->kind != WIRE_FD_SOCK || !is_inet(f->family))
			continue;
		add(b, peern[i], put_endpoint(b, f->family, f->paddr, f->pport));
		add(b, localn[i], put_endpoint(b, f->family, f->laddr, f->lport));
	}
	if (e->pstart)
		add_int(b, "pstart", (long long)e->pstart);
	if (e->killed)
		add(b, "killed", sw_str_c("1"));
	decode_container(b, e);
	if (e->recv_from && received_command(e)) {
		x->cmd_from_net = e->recv_from == 1 ? 1 : 2;
		add(b, "cmd_from_net", sw_str_c(x->cmd_from_net == 1 ? "self" : "parent"));
	}
	if (x->argl.len)           /* late in the line: the older arguments keep their places */
		add(b, "argl", x->argl);
	x->cwd = put_cwd(b, e);
	if (x->cwd.len)
		add(b, "cwd", x->cwd);
	b->ev->ret = sw_str_c("0");
	b->ev->has_ret = true;
	b->ev->kind = SW_EV_EXEC;
	x->argv_trunc = e->argv_trunc;
	x->killed = e->killed;
	x->stdio_known = true;
	x->pstart_ns = e->pstart;
}

static void decode_exit(struct builder *b, const struct wire_exit *e)
{
	add_int(b, "code", (e->status >> 8) & 0xff);
	if (e->status & 0x7f)
		add_int(b, "sig", e->status & 0x7f);
	b->ev->kind = SW_EV_EXIT;
	b->ev->exit.code = (e->status >> 8) & 0xff;
	b->ev->exit.sig = e->status & 0x7f;
}

int live_decode(const void *raw, size_t size, struct sw_event *ev, char *scratch, size_t cap)
{
	const struct wire_hdr *h = raw;
	struct builder b = { ev, scratch, cap, 0, false };

	if (size < sizeof(*h) || h->call == 0 || h->call >= WIRE_C_MAX ||
	    call_types[h->call] != h->type || h->size != type_size(h->type) || size < h->size)
		return -EINVAL;
	memset(ev, 0, sizeof(*ev));
	ev->call = sw_str_c(call_names[h->call]);
	ev->has_pid = ev->has_uid = ev->has_time = true;
	ev->pid = h->pid, ev->ppid = h->ppid, ev->uid = h->uid;
	ev->t_ns = h->ktime;
	ev->has_start = h->start != 0;
	ev->start_ns = h->start;
	ev->comm = put_bytes(&b, h->comm, strnlen(h->comm, WIRE_COMM_LEN));
	add(&b, "comm", ev->comm);
	switch (h->type) {
	case WIRE_SOCK: decode_sock(&b, raw, h->call); break;
	case WIRE_DUP: decode_dup(&b, raw, h->call); break;
	case WIRE_EXEC: decode_exec(&b, raw); break;
	case WIRE_FORK:
		ev->kind = SW_EV_FORK;
		ev->fork_child = ((const struct wire_fork *)raw)->child;
		add_int(&b, "child", ev->fork_child);
		break;
	case WIRE_EXIT: decode_exit(&b, raw); break;
	}
	return b.full ? -ENOSPC : 0;
}
