/* test_model.c: the model text format: save/load round trip, strict rejection of malformed files,
 * and the margin/probability arithmetic. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
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

static void test_rejects(void)
{
	const char *bad[] = {
		"",
		"shellwatch-model 2\n",
		"shellwatch-model 1\nkind trees\n",
		"shellwatch-model 1\nkind linear\nfeatures fnv1a32-unigram-bigram-piece-binary\nbits 40\n"
		"bias 0\nthreshold 0.5\nweights 0\nend\n",
		"shellwatch-model 1\nkind linear\nfeatures fnv1a32-unigram-bigram-piece-binary\nbits 10\n"
		"bias 0\nthreshold 0.5\nweights 1\n1024 1\nend\n",   /* bucket out of range */
		"shellwatch-model 1\nkind linear\nfeatures fnv1a32-unigram-bigram-piece-binary\nbits 10\n"
		"bias 0\nthreshold 0.5\nweights 2\n1 1\n",            /* truncated */
		"shellwatch-model 1\nkind linear\nfeatures fnv1a32-unigram-bigram-piece-binary\nbits 10\n"
		"bias nan\nthreshold 0.5\nweights 0\nend\n",
		"shellwatch-model 1\nkind linear\nfeatures fnv1a32-unigram-bigram-piece-binary\nbits 10\n"
		"bias 0\nthreshold 0.5\nweights 1\n1 x\nend\n",
	};
	struct model m;
	char err[256];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		CHECKF(model_parse(&m, bad[i], strlen(bad[i]), err, sizeof(err)) == -1, "case %zu", i);
		CHECKF(strstr(err, "model line") != NULL, "case %zu: %s", i, err);
	}
	CHECK(model_load_file(&m, "/nonexistent/model", err, sizeof(err)) == -1 &&
	      strstr(err, "/nonexistent/model"));
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
	RUN(test_margin);
	return tap_done();
}
