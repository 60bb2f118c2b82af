/* test_features.c: feature hashing is stable (FNV-1a 32 test vectors and an independent reference
 * implementation here), bigrams hash "a 0x1f le32(hash(b))", pieces "0x1e piece", presence is
 * binary (duplicates counted once). */
#include <string.h>
#include "cmdfeat.h"
#include "tap.h"

static uint32_t ref_fnv1a(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 16777619u;
	}
	return h;
}

/* reference bigram: bytes of a, 0x1f, the little-endian bytes of fnv(b) */
static uint32_t ref_bigram(const char *a, const char *b)
{
	uint32_t hb = ref_fnv1a(b);
	char buf[64];
	size_t n = strlen(a);

	memcpy(buf, a, n);
	buf[n++] = 0x1f;
	for (int i = 0; i < 4; i++)
		buf[n++] = (char)((hb >> (8 * i)) & 0xff);
	buf[n] = '\0';
	return ref_fnv1a(buf); /* no hash byte of these test tokens is 0 */
}

static void test_vectors(void)
{
	/* published FNV-1a 32-bit test vectors */
	CHECK(feat_hash_unigram(sw_str_c("")) == 0x811c9dc5u);
	CHECK(feat_hash_unigram(sw_str_c("a")) == 0xe40c292cu);
	CHECK(feat_hash_unigram(sw_str_c("foobar")) == 0xbf9cf968u);
	CHECK(feat_hash_unigram(sw_str_c("/dev/tcp")) == ref_fnv1a("/dev/tcp"));
	CHECK(feat_hash_bigram(sw_str_c(">&"), sw_str_c("/dev/tcp")) == ref_bigram(">&", "/dev/tcp"));
	CHECK(feat_hash_piece(sw_str_c("tcp")) == ref_fnv1a("\x1etcp"));
	CHECK(feat_hash_bigram(sw_str_c("a"), sw_str_c("b")) != feat_hash_bigram(sw_str_c("b"),
										 sw_str_c("a")));
}

static int has(const struct features *f, uint32_t b)
{
	for (uint32_t i = 0; i < f->n; i++)
		if (f->bucket[i] == b)
			return 1;
	return 0;
}

static void test_extract(void)
{
	static struct shtok t;
	static struct features f;
	const uint32_t mask = (1u << 18) - 1;

	shtok_run(&t, "bash -i bash -i", 15);
	CHECK(t.n == 4);
	features_extract(&t, 18, &f);
	CHECKF(f.n == 4, "n=%u", f.n); /* bash, -i, "bash -i", "-i bash": duplicates once */
	CHECK(has(&f, ref_fnv1a("bash") & mask));
	CHECK(has(&f, ref_fnv1a("-i") & mask));
	CHECK(has(&f, ref_bigram("bash", "-i") & mask));
	CHECK(has(&f, ref_bigram("-i", "bash") & mask));
	CHECK(f.bucket[0] == (ref_fnv1a("bash") & mask) && f.tok[0] == 0 && f.kind[0] == FEAT_UNIGRAM);
	features_extract_range(&t, 1, 3, 18, &f); /* "-i bash" only */
	CHECK(f.n == 3 && !has(&f, ref_bigram("bash", "-i") & mask));
	shtok_run(&t, "cat /dev/tcp/x", 14); /* cat, /dev/tcp, x, 2 bigrams, pieces dev and tcp */
	features_extract(&t, 18, &f);
	CHECKF(f.n == 7, "n=%u", f.n);
	CHECK(has(&f, ref_fnv1a("\x1e" "dev") & mask) && has(&f, ref_fnv1a("\x1etcp") & mask));
	features_extract(&t, 8, &f);
	for (uint32_t i = 0; i < f.n; i++)
		CHECK(f.bucket[i] < 256);
}

int main(void)
{
	RUN(test_vectors);
	RUN(test_extract);
	return tap_done();
}
