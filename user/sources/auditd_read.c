/* auditd_read.c: join auditd EXECVE records into commands (include/auditd_read.h). A few events are
 * assembled at once in a fixed table, their argument bytes in one growing buffer each. */
#include <stdlib.h>
#include <string.h>
#include "auditd_read.h"

struct parg {
	uint32_t off, len, want;   /* want: aN_len of a chunked argument */
	bool done;
};

struct pend {
	bool used, partial;
	uint64_t serial, age, line;
	char time[32];
	int64_t argc;              /* -1 until argc= is seen */
	int32_t open_arg;          /* argument receiving aN[M] chunks, -1 none */
	struct parg arg[AUDITD_MAX_ARGS];
	char *buf;
	size_t len, cap;
};

struct auditd_reader {
	auditd_cb cb;
	void *ctx;
	uint64_t clock;
	struct auditd_stats st;
	struct pend p[AUDITD_PENDING];
	struct auditd_exec ex;
};

struct auditd_reader *auditd_new(auditd_cb cb, void *ctx)
{
	struct auditd_reader *r = calloc(1, sizeof(*r));

	if (r) {
		r->cb = cb;
		r->ctx = ctx;
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

static void deliver(struct auditd_reader *r, struct pend *p)
{
	struct auditd_exec *ex = &r->ex;
	uint32_t n = p->argc < 0 ? 0 : (uint32_t)(p->argc > AUDITD_MAX_ARGS ? AUDITD_MAX_ARGS : p->argc);

	ex->serial = p->serial;
	ex->line = p->line;
	memcpy(ex->time, p->time, sizeof(ex->time));
	ex->argc = p->argc < 0 ? 0 : (uint32_t)p->argc;
	ex->nargs = n;
	ex->partial = p->partial || p->argc < 0 || p->argc > AUDITD_MAX_ARGS;
	for (uint32_t i = 0; i < n; i++) {
		ex->partial |= !p->arg[i].done;
		ex->argv[i] = (struct sw_str){ p->buf ? p->buf + p->arg[i].off : "", p->arg[i].len };
	}
	r->st.events++;
	r->st.partial_events += ex->partial;
	r->cb(r->ctx, ex);
	p->used = false;
}

void auditd_finish(struct auditd_reader *r)
{
	for (;;) {
		struct pend *old = NULL;

		for (int i = 0; i < AUDITD_PENDING; i++)
			if (r->p[i].used && (!old || r->p[i].age < old->age))
				old = &r->p[i];
		if (!old)
			return;
		deliver(r, old);
	}
}

static struct pend *pend_get(struct auditd_reader *r, uint64_t serial, const char *tm, size_t tlen)
{
	struct pend *p = NULL;

	for (int i = 0; i < AUDITD_PENDING; i++)
		if (r->p[i].used && r->p[i].serial == serial)
			return &r->p[i];
	for (int i = 0; i < AUDITD_PENDING && !p; i++)
		if (!r->p[i].used)
			p = &r->p[i];
	if (!p) {
		p = &r->p[0];
		for (int i = 1; i < AUDITD_PENDING; i++)
			if (r->p[i].age < p->age)
				p = &r->p[i];
		deliver(r, p);
	}
	p->used = true;
	p->partial = false;
	p->serial = serial;
	p->age = ++r->clock;
	p->line = r->st.lines;
	p->argc = -1;
	p->open_arg = -1;
	p->len = 0;
	memset(p->arg, 0, sizeof(p->arg));
	if (tlen >= sizeof(p->time))
		tlen = sizeof(p->time) - 1;
	memcpy(p->time, tm, tlen);
	p->time[tlen] = '\0';
	return p;
}

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

/* Append a value (quoted: literal; unquoted: hex if it is hex) to p's buffer. */
static void append_value(struct pend *p, const char *v, size_t n, bool quoted)
{
	bool hex = !quoted && is_hex_text(v, n);
	size_t need = hex ? n / 2 : n;

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
			return;
		}
		p->buf = nb;
		p->cap = cap;
	}
	for (size_t i = 0; i < need; i++)
		p->buf[p->len + i] = hex ? (char)(hexval(v[2 * i]) << 4 | hexval(v[2 * i + 1])) : v[i];
	p->len += need;
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
static void field(struct pend *p, const char *k, size_t kn, const char *v, size_t vn, bool quoted)
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
		append_value(p, v, vn, quoted);
		a->len = (uint32_t)(p->len - a->off);
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

static void parse_fields(struct pend *p, const char *s, const char *end)
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
		field(p, k, (size_t)(eq - k), v, (size_t)(ve - v), quoted);
		s = ve + (quoted && ve < end);
	}
}

static bool complete(const struct pend *p)
{
	if (p->argc < 0)
		return false;
	for (int64_t i = 0; i < p->argc && i < AUDITD_MAX_ARGS; i++)
		if (!p->arg[i].done)
			return false;
	return true;
}

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

void auditd_feed_line(struct auditd_reader *r, const char *line, size_t len)
{
	const char *end = line + len, *ty = memmem(line, len, "type=", 5), *body, *tm;
	uint64_t serial;
	size_t tlen;
	bool exe, eoe;
	struct pend *p;

	r->st.lines++;
	if (!ty)
		return;
	exe = end - ty >= 12 && !memcmp(ty, "type=EXECVE ", 12);
	eoe = end - ty >= 8 && !memcmp(ty, "type=EOE", 8);
	if (!exe && !eoe)
		return;
	body = header(ty, end, &serial, &tm, &tlen);
	if (!body) {
		r->st.bad_records += exe;
		return;
	}
	for (int i = 0; eoe && i < AUDITD_PENDING; i++)
		if (r->p[i].used && r->p[i].serial == serial)
			deliver(r, &r->p[i]);
	if (eoe)
		return;
	r->st.execve_records++;
	p = pend_get(r, serial, tm, tlen);
	parse_fields(p, body, end);
	if (complete(p))
		deliver(r, p);
}

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
