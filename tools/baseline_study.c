/* baseline_study.c: the data of the baseline figure (`make study`, build/study/baseline.png): the
 * command lines of one group, a baseline's benign lines and the shells scored against it, in two
 * dimensions, as the Shell Language Processing tutorial draws them: TF-IDF of their tokens (the
 * scoring tokenizer, binary term frequency, unit rows) reduced by a truncated SVD (the two largest
 * right singular vectors, by power iteration on A^T A with deflation, no centring: what
 * scikit-learn's TruncatedSVD computes), each line marked with the baseline's verdict.
 *
 *   baseline_study BASELINE GROUP BENIGN SHELLS > points.tsv
 *
 * Prints `x<TAB>y<TAB>score<TAB>kind<TAB>command`, kind one of inlier, outlier, shell (an outlier),
 * shell-missed; lines of other groups are left out. Deterministic (fixed start vectors). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "baseline.h"
#include "bl_counts.h"
#include "shtok.h"

#define ITERATIONS 200

struct line {
	char *text;
	bool shell;
	struct baseline_result r;
	uint32_t n, off;          /* its tokens' columns: cols[off .. off + n) */
};

struct study {
	struct line *l;
	uint32_t n, cap;
	uint32_t *cols;
	float *vals;
	uint32_t ncv, cvcap;
	struct bl_counts vocab;   /* token -> lines with it */
};

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void add_line(struct study *s, const struct baseline *b, int group, const char *text,
		     bool shell)
{
	struct bl_cmd c;
	struct line *l;
	struct shtok t;
	struct bl_keys k;

	bl_cmd_from_line(&c, text, strlen(text));
	if (s->n == s->cap && !(s->l = realloc(s->l, (s->cap = s->cap ? 2 * s->cap : 256) *
					       sizeof(*s->l))))
		die("realloc");
	l = &s->l[s->n];
	baseline_score(b, &c, &l->r, NULL);
	if (l->r.group != group || !l->r.learnt)
		return;
	l->text = strdup(text), l->shell = shell, l->off = s->ncv;
	shtok_run(&t, text, strlen(text));
	bl_keys_of(&k, &t, BL_FEAT_TOKENS);
	if (s->ncv + k.n > s->cvcap) {
		s->cvcap = 2 * (s->ncv + k.n);
		if (!(s->cols = realloc(s->cols, s->cvcap * sizeof(*s->cols))) ||
		    !(s->vals = realloc(s->vals, s->cvcap * sizeof(*s->vals))))
			die("realloc");
	}
	for (uint32_t i = 0; i < k.n; i++) {
		int64_t e = bl_counts_add(&s->vocab, k.text[i].p, k.text[i].len, k.hash[i], 1);

		if (e < 0)
			die("vocabulary");
		s->cols[s->ncv++] = (uint32_t)e;
	}
	l->n = k.n;
	s->n++;
}

static void read_lines(struct study *s, const struct baseline *b, int group, const char *path,
		       bool shell)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	if (!f)
		die(path);
	while ((n = getline(&line, &cap, f)) > 0) {
		line[n - 1] = line[n - 1] == '\n' ? '\0' : line[n - 1];
		add_line(s, b, group, line, shell);
	}
	free(line);
	fclose(f);
}

/* TF-IDF weights of every line's tokens, rows of unit length. */
static void weigh(struct study *s)
{
	for (uint32_t i = 0; i < s->n; i++) {
		struct line *l = &s->l[i];
		double norm = 0;

		for (uint32_t k = 0; k < l->n; k++) {
			uint64_t df = s->vocab.e[s->cols[l->off + k]].count;

			s->vals[l->off + k] = (float)(log((1.0 + s->n) / (1.0 + (double)df)) + 1);
			norm += (double)s->vals[l->off + k] * s->vals[l->off + k];
		}
		for (uint32_t k = 0; k < l->n; k++)
			s->vals[l->off + k] = (float)(s->vals[l->off + k] / sqrt(norm));
	}
}

static double row_dot(const struct study *s, const struct line *l, const double *v)
{
	double x = 0;

	for (uint32_t k = 0; k < l->n; k++)
		x += s->vals[l->off + k] * v[s->cols[l->off + k]];
	return x;
}

static void normalize(double *v, uint32_t d)
{
	double n = 0;

	for (uint32_t i = 0; i < d; i++)
		n += v[i] * v[i];
	n = n > 0 ? sqrt(n) : 1;
	for (uint32_t i = 0; i < d; i++)
		v[i] /= n;
}

/* The leading right singular vector of A orthogonal to prev (NULL: none), into v. */
static void power(const struct study *s, double *v, const double *prev, uint32_t d)
{
	double *w = malloc(d * sizeof(*w));

	if (!w)
		die("malloc");
	for (uint32_t i = 0; i < d; i++)
		v[i] = 1.0 + (double)(i % 7) / 7.0;   /* fixed start: deterministic */
	for (int it = 0; it < ITERATIONS; it++) {
		memset(w, 0, d * sizeof(*w));
		for (uint32_t i = 0; i < s->n; i++) {   /* w = A^T (A v) */
			const struct line *l = &s->l[i];
			double x = row_dot(s, l, v);

			for (uint32_t k = 0; k < l->n; k++)
				w[s->cols[l->off + k]] += x * s->vals[l->off + k];
		}
		if (prev) {   /* deflation: stay orthogonal to the first vector */
			double p = 0;

			for (uint32_t i = 0; i < d; i++)
				p += w[i] * prev[i];
			for (uint32_t i = 0; i < d; i++)
				w[i] -= p * prev[i];
		}
		normalize(w, d);
		memcpy(v, w, d * sizeof(*v));
	}
	free(w);
}

static void tsv(const char *s)
{
	for (; *s; s++)
		putchar(*s == '\t' ? ' ' : *s);
}

int main(int argc, char **argv)
{
	static struct study s;
	struct baseline *b;
	char err[512];
	double *v1, *v2;
	int group = -1;
	uint32_t d;

	if (argc != 5) {
		fprintf(stderr, "usage: baseline_study BASELINE GROUP BENIGN SHELLS\n");
		return 2;
	}
	if (!(b = baseline_load_file(argv[1], err, sizeof(err)))) {
		fprintf(stderr, "baseline_study: %s\n", err);
		return 1;
	}
	for (unsigned i = 0; i < baseline_ngroups(b); i++) {
		struct baseline_group_info gi;

		baseline_group_info(b, i, &gi);
		group = strcmp(gi.def->name, argv[2]) ? group : (int)i;
	}
	if (group < 0) {
		fprintf(stderr, "baseline_study: no group %s in %s\n", argv[2], argv[1]);
		return 1;
	}
	read_lines(&s, b, group, argv[3], false);
	read_lines(&s, b, group, argv[4], true);
	weigh(&s);
	d = s.vocab.n ? s.vocab.n : 1;
	v1 = calloc(d, sizeof(*v1)), v2 = calloc(d, sizeof(*v2));
	if (!v1 || !v2)
		die("calloc");
	power(&s, v1, NULL, d);
	power(&s, v2, v1, d);
	for (uint32_t i = 0; i < s.n; i++) {
		const struct line *l = &s.l[i];

		printf("%.6f\t%.6f\t%.6f\t%s\t", row_dot(&s, l, v1), row_dot(&s, l, v2), l->r.score,
		       l->shell ? (l->r.outlier ? "shell" : "shell-missed") :
				  (l->r.outlier ? "outlier" : "inlier"));
		tsv(l->text);
		putchar('\n');
	}
	baseline_free(b);
	return 0;
}
