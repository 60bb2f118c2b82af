/* learn.c: learning the host baseline (include/baseline.h): command lines counted per group,
 * then per group with enough lines the vocabulary, the training rows (each featurised as if it
 * were new, include/bl_feat.h), an Isolation Forest grown on them weighted by how often each line
 * ran, and the threshold: the lowest training score with at most a share of contamination of the
 * training lines above it. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "baseline_priv.h"

struct lgroup {
	struct bl_counts lines;      /* distinct lines, how often each ran */
	uint64_t total;
};

struct baseline_learner {
	struct baseline_opts o;
	struct bl_group_def *defs;
	unsigned n;
	struct lgroup *g;
	uint64_t ungrouped;
};

struct baseline_learner *baseline_learner_new(const struct baseline_opts *o,
					      const struct bl_group_def *defs, unsigned ndefs)
{
	struct baseline_learner *l = calloc(1, sizeof(*l));

	if (!defs)
		defs = bl_groups_builtin(&ndefs);
	if (!l)
		return NULL;
	l->o = *o;
	l->n = ndefs;
	l->defs = malloc((ndefs ? ndefs : 1) * sizeof(*l->defs));
	l->g = calloc(ndefs ? ndefs : 1, sizeof(*l->g));
	if (!l->defs || !l->g) {
		baseline_learner_free(l);
		return NULL;
	}
	memcpy(l->defs, defs, ndefs * sizeof(*defs));
	return l;
}

void baseline_learner_free(struct baseline_learner *l)
{
	if (!l)
		return;
	for (unsigned i = 0; l->g && i < l->n; i++)
		bl_counts_free(&l->g[i].lines);
	free(l->g);
	free(l->defs);
	free(l);
}

int baseline_learner_add(struct baseline_learner *l, const struct bl_cmd *c)
{
	int gi = bl_group_of(l->defs, l->n, c);
	uint32_t len = c->len < SHTOK_MAX_INPUT ? (uint32_t)c->len : SHTOK_MAX_INPUT;

	if (gi < 0) {
		l->ungrouped++;
		return -1;
	}
	if (bl_counts_add(&l->g[gi].lines, c->text, len, bl_hash(c->text, len), 1) < 0)
		return -2;
	l->g[gi].total++;
	return gi;
}

/* ---- one group ---------------------------------------------------------------------------- */

struct fit {
	struct bl_group *g;
	const struct bl_counts *lines;
	int64_t *keys;               /* every line's vocabulary entries, one after the other */
	uint64_t nkeys, kcap;
	uint64_t *kstart;            /* line i: keys[kstart[i] .. kstart[i + 1]) */
	uint32_t *col;               /* every row's columns and values, the same way */
	float *val;
	uint64_t ncv, ccap, vcap;
	struct if_row *rows;
	uint32_t *count;
};

static int reserve(void **p, uint64_t *cap, uint64_t need, size_t size)
{
	uint64_t c = *cap ? *cap : 1024;
	void *n;

	if (need <= *cap)
		return 0;
	while (c < need)
		c *= 2;
	if (!(n = realloc(*p, c * size)))
		return -1;
	*p = n, *cap = c;
	return 0;
}

/* Tokenize every distinct line once: its keys into the vocabulary, counted as often as it ran. */
static int vocabulary(struct fit *f, enum bl_features kind)
{
	struct shtok t;
	struct bl_keys k;

	for (uint32_t i = 0; i < f->lines->n; i++) {
		const struct bl_count *ln = &f->lines->e[i];

		shtok_run(&t, bl_counts_text(f->lines, i), ln->len);
		bl_keys_of(&k, &t, kind);
		f->kstart[i] = f->nkeys;
		if (reserve((void **)&f->keys, &f->kcap, f->nkeys + k.n, sizeof(*f->keys)))
			return -1;
		for (uint32_t j = 0; j < k.n; j++) {
			int64_t e = bl_counts_add(&f->g->vocab, k.text[j].p, k.text[j].len, k.hash[j],
						  ln->count);

			if (e < 0)
				return -1;
			f->keys[f->nkeys++] = e;
		}
	}
	f->kstart[f->lines->n] = f->nkeys;
	return 0;
}

/* Every distinct line's row: featurised as if it were new (its occurrence left out), unless
 * unseen tokens are ignored (then as the vectorizer of scikit-learn does: as it is). */
static int rows(struct fit *f, bool ignore_unseen)
{
	unsigned loo = ignore_unseen ? 0 : 1;
	struct bl_row row;
	uint32_t n = f->lines->n;

	for (uint32_t i = 0; i < n; i++) {
		bl_row_of(&row, &f->g->vocab, f->g->lines, f->keys + f->kstart[i],
			  (uint32_t)(f->kstart[i + 1] - f->kstart[i]), loo, ignore_unseen);
		if (reserve((void **)&f->col, &f->ccap, f->ncv + row.r.n, sizeof(*f->col)) ||
		    reserve((void **)&f->val, &f->vcap, f->ncv + row.r.n, sizeof(*f->val)))
			return -1;
		memcpy(f->col + f->ncv, row.col, row.r.n * sizeof(*row.col));
		memcpy(f->val + f->ncv, row.val, row.r.n * sizeof(*row.val));
		f->rows[i] = (struct if_row){ row.r.n, NULL, NULL, row.r.novel };
		f->rows[i].col = (const uint32_t *)(uintptr_t)f->ncv;   /* made pointers below */
		f->count[i] = f->lines->e[i].count > UINT32_MAX ? UINT32_MAX :
			      (uint32_t)f->lines->e[i].count;
		f->ncv += row.r.n;
	}
	for (uint32_t i = 0; i < n; i++) {
		uint64_t at = (uint64_t)(uintptr_t)f->rows[i].col;

		f->rows[i].col = f->col + at;
		f->rows[i].val = f->val + at;
	}
	return 0;
}

struct scored {
	double s;
	uint64_t count;
};

static int by_score(const void *a, const void *b)
{
	double x = ((const struct scored *)a)->s, y = ((const struct scored *)b)->s;

	return x < y ? -1 : x > y;
}

/* The score at occurrence index i of the sorted multiset. */
static double at_occurrence(const struct scored *s, uint32_t n, uint64_t i)
{
	for (uint32_t k = 0; k < n; k++) {
		if (i < s[k].count)
			return s[k].s;
		i -= s[k].count;
	}
	return n ? s[n - 1].s : 0;
}

/* The lowest training score with at most floor(c * lines) training lines above it. */
static int threshold(struct fit *f, double c)
{
	uint32_t n = f->lines->n;
	struct scored *s = malloc((n ? n : 1) * sizeof(*s));
	uint64_t above = (uint64_t)floor(c * (double)f->g->lines);

	if (!s)
		return -1;
	for (uint32_t i = 0; i < n; i++)
		s[i] = (struct scored){ iforest_score(&f->g->forest, &f->rows[i]), f->count[i] };
	qsort(s, n, sizeof(*s), by_score);
	f->g->threshold = at_occurrence(s, n, f->g->lines - 1 - above);
	free(s);
	return 0;
}

static uint64_t group_seed(uint64_t seed, const char *name)
{
	uint64_t s = seed ^ ((uint64_t)bl_hash(name, (uint32_t)strlen(name)) << 17);

	return if_rand(&s);
}

static int fit_group(const struct baseline_opts *o, struct bl_group *g, const struct lgroup *lg)
{
	struct fit f = { .g = g, .lines = &lg->lines };
	struct if_fit_opts fo = { o->trees, o->sample, group_seed(o->seed, g->def.name) };
	uint32_t n = lg->lines.n;
	int rc = -1;

	g->lines = lg->total;
	g->distinct = n;
	if (lg->total < o->min_lines || !lg->total)
		return 0;   /* too few: reported, not guessed */
	f.kstart = malloc((n + 1) * sizeof(*f.kstart));
	f.rows = malloc(n * sizeof(*f.rows));
	f.count = malloc(n * sizeof(*f.count));
	if (!f.kstart || !f.rows || !f.count || vocabulary(&f, o->features))
		goto out;
	baseline_columns(g, o);
	if (rows(&f, o->ignore_unseen) ||
	    iforest_fit(&g->forest, f.rows, f.count, n, g->ncols, &fo) ||
	    threshold(&f, o->contamination))
		goto out;
	g->learnt = true;
	rc = 0;
out:
	free(f.keys), free(f.kstart), free(f.col), free(f.val), free(f.rows), free(f.count);
	return rc;
}

struct baseline *baseline_learner_finish(struct baseline_learner *l)
{
	struct baseline *b = baseline_alloc(&l->o, l->defs, l->n);

	for (unsigned i = 0; b && i < l->n; i++)
		if (fit_group(&l->o, &b->g[i], &l->g[i])) {
			baseline_free(b);
			b = NULL;
		}
	if (b)
		b->ungrouped = l->ungrouped;
	baseline_learner_free(l);
	if (!b)
		errno = ENOMEM;
	return b;
}
