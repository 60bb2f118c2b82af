/* baseline.c: scoring a command line against the host baseline, and what a baseline says about
 * itself (include/baseline.h). Learning is learn.c, the file blfile.c. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "baseline_priv.h"
#include "cmdfeat.h"

struct baseline_opts baseline_opts_default(void)
{
	return (struct baseline_opts){ .features = BL_FEAT_TOKENS, .seed = 1, .trees = 100,
				       .sample = 256, .contamination = 0.001, .min_lines = 50 };
}

struct baseline *baseline_alloc(const struct baseline_opts *o, const struct bl_group_def *defs,
				unsigned n)
{
	struct baseline *b = calloc(1, sizeof(*b));

	if (!b)
		return NULL;
	b->o = *o;
	b->ngroups = n;
	b->g = calloc(n ? n : 1, sizeof(*b->g));
	b->defs = calloc(n ? n : 1, sizeof(*b->defs));
	if (!b->g || !b->defs) {
		baseline_free(b);
		return NULL;
	}
	for (unsigned i = 0; i < n; i++)
		b->defs[i] = b->g[i].def = defs[i];
	return b;
}

void baseline_columns(struct bl_group *g, const struct baseline_opts *o)
{
	uint64_t min = bl_min_df(o->ignore_unseen);

	g->ncols = 0;
	for (uint32_t i = 0; i < g->vocab.n; i++)
		g->vocab.e[i].col = g->vocab.e[i].count >= min ? (int32_t)g->ncols++ : -1;
}

void baseline_free(struct baseline *b)
{
	if (!b)
		return;
	for (unsigned i = 0; b->g && i < b->ngroups; i++) {
		bl_counts_free(&b->g[i].vocab);
		iforest_free(&b->g[i].forest);
	}
	free(b->g);
	free(b->defs);
	free(b);
}

void baseline_options(const struct baseline *b, struct baseline_opts *o)
{
	*o = b->o;
}

unsigned baseline_ngroups(const struct baseline *b)
{
	return b->ngroups;
}

uint64_t baseline_ungrouped(const struct baseline *b)
{
	return b->ungrouped;
}

void baseline_group_info(const struct baseline *b, unsigned i, struct baseline_group_info *gi)
{
	const struct bl_group *g = &b->g[i];

	*gi = (struct baseline_group_info){ &g->def, g->learnt, g->lines, g->distinct, g->vocab.n,
					    g->ncols, g->threshold };
}

uint32_t baseline_vocab_size(const struct baseline *b, unsigned g)
{
	return g < b->ngroups ? b->g[g].vocab.n : 0;
}

/* The vocabulary entry of each key of k in group g (-1: unseen). */
static void lookup(const struct bl_group *g, const struct bl_keys *k, int64_t *entry)
{
	for (uint32_t i = 0; i < k->n; i++)
		entry[i] = bl_counts_find(&g->vocab, k->text[i].p, k->text[i].len, k->hash[i]);
}

/* A token's count in the group: its own key, or with hashed features its unigram's bucket. */
static uint64_t token_df(const struct baseline *b, const struct bl_group *g, struct sw_str tok)
{
	int64_t e = b->o.features == BL_FEAT_HASHED ?
		bl_counts_find(&g->vocab, "", 0, feat_hash_unigram(tok) & ((1u << BL_HASH_BITS) - 1)) :
		bl_counts_find(&g->vocab, tok.p, tok.len, bl_hash(tok.p, tok.len));

	return e >= 0 ? g->vocab.e[e].count : 0;
}

static void explain_add(struct baseline_explain *ex, struct sw_str tok, uint64_t df)
{
	uint32_t n = tok.len < SHTOK_TOK_MAX ? tok.len : SHTOK_TOK_MAX;

	memcpy(ex->item[ex->n].text, tok.p, n);
	ex->item[ex->n].text[n] = '\0';
	ex->item[ex->n++].df = df;
}

/* Unseen tokens in line order, then seen ones in at most 1% of the lines, rarest first. */
static void explain(const struct baseline *b, const struct bl_group *g, const struct shtok *t,
		    struct baseline_explain *ex)
{
	struct bl_keys k;
	uint64_t df[FEAT_MAX];

	bl_keys_of(&k, t, BL_FEAT_TOKENS);
	ex->lines = g->lines;
	for (uint32_t i = 0; i < k.n; i++)
		if (!(df[i] = token_df(b, g, k.text[i])) && ex->n < BASELINE_EXPLAIN_MAX)
			explain_add(ex, k.text[i], 0);
	ex->unseen = ex->n;
	while (ex->n < BASELINE_EXPLAIN_MAX) {
		uint32_t best = k.n;

		for (uint32_t i = 0; i < k.n; i++)
			if (df[i] && df[i] * 100 <= g->lines && (best == k.n || df[i] < df[best]))
				best = i;
		if (best == k.n)
			break;
		explain_add(ex, k.text[best], df[best]);
		df[best] = 0;
	}
}

void baseline_score(const struct baseline *b, const struct bl_cmd *c, struct baseline_result *r,
		    struct baseline_explain *ex)
{
	const struct bl_group *g;
	struct shtok t;
	struct bl_keys k;
	int64_t entry[FEAT_MAX];
	struct bl_row row;

	*r = (struct baseline_result){ .group = bl_group_of(b->defs, b->ngroups, c) };
	if (ex)
		ex->n = ex->unseen = 0, ex->lines = 0;
	if (r->group < 0 || !b->g[r->group].learnt)
		return;
	g = &b->g[r->group];
	shtok_run(&t, c->text, c->len);
	bl_keys_of(&k, &t, b->o.features);
	lookup(g, &k, entry);
	bl_row_of(&row, &g->vocab, g->lines, entry, k.n, 0, b->o.ignore_unseen);
	r->learnt = true;
	r->score = iforest_score(&g->forest, &row.r);
	r->outlier = r->score > g->threshold;
	if (ex)
		explain(b, g, &t, ex);
}

void baseline_score_exec(const struct baseline *b, struct sw_str exe, struct sw_str interp,
			 struct sw_str argv, struct baseline_result *r)
{
	char buf[16384];
	struct bl_cmd c;

	bl_cmd_from_exec(&c, exe, interp, argv, buf, sizeof(buf));
	baseline_score(b, &c, r, NULL);
}

uint32_t baseline_vector(const struct baseline *b, unsigned gi, const struct bl_cmd *c,
			 uint32_t *dim, float *val)
{
	const struct bl_group *g = &b->g[gi];
	struct shtok t;
	struct bl_keys k;
	int64_t entry[FEAT_MAX];
	double norm = 0;
	uint32_t n = 0;

	shtok_run(&t, c->text, c->len);
	bl_keys_of(&k, &t, b->o.features);
	lookup(g, &k, entry);
	for (uint32_t i = 0; i < k.n; i++) {
		double w;

		if (entry[i] < 0)
			continue;
		w = log((1.0 + (double)g->lines) / (1.0 + (double)g->vocab.e[entry[i]].count)) + 1;
		dim[n] = (uint32_t)entry[i];
		val[n++] = (float)w;
		norm += w * w;
	}
	for (uint32_t i = 0; i < n; i++)
		val[i] = (float)(val[i] / sqrt(norm));
	return n;
}
