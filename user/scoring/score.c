/* score.c: command line -> score in [0,1], with an optional explanation (include/score.h). */
#include <string.h>
#include "cmdfeat.h"
#include "score.h"

/* "token", "token token" (bigram) or "piece~" (a piece of a token). */
static void put_text(char *dst, size_t cap, const struct shtok *t, const struct features *f,
		     uint32_t k)
{
	struct sw_str b = shtok_get(t, f->tok[k]), a = { 0 };
	size_t n = 0;

	if (f->kind[k] == FEAT_BIGRAM) {
		a = shtok_get(t, f->tok[k] - 1);
		memcpy(dst, a.p, a.len);
		n = a.len;
		dst[n++] = ' ';
	} else if (f->kind[k] == FEAT_PIECE) {
		b = (struct sw_str){ b.p + f->poff[k], f->plen[k] };
	}
	if (n + b.len + 2 > cap)
		b.len = (uint32_t)(cap - n - 2);
	memcpy(dst + n, b.p, b.len);
	n += b.len;
	if (f->kind[k] == FEAT_PIECE)
		dst[n++] = '~';
	dst[n] = '\0';
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
		put_text(ex->item[k].text, sizeof(ex->item[k].text), t, f, idx[k]);
}

static bool is_list_op(struct sw_str s)
{
	return sw_str_eqc(s, ";") || sw_str_eqc(s, "&&") || sw_str_eqc(s, "||") || sw_str_eqc(s, "&");
}

/* The score is the highest of the whole line and of each of its list elements (split at ; && || &),
 * so a benign command put in front does not water down an attack. */
double score_cmdline(const struct model *m, const char *cmd, size_t len, struct score_explain *ex)
{
	struct shtok t;
	struct feat_hashes h;
	struct features f;
	double best, cur;
	uint32_t from = 0, bfrom = 0, bto;

	shtok_run(&t, cmd, len);
	features_hash(&t, &h);
	features_select(&h, 0, t.n, m->bits, &f);
	best = model_margin(m, &f);
	bto = t.n;
	for (uint32_t i = 0; i <= t.n; i++) {
		if (i < t.n && !is_list_op(shtok_get(&t, i)))
			continue;
		if (i == t.n && from == 0)
			break; /* no list operator: the whole line is the only element */
		if (i > from) {
			features_select(&h, from, i, m->bits, &f);
			cur = model_margin(m, &f);
			if (cur > best) {
				best = cur;
				bfrom = from;
				bto = i;
			}
		}
		from = i + 1;
	}
	if (ex) {
		features_select(&h, bfrom, bto, m->bits, &f);
		explain(m, &t, &f, ex);
	}
	return model_prob(best);
}
