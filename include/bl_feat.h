/* bl_feat.h: the features of a command line in its baseline group. The keys of a line are its
 * distinct tokens (the scoring tokenizer, include/shtok.h), or with BL_FEAT_HASHED the hashed
 * unigram, bigram and piece features of include/cmdfeat.h (BL_HASH_BITS bits). A key's weight is
 * its TF-IDF over the group's lines (binary term frequency, smoothed idf ln((1+N)/(1+df)) + 1),
 * the line's weights scaled to unit length. Keys never seen in the group are counted as the row's
 * own columns (include/iforest.h); keys seen in at least two lines are the forest's columns. For
 * a training line, a key only its own occurrence has counts as unseen, as it would for the line
 * were it new: the threshold learnt from training lines holds for lines scored later (a line
 * scored again never scores above its training score).
 * With ignore_unseen (scikit-learn's TfidfVectorizer and IsolationForest): every key seen is a
 * column, training lines are featurised as they are, and unseen keys are dropped. */
#ifndef SW_BL_FEAT_H
#define SW_BL_FEAT_H

#include <stdbool.h>
#include "bl_counts.h"
#include "cmdfeat.h"
#include "iforest.h"
#include "shtok.h"

#define BL_HASH_BITS 18
/* Keys in fewer lines are no column: 2, or 1 when unseen keys are ignored. */
static inline unsigned bl_min_df(bool ignore_unseen)
{
	return ignore_unseen ? 1 : 2;
}

enum bl_features {
	BL_FEAT_TOKENS = 0,    /* distinct tokens */
	BL_FEAT_HASHED,        /* hashed unigrams, bigrams and pieces */
};

struct bl_keys {
	uint32_t n;
	uint32_t hash[FEAT_MAX];        /* tokens: bl_hash of the token; hashed: the bucket */
	struct sw_str text[FEAT_MAX];   /* tokens: the token (in the shtok); hashed: empty */
	uint16_t tok[FEAT_MAX];         /* the token it came from */
};

struct bl_row {
	struct if_row r;
	uint32_t col[FEAT_MAX];
	float val[FEAT_MAX];
};

/* The keys of tokenized line t. */
void bl_keys_of(struct bl_keys *k, const struct shtok *t, enum bl_features kind);
/* The row of a line whose keys are the vocabulary entries entry[0..nkeys) (-1: unseen), in a group
 * of nlines lines; loo: 1 for one of the training lines (keys of its occurrence only are unseen),
 * 0 for a new one. With ignore_unseen unseen keys neither count as the row's own columns nor
 * weigh in. */
void bl_row_of(struct bl_row *row, const struct bl_counts *vocab, uint64_t nlines,
	       const int64_t *entry, uint32_t nkeys, unsigned loo, bool ignore_unseen);
const char *bl_features_name(enum bl_features f);
/* "tokens" or "hashed" -> 0 and *f; -1 for anything else. */
int bl_features_of(const char *s, enum bl_features *f);

#endif /* SW_BL_FEAT_H */
