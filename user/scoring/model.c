/* model.c: load, save and evaluate the linear scoring model (format in include/model.h and
 * docs/scoring.md). Parsing is strict: any malformed line is an error naming the line, and so are
 * a line longer than any model line, a NUL byte, a bucket given twice and anything after "end".
 * A file is read a line at a time, so whatever it is (/dev/zero), memory stays small. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "model.h"

#define LINE_MAX_MODEL 255      /* longer than any line of the format */

/* The lines of a model: from text (p..end) or from a file f. */
struct reader {
	const char *p, *end;
	FILE *f;
	const char *name;       /* file name for messages */
	unsigned line;
	const char *bad;        /* why the last line is no model line (too long, a NUL byte) */
	char buf[LINE_MAX_MODEL + 1];
};

/* One line of f into r->buf: its length, or -1 at the end of the file. A longer line is
 * marked by a length of LINE_MAX_MODEL + 1 and not read further. */
static long file_line(struct reader *r)
{
	long n = 0;
	int c;

	while ((c = getc_unlocked(r->f)) != EOF && c != '\n') {
		if (n == LINE_MAX_MODEL)
			return n + 1;
		r->buf[n++] = (char)c;
	}
	return c == EOF && n == 0 ? -1 : n;
}

/* One line of the text into r->buf, as file_line(). */
static long text_line(struct reader *r)
{
	const char *nl;
	size_t n;

	if (r->p >= r->end)
		return -1;
	nl = memchr(r->p, '\n', (size_t)(r->end - r->p));
	n = (size_t)((nl ? nl : r->end) - r->p);
	if (n > LINE_MAX_MODEL)
		return LINE_MAX_MODEL + 1;
	memcpy(r->buf, r->p, n);
	r->p = nl ? nl + 1 : r->end;
	return (long)n;
}

/* Next line into r->buf (NUL-terminated); false at the end of the input, or with r->bad set for
 * a line that no model has. */
static bool next_line(struct reader *r)
{
	long n = r->f ? file_line(r) : text_line(r);

	if (n < 0)
		return false;
	r->line++;
	if (memchr(r->buf, '\0', (size_t)(n > LINE_MAX_MODEL ? LINE_MAX_MODEL : n)))
		r->bad = "NUL byte in the line";
	else if (n > LINE_MAX_MODEL)
		r->bad = "line longer than 255 bytes";
	if (r->bad)
		return false;
	r->buf[n] = '\0';
	return true;
}

/* "NAME:LINE: what"; at the end of the input, the line after the last. */
static int fail(char *err, size_t errlen, const struct reader *r, const char *what)
{
	snprintf(err, errlen, "%s:%u: %s", r->name, r->line, what);
	return -1;
}

/* A line was expected: why there is none. */
static int fail_missing(char *err, size_t errlen, struct reader *r, const char *what)
{
	if (r->bad)
		return fail(err, errlen, r, r->bad);
	r->line++;
	if (r->line == 1)
		snprintf(err, errlen, "%s:1: empty file, not a shellwatch model (docs/scoring.md)",
			 r->name);
	else
		snprintf(err, errlen, "%s:%u: unexpected end of file: expected '%s'", r->name,
			 r->line, what);
	return -1;
}

/* "NAME:LINE: expected 'shellwatch-model 1'" and the like. */
static int fail_item(char *err, size_t errlen, const struct reader *r, const char *what,
		     const char *item)
{
	snprintf(err, errlen, "%s:%u: %s '%s' (not a shellwatch model? docs/scoring.md)", r->name,
		 r->line, what, item);
	return -1;
}

/* Header line "key value"; value parsed into *v (double). */
static int header(struct reader *r, const char *key, double *v, char *err, size_t errlen)
{
	size_t k = strlen(key);
	char *e;

	if (!next_line(r))
		return fail_missing(err, errlen, r, key);
	if (strncmp(r->buf, key, k) || r->buf[k] != ' ')
		return fail_item(err, errlen, r, "expected", key);
	errno = 0;
	*v = strtod(r->buf + k + 1, &e);
	if (errno || e == r->buf + k + 1 || *e || !isfinite(*v))
		return fail_item(err, errlen, r, "bad number after", key);
	return 0;
}

static int expect(struct reader *r, const char *line, char *err, size_t errlen)
{
	if (!next_line(r))
		return fail_missing(err, errlen, r, line);
	if (strcmp(r->buf, line))
		return fail_item(err, errlen, r, "expected", line);
	return 0;
}

/* "bucket weight": a decimal bucket below 2^bits, given once; a finite weight. */
static int weight_line(struct model *m, struct reader *r, uint8_t *seen, char *err, size_t errlen)
{
	unsigned long b;
	double w;
	char *e, *ws;

	if (r->buf[0] < '0' || r->buf[0] > '9')
		return fail(err, errlen, r, "bad bucket");
	errno = 0;
	b = strtoul(r->buf, &e, 10);
	if (errno || *e != ' ' || b >= (1ul << m->bits))
		return fail(err, errlen, r, "bad bucket");
	if (seen[b / 8] & (1u << (b % 8)))
		return fail(err, errlen, r, "bucket given twice");
	seen[b / 8] |= (uint8_t)(1u << (b % 8));
	ws = e + 1;
	w = strtod(ws, &e);
	if (errno || *e || e == ws || *ws == ' ' || !isfinite(w))
		return fail(err, errlen, r, "bad weight");
	m->w[b] = (float)w;
	return 0;
}

static int parse_weights(struct model *m, struct reader *r, double count, char *err, size_t errlen)
{
	uint8_t *seen = calloc((1u << m->bits) / 8, 1);
	int rc = 0;

	if (!seen)
		return fail(err, errlen, r, "out of memory");
	for (double i = 0; i < count && !rc; i++)
		rc = next_line(r) ? weight_line(m, r, seen, err, errlen)
				  : fail_missing(err, errlen, r, "bucket weight");
	free(seen);
	if (rc || expect(r, "end", err, errlen))
		return -1;
	if (next_line(r) || r->bad)
		return fail(err, errlen, r, r->bad ? r->bad : "text after 'end'");
	return 0;
}

static int parse(struct model *m, struct reader *r, char *err, size_t errlen)
{
	double bits, count;

	memset(m, 0, sizeof(*m));
	if (expect(r, "shellwatch-model 1", err, errlen) || expect(r, "kind linear", err, errlen) ||
	    expect(r, "features fnv1a32-unigram-bigram-piece-binary", err, errlen) ||
	    header(r, "bits", &bits, err, errlen) || header(r, "bias", &m->bias, err, errlen) ||
	    header(r, "threshold", &m->threshold, err, errlen) ||
	    header(r, "weights", &count, err, errlen))
		return -1;
	if (bits < FEAT_BITS_MIN || bits > FEAT_BITS_MAX || bits != (unsigned)bits)
		return fail(err, errlen, r, "bits out of range");
	if (count < 0 || count > (double)(1u << (unsigned)bits) ||
	    count != (double)(uint32_t)count || m->threshold < 0 || m->threshold > 1)
		return fail(err, errlen, r, "weights count or threshold out of range");
	m->bits = (unsigned)bits;
	m->w = calloc(1u << m->bits, sizeof(float));
	if (!m->w)
		return fail(err, errlen, r, "out of memory");
	if (parse_weights(m, r, count, err, errlen)) {
		model_free(m);
		return -1;
	}
	return 0;
}

int model_parse(struct model *m, const char *text, size_t len, char *err, size_t errlen)
{
	struct reader r = { .p = text, .end = text + len, .name = "model" };

	return parse(m, &r, err, errlen);
}

int model_load_file(struct model *m, const char *path, char *err, size_t errlen)
{
	struct reader r = { .name = path };
	int rc;

	r.f = fopen(path, "rb");
	if (!r.f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	rc = parse(m, &r, err, errlen);
	if (ferror(r.f)) {
		snprintf(err, errlen, "%s: read error: %s", path, strerror(errno));
		model_free(m);
		rc = -1;
	}
	fclose(r.f);
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
