/* score.h: score one command line for how likely it is malicious, in [0,1] (tokenize, hash
 * features, linear model). The C API `shellwatch run` calls per exec:
 *
 *   const struct model *m = score_model_default();    // embedded model, parsed once
 *   double s = score_cmdline(m, cmd, len, NULL);       // or &explain for the tokens behind it
 *
 * score_cmdline uses no allocation and no global state (about 20 KiB of stack). */
#ifndef SW_SCORE_H
#define SW_SCORE_H

#include <stddef.h>
#include "model.h"
#include "shtok.h"

#define SCORE_EXPLAIN_MAX 6

struct score_explain {
	uint32_t n;                          /* items below, strongest first */
	uint32_t ntokens;                    /* tokens the command produced */
	struct {
		char text[2 * SHTOK_TOK_MAX + 2]; /* "token" or "token token" (bigram) */
		double weight;               /* its weight in the model (logit units) */
	} item[SCORE_EXPLAIN_MAX];
};

/* The model embedded in the binary (models/default.swm); NULL only if it is missing or broken
 * (the reason is printed to stderr once). */
const struct model *score_model_default(void);

/* Score cmd[0..len) with model m; fills *ex with the features of largest |weight| if ex != NULL. */
double score_cmdline(const struct model *m, const char *cmd, size_t len, struct score_explain *ex);

#endif /* SW_SCORE_H */
