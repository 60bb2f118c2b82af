/* score.c: command line -> score in [0,1], with an optional explanation (include/score.h). */
#include <string.h>
#include "cmdfeat.h"
#include "score.h"

static void put_text(char *dst, size_t cap, const struct shtok *t, uint32_t tok, int bigram)
{
	struct sw_str b = shtok_get(t, tok), a = bigram ? shtok_get(t, tok - 1) : (struct sw_str){ 0 };
	size_t n = 0;

	if (bigram) {
		memcpy(dst, a.p, a.len);
		n = a.len;
		dst[n++] = ' ';
	}
	if (n + b.len >= cap)
		b.len = (uint32_t)(cap - n - 1);
	memcpy(dst + n, b.p, b.len);
	dst[n + b.len] = '\0';
}

static double absd(double x)
{
	return x < 0 ? -x : x;
}

/* Keep the SCORE_EXPLAIN_MAX features of largest |weight|, strongest first. */
static void explain(const struct model *m, const struct shtok *t, const struct features *f,
		    struct score_explain *ex)
{
	uint32_t mask = (1u << m->bits) - 1, idx[SCORE_EXPLAIN_MAX];

	ex->n = 0;
	ex->ntokens = t->n;
	for (uint32_t i = 0; i < f->n; i++) {
		double w = m->w[f->bucket[i] & mask];
		uint32_t k = ex->n;

		if (w == 0)
			continue;
		if (k < SCORE_EXPLAIN_MAX)
			ex->n++;
		else if (absd(ex->item[--k].weight) >= absd(w))
			continue;
		for (; k > 0 && absd(ex->item[k - 1].weight) < absd(w); k--) {
			ex->item[k].weight = ex->item[k - 1].weight;
			idx[k] = idx[k - 1];
		}
		ex->item[k].weight = w;
		idx[k] = i;
	}
	for (uint32_t k = 0; k < ex->n; k++)
		put_text(ex->item[k].text, sizeof(ex->item[k].text), t, f->tok[idx[k]],
			 f->bigram[idx[k]]);
}

double score_cmdline(const struct model *m, const char *cmd, size_t len, struct score_explain *ex)
{
	struct shtok t;
	struct features f;

	shtok_run(&t, cmd, len);
	features_extract(&t, m->bits, &f);
	if (ex)
		explain(m, &t, &f, ex);
	return model_prob(model_margin(m, &f));
}
