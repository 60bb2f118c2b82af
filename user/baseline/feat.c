/* feat.c: a command line's keys and its TF-IDF row in its baseline group (include/bl_feat.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "bl_feat.h"

const char *bl_features_name(enum bl_features f)
{
	return f == BL_FEAT_HASHED ? "hashed" : "tokens";
}

int bl_features_of(const char *s, enum bl_features *f)
{
	if (!strcmp(s, "tokens"))
		*f = BL_FEAT_TOKENS;
	else if (!strcmp(s, "hashed"))
		*f = BL_FEAT_HASHED;
	else
		return -1;
	return 0;
}

/* Distinct tokens, in first-seen order (a small open-addressing set on their hashes). */
static void token_keys(struct bl_keys *k, const struct shtok *t)
{
	uint16_t set[2 * SHTOK_MAX_TOKENS] = { 0 };   /* key + 1 */
	const uint32_t mask = 2 * SHTOK_MAX_TOKENS - 1;

	k->n = 0;
	for (uint32_t i = 0; i < t->n; i++) {
		struct sw_str s = shtok_get(t, i);
		uint32_t h = bl_hash(s.p, s.len), at = (h * 2654435761u) & mask;
		bool dup = false;

		for (; set[at]; at = (at + 1) & mask)
			if (k->hash[set[at] - 1] == h && sw_str_eq(k->text[set[at] - 1], s)) {
				dup = true;
				break;
			}
		if (dup)
			continue;
		set[at] = (uint16_t)(k->n + 1);
		k->hash[k->n] = h;
		k->text[k->n] = s;
		k->tok[k->n++] = (uint16_t)i;
	}
}

void bl_keys_of(struct bl_keys *k, const struct shtok *t, enum bl_features kind)
{
	struct features f;

	if (kind == BL_FEAT_TOKENS) {
		token_keys(k, t);
		return;
	}
	features_extract(t, BL_HASH_BITS, &f);
	k->n = f.n;
	for (uint32_t i = 0; i < f.n; i++) {
		k->hash[i] = f.bucket[i];
		k->text[i] = (struct sw_str){ "", 0 };
		k->tok[i] = f.tok[i];
	}
}

static double idf(uint64_t n, uint64_t df)
{
	return log((1.0 + (double)n) / (1.0 + (double)df)) + 1.0;
}

static int by_col(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

void bl_row_of(struct bl_row *row, const struct bl_counts *vocab, uint64_t nlines,
	       const int64_t *entry, uint32_t nkeys, unsigned loo, bool ignore_unseen)
{
	struct { uint32_t col; float w; } cw[FEAT_MAX];
	double norm = 0;
	uint32_t nc = 0;

	row->r.novel = 0;
	for (uint32_t i = 0; i < nkeys; i++) {
		const struct bl_count *e = entry[i] >= 0 ? &vocab->e[entry[i]] : NULL;
		double w = idf(nlines, e ? e->count : 0);

		if (!e && ignore_unseen)
			continue;
		norm += w * w;
		if (!e || e->count <= loo)
			row->r.novel += !ignore_unseen;   /* unseen, or seen in this line only */
		if (e && e->col >= 0)
			cw[nc].col = (uint32_t)e->col, cw[nc++].w = (float)w;
	}
	qsort(cw, nc, sizeof(cw[0]), by_col);
	norm = norm > 0 ? sqrt(norm) : 1;
	for (uint32_t i = 0; i < nc; i++) {
		row->col[i] = cw[i].col;
		row->val[i] = (float)(cw[i].w / norm);
	}
	row->r.n = nc;
	row->r.col = row->col;
	row->r.val = row->val;
}
