/* rules.c: the parser of the pattern language (docs/rules.md) into struct ruleset.
 *
 * Line oriented: "rule NAME" starts a rule, "within N" / "within 5s" bounds its span, "#" starts a
 * comment, every other line is a step. Errors name file:line:column and stop the parse.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rules.h"

#define MAX_TOKENS 64

struct tok {
	const char *p;
	size_t len;
	unsigned col;
	bool quoted;     /* p/len hold the text between the quotes (no escapes in rule files) */
};

struct pctx {
	struct ruleset *rs;
	struct rule *cur;
	char vars[RULE_MAX_VARS][8];
	const char *fname;
	unsigned line;
	unsigned cap;           /* rules allocated in rs->rules */
	char *err;
	size_t errlen;
};

static int fail(struct pctx *c, unsigned col, const char *fmt, ...)
{
	int n = snprintf(c->err, c->errlen, "%s:%u:%u: ", c->fname, c->line, col);
	va_list ap;

	if (n >= 0 && (size_t)n < c->errlen) {
		va_start(ap, fmt);
		vsnprintf(c->err + n, c->errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static bool tok_is(const struct tok *t, const char *s)
{
	return !t->quoted && t->len == strlen(s) && !memcmp(t->p, s, t->len);
}

/* Split a line into tokens; a quoted token runs to the next quote. Stops at '#'. */
static int tokenize(struct pctx *c, const char *s, size_t len, struct tok *t, unsigned *n)
{
	size_t i = 0;

	*n = 0;
	while (i < len) {
		size_t start;

		while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r'))
			i++;
		if (i >= len || s[i] == '#')
			break;
		if (*n >= MAX_TOKENS)
			return fail(c, (unsigned)i + 1, "too many tokens on a line");
		start = i;
		t[*n] = (struct tok){ s + i, 0, (unsigned)i + 1, false };
		while (i < len && s[i] != ' ' && s[i] != '\t' && s[i] != '\r') {
			if (s[i] == '"') {
				const char *q = memchr(s + i + 1, '"', len - i - 1);

				if (!q)
					return fail(c, (unsigned)i + 1, "unterminated quote");
				i = (size_t)(q - s);
			}
			i++;
		}
		t[*n].len = i - start;
		(*n)++;
	}
	return 0;
}

/* Index of a name in a table, adding it when missing. */
static int intern(struct pctx *c, char **tab, uint64_t *hashes, unsigned *n, unsigned max,
		  const char *p, size_t len, unsigned col, const char *what)
{
	uint64_t h = rule_hash(p, len);

	for (unsigned i = 0; i < *n; i++)
		if (hashes[i] == h)
			return (int)i;
	if (*n >= max)
		return fail(c, col, "more than %u distinct %s in the rule set", max, what);
	tab[*n] = strndup(p, len);
	if (!tab[*n])
		return fail(c, col, "out of memory");
	hashes[*n] = h;
	return (int)(*n)++;
}

static bool is_var_name(const char *p, size_t len)
{
	if (len == 0 || len > 7 || p[0] < 'a' || p[0] > 'z')
		return false;
	for (size_t i = 1; i < len; i++)
		if (p[i] < '0' || p[i] > '9')
			return false;
	return true;
}

static int var_index(struct pctx *c, const char *p, size_t len, unsigned col)
{
	struct rule *r = c->cur;

	for (unsigned i = 0; i < r->nvars; i++)
		if (strlen(c->vars[i]) == len && !memcmp(c->vars[i], p, len))
			return (int)i;
	if (r->nvars >= RULE_MAX_VARS)
		return fail(c, col, "more than %d variables in a rule", RULE_MAX_VARS);
	memcpy(c->vars[r->nvars], p, len);
	c->vars[r->nvars][len] = '\0';
	return r->nvars++;
}

/* Literal alternatives a|b|c, or "*". */
static int parse_alts(struct pctx *c, const char *p, size_t len, unsigned col, struct rule_value *v)
{
	size_t i = 0;

	if (len == 1 && p[0] == '*') {
		v->any = true;
		return 0;
	}
	while (i <= len) {
		const char *bar = memchr(p + i, '|', len - i);
		size_t end = bar ? (size_t)(bar - p) : len;

		if (end == i)
			return fail(c, col + (unsigned)i, "empty alternative");
		if (v->nalts >= RULE_MAX_ALTS)
			return fail(c, col + (unsigned)i, "more than %d alternatives", RULE_MAX_ALTS);
		v->alts[v->nalts++] = rule_hash(p + i, end - i);
		i = end + 1;
	}
	return 0;
}

/* A value: "quoted literal", *, x, x:alts, or alts. */
static int parse_value(struct pctx *c, const char *p, size_t len, bool quoted, unsigned col,
		       struct rule_value *v)
{
	const char *colon = quoted ? NULL : memchr(p, ':', len);
	int vi;

	memset(v, 0, sizeof(*v));
	v->var = -1;
	if (quoted) {
		v->alts[v->nalts++] = rule_hash(p, len);
		return 0;
	}
	if (len == 0)
		return fail(c, col, "empty value");
	if (colon && is_var_name(p, (size_t)(colon - p))) {
		vi = var_index(c, p, (size_t)(colon - p), col);
		if (vi < 0)
			return -1;
		v->var = (int8_t)vi;
		return parse_alts(c, colon + 1, len - (size_t)(colon - p) - 1,
				  col + (unsigned)(colon - p) + 1, v);
	}
	if (is_var_name(p, len)) {
		vi = var_index(c, p, len, col);
		if (vi < 0)
			return -1;
		v->var = (int8_t)vi;
		return 0;
	}
	return parse_alts(c, p, len, col, v);
}

static int parse_calls(struct pctx *c, const struct tok *t, struct rule_item *it)
{
	size_t i = 0;

	if (tok_is(t, "*"))
		return 0;
	while (i <= t->len) {
		const char *bar = memchr(t->p + i, '|', t->len - i);
		size_t end = bar ? (size_t)(bar - t->p) : t->len;
		int id;

		for (size_t k = i; k < end; k++)
			if (!(t->p[k] >= 'a' && t->p[k] <= 'z') && !(t->p[k] >= '0' && t->p[k] <= '9') &&
			    t->p[k] != '_')
				return fail(c, t->col + (unsigned)k, "bad character in a call name");
		if (end == i || t->quoted)
			return fail(c, t->col + (unsigned)i, "expected a call name");
		id = intern(c, c->rs->calls, c->rs->call_hash, &c->rs->ncalls, RULE_MAX_CALLS,
			    t->p + i, end - i, t->col + (unsigned)i, "call names");
		if (id < 0)
			return -1;
		it->calls |= 1ULL << id;
		i = end + 1;
	}
	return 0;
}

static int parse_cons(struct pctx *c, const struct tok *t, struct rule_item *it)
{
	const char *eq = t->quoted ? NULL : memchr(t->p, '=', t->len);
	size_t nlen = eq ? (size_t)(eq - t->p) : 0;
	struct rule_cons *k = &it->cons[it->ncons];
	bool quoted = false;
	const char *v;
	size_t vlen;
	int slot;

	if (!eq || nlen == 0)
		return fail(c, t->col, "expected name=value or => value");
	if (it->ncons >= RULE_MAX_CONS)
		return fail(c, t->col, "more than %d arguments in an item", RULE_MAX_CONS);
	k->optional = t->p[nlen - 1] == '?';
	if (k->optional && --nlen == 0)
		return fail(c, t->col, "empty argument name");
	slot = intern(c, c->rs->argnames, c->rs->arg_hash, &c->rs->nargnames, RULE_MAX_ARGNAMES,
		      t->p, nlen, t->col, "argument names");
	if (slot < 0)
		return -1;
	k->slot = (uint8_t)slot;
	v = eq + 1;
	vlen = t->len - (size_t)(v - t->p);
	if (vlen >= 2 && v[0] == '"' && v[vlen - 1] == '"')
		v++, vlen -= 2, quoted = true;
	if (parse_value(c, v, vlen, quoted, t->col + (unsigned)(v - t->p), &k->v))
		return -1;
	it->ncons++;
	return 0;
}

static int parse_item(struct pctx *c, const struct tok *t, unsigned n, struct rule_item *it)
{
	memset(it, 0, sizeof(*it));
	if (parse_calls(c, &t[0], it))
		return -1;
	for (unsigned i = 1; i < n; i++) {
		if (!tok_is(&t[i], "=>")) {
			if (parse_cons(c, &t[i], it))
				return -1;
			continue;
		}
		if (i + 2 != n)
			return fail(c, t[i].col, "=> takes exactly one value, at the end of the item");
		it->has_ret = true;
		return parse_value(c, t[i + 1].p, t[i + 1].len, t[i + 1].quoted, t[i + 1].col,
				   &it->ret);
	}
	return 0;
}

static int parse_step(struct pctx *c, const struct tok *t, unsigned n)
{
	struct rule *r = c->cur;
	unsigned start = 0;

	if (!r)
		return fail(c, t[0].col, "a step outside a rule (start one with: rule NAME)");
	if (r->nsteps >= RULE_MAX_STEPS)
		return fail(c, t[0].col, "more than %d steps in a rule", RULE_MAX_STEPS);
	r->step_start[r->nsteps] = r->nitems;
	for (unsigned i = 0; i <= n; i++) {
		if (i < n && !tok_is(&t[i], "|"))
			continue;
		if (i == start)
			return fail(c, i < n ? t[i].col : t[n - 1].col, "empty item in a step");
		if (r->nitems >= RULE_MAX_ITEMS)
			return fail(c, t[start].col, "more than %d items in a rule", RULE_MAX_ITEMS);
		if (parse_item(c, t + start, i - start, &r->items[r->nitems]))
			return -1;
		r->nitems++;
		start = i + 1;
	}
	r->nsteps++;
	r->step_start[r->nsteps] = r->nitems;
	return 0;
}

static int finish_rule(struct pctx *c)
{
	if (c->cur && c->cur->nsteps == 0)
		return fail(c, 1, "rule '%s' has no steps", c->cur->name);
	return 0;
}

static int start_rule(struct pctx *c, const struct tok *t, unsigned n)
{
	struct ruleset *rs = c->rs;
	struct rule *nr;

	if (n != 2 || t[1].quoted)
		return fail(c, t[0].col, "expected: rule NAME");
	if (t[1].len >= RULE_NAME_MAX)
		return fail(c, t[1].col, "rule name longer than %d bytes", RULE_NAME_MAX - 1);
	for (size_t i = 0; i < t[1].len; i++)
		if (t[1].p[i] == '|' || t[1].p[i] == '=')
			return fail(c, t[1].col + (unsigned)i, "bad character in a rule name");
	for (unsigned i = 0; i < rs->nrules; i++)
		if (strlen(rs->rules[i].name) == t[1].len && !memcmp(rs->rules[i].name, t[1].p, t[1].len))
			return fail(c, t[1].col, "rule '%.*s' defined twice", (int)t[1].len, t[1].p);
	if (finish_rule(c))
		return -1;
	if (rs->nrules >= RULE_MAX_RULES)
		return fail(c, t[0].col, "more than %d rules in the rule set", RULE_MAX_RULES);
	if (rs->nrules == c->cap) {   /* doubling: loading stays linear */
		c->cap = c->cap ? 2 * c->cap : 8;
		nr = realloc(rs->rules, c->cap * sizeof(*nr));
		if (!nr)
			return fail(c, t[0].col, "out of memory");
		rs->rules = nr;
	}
	c->cur = &rs->rules[rs->nrules++];
	memset(c->cur, 0, sizeof(*c->cur));
	memcpy(c->cur->name, t[1].p, t[1].len);
	return 0;
}

/* within N (events, count mode) or within N{ns,us,ms,s} (time mode). */
static int parse_within(struct pctx *c, const struct tok *t, unsigned n)
{
	static const struct { const char *sfx; uint64_t mul; } units[] = {
		{ "ns", 1 }, { "us", 1000 }, { "ms", 1000000 }, { "s", 1000000000 },
	};
	char *end;
	unsigned long long v;

	if (!c->cur)
		return fail(c, t[0].col, "within outside a rule");
	if (n != 2 || t[1].quoted || t[1].len > 30)
		return fail(c, t[0].col, "expected: within N or within N{ns,us,ms,s}");
	char buf[32];

	memcpy(buf, t[1].p, t[1].len);
	buf[t[1].len] = '\0';
	errno = 0;
	v = strtoull(buf, &end, 10);
	if (end == buf || errno || v == 0 || buf[0] == '-')
		return fail(c, t[1].col, "expected a positive number");
	if (*end == '\0') {
		c->cur->within_count = v;
		return 0;
	}
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (!strcmp(end, units[i].sfx)) {
			if (v > UINT64_MAX / units[i].mul)
				return fail(c, t[1].col, "duration too long");
			c->cur->within_ns = v * units[i].mul;
			return 0;
		}
	return fail(c, t[1].col + (unsigned)(end - buf), "unknown unit (ns, us, ms, s)");
}

static int parse_line(struct pctx *c, const char *s, size_t len)
{
	struct tok t[MAX_TOKENS];
	unsigned n;

	if (tokenize(c, s, len, t, &n))
		return -1;
	if (n == 0)
		return 0;
	if (tok_is(&t[0], "rule"))
		return start_rule(c, t, n);
	if (tok_is(&t[0], "within"))
		return parse_within(c, t, n);
	return parse_step(c, t, n);
}

int rules_parse(struct ruleset *rs, const char *text, size_t len, const char *fname, char *err,
		size_t errlen)
{
	struct pctx c = { .rs = rs, .fname = fname, .err = err, .errlen = errlen };
	size_t i = 0;

	if (errlen)
		err[0] = '\0';
	while (i < len) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - text) : len;

		c.line++;
		if (memchr(text + i, '\0', end - i))
			return fail(&c, 1, "NUL byte in the rules");
		if (parse_line(&c, text + i, end - i))
			return -1;
		i = end + 1;
	}
	if (finish_rule(&c))
		return -1;
	if (rs->nrules == 0) {
		snprintf(err, errlen, "%s: no rules", fname);
		return -1;
	}
	return 0;
}

/* The whole file into *buf (NUL-terminated): at most RULE_FILE_MAX bytes. -1 with err set. */
static int read_all(FILE *f, const char *path, char **buf, size_t *len, char *err, size_t errlen)
{
	*len = 0;
	*buf = malloc(RULE_FILE_MAX + 2);
	if (!*buf) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	*len = fread(*buf, 1, RULE_FILE_MAX + 1, f);
	if (ferror(f)) {
		snprintf(err, errlen, "%s: read error: %s", path, strerror(errno));
		return -1;
	}
	if (*len > RULE_FILE_MAX) {
		snprintf(err, errlen, "%s: larger than 4 MiB: not a rule file", path);
		return -1;
	}
	(*buf)[*len] = '\0';
	return 0;
}

int rules_load_file(struct ruleset *rs, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *buf;
	size_t len;
	int rc = -1;

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (!read_all(f, path, &buf, &len, err, errlen))
		rc = rules_parse(rs, buf, len, path, err, errlen);
	fclose(f);
	free(buf);
	return rc;
}

int rules_load_default(struct ruleset *rs, char *err, size_t errlen)
{
	return rules_parse(rs, rules_default_text, strlen(rules_default_text), "<built-in rules>",
			   err, errlen);
}

void rules_free(struct ruleset *rs)
{
	for (unsigned i = 0; i < rs->ncalls; i++)
		free(rs->calls[i]);
	for (unsigned i = 0; i < rs->nargnames; i++)
		free(rs->argnames[i]);
	free(rs->rules);
	memset(rs, 0, sizeof(*rs));
}

int rules_call_id(const struct ruleset *rs, uint64_t h)
{
	for (unsigned i = 0; i < rs->ncalls; i++)
		if (rs->call_hash[i] == h)
			return (int)i;
	return -1;
}

int rules_arg_slot(const struct ruleset *rs, uint64_t h)
{
	for (unsigned i = 0; i < rs->nargnames; i++)
		if (rs->arg_hash[i] == h)
			return (int)i;
	return -1;
}
