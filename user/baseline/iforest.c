/* iforest.c: Isolation Forest over sparse rows, with the expected path of a row's own columns
 * (include/iforest.h). */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "iforest.h"

uint64_t if_rand(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint64_t below(uint64_t *st, uint64_t n)   /* uniform in [0, n) */
{
	return n ? if_rand(st) % n : 0;
}

static double unit_open(uint64_t *st)             /* uniform in (0, 1) */
{
	return ((double)(if_rand(st) >> 11) + 0.5) / 9007199254740992.0;
}

uint32_t iforest_limit(uint32_t psi)
{
	uint32_t l = 0;

	while (l < 31 && (1u << l) < psi)
		l++;
	return l;
}

double iforest_c(double n)
{
	if (n <= 1)
		return 0;
	if (n <= 2)
		return 1;
	return 2.0 * (log(n - 1) + 0.5772156649015329) - 2.0 * (n - 1) / n;
}

static float value(const struct if_row *r, uint32_t col)
{
	uint32_t lo = 0, hi = r->n;

	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;

		if (r->col[mid] < col)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < r->n && r->col[lo] == col ? r->val[lo] : 0.0f;
}

/* ---- growing ------------------------------------------------------------------------------ */

struct grow {
	struct iforest *f;
	const struct if_row *rows;
	uint64_t rng;
	uint32_t cap;             /* nodes allocated */
	uint32_t *cnt;            /* per column: rows of the node that have it */
	float *mn, *mx;
	uint32_t *touched, ntouched;
	uint32_t *vary;
};

static int push(struct grow *g, struct if_node nd)
{
	if (g->f->nnodes == g->cap) {
		uint32_t cap = g->cap ? 2 * g->cap : 1024;
		struct if_node *n = realloc(g->f->node, cap * sizeof(*n));

		if (!n)
			return -1;
		g->f->node = n, g->cap = cap;
	}
	g->f->node[g->f->nnodes] = nd;
	return (int)g->f->nnodes++;
}

/* Columns that vary among rows idx[0..n) into g->vary; their number. */
static uint32_t varying(struct grow *g, const uint32_t *idx, uint32_t n)
{
	uint32_t nv = 0;

	for (uint32_t i = 0; i < n; i++) {
		const struct if_row *r = &g->rows[idx[i]];

		for (uint32_t k = 0; k < r->n; k++) {
			uint32_t c = r->col[k];

			if (!g->cnt[c]++) {
				g->touched[g->ntouched++] = c;
				g->mn[c] = g->mx[c] = r->val[k];
			} else if (r->val[k] < g->mn[c]) {
				g->mn[c] = r->val[k];
			} else if (r->val[k] > g->mx[c]) {
				g->mx[c] = r->val[k];
			}
		}
	}
	for (uint32_t t = 0; t < g->ntouched; t++) {
		uint32_t c = g->touched[t];

		if (g->cnt[c] < n || g->mn[c] < g->mx[c])
			g->vary[nv++] = c;
	}
	return nv;
}

static void reset(struct grow *g)
{
	for (uint32_t t = 0; t < g->ntouched; t++)
		g->cnt[g->touched[t]] = 0;
	g->ntouched = 0;
}

/* Rows with a value of col below split first; the number of those. */
static uint32_t partition(struct grow *g, uint32_t *idx, uint32_t n, uint32_t col, float split)
{
	uint32_t l = 0;

	for (uint32_t i = 0; i < n; i++)
		if (value(&g->rows[idx[i]], col) < split) {
			uint32_t t = idx[l];

			idx[l++] = idx[i];
			idx[i] = t;
		}
	return l;
}

static int grow_node(struct grow *g, uint32_t *idx, uint32_t n, uint32_t depth)
{
	uint32_t nv = n > 1 && depth < g->f->limit ? varying(g, idx, n) : 0, col, l;
	float lo, hi, split;
	int at;

	if (!nv) {
		reset(g);
		return push(g, iforest_leaf(n)) < 0 ? -1 : 0;
	}
	col = g->vary[below(&g->rng, nv)];
	lo = g->cnt[col] < n ? 0.0f : g->mn[col];
	hi = g->mx[col];
	reset(g);
	split = (float)(lo + unit_open(&g->rng) * (hi - lo));
	if (split <= lo)
		split = nextafterf(lo, hi);
	if (split > hi)
		split = hi;
	l = partition(g, idx, n, col, split);
	if ((at = push(g, (struct if_node){ (int32_t)col, split, nv, 0 })) < 0 ||
	    grow_node(g, idx, l, depth + 1))
		return -1;
	g->f->node[at].right = g->f->nnodes;
	return grow_node(g, idx + l, n - l, depth + 1);
}

/* psi distinct draws from [0, total) (Floyd), as row indices through the cumulative counts. */
static void sample(struct grow *g, const uint64_t *cum, uint32_t nrows, uint64_t total,
		   uint32_t psi, uint32_t *out, uint64_t *seen)
{
	uint32_t m = 0;

	for (uint64_t j = total - psi; j < total; j++) {
		uint64_t t = below(&g->rng, j + 1);

		for (uint32_t i = 0; i < m; i++)
			if (seen[i] == t) {
				t = j;
				break;
			}
		seen[m++] = t;
	}
	for (uint32_t i = 0; i < psi; i++) {   /* row r covers draws [cum[r] - count, cum[r]) */
		uint32_t lo = 0, hi = nrows - 1;

		while (lo < hi) {
			uint32_t mid = (lo + hi) / 2;

			if (cum[mid] <= seen[i])
				lo = mid + 1;
			else
				hi = mid;
		}
		out[i] = lo;
	}
}

static int grow_alloc(struct grow *g, uint32_t ncols, uint32_t ntrees)
{
	size_t nc = ncols ? ncols : 1;

	g->cnt = calloc(nc, sizeof(*g->cnt));
	g->mn = malloc(nc * sizeof(*g->mn));
	g->mx = malloc(nc * sizeof(*g->mx));
	g->touched = malloc(nc * sizeof(*g->touched));
	g->vary = malloc(nc * sizeof(*g->vary));
	g->f->root = calloc(ntrees ? ntrees : 1, sizeof(*g->f->root));
	return g->cnt && g->mn && g->mx && g->touched && g->vary && g->f->root ? 0 : -1;
}

static void grow_free(struct grow *g)
{
	free(g->cnt), free(g->mn), free(g->mx), free(g->touched), free(g->vary);
}

int iforest_fit(struct iforest *f, const struct if_row *rows, const uint32_t *count, uint32_t nrows,
		uint32_t ncols, const struct if_fit_opts *o)
{
	struct grow g = { .f = f, .rows = rows };
	uint64_t total = 0, *cum = malloc((nrows ? nrows : 1) * sizeof(*cum)), *seen;
	uint32_t *idx;
	int rc = -1;

	memset(f, 0, sizeof(*f));
	for (uint32_t i = 0; cum && i < nrows; i++)
		cum[i] = total += count ? count[i] : 1;
	f->ntrees = o->ntrees;
	f->psi = total < o->psi ? (uint32_t)total : o->psi;
	f->limit = iforest_limit(f->psi);
	f->ncols = ncols;
	idx = malloc((f->psi ? f->psi : 1) * sizeof(*idx));
	seen = malloc((f->psi ? f->psi : 1) * sizeof(*seen));
	if (!cum || !idx || !seen || grow_alloc(&g, ncols, f->ntrees))
		goto out;
	for (uint32_t t = 0; t < f->ntrees; t++) {
		g.rng = o->seed ^ (0x632be59bd9b4e019ull * (t + 1));
		sample(&g, cum, nrows, total, f->psi, idx, seen);
		f->root[t] = f->nnodes;
		if (grow_node(&g, idx, f->psi, 0))
			goto out;
	}
	rc = 0;
out:
	grow_free(&g);
	free(cum), free(idx), free(seen);
	if (rc)
		iforest_free(f);
	return rc;
}

/* ---- scoring ------------------------------------------------------------------------------ */

/* A row's values by column, hashed: a tree walk looks up a column per node. */
#define LOOKUP_MAX 2048
struct lookup {
	uint32_t mask;
	uint32_t key[LOOKUP_MAX];   /* column + 1; 0: empty */
	float val[LOOKUP_MAX];
};

static void lookup_fill(struct lookup *lk, const struct if_row *x)
{
	uint32_t size = 16;

	while (size < 2 * x->n && size < LOOKUP_MAX)
		size <<= 1;
	lk->mask = size - 1;
	memset(lk->key, 0, size * sizeof(lk->key[0]));
	for (uint32_t i = 0; i < x->n && i < LOOKUP_MAX / 2; i++) {
		uint32_t at = (x->col[i] * 2654435761u) & lk->mask;

		while (lk->key[at])
			at = (at + 1) & lk->mask;
		lk->key[at] = x->col[i] + 1;
		lk->val[at] = x->val[i];
	}
}

static float lookup_get(const struct lookup *lk, uint32_t col)
{
	for (uint32_t at = (col * 2654435761u) & lk->mask; lk->key[at]; at = (at + 1) & lk->mask)
		if (lk->key[at] == col + 1)
			return lk->val[at];
	return 0.0f;
}

/* A leaf's split holds c(its rows), for the walk (iforest_leaf). */
static double tree_path(const struct iforest *f, uint32_t at, const struct lookup *lk, double k)
{
	double e = 0, alive = 1;

	for (uint32_t d = 0;; d++) {
		const struct if_node *nd = &f->node[at];
		double p;

		if (nd->col < 0)   /* its own columns part it from 2+ alike rows: d + 1 */
			return e + alive * (d + (k && d < f->limit && nd->split > 1 ? 1 : nd->split));
		if (k) {   /* one of its own columns chosen here: isolated */
			p = k / (nd->n + k);
			e += alive * p * (d + 1);
			alive *= 1 - p;
		}
		at = lookup_get(lk, (uint32_t)nd->col) < nd->split ? at + 1 : nd->right;
	}
}

double iforest_path(const struct iforest *f, const struct if_row *x)
{
	struct lookup lk;
	double sum = 0;

	if (!f->ntrees)
		return 0;
	lookup_fill(&lk, x);
	for (uint32_t t = 0; t < f->ntrees; t++)
		sum += tree_path(f, f->root[t], &lk, x->novel);
	return sum / f->ntrees;
}

struct if_node iforest_leaf(uint32_t rows)
{
	return (struct if_node){ -1, (float)iforest_c(rows), rows, 0 };
}

double iforest_score(const struct iforest *f, const struct if_row *x)
{
	double c = iforest_c(f->psi);

	return c > 0 ? pow(2.0, -iforest_path(f, x) / c) : 0.5;
}

void iforest_free(struct iforest *f)
{
	free(f->root);
	free(f->node);
	memset(f, 0, sizeof(*f));
}
