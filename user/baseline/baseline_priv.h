/* baseline_priv.h: the baseline's state, shared by learn.c (learning), baseline.c (scoring) and
 * blfile.c (the file). */
#ifndef SW_BASELINE_PRIV_H
#define SW_BASELINE_PRIV_H

#include "baseline.h"
#include "iforest.h"

struct bl_group {
	struct bl_group_def def;
	bool learnt;
	uint64_t lines, distinct;
	double threshold;
	uint32_t ncols;
	struct bl_counts vocab;      /* key -> lines that had it (count), its column (col) */
	struct iforest forest;
};

struct baseline {
	struct baseline_opts o;
	uint64_t ungrouped;
	unsigned ngroups;
	struct bl_group *g;
	struct bl_group_def *defs;   /* the groups' definitions, for bl_group_of */
};

/* An empty baseline of n groups (definitions copied), NULL when out of memory. */
struct baseline *baseline_alloc(const struct baseline_opts *o, const struct bl_group_def *defs,
				unsigned n);
/* Number the keys seen in enough lines (bl_min_df) as columns, in vocabulary order. */
void baseline_columns(struct bl_group *g, const struct baseline_opts *o);

#endif /* SW_BASELINE_PRIV_H */
