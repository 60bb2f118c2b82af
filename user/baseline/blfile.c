/* blfile.c: the baseline file (docs/baseline.md): text, one item a line, a header, then one
 * section per group (its definition, counts, and when learnt its threshold, vocabulary and
 * trees). Written exactly (floats round-trip), read strictly: anything malformed is an error
 * naming file:line. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "baseline_priv.h"

#define MAX_GROUPS 64
#define MAX_TREES 10000
#define MAX_SAMPLE 65536
#define MAX_VOCAB (1u << 24)

/* ---- writing ------------------------------------------------------------------------------ */

/* A token as one blank-free word: printable ASCII but the backslash as is, the rest \xHH. */
static void put_token(FILE *f, const char *s, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\\')
			fputs("\\\\", f);
		else if (c > 0x20 && c < 0x7f)
			putc(c, f);
		else
			fprintf(f, "\\x%02x", c);
	}
}

static void save_trees(const struct iforest *fo, FILE *f)
{
	fprintf(f, "forest %u %u\n", fo->ntrees, fo->psi);
	for (uint32_t t = 0; t < fo->ntrees; t++) {
		uint32_t end = t + 1 < fo->ntrees ? fo->root[t + 1] : fo->nnodes;

		fprintf(f, "tree %u\n", end - fo->root[t]);
		for (uint32_t i = fo->root[t]; i < end; i++) {
			const struct if_node *nd = &fo->node[i];

			if (nd->col < 0)
				fprintf(f, "l %u\n", nd->n);
			else
				fprintf(f, "s %d %.9g %u\n", nd->col, (double)nd->split, nd->n);
		}
	}
}

static void save_group(const struct baseline *b, const struct bl_group *g, FILE *f)
{
	fprintf(f, "group %s\nprograms %s\nsource %s\nlines %llu\ndistinct %llu\nlearnt %s\n",
		g->def.name, g->def.programs, g->def.source == BL_SRC_CODE ? "code" : "any",
		(unsigned long long)g->lines, (unsigned long long)g->distinct,
		g->learnt ? "yes" : "no");
	if (g->learnt) {
		fprintf(f, "threshold %.17g\nvocabulary %u\n", g->threshold, g->vocab.n);
		for (uint32_t i = 0; i < g->vocab.n; i++) {
			fprintf(f, "%llu ", (unsigned long long)g->vocab.e[i].count);
			if (b->o.features == BL_FEAT_HASHED)
				fprintf(f, "%u", g->vocab.e[i].hash);
			else
				put_token(f, bl_counts_text(&g->vocab, i), g->vocab.e[i].len);
			putc('\n', f);
		}
		save_trees(&g->forest, f);
	}
	fputs("end group\n", f);
}

int baseline_save(const struct baseline *b, FILE *f)
{
	fprintf(f, "shellwatch-baseline 1\nfeatures %s\nunseen %s\nseed %llu\ntrees %u\nsample %u\n"
		   "contamination %.17g\nmin-lines %u\nungrouped %llu\ngroups %u\n",
		bl_features_name(b->o.features), b->o.ignore_unseen ? "ignore" : "isolate",
		(unsigned long long)b->o.seed, b->o.trees, b->o.sample, b->o.contamination,
		b->o.min_lines, (unsigned long long)b->ungrouped, b->ngroups);
	for (unsigned i = 0; i < b->ngroups; i++)
		save_group(b, &b->g[i], f);
	fputs("end\n", f);
	return fflush(f) || ferror(f) ? -1 : 0;
}

/* ---- reading ------------------------------------------------------------------------------ */

struct rd {
	const char *p, *end, *name;
	unsigned line;
	char buf[512];
	char *err;
	size_t errlen;
};

static int fail(struct rd *r, const char *fmt, ...)
{
	char why[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	snprintf(r->err, r->errlen, "%s:%u: %s", r->name, r->line, why);
	return -1;
}

/* The next line into r->buf; -1 (with the error) at the end of the text or for a long line. */
static int next(struct rd *r, const char *what)
{
	const char *nl;
	size_t n;

	r->line++;
	if (r->p >= r->end)
		return fail(r, "unexpected end of file, expected %s", what);
	nl = memchr(r->p, '\n', (size_t)(r->end - r->p));
	n = (size_t)((nl ? nl : r->end) - r->p);
	if (n >= sizeof(r->buf))
		return fail(r, "line longer than %zu bytes", sizeof(r->buf) - 1);
	memcpy(r->buf, r->p, n);
	r->buf[n] = '\0';
	if (memchr(r->buf, '\0', n))
		return fail(r, "NUL byte in line");
	r->p = nl ? nl + 1 : r->end;
	return 0;
}

/* "key value": the value, or NULL with the error. */
static const char *keyed(struct rd *r, const char *key)
{
	size_t k = strlen(key);

	if (next(r, key))
		return NULL;
	if (strncmp(r->buf, key, k) || r->buf[k] != ' ' || !r->buf[k + 1]) {
		fail(r, "expected '%s VALUE'", key);
		return NULL;
	}
	return r->buf + k + 1;
}

static int to_u64(struct rd *r, const char *s, const char *what, uint64_t lo, uint64_t hi,
		  uint64_t *v)
{
	char *e;

	errno = 0;
	*v = strtoull(s, &e, 10);
	if (errno || e == s || *e || *s < '0' || *s > '9' || *v < lo || *v > hi)
		return fail(r, "%s must be a whole number from %llu to %llu, not '%s'", what,
			    (unsigned long long)lo, (unsigned long long)hi, s);
	return 0;
}

static int key_u64(struct rd *r, const char *key, uint64_t lo, uint64_t hi, uint64_t *v)
{
	const char *s = keyed(r, key);

	return s ? to_u64(r, s, key, lo, hi, v) : -1;
}

static int key_u32(struct rd *r, const char *key, uint64_t lo, uint64_t hi, uint32_t *v)
{
	uint64_t x;

	if (key_u64(r, key, lo, hi, &x))
		return -1;
	*v = (uint32_t)x;
	return 0;
}

static int key_double(struct rd *r, const char *key, double lo, double hi, double *v)
{
	const char *s = keyed(r, key);
	char *e;

	if (!s)
		return -1;
	errno = 0;
	*v = strtod(s, &e);
	if (errno || e == s || *e || !(*v >= lo && *v <= hi))
		return fail(r, "%s must be a number from %g to %g, not '%s'", key, lo, hi, s);
	return 0;
}

/* "key a|b": 0 for a, 1 for b. */
static int key_choice(struct rd *r, const char *key, const char *a, const char *b)
{
	const char *s = keyed(r, key);

	if (!s)
		return -1;
	if (!strcmp(s, a) || !strcmp(s, b))
		return !strcmp(s, b);
	return fail(r, "%s must be %s or %s, not '%s'", key, a, b, s);
}

static int expect(struct rd *r, const char *line)
{
	if (next(r, line))
		return -1;
	return strcmp(r->buf, line) ? fail(r, "expected '%s'", line) : 0;
}

static int header(struct rd *r, struct baseline_opts *o, uint64_t *ungrouped, uint32_t *ngroups)
{
	int feat, unseen;

	if (next(r, "'shellwatch-baseline 1'"))
		return -1;
	if (strcmp(r->buf, "shellwatch-baseline 1"))
		return fail(r, "expected 'shellwatch-baseline 1' (not a shellwatch baseline? "
			       "docs/baseline.md)");
	if ((feat = key_choice(r, "features", "tokens", "hashed")) < 0 ||
	    (unseen = key_choice(r, "unseen", "isolate", "ignore")) < 0 ||
	    key_u64(r, "seed", 0, UINT64_MAX, &o->seed) ||
	    key_u32(r, "trees", 1, MAX_TREES, &o->trees) ||
	    key_u32(r, "sample", 2, MAX_SAMPLE, &o->sample) ||
	    key_double(r, "contamination", 0, 0.5, &o->contamination) ||
	    key_u32(r, "min-lines", 1, UINT32_MAX, &o->min_lines) ||
	    key_u64(r, "ungrouped", 0, UINT64_MAX, ungrouped) ||
	    key_u32(r, "groups", 1, MAX_GROUPS, ngroups))
		return -1;
	o->features = feat ? BL_FEAT_HASHED : BL_FEAT_TOKENS;
	o->ignore_unseen = unseen == 1;
	return 0;
}

static int unhex(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* An escaped token back into out (SHTOK_TOK_MAX bytes at most); its length, or -1. */
static int unescape(const char *s, char *out)
{
	int n = 0;

	for (; *s; s++) {
		int c = (unsigned char)*s;

		if (n == SHTOK_TOK_MAX || c <= 0x20 || c >= 0x7f)
			return -1;
		if (c == '\\') {
			if (s[1] == '\\')
				s++;
			else if (s[1] == 'x' && unhex(s[2]) >= 0 && unhex(s[3]) >= 0)
				c = unhex(s[2]) * 16 + unhex(s[3]), s += 3;
			else
				return -1;
		}
		out[n++] = (char)c;
	}
	return n;
}

static int vocab_entry(struct rd *r, const struct baseline_opts *o, struct bl_group *g)
{
	char *sp, key[SHTOK_TOK_MAX];
	uint64_t df, bucket;
	int n = 0;
	uint32_t h;

	if (next(r, "a vocabulary line"))
		return -1;
	if (!(sp = strchr(r->buf, ' ')))
		return fail(r, "expected 'COUNT KEY'");
	*sp = '\0';
	if (to_u64(r, r->buf, "a key's count", 1, g->lines, &df))
		return -1;
	if (o->features == BL_FEAT_HASHED) {
		if (to_u64(r, sp + 1, "a bucket", 0, (1u << BL_HASH_BITS) - 1, &bucket))
			return -1;
		h = (uint32_t)bucket;
	} else if ((n = unescape(sp + 1, key)) <= 0) {
		return fail(r, "bad token '%s' (printable ASCII, \\\\ and \\xHH)", sp + 1);
	} else {
		h = bl_hash(key, (uint32_t)n);
	}
	if (bl_counts_find(&g->vocab, key, (uint32_t)n, h) >= 0)
		return fail(r, "key '%s' listed twice", sp + 1);
	if (bl_counts_add(&g->vocab, key, (uint32_t)n, h, df) < 0)
		return fail(r, "out of memory");
	return 0;
}

static int push_node(struct rd *r, struct iforest *f, uint32_t cap, struct if_node nd)
{
	if (f->nnodes >= cap)
		return fail(r, "more nodes than the tree line says");
	f->node[f->nnodes++] = nd;
	return 0;
}

/* The words of r->buf split at single spaces into w (at most max); their number. */
static unsigned words(struct rd *r, char **w, unsigned max)
{
	unsigned n = 0;

	for (char *p = r->buf; n < max;) {
		w[n++] = p;
		if (!(p = strchr(p, ' ')))
			return n;
		*p++ = '\0';
	}
	return max + 1;   /* more words than max */
}

static bool whole(const char *s, uint32_t hi, uint32_t *v)
{
	char *e;
	unsigned long x;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	x = strtoul(s, &e, 10);
	*v = (uint32_t)x;
	return !errno && !*e && x <= hi;
}

/* One node in preorder ("l ROWS" or "s COLUMN VALUE COLUMNS"), its subtrees after it. */
static int node(struct rd *r, struct iforest *f, uint32_t cap, uint32_t depth)
{
	char *w[5], *e;
	unsigned nw;
	uint32_t col, n;
	float split;
	int at;

	if (next(r, "a tree node"))
		return -1;
	nw = words(r, w, 4);
	if (nw == 2 && !strcmp(w[0], "l")) {
		if (!whole(w[1], f->psi, &n) || !n)
			return fail(r, "a leaf holds 1 to %u rows", f->psi);
		return push_node(r, f, cap, iforest_leaf(n));
	}
	if (nw != 4 || strcmp(w[0], "s"))
		return fail(r, "expected 'l ROWS' or 's COLUMN VALUE COLUMNS'");
	errno = 0;
	split = strtof(w[2], &e);
	if (!whole(w[1], f->ncols ? f->ncols - 1 : 0, &col) || !f->ncols ||
	    !whole(w[3], f->ncols, &n) || !n || errno || e == w[2] || *e || !isfinite(split))
		return fail(r, "bad split: column below %u, a number, 1 to %u columns", f->ncols,
			    f->ncols);
	if (depth >= f->limit)
		return fail(r, "tree deeper than its height limit %u", f->limit);
	at = (int)f->nnodes;
	if (push_node(r, f, cap, (struct if_node){ (int32_t)col, split, n, 0 }) ||
	    node(r, f, cap, depth + 1))
		return -1;
	f->node[at].right = f->nnodes;
	return node(r, f, cap, depth + 1);
}

static int forest(struct rd *r, const struct baseline_opts *o, struct bl_group *g)
{
	struct iforest *f = &g->forest;
	unsigned long long nt, psi;
	int used = 0;
	const char *s = keyed(r, "forest");

	if (!s)
		return -1;
	if (sscanf(s, "%llu %llu%n", &nt, &psi, &used) != 2 || s[used] || strchr(s, '-') ||
	    nt != o->trees || psi < 1 || psi > o->sample || psi > g->lines)
		return fail(r, "expected 'forest %u ROWS' (rows: 1 to the sample size and the lines)",
			    o->trees);
	f->ntrees = (uint32_t)nt, f->psi = (uint32_t)psi;
	f->limit = iforest_limit(f->psi), f->ncols = g->ncols;
	if (!(f->root = calloc(f->ntrees, sizeof(*f->root))))
		return fail(r, "out of memory");
	for (uint32_t t = 0; t < f->ntrees; t++) {
		uint32_t n;
		struct if_node *nn;

		if (key_u32(r, "tree", 1, 2 * psi - 1, &n))
			return -1;
		if (!(nn = realloc(f->node, (f->nnodes + n) * sizeof(*nn))))
			return fail(r, "out of memory");
		f->node = nn;
		f->root[t] = f->nnodes;
		if (node(r, f, f->root[t] + n, 0))
			return -1;
		if (f->nnodes != f->root[t] + n)
			return fail(r, "the tree has fewer nodes than its tree line says (%u)", n);
	}
	return 0;
}

static int group_def(struct rd *r, struct baseline *b, unsigned i)
{
	struct bl_group *g = &b->g[i];
	const char *s;
	int src;

	if (!(s = keyed(r, "group")))
		return -1;
	snprintf(g->def.name, sizeof(g->def.name), "%s", s);
	snprintf(g->def.programs, sizeof(g->def.programs), "x");
	if (strlen(s) >= sizeof(g->def.name) || !bl_group_def_valid(&g->def))
		return fail(r, "a group name is a word of letters, digits and ._+- (%zu bytes at most)",
			    sizeof(g->def.name) - 1);
	for (unsigned k = 0; k < i; k++)
		if (!strcmp(b->g[k].def.name, g->def.name))
			return fail(r, "group '%s' twice", s);
	if (!(s = keyed(r, "programs")))
		return -1;
	if (strlen(s) >= sizeof(g->def.programs))
		return fail(r, "programs longer than %zu bytes", sizeof(g->def.programs) - 1);
	snprintf(g->def.programs, sizeof(g->def.programs), "%s", s);
	if (!bl_group_def_valid(&g->def))
		return fail(r, "programs are words of letters, digits and ._+-, or *");
	if ((src = key_choice(r, "source", "any", "code")) < 0)
		return -1;
	g->def.source = src ? BL_SRC_CODE : BL_SRC_ANY;
	b->defs[i] = g->def;
	return 0;
}

static int group_section(struct rd *r, struct baseline *b, unsigned i)
{
	struct bl_group *g = &b->g[i];
	uint64_t nvocab;
	int learnt;

	if (group_def(r, b, i) || key_u64(r, "lines", 0, UINT64_MAX, &g->lines) ||
	    key_u64(r, "distinct", 0, g->lines, &g->distinct) ||
	    (learnt = key_choice(r, "learnt", "no", "yes")) < 0)
		return -1;
	if (learnt) {
		if (!g->lines)
			return fail(r, "a learnt group has lines");
		if (key_double(r, "threshold", 0, 1, &g->threshold) ||
		    key_u64(r, "vocabulary", 0, MAX_VOCAB, &nvocab))
			return -1;
		for (uint64_t k = 0; k < nvocab; k++)
			if (vocab_entry(r, &b->o, g))
				return -1;
		baseline_columns(g, &b->o);
		if (forest(r, &b->o, g))
			return -1;
		g->learnt = true;
	}
	return expect(r, "end group");
}

struct baseline *baseline_parse(const char *text, size_t len, const char *name, char *err,
				size_t errlen)
{
	struct rd r = { .p = text, .end = text + len, .name = name, .err = err, .errlen = errlen };
	struct baseline_opts o = baseline_opts_default();
	struct bl_group_def none[MAX_GROUPS];
	struct baseline *b = NULL;
	uint64_t ungrouped = 0;
	uint32_t n = 0;

	memset(none, 0, sizeof(none));
	if (header(&r, &o, &ungrouped, &n))
		return NULL;
	if (!(b = baseline_alloc(&o, none, n))) {
		fail(&r, "out of memory");
		return NULL;
	}
	b->ungrouped = ungrouped;
	for (unsigned i = 0; i < n; i++)
		if (group_section(&r, b, i))
			goto bad;
	if (expect(&r, "end"))
		goto bad;
	if (r.p < r.end) {
		r.line++;
		fail(&r, "text after 'end'");
		goto bad;
	}
	return b;
bad:
	baseline_free(b);
	return NULL;
}

struct baseline *baseline_load_file(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	char *text = NULL;
	size_t cap = 0, len = 0, got;
	struct baseline *b = NULL;

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	do {
		if (len == cap) {
			char *nt = realloc(text, cap = cap ? 2 * cap : 1 << 16);

			if (!nt) {
				snprintf(err, errlen, "%s: out of memory", path);
				goto out;
			}
			text = nt;
		}
		got = fread(text + len, 1, cap - len, f);
		len += got;
	} while (got > 0);
	if (ferror(f))
		snprintf(err, errlen, "%s: read error", path);
	else
		b = baseline_parse(text, len, path, err, errlen);
out:
	fclose(f);
	free(text);
	return b;
}
