/* strace_read.c: `strace -f [-t|-tt|-ttt]` output to sw_event records (see strace_read.h).
 *
 * A line is [pid prefix] [time] then a call `name(args) = ret [ERRNO (text)]`, a split call
 * (`<unfinished ...>` now, `<... name resumed>rest` later, joined per pid), `+++ exited with N +++`,
 * `--- SIGNAL {...} ---` or a strace message. Arguments are split at top-level commas; strace's
 * strings (octal and C escapes, `"..."...` when cut) are decoded into the reader's scratch buffer,
 * which the event borrows until the next line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "strace_read.h"

#define PENDING 64
#define PIDMAP 4096
#define MAX_SPLIT 8

struct pending {
	uint32_t pid;
	bool used;
	char *text;
	size_t len;
};

struct pidinfo {
	uint32_t pid, tgid, ppid; /* pid 0 = empty */
};

struct strace_reader {
	struct pending pend[PENDING];
	struct pidinfo map[PIDMAP];
	unsigned nmap;
	char *join, *scratch;
	size_t joincap, scap, sused;
};

struct span {
	char *p;
	size_t len;
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

/* Decode a strace string "..." (optionally followed by "..." when cut) into scratch. */
static int decode_string(struct strace_reader *r, struct span in, struct span *out, bool *cut)
{
	char *d = scratch(r, in.len);
	size_t i = 1, n = 0;

	if (!d || in.len < 2 || in.p[0] != '"')
		return -1;
	while (i < in.len && in.p[i] != '"') {
		char c = in.p[i++];

		if (c == '\\' && i < in.len) {
			char e = in.p[i++];
			static const char from[] = "ntrvfab\\\"'", to[] = "\n\t\r\v\f\a\b\\\"'";
			const char *k = strchr(from, e);

			if (e >= '0' && e <= '7') {
				unsigned v = (unsigned)(e - '0');

				for (int j = 0; j < 2 && i < in.len && in.p[i] >= '0' && in.p[i] <= '7'; j++)
					v = v * 8 + (unsigned)(in.p[i++] - '0');
				c = (char)v;
			} else if (e == 'x' && i + 1 < in.len) {
				char hx[3] = { in.p[i], in.p[i + 1], 0 };

				c = (char)strtoul(hx, NULL, 16);
				i += 2;
			} else if (k && e) {
				c = to[k - from];
			} else {
				return -1;
			}
		}
		d[n++] = c;
	}
	if (i >= in.len)
		return -1;
	i++;
	*cut = in.len - i >= 3 && !memcmp(in.p + i, "...", 3);
	out->p = d, out->len = n;
	return 0;
}

/* Split "a, {b, c}, [d]" at top-level commas. Returns the count or -1. */
static int split_args(struct span s, struct span *out, int max)
{
	int n = 0, depth = 0;
	size_t start = 0;

	for (size_t i = 0; i <= s.len; i++) {
		char c = i < s.len ? s.p[i] : ',';

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

/* exe= and argv= (elements joined by spaces, argv_trunc=1 when strace cut any). */
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
		if (len)
			d[len++] = ' ';
		memcpy(d + len, v.p, v.len); /* decoded is shorter than the source */
		len += v.len;
	}
	if (add_arg_span(ev, "argv", (struct span){ d, len }))
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

/* Calls the rules use get named arguments; others keep only their name and return value.
 * Returns 1 for an event, 0 to drop the line (threads, failed exec, other fcntl). */
static int map_call(struct strace_reader *r, struct sw_event *ev, struct span args, struct span ret)
{
	struct span a[MAX_SPLIT];
	int n = args.len ? split_args(args, a, MAX_SPLIT) : 0;
	struct span c = { (char *)ev->call.p, ev->call.len };

	if (n < 0)
		return -1;
	if (span_eq(c, "exit") || span_eq(c, "exit_group"))
		return 0; /* a process ends at its +++ line; exit alone may be a thread's */
	if (span_eq(c, "connect") || span_eq(c, "accept") || span_eq(c, "accept4")) {
		return n < 2 || add_arg_span(ev, "fd", a[0]) || add_sockaddr(r, ev, a[1]) ? -1 : 1;
	}
	if (span_eq(c, "dup") || span_eq(c, "dup2") || span_eq(c, "dup3")) {
		int want = c.len == 3 ? 1 : c.p[3] == '2' ? 2 : 3;

		if (n < want || add_arg_span(ev, "fd", a[0]))
			return -1;
		if (want > 1 && add_arg_span(ev, "newfd", a[1]))
			return -1;
		return want > 2 && add_arg_span(ev, "flags", a[2]) ? -1 : 1;
	}
	if (span_eq(c, "fcntl") || span_eq(c, "fcntl64")) {
		if (n < 3 || !is_fd_dup_cmd(a[1]))
			return 0;
		ev->call = sw_str_c("fcntl");
		return add_arg_span(ev, "fd", a[0]) || add_arg_span(ev, "cmd", a[1]) ||
		       add_arg_span(ev, "arg", a[2]) ? -1 : 1;
	}
	if (span_eq(c, "execve") || span_eq(c, "execveat")) {
		int f = c.len == 8;

		if (!span_eq(ret, "0"))
			return 0; /* the sensor reports only exec that succeeded */
		return n < 2 + f || add_exec(r, ev, a[f], a[f + 1]) ? -1 : 1;
	}
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

/* `name(args) = ret [rest]` in s. */
static int parse_call(struct strace_reader *r, struct span s, struct sw_event *ev, const char **why)
{
	size_t i = 0, close;
	struct span args, ret, rest;
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
	for (ret = rest, ret.len = 0; ret.len < rest.len && rest.p[ret.len] != ' '; ret.len++)
		;
	if (!ret.len) {
		*why = "empty result";
		return -1;
	}
	rest.p += ret.len, rest.len -= ret.len;
	if (!span_eq(ret, "?")) {
		ev->ret = errno_ret(r, ret, rest);
		ev->has_ret = true;
	}
	rc = map_fork(r, ev, args, ret);
	if (rc == 2)
		rc = map_call(r, ev, args, ret);
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
	if (ensure_scratch(r, 2 * s.len + 64)) {
		*why = "out of memory";
		return -1;
	}
	pi = ev->has_pid ? pid_slot(r, ev->pid, true) : NULL;
	if (pi)
		ev->pid = pi->tgid, ev->ppid = pi->ppid;
	return facts(ev, parse_call(r, s, ev, why));
}
