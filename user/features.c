/* features.c: hashed unigram + bigram presence features of a token sequence (include/cmdfeat.h).
 * Deduplication uses a small open-addressing set sized to the feature count, on the stack. */
#include <string.h>
#include "cmdfeat.h"

#define FNV_BASIS 2166136261u
#define FNV_PRIME 16777619u

static uint32_t fnv_add(uint32_t h, const char *p, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		h ^= (unsigned char)p[i];
		h *= FNV_PRIME;
	}
	return h;
}

uint32_t feat_hash_unigram(struct sw_str a)
{
	return fnv_add(FNV_BASIS, a.p, a.len);
}

uint32_t feat_hash_bigram(struct sw_str a, struct sw_str b)
{
	uint32_t h = fnv_add(FNV_BASIS, a.p, a.len);

	h = fnv_add(h, "\x1f", 1);
	return fnv_add(h, b.p, b.len);
}

struct dedup {
	uint32_t mask;
	uint32_t slot[2 * FEAT_MAX];   /* bucket + 1; 0 is empty */
};

/* True if bucket b was not in the set yet (and adds it). */
static int dedup_add(struct dedup *d, uint32_t b)
{
	uint32_t i = (b * 2654435761u) & d->mask;

	while (d->slot[i]) {
		if (d->slot[i] == b + 1)
			return 0;
		i = (i + 1) & d->mask;
	}
	d->slot[i] = b + 1;
	return 1;
}

static void add(struct features *f, struct dedup *d, uint32_t h, uint32_t mask, uint32_t tok,
		int bigram)
{
	uint32_t b = h & mask;

	if (f->n >= FEAT_MAX || !dedup_add(d, b))
		return;
	f->bucket[f->n] = b;
	f->tok[f->n] = (uint16_t)tok;
	f->bigram[f->n] = (uint8_t)bigram;
	f->n++;
}

void features_hash(const struct shtok *t, struct feat_hashes *h)
{
	h->n = t->n;
	for (uint32_t i = 0; i < t->n; i++) {
		struct sw_str cur = shtok_get(t, i);

		h->uni[i] = fnv_add(FNV_BASIS, cur.p, cur.len);
		/* FNV is a running state: the bigram continues from the previous unigram */
		h->bi[i] = i ? fnv_add(fnv_add(h->uni[i - 1], "\x1f", 1), cur.p, cur.len) : 0;
	}
}

void features_select(const struct feat_hashes *h, uint32_t from, uint32_t to, unsigned bits,
		     struct features *f)
{
	struct dedup d;
	uint32_t size = 16, mask;

	if (bits < FEAT_BITS_MIN)
		bits = FEAT_BITS_MIN;
	if (bits > FEAT_BITS_MAX)
		bits = FEAT_BITS_MAX;
	mask = (1u << bits) - 1;
	if (to > h->n)
		to = h->n;
	while (size < 4 * (to - from) && size < 2 * FEAT_MAX)
		size <<= 1;
	d.mask = size - 1;
	memset(d.slot, 0, size * sizeof(d.slot[0]));
	f->n = 0;
	for (uint32_t i = from; i < to; i++) {
		add(f, &d, h->uni[i], mask, i, 0);
		if (i > from)
			add(f, &d, h->bi[i], mask, i, 1);
	}
}

void features_extract_range(const struct shtok *t, uint32_t from, uint32_t to, unsigned bits,
			    struct features *f)
{
	struct feat_hashes h;

	features_hash(t, &h);
	features_select(&h, from, to, bits, f);
}

void features_extract(const struct shtok *t, unsigned bits, struct features *f)
{
	features_extract_range(t, 0, t->n, bits, f);
}
