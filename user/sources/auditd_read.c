/* auditd_read.c: join the records of auditd events (include/auditd_read.h). A fixed table holds
 * the events being assembled, each with one growing buffer for its decoded strings (arguments,
 * comm, exe, the socket address, the process title); spans into it become pointers only when the
 * event is delivered. The EXECVE-command interface of `score` is a filter on the same events. */
#include <stdlib.h>
#include <string.h>
#include "auditd_read.h"

struct parg {
	uint32_t off, len, want;   /* want: aN_len of a chunked argument */
	bool done;
};

struct span {
	uint32_t off, len;
};

enum rec { REC_OTHER, REC_SYSCALL, REC_EXECVE, REC_SOCKADDR, REC_PROCTITLE, REC_EOE, REC_CWD };

/* SYSCALL fields that must be there for the record to count */
#define SC_ARCH 1u
#define SC_NR 2u
#define SC_PID 4u
#define SC_NEEDED (SC_ARCH | SC_NR | SC_PID)

struct pend {
	bool used, partial, has_syscall, has_sockaddr, has_execve, has_proctitle, has_cwd;
	uint64_t serial, age, line, last, t_ms;
	char time[32];
	struct auditd_syscall sc;
	unsigned sc_seen;          /* SC_* */
	bool sc_bad;               /* a field did not parse */
	uint64_t items;            /* SYSCALL's items=: path names, so a CWD record follows */
	struct span comm, exe, saddr, title, cwd;
	int64_t argc;              /* -1 until argc= is seen */
	int32_t open_arg;          /* argument receiving aN[M] chunks, -1 none */
	struct parg arg[AUDITD_MAX_ARGS];
	char *buf;
	size_t len, cap;
};

struct auditd_reader {
	auditd_event_cb fn;
	auditd_bad_cb bad;
	void *ctx;
	auditd_cb exec_cb;         /* auditd_new(): the command callback and its context */
	void *exec_ctx;
	uint64_t clock;
	struct auditd_stats st;
	uint64_t done[AUDITD_DONE_RING];
	unsigned ndone;
	struct pend p[AUDITD_PENDING];
	struct auditd_event ev;
};

struct auditd_reader *auditd_join_new(auditd_event_cb fn, auditd_bad_cb bad, void *ctx)
{
	struct auditd_reader *r = calloc(1, sizeof(*r));

	if (r) {
		r->fn = fn;
		r->bad = bad;
		r->ctx = ctx;
	}
	return r;
}

static void exec_only(void *ctx, const struct auditd_event *ev)
{
	struct auditd_reader *r = ctx;

	if (ev->has_execve)
		r->exec_cb(r->exec_ctx, &ev->exec);
}

struct auditd_reader *auditd_new(auditd_cb cb, void *ctx)
{
	struct auditd_reader *r = auditd_join_new(exec_only, NULL, NULL);

	if (r) {
		r->ctx = r;
		r->exec_cb = cb;
		r->exec_ctx = ctx;
	}
	return r;
}

void auditd_free(struct auditd_reader *r)
{
	if (!r)
		return;
	for (int i = 0; i < AUDITD_PENDING; i++)
		free(r->p[i].buf);
	free(r);
}

const struct auditd_stats *auditd_stats(const struct auditd_reader *r)
{
	return &r->st;
}

static void bad_record(struct auditd_reader *r, const char *why)
{
	r->st.bad_records++;
	if (r->bad)
		r->bad(r->ctx, r->st.lines, why);
}

/* ---- delivery ------------------------------------------------------------------------------ */

static struct sw_str str_of(const struct pend *p, struct span s)
{
	return (struct sw_str){ p->buf && s.len ? p->buf + s.off : "", s.len };
}

static void fill_exec(struct auditd_exec *ex, const struct pend *p)
{
	uint32_t n = p->argc < 0 ? 0 : (uint32_t)(p->argc > AUDITD_MAX_ARGS ? AUDITD_MAX_ARGS : p->argc);

	ex->serial = p->serial;
	ex->line = p->line;
	memcpy(ex->time, p->time, sizeof(ex->time));
	ex->argc = p->argc < 0 ? 0 : (uint32_t)p->argc;
	ex->nargs = n;
	ex->partial = p->partial || p->argc < 0 || p->argc > AUDITD_MAX_ARGS;
	for (uint32_t i = 0; i < n; i++) {
		ex->partial |= !p->arg[i].done;
		ex->argv[i] = str_of(p, (struct span){ p->arg[i].off, p->arg[i].len });
	}
}

static void fill_event(struct auditd_event *ev, const struct pend *p, bool complete)
{
	ev->serial = p->serial;
	ev->line = p->line;
	ev->t_ms = p->t_ms;
	ev->complete = complete;
	ev->has_syscall = p->has_syscall && !p->sc_bad && (p->sc_seen & SC_NEEDED) == SC_NEEDED;
	ev->has_sockaddr = p->has_sockaddr;
	ev->has_execve = p->has_execve;
	ev->has_proctitle = p->has_proctitle;
	ev->has_cwd = p->has_cwd;
	ev->sc = p->sc;
	ev->sc.comm = str_of(p, p->comm);
	ev->sc.exe = str_of(p, p->exe);
	ev->saddr = str_of(p, p->saddr);
	ev->proctitle = str_of(p, p->title);
	ev->cwd = str_of(p, p->cwd);
	if (p->has_execve)
		fill_exec(&ev->exec, p);
	else
		memset(&ev->exec, 0, offsetof(struct auditd_exec, argv));
}

/* Remember the serial of an event that ended before its last record, so its late records drop. */
static void remember_done(struct auditd_reader *r, uint64_t serial)
{
	r->done[r->ndone++ % AUDITD_DONE_RING] = serial;
}

static bool recently_done(const struct auditd_reader *r, uint64_t serial)
{
	unsigned n = r->ndone < AUDITD_DONE_RING ? r->ndone : AUDITD_DONE_RING;

	for (unsigned i = 0; i < n; i++)
		if (r->done[i] == serial)
			return true;
	return false;
}

static void deliver(struct auditd_reader *r, struct pend *p, bool complete)
{
	if (!p->has_proctitle)
		remember_done(r, p->serial);
	fill_event(&r->ev, p, complete);
	r->st.events++;
	r->st.partial_events += p->has_execve && r->ev.exec.partial;
	p->used = false;
	r->fn(r->ctx, &r->ev);
}

static struct pend *oldest(struct auditd_reader *r)
{
	struct pend *old = NULL;

	for (int i = 0; i < AUDITD_PENDING; i++)
		if (r->p[i].used && (!old || r->p[i].age < old->age))
			old = &r->p[i];
	return old;
}

void auditd_finish(struct auditd_reader *r)
{
	struct pend *p;

	while ((p = oldest(r))) {
		r->st.flushed_end++;
		deliver(r, p, false);
	}
}

/* Events that got no record for AUDITD_STALE_LINES lines: their other records are lost. */
static void flush_stale(struct auditd_reader *r)
{
	for (int i = 0; i < AUDITD_PENDING; i++)
		if (r->p[i].used && r->st.lines - r->p[i].last > AUDITD_STALE_LINES) {
			r->st.flushed_stale++;
			deliver(r, &r->p[i], false);
		}
}

/* ---- the table of events being assembled ---------------------------------------------------- */

static struct pend *pend_find(struct auditd_reader *r, uint64_t serial)
{
	for (int i = 0; i < AUDITD_PENDING; i++)
		if (r->p[i].used && r->p[i].serial == serial)
			return &r->p[i];
	return NULL;
}

static uint64_t parse_u64(const char *s, size_t n, bool *ok);

/* SEC.MS as ms; 0 when it does not parse. */
static uint64_t time_ms(const char *tm, size_t n)
{
	const char *dot = memchr(tm, '.', n);
	uint64_t sec, ms;
	bool ok1, ok2;

	if (!dot)
		return 0;
	sec = parse_u64(tm, (size_t)(dot - tm), &ok1);
	ms = parse_u64(dot + 1, n - (size_t)(dot - tm) - 1, &ok2);
	return ok1 && ok2 && ms < 1000 && sec < (UINT64_MAX / 1000 - 1) ? sec * 1000 + ms : 0;
}

static struct pend *pend_new(struct auditd_reader *r, uint64_t serial, const char *tm, size_t tlen)
{
	struct pend *p = NULL;
	char *buf;
	size_t cap;

	for (int i = 0; i < AUDITD_PENDING && !p; i++)
		if (!r->p[i].used)
			p = &r->p[i];
	if (!p) {
		p = oldest(r);
		r->st.flushed_full++;
		deliver(r, p, false);
	}
	buf = p->buf, cap = p->cap;
	memset(p, 0, offsetof(struct pend, arg));
	memset(p->arg, 0, sizeof(p->arg));
	p->buf = buf, p->cap = cap, p->len = 0;
	p->used = true;
	p->serial = serial;
	p->age = ++r->clock;
	p->line = r->st.lines;
	p->argc = -1;
	p->open_arg = -1;
	p->t_ms = time_ms(tm, tlen);
	if (tlen >= sizeof(p->time))
		tlen = sizeof(p->time) - 1;
	memcpy(p->time, tm, tlen);
	return p;
}

/* ---- values --------------------------------------------------------------------------------- */

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static bool is_hex_text(const char *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (hexval(v[i]) < 0)
			return false;
	return n % 2 == 0;
}

/* Append a value (quoted: literal; unquoted: hex if it is hex; "(null)": nothing) to p's
 * buffer; returns its span. */
static struct span append_value(struct pend *p, const char *v, size_t n, bool quoted)
{
	bool hex = !quoted && is_hex_text(v, n);
	size_t need = hex ? n / 2 : n;
	struct span s = { (uint32_t)p->len, 0 };

	if (!quoted && n == 6 && !memcmp(v, "(null)", 6))
		return s;
	if (p->len + need > AUDITD_MAX_BYTES) {
		p->partial = true;
		need = AUDITD_MAX_BYTES - p->len;
	}
	if (p->len + need > p->cap) {
		size_t cap = p->cap ? p->cap : 4096;
		char *nb;

		while (cap < p->len + need)
			cap *= 2;
		nb = realloc(p->buf, cap);
		if (!nb) {
			p->partial = true;
			return s;
		}
		p->buf = nb;
		p->cap = cap;
	}
	for (size_t i = 0; i < need; i++)
		p->buf[p->len + i] = hex ? (char)(hexval(v[2 * i]) << 4 | hexval(v[2 * i + 1])) : v[i];
	p->len += need;
	s.len = (uint32_t)need;
	return s;
}

static uint64_t parse_u64(const char *s, size_t n, bool *ok)
{
	uint64_t v = 0;

	*ok = n > 0 && n <= 19;
	for (size_t i = 0; i < n && *ok; i++) {
		*ok = s[i] >= '0' && s[i] <= '9';
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	return v;
}

static uint64_t parse_hex(const char *s, size_t n, bool *ok)
{
	uint64_t v = 0;

	*ok = n > 0 && n <= 16;
	for (size_t i = 0; i < n && *ok; i++) {
		*ok = hexval(s[i]) >= 0;
		v = v << 4 | (uint64_t)(hexval(s[i]) & 0xf);
	}
	return v;
}

static int64_t parse_i64(const char *s, size_t n, bool *ok)
{
	bool neg = n > 0 && s[0] == '-';
	uint64_t v = parse_u64(s + neg, n - neg, ok);

	return neg ? -(int64_t)v : (int64_t)v;
}

/* ---- EXECVE --------------------------------------------------------------------------------- */

/* aN[M]=: the next chunk of the argument opened by aN_len. */
static void chunk(struct pend *p, uint32_t idx, const char *v, size_t vn, bool quoted)
{
	struct parg *a = &p->arg[idx];

	if (p->open_arg != (int32_t)idx) {
		p->partial = true;
		return;
	}
	append_value(p, v, vn, quoted);
	a->len = (uint32_t)(p->len - a->off);
	if (a->len >= a->want) {
		a->done = true;
		p->open_arg = -1;
	}
}

/* One key=value of an EXECVE record: argc, aN, aN_len, aN[M]; others are ignored. */
static void execve_field(struct pend *p, const char *k, size_t kn, const char *v, size_t vn,
			 bool quoted)
{
	uint64_t idx = 0;
	size_t i = 1;
	bool ok;
	struct parg *a;

	if (kn == 4 && !memcmp(k, "argc", 4)) {
		idx = parse_u64(v, vn, &ok);
		p->argc = ok ? (int64_t)(idx > (1u << 20) ? 1u << 20 : idx) : p->argc;
		p->partial |= !ok;
		return;
	}
	if (kn < 2 || k[0] != 'a' || k[1] < '0' || k[1] > '9')
		return;
	while (i < kn && i < 10 && k[i] >= '0' && k[i] <= '9')
		idx = idx * 10 + (uint64_t)(k[i++] - '0');
	if (idx >= AUDITD_MAX_ARGS) {
		p->partial = true;
		return;
	}
	a = &p->arg[idx];
	if (i == kn) {
		p->partial |= a->done;
		a->off = (uint32_t)p->len;
		a->len = append_value(p, v, vn, quoted).len;
		a->done = true;
	} else if (kn - i == 4 && !memcmp(k + i, "_len", 4)) {
		a->want = (uint32_t)parse_u64(v, vn, &ok);
		a->off = (uint32_t)p->len;
		a->len = 0;
		a->done = ok && a->want == 0;
		p->open_arg = (int32_t)idx;
	} else if (k[i] == '[') {
		chunk(p, (uint32_t)idx, v, vn, quoted);
	}
}

static bool args_complete(const struct pend *p)
{
	if (p->argc < 0)
		return false;
	for (int64_t i = 0; i < p->argc && i < AUDITD_MAX_ARGS; i++)
		if (!p->arg[i].done)
			return false;
	return true;
}

/* ---- SYSCALL, SOCKADDR, PROCTITLE ------------------------------------------------------------ */

static bool key_is(const char *k, size_t kn, const char *name)
{
	return strlen(name) == kn && !memcmp(k, name, kn);
}

/* A number field of SYSCALL: where it goes and how it is written. */
static void syscall_number(struct pend *p, const char *k, size_t kn, const char *v, size_t vn)
{
	struct auditd_syscall *sc = &p->sc;
	bool ok = true;

	if (key_is(k, kn, "arch"))
		sc->arch = (uint32_t)parse_hex(v, vn, &ok), p->sc_seen |= SC_ARCH;
	else if (key_is(k, kn, "syscall"))
		sc->nr = (uint32_t)parse_u64(v, vn, &ok), p->sc_seen |= SC_NR;
	else if (key_is(k, kn, "pid"))
		sc->pid = (uint32_t)parse_u64(v, vn, &ok), p->sc_seen |= SC_PID;
	else if (key_is(k, kn, "ppid"))
		sc->ppid = (uint32_t)parse_u64(v, vn, &ok);
	else if (key_is(k, kn, "uid"))
		sc->uid = (uint32_t)parse_u64(v, vn, &ok), sc->has_uid = ok;
	else if (key_is(k, kn, "exit"))
		sc->exit = parse_i64(v, vn, &ok), sc->has_exit = ok;
	else if (key_is(k, kn, "items"))
		p->items = parse_u64(v, vn, &ok);
	else if (kn == 2 && k[0] == 'a' && k[1] >= '0' && k[1] <= '3')
		sc->a[k[1] - '0'] = parse_hex(v, vn, &ok);
	p->sc_bad |= !ok;
}

static void syscall_field(struct pend *p, const char *k, size_t kn, const char *v, size_t vn,
			  bool quoted)
{
	if (key_is(k, kn, "comm"))
		p->comm = append_value(p, v, vn, quoted);
	else if (key_is(k, kn, "exe"))
		p->exe = append_value(p, v, vn, quoted);
	else if (key_is(k, kn, "success"))
		p->sc.success = vn == 3 && !memcmp(v, "yes", 3);
	else if (!quoted)
		syscall_number(p, k, kn, v, vn);
}

static void field(struct pend *p, enum rec t, const char *k, size_t kn, const char *v, size_t vn,
		  bool quoted)
{
	switch (t) {
	case REC_EXECVE:
		execve_field(p, k, kn, v, vn, quoted);
		break;
	case REC_SYSCALL:
		syscall_field(p, k, kn, v, vn, quoted);
		break;
	case REC_SOCKADDR:
		if (key_is(k, kn, "saddr") && !quoted && is_hex_text(v, vn))
			p->saddr = append_value(p, v, vn, false), p->has_sockaddr = true;
		break;
	case REC_PROCTITLE:
		if (key_is(k, kn, "proctitle"))
			p->title = append_value(p, v, vn, quoted), p->has_proctitle = true;
		break;
	case REC_CWD:
		if (key_is(k, kn, "cwd"))
			p->cwd = append_value(p, v, vn, quoted), p->has_cwd = true;
		break;
	default:
		break;
	}
}

/* The key=value fields of a record body, in order; a quoted value runs to the next quote. */
static void parse_fields(struct pend *p, enum rec t, const char *s, const char *end)
{
	while (s < end) {
		const char *k, *eq, *v, *ve;
		bool quoted;

		while (s < end && (*s == ' ' || *s == ':' || *s == '\r'))
			s++;
		k = s;
		while (s < end && *s != ' ' && *s != '=')
			s++;
		if (s >= end || *s != '=')
			continue;
		eq = s++;
		quoted = s < end && *s == '"';
		v = s + quoted;
		ve = quoted ? memchr(v, '"', (size_t)(end - v)) : NULL;
		if (quoted && !ve) {
			p->partial = true;
			ve = end;
		}
		if (!quoted)
			for (ve = v; ve < end && *ve != ' '; ve++)
				;
		field(p, t, k, (size_t)(eq - k), v, (size_t)(ve - v), quoted);
		s = ve + (quoted && ve < end);
	}
}

/* ---- lines ---------------------------------------------------------------------------------- */

/* msg=audit(TIME:SERIAL): parses serial and time; returns the end of the header or NULL. */
static const char *header(const char *s, const char *end, uint64_t *serial, const char **tm,
			  size_t *tlen)
{
	const char *m = memmem(s, (size_t)(end - s), "msg=audit(", 10), *e, *colon;
	bool ok;

	if (!m)
		return NULL;
	m += 10;
	e = memchr(m, ')', (size_t)(end - m));
	colon = e ? memrchr(m, ':', (size_t)(e - m)) : NULL;
	if (!colon)
		return NULL;
	*serial = parse_u64(colon + 1, (size_t)(e - colon - 1), &ok);
	*tm = m;
	*tlen = (size_t)(colon - m);
	return ok ? e + 1 : NULL;
}

static enum rec rec_type(const char *ty, const char *end)
{
	static const struct {
		const char *name;
		enum rec t;
	} types[] = {
		{ "SYSCALL", REC_SYSCALL },   { "EXECVE", REC_EXECVE },       { "EOE", REC_EOE },
		{ "SOCKADDR", REC_SOCKADDR }, { "PROCTITLE", REC_PROCTITLE }, { "CWD", REC_CWD },
	};
	const char *n = ty + 5, *e = n;

	while (e < end && *e != ' ')
		e++;
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (key_is(n, (size_t)(e - n), types[i].name))
			return types[i].t;
	return REC_OTHER;
}

/* An exec's CWD record follows its EXECVE records when the call looked up a path (items= above 0,
 * as every exec does): it ends the part of the event the readers use. */
static bool ended(const struct pend *p)
{
	return p->has_proctitle ||
	       (p->has_execve && args_complete(p) && (p->has_cwd || !p->items));
}

static void feed_record(struct auditd_reader *r, enum rec t, const char *ty, const char *end)
{
	const char *body, *tm;
	uint64_t serial;
	size_t tlen;
	struct pend *p;

	r->st.records++;
	body = header(ty, end, &serial, &tm, &tlen);
	if (!body) {
		bad_record(r, "no msg=audit(TIME:SERIAL) header");
		return;
	}
	p = pend_find(r, serial);
	if (t == REC_EOE) {
		if (p)
			deliver(r, p, true);
		return;
	}
	if (!p && recently_done(r, serial)) {
		r->st.late_records += t != REC_PROCTITLE;  /* an exec's title: expected */
		return;
	}
	if (!p)
		p = pend_new(r, serial, tm, tlen);
	p->last = r->st.lines;
	p->has_syscall |= t == REC_SYSCALL;
	p->has_execve |= t == REC_EXECVE;
	r->st.execve_records += t == REC_EXECVE;
	parse_fields(p, t, body, end);
	if (t == REC_SYSCALL && p->sc_bad)
		bad_record(r, "SYSCALL record with a field that does not parse");
	else if (t == REC_SYSCALL && (p->sc_seen & SC_NEEDED) != SC_NEEDED)
		bad_record(r, "SYSCALL record without arch=, syscall= or pid=");
	if (t == REC_SOCKADDR && !p->has_sockaddr)
		bad_record(r, "SOCKADDR record without a hex saddr=");
	if (ended(p))
		deliver(r, p, true);
}

static bool blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return false;
	return true;
}

void auditd_feed_line(struct auditd_reader *r, const char *line, size_t len)
{
	const char *gs = memchr(line, 0x1d, len);   /* ENRICHED: interpreted fields follow */
	const char *end = gs ? gs : line + len;
	const char *ty = memmem(line, (size_t)(end - line), "type=", 5);
	enum rec t;

	r->st.lines++;
	if (memchr(line, '\0', len)) {             /* auditd hex-encodes such values */
		bad_record(r, "NUL byte in the record");
	} else if (!ty) {
		if (!blank(line, len)) {
			r->st.not_audit++;
			if (r->bad)
				r->bad(r->ctx, r->st.lines, "not an audit record (no type=)");
		}
	} else if ((t = rec_type(ty, end)) != REC_OTHER) {
		feed_record(r, t, ty, end);
	}
	flush_stale(r);
}

void auditd_feed_cut(struct auditd_reader *r)
{
	r->st.lines++;
	bad_record(r, "record longer than 256 KiB (SW_LINE_MAX): skipped");
	flush_stale(r);
}

/* ---- command lines for `score` --------------------------------------------------------------- */

static bool needs_quotes(struct sw_str a)
{
	if (!a.len)
		return true;
	for (uint32_t i = 0; i < a.len; i++)
		if ((unsigned char)a.p[i] <= ' ' || strchr("'\"\\$`|&;()<>*?[]{}~#!", a.p[i]))
			return true;
	return false;
}

size_t auditd_cmdline(const struct auditd_exec *ex, char *dst, size_t cap)
{
	size_t o = 0;

#define PUT(c) do { if (o < cap) dst[o] = (c); o++; } while (0)
	for (uint32_t i = 0; i < ex->nargs; i++) {
		struct sw_str a = ex->argv[i];
		bool q = needs_quotes(a);

		if (i)
			PUT(' ');
		if (q)
			PUT('\'');
		for (uint32_t k = 0; k < a.len; k++) {
			if (q && a.p[k] == '\'') {
				PUT('\'');
				PUT('\\');
				PUT('\'');
			}
			PUT(a.p[k]);
		}
		if (q)
			PUT('\'');
	}
#undef PUT
	if (cap)
		dst[o < cap ? o : cap - 1] = '\0';
	return o;
}

size_t auditd_cmdline_grow(const struct auditd_exec *ex, char **buf, size_t *cap)
{
	size_t need = auditd_cmdline(ex, *buf, *cap);
	char *nb;

	if (need < *cap)
		return need;
	if ((nb = realloc(*buf, need + 1))) {
		*buf = nb, *cap = need + 1;
		return auditd_cmdline(ex, *buf, *cap);
	}
	return *cap ? *cap - 1 : 0;
}
