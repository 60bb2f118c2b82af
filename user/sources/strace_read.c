/* strace_read.c: `strace -f [-t|-tt|-ttt] [-y|-yy]` output to sw_event records (strace_read.h).
 *
 * A line is [pid prefix] [time] then a call `name(args) = ret [ERRNO (text)]`, a split call
 * (`<unfinished ...>` now, `<... name resumed>rest` later, joined per pid), `+++ exited with N +++`,
 * `--- SIGNAL {...} ---` or a strace message. Arguments are split at top-level commas; strace's
 * strings (octal and C escapes, `"..."...` when cut) are decoded into the reader's scratch buffer,
 * which the event borrows until the next line.
 *
 * With -y/-yy strace writes what an fd is after its number, in arguments and results
 * (`3<TCP:[127.0.0.1:40000->127.0.0.1:4444]>`, `1<pipe:[123]>`, `0</dev/pts/0<char 136:0>>`).
 * The number alone goes into fd=/newfd= and the result, so rules match as without -yy; what the
 * annotation says becomes the trace vocabulary's facts: src=/peer=/local=/pipe=/sock=1 on the dup
 * family, local= (and the peer, without a sockaddr) on accept, local= on connect. A fifo is a path
 * like any file: the reader remembers the fifos made in the capture (mknod/mknodat S_IFIFO) and
 * numbers them, since strace shows no inode for them (docs/engine.md, "strace captures").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "argl.h"
#include "strace_read.h"

#define PENDING 64
#define PIDMAP 4096
#define MAX_SPLIT 8
#define FIFOS 32
#define FIFO_ID0 (1ULL << 62)   /* fifo numbers: above any pipe inode, which is 32-bit */

struct pending {
	uint32_t pid;
	bool used;
	char *text;
	size_t len;
};

struct pidinfo {
	uint32_t pid, tgid, ppid; /* pid 0 = empty */
};

struct fifo {
	char *path;               /* absolute, unquoted; NULL = empty */
	size_t len;
	uint64_t id;
};

struct strace_reader {
	struct pending pend[PENDING];
	struct pidinfo map[PIDMAP];
	unsigned nmap;
	char *join, *scratch;
	size_t joincap, scap, sused;
	struct fifo fifos[FIFOS];  /* the fifos made in the capture, the oldest overwritten */
	unsigned fifo_next;
	uint64_t fifo_ids;
};

struct span {
	char *p;
	size_t len;
};

/* What strace -y/-yy said an fd is. */
struct fd_desc {
	const char *kind;          /* an fdN= value (docs/trace-format.md); NULL: nothing said */
	struct span local, peer;   /* inet sockets: ADDR:PORT or [ADDR]:PORT as strace prints */
	struct span ino;           /* pipes: the inode */
	uint64_t fifo;             /* fifos made in the capture: their number */
};

struct strace_reader *strace_reader_new(void)
{
	return calloc(1, sizeof(struct strace_reader));
}

void strace_reader_free(struct strace_reader *r)
{
	if (!r)
		return;
	for (unsigned i = 0; i < PENDING; i++)
		free(r->pend[i].text);
	for (unsigned i = 0; i < FIFOS; i++)
		free(r->fifos[i].path);
	free(r->join);
	free(r->scratch);
	free(r);
}

static struct pidinfo *pid_slot(struct strace_reader *r, uint32_t pid, bool create)
{
	uint32_t i = (pid * 2654435761u) & (PIDMAP - 1);

	while (r->map[i].pid && r->map[i].pid != pid)
		i = (i + 1) & (PIDMAP - 1);
	if (r->map[i].pid || !create || !pid)
		return r->map[i].pid ? &r->map[i] : NULL;
	if (r->nmap >= PIDMAP / 2) { /* forget old processes rather than grow without bound */
		memset(r->map, 0, sizeof(r->map));
		r->nmap = 0;
		return pid_slot(r, pid, create);
	}
	r->nmap++;
	r->map[i] = (struct pidinfo){ pid, pid, 0 };
	return &r->map[i];
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool span_eq(struct span s, const char *c)
{
	return s.len == strlen(c) && !memcmp(s.p, c, s.len);
}

static bool span_starts(struct span s, const char *c)
{
	return s.len >= strlen(c) && !memcmp(s.p, c, strlen(c));
}

static struct sw_str str_of(struct span s)
{
	return (struct sw_str){ s.p, (uint32_t)s.len };
}

/* Room in the scratch buffer for n bytes; NULL if it cannot grow. */
static char *scratch(struct strace_reader *r, size_t n)
{
	if (r->sused + n > r->scap)
		return NULL;
	r->sused += n;
	return r->scratch + r->sused - n;
}

static int add_arg(struct sw_event *ev, const char *name, struct sw_str v)
{
	if (ev->nargs >= SW_EVENT_MAX_ARGS)
		return -1;
	ev->args[ev->nargs++] = (struct sw_arg){ sw_str_c(name), v };
	return 0;
}

static int add_arg_span(struct sw_event *ev, const char *name, struct span v)
{
	return add_arg(ev, name, str_of(v));
}

static void skip_spaces(struct span *s)
{
	while (s->len && (s->p[0] == ' ' || s->p[0] == '\t' || s->p[0] == '\r'))
		s->p++, s->len--;
}

static bool take_uint(struct span *s, uint64_t max, uint64_t *out)
{
	uint64_t n = 0;
	size_t i = 0;

	while (i < s->len && is_digit(s->p[i])) {
		if (n > (max - 9) / 10)
			return false;
		n = n * 10 + (uint64_t)(s->p[i++] - '0');
	}
	if (!i)
		return false;
	s->p += i, s->len -= i;
	*out = n;
	return true;
}

/* "[pid  123] " or "123 " (strace -f -o). A number followed by '.' or ':' is a time instead. */
static int take_pid(struct span *s, struct sw_event *ev)
{
	struct span t = *s;
	uint64_t pid;

	if (t.len > 5 && !memcmp(t.p, "[pid", 4)) {
		t.p += 4, t.len -= 4;
		skip_spaces(&t);
		if (!take_uint(&t, UINT32_MAX, &pid) || !t.len || t.p[0] != ']')
			return -1;
		t.p++, t.len--;
	} else if (!take_uint(&t, UINT32_MAX, &pid) || !t.len || (t.p[0] != ' ' && t.p[0] != '\t')) {
		return 0;
	}
	ev->pid = (uint32_t)pid;
	ev->has_pid = true;
	*s = t;
	skip_spaces(s);
	return 0;
}

/* -t HH:MM:SS, -tt HH:MM:SS.uuuuuu, -ttt SECONDS.uuuuuu: nanoseconds since midnight or the epoch. */
static int take_time(struct span *s, struct sw_event *ev)
{
	struct span t = *s;
	uint64_t a, b, c, frac = 0, ns;
	size_t fd = 0;

	if (!t.len || !is_digit(t.p[0]) || !take_uint(&t, 1ULL << 40, &a))
		return 0;
	if (t.len && t.p[0] == ':') {
		t.p++, t.len--;
		if (!take_uint(&t, 59, &b) || !t.len || t.p[0] != ':')
			return -1;
		t.p++, t.len--;
		if (!take_uint(&t, 60, &c) || a > 23)
			return -1;
		a = a * 3600 + b * 60 + c;
	} else if (!t.len || t.p[0] != '.') {
		return 0; /* not a time: a call name never starts with a digit, the caller says so */
	}
	if (t.len && t.p[0] == '.') {
		t.p++, t.len--;
		while (t.len && is_digit(t.p[0]) && fd < 9)
			frac = frac * 10 + (uint64_t)(t.p[0] - '0'), t.p++, t.len--, fd++;
		if (!fd)
			return -1;
		for (; fd < 9; fd++)
			frac *= 10;
	}
	ns = a * 1000000000ULL + frac;
	if (!t.len || (t.p[0] != ' ' && t.p[0] != '\t'))
		return -1;
	ev->t_ns = ns;
	ev->has_time = true;
	*s = t;
	skip_spaces(s);
	return 0;
}

/* One byte of strace's quoting at in.p[*i]: itself, a C escape, \xHH or up to three octal
 * digits (strings and -y paths are quoted alike); -1 for an unknown escape. */
static int unquote_byte(struct span in, size_t *i)
{
	static const char from[] = "ntrvfab\\\"'", to[] = "\n\t\r\v\f\a\b\\\"'";
	char c = in.p[(*i)++], e;
	const char *k;

	if (c != '\\' || *i >= in.len)
		return (unsigned char)c;
	e = in.p[(*i)++];
	if (e >= '0' && e <= '7') {
		unsigned v = (unsigned)(e - '0');

		for (int j = 0; j < 2 && *i < in.len && in.p[*i] >= '0' && in.p[*i] <= '7'; j++)
			v = v * 8 + (unsigned)(in.p[(*i)++] - '0');
		return (unsigned char)v;
	}
	if (e == 'x' && *i + 1 < in.len) {
		char hx[3] = { in.p[*i], in.p[*i + 1], 0 };

		*i += 2;
		return (unsigned char)strtoul(hx, NULL, 16);
	}
	k = e ? strchr(from, e) : NULL;
	return k ? (unsigned char)to[k - from] : -1;
}

/* Decode a strace string "..." (optionally followed by "..." when cut) into scratch. */
static int decode_string(struct strace_reader *r, struct span in, struct span *out, bool *cut)
{
	char *d = scratch(r, in.len);
	size_t i = 1, n = 0;
	int c;

	if (!d || in.len < 2 || in.p[0] != '"')
		return -1;
	while (i < in.len && in.p[i] != '"') {
		if ((c = unquote_byte(in, &i)) < 0)
			return -1;
		d[n++] = (char)c;
	}
	if (i >= in.len)
		return -1;
	i++;
	*cut = in.len - i >= 3 && !memcmp(in.p + i, "...", 3);
	out->p = d, out->len = n;
	return 0;
}

/* Unquote a -y path (no surrounding quotes) into scratch. */
static int unquote_path(struct strace_reader *r, struct span in, struct span *out)
{
	char *d = scratch(r, in.len);
	size_t i = 0, n = 0;
	int c;

	if (!d)
		return -1;
	while (i < in.len) {
		if ((c = unquote_byte(in, &i)) < 0)
			return -1;
		d[n++] = (char)c;
	}
	*out = (struct span){ d, n };
	return 0;
}

/* ---- strace -y / -yy: what an fd is ------------------------------------------------------- */

/* With s.p[i] == '<' after an fd number (or AT_FDCWD): the length of the annotation that opens
 * there, to past its '>' and a "(deleted)" after it, and in *inner the length of its text; 0 when
 * none does. A path quotes '<', '>' and '"' but not brackets, so it ends at the first '>' that
 * does not close a nested "<char M:m>"; anything else ("TCP:[a->b]", "UNIX:[1,\"p\"]") ends at
 * the first '>' outside brackets and quotes. */
static size_t annot_len(struct span s, size_t i, size_t *inner)
{
	bool path;
	int sq = 0, nest = 0;
	size_t j;

	if (!i || i + 2 >= s.len || s.p[i] != '<' || strchr("<> ", s.p[i + 1]))
		return 0;
	if (!is_digit(s.p[i - 1]) && !(i >= 8 && !memcmp(s.p + i - 8, "AT_FDCWD", 8)))
		return 0;
	path = s.p[i + 1] == '/';
	for (j = i + 1; j < s.len; j++) {
		char c = s.p[j];

		if (c == '\\') {
			j++;
		} else if (c == '"' && !path) {
			for (j++; j < s.len && s.p[j] != '"'; j++)
				j += s.p[j] == '\\';
		} else if ((c == '[' || c == ']') && !path) {
			sq += c == '[' ? 1 : -1;
		} else if (c == '<' && !sq) {
			nest++;
		} else if (c == '>' && !sq) {
			if (!nest)
				break;
			nest--;
		}
	}
	if (j >= s.len)
		return 0;
	*inner = j - i - 1;
	j++;
	if (s.len - j >= 9 && !memcmp(s.p + j, "(deleted)", 9))
		j += 9;
	return j - i;
}

/* An fd argument: the number (or AT_FDCWD) stays in *v, the text of a whole annotation after it
 * is returned (empty without one). Text after the number that is not one is dropped. */
static struct span fd_annot(struct span *v)
{
	struct span a = { NULL, 0 };
	size_t i = v->len >= 8 && !memcmp(v->p, "AT_FDCWD", 8) ? 8 : 0, n, in;

	while (i < v->len && is_digit(v->p[i]))
		i++;
	if (!i || i == v->len || v->p[i] != '<')
		return a;
	if ((n = annot_len(*v, i, &in)) && i + n == v->len)
		a = (struct span){ v->p + i + 1, in };
	v->len = i;
	return a;
}

static bool fifo_any(const struct strace_reader *r)
{
	for (unsigned i = 0; i < FIFOS; i++)
		if (r->fifos[i].path)
			return true;
	return false;
}

/* The fifo made in the capture at this path (absolute, unquoted), or NULL. */
static struct fifo *fifo_find(struct strace_reader *r, struct span path)
{
	for (unsigned i = 0; i < FIFOS; i++)
		if (r->fifos[i].path && r->fifos[i].len == path.len &&
		    !memcmp(r->fifos[i].path, path.p, path.len))
			return &r->fifos[i];
	return NULL;
}

/* A new fifo at path: a new number, even where one was before. */
static void fifo_add(struct strace_reader *r, struct span path)
{
	struct fifo *f = fifo_find(r, path);

	if (!f) {
		f = &r->fifos[r->fifo_next++ % FIFOS];
		free(f->path);
		f->path = malloc(path.len ? path.len : 1);
		if (!f->path)
			return;
		memcpy(f->path, path.p, path.len);
		f->len = path.len;
	}
	f->id = FIFO_ID0 + ++r->fifo_ids;
}

static bool is_tty_path(struct span p)
{
	static const char *const tty[] = { "/dev/pts/", "/dev/tty", "/dev/console", "/dev/ptmx" };

	for (size_t i = 0; i < sizeof(tty) / sizeof(tty[0]); i++)
		if (span_starts(p, tty[i]))
			return true;
	return false;
}

/* "char 136:0" (-yy on a device): a terminal by its major, as the live sensor tells them: 4 (tty,
 * ttyS), 5 (/dev/tty, console, ptmx), 136-143 (pty slaves). */
static bool is_tty_dev(struct span dev)
{
	struct span m = dev;
	uint64_t major;

	if (!span_starts(dev, "char "))
		return false;
	m.p += 5, m.len -= 5;
	return take_uint(&m, 1u << 20, &major) &&
	       (major == 4 || major == 5 || (major >= 136 && major <= 143));
}

/* "/dev/pts/0<char 136:0>", "/dev/null", "/tmp/f": a terminal, a device, a fifo made in the
 * capture, or a file (a fifo made before the capture reads as a file). */
static void describe_path(struct strace_reader *r, struct span a, struct fd_desc *d)
{
	char *lt = memchr(a.p, '<', a.len);
	struct span path = { a.p, lt ? (size_t)(lt - a.p) : a.len }, u;
	struct fifo *f;

	if (lt && a.p[a.len - 1] == '>') {
		d->kind = is_tty_dev((struct span){ lt + 1, (size_t)(a.p + a.len - lt - 2) }) ?
				  "tty" : "other";
		return;
	}
	if (is_tty_path(path)) {
		d->kind = "tty";
	} else if (span_starts(path, "/dev/") && !span_starts(path, "/dev/shm/")) {
		d->kind = "other";
	} else if (fifo_any(r) && !unquote_path(r, path, &u) && (f = fifo_find(r, u))) {
		d->kind = "fifo";
		d->fifo = f->id;
	} else {
		d->kind = "file";
	}
}

/* A socket's protocol as strace names it ("TCP", "UDPv6", "UNIX-STREAM", "NETLINK"): the fdN=
 * value, NULL for a name that is no protocol ("anon_inode", "net"). */
static const char *sock_kind(struct span name)
{
	static const char *const inet[] = { "TCP", "UDP", "UDPLITE", "DCCP", "SCTP", "L2TP/IP",
					    "PING", "RAW", "MPTCP" };
	bool v6 = name.len > 2 && !memcmp(name.p + name.len - 2, "v6", 2);
	struct span base = { name.p, name.len - (v6 ? 2 : 0) };

	if (span_eq(name, "socket"))
		return "sock:other";  /* -y, or a socket strace cannot describe */
	for (size_t i = 0; i < base.len; i++)
		if (!((base.p[i] >= 'A' && base.p[i] <= 'Z') || is_digit(base.p[i]) ||
		      base.p[i] == '-' || base.p[i] == '/' || base.p[i] == '_'))
			return NULL;
	for (size_t i = 0; i < sizeof(inet) / sizeof(inet[0]); i++)
		if (span_eq(base, inet[i]))
			return v6 ? "sock:inet6" : "sock:inet";
	if (base.len >= 4 && !memcmp(base.p, "UNIX", 4))
		return "sock:unix";
	return base.len ? "sock:other" : NULL;
}

/* "TYPE:[TEXT]": pipes ("pipe:[123]") and sockets ("TCP:[1.2.3.4:5->6.7.8.9:10]": local, then
 * peer; "TCP:[1.2.3.4:5]" bound or listening; "TCP:[123]" the inode only); "other" for the rest. */
static void describe_typed(struct span a, struct fd_desc *d)
{
	char *b = memmem(a.p, a.len, ":[", 2), *arrow;
	struct span name, in;
	size_t i = 0;

	d->kind = "other";
	if (!b || a.p[a.len - 1] != ']')
		return;
	name = (struct span){ a.p, (size_t)(b - a.p) };
	in = (struct span){ b + 2, (size_t)(a.p + a.len - 1 - (b + 2)) };
	if (span_eq(name, "pipe")) {
		d->kind = "pipe";
		while (i < in.len && is_digit(in.p[i]))
			i++;
		if (i && i == in.len)
			d->ino = in;
		return;
	}
	if (!(d->kind = sock_kind(name))) {
		d->kind = "other";
		return;
	}
	if (strcmp(d->kind, "sock:inet") && strcmp(d->kind, "sock:inet6"))
		return;
	arrow = memmem(in.p, in.len, "->", 2);
	if (arrow) {
		d->local = (struct span){ in.p, (size_t)(arrow - in.p) };
		d->peer = (struct span){ arrow + 2, (size_t)(in.p + in.len - arrow - 2) };
	} else if (memchr(in.p, ':', in.len)) {
		d->local = in;
	}
}

/* What the annotation text a says the fd is (nothing when a is empty). */
static void describe(struct strace_reader *r, struct span a, struct fd_desc *d)
{
	memset(d, 0, sizeof(*d));
	if (!a.len)
		return;
	if (a.p[0] == '/')
		describe_path(r, a, d);
	else
		describe_typed(a, d);
}

static bool is_sock_kind(const char *kind)
{
	return kind && !strncmp(kind, "sock", 4);
}

/* src= and what goes with it (docs/trace-format.md): the old fd of a dup. */
static int add_src(struct strace_reader *r, struct sw_event *ev, const struct fd_desc *d)
{
	char *id;
	int n;

	if (!d->kind)
		return 0;
	if (add_arg(ev, "src", sw_str_c(d->kind)) ||
	    (is_sock_kind(d->kind) && add_arg(ev, "sock", sw_str_c("1"))) ||
	    (d->peer.len && add_arg_span(ev, "peer", d->peer)) ||
	    (d->local.len && add_arg_span(ev, "local", d->local)))
		return -1;
	if (!d->ino.len && !d->fifo)
		return 0;
	if (!(id = scratch(r, 24 + d->ino.len)))
		return -1;
	/* strace shows a pipe's inode, not its device: 0, the same for every pipe of the capture */
	n = d->fifo ? snprintf(id, 24, "0:%llu", (unsigned long long)d->fifo) :
		      snprintf(id, 24 + d->ino.len, "0:%.*s", (int)d->ino.len, d->ino.p);
	return add_arg(ev, "pipe", (struct sw_str){ id, (uint32_t)n });
}

/* An accepted connection strace shows with no sockaddr (accept(3, NULL, NULL)): its peer from
 * the new fd's annotation, as family=, addr=, port=. */
static int add_peer(struct sw_event *ev, const struct fd_desc *d)
{
	struct span addr = d->peer, port;
	char *colon = memrchr(addr.p, ':', addr.len);

	if (!colon)
		return 0;
	port = (struct span){ colon + 1, (size_t)(addr.p + addr.len - colon - 1) };
	addr.len = (size_t)(colon - addr.p);
	if (addr.len >= 2 && addr.p[0] == '[' && addr.p[addr.len - 1] == ']')
		addr.p++, addr.len -= 2;
	return add_arg(ev, "family", sw_str_c(strcmp(d->kind, "sock:inet6") ? "inet" : "inet6")) ||
	       add_arg_span(ev, "addr", addr) || add_arg_span(ev, "port", port);
}

/* Split "a, {b, c}, [d]" at top-level commas. Returns the count or -1. */
static int split_args(struct span s, struct span *out, int max)
{
	int n = 0, depth = 0;
	size_t start = 0, an, in;

	for (size_t i = 0; i <= s.len; i++) {
		char c = i < s.len ? s.p[i] : ',';

		if (c == '<' && (an = annot_len(s, i, &in))) {
			i += an - 1;
			continue;
		}
		if (c == '"') {
			for (i++; i < s.len && s.p[i] != '"'; i++)
				if (s.p[i] == '\\')
					i++;
			if (i >= s.len)
				return -1;
			continue;
		}
		if (c == '(' || c == '{' || c == '[')
			depth++;
		else if (c == ')' || c == '}' || c == ']')
			depth--;
		if (depth < 0)
			return -1;
		if (c != ',' || depth)
			continue;
		if (n >= max)
			return n;
		out[n] = (struct span){ s.p + start, i - start };
		skip_spaces(&out[n]);
		while (out[n].len && out[n].p[out[n].len - 1] == ' ')
			out[n].len--;
		n++;
		start = i + 1;
	}
	return depth ? -1 : n;
}

static char *span_find(struct span s, const char *needle)
{
	return memmem(s.p, s.len, needle, strlen(needle));
}

/* The text after needle up to the first byte of stop (exclusive), or an empty span. */
static struct span after(struct span s, const char *needle, const char *stop)
{
	char *p = span_find(s, needle);
	struct span out = { NULL, 0 };

	if (!p)
		return out;
	out.p = p + strlen(needle);
	out.len = (size_t)(s.p + s.len - out.p);
	for (size_t i = 0; i < out.len; i++)
		if (strchr(stop, out.p[i])) {
			out.len = i;
			break;
		}
	return out;
}

/* family=, addr=, port= from a sockaddr as strace prints it. */
static int add_sockaddr(struct strace_reader *r, struct sw_event *ev, struct span sa)
{
	struct span fam = after(sa, "sa_family=", ",}"), port = after(sa, "_port=htons(", ")");
	struct span addr = after(sa, "inet_addr(\"", "\"");
	char *low;
	bool cut;

	if (!fam.len)
		return 0;
	if (fam.len > 3 && !memcmp(fam.p, "AF_", 3))
		fam.p += 3, fam.len -= 3;
	if (span_eq(fam, "LOCAL"))
		fam = (struct span){ "UNIX", 4 };
	low = scratch(r, fam.len);
	if (!low)
		return -1;
	for (size_t i = 0; i < fam.len; i++)
		low[i] = (char)(fam.p[i] >= 'A' && fam.p[i] <= 'Z' ? fam.p[i] + 32 : fam.p[i]);
	if (add_arg_span(ev, "family", (struct span){ low, fam.len }))
		return -1;
	if (!addr.len)
		addr = after(sa, "inet_pton(AF_INET6, \"", "\"");
	if (!addr.len) {
		char *sp = span_find(sa, "sun_path=");

		if (sp && decode_string(r, (struct span){ sp + 9, (size_t)(sa.p + sa.len - sp - 9) },
					&addr, &cut))
			addr.len = 0;
	}
	if (addr.len && add_arg_span(ev, "addr", addr))
		return -1;
	if (port.len && add_arg_span(ev, "port", port))
		return -1;
	return 0;
}

/* argl= for the NUL-separated arguments d (include/argl.h), when the space-joined line will not
 * split back; then d's NULs become the spaces. */
static int add_argl(struct strace_reader *r, struct sw_event *ev, char *d, size_t len)
{
	char lens[ARGL_TEXT_MAX + 1], *t;
	size_t k = argl_join(d, len, lens, sizeof(lens));

	if (!k || !(t = scratch(r, k)))
		return 0;             /* not needed; or no room: the line splits at its spaces */
	memcpy(t, lens, k);
	return add_arg_span(ev, "argl", (struct span){ t, k });
}

/* exe= and argv= (elements joined by spaces, argv_trunc=1 when strace cut any), and argl=. */
static int add_exec(struct strace_reader *r, struct sw_event *ev, struct span file, struct span argv)
{
	struct span exe, el[64], v;
	bool cut = false, c;
	int n;
	char *d;
	size_t len = 0;

	if (decode_string(r, file, &exe, &cut) || add_arg_span(ev, "exe", exe))
		return -1;
	if (argv.len < 2 || argv.p[0] != '[')
		return 0;
	n = split_args((struct span){ argv.p + 1, argv.len - 2 }, el, 64);
	if (n < 0 || !(d = scratch(r, argv.len)))
		return -1;
	for (int i = 0; i < n && el[0].len; i++) {
		if (el[i].len && el[i].p[0] != '"') {
			cut = true; /* "..." where strace left elements out */
			continue;
		}
		if (decode_string(r, el[i], &v, &c))
			return -1;
		cut |= c;
		if (i)
			d[len++] = '\0';   /* NUL-separated until the argl is known, then spaces */
		memcpy(d + len, v.p, v.len); /* decoded is shorter than the source */
		len += v.len;
	}
	if (add_argl(r, ev, d, len) || add_arg_span(ev, "argv", (struct span){ d, len }))
		return -1;
	return cut ? add_arg(ev, "argv_trunc", sw_str_c("1")) : 0;
}

/* "-1 ENOENT" becomes "-2" like the live sensor's -errno; other returns stay as printed. */
static struct sw_str errno_ret(struct strace_reader *r, struct span ret, struct span rest)
{
	struct span name = rest;
	char *d;

	skip_spaces(&name);
	for (name.len = 0; name.p + name.len < rest.p + rest.len &&
			   ((name.p[name.len] >= 'A' && name.p[name.len] <= 'Z') || is_digit(name.p[name.len]));
	     name.len++)
		;
	if (!span_eq(ret, "-1") || name.len < 2 || name.p[0] != 'E')
		return str_of(ret);
	for (int e = 1; e < 4096; e++) {
		const char *en = strerrorname_np(e);

		if (en && span_eq(name, en) && (d = scratch(r, 8))) {
			int n = snprintf(d, 8, "-%d", e);

			return (struct sw_str){ d, (uint32_t)n };
		}
	}
	return str_of(ret);
}

static bool is_fd_dup_cmd(struct span cmd)
{
	return span_eq(cmd, "F_DUPFD") || span_eq(cmd, "F_DUPFD_CLOEXEC");
}

/* A call's result: the number (or text) and the annotation of the fd it returns (-y). */
struct result {
	struct span val, ann;
};

/* connect, accept, accept4: fd=, the sockaddr, and from -yy our end of the connection (accept:
 * the new fd's; connect: the socket's, known only when it was bound first) and, when accept got
 * no sockaddr, the peer. */
static int map_sock(struct strace_reader *r, struct sw_event *ev, struct span *a, int n,
		    const struct result *res)
{
	bool acc = ev->call.p[0] == 'a';
	struct span fann;
	struct fd_desc d;

	if (n < 2)
		return -1;
	fann = fd_annot(&a[0]);
	describe(r, acc ? res->ann : fann, &d);
	if (add_arg_span(ev, "fd", a[0]) || (d.local.len && add_arg_span(ev, "local", d.local)) ||
	    add_sockaddr(r, ev, a[1]))
		return -1;
	if (acc && d.peer.len && !sw_event_arg(ev, "family"))
		return add_peer(ev, &d) ? -1 : 1;
	return 1;
}

/* dup, dup2, dup3: fd=, newfd=, flags=, and what the old fd is (-yy). */
static int map_dup(struct strace_reader *r, struct sw_event *ev, struct span *a, int n,
		   const struct result *res)
{
	struct span c = { (char *)ev->call.p, ev->call.len }, old;
	int want = c.len == 3 ? 1 : c.p[3] == '2' ? 2 : 3;
	struct fd_desc d;

	if (n < want)
		return -1;
	old = fd_annot(&a[0]);
	if (want > 1)
		fd_annot(&a[1]);  /* what newfd was before: of no use */
	describe(r, old.len ? old : res->ann, &d);
	if (add_arg_span(ev, "fd", a[0]) || (want > 1 && add_arg_span(ev, "newfd", a[1])) ||
	    (want > 2 && add_arg_span(ev, "flags", a[2])))
		return -1;
	return add_src(r, ev, &d) ? -1 : 1;
}

/* fcntl F_DUPFD / F_DUPFD_CLOEXEC as a dup; other fcntl calls are no event. */
static int map_fcntl(struct strace_reader *r, struct sw_event *ev, struct span *a, int n,
		     const struct result *res)
{
	struct span old;
	struct fd_desc d;

	if (n < 3 || !is_fd_dup_cmd(a[1]))
		return 0;
	ev->call = sw_str_c("fcntl");
	old = fd_annot(&a[0]);
	describe(r, old.len ? old : res->ann, &d);
	return add_arg_span(ev, "fd", a[0]) || add_arg_span(ev, "cmd", a[1]) ||
	       add_arg_span(ev, "arg", a[2]) || add_src(r, ev, &d) ? -1 : 1;
}

/* The absolute, unquoted path of a path argument ("f" relative to the directory fd dirfd, whose
 * -y annotation names it, "AT_FDCWD</tmp>"), in scratch; -1 when it cannot be told. */
static int abs_path(struct strace_reader *r, struct span dirfd, struct span name, struct span *out)
{
	struct span n, dir = { NULL, 0 };
	bool cut;
	char *d;

	if (decode_string(r, name, &n, &cut) || cut || !n.len)
		return -1;
	if (n.p[0] == '/') {
		*out = n;
		return 0;
	}
	if (dirfd.p)
		dir = fd_annot(&dirfd);
	if (!dir.len || dir.p[0] != '/' || unquote_path(r, dir, &dir))
		return -1;
	while (n.len > 2 && n.p[0] == '.' && n.p[1] == '/')
		n.p += 2, n.len -= 2;
	if (!(d = scratch(r, dir.len + 1 + n.len)))
		return -1;
	memcpy(d, dir.p, dir.len);
	d[dir.len] = '/';
	memcpy(d + dir.len + 1, n.p, n.len);
	*out = (struct span){ d, dir.len + 1 + n.len };
	return 0;
}

/* mknod/mknodat of a fifo and unlink/unlinkat that succeed: the fifos made in the capture. */
static void track_fifos(struct strace_reader *r, struct span c, struct span *a, int n,
			struct span ret)
{
	bool mk = span_starts(c, "mknod"), at = c.len > 2 && !memcmp(c.p + c.len - 2, "at", 2);
	struct span path;
	struct fifo *f;

	if ((!mk && !span_starts(c, "unlink")) || !span_eq(ret, "0") || n < 1 + at + mk)
		return;
	if (abs_path(r, at ? a[0] : (struct span){ NULL, 0 }, a[at], &path))
		return;
	if (mk && memmem(a[at + 1].p, a[at + 1].len, "S_IFIFO", 7))
		fifo_add(r, path);
	else if (!mk && (f = fifo_find(r, path)))
		free(f->path), f->path = NULL;
}

/* Calls the rules use get named arguments; others keep only their name and return value.
 * Returns 1 for an event, 0 to drop the line (threads, failed exec, other fcntl). */
static int map_call(struct strace_reader *r, struct sw_event *ev, struct span args,
		    const struct result *res)
{
	struct span a[MAX_SPLIT];
	int n = args.len ? split_args(args, a, MAX_SPLIT) : 0;
	struct span c = { (char *)ev->call.p, ev->call.len };

	if (n < 0)
		return -1;
	if (span_eq(c, "exit") || span_eq(c, "exit_group"))
		return 0; /* a process ends at its +++ line; exit alone may be a thread's */
	if (span_eq(c, "connect") || span_eq(c, "accept") || span_eq(c, "accept4"))
		return map_sock(r, ev, a, n, res);
	if (span_eq(c, "dup") || span_eq(c, "dup2") || span_eq(c, "dup3"))
		return map_dup(r, ev, a, n, res);
	if (span_eq(c, "fcntl") || span_eq(c, "fcntl64"))
		return map_fcntl(r, ev, a, n, res);
	if (span_eq(c, "execve") || span_eq(c, "execveat")) {
		int f = c.len == 8;

		if (!span_eq(res->val, "0"))
			return 0; /* the sensor reports only exec that succeeded */
		return n < 2 + f || add_exec(r, ev, a[f], a[f + 1]) ? -1 : 1;
	}
	track_fifos(r, c, a, n, res->val);
	return 2; /* clone & co: the caller decides */
}

/* clone/clone3/fork/vfork: a new process becomes `fork child=N`; a new thread is remembered so
 * its events count for its process. */
static int map_fork(struct strace_reader *r, struct sw_event *ev, struct span args, struct span ret)
{
	struct span c = { (char *)ev->call.p, ev->call.len };
	struct span rs = ret;
	struct pidinfo *pi;
	uint64_t child;

	if (!span_eq(c, "clone") && !span_eq(c, "clone3") && !span_eq(c, "fork") && !span_eq(c, "vfork"))
		return 2;
	if (!take_uint(&rs, UINT32_MAX, &child) || rs.len || !child)
		return 0; /* failed, or the child's side (= 0) */
	pi = pid_slot(r, (uint32_t)child, true);
	if (span_find(args, "CLONE_THREAD")) {
		if (pi)
			pi->tgid = ev->pid, pi->ppid = ev->ppid;
		return 0;
	}
	if (pi)
		pi->ppid = ev->pid;
	ev->call = sw_str_c("fork");
	ev->nargs = 0;
	ev->has_ret = false;
	return add_arg_span(ev, "child", ret) ? -1 : 1;
}

/* The result at the start of rest, up to a space, with the annotation of an fd (which may hold
 * spaces: "3</tmp/a b>", "1</dev/null<char 1:3>>"); rest moves past it. Text after the number
 * that is no whole annotation is dropped. */
static void take_result(struct span *rest, struct result *res)
{
	size_t i = 0, n, in;

	res->ann = (struct span){ NULL, 0 };
	while (i < rest->len && rest->p[i] != ' ' && rest->p[i] != '<')
		i++;
	res->val = (struct span){ rest->p, i };
	if (i < rest->len && rest->p[i] == '<' && (n = annot_len(*rest, i, &in))) {
		res->ann = (struct span){ rest->p + i + 1, in };
		i += n;
	}
	while (i < rest->len && rest->p[i] != ' ')
		i++;
	rest->p += i, rest->len -= i;
}

/* `name(args) = ret [rest]` in s. */
static int parse_call(struct strace_reader *r, struct span s, struct sw_event *ev, const char **why)
{
	size_t i = 0, close, an, in;
	struct span args, rest;
	struct result res;
	int depth = 0, rc;

	while (i < s.len && ((s.p[i] >= 'a' && s.p[i] <= 'z') || is_digit(s.p[i]) || s.p[i] == '_'))
		i++;
	if (!i || i >= s.len || s.p[i] != '(') {
		*why = "expected a call: name(args) = result";
		return -1;
	}
	ev->call = (struct sw_str){ s.p, (uint32_t)i };
	for (close = i; close < s.len; close++) {
		char c = s.p[close];

		if (c == '<' && (an = annot_len(s, close, &in))) {
			close += an - 1;
			continue;
		}
		if (c == '"') {
			for (close++; close < s.len && s.p[close] != '"'; close++)
				if (s.p[close] == '\\')
					close++;
			continue;
		}
		depth += (c == '(' || c == '{' || c == '[') - (c == ')' || c == '}' || c == ']');
		if (!depth)
			break;
	}
	if (close >= s.len) {
		*why = "unbalanced parentheses or quotes";
		return -1;
	}
	args = (struct span){ s.p + i + 1, close - i - 1 };
	rest = (struct span){ s.p + close + 1, s.len - close - 1 };
	skip_spaces(&rest);
	if (!rest.len || rest.p[0] != '=') {
		*why = "no '= result' after the call";
		return -1;
	}
	rest.p++, rest.len--;
	skip_spaces(&rest);
	take_result(&rest, &res);
	if (!res.val.len) {
		*why = "empty result";
		return -1;
	}
	if (!span_eq(res.val, "?")) {
		ev->ret = errno_ret(r, res.val, rest);
		ev->has_ret = true;
	}
	rc = map_fork(r, ev, args, res.val);
	if (rc == 2)
		rc = map_call(r, ev, args, &res);
	if (rc < 0)
		*why = "malformed arguments";
	return rc == 2 ? 1 : rc;
}

static struct pending *pending_for(struct strace_reader *r, uint32_t pid, bool create)
{
	struct pending *freep = NULL;

	for (unsigned i = 0; i < PENDING; i++) {
		if (r->pend[i].used && r->pend[i].pid == pid)
			return &r->pend[i];
		if (!r->pend[i].used && !freep)
			freep = &r->pend[i];
	}
	if (!create)
		return NULL;
	if (!freep)
		freep = &r->pend[pid % PENDING]; /* too many split calls at once: forget one */
	freep->used = true;
	freep->pid = pid;
	freep->len = 0;
	return freep;
}

static int save_unfinished(struct strace_reader *r, uint32_t pid, struct span s)
{
	struct pending *p = pending_for(r, pid, true);
	char *t = realloc(p->text, s.len + 1);

	if (!t) {
		p->used = false;
		return 0;
	}
	memcpy(t, s.p, s.len);
	p->text = t;
	p->len = s.len;
	return 0;
}

/* "<... name resumed>rest": the saved start of the call plus rest, in r->join. */
static int join_resumed(struct strace_reader *r, uint32_t pid, struct span *s, const char **why)
{
	char *res = span_find(*s, "resumed>");
	struct pending *p = pending_for(r, pid, false);
	size_t restlen, need;

	if (!res) {
		*why = "'<...' without 'resumed>'";
		return -1;
	}
	if (!p) {
		*why = "resumed call without its start";
		return -1;
	}
	res += 8;
	restlen = (size_t)(s->p + s->len - res);
	need = p->len + restlen + 1;
	if (need > r->joincap) {
		char *j = realloc(r->join, need);

		if (!j) {
			*why = "out of memory";
			return -1;
		}
		r->join = j, r->joincap = need;
	}
	memcpy(r->join, p->text, p->len);
	memcpy(r->join + p->len, res, restlen);
	s->p = r->join, s->len = p->len + restlen;
	p->used = false;
	return 0;
}

static bool ends_with(struct span s, const char *suffix)
{
	size_t n = strlen(suffix);

	return s.len >= n && !memcmp(s.p + s.len - n, suffix, n);
}

/* "+++ exited with N +++" / "+++ killed by SIGKILL +++" */
static int parse_exit(struct span s, struct sw_event *ev)
{
	struct span code = after(s, "exited with ", " ");

	if (!code.len)
		code = after(s, "killed by ", " ");
	if (!code.len)
		return 0;
	ev->call = sw_str_c("exit");
	return add_arg_span(ev, "code", code) ? -1 : 1;
}

static int ensure_scratch(struct strace_reader *r, size_t need)
{
	r->sused = 0;
	if (need <= r->scap)
		return 0;
	free(r->scratch);
	r->scratch = malloc(need);
	r->scap = r->scratch ? need : 0;
	return r->scratch ? 0 : -1;
}

/* The typed facts of an event the line gave (rc 1), from its arguments. */
static int facts(struct sw_event *ev, int rc)
{
	if (rc == 1)
		sw_event_facts(ev);
	return rc;
}

int strace_parse_line(void *state, char *line, size_t len, struct sw_event *ev, const char **why)
{
	struct strace_reader *r = state;
	struct span s = { line, len };
	struct pidinfo *pi;

	memset(ev, 0, sizeof(*ev));
	while (s.len && (s.p[s.len - 1] == ' ' || s.p[s.len - 1] == '\r'))
		s.len--;
	skip_spaces(&s);
	if (!s.len || (s.len >= 8 && !memcmp(s.p, "strace: ", 8)))
		return 0;
	if (take_pid(&s, ev) || take_time(&s, ev)) {
		*why = "bad pid or time prefix";
		return -1;
	}
	if (s.len >= 4 && !memcmp(s.p, "--- ", 4))
		return 0;
	if (s.len >= 4 && !memcmp(s.p, "+++ ", 4)) {
		pi = ev->has_pid ? pid_slot(r, ev->pid, false) : NULL;
		return pi && pi->tgid != ev->pid ? 0 : facts(ev, parse_exit(s, ev)); /* a thread ends */
	}
	if (ends_with(s, "<detached ...>"))
		return 0;
	if (ends_with(s, "<unfinished ...>")) {
		s.len -= 16;
		return save_unfinished(r, ev->pid, s);
	}
	if (s.len >= 5 && !memcmp(s.p, "<... ", 5) && join_resumed(r, ev->pid, &s, why))
		return -1;
	if (ensure_scratch(r, 3 * s.len + 128)) {
		*why = "out of memory";
		return -1;
	}
	pi = ev->has_pid ? pid_slot(r, ev->pid, true) : NULL;
	if (pi)
		ev->pid = pi->tgid, ev->ppid = pi->ppid;
	return facts(ev, parse_call(r, s, ev, why));
}
