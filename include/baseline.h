/* baseline.h: the host baseline, the unsupervised half of Shell Language Processing: what each
 * interpreter's command lines look like on this host, and how unusual a new one is. Command lines
 * are grouped by what ran them (include/bl_groups.h), featurised with the scoring tokenizer
 * (include/bl_feat.h), and an Isolation Forest (include/iforest.h) is grown per group. A group
 * with fewer than min_lines lines is kept in the file as not learnt: reported, never guessed. A
 * line scoring above its group's threshold (the lowest training score with at most a share of
 * contamination of the training lines above it) is an outlier. docs/baseline.md.
 *
 *   struct baseline_learner *l = baseline_learner_new(&opts, NULL, 0);   // built-in groups
 *   bl_cmd_from_line(&c, line, len); baseline_learner_add(l, &c); ...
 *   struct baseline *b = baseline_learner_finish(l);
 *   baseline_save(b, f);  ...  b = baseline_load_file(path, err, sizeof(err));
 *   baseline_score(b, &c, &res, &explain_or_NULL);
 *
 * Scoring uses no allocation and no global state (about 60 KiB of stack). */
#ifndef SW_BASELINE_H
#define SW_BASELINE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "bl_feat.h"
#include "bl_groups.h"

struct baseline_opts {
	enum bl_features features;   /* tokens (default) or hashed */
	bool ignore_unseen;          /* tokens unseen in the group do not count (scikit-learn's way) */
	uint64_t seed;               /* 1 */
	uint32_t trees;              /* 100 */
	uint32_t sample;             /* rows per tree, 256 */
	double contamination;        /* share of training lines above the threshold, 0.001 */
	uint32_t min_lines;          /* fewer lines: not learnt, 50 */
};

struct baseline_opts baseline_opts_default(void);

struct baseline;
struct baseline_learner;

/* defs NULL: the built-in groups. NULL when out of memory. */
struct baseline_learner *baseline_learner_new(const struct baseline_opts *o,
					      const struct bl_group_def *defs, unsigned ndefs);
/* One command line: its group's index, -1 in none (counted), -2 when out of memory. */
int baseline_learner_add(struct baseline_learner *l, const struct bl_cmd *c);
/* Grow every group with enough lines and free the learner. NULL when out of memory. */
struct baseline *baseline_learner_finish(struct baseline_learner *l);
void baseline_learner_free(struct baseline_learner *l);

struct baseline_group_info {
	const struct bl_group_def *def;
	bool learnt;
	uint64_t lines, distinct;    /* training lines, and how many different ones */
	uint32_t vocab, columns;     /* keys seen, and those the forest splits on */
	double threshold;            /* learnt: scores above it are outliers */
};

void baseline_options(const struct baseline *b, struct baseline_opts *o);
unsigned baseline_ngroups(const struct baseline *b);
void baseline_group_info(const struct baseline *b, unsigned i, struct baseline_group_info *gi);
/* Learning: lines that were in no group. */
uint64_t baseline_ungrouped(const struct baseline *b);

struct baseline_result {
	int group;                   /* -1: in no group */
	bool learnt;                 /* its group was learnt: score and outlier are set */
	double score;                /* the forest's score in (0, 1] */
	bool outlier;                /* above the group's threshold */
};

#define BASELINE_EXPLAIN_MAX 8
struct baseline_explain {
	uint32_t n, unseen;          /* items; the first `unseen` were never seen in the group */
	uint64_t lines;              /* the group's training lines */
	struct {
		char text[SHTOK_TOK_MAX + 1];
		uint64_t df;         /* training lines that had it */
	} item[BASELINE_EXPLAIN_MAX];
};

/* Score command line c. ex (may be NULL): its tokens unseen in the group, then its rarest seen
 * ones (in at most 1% of the lines). */
void baseline_score(const struct baseline *b, const struct bl_cmd *c, struct baseline_result *r,
		    struct baseline_explain *ex);
/* The same for an exec as sources report it (struct sw_exec_facts' exe, interp and argv). */
void baseline_score_exec(const struct baseline *b, struct sw_str exe, struct sw_str interp,
			 struct sw_str argv, struct baseline_result *r);
/* For pictures: the TF-IDF vector of c over every key of group g's vocabulary (dimension: the
 * key's index), unit length, unseen keys left out. Its length. */
uint32_t baseline_vector(const struct baseline *b, unsigned g, const struct bl_cmd *c,
			 uint32_t *dim, float *val);
uint32_t baseline_vocab_size(const struct baseline *b, unsigned g);

/* The file (docs/baseline.md): 0, or -1 on a write error. */
int baseline_save(const struct baseline *b, FILE *f);
/* Parse text; name is used in errors ("name:line: why"). NULL with err set. */
struct baseline *baseline_parse(const char *text, size_t len, const char *name, char *err,
				size_t errlen);
struct baseline *baseline_load_file(const char *path, char *err, size_t errlen);
void baseline_free(struct baseline *b);

#endif /* SW_BASELINE_H */
