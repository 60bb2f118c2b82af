/* iforest.h: an Isolation Forest (Liu, Ting and Zhou, 2008) over sparse rows, for the host
 * baseline (include/baseline.h). Each tree is grown on psi rows drawn without replacement: a node
 * splits on a column chosen uniformly among the columns whose values vary among its rows, at a
 * value drawn uniformly between their least and greatest (an absent column is 0), until one row is
 * left, the rows are all alike, or the height limit ceil(log2 psi) is reached. A row's path length
 * is its depth at the leaf it reaches, plus c(n) for the n rows there; the score is
 * 2^(-E[h] / c(psi)), c(n) = 2 H(n-1) - 2 (n-1)/n the average path length of an unsuccessful search
 * in a binary search tree of n keys: near 1 isolates fast (an outlier), 0.5 and below is ordinary.
 *
 * Columns of its own: a row may have `novel` columns nobody in the training rows has (tokens
 * never seen in its group). Had the forest been grown with the row in it, each such column would
 * vary at every node on its path and isolate it when chosen: a node where F columns vary ends the
 * path there with probability novel / (F + novel). The path length is the expectation over that,
 * so unseen tokens count without refitting. Seeded (splitmix64) and deterministic. */
#ifndef SW_IFOREST_H
#define SW_IFOREST_H

#include <stdint.h>

struct if_row {
	uint32_t n;            /* non-zero columns (scoring looks at the first 1024) */
	const uint32_t *col;   /* ascending, < ncols */
	const float *val;      /* their values, > 0 */
	uint32_t novel;        /* columns of its own (see above) */
};

struct if_node {
	int32_t col;           /* the split column; -1: a leaf */
	float split;           /* rows with a value below it go left; a leaf: c(its rows) */
	uint32_t n;            /* internal: the columns that varied among its rows; leaf: its rows */
	uint32_t right;        /* internal: index of the right child; the left one is the next node */
};

struct iforest {
	uint32_t ntrees;
	uint32_t psi;          /* rows each tree was grown on */
	uint32_t limit;        /* height limit */
	uint32_t ncols;
	uint32_t *root;        /* first node of each tree */
	struct if_node *node;  /* every tree's nodes in preorder */
	uint32_t nnodes;
};

struct if_fit_opts {
	uint32_t ntrees;       /* 100 */
	uint32_t psi;          /* 256; fewer when there are fewer rows */
	uint64_t seed;
};

/* Grow f on rows[0..nrows), row i standing for count[i] rows (NULL: 1 each). 0, or -1 when out of
 * memory. */
int iforest_fit(struct iforest *f, const struct if_row *rows, const uint32_t *count, uint32_t nrows,
		uint32_t ncols, const struct if_fit_opts *o);
/* The height limit for psi rows: ceil(log2 psi). */
uint32_t iforest_limit(uint32_t psi);
/* c(n): the average path length of an unsuccessful search among n rows. */
double iforest_c(double n);
/* A leaf of that many rows. */
struct if_node iforest_leaf(uint32_t rows);
/* E[h(x)] averaged over the trees, and the score 2^(-E[h]/c(psi)). */
double iforest_path(const struct iforest *f, const struct if_row *x);
double iforest_score(const struct iforest *f, const struct if_row *x);
void iforest_free(struct iforest *f);

/* splitmix64: the generator the forest (and the baseline's sampling) draws from. */
uint64_t if_rand(uint64_t *state);

#endif /* SW_IFOREST_H */
