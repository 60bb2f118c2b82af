/* model.h: the command-scoring model: a linear model over hashed features (cmdfeat.h), stored in
 * a small documented text format (docs/scoring.md):
 *
 *   shellwatch-model 1
 *   kind linear
 *   features fnv1a32-unigram-bigram-piece-binary
 *   bits 18
 *   bias -3.5
 *   threshold 0.62          suggested alert threshold (FPR 1e-3 on the validation split)
 *   weights 40123           then that many lines "bucket weight"
 *   17 0.8125
 *   ...
 *   end
 *
 * score = 1 / (1 + exp(-(bias + sum of the weights of the buckets present))).
 */
#ifndef SW_MODEL_H
#define SW_MODEL_H

#include <stddef.h>
#include <stdio.h>
#include "cmdfeat.h"

struct model {
	unsigned bits;          /* buckets = 1 << bits */
	double bias;
	double threshold;       /* suggested threshold, in [0,1] */
	float *w;               /* 1 << bits weights, owned */
};

/* Parse a model from text; on failure returns -1 and writes one line to err. */
int model_parse(struct model *m, const char *text, size_t len, char *err, size_t errlen);
int model_load_file(struct model *m, const char *path, char *err, size_t errlen);
/* Write m in the text format (non-zero weights only). Returns 0, or -1 on a write error. */
int model_save(const struct model *m, FILE *f);
void model_free(struct model *m);

/* bias + sum of weights of the features present (the logit of the score). */
double model_margin(const struct model *m, const struct features *f);
double model_prob(double margin);

#endif /* SW_MODEL_H */
