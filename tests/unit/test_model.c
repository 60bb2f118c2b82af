/* test_model.c: the model text format: save/load round trip, strict rejection of malformed files,
 * and the margin/probability arithmetic. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "model.h"
#include "tap.h"

static const char good[] = "shellwatch-model 1\nkind linear\nfeatures fnv1a32-unigram-bigram-piece-binary\n"
			   "bits 10\nbias -1.5\nthreshold 0.75\nweights 2\n3 0.25\n1023 -2\nend\n";

static void test_parse(void)
{
	struct model m;
	char err[256];

	CHECKF(model_parse(&m, good, strlen(good), err, sizeof(err)) == 0, "%s", err);
	CHECK(m.bits == 10 && m.bias == -1.5 && m.threshold == 0.75);
	CHECK(m.w[3] == 0.25f && m.w[1023] == -2.0f && m.w[0] == 0 && m.w[4] == 0);
	model_free(&m);
}

static void test_round_trip(void)
{
	struct model m = { .bits = 12, .bias = 0.123456789, .threshold = 0.5 }, back;
	char *buf = NULL, err[256];
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	m.w = calloc(1u << 12, sizeof(float));
	m.w[0] = 1.0f;
	m.w[77] = -0.333333f;
	m.w[4095] = 12345.5f;
	CHECK(model_save(&m, f) == 0);
	fclose(f);
	CHECKF(model_parse(&back, buf, len, err, sizeof(err)) == 0, "%s", err);
	CHECK(back.bits == m.bits && fabs(back.bias - m.bias) < 1e-9 && back.threshold == 0.5);
	CHECK(!memcmp(back.w, m.w, (1u << 12) * sizeof(float)));
	model_free(&back);
	model_free(&m);
	free(buf);
}

#define T(text) text, sizeof(text) - 1
#define HEAD "shellwatch-model 1\nkind linear\nfeatures fnv1a32-unigram-bigram-piece-binary\n"

/* Every malformed model is refused with the line that is wrong (issue 13: trailing garbage, a NUL
 * byte and duplicate buckets were accepted, an empty model said "line 0"). */
static void test_rejects(void)
{
	static const struct {
		const char *text;
		size_t len;
		const char *err;
	} bad[] = {
		{ T(""), "model:1: empty file" },
		{ T("shellwatch-model 2\n"), "model:1: expected 'shellwatch-model 1'" },
		{ T("shellwatch-model 1\nkind trees\n"), "model:2: expected 'kind linear'" },
		{ T("shellwatch-model 1\n"),
		  "model:2: unexpected end of file: expected 'kind linear'" },
		{ T(HEAD "bits 40\nbias 0\nthreshold 0.5\nweights 0\nend\n"),
		  "model:7: bits out of range" },
		{ T(HEAD "bits 10\nbias 0\nthreshold 0.5\nweights 1\n1024 1\nend\n"),
		  "model:8: bad bucket" },
		{ T(HEAD "bits 10\nbias 0\nthreshold 0.5\nweights 2\n1 1\n"),
		  "model:9: unexpected end of file: expected 'bucket weight'" },
		{ T(HEAD "bits 10\nbias nan\nthreshold 0.5\nweights 0\nend\n"),
		  "model:5: bad number after 'bias'" },
		{ T(HEAD "bits 10\nbias 0\nthreshold 0.5\nweights 1\n1 x\nend\n"),
		  "model:8: bad weight" },
		{ T(HEAD "bits 10\nbias 0\nthreshold 0.5\nweights 1\n1 1\nend\ngarbage\n"),
		  "model:10: text after 'end'" },
		{ T(HEAD "bits 10\nbias 0\nthreshold 0.5\nweights 1\n1 1\nend\n\n"),
		  "model:10: text after 'end'" },
		{ T(HEAD "bits 10\nbias 0\nthreshold 0.5\nweights 1\n1 1\0x\nend\n"),
		  "model:8: NUL byte in the line" },
		{ T(HEAD "bits 10\nbias 0\nthreshold 0.5\nweights 2\n1 1\n1 2\nend\n"),
		  "model:9: bucket given twice" },
		{ T(HEAD "bits 10\nbias 0\nthreshold 0.5\nweights 1.5\n1 1\nend\n"),
		  "model:7: weights count or threshold out of range" },
		{ T(HEAD "bits 10\nbias 0\nthreshold 0.5\nweights 1\n-1 1\nend\n"),
		  "model:8: bad bucket" },
		{ T(HEAD "bits 10\nbias 0\nthreshold 0.5\nweights 1\n1  1\nend\n"),
		  "model:8: bad weight" },
	};
	struct model m;
	char err[256];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		size_t len = bad[i].len;

		err[0] = '\0';
		CHECKF(model_parse(&m, bad[i].text, len, err, sizeof(err)) == -1, "case %zu", i);
		CHECKF(!strncmp(err, bad[i].err, strlen(bad[i].err)), "case %zu: %s", i, err);
	}
	CHECK(model_load_file(&m, "/nonexistent/model", err, sizeof(err)) == -1 &&
	      strstr(err, "/nonexistent/model"));
}

/* A file is read a line at a time: /dev/zero fails on its first line, a long line is refused. */
static void test_file_bounded(void)
{
	struct model m;
	char err[256], path[] = "/tmp/sw-model-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;

	CHECK(model_load_file(&m, "/dev/zero", err, sizeof(err)) == -1);
	CHECKF(!strcmp(err, "/dev/zero:1: NUL byte in the line"), "%s", err);
	CHECK(f != NULL);
	if (!f)
		return;
	fputs("shellwatch-model 1\n", f);
	for (int i = 0; i < 300; i++)
		putc('x', f);
	fclose(f);
	CHECK(model_load_file(&m, path, err, sizeof(err)) == -1);
	CHECKF(strstr(err, ":2: line longer than 255 bytes") != NULL, "%s", err);
	unlink(path);
}

static void test_margin(void)
{
	struct model m;
	struct features f = { .n = 2, .bucket = { 3, 1023 } };
	char err[256];

	model_parse(&m, good, strlen(good), err, sizeof(err));
	CHECK(fabs(model_margin(&m, &f) - (-1.5 + 0.25 - 2)) < 1e-9);
	CHECK(fabs(model_prob(0) - 0.5) < 1e-12 && model_prob(50) > 0.999 && model_prob(-50) < 0.001);
	model_free(&m);
}

int main(void)
{
	RUN(test_parse);
	RUN(test_round_trip);
	RUN(test_rejects);
	RUN(test_file_bounded);
	RUN(test_margin);
	return tap_done();
}
