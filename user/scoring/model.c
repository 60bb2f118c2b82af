/* model.c: load, save and evaluate the linear scoring model (format in include/model.h and
 * docs/scoring.md). Parsing is strict: any malformed line is an error naming the line. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "model.h"

struct reader {
	const char *p, *end;
	unsigned line;
	char buf[256];
};

/* Next line into r->buf (NUL-terminated, cut at 255 bytes); false at end of text. */
static bool next_line(struct reader *r)
{
	const char *nl;
	size_t n;

	if (r->p >= r->end)
		return false;
	nl = memchr(r->p, '\n', (size_t)(r->end - r->p));
	n = (size_t)((nl ? nl : r->end) - r->p);
	if (n >= sizeof(r->buf))
		n = sizeof(r->buf) - 1;
	memcpy(r->buf, r->p, n);
	r->buf[n] = '\0';
	r->p = nl ? nl + 1 : r->end;
	r->line++;
	return true;
}

static int fail(char *err, size_t errlen, const struct reader *r, const char *what)
{
	snprintf(err, errlen, "model line %u: %s", r->line, what);
	return -1;
}

/* "model line N: expected 'shellwatch-model 1'" and the like. */
static int fail_item(char *err, size_t errlen, const struct reader *r, const char *what,
		     const char *item)
{
	snprintf(err, errlen, "model line %u: %s '%s' (not a shellwatch model? docs/scoring.md)",
		 r->line, what, item);
	return -1;
}

/* Header line "key value"; value parsed into *v (double). */
static int header(struct reader *r, const char *key, double *v, char *err, size_t errlen)
{
	size_t k = strlen(key);
	char *e;

	if (!next_line(r) || strncmp(r->buf, key, k) || r->buf[k] != ' ')
		return fail_item(err, errlen, r, "expected", key);
	errno = 0;
	*v = strtod(r->buf + k + 1, &e);
	if (errno || e == r->buf + k + 1 || *e || !isfinite(*v))
		return fail_item(err, errlen, r, "bad number after", key);
	return 0;
}

static int expect(struct reader *r, const char *line, char *err, size_t errlen)
{
	if (!next_line(r) || strcmp(r->buf, line))
		return fail_item(err, errlen, r, "expected", line);
	return 0;
}

static int parse_weights(struct model *m, struct reader *r, double count, char *err, size_t errlen)
{
	for (double i = 0; i < count; i++) {
		unsigned long b;
		double w;
		char *e;

		if (!next_line(r))
			return fail(err, errlen, r, "missing weights");
		errno = 0;
		b = strtoul(r->buf, &e, 10);
		if (e == r->buf || *e != ' ' || b >= (1ul << m->bits))
			return fail(err, errlen, r, "bad bucket");
		w = strtod(e + 1, &e);
		if (errno || *e || !isfinite(w))
			return fail(err, errlen, r, "bad weight");
		m->w[b] = (float)w;
	}
	return expect(r, "end", err, errlen);
}

int model_parse(struct model *m, const char *text, size_t len, char *err, size_t errlen)
{
	struct reader r = { .p = text, .end = text + len };
	double bits, count;

	memset(m, 0, sizeof(*m));
	if (expect(&r, "shellwatch-model 1", err, errlen) || expect(&r, "kind linear", err, errlen) ||
	    expect(&r, "features fnv1a32-unigram-bigram-piece-binary", err, errlen) ||
	    header(&r, "bits", &bits, err, errlen) || header(&r, "bias", &m->bias, err, errlen) ||
	    header(&r, "threshold", &m->threshold, err, errlen) ||
	    header(&r, "weights", &count, err, errlen))
		return -1;
	if (bits < FEAT_BITS_MIN || bits > FEAT_BITS_MAX || bits != (unsigned)bits)
		return fail(err, errlen, &r, "bits out of range");
	if (count < 0 || count > (double)(1u << (unsigned)bits) || m->threshold < 0 || m->threshold > 1)
		return fail(err, errlen, &r, "weights count or threshold out of range");
	m->bits = (unsigned)bits;
	m->w = calloc(1u << m->bits, sizeof(float));
	if (!m->w)
		return fail(err, errlen, &r, "out of memory");
	if (parse_weights(m, &r, count, err, errlen)) {
		model_free(m);
		return -1;
	}
	return 0;
}

int model_load_file(struct model *m, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	char *text = NULL;
	size_t cap = 0, len = 0, got;
	int rc;

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	do {
		if (len == cap) {
			char *nt = realloc(text, cap = cap ? 2 * cap : 1 << 16);

			if (!nt) {
				free(text);
				fclose(f);
				snprintf(err, errlen, "%s: out of memory", path);
				return -1;
			}
			text = nt;
		}
		got = fread(text + len, 1, cap - len, f);
		len += got;
	} while (got > 0);
	rc = ferror(f) ? -1 : 0;
	fclose(f);
	if (rc)
		snprintf(err, errlen, "%s: read error", path);
	else if ((rc = model_parse(m, text, len, err, errlen))) {
		char tmp[256];

		snprintf(tmp, sizeof(tmp), "%s", err);
		snprintf(err, errlen, "%s: %s", path, tmp);
	}
	free(text);
	return rc;
}

int model_save(const struct model *m, FILE *f)
{
	uint32_t n = 1u << m->bits, nz = 0;

	for (uint32_t i = 0; i < n; i++)
		nz += m->w[i] != 0;
	fprintf(f, "shellwatch-model 1\nkind linear\nfeatures fnv1a32-unigram-bigram-piece-binary\n"
		   "bits %u\nbias %.9g\nthreshold %.9g\nweights %u\n", m->bits, m->bias, m->threshold, nz);
	for (uint32_t i = 0; i < n; i++)
		if (m->w[i] != 0)
			fprintf(f, "%u %.9g\n", i, (double)m->w[i]);
	fprintf(f, "end\n");
	return fflush(f) || ferror(f) ? -1 : 0;
}

void model_free(struct model *m)
{
	free(m->w);
	m->w = NULL;
}

double model_margin(const struct model *m, const struct features *f)
{
	double s = m->bias;
	uint32_t mask = (1u << m->bits) - 1;

	for (uint32_t i = 0; i < f->n; i++)
		s += m->w[f->bucket[i] & mask];
	return s;
}

double model_prob(double margin)
{
	return 1.0 / (1.0 + exp(-margin));
}
